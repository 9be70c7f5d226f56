"""The reading room: an ASGI web edition of an archive and its JSON API (``letterbook serve``).

Every page is built by one view function as a plain data dict, rendered as HTML by a Jinja2
template at ``/PATH`` and given as JSON at ``/PATH.json`` (the home page's JSON is ``/index.json``).
"""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]

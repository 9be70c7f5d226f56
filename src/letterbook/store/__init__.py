"""Where an archive keeps its letters: the store interface and the stores that implement it.

``open_store(url)`` picks the store for a URL: a path or ``sqlite:///PATH`` (or ``:memory:``)
opens the embedded SQLite store; ``postgresql://`` (or ``postgres://``) opens the server store
(``postgres.py``, which needs the ``postgres`` extra: psycopg and its pool).
"""

from __future__ import annotations

import os

from ..errors import ArchiveError
from .base import Store

__all__ = ["DEFAULT_PATH", "Store", "open_store", "resolve_url"]

#: The archive used when none is named: a file in the current folder.
DEFAULT_PATH = "letterbook.db"


def resolve_url(url: str | os.PathLike[str] | None) -> tuple[str, str]:
    """Give the kind of store (``"sqlite"`` or ``"postgresql"``) and its location for a URL."""
    text = DEFAULT_PATH if url is None else os.fspath(url)
    if text.startswith(("postgresql://", "postgres://")):
        return "postgresql", text
    if text.startswith("sqlite:///"):
        text = text.removeprefix("sqlite:///")
        # sqlite:////abs/path is absolute, sqlite:///rel/path relative, as in SQLAlchemy
        return "sqlite", text if text == ":memory:" else text
    if text.startswith("sqlite://"):
        raise ArchiveError(f"{text} is not an archive URL: write sqlite:///PATH (three slashes), or the path alone")
    if "://" in text:
        scheme = text.split("://", 1)[0]
        raise ArchiveError(f"{text}: letterbook keeps archives in SQLite files (a path, or sqlite:///PATH) "
                           f"and in PostgreSQL (postgresql://...); it does not know {scheme}:// archives")
    return "sqlite", text


def open_store(url: str | os.PathLike[str] | None = None, *, read_only: bool = False) -> Store:
    """Give the store at ``url`` (default: ``letterbook.db`` in the current folder), made and
    brought to the current schema if need be."""
    kind, location = resolve_url(url)
    if kind == "postgresql":
        from .postgres import PostgresStore

        return PostgresStore(location, read_only=read_only)
    from .sqlite import SQLiteStore

    return SQLiteStore(location, read_only=read_only)

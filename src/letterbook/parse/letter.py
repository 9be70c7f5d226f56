"""A letter's text -> its parts, shared by the text, Markdown and HTML readers."""

from __future__ import annotations

from ..model import Letter, Link, Source


def read_letter(blocks: list[str], source: Source, *, heading: str | None = None,
                folder: str | None = None, links: list[Link] | None = None) -> Letter:
    """Give the letter that a sequence of text blocks holds (placeholder; filled in next)."""
    return Letter(source=source, title=heading, body=list(blocks), links=list(links or []))

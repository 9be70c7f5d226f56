"""Keys the enrichment passes share: which letter is which, and the order of edition numbers."""

from __future__ import annotations

import re

from ..model import Letter

__all__ = ["letter_key", "natural_key"]


def letter_key(letter: Letter) -> str:
    """Give a letter's id, or, for a letter not yet in an archive, its file and part
    ("letters/7.txt#0"): what links between letters point to."""
    return letter.id or f"{letter.source.path}#{letter.source.part}"


_NUMBER = re.compile(r"(\d+)")


def natural_key(number: str) -> tuple[tuple[int, int | str], ...]:
    """Give the sort key of an edition number: "18" < "18a" < "19" < "K_0100"; numbers as numbers."""
    parts = _NUMBER.split(number.strip().casefold())
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts if p)

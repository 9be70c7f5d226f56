"""Headings -> who wrote to whom: "Churchill to Curtin", "Message to H. Truman (Correspondence
Vol. 2, No. 384)", "Letter 12: Laurence Binyon to Olivier-Georges Destrée", "Oswald Heer an Alfred
Escher, Zürich, Dienstag, 07. August 1866"."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Agent, Collection, Place, When


@dataclass
class Heading:
    """What a heading says: kind of document, parties, and date, place and edition number."""

    text: str
    kind: str | None = None
    sender: Agent | None = None
    co_senders: list[Agent] = field(default_factory=list)
    recipients: list[Agent] = field(default_factory=list)
    date: When | None = None
    place: Place | None = None
    collection: Collection | None = None


def parse_heading(text: str) -> Heading:
    """Give what a heading line says of the letter (placeholder; filled in next)."""
    return Heading(text=text)

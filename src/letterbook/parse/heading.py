"""Headings -> who wrote to whom: "Churchill to Curtin", "Message to H. Truman (Correspondence
Vol. 2, No. 384)", "Mr S. M. Bruce, High Commissioner in London, to Mr R. G. Menzies, Prime
Minister", "Letter 12: Laurence Binyon to Olivier-Georges Destrée", "Oswald Heer an Alfred Escher,
Zürich, Dienstag, 07. August 1866"."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Agent, Collection, Place, When
from .dates import WEEKDAYS, find_dates
from .names import ORG_WORDS, ROLE_WORDS, clean, is_role, parse_party, starts_with_honorific


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

    @property
    def names_parties(self) -> bool:
        """Tell whether the heading names a sender or a recipient."""
        return self.sender is not None or bool(self.recipients)


_KINDS = (
    r"message|personal message|secret message|letter|private letter|telegram|cable|cablegram|"
    r"note|memorandum|minute|despatch|dispatch|postcard|card|circular|brief|karte|postkarte|"
    r"telegramm|billet|lettre|carte|dépêche"
)
_EDITION = re.compile(
    r"\(\s*(?P<title>[^()]*?)[\s,]*\b(?:Vol(?:ume)?|Bd|Band)\.?\s*(?P<vol>[\w.]+)\s*[,;]\s*"
    r"(?:No|Nr|Nos?)\.?\s*(?P<num>[\w.-]+)\s*\)"
)
_NUMBERED = re.compile(r"^(?P<kind>Letter|Brief|Lettre|Document|Doc\.|No\.|Nr\.|Nº)?\s*(?P<num>\d+[a-z]?)\s*[:.]\s+",
                       re.IGNORECASE)
_KIND_TO = re.compile(rf"^(?P<kind>{_KINDS})\s+(?:from\s+(?P<s>.+?)\s+)?(?:to|an|à)\s+(?P<r>.+)$",
                      re.IGNORECASE)
_KIND_FROM = re.compile(rf"^(?P<kind>{_KINDS})\s+(?:from|von|de)\s+(?P<s>.+)$", re.IGNORECASE)
# Documents that are not letters between parties: their "to" is part of a name, not an address.
_RECORD = re.compile(
    r"^(?P<kind>minutes?|record|records|notes?|memorandum|memo|report|extract|agenda|agendum|"
    r"(?:full\s+)?cabinet\s+(?:submission|minute|paper|agendum|decision)|submission|statement|"
    r"summary|draft|conclusions?|resolution|paper|speech|broadcast|press\s+(?:statement|release)|"
    r"communiqu[ée]|aide[- ]m[ée]moire|declaration|agreement|treaty|instructions?|directive|"
    r"brief|notes?\s+of|record\s+of|joint\s+\w+|protocol|appendix|annex|enclosure|address|"
    r"interview|diary|journal)\b(?P<rest>.*)$",
    re.IGNORECASE,
)
_BY = re.compile(r"^\s*(?:(?:prepared|written|drafted|compiled|sent|signed)\s+)?by\s+(?P<who>.+?)"
                 r"(?=\s+(?:of|on|for|to|with|at|in|re|concerning|regarding)\s|$)")
_DIRECTED = re.compile(
    # Each language's own pair, so that "de Valera to Chifley" stays a name.
    r"^(?:(?:from\s+(?P<s>.+?)\s+to|von\s+(?P<s_de>.+?)\s+an|de\s+(?P<s_fr>.+?)\s+à)\s+(?P<r>.+)|"
    r"(?:to|an|à)\s+(?P<r2>.+?)(?:\s+(?:from|von|de)\s+(?P<s2>[A-ZÄÖÜ].+))?)$",
    re.IGNORECASE,
)
# "of" and the capitalised words of a body's name ("of Staff Sub-committee of Committee of
# Imperial Defence", "of Trade and Customs"), up to the first word in lower case.
_OF_BODY = re.compile(r"^\s+of\s+(?:the\s+)?[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|of|and)(?=\s|$))*")


def _body_named_on(who: str, after: str) -> str:
    """Give the author a record's heading names after "by", with the rest of a body's name that
    "of" continues ("Chiefs" + "of Staff Sub-committee ...", "Mr J. K. Waller, Department" + "of
    External Affairs"): "of" after a person's name begins what the record is of."""
    last = who.split()[-1].lower() if who.split() else ""
    match = _OF_BODY.match(after) if last in ORG_WORDS else None
    if match is None:
        return who
    return who + re.sub(r"(?:\s+(?:of|and))+$", "", match.group())


_SPLITS = (", to ", " to ", ", an ", " an ", ", à ", " à ")
_TRAILING_WEEKDAY = re.compile(rf"[\s,]*\b(?:{WEEKDAYS})\.?[\s,]*$", re.IGNORECASE)


def parse_heading(text: str) -> Heading:
    """Give what a heading line says of the letter: kind, sender, recipients, date, place and its
    number in an edition. Parts the heading does not give stay None."""
    text = " ".join(text.replace("\u00a0", " ").split()).strip().lstrip("#").strip()
    heading = Heading(text=text)
    if not text:
        return heading
    rest = text
    edition = _EDITION.search(rest)
    if edition:
        heading.collection = Collection(
            title=edition.group("title").strip(" ,") or None, volume=edition.group("vol").rstrip("."),
            number=edition.group("num").rstrip("."),
        )
        rest = (rest[: edition.start()] + rest[edition.end():]).strip()
    numbered = _NUMBERED.match(rest)
    if numbered and numbered.group("kind") is not None or numbered and _has_parties(rest[numbered.end():]):
        assert numbered is not None
        heading.collection = heading.collection or Collection(number=numbered.group("num"))
        if numbered.group("kind") and numbered.group("kind").lower().startswith(("letter", "brief", "lettre")):
            heading.kind = "letter"
        rest = rest[numbered.end():]
    rest = _take_date(heading, rest)
    if not rest:
        return heading
    record = _RECORD.match(rest)
    if record and not _KIND_TO.match(rest):
        heading.kind = record.group("kind").lower()
        by = _BY.match(record.group("rest"))
        if by:
            _set_sender(heading, _body_named_on(by.group("who"), record.group("rest")[by.end("who"):]))
        return heading
    directed = _DIRECTED.match(rest)
    if directed:
        # "From X to Y", "To Y from X", "To Theo van Gogh": the parties named by their direction.
        sender = next((directed.group(g) for g in ("s", "s_de", "s_fr", "s2") if directed.group(g)), None)
        if sender:
            _set_sender(heading, sender)
        recipients = directed.group("r") or directed.group("r2")
        place = re.search(r"\.\s+(?P<place>[A-ZÄÖÜ][\w'’\-]+(?:\s[A-ZÄÖÜ][\w'’\-]+)?)$", recipients)
        if place and heading.place is None:
            heading.place = Place(name=place.group("place"), as_written=place.group("place"))
            recipients = recipients[: place.start()]
        _set_recipients(heading, recipients)
        return heading
    kind_to = _KIND_TO.match(rest)
    if kind_to:
        heading.kind = heading.kind or kind_to.group("kind").lower()
        if kind_to.group("s"):
            _set_sender(heading, kind_to.group("s"))
        _set_recipients(heading, kind_to.group("r"))
        return heading
    kind_from = _KIND_FROM.match(rest)
    if kind_from:
        heading.kind = heading.kind or kind_from.group("kind").lower()
        _set_sender(heading, kind_from.group("s"))
        return heading
    split = _split_parties(rest)
    if split:
        sender, recipients = split
        _set_sender(heading, sender)
        _set_recipients(heading, recipients)
    return heading


def _has_parties(text: str) -> bool:
    return _split_parties(text) is not None or _KIND_TO.match(text) is not None


def _split_parties(text: str) -> tuple[str, str] | None:
    """Give (sender phrase, recipient phrase) split at the "to" that joins them."""
    folded = text.lower()  # "Heyde To Whitman": title case does not change the grammar
    for sep in _SPLITS:
        start = 0
        while True:
            at = folded.find(sep, start)
            if at <= 0:
                break
            left, right = text[:at], text[at + len(sep):]
            last_word = left.rsplit(" ", 1)[-1].lower().strip(",")
            # "Minister to the United States", "Ambassador to Japan": an office, not the address; but
            # "Prime Minister to Sir Earle Page" addresses a person.
            if sep.startswith(" ") and last_word in ROLE_WORDS and not starts_with_honorific(right) \
                    and (right.lower().startswith("the ") or folded.find(sep, at + len(sep)) > 0):
                start = at + len(sep)
                continue
            named = right[4:] if right.lower().startswith("the ") else right  # "to the Prime Minister"
            if right.strip() and left.strip() and named[:1].isupper() or right[:1] in "«\"'“":
                return left.strip(" ,"), right.strip(" ,")
            start = at + len(sep)
    return None


def _take_date(heading: Heading, text: str) -> str:
    """Take a date (and a place before it) off the end of a heading; give what is left."""
    dates = find_dates(text)
    if not dates:
        return text
    last = dates[-1]
    tail = text[last.end:].strip(" ,.;])")
    if tail and len(tail) > 12:  # the date sits inside the heading, not at its end
        return text
    heading.date = last.when
    rest = text[: last.start].rstrip(" ,;[(")
    rest = _TRAILING_WEEKDAY.sub("", rest).rstrip(" ,;")
    if rest and not rest.endswith(")"):
        # "Oswald Heer an Alfred Escher, Zürich": the piece before the date is the place written at.
        head, sep, place = rest.rpartition(",")
        place = place.strip()
        if sep and place and not is_role(place) and _looks_like_place(place) and _has_parties(head):
            heading.place = Place(name=clean(place), as_written=place)
            rest = head.rstrip(" ,")
    return rest


def _looks_like_place(text: str) -> bool:
    words = text.split()
    return 1 <= len(words) <= 4 and words[0][:1].isupper() and not any(
        w.lower().rstrip(".") in ("mr", "sir", "dr", "lord", "mrs") for w in words)


def _set_sender(heading: Heading, phrase: str) -> None:
    agents = parse_party(phrase)
    if agents:
        heading.sender = agents[0]
        heading.co_senders = agents[1:]


def _set_recipients(heading: Heading, phrase: str) -> None:
    heading.recipients = parse_party(phrase)

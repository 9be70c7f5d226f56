"""CMIF files (Correspondence Metadata Interchange Format, v1 and v2) -> letters without text;
and the reading of ``correspDesc`` that TEI editions share with them.

A CMIF file is TEI whose letters are only ``correspDesc`` entries in ``profileDesc``: who wrote to
whom, from where to where, and when, with authority URIs (GND, VIAF, GeoNames). Each entry gives
one letter, numbered by its position in the file (``source.part``). The entry's ``@source``
names the edition it comes from (a ``sourceDesc/bibl``), ``@key`` (or ``@n``) its number there, and
``@ref`` the letter's page online. CMIF v2's ``note/ref`` mentions (persons, places,
organisations, the letter's language) are read too.

The whole file is parsed at once: CMIF files run to a few megabytes, well within the size cap.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from ..model import Agent, Collection, Letter, Link, Place, Source, When
from .document import Document
from .tei import Tei, date_of, language_code, local, parse_xml, span_of, text_of

__all__ = ["Parties", "agent_of", "letters_from_cmif", "place_of", "read_cmif", "read_correspdesc"]

Element = etree._Element
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"

# ---------------------------------------------------------------- correspDesc, shared with tei.py

_AGENTS = {"persName", "orgName", "name"}
_PLACES = {"placeName", "settlement"}
_SENT = {"sent", "sending"}
_RECEIVED = {"received", "receiving"}
_TO_TYPES = {"addressee", "recipient", "receiver", "received", "to"}
_FROM_TYPES = {"sender", "author", "sent", "from"}
_UNKNOWN_REFS = re.compile(r"correspsearch\.net/unknown|/untitled$", re.IGNORECASE)


@dataclass
class Parties:
    """Who wrote to whom, from where to where and when, as a correspDesc says."""

    senders: list[Agent] = field(default_factory=list)
    recipients: list[Agent] = field(default_factory=list)
    place: Place | None = None
    destination: Place | None = None
    date: When | None = None
    typed: bool = False  # sender and addressee told apart by @type, not by correspAction


def agent_of(el: Element) -> Agent | None:
    """Give the person or organisation a persName/orgName names, with its authority ref."""
    name = text_of(el)
    if not name:
        return None
    ref = (el.get("ref") or "").split()
    # correspSearch's "unknown" is a marker, not an identity: keep the name, drop the ref.
    target = ref[0] if ref and not _UNKNOWN_REFS.search(ref[0]) else None
    kind = "organisation" if local(el) == "orgName" else "person"
    return Agent(name=name, as_written=name, ref=target, kind=kind)


def place_of(el: Element | None) -> Place | None:
    """Give the place a placeName names, with its authority ref (GeoNames ...)."""
    name = text_of(el)
    if el is None or not name:
        return None
    ref = (el.get("ref") or "").split()
    return Place(name=name, as_written=name, ref=ref[0] if ref else None)


def _nested(el: Element, action: Element) -> bool:
    """Tell whether a name sits inside another name, a place, a date or a note of the action."""
    parent = el.getparent()
    while parent is not None and parent is not action:
        if local(parent) in _AGENTS or local(parent) in _PLACES or local(parent) in ("note", "date"):
            return True
        parent = parent.getparent()
    return False


def read_correspdesc(desc: Element) -> Parties:
    """Give the parties, places and date a ``correspDesc`` holds.

    ``correspAction type="sent"``/``"received"`` and the older ``sending``/``receiving`` are read
    alike. Names nested in wrappers (``<sender><persName>``) count. Inside one action, a name typed
    ``@type="addressee"`` is a recipient and one typed ``"sender"`` a sender, whichever action holds
    it; other actions (forwarded, redirected) are left out."""
    parties = Parties()
    dates: list[When] = []
    for action in desc:
        kind = (action.get("type") or local(action)).lower()
        if kind not in _SENT and kind not in _RECEIVED:
            continue
        sent = kind in _SENT
        places: list[Place] = []
        for el in action.iter():
            tag = local(el)
            if tag in _AGENTS and el.get("type") != "place" and not _nested(el, action):
                agent = agent_of(el)
                if agent is None:
                    continue
                typ = (el.get("type") or "").lower()
                if typ in _TO_TYPES or typ in _FROM_TYPES:
                    parties.typed = True
                    to = typ in _TO_TYPES
                else:
                    to = not sent
                (parties.recipients if to else parties.senders).append(agent)
            elif tag in _PLACES and not _nested(el, action):
                place = place_of(el)
                if place:
                    places.append(place)
            elif tag == "date" and sent:
                when = date_of(el)
                if when:
                    dates.append(when)
        if places and sent and parties.place is None:
            parties.place = places[0]
        elif places and not sent and parties.destination is None:
            parties.destination = places[0]
    parties.date = span_of(dates)
    return parties


# ---------------------------------------------------------------- CMIF files



def read_cmif(doc: Document) -> Iterator[Letter]:
    """Give one letter per ``correspDesc`` of a CMIF file, in file order."""
    yield from letters_from_cmif(parse_xml(doc), doc)


def _editions(tei: Tei, root: Element) -> dict[str, str]:
    editions: dict[str, str] = {}
    for bibl in root.iter(tei.tag("bibl")):
        ident = bibl.get(XML_ID)
        if ident and text_of(bibl):
            editions[ident] = text_of(bibl)
    return editions


def _file_title(tei: Tei, root: Element) -> str | None:
    return text_of(tei.find(root, "teiHeader/fileDesc/titleStmt/title")) or None


def _mention_kind(ref: Element) -> str | None:
    # v2 writes the full vocabulary URI ("https://lod.academy/cmif/vocab/terms#mentionsPerson");
    # prefixed forms ("cmif:mentionsPerson") are read the same.
    value = ref.get("type") or ""
    return re.split(r"[#:/]", value)[-1].lower() or None


def _mentions(tei: Tei, desc: Element, letter: Letter) -> None:
    for note in tei.findall(desc, "note"):
        for ref in note.iter(tei.tag("ref")):
            kind = _mention_kind(ref)
            name = text_of(ref)
            target = ref.get("target")
            if kind in ("mentionsperson", "mentionsorganization", "mentionsorganisation") and name:
                letter.mentions_persons.append(Agent(
                    name=name, as_written=name, ref=target,
                    kind="organisation" if kind.startswith("mentionsorgani") else "person"))
            elif kind == "mentionsplace" and name:
                letter.mentions_places.append(Place(name=name, as_written=name, ref=target))
            elif kind == "haslanguage" and not letter.language:
                code = (target or "").rstrip("/").rpartition("/")[2] or name
                letter.language = language_code(code)


def letters_from_cmif(root: Element, doc: Document) -> Iterator[Letter]:
    """Give one letter per ``correspDesc`` under an already parsed CMIF root."""
    tei = Tei.of(root)
    editions = _editions(tei, root)
    title = _file_title(tei, root)
    for part, desc in enumerate(root.iter(tei.tag("correspDesc"))):
        parties = read_correspdesc(desc)
        source = (desc.get("source") or "").strip()
        edition = editions.get(source.lstrip("#")) if source else None
        if edition is None and len(editions) == 1:
            edition = next(iter(editions.values()))
        number = desc.get("key") or desc.get("n")
        links = [Link(rel="edition", target=url) for url in (desc.get("ref") or "").split()]
        # @sameAs points at the same letter elsewhere; only a URL says where.
        links += [Link(rel="edition", target=url) for url in (desc.get("sameAs") or "").split()
                  if url.startswith(("http://", "https://"))]
        senders = parties.senders
        letter = Letter(
            source=Source(path=doc.display, part=part, format="cmif", sha256=doc.sha256),
            sender=senders[0] if senders else None,
            co_senders=senders[1:],
            recipients=parties.recipients,
            date=parties.date,
            place=parties.place,
            destination=parties.destination,
            collection=Collection(title=edition or title, number=number)
            if edition or title or number else None,
            links=links,
            kind="letter",
        )
        _mentions(tei, desc, letter)
        yield letter


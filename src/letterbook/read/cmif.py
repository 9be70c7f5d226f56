"""CMIF files (Correspondence Metadata Interchange Format, v1 and v2) -> letters without text.

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

from lxml import etree

from ..model import Agent, Collection, Letter, Link, Place, Source
from .document import Document
from .tei import Tei, language_code, parse_xml, read_correspdesc, text_of

__all__ = ["letters_from_cmif", "read_cmif"]

Element = etree._Element
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


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


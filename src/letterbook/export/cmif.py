"""Letters -> CMIF v1.1 (Correspondence Metadata Interchange Format), for correspSearch.

One ``correspDesc`` per letter: ``correspAction type="sent"`` and ``type="received"``, both always
present, each naming a person or organisation (``persName``/``orgName`` with ``@ref``), or
``Unknown`` where the letter names nobody; the place (``placeName`` with ``@ref``); the date, only
as YYYY, YYYY-MM or YYYY-MM-DD in ``@when`` or ``@notBefore``/``@notAfter`` (a date that cannot be
put so is left out, never made more precise); ``@source`` pointing at the ``bibl`` of the edition
the letter belongs to (its collection), ``@key`` its number there, ``@ref`` its permalink.

CMIF v1.1 knows one degree of doubt, ``cert="low"``: a date of medium or low certainty is written
with it. With ``cmif_v2``, the persons and places a letter mentions are written as
``note/ref[@type="cmif:mentionsPerson"]`` (``cmif:mentionsOrganization``, ``cmif:mentionsPlace``)
and its language as ``cmif:hasLanguage``, as the v2 proposal has them.

The writer streams: the letters' entries go to a temporary file as they come, while the editions
they name are collected (one ``bibl`` each, with a UUID derived from the edition's title, stable
from one export to the next); the header is written once they are known, then the entries are
copied after it.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import uuid
from collections.abc import Iterable
from datetime import UTC
from typing import BinaryIO

from lxml import etree

from ..model import Agent, Letter, Place, When
from . import ExportOptions, xml_text

__all__ = ["cmif_date", "write_cmif"]

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
_ISO = re.compile(r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?")
_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+")
_NAMESPACE = uuid.UUID("5b0ae1c1-8a0e-4d4b-9d53-6c6574746572")  # letterbook's UUID namespace for editions
_DEFAULT_EDITION = "\x00letterbook"  # the bibl of letters that name no edition
_BIBL_LIMIT = 100_000  # editions a file can name; beyond that, letters share the export's bibl


def _sub(parent: etree._Element, name: str, text: str | None = None, **attrs: str | None) -> etree._Element:
    # The entries are written without a namespace and spliced into a TEI-namespaced document,
    # so each one does not repeat the namespace declaration.
    el = etree.SubElement(parent, name)
    for key, value in attrs.items():
        if value:
            el.set(key, xml_text(value))
    if text:
        el.text = xml_text(text)
    return el


def _uri(value: str | None) -> str | None:
    # CMIF's @ref is a URI (GND, VIAF, GeoNames); a local label ("Heer Oswald") is not one.
    if value and _URI.fullmatch(value.strip()):
        return value.strip()
    return None


def cmif_date(when: When | None) -> dict[str, str] | None:
    """Give the CMIF dating attributes of a When, or None when it holds no date CMIF can say.

    Only YYYY, YYYY-MM and YYYY-MM-DD are written; ``@when`` alone when the bounds are those the
    date itself implies ("1856-07" is 1856-07-01 to 1856-07-31), else the bounds as well."""
    if when is None:
        return None
    attrs: dict[str, str] = {}
    exact = when.when if when.when and _ISO.fullmatch(when.when) else None
    if exact:
        attrs["when"] = exact
    for key, value in (("notBefore", when.not_before), ("notAfter", when.not_after)):
        if value and _ISO.fullmatch(value) and not (exact and _implied(exact, key, value)):
            attrs[key] = value
    if not attrs:
        return None
    if when.certainty in ("medium", "low", "unknown"):
        attrs["cert"] = "low"
    return attrs


def _implied(when: str, key: str, value: str) -> bool:
    from ..parse.dates import parse_iso

    base = parse_iso(when)
    if base is None:
        return False
    bound = base.not_before or base.when if key == "notBefore" else base.not_after or base.when
    return bound == value


def _party(action: etree._Element, agents: list[Agent]) -> None:
    for agent in agents:
        tag = "orgName" if agent.kind == "organisation" else "persName"
        _sub(action, tag, agent.name or "Unknown", ref=_uri(agent.ref))
    if not agents:
        _sub(action, "persName", "Unknown")


def _place(action: etree._Element, place: Place | None) -> None:
    if place is not None and place.name:
        _sub(action, "placeName", place.name, ref=_uri(place.ref))


def _entry(letter: Letter, source: str, options: ExportOptions) -> etree._Element:
    collection = letter.collection
    # The letter's page in the edition it came from, else its page in this archive.
    refs = [link.target for link in letter.links if link.rel == "edition"] + [options.permalink(letter)]
    ref = next((r for r in (_uri(x) for x in refs) if r), None)
    desc = _sub(etree.Element("root"), "correspDesc", ref=ref, source=f"#{source}",
                key=collection.number if collection else None)
    sent = _sub(desc, "correspAction", type="sent")
    _party(sent, ([letter.sender] if letter.sender else []) + letter.co_senders)
    _place(sent, letter.place)
    dating = cmif_date(letter.date)
    if dating:
        _sub(sent, "date", **dating)  # type: ignore[arg-type]
    received = _sub(desc, "correspAction", type="received")
    _party(received, letter.recipients)
    _place(received, letter.destination)
    if options.cmif_v2 and (letter.mentions_persons or letter.mentions_places or letter.language):
        note = _sub(desc, "note")
        for agent in letter.mentions_persons:
            kind = "cmif:mentionsOrganization" if agent.kind == "organisation" else "cmif:mentionsPerson"
            _sub(note, "ref", agent.name, type=kind, target=_uri(agent.ref))
        for place in letter.mentions_places:
            _sub(note, "ref", place.name, type="cmif:mentionsPlace", target=_uri(place.ref))
        if letter.language:
            _sub(note, "ref", letter.language, type="cmif:hasLanguage",
                 target=f"http://id.loc.gov/vocabulary/iso639-1/{letter.language}")
    return desc


def _edition_id(title: str) -> str:
    # An xml:id must begin with a letter: a UUID beginning with a digit gets a letter a-f in its
    # place, so that the id stays a UUID in form (cmif.sch asks for one) and a valid XML name.
    ident = str(uuid.uuid5(_NAMESPACE, title))
    return ident if ident[0] in "abcdef" else "abcdef"[int(ident[0]) % 6] + ident[1:]


def _header(editions: dict[str, str], options: ExportOptions) -> bytes:
    file_desc = etree.Element("fileDesc")
    title_stmt = _sub(file_desc, "titleStmt")
    _sub(title_stmt, "title", options.title)
    _sub(title_stmt, "editor", options.editor)
    publication = _sub(file_desc, "publicationStmt")
    _sub(publication, "publisher", "letterbook")
    # CMIF asks for the URL the file is published at: the archive's, else where it was written.
    _sub(publication, "idno", options.file_url or options.base_url or "urn:letterbook:cmif", type="url")
    from datetime import datetime

    _sub(publication, "date", when=datetime.now(UTC).replace(microsecond=0).isoformat())
    licence = _sub(_sub(publication, "availability"), "licence",
                   "The licence of the letters' metadata is that of the editions named below.")
    licence.set("target", "https://creativecommons.org/publicdomain/zero/1.0/")
    source_desc = _sub(file_desc, "sourceDesc")
    for title, ident in editions.items():
        bibl = _sub(source_desc, "bibl", options.title if title == _DEFAULT_EDITION else title, type="online")
        bibl.set(XML_ID, ident)
    if not editions:  # an empty export still names where it comes from
        _sub(source_desc, "bibl", options.title, type="online").set(XML_ID, _edition_id(_DEFAULT_EDITION))
    return etree.tostring(file_desc, encoding="utf-8", pretty_print=True)


def write_cmif(letters: Iterable[Letter], out: BinaryIO, options: ExportOptions) -> int:
    """Give the number of letters written to ``out`` as one CMIF file, a letter at a time."""
    editions: dict[str, str] = {}
    count = 0
    with tempfile.TemporaryFile() as entries:
        with etree.xmlfile(entries, encoding="utf-8") as xf:
            with xf.element("profileDesc"):
                for letter in letters:
                    title = (letter.collection.title if letter.collection else None) or _DEFAULT_EDITION
                    if title not in editions:
                        if len(editions) >= _BIBL_LIMIT:
                            title = _DEFAULT_EDITION
                        editions.setdefault(title, _edition_id(title))
                    xf.write(_entry(letter, editions[title], options), pretty_print=True)
                    count += 1
                    if count % 2000 == 0:
                        xf.flush()
        out.write(b'<?xml version="1.0" encoding="UTF-8"?>\n')
        out.write(f'<TEI xmlns="{TEI_NS}">\n<teiHeader>\n'.encode())
        out.write(_header(editions, options))
        entries.seek(0)
        shutil.copyfileobj(entries, out, 1 << 20)
        out.write(b"\n</teiHeader>\n<text>\n<body>\n<p/>\n</body>\n</text>\n</TEI>\n")
    return count

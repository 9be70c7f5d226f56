"""Letters -> TEI P5: one ``TEI`` document per letter, streamed into a ``teiCorpus`` file (or a
folder of files, one per letter), that ``letterbook.read`` reads back to the same letter.

Where each part of a letter goes (TEI's own element or attribute wherever TEI has one):

- ``fileDesc/titleStmt/title[@type="main"]``: the title; ``publicationStmt/idno[@type="URI"]``:
  the permalink.
- ``sourceDesc``: ``msDesc/msIdentifier`` holds the archival reference (``idno``) and
  letterbook's id (``altIdentifier type="letterbook"``); ``bibl type="collection"`` the collection
  (``title level="s"``, ``biblScope unit="volume"``, ``idno type="number"``); ``bibl
  type="series"`` the series; ``listBibl type="links"`` the links that are not the
  correspondence's (``ref`` with ``@type`` the rel, ``@target``, ``@cert`` the confidence); with
  ``ExportOptions.raw``, ``bibl type="raw-text"`` the text the letter was read from.
- ``encodingDesc/appInfo/application[@ident="letterbook"]`` says letterbook wrote the file: its
  reader then reads the file exactly as written, inferring nothing (see ``read/own_tei.py``).
- ``profileDesc``: ``langUsage/language/@ident`` the language; ``textClass/keywords`` the kind and
  classification (``term type="kind"``/``"classification"``); ``correspDesc``:
  ``correspAction type="sent"`` (sender and co-senders, ``type="co-sender"``, as
  ``persName``/``orgName`` with ``@ref`` and ``@role``; the place; the date with ``@when`` or
  ``@notBefore``/``@notAfter``, ``@cert`` and ``@calendar``), ``correspAction type="received"``
  (recipients, destination), ``correspContext`` (previous/next in the correspondence and the
  collection, replies) and the persons and places the letter mentions as ``note/ref`` (CMIF v2).
- ``text`` (with ``@xml:lang``): ``front/div type="address"`` (a ``p`` a line), then ``div
  type="letter"`` holding ``opener`` (``dateline``, ``salute``), a ``p`` per paragraph, ``closer``
  (``salute``, ``signed``) and ``postscript`` (a ``p`` per paragraph); the notes in ``back/div
  type="notes"``, each ``note`` with its mark (``@n``) and kind (``@type``).

Where TEI has no place, an attribute in letterbook's namespace (``lb:``, ``LETTERBOOK_NS``) says
it: a name's or a place's written form (``lb:asWritten``), a mentioned person's role
(``lb:role``), a link's evidence (``lb:evidence``), a date value that is not a W3C date
(``lb:when``, ``lb:notBefore``, ``lb:notAfter``), and ``lb:empty="true"`` on an element whose
value is the empty string (an element without text and without it stands for no value).

Text is written as it is: an element whose text has line breaks or spacing that XML tools would
normalise carries ``xml:space="preserve"``, and each line break is also marked ``<lb/>``. The only
thing a TEI file cannot carry is a character XML 1.0 forbids (control characters other than tab,
line feed and carriage return; lone surrogates; U+FFFE, U+FFFF): it is left out.

A teiCorpus keeps one file; a folder (``export_path(..., "out/")``) keeps files that each stay
under the reader's 64 MB limit however large the export, and one letter a file is how most
editions publish.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from ..model import Agent, Letter, Link, Place, When
from . import ExportOptions, xml_text

__all__ = ["LETTERBOOK_NS", "letter_to_tei", "write_tei", "write_tei_folder"]

TEI_NS = "http://www.tei-c.org/ns/1.0"
LETTERBOOK_NS = "urn:letterbook:tei:1"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
NSMAP = {None: TEI_NS, "lb": LETTERBOOK_NS}
_T = f"{{{TEI_NS}}}"
_L = f"{{{LETTERBOOK_NS}}}"
EMPTY = _L + "empty"
AS_WRITTEN = _L + "asWritten"

#: Link rels as ``correspContext/ref/@type``, in the words ``read/tei.py`` reads back.
CONTEXT_TYPES = {
    "prev-in-correspondence": "prev-in-corresp",
    "next-in-correspondence": "next-in-corresp",
    "prev-in-collection": "previous",
    "next-in-collection": "next",
    "reply-to": "replyTo",
    "replied-by": "repliedBy",
}
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*")
# A value TEI's dating attributes can hold (teidata.temporal.w3c); any other goes in lb:.
_W3C_DATE = re.compile(r"-?\d{4,}(-\d\d(-\d\d)?)?|--\d\d(-\d\d)?|---\d\d")
_ATTRIBUTES = {"lang": XML_LANG, "as_written": AS_WRITTEN, "lb_role": _L + "role",
               "lb_evidence": _L + "evidence"}


def _put_text(el: etree._Element, text: str) -> None:
    """Write ``text`` into ``el`` exactly: line breaks kept (and marked ``<lb/>``), spacing kept
    (``xml:space="preserve"``), the empty string marked ``lb:empty``."""
    text = xml_text(text)
    if not text:
        el.set(EMPTY, "true")
        return
    if text != " ".join(text.split()):
        el.set(XML_SPACE, "preserve")
    lines = text.split("\n")
    el.text = lines[0] + ("\n" if len(lines) > 1 else "")
    for number, line in enumerate(lines[1:], 2):
        lb = etree.SubElement(el, _T + "lb")
        lb.tail = line + ("\n" if number < len(lines) else "")


def _el(parent: etree._Element, name: str, text: str | None = None, **attrs: str | None) -> etree._Element:
    """Give a new TEI element under ``parent``: ``text`` written exactly (None: no text), each
    attribute that is not None set."""
    el = etree.SubElement(parent, _T + name)
    for key, value in attrs.items():
        if value is not None:
            el.set(_ATTRIBUTES.get(key, key), xml_text(value))
    if text is not None:
        _put_text(el, text)
    return el


def _agent(parent: etree._Element, agent: Agent, typ: str | None = None) -> None:
    _el(parent, "orgName" if agent.kind == "organisation" else "persName", agent.name, type=typ,
        ref=agent.ref, role=agent.role, as_written=agent.as_written)


def _place(parent: etree._Element, place: Place | None) -> None:
    if place is not None:
        _el(parent, "placeName", place.name, ref=place.ref, as_written=place.as_written)


def date_attributes(when: When) -> dict[str, str | None]:
    """Give the TEI dating attributes of a When: ``when``, ``notBefore``, ``notAfter``, ``cert``,
    and ``calendar`` for a date that is not Gregorian; a value that is not a W3C date goes in
    letterbook's namespace (``{LETTERBOOK_NS}when`` ...)."""
    attrs: dict[str, str | None] = {}
    for name, value in (("when", when.when), ("notBefore", when.not_before), ("notAfter", when.not_after)):
        if value is not None:
            attrs[name if _W3C_DATE.fullmatch(value) else _L + name] = value
    attrs["cert"] = when.certainty
    # TEI's @calendar points at a calendar declared in the header; only a non-Gregorian one needs saying.
    attrs["calendar"] = None if when.calendar == "gregorian" else f"#{when.calendar}"
    return attrs


def _date(parent: etree._Element, when: When) -> None:
    date = _el(parent, "date")
    for name, value in date_attributes(when).items():
        if value is not None:
            date.set(name, xml_text(value))
    if when.as_written is not None:
        _put_text(date, when.as_written)


def _source_desc(desc: etree._Element, letter: Letter, options: ExportOptions) -> None:
    source = _el(desc, "sourceDesc")
    if letter.source.reference is not None or letter.id is not None:
        ident = _el(_el(source, "msDesc"), "msIdentifier")
        if letter.source.reference is not None:
            _el(ident, "idno", letter.source.reference)
        if letter.id is not None:
            _el(_el(ident, "altIdentifier", type="letterbook"), "idno", letter.id)
    collection = letter.collection
    if collection is not None:
        bibl = _el(source, "bibl", type="collection")
        if collection.title is not None:
            _el(bibl, "title", collection.title, level="s")
        if collection.volume is not None:
            _el(bibl, "biblScope", collection.volume, unit="volume")
        if collection.number is not None:
            _el(bibl, "idno", collection.number, type="number")
    if letter.series is not None:
        _el(_el(source, "bibl", type="series"), "title", letter.series, level="s")
    others = [(n, link) for n, link in enumerate(letter.links) if not _in_context(link)]
    if others:
        listed = _el(source, "listBibl", type="links")
        for n, link in others:
            _el(_el(listed, "bibl"), "ref", link.label, n=str(n), type=link.rel, target=link.target,
                cert=None if link.confidence is None else repr(link.confidence), lb_evidence=link.evidence)
    if options.raw and letter.raw_text is not None:
        _el(_el(source, "bibl", type="raw-text"), "quote", letter.raw_text)
    if not len(source):
        _el(source, "p", "Born digital: exported from letterbook.")


def _in_context(link: Link) -> bool:
    # A link to another letter of the correspondence is TEI's correspContext; the rest are sources.
    return link.rel in CONTEXT_TYPES and link.target is not None


def _header(root: etree._Element, letter: Letter, options: ExportOptions) -> None:
    header = _el(root, "teiHeader")
    desc = _el(header, "fileDesc")
    _el(_el(desc, "titleStmt"), "title", letter.title, type="main")
    publication = _el(desc, "publicationStmt")
    _el(publication, "publisher", "letterbook")
    permalink = options.permalink(letter)
    if permalink:
        _el(publication, "idno", permalink, type="URI")
    _source_desc(desc, letter, options)
    _application(header)
    profile = _el(header, "profileDesc")
    if letter.language is not None:
        _el(_el(profile, "langUsage"), "language", ident=letter.language)
    if letter.kind is not None or letter.classification is not None:
        keywords = _el(_el(profile, "textClass"), "keywords")
        if letter.kind is not None:
            _el(keywords, "term", letter.kind, type="kind")
        if letter.classification is not None:
            _el(keywords, "term", letter.classification, type="classification")
    _correspdesc(profile, letter)


@lru_cache(maxsize=1)
def _version() -> str:
    try:
        return metadata.version("letterbook")
    except metadata.PackageNotFoundError:
        return "0"


def _application(header: etree._Element) -> None:
    app = _el(_el(_el(header, "encodingDesc"), "appInfo"), "application", ident="letterbook",
              version=_version())
    _el(app, "label", "letterbook")


def _correspdesc(profile: etree._Element, letter: Letter) -> None:
    corresp = _el(profile, "correspDesc")
    sent = _el(corresp, "correspAction", type="sent")
    if letter.sender is not None:
        _agent(sent, letter.sender)
    for agent in letter.co_senders:
        _agent(sent, agent, "co-sender")
    _place(sent, letter.place)
    if letter.date is not None:
        _date(sent, letter.date)
    received = _el(corresp, "correspAction", type="received")
    for agent in letter.recipients:
        _agent(received, agent)
    _place(received, letter.destination)
    context = [(n, link) for n, link in enumerate(letter.links) if _in_context(link)]
    if context:
        ctx = _el(corresp, "correspContext")
        for n, link in context:
            _el(ctx, "ref", link.label, n=str(n), type=CONTEXT_TYPES[link.rel], target=link.target,
                cert=None if link.confidence is None else repr(link.confidence), lb_evidence=link.evidence)
    if letter.mentions_persons or letter.mentions_places:
        note = _el(corresp, "note")
        for agent in letter.mentions_persons:
            kind = "cmif:mentionsOrganization" if agent.kind == "organisation" else "cmif:mentionsPerson"
            _el(note, "ref", agent.name, type=kind, target=agent.ref, as_written=agent.as_written,
                lb_role=agent.role)
        for place in letter.mentions_places:
            _el(note, "ref", place.name, type="cmif:mentionsPlace", target=place.ref,
                as_written=place.as_written)


def _text(root: etree._Element, letter: Letter) -> None:
    lang = letter.language if letter.language and _LANGUAGE_TAG.fullmatch(letter.language) else None
    text = _el(root, "text", lang=lang)
    if letter.address is not None:
        address = _el(_el(text, "front"), "div", type="address")
        for line in letter.address.split("\n"):
            _el(address, "p", line)
    div = _el(_el(text, "body"), "div", type="letter")
    if letter.dateline is not None or letter.salutation is not None:
        opener = _el(div, "opener")
        if letter.dateline is not None:
            _el(opener, "dateline", letter.dateline)
        if letter.salutation is not None:
            _el(opener, "salute", letter.salutation)
    for paragraph in letter.body:
        _el(div, "p", paragraph)
    if letter.closing is not None or letter.signature is not None:
        closer = _el(div, "closer")
        if letter.closing is not None:
            _el(closer, "salute", letter.closing)
        if letter.signature is not None:
            _el(closer, "signed", letter.signature)
    if letter.postscript is not None:
        postscript = _el(div, "postscript")
        for paragraph in letter.postscript.split("\n\n"):
            _el(postscript, "p", paragraph)
    if letter.notes:
        notes = _el(_el(text, "back"), "div", type="notes")
        for note in letter.notes:
            _el(notes, "note", note.text, n=note.label, type=note.kind)


def letter_to_tei(letter: Letter, options: ExportOptions | None = None) -> etree._Element:
    """Give the ``TEI`` element of one letter."""
    root = etree.Element(_T + "TEI", nsmap=NSMAP)
    _header(root, letter, options or ExportOptions())
    _text(root, letter)
    return root


def write_tei(letters: Iterable[Letter], out: BinaryIO, options: ExportOptions) -> int:
    """Give the number of letters written to ``out`` as one ``teiCorpus``, a letter at a time."""
    count = 0
    with etree.xmlfile(out, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element(_T + "teiCorpus", nsmap=NSMAP):
            corpus = etree.Element(_T + "teiCorpus", nsmap=NSMAP)
            header = _el(corpus, "teiHeader")
            desc = _el(header, "fileDesc")
            _el(_el(desc, "titleStmt"), "title", options.title)
            _el(_el(desc, "publicationStmt"), "publisher", "letterbook")
            _el(_el(desc, "sourceDesc"), "p", "Born digital: exported from letterbook.")
            _application(header)
            xf.write(header, pretty_print=True)
            for letter in letters:
                xf.write(letter_to_tei(letter, options), pretty_print=True)
                count += 1
                if count % 1000 == 0:
                    xf.flush()
    return count


def _file_name(letter: Letter, number: int) -> str:
    name = re.sub(r"[^\w.-]+", "_", letter.id or "").strip("._")
    return f"{name or f'letter-{number:07d}'}.xml"


def write_tei_folder(letters: Iterable[Letter], folder: Path, options: ExportOptions) -> int:
    """Give the number of letters written into ``folder``, one TEI file each, named by id."""
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    for count, letter in enumerate(letters, 1):
        tree = etree.ElementTree(letter_to_tei(letter, options))
        tree.write(str(folder / _file_name(letter, count)), encoding="utf-8", xml_declaration=True,
                   pretty_print=True)
    return count

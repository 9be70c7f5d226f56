"""Letters -> TEI P5: one ``TEI`` document per letter, streamed into a ``teiCorpus`` file (or a
folder of files, one per letter).

Where each part of a letter goes (and where ``letterbook.read.tei`` finds it again):

- ``fileDesc/titleStmt/title[@type="main"]``: the title; ``seriesStmt``: the collection's title
  and volume (``idno type="volume"``); ``publicationStmt/idno``: the letter's number in it and its
  permalink (``idno type="URI"``); ``sourceDesc/msDesc/msIdentifier``: the archival reference
  (``idno``) and letterbook's id (``altIdentifier type="letterbook"``).
- ``profileDesc/correspDesc``: ``correspAction type="sent"`` (sender and co-senders as
  ``persName``/``orgName`` with ``@ref``, the place, the date with ``@when`` or ``@notBefore``/
  ``@notAfter`` and ``@cert``), ``correspAction type="received"`` (recipients, destination),
  ``correspContext`` (previous/next in the correspondence and the collection, replies), and the
  persons and places the letter mentions as ``note/ref`` (CMIF v2 style).
- ``text`` (with ``@xml:lang``): ``div type="letter"`` holding ``opener`` (``dateline``,
  ``salute``), the paragraphs, ``closer`` (``salute``, ``signed``) and ``postscript``; the address
  as ``front/div type="address"``; the notes as a list, ``back/div type="notes"``, each ``note``
  with its mark (``@n``) and kind (``@type``).

A teiCorpus keeps one file; a folder (``export_path(..., "out/")``) keeps files that each stay
under the reader's 64 MB limit however large the export, and one letter a file is how most
editions publish.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from ..model import Agent, Letter, Place, When
from . import ExportOptions, xml_text

__all__ = ["letter_to_tei", "write_tei", "write_tei_folder"]

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_T = f"{{{TEI_NS}}}"

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


def _el(parent: etree._Element, name: str, text: str | None = None, **attrs: str | None) -> etree._Element:
    el = etree.SubElement(parent, _T + name)
    for key, value in attrs.items():
        if value:
            el.set(XML_LANG if key == "lang" else key, xml_text(value))
    if text:
        el.text = xml_text(text)
    return el


def _agent(parent: etree._Element, agent: Agent) -> None:
    _el(parent, "orgName" if agent.kind == "organisation" else "persName", agent.name, ref=agent.ref)


def _place(parent: etree._Element, place: Place | None) -> None:
    if place is not None:
        _el(parent, "placeName", place.name, ref=place.ref)


def date_attributes(when: When) -> dict[str, str | None]:
    """Give the TEI dating attributes of a When: ``when``, ``notBefore``, ``notAfter``, ``cert``."""
    return {"when": when.when, "notBefore": when.not_before, "notAfter": when.not_after,
            "cert": when.certainty,
            # TEI's @calendar points at a calendar declared in the header; only a non-Gregorian one needs saying.
            "calendar": None if when.calendar == "gregorian" else f"#{when.calendar}"}


def _header(root: etree._Element, letter: Letter, options: ExportOptions) -> None:
    header = _el(root, "teiHeader")
    desc = _el(header, "fileDesc")
    _el(_el(desc, "titleStmt"), "title", letter.title, type="main")
    publication = _el(desc, "publicationStmt")
    _el(publication, "publisher", "letterbook")
    collection = letter.collection
    # The reader takes the first plain idno as the letter's number in its collection.
    if collection is not None and collection.number:
        _el(publication, "idno", collection.number)
    _el(publication, "idno", options.permalink(letter), type="URI")
    if collection is not None and (collection.title or collection.volume):
        series = _el(desc, "seriesStmt")
        _el(series, "title", collection.title)
        if collection.volume:
            _el(series, "idno", collection.volume, type="volume")
        if letter.series:
            _el(series, "title", letter.series, type="sub")
    source = _el(desc, "sourceDesc")
    if letter.source.reference or letter.id:
        ident = _el(_el(source, "msDesc"), "msIdentifier")
        _el(ident, "idno", letter.source.reference)
        if letter.id:
            _el(_el(ident, "altIdentifier", type="letterbook"), "idno", letter.id)
    editions = [link.label for link in letter.links if link.rel == "edition" and link.label and not link.target]
    for label in editions:  # the printed edition a TEI source named
        _el(source, "bibl", label, type="printed")
    if not (letter.source.reference or letter.id or editions):
        _el(source, "p", "Born digital: exported from letterbook.")
    profile = _el(header, "profileDesc")
    if letter.language:
        _el(_el(profile, "langUsage"), "language", ident=letter.language)
    _correspdesc(profile, letter)


def _correspdesc(profile: etree._Element, letter: Letter) -> None:
    corresp = _el(profile, "correspDesc")
    sent = _el(corresp, "correspAction", type="sent")
    for agent in ([letter.sender] if letter.sender else []) + letter.co_senders:
        _agent(sent, agent)
    _place(sent, letter.place)
    if letter.date is not None:
        _el(sent, "date", letter.date.as_written, **date_attributes(letter.date))
    received = _el(corresp, "correspAction", type="received")
    for agent in letter.recipients:
        _agent(received, agent)
    _place(received, letter.destination)
    context = [link for link in letter.links if link.rel in CONTEXT_TYPES and link.target]
    if context:
        ctx = _el(corresp, "correspContext")
        for link in context:
            _el(ctx, "ref", link.label, type=CONTEXT_TYPES[link.rel], target=link.target)
    if letter.mentions_persons or letter.mentions_places:
        note = _el(corresp, "note")
        for agent in letter.mentions_persons:
            kind = "cmif:mentionsOrganization" if agent.kind == "organisation" else "cmif:mentionsPerson"
            _el(note, "ref", agent.name, type=kind, target=agent.ref)
        for place in letter.mentions_places:
            _el(note, "ref", place.name, type="cmif:mentionsPlace", target=place.ref)


def _block(parent: etree._Element, text: str) -> None:
    # A paragraph of lines (a table or a list in the source, read line by line) is written as a
    # list, one item a line, so that the lines stay lines; any other paragraph as a <p>.
    if "\n" not in text:
        _el(parent, "p", text)
        return
    block = _el(parent, "list", type="lines")
    for line in text.split("\n"):
        if line.strip():
            _el(block, "item", line)


def _paragraphs(parent: etree._Element, text: str) -> None:
    for block in re.split(r"\n\s*\n", text):
        if block.strip():
            _block(parent, block.strip())


def _text(root: etree._Element, letter: Letter) -> None:
    lang = letter.language if letter.language and _LANGUAGE_TAG.fullmatch(letter.language) else None
    text = _el(root, "text", lang=lang)
    if letter.address:
        address = _el(_el(text, "front"), "div", type="address")
        for line in letter.address.split("\n"):
            if line.strip():
                _el(address, "p", line.strip())
    div = _el(_el(text, "body"), "div", type="letter")
    if letter.dateline or letter.salutation:
        opener = _el(div, "opener")
        if letter.dateline:
            _el(opener, "dateline", letter.dateline)
        if letter.salutation:
            _el(opener, "salute", letter.salutation)
    for paragraph in letter.body:
        _block(div, paragraph)
    if not letter.body:
        _el(div, "p")  # a div must hold a paragraph; an empty one says the text is not given
    if letter.closing or letter.signature:
        closer = _el(div, "closer")
        if letter.closing:
            _el(closer, "salute", letter.closing)
        if letter.signature:
            _el(closer, "signed", letter.signature)
    if letter.postscript:
        _paragraphs(_el(div, "postscript"), letter.postscript)
    if letter.notes:
        back = _el(text, "back")
        notes = _el(back, "div", type="notes")
        for note in letter.notes:
            if note.kind in ("annotation", "enclosure") and "\n" in note.text and not note.label:
                # An enclosure or annotation of several paragraphs is a division of its own.
                _paragraphs(_el(back, "div", type=note.kind), note.text)
            else:
                _el(notes, "note", note.text, n=note.label, type=note.kind)


def letter_to_tei(letter: Letter, options: ExportOptions | None = None) -> etree._Element:
    """Give the ``TEI`` element of one letter."""
    root = etree.Element(_T + "TEI", nsmap={None: TEI_NS})
    _header(root, letter, options or ExportOptions())
    _text(root, letter)
    return root


def write_tei(letters: Iterable[Letter], out: BinaryIO, options: ExportOptions) -> int:
    """Give the number of letters written to ``out`` as one ``teiCorpus``, a letter at a time."""
    count = 0
    with etree.xmlfile(out, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element(_T + "teiCorpus", nsmap={None: TEI_NS}):
            corpus = etree.Element(_T + "teiCorpus", nsmap={None: TEI_NS})
            header = _el(corpus, "teiHeader")
            desc = _el(header, "fileDesc")
            _el(_el(desc, "titleStmt"), "title", options.title)
            _el(_el(desc, "publicationStmt"), "publisher", "letterbook")
            _el(_el(desc, "sourceDesc"), "p", "Born digital: exported from letterbook.")
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

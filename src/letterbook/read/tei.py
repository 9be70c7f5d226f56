"""TEI P5 files -> letters: one letter per file, one per ``div type="letter"`` of an anthology,
or, for a CMIF index (correspDesc only, no letter text), one per correspDesc (see cmif.py).

Who wrote to whom comes from ``correspDesc`` (``correspAction`` sent/received, or the older
``sending``/``receiving``); without one, from the heading (``titleStmt/title`` or the letter's
``head``) read by ``parse_heading``. The text is read into salutation, body, closing, signature,
dateline, postscript and notes, from TEI's own elements (``opener``, ``closer``, ``salute``,
``signed``, ``dateline``, ``postscript``, ``note``) and from ``div``s typed the same way.

A file letterbook's exporter wrote (``application ident="letterbook"`` in its ``appInfo``) is read
exactly as written by ``own_tei.py``: none of the interpretation below applies to it.

XML is parsed without resolving entities, loading DTDs or touching the network, so a hostile file
(an entity bomb, an external entity) is refused or read inertly, never expanded.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from lxml import etree

from ..errors import UnreadableFile
from ..model import Agent, Certainty, Collection, Letter, Link, Note, Place, Source, When
from ..parse.dates import MONTHS, WEEKDAYS, day_interval, from_bounds, parse_date
from ..parse.heading import Heading, parse_heading
from ..parse.language import detect_language
from .document import Document, decode_text

if TYPE_CHECKING:
    from .cmif import Parties

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

Element = etree._Element

__all__ = ["Tei", "date_of", "language_code", "local", "parse_xml", "read_tei", "span_of", "text_of"]


# ---------------------------------------------------------------- parsing


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                           remove_comments=True)


def _why(exc: etree.XMLSyntaxError) -> str:
    message = (exc.msg or str(exc)).strip()
    if "amplification" in message or "entity reference loop" in message.lower():
        return ("broken XML: its entity declarations would expand without bound "
                f"(an entity bomb), refused ({message})")
    if "line" not in message and exc.lineno:
        message = f"{message}, line {exc.lineno}"
    return f"broken XML: {message}"


def parse_xml(doc: Document) -> Element:
    """Give the root element of an XML file; raise ``UnreadableFile`` saying why it is broken."""
    data = doc.bytes()
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        message = (exc.msg or "").lower()
        if "encoding" not in message and "utf-8" not in message:
            raise UnreadableFile(doc.display, _why(exc)) from None
        # A legacy file in Windows-1252 without an encoding declaration: decode it as the text
        # readers do, then parse the text.
        text = re.sub(r"^\s*<\?xml[^>]*\?>", "", decode_text(data, doc.display))
        try:
            root = etree.fromstring(text.encode("utf-8"), _parser())
        except etree.XMLSyntaxError as again:
            raise UnreadableFile(doc.display, _why(again)) from None
    if root is None:
        raise UnreadableFile(doc.display, "broken XML: no root element")
    return root


# ---------------------------------------------------------------- paths in the file's namespace


def local(el: Element) -> str:
    """Give an element's name without its namespace ("" for comments and entities)."""
    tag = el.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


@lru_cache(maxsize=512)
def _qualified(path: str, ns: str) -> str:
    if not ns:
        return path
    steps = []
    for step in path.split("/"):
        match = re.match(r"([A-Za-z_][\w.-]*)(.*)$", step)
        steps.append(f"{{{ns}}}{match.group(1)}{match.group(2)}" if match else step)
    return "/".join(steps)


@dataclass(frozen=True)
class Tei:
    """Element paths in the file's own namespace: TEI P5 has one, some older files have none."""

    ns: str

    @classmethod
    def of(cls, el: Element) -> Tei:
        return cls(etree.QName(el).namespace or "")

    def tag(self, name: str) -> str:
        return f"{{{self.ns}}}{name}" if self.ns else name

    def find(self, el: Element | None, path: str) -> Element | None:
        return None if el is None else el.find(_qualified(path, self.ns))

    def findall(self, el: Element | None, path: str) -> list[Element]:
        return [] if el is None else el.findall(_qualified(path, self.ns))

    def text(self, el: Element | None, path: str) -> str | None:
        return text_of(self.find(el, path)) or None


# ---------------------------------------------------------------- text

# Elements whose content is not part of the running text: notes are read separately, deletions
# were struck out by the writer, forme work and figures belong to the page, not the letter.
_SILENT = {"note", "del", "fw", "figure", "ptr", "surplus", "metamark", "teiHeader", "facsimile"}
# In <choice>, the writer's own abbreviation is kept (an edition's expansion is often a gloss,
# "resp." -> "respektive / respective"), but an editor's correction or regularisation is taken.
_CHOICE = ("corr", "reg", "abbr", "expan", "orig", "sic", "seg", "unclear", "supplied")
_BREAKS = {"lb", "pb", "cb", "milestone"}
_NAME_PARTS = {"forename", "surname", "addName", "roleName", "nameLink", "genName"}
_JOIN = "\x00"


def _walk(el: Element, out: list[str], skip: Element | None) -> None:
    tag = local(el)
    if el is skip or tag in _SILENT:
        return
    if tag == "ref" and el.get("type") and el.get("type") != "url":
        # A typed ref in running text is the edition's pointer to its commentary; its words are a
        # label ("Erkrankung Eschers"), not the writer's.
        return
    if tag == "choice":
        options = {local(child): child for child in el if isinstance(child.tag, str)}
        chosen = next((options[name] for name in _CHOICE if name in options), None)
        if chosen is not None:
            _walk(chosen, out, skip)
        return
    if tag in _BREAKS:
        out.append(_JOIN if el.get("break") == "no" else " ")
        return
    if tag == "gap":
        out.append(" […] ")
        return
    if tag in ("row", "item", "l"):
        out.append("\n")
    elif tag == "cell":
        out.append(" | ")
    if el.text:
        out.append(el.text)
    spaced = tag in ("persName", "name") and any(local(c) in _NAME_PARTS for c in el)
    for child in el:
        if isinstance(child.tag, str):
            _walk(child, out, skip)
            if spaced:
                out.append(" ")  # <forename>A</forename><surname>B</surname> is "A B"
        if child.tail:
            out.append(child.tail)


def text_of(el: Element | None, *, skip: Element | None = None, lines: bool = False) -> str:
    """Give an element's running text, whitespace collapsed; ``lines`` keeps the line breaks that
    rows, list items and verse lines make."""
    if el is None:
        return ""
    out: list[str] = []
    if el.text:
        out.append(el.text)
    _walk_children(el, out, skip)
    text = re.sub(rf"\s*{_JOIN}\s*", "", "".join(out))
    if lines:
        rows = (_tidy(row).strip(" |") for row in text.split("\n"))
        return "\n".join(row for row in rows if row)
    return _tidy(text.replace("\n", " ")).strip(" |")


def _tidy(text: str) -> str:
    # Markup puts spaces where the page has none: "( Gotthard & Nordostbahn )", "Zeitung ,".
    text = " ".join(text.split())
    text = re.sub(r"([(\[„]) ", r"\1", text)
    return re.sub(r" ([)\]“,.])(?!\w)", r"\1", text)


def _walk_children(el: Element, out: list[str], skip: Element | None) -> None:
    for child in el:
        if isinstance(child.tag, str):
            _walk(child, out, skip)
        if child.tail:
            out.append(child.tail)


# ---------------------------------------------------------------- dates

_CERTAINTIES: tuple[Certainty, ...] = ("high", "medium", "low", "unknown")


def _certainty(el: Element, written: str | None) -> Certainty | None:
    cert = (el.get("cert") or "").lower()
    if cert in _CERTAINTIES:
        return cert  # type: ignore[return-value]
    if written and "?" in written:
        return "low"
    if (el.get("evidence") or "").lower() in ("conjecture", "external") or (written and "[" in written):
        return "medium"
    return None


def _as_written_precision(when: str, written: str | None) -> str | None:
    """Give ``@when`` cut back to the precision its written form has.

    Editions that must put a full day in ``@when`` pad what they do not know: the Escher edition
    writes ``when="1877-02-01"`` for "[Februar 1877?]" and ``when="1000-04-05"`` for "05. April"
    (year unknown). A day 01 (or month 01) that a written date naming its year does not write is
    such padding, and so is a year below 1100 that the text does not write."""
    match = re.fullmatch(r"(\d{4})(?:-(\d\d)(?:-(\d\d))?)?", when.strip())
    if not match or not written:
        return when
    year = int(match.group(1))
    numbers = [int(n) for n in re.findall(r"\d+", written)]
    if year < 1100 and year not in numbers:
        return None
    if year not in numbers:
        return when  # the editor supplied the whole date: believe it
    numbers.remove(year)
    month, day = match.group(2), match.group(3)
    if day == "01" and 1 not in numbers:
        day = None
    elif day and int(day) in numbers:
        numbers.remove(int(day))
    words = {w.lower().rstrip(".") for w in re.findall(r"[^\W\d_]+\.?", written)}
    if month == "01" and not words & MONTHS.keys() and 1 not in numbers:
        month = day = None  # "24. 1865": a day of a month nobody knows says only the year
    return "-".join(part for part in (match.group(1), month, day) if part)


def date_of(el: Element | None) -> When | None:
    """Give the When a TEI ``<date>`` stands for: ``@when`` or the bounds (``@notBefore``,
    ``@notAfter``, ``@from``, ``@to``), its text as written, and ``@cert``; None when it says
    nothing. A date whose text cannot be read is kept as written with certainty "unknown"."""
    if el is None:
        return None
    written = text_of(el) or None
    when = el.get("when") or el.get("when-iso")
    if when:
        when = _as_written_precision(when, written)
    result = from_bounds(
        when=when,
        not_before=el.get("notBefore") or el.get("from") or el.get("notBefore-iso"),
        not_after=el.get("notAfter") or el.get("to") or el.get("notAfter-iso"),
        as_written=written,
        certainty=_certainty(el, written),
    )
    if result is None and written:
        return When(as_written=written, certainty="unknown")
    if result is not None and written and (when or el.get("notBefore") or el.get("from")
                                           or el.get("notAfter") or el.get("to")):
        result.as_written = written  # else parse_date kept the words that make the date
    return result


def span_of(dates: list[When]) -> When | None:
    """Give one When for the dates a letter carries: the date itself, or for a letter written over
    several days ("09. April 1876", "10. April 1876") the interval from the first to the last."""
    dates = [d for d in dates if d.when or d.not_before or d.not_after or d.as_written]
    if len(dates) <= 1:
        return dates[0] if dates else None
    starts = [d.earliest for d in dates if d.earliest]
    ends = [d.not_after or d.when for d in dates if d.not_after or d.when]
    order = {c: i for i, c in enumerate(_CERTAINTIES)}
    return When(None, min(starts) if starts else None, _last_day(max(ends)) if ends else None,
                " – ".join(d.as_written for d in dates if d.as_written) or None,
                max((d.certainty for d in dates), key=order.__getitem__))


def _last_day(iso: str) -> str:
    if len(iso) == 10:
        return iso
    parts = [int(p) for p in iso.split("-")]
    return day_interval(parts[0], parts[1] if len(parts) > 1 else None)[1]


# ---------------------------------------------------------------- who wrote: labels and heading


def _words(name: str) -> set[str]:
    every = set(re.findall(r"\w+", name.casefold()))
    return {w for w in every if len(w) > 1} or every  # "A. Z." is all initials


def same_party(a: Agent, b: Agent) -> bool:
    """Tell whether two names name the same party ("Alfred Escher", "Escher, Alfred")."""
    wa, wb = _words(a.name), _words(b.name)
    return bool(wa and wb) and (wa <= wb or wb <= wa)


def believe_heading(parties: Parties, heading: Heading) -> None:
    """Swap sender and recipients when names told apart only by ``@type`` contradict the heading.

    The Escher edition types the writer ``addressee`` and the receiver ``sender`` in every one of
    its 5,019 files, while its titles ("Oswald Heer an Alfred Escher"), file names and letter texts
    agree with each other; the edition's own words are believed over its labels."""
    if not parties.typed:
        return
    named = heading.sender
    if named is None:
        # A heading the grammar cannot split ("Alfred Escher an alle Sektionen des
        # Zofingervereins"): a heading names the writer first.
        found = [(heading.text.find(a.name), a) for a in parties.senders + parties.recipients]
        found = [(at, a) for at, a in found if at >= 0]
        named = min(found, key=lambda pair: pair[0])[1] if found else None
    if named is None:
        return
    if any(same_party(named, r) for r in parties.recipients) and \
            not any(same_party(named, s) for s in parties.senders):
        parties.senders, parties.recipients = parties.recipients, parties.senders


# ---------------------------------------------------------------- the letter's text

_BLOCKS = {"p", "ab", "lg", "list", "table", "quote", "sp", "listBibl"}
_CONTAINERS = {"div", "div1", "div2", "div3", "body", "front", "back", "floatingText", "group",
               "text", "argument"}
_SKIP_ALWAYS = {"head", "pb", "fw", "milestone", "figure", "cb", "lb", "docTitle", "titlePage",
                "byline", "trailer", "note", "listPerson", "listPlace"}
_DIV_ROLES = {
    "opener": "opener", "closer": "closer", "signature": "signature", "signed": "signature",
    "dateline": "dateline", "postscript": "postscript", "ps": "postscript", "address": "address",
    "attachment": "enclosure", "enclosure": "enclosure", "annotation": "annotation",
    "notes": "skip", "endnotes": "skip", "footnotes": "skip", "commentary": "skip",
}
_TAG_ROLES = {
    "opener": "opener", "closer": "closer", "salute": "salute", "signed": "signature",
    "dateline": "dateline", "postscript": "postscript", "address": "address",
}


@dataclass
class _Parts:
    salutation: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    closing: list[str] = field(default_factory=list)
    signature: list[str] = field(default_factory=list)
    dateline: list[str] = field(default_factory=list)
    postscript: list[str] = field(default_factory=list)
    address: list[str] = field(default_factory=list)
    annotations: list[Note] = field(default_factory=list)
    datelines: list[Element] = field(default_factory=list)

    def put(self, part: str, text: str) -> None:
        if text:
            getattr(self, part).append(text)


def _role(el: Element, area: str) -> str | None:
    tag = local(el)
    if tag == "div" or tag.startswith("div"):
        return _DIV_ROLES.get((el.get("type") or "").lower())
    if tag in ("date", "placeName", "settlement") and area == "opener":
        return "dateline"
    return _TAG_ROLES.get(tag)


def _block_text(el: Element, skip: Element | None = None) -> str:
    return text_of(el, skip=skip, lines=local(el) in ("lg", "list", "table", "sp"))


def _leading_date(block: Element) -> Element | None:
    """Give the ``<date>`` a paragraph opens with, before any words: the letter's dateline."""
    found = _first_date(block)
    return found if isinstance(found, etree._Element) else None


def _first_date(el: Element) -> Element | bool | None:
    # The date element when it comes first, False when words come first, None when neither.
    if el.text and el.text.strip():
        return False
    for child in el:
        if isinstance(child.tag, str) and local(child) == "date":
            return child
        if isinstance(child.tag, str) and local(child) not in _SILENT:
            found = _first_date(child)
            if found is not None:
                return found
        if child.tail and child.tail.strip():
            return False
    return None


def _read_area(el: Element, area: str, parts: _Parts) -> None:
    """Sort a container's children into the letter's parts; ``area`` is where they stand."""
    if area in ("opener", "closer"):
        parts.put("salutation" if area == "opener" else "closing", _loose_text(el))
    for child in el:
        if not isinstance(child.tag, str):
            continue
        tag = local(child)
        role = _role(child, area)
        if role == "skip" or (role is None and tag in _SKIP_ALWAYS):
            continue
        if role in ("opener", "closer"):
            _read_area(child, "address" if role == "opener" and area == "back" else role, parts)
        elif role == "salute":
            parts.put("closing" if area == "closer" or parts.body else "salutation", text_of(child))
        elif role in ("signature", "dateline", "address"):
            texts = [_block_text(b) for b in _blocks(child)] or [text_of(child)]
            parts.put(role, " ".join(t for t in texts if t) if role != "address" else "\n".join(texts))
            if role == "dateline":
                parts.datelines.append(child)
        elif role == "postscript":
            parts.put("postscript", "\n\n".join(_block_text(b) for b in _blocks(child)) or text_of(child))
        elif role in ("enclosure", "annotation"):
            text = "\n\n".join(_block_text(b) for b in _blocks(child)) or text_of(child)
            if text:
                parts.annotations.append(Note(text=text, kind=role))
        elif tag in _BLOCKS:
            target = {"body": "body", "opener": "salutation", "closer": "closing",
                      "address": "address"}.get(area)
            if target is None:
                continue  # front and back matter that is not part of the letter
            skip = None
            if target == "body" and not parts.body and not parts.dateline:
                skip = _leading_date(child)
                if skip is not None:
                    parts.put("dateline", text_of(skip))
                    parts.datelines.append(skip)
            parts.put(target, _block_text(child, skip))
        elif tag in _CONTAINERS:
            _read_area(child, area if area != "text" else tag, parts)


def _blocks(el: Element) -> list[Element]:
    """Give the outermost paragraphs (p, ab, lg, list, table ...) inside an element."""
    found: list[Element] = []
    for child in el:
        if not isinstance(child.tag, str) or local(child) in _SILENT:
            continue
        found.extend([child] if local(child) in _BLOCKS else _blocks(child))
    return found


def _loose_text(el: Element) -> str:
    """Give the text an opener or closer holds outside its salute, signed, dateline and blocks."""
    out: list[str] = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and local(child) not in _TAG_ROLES and \
                local(child) not in _BLOCKS and local(child) not in _CONTAINERS and \
                local(child) not in ("date", "placeName", "settlement"):
            _walk(child, out, None)
        if child.tail:
            out.append(child.tail)
    return " ".join("".join(out).replace(_JOIN, "").split())


def _notes(scope: Element, by_id: dict[str, Element]) -> list[Note]:
    """Give the notes within a letter and those its pointers (``ptr``/``ref target="#id"``) reach."""
    notes: list[Note] = []
    seen: set[int] = set()

    def add(note: Element, label: str | None) -> None:
        if id(note) in seen:
            return
        seen.add(id(note))
        text = text_of(note)
        if text:
            notes.append(Note(text=text, label=note.get("n") or label,
                              kind=(note.get("type") or "footnote")))

    for el in scope.iter():
        tag = local(el)
        if tag == "note" and not any(local(a) == "note" for a in el.iterancestors()):
            add(el, None)
        elif tag in ("ptr", "ref") and (el.get("target") or "").startswith("#"):
            note = by_id.get(el.get("target", "")[1:])
            if note is not None:
                add(note, el.get("n"))
    return notes


_TIME_WORDS = re.compile(
    rf"\b(?:{WEEKDAYS})s?\b\.?|\b(?:morning|afternoon|evening|night|noon|midnight|abends?|morgens?|"
    r"nachmittags?|vormittags?|mittags?|nachts?|matin|soir|après-midi)\b\.?",
    re.IGNORECASE,
)


def _dateline_place(tei: Tei, datelines: list[Element]) -> Place | None:
    """Give the place a dateline names (placeName, settlement or name), without the weekday and
    time of day that datelines run into ("Burlington Tuesday Morning" -> Burlington)."""
    for dateline in datelines:
        for el in dateline.iter():
            if local(el) not in ("placeName", "settlement", "name") or \
                    any(local(a) in ("note", "date") for a in el.iterancestors()):
                continue
            written = text_of(el)
            name = _TIME_WORDS.sub(" ", written)
            name = re.sub(r"\s*,(\s*,)+", ",", " ".join(name.split())).strip(" ,;")
            if name:
                return Place(name=name, as_written=written, ref=(el.get("ref") or "").split()[0]
                             if el.get("ref") else None)
    return None


# ---------------------------------------------------------------- the header

_LANGS = {"eng": "en", "fra": "fr", "fre": "fr", "deu": "de", "ger": "de", "ita": "it", "lat": "la",
          "spa": "es", "nld": "nl", "dut": "nl", "por": "pt", "rus": "ru", "pol": "pl", "ces": "cs",
          "cze": "cs", "dan": "da", "swe": "sv", "nor": "no", "hun": "hu", "grc": "grc", "heb": "he"}
_LINK_RELS = {
    "previous": "prev-in-collection", "next": "next-in-collection",
    "prev": "prev-in-correspondence", "previous-in-corresp": "prev-in-correspondence",
    "prev-in-corresp": "prev-in-correspondence", "next-in-corresp": "next-in-correspondence",
    "replyto": "reply-to", "reply-to": "reply-to", "isreplyto": "reply-to",
    "answeredby": "replied-by", "replied-by": "replied-by", "repliedby": "replied-by",
}


def language_code(value: str | None) -> str | None:
    """Give a language tag as a two-letter code where one exists ("eng" -> "en")."""
    if not value or not value.strip():
        return None
    code = value.strip().replace("_", "-")
    return _LANGS.get(code.lower(), code)


@dataclass
class _Header:
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    edition: str | None = None
    volume: str | None = None
    number: str | None = None
    reference: str | None = None
    language: str | None = None
    date: When | None = None
    links: list[Link] = field(default_factory=list)


def _read_header(tei: Tei, root: Element) -> _Header:
    header = tei.find(root, "teiHeader")
    head = _Header()
    stmt = tei.find(header, "fileDesc/titleStmt")
    titles = tei.findall(stmt, "title")
    main = next((t for t in titles if t.get("type") == "main"), titles[0] if titles else None)
    head.title = text_of(main) or None
    head.authors = [a for a in (text_of(x) for x in tei.findall(stmt, "author")) if a]
    publication = tei.find(header, "fileDesc/publicationStmt")
    series = tei.find(header, "fileDesc/seriesStmt")
    # The edition a letter belongs to: its series, else what the publication statement names
    # ("Digitale Briefedition Alfred Escher, Zürich: Alfred Escher-Stiftung.").
    edition = tei.text(series, "title")
    if not edition:
        statement = tei.text(publication, "p")
        if statement:
            edition = re.sub(r",\s*[^,:]+:\s*[^,]+$", "", statement).rstrip(". ") or None
    head.edition = edition
    for idno in tei.findall(series, "idno"):
        if (idno.get("type") or "").lower() in ("vol", "volume"):
            head.volume = text_of(idno) or None
    head.number = root.get(XML_ID)
    if not head.number:
        for idno in tei.findall(publication, "idno"):
            if (idno.get("type") or "").lower() not in ("url", "uri", "edition", "doi", "isbn", "issn") \
                    and text_of(idno):
                head.number = text_of(idno)
                break
    head.reference = _reference(tei, header)
    usage = tei.find(header, "profileDesc/langUsage/language")
    head.language = language_code(usage.get("ident") if usage is not None else None)
    bibl = tei.find(header, "fileDesc/sourceDesc/bibl")
    head.date = date_of(tei.find(bibl, "date"))
    for bibl in tei.findall(header, "fileDesc/sourceDesc/bibl"):
        if (bibl.get("type") or "").lower() in ("printed", "print", "edition") and text_of(bibl):
            head.links.append(Link(rel="edition", label=text_of(bibl)))
    for ref in tei.findall(header, "profileDesc/correspDesc/correspContext/ref"):
        rel = _LINK_RELS.get((ref.get("type") or "").lower())
        if rel and ref.get("target"):
            head.links.append(Link(rel=rel, target=ref.get("target"), label=text_of(ref) or None))
    return head


def _reference(tei: Tei, header: Element | None) -> str | None:
    """Give the archival reference: the manuscript's institution and shelfmarks, else the one
    holding library a source bibl names."""
    ident = tei.find(header, "fileDesc/sourceDesc/msDesc/msIdentifier")
    if ident is not None:
        parts = [text_of(el) for el in ident if local(el) in
                 ("settlement", "institution", "repository", "collection", "idno")]
        return ", ".join(p for p in parts if p) or None
    bibls = tei.findall(header, "fileDesc/sourceDesc/bibl")
    if len(bibls) == 1:
        holders = [text_of(el) for el in bibls[0] if local(el) in ("orgName", "repository", "idno")]
        if len([el for el in bibls[0] if local(el) == "orgName"]) == 1:
            return ", ".join(h for h in holders if h) or None
    return None


def _language(*els: Element | None) -> str | None:
    for el in els:
        if el is not None and el.get(XML_LANG):
            return language_code(el.get(XML_LANG))
    return None


# ---------------------------------------------------------------- assembling letters


def _has_words(el: Element | None) -> bool:
    return el is not None and any(re.search(r"\w", t) for t in el.itertext())


def _without_date(title: str, date: When | None) -> str:
    """Give a title without the letter's date at its end when the edition gives that date too
    ("... to Louisa Van Velsor Whitman [September 25–30, 1852]" and ``<date>`` "[September 25–30,
    1852]"): the heading grammar then need not tell an editor's bracketed date from a name."""
    written = date.as_written if date else None
    if not written:
        return title
    wanted = [w.casefold() for w in re.findall(r"\w+", written)]
    found = list(re.finditer(r"\w+", title))
    if not wanted or len(found) <= len(wanted) + 2:
        return title
    tail = found[-len(wanted):]
    if [m.group().casefold() for m in tail] != wanted:
        return title
    return title[: tail[0].start()].rstrip(" ,;[(")


def _letter_divs(tei: Tei, text: Element | None) -> list[Element]:
    if text is None:
        return []
    found: list[Element] = []
    for div in text.iter(tei.tag("div")):
        if (div.get("type") or "").lower() in ("letter", "brief", "lettre") and \
                not any(d in found for d in div.iterancestors(tei.tag("div"))):
            found.append(div)
    return found


def _build(doc: Document, part: int, *, title: str | None, parties: Parties | None,
           heading: Heading | None, scope: Element, tei: Tei, header: _Header,
           notes_by_id: dict[str, Element], language: str | None,
           collection: Collection | None, edition_date: When | None = None) -> Letter:
    """Give one letter: parties from the correspDesc, else from the heading (and the file's one
    author); the date from the correspDesc, else the edition's date for it (``edition_date``),
    the dateline, the heading; the place from the correspDesc, else the dateline, the heading."""
    parts = _Parts()
    for child in scope:
        if isinstance(child.tag, str) and local(child) in ("front", "body", "back"):
            _read_area(child, local(child), parts)
    if not any(isinstance(c.tag, str) and local(c) in ("front", "body", "back") for c in scope):
        _read_area(scope, "body", parts)
    sender: Agent | None = None
    co_senders: list[Agent] = []
    recipients: list[Agent] = []
    date = place = destination = None
    if parties is not None:
        if parties.senders:
            sender, co_senders = parties.senders[0], parties.senders[1:]
        recipients = parties.recipients
        date, place, destination = parties.date, parties.place, parties.destination
    if heading is not None and sender is None:
        sender, co_senders = heading.sender, list(heading.co_senders)
    if heading is not None and not recipients:
        recipients = list(heading.recipients)
    if sender is None and len(header.authors) == 1 and parties is None:
        sender = Agent(name=header.authors[0], as_written=header.authors[0])
    date = date or edition_date
    if date is None and parts.datelines:
        date = span_of([d for d in (_dateline_date(tei, el) for el in parts.datelines) if d])
    if date is None and heading is not None:
        date = heading.date
    if parties is None:  # a correspDesc without a place means the editor knows none ("s.l.")
        place = _dateline_place(tei, parts.datelines) or (heading.place if heading else None)
    return Letter(
        source=Source(path=doc.display, part=part, format=doc.format or "tei", sha256=doc.sha256,
                      reference=header.reference),
        title=title, sender=sender, co_senders=co_senders, recipients=recipients, date=date,
        place=place, destination=destination, collection=collection,
        salutation=" ".join(parts.salutation) or None, body=parts.body,
        closing=" ".join(parts.closing) or None, signature=" ".join(parts.signature) or None,
        dateline=" ".join(parts.dateline) or None, postscript="\n\n".join(parts.postscript) or None,
        address="\n".join(parts.address) or None,
        notes=_notes(scope, notes_by_id) + parts.annotations,
        links=list(header.links), kind="letter",
        # An edition that does not say its letters' language: told by their words, as for plain text.
        language=language or detect_language(" ".join(parts.body)),
    )


def _dateline_date(tei: Tei, dateline: Element) -> When | None:
    if local(dateline) == "date":
        return date_of(dateline)
    found = [date_of(d) for d in dateline.iter(tei.tag("date"))]
    dates = [d for d in found if d]
    if dates:
        return span_of(dates)
    return parse_date(text_of(dateline))


def _documents(root: Element) -> Iterable[Element]:
    """Give the TEI documents a file holds: itself, or each TEI of a teiCorpus."""
    if local(root) == "teiCorpus":
        for child in root:
            if isinstance(child.tag, str):
                yield from _documents(child)
    elif local(root) == "TEI":
        yield root


def is_cmif(root: Element) -> bool:
    """Tell a CMIF index (letters only as ``correspDesc``, no letter text) from an edition."""
    tei = Tei.of(root)
    descs = list(root.iter(tei.tag("correspDesc")))
    if not descs:
        return False
    texts = list(root.iter(tei.tag("text")))
    if not any(_has_words(t) for t in texts):
        return True
    return len(descs) > 1 and not any(_letter_divs(tei, t) for t in texts)


def read_tei(doc: Document) -> Iterator[Letter]:
    """Give the letters of a TEI file, in document order; a CMIF index is handed to cmif.py."""
    root = parse_xml(doc)
    if local(root) not in ("TEI", "teiCorpus"):
        raise UnreadableFile(doc.display, f"XML, but not TEI (its root element is <{local(root)}>)")
    from .own_tei import read_own_tei, written_by_letterbook

    if not written_by_letterbook(root) and is_cmif(root):
        from .cmif import letters_from_cmif  # cmif.py builds on this module

        yield from letters_from_cmif(root, doc)
        return
    part = 0
    for document in _documents(root):
        # What letterbook wrote is read exactly; an edition's TEI is interpreted.
        reader = read_own_tei if written_by_letterbook(document) else _read_document
        for letter in reader(doc, document, part):
            yield letter
            part += 1


def _read_document(doc: Document, root: Element, first_part: int) -> Iterator[Letter]:
    from .cmif import read_correspdesc  # cmif.py builds on this module

    tei = Tei.of(root)
    header = _read_header(tei, root)
    text = tei.find(root, "text")
    if text is None:
        return
    notes_by_id = {n.get(XML_ID, ""): n for n in root.iter(tei.tag("note")) if n.get(XML_ID)}
    descs = tei.findall(root, "teiHeader/profileDesc/correspDesc")
    divs = _letter_divs(tei, text)
    if len(divs) > 1 or (divs and not descs):
        for index, div in enumerate(divs):
            head = text_of(tei.find(div, "head")) or None
            heading = parse_heading(head) if head else None
            parties = read_correspdesc(descs[index]) if len(descs) == len(divs) else None
            if parties and heading:
                believe_heading(parties, heading)
            number = div.get("n") or (heading.collection.number if heading and heading.collection else None)
            yield _build(doc, first_part + index, title=head, parties=parties, heading=heading,
                         scope=div, tei=tei, header=header, notes_by_id=notes_by_id,
                         language=_language(div, text, root) or header.language,
                         collection=Collection(title=header.title, number=number))
        return
    heading = parse_heading(_without_date(header.title, header.date)) if header.title else None
    parties = read_correspdesc(descs[0]) if descs else None
    if parties is not None and heading is not None:
        believe_heading(parties, heading)
    looks_like_letter = parties is not None or (heading is not None and heading.names_parties) \
        or (text.get("type") or "").lower() == "letter" or bool(divs) or any(
            local(el) in ("opener", "closer", "salute", "signed") for el in text.iter())
    if not looks_like_letter:
        return  # an introduction or an essay: no letter in it
    collection = None
    if header.edition or header.number:
        collection = Collection(title=header.edition, volume=header.volume, number=header.number)
    yield _build(doc, first_part, title=header.title, parties=parties, heading=heading,
                 scope=text, tei=tei, header=header, notes_by_id=notes_by_id,
                 language=_language(divs[0] if divs else None, text, root) or header.language,
                 collection=collection, edition_date=header.date)

"""Web pages of letters: the page's chrome dropped, the letter kept whole and read into its parts.

``boilerplate`` finds the letter region of the page and its blocks; this module finds the page's
statement of who wrote to whom (a heading "X to Y", the ``<title>``, schema.org JSON-LD), the
editorial line of date and place that archives print under such a heading ("28 March 1884 •
Brooklyn, New York"), the navigation links worth keeping (series, notes, archive), and hands the
letter's own blocks to ``parse.letter.read_letter``, which every reader shares.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from ..errors import UnreadableFile
from ..model import Agent, Letter, Link, Note, Place, Source, When
from ..parse.dates import WEEKDAYS, find_dates, parse_date, parse_iso
from ..parse.heading import Heading, parse_heading
from ..parse.letter import read_letter
from ..parse.names import clean, parse_party
from ..parse.parts import classification_of, document_line, is_preamble, is_salutation
from .boilerplate import Anchor, Block, Layout, Page, parse_page, segment
from .document import Document, repair_mojibake

__all__ = ["read_html", "read_html_text"]

#: Separators that archives put between the date and the place of an editorial heading line.
_SEPARATORS = re.compile(r"\s*(?:[•·|¦◆♦▪●]|\s[–—]\s|\s-\s|;)\s*")
#: A line wholly in brackets or parentheses under a heading: the archival source ("(MS: CU-MARK,
#: UCLC 41833)").
_REFERENCE = re.compile(r"^[(\[](?P<ref>[^()\[\]]*(?:[:/]|\b(?:MS|TS|ALS|TLS|copy)\b)[^()\[\]]*)[)\]]$")
#: A heading that names only one side: "To Theo van Gogh", "From Charles Darwin".
_ONE_SIDE = re.compile(r"^(?P<side>(?i:to|from|an|von|à))\s+(?P<who>[A-ZÄÖÜ].+)$")
# "A letter", "Personal and Secret Message", "Telegram": what may stand before "from X to Y".
_LEAD = (r"^(?:(?:a|an|the)\s+)?(?:[\w ,]{0,40}?\b(?:letter|brief|lettre|note|telegram|message|cable|"
         r"cablegram|memorandum|despatch|dispatch|postcard|card)\s+)?")
#: "the Prime Minister, Mr. W. Churchill": an office before the name, which parse_heading reads
#: the other way round ("Mr. W. Churchill, the Prime Minister").
_OFFICE_FIRST = re.compile(r"^the\s+(?P<office>[^,]{2,60}),\s*(?P<name>[A-Z].{1,60})$")
_TURNABLE = re.compile(_LEAD + r"(?:from|to)\s", re.IGNORECASE)
_FROM_TO = re.compile(_LEAD + r"from\s+(?P<s>.+?)\s+to\s+(?P<r>.+)$", re.IGNORECASE)
_TO_FROM = re.compile(_LEAD + r"to\s+(?P<r>.+?)\s+from\s+(?P<s>.+)$", re.IGNORECASE)
#: How a title names its site: "Churchill to Curtin | Historical documents", "Site :: Letters".
_TITLE_PARTS = re.compile(r"\s+(?:\||::|–|—|-|»|/)\s+|:\s+")
_NOTE_LABEL = re.compile(r"^\[?(?P<label>\d{1,3}|[*†‡§]{1,3})[\].)]?\s*(?=[^\s\d.,)\]])")
_WORDLESS_LABELS = {"here", "click here", "this", "link", "more", "this page", "hier", "ici", ""}
_NOTES_LINK = re.compile(r"\b(?:notes?|footnotes?|endnotes?|annotations?|anmerkungen|commentary)\b",
                         re.IGNORECASE)
_ARCHIVE_LINK = re.compile(r"\b(?:archives?|archiv|home|homepage|main\s+page|startseite|accueil|"
                           r"library|bibliothek|internet\s+archive|reference\s+archive)\b", re.IGNORECASE)
_SERIES_LINK = re.compile(r"\b(?:continue\s+with|correspondence|letters|series|volume|collection|"
                          r"contents|index|chapter|briefe|briefwechsel|lettres|up)\b", re.IGNORECASE)
_LEAD_VERBS = re.compile(r"^(?:click\s+)?(?:here\s+)?(?:to\s+)?(?:continue\s+with|return\s+to|go\s+back\s+to|"
                         r"go\s+to|back\s+to|up\s+to|read|see|for)\s+(?:the\s+)?", re.IGNORECASE)
# schema.org types that stand for the letter itself; a WebPage's or an Article's dates are the page's.
_LETTER_TYPES = {"message", "emailmessage", "letter", "manuscript", "archivecomponent", "creativework"}


@dataclass
class _Head:
    """What the page says of the letter apart from its text: heading, date, place, reference."""

    text: str | None = None
    parsed: Heading | None = None
    line: str | None = None  # the heading as parse_heading reads it ("From X to Y" said "X to Y")
    date: When | None = None
    place: Place | None = None
    reference: str | None = None
    sender: Agent | None = None
    recipients: list[Agent] = field(default_factory=list)
    destination: Place | None = None
    author: Agent | None = None  # a catalogue's "Author": the writer, when nothing better says so
    elsewhere: dict[str, str] = field(default_factory=dict)  # fields beside the page, gap-fillers


def read_html(doc: Document) -> Iterator[Letter]:
    """Give the letters an HTML page holds: usually one, several when the page stacks headed letters."""
    yield from read_html_text(doc.text(), display=doc.display, sha256=doc.sha256)


def read_html_text(text: str, *, display: str = "<html>", sha256: str | None = None) -> Iterator[Letter]:
    """Give the letters of an HTML text (``read_html`` without a file)."""
    page = parse_page(text)
    joined = "\n".join(b.text for b in page.blocks)
    if "&" in text and repair_mojibake(joined) is not joined:  # unchanged text comes back as is
        # Damage hidden in character references ("&acirc;&#128;&cent;") shows only once parsed.
        for block in page.blocks:
            block.text = repair_mojibake(block.text)
    if page.title:
        page.title = repair_mojibake(page.title)
    layout = segment(page)
    if not any(b.text for b in page.blocks) and page.frames and page.tags.count("frame"):
        raise UnreadableFile(display, "a frameset: the letter is in the pages it frames ("
                             + ", ".join(page.frames[:4]) + "); read those")
    links = _navigation_links(page, layout)
    folder = PurePath(display).parent.name or None
    pieces = _split_letters(layout.letter)
    for part, blocks in enumerate(pieces):
        source = Source(path=display, part=part, format="html", sha256=sha256)
        headings = layout.headings if part == 0 else []
        apparatus = layout.apparatus if part == len(pieces) - 1 else []
        letter = _read_one(page, blocks, headings, apparatus, layout.steering, links, source, folder)
        if letter is not None:
            yield letter


def _read_one(page: Page, blocks: list[Block], headings: list[Block], apparatus: list[Block],
              steering: list[Block], links: list[Link], source: Source,
              folder: str | None) -> Letter | None:
    head, blocks = _find_head(page, headings, blocks)
    blocks = _take_fields(head, blocks, apparatus, page.blocks)
    _take_correspondence(head, page)
    # An <address> element is the page's own word that a block is an address, not a sentence.
    addresses = [b.text for b in blocks if b.tag == "address"]
    texts = _separate_salutation([b.text for b in blocks if b.role != "rule" and b.tag != "address"])
    if not texts and head.text is None:
        return None
    # The page's text as a reader copies it: heading, letter, the lines that steer to the series
    # and the archive (they name the correspondents in full), the editors' notes.
    raw = "\n\n".join(([head.text] if head.text else []) + texts + [b.text for b in steering]
                      + [b.text for b in apparatus])
    # The heading goes to read_letter as the Markdown reader gives its "#" line, even when it names
    # no parties ("War Cabinet Minute"): else the letter's first line would be taken for it.
    heading = head.line or head.text
    letter = read_letter(texts, source, heading=heading, folder=folder, links=links, raw_text=raw)
    if heading is not None and heading != head.text or letter.title is None:
        letter.title = head.text  # the heading as the page words it ("To X from Y, 3 March 1789")
    if addresses:
        letter.address = "\n\n".join([*addresses, *([letter.address] if letter.address else [])])
    _apply_head(letter, head, "\n".join(texts))
    _apply_parts(letter, blocks)
    _apply_structured(letter, page, blocks)
    _fill_gaps(letter, head.elsewhere)
    letter.notes.extend(_notes(apparatus))
    if letter.series is None:
        letter.series = next((link.label for link in letter.links if link.rel == "series"), None)
    if letter.language is None and page.language:
        letter.language = page.language.split("-")[0].lower() or None
    return letter


def _separate_salutation(texts: list[str]) -> list[str]:
    """Give the blocks with a salutation that shares its element with other lines ("Mr. Samuel L.
    Clemens,<br>Dear Sir,") standing alone, as the letter's parts are told apart by blocks."""
    for index, text in enumerate(texts[:6]):
        lines = text.split("\n")
        if len(lines) < 2:
            continue
        for at, line in enumerate(lines):
            if is_salutation(line):
                parts = ["\n".join(lines[:at]), line, "\n".join(lines[at + 1:])]
                return [*texts[:index], *(p for p in parts if p.strip()), *texts[index + 1:]]
    return texts


#: Labels of the fields an edition's record shows beside a letter ("From: Charles Darwin").
_FIELD_LABELS = {
    **dict.fromkeys(("from", "sender", "writer", "written by", "absender", "absenderin", "verfasser",
                     "verfasserin", "expéditeur", "expediteur", "letter from"), "sender"),
    **dict.fromkeys(("to", "recipient", "recipients", "addressee", "addressees", "empfänger",
                     "empfängerin", "adressat", "adressatin", "destinataire", "letter to"), "recipients"),
    **dict.fromkeys(("date", "dated", "date written", "date sent", "datum", "date of letter",
                     "letter date", "written", "written on", "geschrieben"), "date"),
    **dict.fromkeys(("place", "place of writing", "place written", "sent from", "written at",
                     "written from", "origin", "place of origin", "ort", "schreibort", "absendeort",
                     "lieu", "lieu d'écriture"), "place"),
    **dict.fromkeys(("destination", "place of destination", "sent to", "empfangsort", "zielort"),
                    "destination"),
    # A catalogue's "Author" is the writer; on a blog it is whoever posted, so it only fills a gap.
    **dict.fromkeys(("author", "autor", "auteur"), "author"),
}
_FIELD_LINE = re.compile(r"^(?P<label>[^\W\d][\w' /-]{0,28}?)\s*:\s*(?P<value>\S.{0,160})$")


def _field_of(label: str) -> str | None:
    return _FIELD_LABELS.get(" ".join(label.lower().strip(" :").split()))


def _take_correspondence(head: _Head, page: Page) -> None:
    """Read the page's correspAction statements (TEI correspDesc carried into the page) into the
    head where the heading and the record fields left it open."""
    for action in page.correspondence:
        persons = [agent for name in action.persons for agent in parse_party(name)[:1]]
        if action.type in ("sent", "sending", "sender", "sent-by", ""):
            if head.sender is None and persons and (head.parsed is None or head.parsed.sender is None):
                head.sender = persons[0]
            if head.place is None and action.place and _place_like(action.place):
                head.place = Place(name=clean(action.place), as_written=action.place)
            if head.date is None and (action.when or action.date):
                head.date = parse_iso(action.when, as_written=action.date) if action.when else None
                head.date = head.date or (_field_date(action.date) if action.date else None)
        elif action.type in ("received", "receiving", "recipient", "addressee"):
            if not head.recipients and persons and (head.parsed is None or not head.parsed.recipients):
                head.recipients = persons
            if head.destination is None and action.place and _place_like(action.place):
                head.destination = Place(name=clean(action.place), as_written=action.place)


def _field_date(value: str) -> When | None:
    """Give the date a record field states; a year the editors supplied in brackets ("24 November
    [1859]") is read, and makes the date theirs rather than the writer's (medium certainty)."""
    when = parse_date(value)
    if when is None and "[" in value:
        when = parse_date(re.sub(r"[\[\]]", "", value))
        if when is not None:
            when.as_written = value
            when.certainty = "medium" if when.certainty == "high" else when.certainty
    return when


def _take_fields(head: _Head, blocks: list[Block], apparatus: list[Block],
                 every: list[Block]) -> list[Block]:
    """Read the record fields a page shows ("From: ...", "Date: ...", a ``dt``/``dd`` or ``th``/``td``
    pair) into the head where the heading left them open; give the letter blocks without blocks
    that held nothing else."""
    found: dict[str, str] = {}
    elsewhere: dict[str, str] = {}  # fields outside the letter and its apparatus: a sidebar's
    whole: set[int] = set()
    records: list[Block] = []
    pending: str | None = None
    letter_ids = {id(b) for b in blocks}
    near = letter_ids | {id(b) for b in apparatus}
    for block in every:
        if block.role in ("nav", "rule"):
            pending = None
            continue
        fields = found if id(block) in near else elsewhere
        if pending is not None and block.tag in ("dd", "td"):
            fields.setdefault(pending, block.text.split("\n", 1)[0])
            whole.add(id(block))
            pending = None
            continue
        pending = None
        lines = block.text.split("\n")
        if block.tag in ("dt", "th") and len(lines) == 1 and _field_of(lines[0]):
            pending = _field_of(lines[0])
            whole.add(id(block))
            continue
        matched = 0
        for line in lines:
            match = _FIELD_LINE.match(line)
            field_name = _field_of(match.group("label")) if match else None
            if match and field_name:
                fields.setdefault(field_name, match.group("value").strip())
                matched += 1
        if matched and matched == len(lines) and (id(block) not in letter_ids or matched > 1):
            whole.add(id(block))
        elif id(block) in letter_ids and len(lines) >= 2 and all(_FIELD_LINE.match(x) for x in lines):
            # "Source: ... / Transcription: ... / Online Version: ...": an edition's record
            records.append(block)
            whole.add(id(block))
    apparatus[:0] = records
    head.elsewhere = elsewhere
    if not found:
        return [b for b in blocks if id(b) not in whole]
    parsed_date = _field_date(found["date"]) if "date" in found else None
    if head.date is None and parsed_date is not None:
        head.date = parsed_date
    if head.place is None and "place" in found and _place_like(found["place"]):
        head.place = Place(name=clean(found["place"]), as_written=found["place"])
    if "sender" in found:
        agents = parse_party(found["sender"])
        head.sender = agents[0] if agents and len(found["sender"]) <= 80 else None
    if "recipients" in found and len(found["recipients"]) <= 120:
        head.recipients = parse_party(found["recipients"])
    if "destination" in found and _place_like(found["destination"]):
        head.destination = Place(name=clean(found["destination"]), as_written=found["destination"])
    if "author" in found and len(found["author"]) <= 80:
        agents = parse_party(found["author"])
        head.author = agents[0] if agents else None
    return [b for b in blocks if id(b) not in whole]


# -- the heading ---------------------------------------------------------------------------------

def _parties(text: str) -> Heading | None:
    """Give the heading a line reads as, when it names a sender or recipients.

    ``Heading.text`` is the line as ``parse_heading`` reads it, or None when only the reading
    here of a one-sided heading ("To Theo van Gogh ...") names a party."""
    line = " ".join(text.split())
    if not line or len(line) > 250:
        return None
    if _TURNABLE.match(line):
        dates = find_dates(line)
        core, tail = line, ""
        if dates and len(line) - dates[-1].end <= 2:
            core, tail = line[: dates[-1].start].rstrip(" ,;"), line[dates[-1].start:]
        turned = _FROM_TO.match(core) or _TO_FROM.match(core)
        if turned:
            # "From Alexander Hamilton to George Washington", "To X from Y": said the usual way round.
            recipient = turned.group("r").strip(" ,")
            office = _OFFICE_FIRST.match(recipient)
            if office:
                recipient = f"{office.group('name')}, the {office.group('office')}"
            line = f"{turned.group('s').strip(' ,')} to {recipient}"
            line = f"{line}, {tail}" if tail else line
    parsed = parse_heading(line)
    if parsed.names_parties:
        return parsed
    one = _ONE_SIDE.match(line)
    if one is None:
        return None
    parsed = Heading(text="")
    # "To Theo van Gogh. Etten, Friday, 16 September 1881": the site names only the other side.
    who = one.group("who")
    dates = find_dates(who)
    if dates:
        parsed.date = dates[-1].when
        who = who[: dates[-1].start]
    pieces = [p.strip() for p in re.split(r"[,;]\s+|\.\s+(?=[A-ZÄÖÜ])", who.strip(" ,.;")) if p.strip()]
    if not pieces or len(pieces[0].split()) > 6:
        return None
    agents = parse_party(pieces[0])
    if not agents:
        return None
    if one.group("side").lower() in ("to", "an", "à"):
        parsed.recipients = agents
    else:
        parsed.sender = agents[0]
    if len(pieces) > 1 and _place_like(pieces[1]) and parsed.place is None:
        parsed.place = Place(name=clean(pieces[1]), as_written=pieces[1])
    return parsed


def _find_head(page: Page, headings: list[Block], blocks: list[Block]) -> tuple[_Head, list[Block]]:
    """Give the page's heading for the letter and the letter blocks without it.

    The heading is the first of: a heading element above the letter region naming the parties, one
    at the top of the region (or the region's first line, when it reads as a heading), a part of the
    page ``<title>`` that names them. Lines under it in the same element (an editorial "date •
    place" line, the manuscript's reference) belong to it, not to the letter.
    """
    head = _Head()
    blocks = list(blocks)
    for block in headings:
        first = block.text.split("\n", 1)[0]
        parsed = _parties(first)
        if parsed:
            head.text, head.parsed, head.line = " ".join(first.split()), parsed, parsed.text or None
            _editorial_lines(head, block.text.split("\n")[1:], block.when)
            _take_following(head, blocks, block.node, first_only=True)
            return head, blocks
    opening = next((i for i, b in enumerate(blocks) if b.role != "rule"), -1)
    for index, block in enumerate(blocks[:6]):
        if block.role == "rule" or not block.heading and index != opening:
            continue
        first = block.text.split("\n", 1)[0]
        if not block.heading and (is_salutation(first) or is_preamble(first) or classification_of(first)):
            continue
        parsed = _parties(first)
        if parsed is None or not block.heading and not _heading_like(first, parsed):
            continue
        head.text, head.parsed, head.line = " ".join(first.split()), parsed, parsed.text or None
        del blocks[index]
        while index and (blocks[0].heading or blocks[0].role == "rule"):
            del blocks[0]  # a kicker or author line above the heading ("J. V. Stalin")
            index -= 1
        leftover = _editorial_lines(head, block.text.split("\n")[1:], block.when)
        if leftover:
            blocks.insert(index, Block("\n".join(leftover), block.node, block.tag, role="letter"))
        _take_following(head, blocks, block.node, first_only=False, at=index)
        return head, blocks
    # Headings at the top of the region that name no parties title the letter; they are not its text.
    leading: list[Block] = []
    while blocks and (blocks[0].heading or blocks[0].role == "rule") and len(leading) < 4:
        leading.append(blocks.pop(0))
    titled = [b for b in leading if b.heading] or [b for b in headings if b.heading]
    titles = [b.text for b in page.blocks if b.tag == "tei-title"][:3]  # a TEI header's own title
    for candidate in titles + list(_title_candidates(page)):
        parsed = _parties(candidate)
        if parsed:
            head.text, head.parsed, head.line = candidate, parsed, parsed.text or None
            return head, blocks
    if titled:
        head.text = " ".join(titled[-1].text.split())
    return head, blocks


def _heading_like(first: str, parsed: Heading) -> bool:
    """Tell whether a first line outside a heading element is a heading, not a sentence."""
    words = first.split()
    if len(words) > 16 or first.rstrip().endswith((".", ",", ":", ";")) and not first.endswith(".)"):
        return bool(parsed.date) and len(words) <= 24
    return True


def _take_following(head: _Head, blocks: list[Block], node: int, *, first_only: bool, at: int = 0) -> None:
    """Take the lines after the heading that belong to it: further blocks of the heading's own
    element, and an editorial "date • place" line right under it."""
    while at < len(blocks):
        block = blocks[at]
        same = block.node == node and not first_only
        lines = block.text.split("\n")
        if same:
            leftover = _editorial_lines(head, lines, block.when)
            del blocks[at]
            if leftover:
                blocks.insert(at, Block("\n".join(leftover), block.node, block.tag, role="letter"))
                return
            continue
        separated = len(lines) == 1 and len([p for p in _SEPARATORS.split(lines[0]) if p.strip()]) == 2
        found = _date_place_line(lines[0]) if head.date is None and separated else None
        if found is not None and found[1] is not None:
            # Only "date • place" with the separator is the editors'; "Boston, 3 May 1850" is the
            # letter's own dateline, left to read_letter.
            _editorial_lines(head, lines, block.when)
            del blocks[at]
        return


def _date_place_line(line: str) -> tuple[When, str | None] | None:
    """Give the date and place of an editorial line "28 March 1884 • Brooklyn, New York" (or the
    place first); None for anything else, a letter's own dateline included."""
    text = " ".join(line.split())
    if len(text) > 120:
        return None
    parts = [p for p in _SEPARATORS.split(text) if p.strip()]
    if not 1 <= len(parts) <= 3:
        return None
    when = None
    place = None
    for part in parts:
        dates = find_dates(part)
        if dates and when is None:
            when = dates[0].when
            rest = (part[: dates[0].start] + " " + part[dates[0].end:]).strip(" ,.;")
            rest = " ".join(w for w in rest.split() if not _WEEKDAY.match(w.strip(",."))).strip(" ,.;")
            if rest and len(parts) == 1 and _place_like(rest):
                place = rest  # "Boston, 3 May 1850" inside the heading element
            elif rest and len(rest) > 3:
                return None
        elif place is None and _place_like(part):
            place = part.strip(" ,.")
        else:
            return None
    if when is None or (len(parts) > 1 and place is None):
        return None
    return when, place


_PLACE_PARTICLES = {"of", "the", "on", "upon", "am", "an", "der", "de", "du", "la", "le", "les", "sur",
                    "en", "bei", "near", "nr.", "near.", "y", "di", "da", "del", "van", "von", "aan"}
_WEEKDAY = re.compile(rf"^(?:{WEEKDAYS})\.?$", re.IGNORECASE)


def _place_like(text: str) -> bool:
    """Tell whether a short phrase can be a place name ("Sag Harbor, N.Y.", "Frankfurt am Main")."""
    words = text.strip(" ,.").replace(",", " ").split()
    return 1 <= len(words) <= 6 and words[0][:1].isupper() and not any(c.isdigit() for c in text) \
        and all(w[:1].isupper() or w.lower() in _PLACE_PARTICLES or not w[:1].isalpha() for w in words) \
        and not any(_WEEKDAY.match(w.strip(",.")) for w in words)


def _editorial_lines(head: _Head, lines: list[str], machine_date: str | None) -> list[str]:
    """Read the lines under a heading (date and place, a reference); give the lines that are not."""
    leftover: list[str] = []
    for line in lines:
        text = " ".join(line.split())
        if not text:
            continue
        found = _date_place_line(text) if head.date is None else None
        if found:
            head.date, place = found
            if place:
                head.place = Place(name=clean(place), as_written=place)
            continue
        reference = _REFERENCE.match(text)
        if reference and head.reference is None:
            head.reference = reference.group("ref").strip()
            continue
        leftover.append(line)
    if machine_date and head.date is not None:
        exact = parse_iso(machine_date, as_written=head.date.as_written)
        if exact is not None:
            head.date = exact  # <time datetime="1884-03-28"> says exactly what the words mean
    return leftover


def _title_candidates(page: Page) -> Iterable[str]:
    seen: set[str] = set()
    for value in (page.meta.get("og:title"), page.meta.get("citation_title"), page.meta.get("dc.title"),
                  page.meta.get("twitter:title"), page.title):
        if not value:
            continue
        for part in [*_TITLE_PARTS.split(value), value]:  # "Site: X to Y": the part before the whole
            part = " ".join(part.split())
            if part and part not in seen:
                seen.add(part)
                yield part


def _apply_head(letter: Letter, head: _Head, text: str) -> None:
    """Put what the heading says into the letter, where the letter's text did not say it better.

    The editorial place ("Brooklyn, New York") is normalised where a dateline is not ("95 Hart st.
    Brooklyn N.Y."), so it wins; for the date see ``_reconcile``.
    """
    parsed = head.parsed
    if parsed is not None and parsed.names_parties:
        if letter.sender is None and parsed.sender is not None:
            letter.sender = parsed.sender
        if not letter.recipients and parsed.recipients:
            letter.recipients = parsed.recipients
        if head.place is None and parsed.place is not None:
            head.place = parsed.place
    # Record fields ("From: Charles Darwin") are the editors' word: they outrank a signature
    # ("C. Darwin"), though not a heading that names the parties.
    if head.sender is not None and (parsed is None or parsed.sender is None):
        letter.sender = head.sender
    if head.recipients and (parsed is None or not parsed.recipients):
        letter.recipients = head.recipients
    if letter.sender is None and head.author is not None:
        letter.sender = head.author
    if head.destination is not None and letter.destination is None:
        letter.destination = head.destination
    if head.date is not None:
        letter.date = _reconcile(head.date, letter.date, text)
    if parsed is not None and parsed.date is not None and letter.date is None:
        letter.date = parsed.date
    if head.place is not None:
        letter.place = head.place
    if head.reference and not letter.source.reference:
        letter.source.reference = head.reference


def _fill_gaps(letter: Letter, fields: dict[str, str]) -> None:
    """Fill what nothing else said from record fields shown away from the letter (a sidebar's
    "From:", "Date:"): they may describe the page rather than the letter, so they never override."""
    if letter.sender is None and len(fields.get("sender", "")) <= 80 and fields.get("sender"):
        letter.sender = next(iter(parse_party(fields["sender"])), None)
    if not letter.recipients and 0 < len(fields.get("recipients", "")) <= 120:
        letter.recipients = parse_party(fields["recipients"])
    if letter.date is None and fields.get("date"):
        letter.date = _field_date(fields["date"])
    if letter.place is None and fields.get("place") and _place_like(fields["place"]):
        letter.place = Place(name=clean(fields["place"]), as_written=fields["place"])


_PART_FIELDS = (("salutation", "salutation"), ("dateline", "dateline"), ("closing", "closing"),
                ("signature", "signature"), ("postscript", "postscript"))


def _apply_parts(letter: Letter, blocks: list[Block]) -> None:
    """Take the parts the page names by its markup (``class="signed"``, ``<tei-closer>``) where the
    reading of the text did not find them, and take them out of the body."""
    for part, name in _PART_FIELDS:
        hinted = [" ".join(b.text.split()) for b in blocks if b.part == part]
        if not hinted or getattr(letter, name):
            continue
        value = "\n\n".join(hinted) if part == "postscript" else hinted[0]
        if part != "postscript" and len(value) > 200:
            continue  # a whole paragraph is not a signature, whatever its class says
        setattr(letter, name, value)
        taken = set(hinted[: None if part == "postscript" else 1])
        letter.body = [p for p in letter.body if " ".join(p.split()) not in taken]
        if part == "signature" and letter.sender is None and len(value.split()) <= 5:
            letter.sender = Agent(name=value.strip(" .,"), as_written=value)
        if part == "dateline":
            line = document_line(value)
            if line is not None:
                letter.date = letter.date or line.date
                letter.place = letter.place or line.place


_YEAR_WRITTEN = re.compile(r"(?<![\w/.-])'?(?P<y>1[0-9]\d\d|20\d\d|\d\d)(?![\w/-]|\.\d)")
_MONTH_ABBREV = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|janv|févr|mär|okt|dez)"
                           r"[a-zé]*\.?\s", re.IGNORECASE)


def _reconcile(editorial: When, own: When | None, text: str) -> When:
    """Give the letter's date from the editors' heading and the letter's own dateline.

    The editors' date wins: they correct what the writer put (an April Fool's letter dated ahead, a
    year carried over in January). The one exception is a heading that differs from a full dateline
    in the year alone, when the letter's text (dateline, postmark "mar 31 4 pm 84") writes the
    dateline's year more often than the heading's: a slip in typing the heading.
    """
    if own is None or own.when is None or own.when == editorial.when:
        return editorial
    if editorial.when is None:
        return own  # the editors give a span, the letter its day
    if len(own.when) == len(editorial.when) == 10 and own.when[4:] == editorial.when[4:]:
        if _year_support(text, own.when[:4]) > _year_support(text, editorial.when[:4]):
            return own
    return editorial


def _year_support(text: str, year: str) -> int:
    """Give how often a text writes a year, in full ("1884") or short after a month ("mar 31 84")."""
    count = 0
    for match in _YEAR_WRITTEN.finditer(text):
        written = match.group("y")
        if written == year:
            count += 1
        elif len(written) == 2 and written == year[2:] and _MONTH_ABBREV.search(
                text[max(0, match.start() - 24):match.start()]):
            count += 1
    return count


# -- structured data ---------------------------------------------------------------------------

def _apply_structured(letter: Letter, page: Page, blocks: list[Block]) -> None:
    """Fill what the text left open from the page's machine-readable statements: schema.org
    JSON-LD (a Message's sender, recipient, dateSent) and dates in ``<time datetime>``."""
    for item in _jsonld_items(page.jsonld):
        kind = item.get("@type")
        kinds = {k.lower() for k in (kind if isinstance(kind, list) else [kind]) if isinstance(k, str)}
        if not kinds & _LETTER_TYPES:
            continue
        if letter.sender is None:
            who = _jsonld_name(item.get("sender") or (item.get("author") if "message" in kinds
                                                      or "letter" in kinds else None))
            if who:
                letter.sender = Agent(name=who, as_written=who)
        if not letter.recipients:
            who = _jsonld_name(item.get("recipient"))
            if who:
                letter.recipients = [Agent(name=who, as_written=who)]
        if letter.date is None:
            for key in ("dateSent", "dateCreated"):
                value = item.get(key)
                when = parse_iso(value) if isinstance(value, str) else None
                if when:
                    letter.date = when
                    break
        if letter.place is None:
            where = _jsonld_name(item.get("locationCreated"))
            if where:
                letter.place = Place(name=where, as_written=where)
    if letter.date is None:
        for block in blocks[:3] + blocks[-3:]:
            when = parse_iso(block.when) if block.when else None
            if when:
                letter.date = when
                break


def _jsonld_items(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            yield from _jsonld_items(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _jsonld_items(data["@graph"], depth + 1)


def _jsonld_name(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    return " ".join(value.split()) if isinstance(value, str) and value.strip() else None


# -- notes and links -----------------------------------------------------------------------------

def _notes(apparatus: list[Block]) -> list[Note]:
    """Give the editorial apparatus as notes: numbered footnotes and the editors' other notes."""
    notes: list[Note] = []
    for block in apparatus:
        text = " ".join(block.text.split())
        if block.heading or len(text) <= 40 and "\n" not in block.text and not text.endswith("."):
            continue  # "Explanatory Notes", "Persons Mentioned": section headings
        match = _NOTE_LABEL.match(text)
        if match:
            notes.append(Note(text=text[match.end():].strip(), label=match.group("label"), kind="footnote"))
        else:
            notes.append(Note(text=text, kind="editorial"))
    return notes


def _navigation_links(page: Page, layout: Layout) -> list[Link]:
    """Give the page's links to its series, its notes page and its archive, best evidence first."""
    best: dict[str, tuple[int, Link]] = {}
    for trust, anchor in layout.navigation:
        link = _classify(anchor, page, trust)
        if link is None:
            continue
        if link.rel not in best or best[link.rel][0] < trust:
            best[link.rel] = (trust, link)
    for head_link in page.head_links:
        rels = set(head_link.rel.split())
        rel = "series" if rels & {"up", "index", "contents", "collection"} else \
            "archive" if rels & {"home", "start"} else None
        if rel and rel not in best:
            best[rel] = (0, Link(rel=rel, target=page.resolve(head_link.href), label=head_link.title,
                                 evidence=f'<link rel="{head_link.rel}">'))
    order = {"series": 0, "notes": 1, "archive": 2}
    return [link for _, link in sorted(best.values(), key=lambda t: order[t[1].rel])]


def _classify(anchor: Anchor, page: Page, trust: int) -> Link | None:
    """Give the navigation link an anchor is (series, notes or archive), or None for other links."""
    href = anchor.href
    if href.lower().startswith(("javascript:", "mailto:", "tel:")) or href == "#":
        return None
    label = anchor.label
    words = " ".join(f"{anchor.before} {label} {anchor.after}".split())
    if label.lower().strip(" .:") in _WORDLESS_LABELS or len(label) <= 2:
        # "Click here to continue with Correspondence with ...": the words after name the target.
        label = _LEAD_VERBS.sub("", anchor.after).strip(" ,.;:") or _LEAD_VERBS.sub("", anchor.before)
        label = label.strip(" ,.;:") or anchor.label
    # A site menu's links say what they are by their labels alone; a "Click here to return to ..."
    # line or a breadcrumb trail says it by the words around them too.
    said = words if trust >= 2 else label
    if _NOTES_LINK.search(label):
        rel = "notes"
    elif href in ("/", "./") or _ARCHIVE_LINK.search(label) \
            or _ARCHIVE_LINK.search(said) and not _SERIES_LINK.search(label):
        rel = "archive"
    elif _SERIES_LINK.search(said) or trust >= 2 and _SERIES_LINK.search(href):
        rel = "series"
    else:
        return None
    return Link(rel=rel, target=page.resolve(href), label=label or None, evidence=words[:200] or None)


# -- pages with several letters ------------------------------------------------------------------

def _split_letters(blocks: list[Block]) -> list[list[Block]]:
    """Give the letter blocks cut into letters where a page stacks several, each under a heading
    element of one level that names its parties ("Churchill to Stalin", "Stalin to Churchill")."""
    starts: dict[int, list[int]] = {}
    for index, block in enumerate(blocks):
        if block.heading and _parties(block.text.split("\n", 1)[0]):
            starts.setdefault(block.heading, []).append(index)
    cuts = max(starts.values(), key=len, default=[])
    if len(cuts) < 2:
        return [blocks]
    pieces = []
    if cuts[0] > 0 and any(b.role != "rule" for b in blocks[: cuts[0]]):
        # Text above the first heading (an introduction) stays with the first letter.
        cuts = [0, *cuts[1:]]
    bounds = [*cuts, len(blocks)]
    for a, b in zip(bounds, bounds[1:], strict=False):
        piece = blocks[a:b]
        if piece:
            pieces.append(piece)
    return pieces

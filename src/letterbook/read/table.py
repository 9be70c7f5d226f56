"""Letter registers in CSV -> letters without text, one per row, streamed line by line.

The columns are those of csv2cmi, the tool that turns such tables into CMIF: ``sender``,
``senderID``, ``senderPlace``, ``senderPlaceID``, ``senderDate`` (ISO 8601 or EDTF: ``1670-06-14~``,
``[1667-03..1667-06]``, ``1541-09-26/``), ``senderDateText`` (the date as the edition prints it,
"1533 Januar 6"), ``addressee``, ``addresseeID``, ``addresseePlace``, ``addresseePlaceID``, ``key``
(the letter's number), ``edition``, ``note``, ``page``, ``addresseeDate`` and ``addresseeDateText``
(when the letter arrived). A letter has no field for its page or its date of arrival: they are
kept as notes of kind ``page``, ``received-date`` and ``received-date-text``, and the CSV export
writes them back to their columns. Names are matched without regard to case. Some
registers add ``senderDateFrom``/``senderDateTo``, ``senderDateEarliest``/``senderDateLatest``,
``senderDateEvidence``, ``addresseeOrg``, ``textType`` and ``seeAlso``; those are read too.

As in csv2cmi, several people in one cell are separated by "|" (their IDs likewise), and a name
or place in square brackets ("[Sebastian Schmidt]", "[Lübeck?]") is the editor's conjecture: the
name is read without the brackets and their "?", which stay in ``as_written``.

A register without a ``sender`` column (one person's outgoing letters, such as the Tolkien
register, where the sender is the register's subject and written nowhere in it) gives letters
whose sender is unknown (None): the file does not say who wrote them, so neither do we.
"""

from __future__ import annotations

import csv
import hashlib
import html
import itertools
import re
from collections.abc import Iterator

from ..errors import UnreadableFile
from ..model import Agent, AgentKind, Certainty, Collection, Letter, Link, Note, Place, Source, When
from ..parse.dates import from_bounds
from .document import Document

__all__ = ["checksum", "date_of_cells", "edtf_bounds", "read_table"]

_DELIMITERS = (",", ";", "\t")
_KNOWN = {"sender", "addressee", "recipient", "recipients", "senderdate", "date", "key",
          "senderplace", "addresseeplace"}
# Other names registers give the csv2cmi columns.
_ALIASES = {"recipient": "addressee", "recipients": "addressee", "recipientid": "addresseeid",
            "date": "senderdate", "place": "senderplace", "placeid": "senderplaceid",
            "datetext": "senderdatetext", "destination": "addresseeplace",
            "destinationid": "addresseeplaceid", "lang": "language"}
FIELD_LIMIT = 16 * 1024 * 1024


def _delimiter(header: str) -> str:
    """Give the delimiter a header line uses: the most frequent of comma, semicolon and tab."""
    unquoted = re.sub(r'"[^"]*"', "", header)
    counts = {d: unquoted.count(d) for d in _DELIMITERS}
    return max(_DELIMITERS, key=lambda d: (counts[d], d == ","))


def _column(name: str) -> str:
    key = re.sub(r"[\s_\-]", "", name.strip().lstrip("\ufeff")).lower()
    return _ALIASES.get(key, key)


def read_table(doc: Document) -> Iterator[Letter]:
    """Give one letter per data row of a CSV register, row by row (``source.part`` counts the
    data rows from 0); raise ``UnreadableFile`` for a file that is not a register of letters."""
    checksum(doc)
    lines = doc.lines()
    first = next(lines, None)
    while first is not None and not first.strip():
        first = next(lines, None)
    if first is None:
        raise UnreadableFile(doc.display, "empty file")
    if csv.field_size_limit() < FIELD_LIMIT:
        csv.field_size_limit(FIELD_LIMIT)  # the default, 128 KiB, is less than a long note can be
    rows = csv.reader(itertools.chain([first], lines), delimiter=_delimiter(first))
    header = [_column(name) for name in next(rows)]
    if not _KNOWN & set(header):
        shown = ", ".join(h for h in header[:8] if h)
        raise UnreadableFile(doc.display, "a table, but not a register of letters: no sender, "
                                          f"addressee, date or key column (its columns: {shown})")
    index = {name: i for i, name in reversed(list(enumerate(header))) if name}
    part = 0
    try:
        for row in rows:
            if not any(cell.strip() for cell in row):
                continue
            values = {name: _cell(row, i) for name, i in index.items()}
            yield _letter(values, doc, part)
            part += 1
    except csv.Error as exc:
        raise UnreadableFile(doc.display, f"line {rows.line_num}: broken CSV ({exc})") from None


def checksum(doc: Document) -> None:
    """Set the document's SHA-256 before a streamed read, so that every letter carries it.

    ``Document.lines()`` knows the checksum only after the last line, when the letters read
    before it have already been handed on."""
    if doc.sha256 is None and doc.path is not None:
        digest = hashlib.sha256()
        with doc.path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        doc.sha256 = digest.hexdigest()


def _cell(row: list[str], i: int) -> str:
    if i >= len(row):
        return ""
    value = row[i].strip()
    # Registers exported from web tools carry HTML entities ("George Allen &amp; Unwin Ltd.").
    return html.unescape(value) if "&" in value and ";" in value else value


def _unbracketed(text: str) -> str:
    """Give a name without the square brackets (and their "?") that mark the editor's conjecture
    or supplement: "[Lübeck?]" -> "Lübeck", "[Rudolf] Schenk" -> "Rudolf Schenk"."""
    name = re.sub(r"\s*\?\s*\]", "]", text).replace("[", "").replace("]", "")
    return " ".join(name.split()) or text


def _agents(names: str, ids: str, *, kind: AgentKind = "person") -> list[Agent]:
    refs = [r.strip() for r in ids.split("|")] if ids else []
    agents: list[Agent] = []
    for i, written in enumerate(n.strip() for n in names.split("|")):
        if not written:
            continue
        name = _unbracketed(written)
        ref = refs[i] if i < len(refs) and refs[i] else None
        agents.append(Agent(name=name, as_written=written, ref=ref, kind=kind))
    return agents


def _place(names: str, ids: str) -> Place | None:
    """Give the place a cell names; of several ("Laubach|Utphe") the first, the cell kept whole as
    the place's written form (the others' IDs are kept by ``_other_places``)."""
    written = names.split("|")[0].strip()
    if not written:
        return None
    name = _unbracketed(written)
    ref = ids.split("|")[0].strip() if ids else ""
    return Place(name=name, as_written=names if "|" in names else written, ref=ref or None)


def _other_places(names: str, ids: str) -> list[Link]:
    """Give the places of a cell after its first as links ``rel="destination"`` (label: the place
    as written, target: its ID): a letter has one destination, and the register's others are kept."""
    if "|" not in names:
        return []
    refs = [r.strip() for r in ids.split("|")] if ids else []
    return [Link(rel="destination", target=refs[i] if i < len(refs) and refs[i] else None, label=written.strip())
            for i, written in enumerate(names.split("|")) if i > 0]


def _open(value: str) -> bool:
    return value in ("", "..", "?")


def edtf_bounds(value: str) -> tuple[str | None, str | None, str | None, Certainty | None]:
    """Give (when, not before, not after, certainty) for an ISO 8601 / EDTF date as registers
    write it: ``1670-06-14`` (a day), ``1670-06-14~`` (approximate: medium), ``1670-05%`` and
    ``1667?`` (uncertain: low), ``1683-06-20/1683-06-23`` and ``1541-09-26/`` (intervals, open at one
    end), ``[1667-03..1667-06]``, ``[..1667-09-29]`` and ``[1671-03,1671-04]`` (one of a range or a
    set: its first and last members bound it)."""
    value = value.strip()
    markers = set(re.findall(r"[~%?]", value))
    certainty: Certainty | None = "low" if markers & {"%", "?"} else "medium" if "~" in markers else None
    plain = re.sub(r"[~%?]", "", value)
    one_of = re.fullmatch(r"[\[{](.*)[\]}]", plain)
    if one_of:
        inner = one_of.group(1)
        members = inner.split("..") if ".." in inner else inner.split(",")
        first, last = members[0].strip(), members[-1].strip()
        return None, first or None, last or None, certainty
    if "/" in plain:
        start, _, end = plain.partition("/")
        return None, None if _open(start) else start, None if _open(end) else end, certainty
    return plain or None, None, None, certainty


def date_of_cells(values: dict[str, str]) -> When | None:
    """Give the date the date cells of a row (by lower-case column name: ``senderdate``,
    ``senderdatetext`` ...) stand for; None when they give none."""
    written = values.get("senderdatetext") or None
    raw = values.get("senderdate", "")
    when, not_before, not_after, certainty = edtf_bounds(raw) if raw else (None, None, None, None)
    not_before = not_before or values.get("senderdatefrom") or values.get("senderdateearliest") or None
    not_after = not_after or values.get("senderdateto") or values.get("senderdatelatest") or None
    if certainty is None and written and "?" in written:
        certainty = "low"
    elif certainty is None and (values.get("senderdateevidence", "").lower() in ("conjecture", "inferred")
                                or (written and "[" in written)):
        certainty = "medium"  # the editor supplied it, as TEI's date reading has it
    result = from_bounds(when=when, not_before=not_before, not_after=not_after,
                         as_written=written or raw or None, certainty=certainty)
    if result is None and (written or raw):
        # Kept as written, undated: a reader can still see what the register says.
        return When(as_written=written or raw, certainty="unknown")
    return result


def _letter(values: dict[str, str], doc: Document, part: int) -> Letter:
    get = values.get
    senders = _agents(get("sender", ""), get("senderid", ""))
    recipients = _agents(get("addressee", ""), get("addresseeid", ""))
    organisation = get("addresseeorg", "")
    if organisation:
        if recipients:  # the person is addressed at the organisation ("C. A. Furth", Allen & Unwin)
            for agent in recipients:
                agent.role = agent.role or organisation
        else:
            recipients = _agents(organisation, get("addresseeorgid", ""), kind="organisation")
    key, edition = get("key") or None, get("edition") or None
    notes = [Note(text=text, kind=kind) for kind, text in
             (("register", get("note", "")), ("exclude", get("exclude", "")), ("page", get("page", "")),
              ("received-date", get("addresseedate", "")),
              ("received-date-text", get("addresseedatetext", ""))) if text]
    links = [Link(rel="see-also", target=url) for url in get("seealso", "").split() if url]
    links += [Link(rel="edition", target=url) for url in get("url", "").split() if url]
    links += _other_places(get("addresseeplace", ""), get("addresseeplaceid", ""))
    return Letter(
        source=Source(path=doc.display, part=part, format="csv", sha256=doc.sha256),
        id=get("id") or None,
        title=get("title") or None,
        sender=senders[0] if senders else None,
        co_senders=senders[1:],
        recipients=recipients,
        date=date_of_cells(values),
        place=_place(get("senderplace", ""), get("senderplaceid", "")),
        destination=_place(get("addresseeplace", ""), get("addresseeplaceid", "")),
        collection=Collection(title=edition, number=key) if key or edition else None,
        notes=notes,
        links=links,
        language=get("language") or None,
        kind=get("texttype") or "letter",
    )

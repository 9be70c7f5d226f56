"""Letters -> a CSV register in the CMIF-CSV layout of csv2cmi (the columns of the Spener
register, ../shared/corpora/cmif-spener/letters.csv), so that csv2cmi users can carry on.

``key`` and ``edition`` are the letter's number and collection; ``sender``/``addressee`` name the
parties (several separated by "|", their IDs likewise, as csv2cmi has it); ``senderDate`` is ISO
8601 / EDTF (``1670-06-14``, ``1856-07``, an interval ``1683-06-20/1683-06-23`` or one open at an
end ``1541-09-26/``, with ``~`` for a date of medium certainty and ``?`` for a low one) and
``senderDateText`` the date as written (when that is an EDTF date meaning the same, ``senderDate``
keeps its form: ``[1667-03..1667-06]`` stays so); ``note`` the register's notes. ``addresseeDate``,
``addresseeDateText`` and ``page`` come from the notes the CSV reader keeps them in (kinds
``received-date``, ``received-date-text`` and ``page``); the further places of a destination cell
("Laubach|Utphe") from its written form, and their IDs from the links ``rel="destination"``.

A name an editor supplied in square brackets ("[Sebastian Schmidt]") is written as the register
wrote it, brackets and all. Cells are written as they are: a CSV holds text as data, and a
spreadsheet that runs a cell beginning with "=" as a formula is asked not to by its import.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from typing import BinaryIO

from ..model import Agent, Letter, Link, Place, When
from . import ExportOptions

__all__ = ["COLUMNS", "edtf", "write_table"]

COLUMNS = ("key", "edition", "sender", "senderID", "senderPlace", "senderPlaceID", "senderDate",
           "senderDateText", "addressee", "addresseeID", "addresseePlace", "addresseePlaceID",
           "addresseeDate", "addresseeDateText", "page", "note")
_MARKS = {"medium": "~", "low": "?"}
_EDTF = re.compile(r"[\d\-/.,\[\]{}~%?X]+")


def _written(name: str, as_written: str | None) -> str:
    # The register's own form ("[Lübeck?]", "Johann  von Meißen") when it is the name with an
    # editor's brackets or the register's spacing; a cell of several places ("Laubach|Utphe")
    # when the first is the name.
    if as_written and as_written != name:
        plain = re.sub(r"\s*\?\s*\]", "]", as_written.split("|")[0]).replace("[", "").replace("]", "")
        if " ".join(plain.split()) == name:
            return as_written
    return name


def _names(agents: list[Agent]) -> tuple[str, str]:
    names = "|".join(_written(a.name, a.as_written) for a in agents)
    refs = "|".join(a.ref or "" for a in agents)
    return names, refs.rstrip("|")  # an ID for each name up to the last that has one, as csv2cmi has it


def _place(place: Place | None, others: list[Link] | None = None) -> tuple[str, str]:
    if place is None:
        return "", ""
    written = _written(place.name, place.as_written)
    if not others or "|" not in written:
        return written, place.ref or ""
    # The register's other places of the cell, read as links rel="destination": their IDs.
    return written, "|".join([place.ref or ""] + [link.target or "" for link in others]).rstrip("|")


def edtf(when: When | None) -> str:
    """Give a When as csv2cmi's ``senderDate``: ISO 8601 / EDTF, "" when it holds no date."""
    if when is None:
        return ""
    from .cmif import cmif_date

    if when.as_written and _EDTF.fullmatch(when.as_written.strip()) and _reads_as(when.as_written, when):
        return when.as_written.strip()  # the register's own form, when its date text was the EDTF date
    dating = cmif_date(when) or {}
    if "when" in dating and not ({"notBefore", "notAfter"} & dating.keys()):
        value = dating["when"]
    elif when.not_before or when.not_after:
        value = f"{when.not_before or ''}/{when.not_after or ''}"
    else:
        value = when.when or ""
    return value + _MARKS.get(when.certainty, "") if value else ""


def _reads_as(value: str, when: When) -> bool:
    from ..read.table import date_of_cells

    again = date_of_cells({"senderdate": value})
    return again is not None and (again.when, again.not_before, again.not_after, again.certainty) == \
        (when.when, when.not_before, when.not_after, when.certainty)


def _notes(letter: Letter, kind: str) -> str:
    return " ".join(n.text for n in letter.notes if n.kind == kind)


def _row(letter: Letter) -> list[str]:
    senders = ([letter.sender] if letter.sender else []) + letter.co_senders
    sender, sender_id = _names(senders)
    addressee, addressee_id = _names(letter.recipients)
    place, place_id = _place(letter.place)
    destination, destination_id = _place(letter.destination,
                                         [link for link in letter.links if link.rel == "destination"])
    collection = letter.collection
    date = letter.date
    return [collection.number or "" if collection else "", collection.title or "" if collection else "",
            sender, sender_id, place, place_id, edtf(date), (date.as_written or "") if date else "",
            addressee, addressee_id, destination, destination_id, _notes(letter, "received-date"),
            _notes(letter, "received-date-text"), _notes(letter, "page"), _notes(letter, "register")]


def write_table(letters: Iterable[Letter], out: BinaryIO, options: ExportOptions) -> int:
    """Give the number of letters written to ``out`` as CSV rows, a letter at a time."""
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    try:
        writer = csv.writer(text, quoting=csv.QUOTE_ALL)  # csv2cmi's own tables quote every cell
        writer.writerow(COLUMNS)
        count = 0
        for letter in letters:
            count += 1
            writer.writerow(_row(letter))
        text.flush()
    finally:
        text.detach()  # the stream is the caller's to close
    return count

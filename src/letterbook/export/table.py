"""Letters -> a CSV register in the CMIF-CSV layout of csv2cmi (the columns of the Spener
register, ../shared/corpora/cmif-spener/letters.csv), so that csv2cmi users can carry on.

``key`` and ``edition`` are the letter's number and collection; ``sender``/``addressee`` name the
parties (several separated by "|", their IDs likewise, as csv2cmi has it); ``senderDate`` is ISO
8601 / EDTF (``1670-06-14``, ``1856-07``, an interval ``1683-06-20/1683-06-23`` or one open at an
end ``1541-09-26/``, with ``~`` for a date of medium certainty and ``?`` for a low one) and
``senderDateText`` the date as written; ``note`` the register's notes. ``addresseeDate``,
``addresseeDateText`` and ``page`` are kept for the layout and left empty: letterbook knows
neither when a letter arrived nor its page.

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

from ..model import Agent, Letter, Place, When
from . import ExportOptions

__all__ = ["COLUMNS", "edtf", "write_table"]

COLUMNS = ("key", "edition", "sender", "senderID", "senderPlace", "senderPlaceID", "senderDate",
           "senderDateText", "addressee", "addresseeID", "addresseePlace", "addresseePlaceID",
           "addresseeDate", "addresseeDateText", "page", "note")
_MARKS = {"medium": "~", "low": "?"}


def _written(name: str, as_written: str | None) -> str:
    # The register's own form ("[Lübeck?]", "Johann  von Meißen") when it is the name with an
    # editor's brackets or the register's spacing.
    if as_written and as_written != name:
        plain = re.sub(r"\s*\?\s*\]", "]", as_written).replace("[", "").replace("]", "")
        if " ".join(plain.split()) == name:
            return as_written
    return name


def _names(agents: list[Agent]) -> tuple[str, str]:
    names = "|".join(_written(a.name, a.as_written) for a in agents)
    refs = "|".join(a.ref or "" for a in agents)
    return names, refs.rstrip("|")  # an ID for each name up to the last that has one, as csv2cmi has it


def _place(place: Place | None) -> tuple[str, str]:
    if place is None:
        return "", ""
    return _written(place.name, place.as_written), place.ref or ""


def edtf(when: When | None) -> str:
    """Give a When as csv2cmi's ``senderDate``: ISO 8601 / EDTF, "" when it holds no date."""
    if when is None:
        return ""
    from .cmif import cmif_date

    dating = cmif_date(when) or {}
    if "when" in dating and not ({"notBefore", "notAfter"} & dating.keys()):
        value = dating["when"]
    elif when.not_before or when.not_after:
        value = f"{when.not_before or ''}/{when.not_after or ''}"
    else:
        value = when.when or ""
    return value + _MARKS.get(when.certainty, "") if value else ""


def _row(letter: Letter) -> list[str]:
    senders = ([letter.sender] if letter.sender else []) + letter.co_senders
    sender, sender_id = _names(senders)
    addressee, addressee_id = _names(letter.recipients)
    place, place_id = _place(letter.place)
    destination, destination_id = _place(letter.destination)
    collection = letter.collection
    date = letter.date
    notes = " ".join(n.text for n in letter.notes if n.kind == "register")
    return [collection.number or "" if collection else "", collection.title or "" if collection else "",
            sender, sender_id, place, place_id, edtf(date), (date.as_written or "") if date else "",
            addressee, addressee_id, destination, destination_id, "", "", "", notes]


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

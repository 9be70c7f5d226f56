"""CSV export in csv2cmi's columns: CSV -> archive -> CSV keeps every letter of the Moritz register."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from letterbook import Archive, Letter
from letterbook.export import ExportOptions, export_path
from letterbook.export.table import COLUMNS, edtf
from letterbook.model import When
from letterbook.read import read_path


def register_entry(letter: Letter) -> tuple[object, ...]:
    """Give what a csv2cmi register says of a letter, as letterbook reads it."""
    senders = ([letter.sender] if letter.sender else []) + letter.co_senders
    date = letter.date
    return (tuple((a.name, a.as_written, a.ref) for a in senders),
            tuple((a.name, a.as_written, a.ref) for a in letter.recipients),
            (letter.place.name, letter.place.as_written, letter.place.ref) if letter.place else None,
            (letter.destination.name, letter.destination.ref) if letter.destination else None,
            (date.when, date.not_before, date.not_after, date.certainty, date.as_written) if date else None,
            (letter.collection.title, letter.collection.number) if letter.collection else None,
            tuple((n.text, n.kind) for n in letter.notes))


def test_the_columns_are_those_of_the_spener_register(shared_path: Callable[..., Path]) -> None:
    with shared_path("corpora", "cmif-spener", "letters.csv").open(encoding="utf-8") as handle:
        assert tuple(next(csv.reader(handle))) == COLUMNS


def test_csv_round_trip_keeps_every_letter_of_moritz(shared_path: Callable[..., Path], tmp_path: Path) -> None:
    source = shared_path("corpora", "cmif-moritz", "letters.csv")
    original = Counter(register_entry(letter) for letter in read_path(source))
    out = tmp_path / "moritz.csv"
    with Archive.open(tmp_path / "moritz.db") as archive:
        archive.ingest([source])
        count = export_path(archive.letters(sort="id"), "csv", out, ExportOptions())
    assert count == sum(original.values()) == 8935
    assert Counter(register_entry(letter) for letter in read_path(out)) == original
    with Archive.open(tmp_path / "again.db") as archive:
        archive.ingest([out])
        assert Counter(register_entry(letter) for letter in archive.letters(sort="id")) == original


def test_spener_csv_rows_come_back_as_written(shared_path: Callable[..., Path], tmp_path: Path) -> None:
    source = shared_path("corpora", "cmif-spener", "letters.csv")
    out = tmp_path / "spener.csv"
    export_path(read_path(source), "csv", out)
    with source.open(encoding="utf-8") as a, out.open(encoding="utf-8") as b:
        kept = ("key", "edition", "sender", "senderID", "senderPlace", "senderPlaceID",
                "senderDateText", "addressee", "addresseeID", "addresseePlace", "addresseePlaceID", "note")
        # "Laubach|Utphe" (4 rows) comes back whole: the destination is the first, the cell its
        # written form, the other places' IDs links rel="destination".
        rows_in = [{k: (r[k] or "").strip() for k in kept} for r in csv.DictReader(a)]
        rows_out = [{k: r[k] for k in kept} for r in csv.DictReader(b)]
    assert rows_out == rows_in
    # senderDate is written in one EDTF form when the date text is not the EDTF date itself
    # ("[1667-03..1667-06]" comes back "1667-03-01/1667-06-30~"): the same interval and certainty.
    assert Counter(register_entry(x) for x in read_path(out)) == Counter(register_entry(x) for x in read_path(source))


def test_edtf_dates() -> None:
    assert edtf(When("1670-06-14")) == "1670-06-14"
    assert edtf(When("1670-06-14", certainty="medium")) == "1670-06-14~"
    assert edtf(When(None, "1683-06-20", "1683-06-23", certainty="low")) == "1683-06-20/1683-06-23?"
    assert edtf(When(None, "1541-09-26", None)) == "1541-09-26/"
    assert edtf(When("1856-07", "1856-07-01", "1856-07-31")) == "1856-07"
    assert edtf(When(as_written="s.d.", certainty="unknown")) == ""


def test_page_arrival_and_every_destination_are_kept(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text(",".join(f'"{c}"' for c in COLUMNS) + "\n" + ",".join(f'"{v}"' for v in (
        "7", "Ed", "A", "", "Frankfurt", "", "[1667-03..1667-06]", "", "B", "", "Laubach|[Utphe?]",
        "http://www.geonames.org/1|http://www.geonames.org/2", "1667-07", "Juli 1667", "12", "n")) + "\n",
        encoding="utf-8")
    [letter] = read_path(source)
    assert letter.destination is not None and letter.destination.name == "Laubach"
    assert letter.destination.as_written == "Laubach|[Utphe?]"
    assert [(n.kind, n.text) for n in letter.notes] == [("register", "n"), ("page", "12"), ("received-date", "1667-07"),
                                                        ("received-date-text", "Juli 1667")]
    out = tmp_path / "out.csv"
    export_path([letter], "csv", out)
    assert out.read_text(encoding="utf-8") == source.read_text(encoding="utf-8").replace(
        '"[1667-03..1667-06]",""', '"[1667-03..1667-06]","[1667-03..1667-06]"')

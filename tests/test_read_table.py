"""The CSV register reader: the Spener register checked against the CMIF file made from it, the
Moritz and Tolkien registers against their own cells, and inline tables for delimiters, BOMs,
missing columns and unreadable dates."""

from __future__ import annotations

import calendar
import csv
import re
import time
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from letterbook import UnreadableFile
from letterbook.read import read_path
from letterbook.read.table import edtf_bounds

TEI = "{http://www.tei-c.org/ns/1.0}"


def words(el: etree._Element | None) -> str:
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def bounds(iso: str | None, *, last: bool) -> str | None:
    if not iso:
        return None
    parts = [int(p) for p in iso.split("-")]
    if len(parts) == 3:
        return iso
    month = parts[1] if len(parts) == 2 else (12 if last else 1)
    day = calendar.monthrange(parts[0], month)[1] if last else 1
    return f"{parts[0]:04d}-{month:02d}-{day:02d}"


def unbracketed(name: str) -> str:
    # An editor's "[Lübeck?]" or "[Rudolf] Schenk": the name is what stands inside.
    return " ".join(name.replace("?]", "]").replace("[", "").replace("]", "").split())


def rows_of(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.shared
def test_spener_register_reads_as_its_cmif_file_says(shared_path):
    # The CMIF file was made from the CSV with csv2cmi: the same letters, in the same order.
    table = shared_path("corpora", "cmif-spener", "letters.csv")
    started = time.monotonic()
    letters = read_path(table)
    took = time.monotonic() - started
    descs = list(etree.parse(str(shared_path("corpora", "cmif-spener", "letters.xml"))).getroot()
                 .iter(f"{TEI}correspDesc"))
    assert len(letters) == len(descs) == 2435
    counts: Counter[str] = Counter()
    misses: list[str] = []
    for letter, desc in zip(letters, descs, strict=True):
        sent = desc.find(f"{TEI}correspAction[@type='sent']")
        received = desc.find(f"{TEI}correspAction[@type='received']")
        # csv2cmi keeps a conjecture's "?" ("einen Theologen?") and brackets around part of a
        # name ("[einen Amtsbruder] im Elsaß") in the name; the reader keeps them in as_written.
        people = [unbracketed(words(el)).rstrip("?") for el in sent
                  if el.tag in (f"{TEI}persName", f"{TEI}orgName")]
        addressees = [unbracketed(words(el)).rstrip("?") for el in received
                      if el.tag in (f"{TEI}persName", f"{TEI}orgName")]
        place = sent.find(f"{TEI}placeName")
        destination = received.find(f"{TEI}placeName")
        date = sent.find(f"{TEI}date")
        d = letter.date
        checks = {
            "sender": [a.name for a in [letter.sender, *letter.co_senders] if a] == people,
            "recipients": [a.name for a in letter.recipients] == addressees,
            "place": (letter.place.name if letter.place else None)
            == (unbracketed(words(place)).rstrip("?") or None),
            "destination": (letter.destination.name if letter.destination else None)
            == (unbracketed(words(destination)).rstrip("?") or None),
            # A partial day ("1667") is also bounded by its first and last day.
            "date": d is not None and d.when == date.get("when")
            and d.not_before == bounds(date.get("notBefore") or date.get("from") or date.get("when"),
                                       last=False)
            and d.not_after == bounds(date.get("notAfter") or date.get("to") or date.get("when"), last=True)
            if d is None or d.when is None or len(d.when) < 10 else
            d.when == date.get("when") and d.not_before is None and d.not_after is None,
            "key": letter.collection is not None and letter.collection.number == desc.get("key"),
            "refs": (letter.sender.ref if letter.sender else None) == sent.find(f"{TEI}*").get("ref"),
        }
        for field, ok in checks.items():
            counts[field] += ok
            if not ok:
                misses.append(f"key {desc.get('key')} {field}: {letter.to_json(raw=False).get(field)}")
    n = len(letters)
    print(f"\ncmif-spener csv: {n} letters in {took:.2f}s, "
          + ", ".join(f"{field} {counts[field]}/{n}" for field in counts))
    assert not misses, f"rows that differ from the CMIF made from them: {misses[:5]}"


@pytest.mark.shared
def test_moritz_register(shared_path):
    path = shared_path("corpora", "cmif-moritz", "letters.csv")
    rows = rows_of(path)
    started = time.monotonic()
    letters = read_path(path)
    took = time.monotonic() - started
    assert len(letters) == len(rows) == 8935
    counts: Counter[str] = Counter()
    for part, (letter, row) in enumerate(zip(letters, rows, strict=True)):
        assert letter.source.part == part
        senders = [unbracketed(n) for n in row["sender"].split("|") if n.strip()]
        assert [a.name for a in [letter.sender, *letter.co_senders] if a] == senders
        assert [a.name for a in letter.recipients] == [unbracketed(n) for n in row["addressee"].split("|")]
        ids = [i for i in row["senderID"].split("|")]
        if letter.sender is not None and ids[0]:
            assert letter.sender.ref == ids[0]
        assert (letter.place.name if letter.place else "") == unbracketed(row["senderPlace"].split("|")[0])
        assert letter.collection is not None
        assert (letter.collection.title, letter.collection.number) == (row["edition"], row["key"])
        d = letter.date
        assert d is not None and d.as_written == row["senderDateText"]
        if re.fullmatch(r"\d{4}(-\d\d){0,2}", row["senderDate"]):
            assert d.when == row["senderDate"]
            counts["iso"] += 1
        else:  # EDTF: an interval, a set, or an uncertain day
            assert d.when or d.not_before or d.not_after, row
            counts["edtf"] += 1
    print(f"\ncmif-moritz csv: {len(letters)} letters in {took:.2f}s; sender, addressee, place, key "
          f"{len(letters)}/{len(letters)}; dates {counts['iso']} ISO, "
          f"{counts['edtf']} EDTF read as intervals")


@pytest.mark.shared
def test_tolkien_register_has_no_sender_column(shared_path):
    path = shared_path("corpora", "tolkien-letters-metadata", "letters.csv")
    rows = rows_of(path)
    letters = read_path(path)
    assert len(letters) == len(rows) == 508
    # The register is of Tolkien's own letters and never says so: the file names no sender.
    assert all(letter.sender is None for letter in letters)
    dated = 0
    for letter, row in zip(letters, rows, strict=True):
        assert letter.collection is not None and letter.collection.number == row["key"]
        want = [row["addressee"]] if row["addressee"] else \
            [row["addresseeOrg"].replace("&amp;", "&")] if row["addresseeOrg"] else []
        assert [a.name for a in letter.recipients] == want
        if row["senderDate"]:
            dated += 1
            assert letter.date is not None and letter.date.when == row["senderDate"]
        elif row["senderDateFrom"]:
            assert letter.date is not None
            assert letter.date.not_before == bounds(row["senderDateFrom"], last=False)
        assert [link.target for link in letter.links] == [row["seeAlso"]]
    print(f"\ntolkien csv: {len(letters)} letters, sender None for all, {dated} with a senderDate")


# ---------------------------------------------------------------- inline


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=encoding, newline="")
    return path


def test_semicolons_bom_and_case_insensitive_columns(tmp_path):
    text = ("\ufeffKey;SENDER;senderID;SenderPlace;senderDate;senderDateText;Addressee;addresseeID\r\n"
            "7;[Anna Schmidt]|Karl Schmidt;http://d-nb.info/gnd/1|;[Leipzig];1670-06-14~;[14. Juni] 1670;"
            "Hans;\r\n")
    [letter] = read_path(write(tmp_path, "register.csv", text))
    assert letter.sender is not None
    assert (letter.sender.name, letter.sender.as_written, letter.sender.ref) == \
        ("Anna Schmidt", "[Anna Schmidt]", "http://d-nb.info/gnd/1")
    assert [(a.name, a.ref) for a in letter.co_senders] == [("Karl Schmidt", None)]
    assert letter.place is not None
    assert (letter.place.name, letter.place.as_written) == ("Leipzig", "[Leipzig]")
    assert letter.date is not None
    assert (letter.date.when, letter.date.as_written, letter.date.certainty) == \
        ("1670-06-14", "[14. Juni] 1670", "medium")
    assert letter.collection is not None and letter.collection.number == "7"
    assert letter.source.format == "csv" and letter.source.sha256


def test_tabs_quoted_newlines_and_unreadable_dates(tmp_path):
    text = ('sender\taddressee\tsenderDate\tsenderDateText\tnote\n'
            'A\tB\tsometime\tirgendwann im Frühjahr\t"two\nlines"\n'
            'C\tD\t1541-09-26/\t[1541 bald nach September 26]\t\n'
            '\t\t\t\t\n'
            'E\tF\t[1542-05-05,1542-05-06]\t1542 Mai 5 und 6\t\n')
    first, second, third = read_path(write(tmp_path, "r.tsv", text))
    assert first.date is not None and first.date.when is None and first.date.not_before is None
    assert (first.date.as_written, first.date.certainty) == ("irgendwann im Frühjahr", "unknown")
    assert [n.text for n in first.notes] == ["two\nlines"]
    assert second.date is not None
    assert (second.date.not_before, second.date.not_after) == ("1541-09-26", None)
    assert third.source.part == 2  # blank rows are skipped
    assert third.date is not None
    assert (third.date.not_before, third.date.not_after) == ("1542-05-05", "1542-05-06")


def test_edtf_forms():
    assert edtf_bounds("1670-06-14") == ("1670-06-14", None, None, None)
    assert edtf_bounds("1670-05%") == ("1670-05", None, None, "low")
    assert edtf_bounds("1669~/1670~") == (None, "1669", "1670", "medium")
    assert edtf_bounds("[1667-03..1667-06]") == (None, "1667-03", "1667-06", None)
    assert edtf_bounds("[..1667-09-29]") == (None, None, "1667-09-29", None)
    assert edtf_bounds("[1686-09-09..]") == (None, "1686-09-09", None, None)
    assert edtf_bounds("/1541-07-18") == (None, None, "1541-07-18", None)
    assert edtf_bounds("1541-09-26/?") == (None, "1541-09-26", None, "low")


def test_a_register_without_sender_column_and_a_table_that_is_no_register(tmp_path):
    text = "key,addressee,addresseeOrg,senderDate\n1,,George Allen &amp; Unwin Ltd.,1937-10\n"
    [letter] = read_path(write(tmp_path, "r.csv", text))
    assert letter.sender is None
    assert [(a.name, a.kind) for a in letter.recipients] == [("George Allen & Unwin Ltd.", "organisation")]
    assert letter.date is not None and (letter.date.when, letter.date.not_after) == ("1937-10", "1937-10-31")
    with pytest.raises(UnreadableFile, match="not a register of letters"):
        read_path(write(tmp_path, "prices.csv", "item,price,currency,shop\napple,1,EUR,corner\n"))


def test_a_large_register_is_streamed(tmp_path):
    # Above the 64 KiB head, the file is read line by line, and every letter carries its checksum.
    lines = ["sender,addressee,senderDate"] + [f"Writer {i},Reader {i},1850-01-{i % 28 + 1:02d}"
                                               for i in range(5000)]
    path = write(tmp_path, "big.csv", "\n".join(lines) + "\n")
    assert path.stat().st_size > 64 * 1024
    letters = read_path(path)
    assert len(letters) == 5000
    assert letters[-1].sender is not None and letters[-1].sender.name == "Writer 4999"
    assert {letter.source.sha256 for letter in letters} != {None}
    assert len({letter.source.sha256 for letter in letters}) == 1

"""TEI P5 and JSON export: Escher TEI -> archive -> TEI -> archive keeps metadata and text, and
any letter the model can hold survives export and re-import (hypothesis)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from letterbook import Archive, Letter
from letterbook.export import ExportOptions, export, export_path
from letterbook.export.tei import letter_to_tei
from letterbook.model import Agent, Collection, Link, Note, Place, Source, When
from letterbook.read import read_path, read_text


def as_read(letter: Letter) -> Letter:
    """Give a letter without what a reading of it makes anew: the file it was read from (path,
    part, format, checksum) and that file's raw text."""
    return replace(letter, source=Source(path="", reference=letter.source.reference), raw_text=None)


def test_escher_tei_round_trip_through_the_archive(shared_path: Callable[..., Path], tmp_path: Path) -> None:
    source = shared_path("corpora", "escher-briefedition", "briefe")
    with Archive.open(tmp_path / "first.db") as archive:  # the letters as read: no enrichment
        assert not archive.ingest([source], enrich=False).failed
        first = {letter.id: letter for letter in archive.letters(sort="id")}
        (tmp_path / "tei").mkdir()  # an existing folder: one file per letter
        export_path(first.values(), "tei", tmp_path / "tei")
    assert len(first) == 5019
    with Archive.open(tmp_path / "second.db") as archive:
        assert not archive.ingest([tmp_path / "tei"], enrich=False).failed
        second = list(archive.letters(sort="id"))
    assert len(second) == len(first)
    by_file = {Path(letter.source.path).stem: letter for letter in second}
    for ident, letter in first.items():
        back = by_file[ident or ""]
        assert as_read(back) == as_read(letter), ident  # metadata and text: every part


def test_a_tei_corpus_holds_every_letter(shared_path: Callable[..., Path], tmp_path: Path) -> None:
    files = sorted(shared_path("corpora", "escher-briefedition", "briefe").glob("*.xml"))[:50]
    letters = [letter for f in files for letter in read_path(f)]
    out = tmp_path / "corpus.xml"
    assert export_path(letters, "tei", out) == 50
    back = read_path(out)
    assert [b.source.part for b in back] == list(range(50))
    assert [as_read(b) for b in back] == [as_read(a) for a in letters]


# ---------------------------------------------------------------- any letter (hypothesis)
#
# TEI: any letter the model can hold, its text drawn from the characters XML 1.0 can hold (the
# one thing a TEI file cannot carry: control characters other than tab, line feed and carriage
# return, lone surrogates, U+FFFE and U+FFFF). It comes back whole; only its source is the TEI
# file it was read from. JSON: any letter at all but lone surrogates (no UTF-8 file holds them).

_XML_FORBIDDEN = [chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"] + ["\ufffe", "\uffff"]


def letters_of(chars: st.SearchStrategy[str]) -> st.SearchStrategy[Letter]:
    """Give letters with every field filled or not, their text drawn from ``chars``."""
    text = st.text(chars, max_size=20)
    maybe = st.none() | text
    agent = st.builds(Agent, name=text, as_written=maybe, role=maybe, ref=maybe,
                      kind=st.sampled_from(["person", "organisation"]))
    place = st.builds(Place, name=text, as_written=maybe, ref=maybe)
    iso = st.dates().map(date.isoformat)
    when = st.builds(When, when=st.none() | iso | text, not_before=st.none() | iso | text,
                     not_after=st.none() | iso | text, as_written=maybe,
                     certainty=st.sampled_from(["high", "medium", "low", "unknown"]),
                     calendar=st.sampled_from(["gregorian", "julian"]) | text)
    link = st.builds(Link, rel=st.sampled_from(["prev-in-correspondence", "next-in-correspondence", "reply-to",
                                                "replied-by", "prev-in-collection", "next-in-collection",
                                                "refers-to", "series", "notes", "archive", "edition"]) | text,
                     target=maybe, label=maybe, evidence=maybe, confidence=st.none() | st.floats(allow_nan=False))
    return st.builds(
        Letter,
        source=st.builds(Source, path=text.filter(bool), part=st.integers(0, 1000), format=maybe, sha256=maybe,
                         reference=maybe),
        title=maybe, sender=st.none() | agent, co_senders=st.lists(agent, max_size=2),
        recipients=st.lists(agent, max_size=3), date=st.none() | when, place=st.none() | place,
        destination=st.none() | place,
        collection=st.none() | st.builds(Collection, title=maybe, volume=maybe, number=maybe),
        series=maybe, classification=maybe, salutation=maybe, body=st.lists(text, max_size=4), closing=maybe,
        signature=maybe, dateline=maybe, postscript=maybe, address=maybe,
        notes=st.lists(st.builds(Note, text=text, label=maybe, kind=text), max_size=3),
        links=st.lists(link, max_size=4), mentions_persons=st.lists(agent, max_size=2),
        mentions_places=st.lists(place, max_size=2), language=maybe, kind=maybe, id=maybe, raw_text=maybe,
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(letters_of(st.characters(blacklist_categories=("Cs",), blacklist_characters=_XML_FORBIDDEN)))
def test_any_letter_survives_tei(letter: Letter) -> None:
    out = io.BytesIO()
    export([letter], "tei", out, ExportOptions(raw=True))
    [back] = read_text(out.getvalue().decode("utf-8"), name="x.xml")
    assert back.source == Source(path="x.xml", part=0, format="tei", sha256=back.source.sha256,
                                 reference=letter.source.reference)
    assert replace(back, source=letter.source) == letter


def test_tei_leaves_out_only_what_xml_cannot_hold() -> None:
    letter = Letter(source=Source("a.txt"), title="Bad\x01 byte", body=["\x0b"])
    xml = etree.tostring(letter_to_tei(letter), encoding="unicode")
    [back] = read_text(xml, name="x.xml")
    assert (back.title, back.body) == ("Bad byte", [""])


def test_tei_without_raw_text_leaves_it_out() -> None:
    letter = Letter(source=Source("a.txt"), raw_text="the page as read")
    xml = etree.tostring(letter_to_tei(letter), encoding="unicode")
    [back] = read_text(xml, name="x.xml")
    assert back.raw_text is None and back.body == [] and back.sender is None and back.date is None


@settings(max_examples=300, deadline=None)
@given(letters_of(st.characters(blacklist_categories=("Cs",))))
def test_any_letter_survives_json(letter: Letter) -> None:
    out = io.BytesIO()
    export([letter], "json", out, ExportOptions(raw=True))
    line = out.getvalue().decode("utf-8")
    assert line.count("\n") == 1
    assert Letter.from_json(json.loads(line)) == letter
    assert read_text(line, name="x.jsonl", fmt="jsonl")[0] == letter


def test_json_keeps_what_looks_like_mojibake() -> None:
    letter = Letter(source=Source("a.txt", reference="Â\x80"), title="Ã©tÃ©", body=["â€¢"])
    out = io.BytesIO()
    export([letter], "json", out, ExportOptions())
    assert read_text(out.getvalue().decode("utf-8"), name="x.jsonl", fmt="jsonl")[0] == letter

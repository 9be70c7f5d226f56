"""Citations (CSL-JSON, BibTeX, Chicago and MLA) of the seed letter, markup escaped in every
export, and the ``letterbook export`` command."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

import letterbook
from letterbook import Archive, Letter
from letterbook.cli import main
from letterbook.export import FORMATS, ExportOptions, export
from letterbook.export.cite import bibtex, csl_json, format_citation, tex
from letterbook.model import Agent, Note, Place, Source, When

ROOT = Path(__file__).parents[1]
SEED = ROOT / "examples" / "letters" / "000_3d2466e82666b884.txt"
OPTIONS = ExportOptions(base_url="https://letters.example.org/")


@pytest.fixture
def seed() -> Letter:
    letter = letterbook.read(SEED)[0]
    letter.id = "L1"
    return letter


def test_csl_json_of_the_seed_letter(seed: Letter) -> None:
    record = csl_json(seed, OPTIONS)
    assert record == {
        "id": "L1", "type": "letter", "title": "Message to H. Truman",
        "author": [{"family": "Stalin", "given": "J."}], "recipient": [{"family": "Truman", "given": "Harry S."}],
        "issued": {"date-parts": [[1945, 12, 23]]}, "container-title": "Correspondence", "volume": "2",
        "number": "384", "collection-title": "Correspondence with Franklin D. Roosevelt and Harry S. Truman",
        "archive": "Stalin Archive", "language": "en", "URL": "https://letters.example.org/letters/L1"}


def test_bibtex_of_the_seed_letter(seed: Letter) -> None:
    entry = bibtex(seed, OPTIONS)
    assert entry.startswith("@letter{letter-L1,\n  author = {Stalin, J.},\n  title = {{Message to H. Truman}},\n")
    assert "  date = {1945-12-23},\n  year = {1945},\n  month = {dec}," in entry
    assert "  url = {https://letters.example.org/letters/L1}\n}" in entry


def test_bibtex_escapes_what_latex_would_read() -> None:
    assert tex(r"50% of #3 & {x}_y ~ ^ \ $") == \
        r"50\% of \#3 \& \{x\}\_y \textasciitilde{} \textasciicircum{} \textbackslash{} \$"
    letter = Letter(source=Source("x"), id="a b}", title="Smith & Sons {draft}",
                    sender=Agent("Smith & Sons", kind="organisation"), date=When("1856-07"))
    entry = bibtex(letter)
    assert entry.startswith("@letter{letter-a-b,\n  author = {{Smith \\& Sons}},\n"
                            "  title = {{Smith \\& Sons \\{draft\\}}},")
    assert "date = {1856-07}" in entry and "month = {jul}" in entry and "day" not in entry


def test_chicago_and_mla_of_the_seed_letter(seed: Letter) -> None:
    assert format_citation(seed, "chicago", OPTIONS) == (
        "Stalin, J. “Message to H. Truman”. In Correspondence, No. 384, vol. 2. Correspondence with "
        "Franklin D. Roosevelt and Harry S. Truman. 1945. Stalin Archive (384). https://letters.example.org/letters/L1.")
    assert format_citation(seed, "mla", OPTIONS) == (
        "Stalin, J. “Message to H. Truman”. Correspondence, vol. 2, no. 384, 23 Dec. 1945, Stalin Archive, "
        "https://letters.example.org/letters/L1. Correspondence with Franklin D. Roosevelt and Harry S. Truman.")


def test_citations_never_add_precision() -> None:
    letter = Letter(source=Source("x"), sender=Agent("Hannah Whitman Heyde"),
                    date=When("1856-07", "1856-07-01", "1856-07-31", certainty="medium"))
    assert csl_json(letter)["issued"] == {"date-parts": [[1856, 7]], "circa": True}
    assert "1856" in format_citation(letter, "mla") and "July" not in format_citation(letter, "chicago")


HOSTILE = '<script>alert(1)</script> "><img src=x onerror=alert(2)> & </text>'


def hostile_letter() -> Letter:
    return Letter(source=Source("x.txt", reference=HOSTILE), id="L<1>", title=HOSTILE,
                  sender=Agent(HOSTILE, ref='https://x.org/"><script>'), recipients=[Agent(HOSTILE)],
                  date=When("1945-12-23", as_written=HOSTILE), place=Place(HOSTILE), salutation=HOSTILE,
                  body=[HOSTILE, HOSTILE], closing=HOSTILE, signature=HOSTILE, notes=[Note(HOSTILE, label="1")],
                  language="en")


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_markup_in_letters_is_escaped_in_every_export(fmt: str) -> None:
    out = io.BytesIO()
    assert export([hostile_letter()], fmt, out, OPTIONS) == 1
    written = out.getvalue().decode("utf-8")
    if fmt in ("tei", "cmif"):
        root = etree.fromstring(out.getvalue(), etree.XMLParser(resolve_entities=False, no_network=True))
        names = {etree.QName(el).localname for el in root.iter() if isinstance(el.tag, str)}
        assert not names & {"script", "img"}
        assert "<script>" not in written and "<img" not in written
        assert HOSTILE in "".join(root.itertext())  # kept as text, whole
    elif fmt in ("json", "csl-json"):
        assert "<" not in written and ">" not in written
        data = json.loads(written) if fmt == "csl-json" else [json.loads(written)]
        assert data[0]["title"] == HOSTILE  # the same string to a JSON reader
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(written)))
        assert HOSTILE in rows[1]  # one cell, quoted: the text is data
    elif fmt == "bibtex":
        assert "<script>" not in written and r"\textless{}script\textgreater{}" in written
    else:  # formatted citations are plain text, one a line: markup is for whoever puts them in a page
        assert written.count("\n") == 1 and "alert(1)" in written


def test_the_export_command(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    with Archive.open(db) as archive:
        archive.ingest([ROOT / "examples" / "letters"])
    runner = CliRunner()
    out = tmp_path / "x.csv"
    result = runner.invoke(main, ["export", "--format", "csv", "--db", str(db), "--out", str(out),
                                  "--query", "from:\"J. Stalin\""])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["sender"] for r in rows] == ["J. Stalin"]
    result = runner.invoke(main, ["export", "--format", "cmif", "--db", str(db), "--out", str(tmp_path / "c.xml"),
                                  "--cmif-v2", "--base-url", "https://letters.example.org"])
    assert result.exit_code == 0, result.output
    assert len(letterbook.read(tmp_path / "c.xml")) == 301
    result = runner.invoke(main, ["export", "--format", "tei", "--db", str(db), "--out", str(tmp_path / "tei") + "/"])
    assert result.exit_code == 0 and len(list((tmp_path / "tei").glob("*.xml"))) == 301
    result = runner.invoke(main, ["export", "--format", "json", "--db", str(db), "--out", str(tmp_path / "x.jsonl"),
                                  "--query", "year:"])
    assert result.exit_code == 1 and result.output.startswith("Error: ")

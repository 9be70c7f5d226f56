"""The JSON Lines reader: letterbook's own extract output read back, the benchmark's flat
records (made by ../shared/bench/make_corpus.py), and broken lines."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from letterbook import UnreadableFile
from letterbook.model import Agent, Collection, Letter, Note, Place, Source, When
from letterbook.read import read_path


def write(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_extract_output_reads_back_as_it_was(tmp_path):
    letter = Letter(
        source=Source(path="letters/a.txt", part=3, format="text", sha256="ab" * 32),
        title="Churchill to Curtin",
        sender=Agent("Winston Churchill", "Churchill"),
        recipients=[Agent("John Curtin", "Curtin", ref="http://www.wikidata.org/entity/Q1")],
        date=When("1945-02-17", as_written="17 February 1945"),
        place=Place("London", "LONDON"),
        collection=Collection("Documents", "8", "12"),
        body=["First.", "Second."],
        notes=[Note("A note.", "1")],
        language="en",
    )
    path = write(tmp_path, "out.jsonl", [json.dumps(letter.to_json())])
    [back] = read_path(path)
    assert back.to_json() == letter.to_json()
    assert (back.source.path, back.source.part, back.source.format) == ("letters/a.txt", 3, "text")


def test_flat_records(tmp_path):
    records = [
        {"id": "L0000001", "title": "Oswald Heer an Alfred Escher, Zürich, Dienstag, 07. August 1866",
         "sender": "Oswald Heer", "recipients": ["Alfred Escher"], "date": "1866-08-07",
         "place": "Zürich", "language": "de", "body": "Erster Absatz.\n\nZweiter\nAbsatz."},
        {"id": "L0000002", "title": "A to B and C", "sender": "A", "recipients": ["B", "C"],
         "date": "July 1856", "place": "Burlington", "language": "en", "body": "Text."},
    ]
    path = write(tmp_path, "corpus.jsonl", [json.dumps(r, ensure_ascii=False) for r in records] + [""])
    first, second = read_path(path)
    assert (first.id, first.source.path, first.source.part, first.source.format) == \
        ("L0000001", str(path), 0, "jsonl")
    assert first.sender is not None and first.sender.name == "Oswald Heer"
    assert [r.name for r in first.recipients] == ["Alfred Escher"]
    assert first.date is not None and first.date.when == "1866-08-07"
    assert first.place is not None and first.place.name == "Zürich"
    assert first.body == ["Erster Absatz.", "Zweiter Absatz."]
    assert (first.language, first.title) == ("de", records[0]["title"])
    assert second.source.part == 1 and [r.name for r in second.recipients] == ["B", "C"]
    assert second.date is not None and second.date.when == "1856-07"


def test_a_bad_line_fails_the_file_at_that_line(tmp_path):
    good = json.dumps({"id": "1", "sender": "A", "recipients": ["B"], "body": "x"})
    path = write(tmp_path, "damaged.jsonl", [good, good, '{"id": "3", "sender": ', good])
    with pytest.raises(UnreadableFile) as caught:
        read_path(path)
    assert caught.value.path == str(path)
    assert caught.value.reason.startswith("line 3: not a JSON object (")
    with pytest.raises(UnreadableFile, match=r"line 2: not a JSON object \(a JSON list\)"):
        read_path(write(tmp_path, "list.jsonl", [good, "[1, 2]"]))
    with pytest.raises(UnreadableFile, match=r"line 1: a JSON object, but not a letter"):
        read_path(write(tmp_path, "other.jsonl", ['{"price": 3}']))
    with pytest.raises(UnreadableFile, match=r"line 1: a manifest record"):
        read_path(write(tmp_path, "manifest.jsonl", ['{"id": "L1", "sender": "A", "path": "0000/L1.md"}']))


def test_a_large_file_is_streamed(tmp_path):
    line = json.dumps({"id": "x", "sender": "A", "recipients": ["B"], "date": "1900-01-01",
                       "body": "word " * 40})
    path = write(tmp_path, "big.jsonl", [line] * 2000)
    assert path.stat().st_size > 64 * 1024
    letters = read_path(path)
    assert len(letters) == 2000 and letters[-1].source.part == 1999
    assert len({letter.source.sha256 for letter in letters} - {None}) == 1


@pytest.mark.shared
def test_the_benchmark_corpus(shared_path, tmp_path):
    script = shared_path("bench", "make_corpus.py")
    out = tmp_path / "corpus.jsonl"
    subprocess.run([sys.executable, str(script), "--n", "300", "--jobs", "1", "--out", str(out)],
                   check=True, capture_output=True, timeout=120)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    letters = read_path(out)
    assert len(letters) == len(records) == 300
    for part, (letter, record) in enumerate(zip(letters, records, strict=True)):
        assert (letter.id, letter.source.part, letter.title) == (record["id"], part, record["title"])
        assert letter.sender is not None and letter.sender.name == record["sender"]
        assert [r.name for r in letter.recipients] == record["recipients"]
        assert letter.date is not None and letter.date.when == record["date"]
        assert letter.place is not None and letter.place.name == record["place"]
        assert letter.language == record["language"]
        assert letter.body == [" ".join(p.split()) for p in record["body"].split("\n\n") if p.strip()]
    print(f"\nbench corpus: {len(letters)} flat records read, all fields as written")


_SPACES = [" ", "\n", "\t", "\r", "\xa0", "\u2009", "\u3000", "\x1f", "\x0c"]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(st.sampled_from(_SPACES), st.sampled_from(["Wien", "ü", "a", "B."])), max_size=14))
def test_a_flat_body_is_paragraphs_of_single_spaced_words(tmp_path, pieces):
    # Paragraphs are what blank lines (with any whitespace on them) separate; inside one, every run
    # of whitespace is one space. Bodies already so are taken by a quicker path: the same result.
    body = "".join(pieces)
    path = write(tmp_path, "flat.jsonl", [json.dumps({"title": "t", "body": body})])
    letter = read_path(path)[0]
    expected = [" ".join(part.split()) for part in re.split(r"\n\s*\n", body)]
    assert letter.body == [p for p in expected if p]

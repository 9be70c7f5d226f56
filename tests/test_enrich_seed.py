"""The seed letter (Stalin to Truman, 23 December 1945) read with the persons and places it mentions,
as ../shared/eval/seed.gold.jsonl lists them.

Byrnes and Chandor are named in the text ("Mr Byrnes", "the artist Chandor", "Mr Chandor");
Truman is mentioned as the addressee the body speaks to ("your message", "the steps taken by you
and Mr Byrnes", "the letter which I recently received from you"): such a mention carries
``how="addressed"``. The writer's own signature is not a mention.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

import letterbook
from letterbook import cli
from letterbook.cli import main
from letterbook.enrich import enrich
from letterbook.enrich.ids import letter_key

SEED = Path(__file__).parents[1] / "examples" / "letters" / "000_3d2466e82666b884.txt"


def _last_word(name: str) -> str:
    return name.split()[-1].lower()


def test_seed_mentions_as_the_gold_lists_them(shared_path: Callable[..., Path]) -> None:
    gold = json.loads(shared_path("eval", "seed.gold.jsonl").read_text(encoding="utf-8").splitlines()[0])
    letters = letterbook.read(SEED)
    result = enrich(letters)
    result.apply(letters)
    letter = letters[0]
    assert sorted(_last_word(a.name) for a in letter.mentions_persons) == sorted(
        _last_word(n) for n in gold["mentions_persons"])
    assert sorted(p.name for p in letter.mentions_places) == sorted(gold["mentions_places"])
    how = {m.name: m.how for m in result.mentions[letter_key(letter)] if m.kind == "person"}
    assert how["Harry S. Truman"] == "addressed"
    assert how["Byrnes"] in ("title", "surname")
    assert all(a.ref for a in letter.mentions_persons) and all(p.ref for p in letter.mentions_places)
    places = {p.name: p.ref for p in letter.mentions_places}
    assert places["Moscow"] == "geonames-524901"
    assert result.places.get(places["Moscow"]).lat is not None  # type: ignore[union-attr]


def test_seed_without_gold_still_reads_its_mentions() -> None:
    letters = letterbook.read(SEED)
    result = enrich(letters)
    result.apply(letters)
    assert {a.name for a in letters[0].mentions_persons} == {"Byrnes", "Chandor", "Harry S. Truman"}
    assert "J. Stalin" not in {a.name for a in letters[0].mentions_persons}


def test_extract_prints_the_seed_with_its_mentions(shared_path: Callable[..., Path],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    gold = json.loads(shared_path("eval", "seed.gold.jsonl").read_text(encoding="utf-8").splitlines()[0])
    result = CliRunner().invoke(main, ["extract", str(SEED), "--jsonl"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    letter = json.loads(result.stdout.splitlines()[0])
    assert sorted(_last_word(a["name"]) for a in letter["mentions_persons"]) == sorted(
        _last_word(n) for n in gold["mentions_persons"])
    assert sorted(p["name"] for p in letter["mentions_places"]) == sorted(gold["mentions_places"])
    assert all(a["ref"] for a in letter["mentions_persons"] + letter["mentions_places"])
    text = CliRunner().invoke(main, ["extract", str(SEED)], catch_exceptions=False).stdout
    assert "mentions: Byrnes [byrnes]; Chandor [chandor]" in text and "Moscow [geonames-524901]" in text
    # Without enrichment, or past the letters extract holds, letters come as they are read.
    plain = json.loads(CliRunner().invoke(main, ["extract", str(SEED), "--jsonl", "--no-enrich"]).stdout)
    assert not plain.get("mentions_persons") and not plain.get("mentions_places")
    monkeypatch.setattr(cli, "ENRICH_AT_MOST", 0)
    many = CliRunner().invoke(main, ["extract", str(SEED), "--jsonl"], catch_exceptions=False)
    assert not json.loads(many.stdout).get("mentions_persons")
    assert "more than 0 letters: printed as read" in many.stderr

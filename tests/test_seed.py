"""The seed letter read exactly as ../shared/eval/seed.gold.jsonl says, field by field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import letterbook
from letterbook import Letter

SEED = "seed/000_3d2466e82666b884.txt"
BUNDLED = Path(__file__).parents[1] / "examples" / "letters" / "000_3d2466e82666b884.txt"


@pytest.fixture(scope="module")
def seed_letter() -> Letter:
    # The seed ships with the project's examples, so this test runs on a clone without ../shared.
    letters = letterbook.read(BUNDLED)
    assert len(letters) == 1
    return letters[0]


@pytest.fixture
def gold(shared_path) -> dict:  # type: ignore[no-untyped-def]
    line = shared_path("eval", "seed.gold.jsonl").read_text(encoding="utf-8").splitlines()[0]
    record = json.loads(line)
    assert record["file"] == SEED
    return record


def test_title(seed_letter: Letter) -> None:
    assert seed_letter.title == "Message to H. Truman"
    assert seed_letter.kind == "message"


def test_sender_is_the_signature(seed_letter: Letter) -> None:
    assert seed_letter.sender is not None
    assert seed_letter.sender.name == "J. Stalin"


def test_recipient_completed_from_the_fuller_form_on_the_page(seed_letter: Letter) -> None:
    assert [r.name for r in seed_letter.recipients] == ["Harry S. Truman"]
    assert seed_letter.recipients[0].as_written == "H. Truman"


def test_date(seed_letter: Letter) -> None:
    assert seed_letter.date is not None
    assert seed_letter.date.when == "1945-12-23"
    assert seed_letter.date.as_written == "December 23, 1945"
    assert seed_letter.date.certainty == "high"
    assert seed_letter.dateline == "December 23, 1945"


def test_collection_volume_and_number(seed_letter: Letter) -> None:
    assert seed_letter.collection is not None
    assert (seed_letter.collection.title, seed_letter.collection.volume, seed_letter.collection.number) == (
        "Correspondence", "2", "384")


def test_series_from_the_navigation(seed_letter: Letter) -> None:
    assert seed_letter.series == "Correspondence with Franklin D. Roosevelt and Harry S. Truman"


def test_salutation_and_signature(seed_letter: Letter) -> None:
    assert seed_letter.salutation == "My dear Mr President,"
    assert seed_letter.signature == "J. Stalin"


def test_six_paragraphs_with_the_broken_sentence_rejoined(seed_letter: Letter) -> None:
    assert len(seed_letter.body) == 6
    assert ("has been reached and that the conference has done work that will play a prominent part"
            in seed_letter.body[1])
    assert seed_letter.body[5].endswith("if you think that would be suitable in this instance.")
    assert not any("Click" in p or "Stalin Archive" in p for p in seed_letter.body)
    assert not any("J. Stalin" in p for p in seed_letter.body)


def test_navigation_kept_as_links(seed_letter: Letter) -> None:
    links = {link.rel: link.label for link in seed_letter.links}
    assert links == {
        "series": "Correspondence with Franklin D. Roosevelt and Harry S. Truman",
        "notes": "Notes",
        "archive": "Stalin Archive",
    }


def test_language_and_source(seed_letter: Letter) -> None:
    assert seed_letter.language == "en"
    assert seed_letter.source.format == "text"
    assert seed_letter.source.sha256 and len(seed_letter.source.sha256) == 64
    assert seed_letter.raw_text and seed_letter.raw_text.startswith("Message to H. Truman")


def test_matches_the_gold_record(seed_letter: Letter, gold: dict) -> None:
    assert seed_letter.title == gold["title"]
    assert seed_letter.sender is not None and seed_letter.sender.name == gold["sender"]
    assert [r.name for r in seed_letter.recipients] == gold["recipients"]
    assert seed_letter.date is not None and seed_letter.date.when == gold["date"]
    assert seed_letter.collection is not None
    assert {"title": seed_letter.collection.title, "volume": seed_letter.collection.volume,
            "number": seed_letter.collection.number} == gold["collection"]
    assert seed_letter.series == gold["series"]
    assert seed_letter.salutation == gold["salutation"]
    assert seed_letter.signature == gold["signature"]
    assert len(seed_letter.body) == gold["paragraphs"]


def test_bundled_copy_is_the_seed(shared_path) -> None:  # type: ignore[no-untyped-def]
    assert BUNDLED.read_bytes() == shared_path(SEED).read_bytes()

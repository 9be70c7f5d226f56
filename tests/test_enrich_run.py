"""How the archive runs enrichment: letters read as headings with their texts a chunk at a time
(``LetterShelf``), the same findings as enriching whole letters, only what changed written, and
each letter whose mentions or links changed numbered in the change sequence (what the search index
of another machine and OAI-PMH harvesters follow), without a line in its history."""

from __future__ import annotations

import copy
import json
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path

import pytest
from test_archive_people import STALIN  # the same four letters

from letterbook.archive import Archive
from letterbook.archive_people import ENRICH_STEPS, _letters_to_index, _references_in
from letterbook.enrich import EnrichOptions, enrich, letter_references
from letterbook.enrich.shelf import LetterShelf, Texts
from letterbook.errors import ArchiveError
from letterbook.ingest import IngestProgress
from letterbook.model import Letter, Source
from letterbook.search import doc_for
from letterbook.store.sqlite import SQLiteStore

ROOT = Path(__file__).parents[1]


def _write(path: Path, letters: list[Letter]) -> Path:
    path.write_text("".join(json.dumps(x.to_json(), ensure_ascii=False) + "\n" for x in letters), encoding="utf-8")
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def archive(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Archive]:
    if request.param == "postgresql":
        opened = Archive.open(request.getfixturevalue("postgres_url"))
    else:
        opened = Archive.open(tmp_path / "a.db")
    yield opened
    opened.close()


def _findings(archive: Archive) -> dict[str, tuple[object, ...]]:
    return {x.id or "": (x.mentions_persons, x.mentions_places, x.links) for x in archive.store.iter_letters()}


# -- the shelf ----------------------------------------------------------------------------------


def test_the_shelf_reads_texts_a_chunk_at_a_time_and_keeps_few() -> None:
    heads = [Letter(source=Source("x"), id=f"L{n}", title=f"Letter {n}") for n in range(25)]
    asked: list[list[str]] = []

    def load(ids: Sequence[str]) -> dict[str, Texts]:
        asked.append(list(ids))
        return {i: (f"Dear {i}", [f"body of {i}", "second paragraph"], None) for i in ids if i != "L7"}

    shelf = LetterShelf(heads, load, chunk=10, keep=2)
    assert len(shelf) == 25 and asked == []  # headings only: no text read yet
    assert [x.title for x in shelf] == [f"Letter {n}" for n in range(25)] and asked == []
    bodies = [x.body for x in shelf]
    assert bodies[3] == ["body of L3", "second paragraph"] and bodies[7] == []  # L7: not in the store
    assert [len(ids) for ids in asked] == [10, 10, 5] and shelf.reads == 3
    assert len(shelf._texts) <= 2  # the chunks read earliest were let go
    assert shelf[24].salutation == "Dear L24" and shelf.reads == 3  # kept: not read again
    assert shelf[0].postscript is None and shelf.reads == 4
    whole = shelf[3].whole()  # type: ignore[attr-defined]
    assert isinstance(whole, Letter) and whole.body == ["body of L3", "second paragraph"] and whole.id == "L3"


def test_the_shelf_gives_what_the_store_holds(tmp_path: Path) -> None:
    with Archive.open(tmp_path / "a.db") as archive:
        archive.ingest(_write(tmp_path / "s.jsonl", STALIN), enrich=False)
        shelf = LetterShelf(archive.store.iter_letter_heads(size=3), archive.store.letter_texts, chunk=3)
        stored = list(archive.store.iter_letters())
        assert [x.id for x in shelf] == [x.id for x in stored]
        for shelved, letter in zip(shelf, stored, strict=True):
            for name in ("title", "sender", "co_senders", "recipients", "date", "place", "destination",
                         "collection", "dateline", "language", "salutation", "body", "postscript"):
                assert getattr(shelved, name) == getattr(letter, name), name


# -- the same findings, stored only where they changed --------------------------------------------


def _whole_letters_findings(letters: list[Letter]) -> dict[str, tuple[object, ...]]:
    """Give what enriching whole letters in memory finds (the way the archive did it before the
    shelf): mentions and links applied to each letter."""
    letters = copy.deepcopy(letters)
    result = enrich(letters, options=EnrichOptions())
    result.apply(letters)
    return {x.id or "": (x.mentions_persons, x.mentions_places, x.links) for x in letters}


def test_a_run_finds_what_enriching_whole_letters_finds(archive: Archive, tmp_path: Path) -> None:
    examples = [ROOT / "examples" / "letters"] if (ROOT / "examples" / "letters").is_dir() else []
    archive.ingest([_write(tmp_path / "s.jsonl", STALIN), *examples], enrich=False)
    expected = _whole_letters_findings(list(archive.store.iter_letters()))
    report = archive.enrich()
    assert report.letters == len(expected) and report.changed > 0
    assert _findings(archive) == expected
    s2 = archive.get("s2")
    assert {a.ref for a in s2.mentions_persons} >= {archive.store.find_persons(["byrnes"])[0]}
    assert [k.rel for k in archive.get("s3").links if k.rel == "reply-to"] == ["reply-to"]


def test_a_second_run_changes_nothing_and_numbers_no_change(archive: Archive, tmp_path: Path) -> None:
    archive.ingest(_write(tmp_path / "s.jsonl", STALIN))
    before, sequence = _findings(archive), archive.store.sequence()
    assert not archive.enrichment_due()
    again = archive.enrich()
    assert again.changed == 0 and archive.store.sequence() == sequence
    assert _findings(archive) == before and not archive.enrichment_due()
    assert archive.store.writes() >= 0


def test_the_letters_enrichment_changed_are_numbered_in_the_change_sequence(archive: Archive,
                                                                         tmp_path: Path) -> None:
    archive.ingest(_write(tmp_path / "s.jsonl", STALIN), enrich=False)
    read = archive.store.sequence()
    assert archive.enrichment_due()
    report = archive.enrich()
    assert not archive.enrichment_due()
    # One change more for each letter whose mentions or links changed: followers see them.
    assert archive.store.sequence() == read + report.changed
    pending = archive.store.pending(read)
    assert sorted(p.id for p in pending) == sorted(x.id or "" for x in STALIN if _changed(archive, x.id or ""))
    assert all(p.live for p in pending)
    stamps = archive.stamps(after=read)
    assert {s.id for s in stamps} == {p.id for p in pending}
    # The history of a letter shows its readings and corrections, not enrichment's changes.
    assert [c.kind for c in archive.history("s2")] == ["new"]
    # A reply that no longer stands: s3 written without its reference to s2's message.
    changed = copy.deepcopy(STALIN)
    changed[2].body = ["Mr Byrnes will come to Moscow."]
    archive.ingest(_write(tmp_path / "s.jsonl", changed))
    assert "s2" in {p.id for p in archive.store.pending(read + report.changed)}  # replied-by is gone
    assert not [k for k in archive.get("s2").links if k.rel == "replied-by"]


def _changed(archive: Archive, id: str) -> bool:
    letter = archive.get(id)
    return bool(letter.mentions_persons or letter.mentions_places or letter.links)


def test_the_index_is_given_the_letters_as_stored(tmp_path: Path) -> None:
    with Archive.open(tmp_path / "a.db") as archive:
        archive.ingest(_write(tmp_path / "s.jsonl", STALIN), enrich=False)
        shelf = LetterShelf(archive.store.iter_letter_heads(), archive.store.letter_texts)
        result = enrich(shelf)
        ids = [x.id or "" for x in STALIN]
        archive.enrich()
        made = _letters_to_index(shelf, result, ids)
        assert sorted(made) == sorted(ids)
        for ident in ids:
            assert doc_for(made[ident]) == doc_for(archive.get(ident))
        assert archive.search("mentions:Byrnes").total == 2


def test_findings_stored_by_another_process_while_this_one_indexes(tmp_path: Path) -> None:
    # An ingest with enrichment into an SQLite file leaves its letters to the index until the run's
    # end; the findings are then stored by a forked process while this one indexes the letters.
    with Archive.open(tmp_path / "a.db") as archive:
        report = archive.ingest(_write(tmp_path / "s.jsonl", STALIN))
        enriched = report.enrichment
        assert enriched is not None and set(enriched.meanwhile) == {"index"}
        assert enriched.seconds == pytest.approx(sum(enriched.timings.values()))
        assert "of it meanwhile" in enriched.summary()
        assert enriched.people == len(archive.people(limit=1000)["people"])
        assert archive.search("mentions:Byrnes").total == 2
        assert [k.rel for k in archive.get("s3").links if k.rel == "reply-to"] == ["reply-to"]
        assert not archive.enrichment_due()
        expected = _whole_letters_findings(list(archive.store.iter_letters()))
        assert _findings(archive) == expected


def test_an_ingest_tells_its_progress_through_each_enrichment_pass(archive: Archive, tmp_path: Path) -> None:
    states: list[IngestProgress] = []
    archive.ingest(_write(tmp_path / "s.jsonl", STALIN), progress=states.append)
    phases = [s.phase for s in states]
    assert "enriching" in phases and phases == sorted(phases, key=lambda phase: phase == "enriching")  # after reading
    steps = [s.step for s in states if s.phase == "enriching"]
    assert steps == [step for step in ENRICH_STEPS if step in steps]  # in order, each once
    assert {"loading", "people", "places", "mentions", "threads", "storing", "indexing"} <= set(steps)
    assert all(s.letters == len(STALIN) for s in states if s.phase == "enriching")
    told: list[str] = []
    archive.enrich(progress=told.append)
    assert told == list(ENRICH_STEPS)


def test_a_read_only_archive_is_not_enriched_behind_its_back(tmp_path: Path) -> None:
    with Archive.open(tmp_path / "a.db") as archive:
        archive.ingest(_write(tmp_path / "s.jsonl", STALIN), enrich=False)
    with Archive.open(tmp_path / "a.db", read_only=True) as reader:
        with pytest.raises(ArchiveError, match="read-only"):
            reader.enrich()
    with Archive.open(tmp_path / "a.db") as archive:
        assert archive.enrichment_due() and not archive.people()["people"]


def test_storing_that_fails_in_the_other_process_says_so_and_loses_nothing(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    with Archive.open(tmp_path / "a.db") as archive:
        archive.ingest(_write(tmp_path / "s.jsonl", STALIN))
        before, people = _findings(archive), archive.people()["people"]
        changed = copy.deepcopy(STALIN)
        changed[1].body = [*changed[1].body, "Mr Harriman will see Mr Molotov."]

        def broken(*args: object, **kwargs: object) -> list[str]:
            raise sqlite3.OperationalError("disk I/O error")

        # The storing process is forked from this one: it has the broken method too.
        monkeypatch.setattr(SQLiteStore, "_store_enrichment", broken)
        with pytest.raises(ArchiveError, match="findings of enrichment could not be stored .disk I/O error"):
            archive.ingest(_write(tmp_path / "s.jsonl", changed))
        assert archive.enrichment_due()
        assert archive.people()["people"] == people
        assert {k: v for k, v in _findings(archive).items() if k != "s2"} == \
            {k: v for k, v in before.items() if k != "s2"}
        monkeypatch.undo()
        archive.enrich()
        assert not archive.enrichment_due()
        assert archive.search("mentions:Harriman").total == 1


def test_references_read_in_another_process_are_those_read_here(tmp_path: Path) -> None:
    with Archive.open(tmp_path / "a.db") as archive:
        archive.ingest(_write(tmp_path / "s.jsonl", STALIN), enrich=False)
        here = {x.id: letter_references(x) for x in archive.store.iter_letters()}
        assert _references_in(str(tmp_path / "a.db")) == here
        assert [r.number or r.day for r in here["s2"][1]] == [date(1945, 5, 1)]


def test_the_seed_and_examples_give_the_same_findings_as_whole_letters(shared_path: Callable[..., Path],
                                                                       tmp_path: Path) -> None:
    with Archive.open(tmp_path / "seed.db") as archive:
        archive.ingest([shared_path("seed"), ROOT / "examples", shared_path("eval", "dfat")], enrich=False)
        expected = _whole_letters_findings(list(archive.store.iter_letters()))
        assert archive.enrich().changed > 300
        assert _findings(archive) == expected


def test_helpers_scanning_texts_beside_this_process_find_the_same(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    # Small chunks, so that the sample letters make several and forked helpers scan some of them
    # (reading the texts over connections of their own); the findings may not depend on it.
    from letterbook.enrich import mentions

    monkeypatch.setattr(mentions, "SCAN_CHUNK", 40)
    examples = [ROOT / "examples" / "letters"] if (ROOT / "examples" / "letters").is_dir() else []
    with Archive.open(tmp_path / "a.db") as archive:
        archive.ingest([_write(tmp_path / "s.jsonl", STALIN), *examples], enrich=False)
        letters = list(archive.store.iter_letters())
        assert len(letters) > 3 * 40
        alone = enrich(copy.deepcopy(letters), options=EnrichOptions(workers=1))
        helped = enrich(copy.deepcopy(letters), options=EnrichOptions(workers=3))
        assert helped.mentions == alone.mentions
        assert {p.id for p in helped.people} == {p.id for p in alone.people}
        from letterbook import archive_people

        opened = tmp_path / "helpers"
        opened.mkdir()

        def texts_of(path: str) -> object:
            (opened / str(os.getpid())).touch()  # a helper opened the archive for its texts
            return reopen(path)

        reopen = archive_people._texts_of
        monkeypatch.setattr(archive_people, "_texts_of", texts_of)
        archive.enrich(options=EnrichOptions(workers=3))
        assert len(list(opened.iterdir())) == 2
        expected = _whole_letters_findings(letters)
        assert _findings(archive) == expected

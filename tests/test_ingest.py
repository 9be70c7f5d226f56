"""Ingest: files into the archive, safe to repeat, keeping ids and people's corrections."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest
from corpus import write_jsonl, write_markdown

from letterbook import Archive
from letterbook import prepare as prepare_module
from letterbook.errors import LetterNotFound
from letterbook.read import read_path
from letterbook.search import tag_letter
from letterbook.store.sqlite import SQLiteStore

ROOT = Path(__file__).parents[1]
EXAMPLES = ROOT / "examples" / "letters"


@pytest.fixture
def archive(archive_url: str) -> Archive:
    """Give a new archive, once on each store (tests/conftest.py): the same expectations for both."""
    with Archive.open(archive_url) as opened:
        yield opened


def test_the_sample_letters_go_in_whole(archive: Archive) -> None:
    report = archive.ingest([EXAMPLES], enrich=False)  # enrichment adds mentions and links
    assert (report.files, report.new, report.failed) == (301, 301, [])
    seed = EXAMPLES / "000_3d2466e82666b884.txt"
    read = read_path(seed)[0]
    stored = next(archive.letters('from:"J. Stalin"'))
    assert stored.id is not None
    stored.id = None
    read.source.path = str(seed.resolve())
    assert stored == read  # what was read, apart from the id
    stats = archive.stats()
    assert (stats["letters"], stats["files"], stats["indexed"]) == (301, 301, 301)


def test_an_unchanged_file_costs_no_write(tmp_path: Path, archive: Archive) -> None:
    folder = tmp_path / "letters"
    write_markdown(folder, 30)
    write_jsonl(folder / "register.jsonl", 200)
    first = archive.ingest([folder])
    assert (first.new, first.files_read) == (230, 31)
    writes, sequence = archive.store.writes(), archive.store.sequence()
    again = archive.ingest([folder])
    assert (again.files_unchanged, again.files_read, again.new, again.updated, again.unchanged) == (31, 0, 0, 0, 230)
    assert archive.store.writes() == writes
    assert archive.store.sequence() == sequence
    assert "31 unchanged" in again.summary()


def test_a_run_from_another_folder_finds_the_same_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "letters"
    write_markdown(folder, 5)
    db = tmp_path / "a.db"
    monkeypatch.chdir(tmp_path)
    with Archive.open(db) as archive:
        archive.ingest(["letters"])
    monkeypatch.chdir(folder)
    with Archive.open(db) as archive:
        report = archive.ingest(["."])
        assert (report.files_unchanged, report.new) == (5, 0)


def test_a_changed_file_keeps_its_letters_ids(tmp_path: Path, archive: Archive) -> None:
    folder = tmp_path / "letters"
    paths = write_markdown(folder, 4)
    archive.ingest([folder])
    before = {letter.source.path: letter.id for letter in archive.letters()}
    text = paths[1].read_text(encoding="utf-8")
    paths[1].write_text(text.replace("\n\n", "\n\nA new first paragraph about the harbour.\n\n", 2).replace(
        "A new first paragraph about the harbour.\n\n", "", 1), encoding="utf-8")
    report = archive.ingest([folder])
    assert (report.files_read, report.files_unchanged, report.updated, report.new) == (1, 3, 1, 0)
    after = {letter.source.path: letter.id for letter in archive.letters()}
    assert after == before
    changed = archive.get(before[str(paths[1])])
    assert "A new first paragraph about the harbour." in changed.body
    assert archive.search('"new first paragraph"').hits[0].letter.id == before[str(paths[1])]


def test_given_ids_are_kept_and_lines_gone_are_withdrawn(tmp_path: Path, archive: Archive) -> None:
    register = tmp_path / "register.jsonl"
    records = write_jsonl(register, 10)
    archive.ingest([register])
    assert sorted(letter.id for letter in archive.letters()) == [r["id"] for r in records]
    lines = register.read_text(encoding="utf-8").splitlines(keepends=True)
    register.write_text("".join(lines[:3] + lines[4:]), encoding="utf-8")  # T000004 taken out
    report = archive.ingest([register])
    assert report.withdrawn == 1
    with pytest.raises(LetterNotFound, match="withdrawn"):
        archive.get("T000004")
    assert archive.search("T000004").total == 0
    assert archive.stats()["letters"] == 9
    register.write_text("".join(lines), encoding="utf-8")
    archive.ingest([register])
    assert archive.get("T000004").title == records[3]["title"]


def test_a_persons_correction_survives_the_next_ingest(tmp_path: Path, archive: Archive) -> None:
    register = tmp_path / "register.jsonl"
    records = write_jsonl(register, 5)
    archive.ingest([register])
    change = archive.edit("T000002", "sender", "Joseph Stalin", editor="A. Historian")
    assert (change.old, change.new, change.editor) == (records[1]["sender"], "Joseph Stalin", "A. Historian")
    archive.edit("T000002", "date", "23 December 1945", editor="A. Historian")
    # The file changes: a new title and a new sender for that letter.
    records[1]["title"] = "A better title"
    records[1]["sender"] = "Somebody Else"
    register.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    report = archive.ingest([register])
    assert report.updated == 1
    letter = archive.get("T000002")
    assert letter.title == "A better title"  # read automatically: follows the file
    assert letter.sender is not None and letter.sender.name == "Joseph Stalin"  # the person's
    assert letter.date is not None and (letter.date.when, letter.date.as_written) == ("1945-12-23", "23 December 1945")
    provenance = archive.provenance("T000002")
    assert set(provenance) == {"sender", "date"}
    assert provenance["sender"].editor == "A. Historian"
    assert provenance["sender"].auto_value["name"] == "Somebody Else"  # the new reading, kept beside
    # from: finds the person by any form: the letters written "J. Stalin" too
    assert "T000002" in {hit.letter.id for hit in archive.search('from:"Joseph Stalin"').hits}
    assert archive.search('from:"Somebody Else"').total == 0


def test_history_says_who_when_old_and_new(tmp_path: Path, archive: Archive) -> None:
    register = tmp_path / "register.jsonl"
    write_jsonl(register, 2)
    archive.ingest([register])
    archive.edit("T000001", "recipients", "Harry S. Truman; James F. Byrnes", editor="ed")
    archive.edit("T000001", "place", "", editor="ed2")
    entries = archive.history("T000001")
    assert [(e.kind, e.editor, e.field) for e in entries] == [
        ("new", "letterbook ingest", None), ("edited", "ed", "recipients"), ("edited", "ed2", "place")]
    assert entries[0].new == str(register)
    assert entries[1].new == "Harry S. Truman; James F. Byrnes"
    assert entries[2].new == "" and entries[2].old
    assert all(e.at.endswith("+00:00") for e in entries)
    letter = archive.get("T000001")
    assert [r.name for r in letter.recipients] == ["Harry S. Truman", "James F. Byrnes"]
    assert letter.place is None


def test_bad_files_are_reported_and_nothing_stored_is_lost(tmp_path: Path, archive: Archive) -> None:
    folder = tmp_path / "box"
    folder.mkdir()
    register = folder / "register.jsonl"
    write_jsonl(register, 10)
    (folder / "good.md").write_text("# Alfred Escher to Jakob Escher\n\nZürich, 2 January 1840\n\nLieber Vater.\n")
    archive.ingest([folder])
    assert archive.stats()["letters"] == 11
    (folder / "empty.txt").write_bytes(b"")
    (folder / "scan.png.txt").write_bytes(b"\x89PNG\x00\x00\x01binary")
    lines = register.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[4] = '{"id": "T000005", "title": broken\n'
    register.write_text("".join(lines), encoding="utf-8")
    report = archive.ingest([folder])
    reasons = {Path(p.path).name: p.reason for p in report.failed}
    assert reasons == {
        "empty.txt": "empty file",
        "scan.png.txt": "binary data, not a text, HTML, XML or CSV file",
        "register.jsonl": "line 5: not a JSON object (Expecting value, column 28); the 4 letters before it were read",
    }
    assert archive.stats()["letters"] == 11  # the letters after the break are kept, not withdrawn
    assert archive.get("T000009").id == "T000009"
    assert archive.stats()["files_failed"] == 3


def test_a_large_register_read_in_pieces_gives_what_a_stream_gives(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    register = tmp_path / "big.jsonl"
    write_jsonl(register, 3000)
    monkeypatch.setattr(prepare_module, "SPLIT_FROM", 10_000)
    monkeypatch.setattr(prepare_module, "PIECE_BYTES", 50_000)
    checked = prepare_module.check(str(register))
    assert len(checked.pieces) > 10
    with Archive.open(":memory:") as pieces:
        report = pieces.ingest([register], workers=2)
        assert report.new == 3000
        in_pieces = {letter.id: letter for letter in pieces.letters(sort="id")}
    with Archive.open(":memory:") as whole:
        whole.ingest([register], workers=1)
        as_stream = {letter.id: letter for letter in whole.letters(sort="id")}
    assert in_pieces == as_stream
    assert in_pieces["T003000"].source.part == 2999


def test_a_break_in_a_piece_is_reported_as_a_stream_reports_it(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    register = tmp_path / "big.jsonl"
    write_jsonl(register, 2000)
    lines = register.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1500] = "not json\n"
    register.write_text("".join(lines), encoding="utf-8")
    monkeypatch.setattr(prepare_module, "SPLIT_FROM", 10_000)
    monkeypatch.setattr(prepare_module, "PIECE_BYTES", 50_000)
    with Archive.open(":memory:") as archive:
        report = archive.ingest([register], workers=2)
        assert [p.reason for p in report.failed] == [
            "line 1501: not a JSON object (Expecting value, column 1); the 1500 letters before it were read"]
        assert report.new == 1500
        assert archive.stats()["letters"] == 1500


def test_a_folder_needs_recursive_as_extract_does(tmp_path: Path, archive: Archive) -> None:
    write_markdown(tmp_path / "letters", 2)
    report = archive.ingest([tmp_path / "letters"], recursive=False)
    assert [p.reason for p in report.failed] == ["is a folder (use --recursive to read its files)"]


def test_letters_from_many_files_in_parallel(tmp_path: Path, archive: Archive) -> None:
    folder = tmp_path / "letters"
    write_markdown(folder, 150)
    report = archive.ingest([folder], workers=2)
    assert (report.new, report.failed) == (150, [])
    assert len({letter.id for letter in archive.letters()}) == 150


def test_a_sound_register_is_really_read_in_pieces(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Reading in pieces falls back to reading the whole file when a piece fails: a piece must not
    # fail on a sound file (the fallback would hide it, and cost the parallel reading).
    register = tmp_path / "big.jsonl"
    write_jsonl(register, 500)
    monkeypatch.setattr(prepare_module, "SPLIT_FROM", 10_000)
    monkeypatch.setattr(prepare_module, "PIECE_BYTES", 50_000)
    checked = prepare_module.check(str(register))
    tasks = list(prepare_module.tasks_for([checked], fmt=None, parallel=True))
    tagger = functools.partial(tag_letter, "tantivy")
    outcomes = [prepare_module._run(task, None, SQLiteStore.prepare, tagger)[0] for task in tasks]
    assert len(outcomes) > 3 and not any(outcome.broken for outcome in outcomes)
    assert sum(len(outcome.items) for outcome in outcomes) == 500


def test_the_log_is_copied_into_the_file_while_an_ingest_goes_on(tmp_path: Path) -> None:
    # The write-ahead log is checkpointed on a thread of its own after each batch, not left to
    # grow until the archive closes (nor copied inside the ingest's own commits).
    db = tmp_path / "a.db"
    write_jsonl(tmp_path / "letters.jsonl", 400)
    with Archive.open(db) as archive:
        before = db.stat().st_size
        archive.ingest([tmp_path / "letters.jsonl"], enrich=False, batch_size=50)
        # Without it, a log this small (well under the connection's own threshold) would reach the
        # file only when the archive closes.
        assert db.stat().st_size > before * 2
        assert len(list(archive.letters())) == 400
    assert not Path(f"{db}-wal").exists() or Path(f"{db}-wal").stat().st_size == 0

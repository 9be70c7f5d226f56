"""A real `letterbook ingest` killed partway (kill -9, Ctrl-C): the archive opens clean, and a
second run ends with every letter present exactly once."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from corpus import write_jsonl

from letterbook import Archive

LETTERBOOK = Path(sys.executable).with_name("letterbook")


def _stored(db: Path) -> int:
    """Give the number of letters committed so far (0 while the archive is not made yet)."""
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.1)
        try:
            return int(con.execute("SELECT count(*) FROM letters").fetchone()[0])
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def _start(paths: list[Path], db: Path, *extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([str(LETTERBOOK), "ingest", *map(str, paths), "--db", str(db), "--quiet", *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _interrupt_after(process: subprocess.Popen[bytes], db: Path, letters: int, sig: int) -> int:
    """Send ``sig`` once ``letters`` are committed; give how many were then."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        stored = _stored(db)
        if stored >= letters:
            process.send_signal(sig)
            process.wait(timeout=60)
            return stored
        if process.poll() is not None:
            pytest.fail(f"ingest ended before it could be interrupted: {process.stderr.read().decode()}"
                        if process.stderr else "ingest ended before it could be interrupted")
        time.sleep(0.005)
    process.kill()
    pytest.fail("ingest stored nothing within two minutes")


def _check_whole(db: Path, expected_ids: set[str]) -> None:
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    ids = [row[0] for row in con.execute("SELECT id FROM letters WHERE withdrawn_at IS NULL")]
    con.close()
    assert len(ids) == len(set(ids)) == len(expected_ids)  # each letter once
    assert set(ids) == expected_ids


@pytest.mark.parametrize("workers", ["1", "2"])
def test_kill_9_loses_only_the_batch_in_flight(tmp_path: Path, workers: str) -> None:
    # Many registers, so that the kill falls among files as well as inside one.
    folder = tmp_path / "registers"
    folder.mkdir()
    expected: set[str] = set()
    for number in range(40):  # 20,000 letters: enough batches to be caught partway on a fast machine
        records = write_jsonl(folder / f"register-{number:02d}.jsonl", 500, seed=number, start=number * 500 + 1)
        expected |= {str(r["id"]) for r in records}
    db = tmp_path / "archive.db"
    process = _start([folder], db, "--recursive", "--workers", workers)
    stored = _interrupt_after(process, db, 2000, signal.SIGKILL)
    assert process.returncode == -signal.SIGKILL
    assert 2000 <= stored < len(expected), "the kill came too late to test anything"

    con = sqlite3.connect(db)  # opens clean: the write-ahead log is rolled back or forward
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    done = con.execute("SELECT path, letters FROM files WHERE status = 'done'").fetchall()
    for path, letters in done:  # a file marked read has all its letters
        assert con.execute("SELECT count(*) FROM letters l JOIN files f ON f.id = l.file WHERE f.path = ?",
                           (path,)).fetchone()[0] == letters == 500
    con.close()

    again = subprocess.run([str(LETTERBOOK), "ingest", str(folder), "--db", str(db), "-r", "--quiet"],
                           capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    _check_whole(db, expected)
    with Archive.open(db) as archive:  # and the search index caught up with every letter
        assert archive.stats()["indexed"] == len(expected)
        assert archive.search("").total == len(expected)


def test_ctrl_c_stops_cleanly_and_a_rerun_finishes(tmp_path: Path) -> None:
    register = tmp_path / "register.jsonl"
    records = write_jsonl(register, 20_000)
    db = tmp_path / "archive.db"
    process = _start([register], db, "--workers", "1")
    _interrupt_after(process, db, 2000, signal.SIGINT)
    assert process.returncode == 130
    assert process.stderr is not None
    assert process.stderr.read().decode().strip().splitlines()[-1] == (
        "letterbook: interrupted; what was stored is kept: run the same command again to finish")
    again = subprocess.run([str(LETTERBOOK), "ingest", str(register), "--db", str(db), "--quiet"],
                           capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    _check_whole(db, {str(r["id"]) for r in records})


def test_the_index_catches_up_after_a_crash_between_store_and_index(tmp_path: Path) -> None:
    register = tmp_path / "register.jsonl"
    write_jsonl(register, 50)
    db = tmp_path / "archive.db"
    with Archive.open(db) as archive:
        # As if the process died after the store's commit and before the index's.
        archive._follow = lambda result: None  # type: ignore[method-assign]
        archive.ingest([register])
        archive._index_dirty = 0
    with Archive.open(db) as archive:
        assert archive.stats()["indexed"] == 50
        assert archive.search("").total == 50
    index_folder = Path(str(db) + ".index")
    for entry in index_folder.iterdir():
        entry.unlink()  # the index lost altogether
    with Archive.open(db) as archive:
        assert archive.stats()["indexed"] == 50
        assert os.path.exists(index_folder)

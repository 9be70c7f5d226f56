"""Ingest: files -> letters -> the store, in batched transactions, safe to repeat and to interrupt.

The steps, for ``Archive.ingest``:

1. find the files (``read.iter_files``) and name each by its absolute path, so a run from another
   folder finds the same files again;
2. check each file's SHA-256 against the store: a file read before and unchanged is not read again
   and costs no write;
3. read the others in parallel on all cores (``extract.read_many``; a large JSON Lines or CSV file
   is read as a stream) and hand their letters to the store in batches of ``BATCH_SIZE``, each one
   transaction, with the record of every file whose last letters it holds;
4. keep the search index in step with the store's change sequence.

An interrupted run (Ctrl-C, ``kill -9``) loses at most the batch in flight: files not recorded as
read are read again by the next run, whose letters then match those already stored.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .extract import read_many
from .read import ReadProblem, iter_files
from .store.base import Batch, FileRecord, IncomingLetter, Skipped, Store

#: Letters written per transaction: large enough that commits cost little, small enough that an
#: interruption loses little.
BATCH_SIZE = 2000
#: Bytes read at a time when computing a file's checksum.
_BLOCK = 1 << 20
#: Formats whose files hold one letter a line (or a row), so a line count estimates their letters.
_LINE_FORMATS = (".jsonl", ".ndjson", ".csv", ".tsv")


@dataclass
class IngestProgress:
    """How far an ingest has come, for a progress bar.

    ``units_done``/``units_total`` measure the work: one unit per letter expected (a JSON Lines or
    CSV file counts its lines, another file counts 1) so that the rate and the time left hold for a
    folder of small files and a single large file alike.
    """

    phase: Literal["checking", "reading", "indexing", "done"]
    files_total: int = 0
    files_done: int = 0
    letters: int = 0
    units_done: int = 0
    units_total: int = 0
    started: float = field(default_factory=time.monotonic)

    @property
    def rate(self) -> float:
        """Give the letters stored per second so far."""
        elapsed = time.monotonic() - self.started
        return self.letters / elapsed if elapsed > 0 else 0.0


@dataclass
class IngestReport:
    """What an ingest did: files read, unchanged and failed; letters new, updated, unchanged."""

    files: int = 0
    files_read: int = 0
    files_unchanged: int = 0
    failed: list[ReadProblem] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    withdrawn: int = 0
    seconds: float = 0.0

    @property
    def letters(self) -> int:
        """Give the number of letters read or found unchanged."""
        return self.new + self.updated + self.unchanged

    def summary(self) -> str:
        """Give the report as the lines ``letterbook ingest`` ends with."""
        files = (f"{self.files:,} file{'s' if self.files != 1 else ''}: {self.files_read - len(self.failed):,} read, "
                 f"{self.files_unchanged:,} unchanged, {len(self.failed):,} failed")
        letters = (f"letters: {self.new:,} new, {self.updated:,} updated, {self.unchanged:,} unchanged"
                   + (f", {self.withdrawn:,} withdrawn (no longer in their files)" if self.withdrawn else "")
                   + (f", {len(self.skipped):,} not stored" if self.skipped else ""))
        rate = self.letters / self.seconds if self.seconds > 0 else 0.0
        return f"{files}\n{letters}\n{self.seconds:.1f} s, {rate:,.0f} letters/s"

    def to_json(self) -> dict[str, Any]:
        """Give the report as a JSON object."""
        return {"files": self.files, "files_read": self.files_read, "files_unchanged": self.files_unchanged,
                "failed": [{"path": p.path, "reason": p.reason} for p in self.failed],
                "not_stored": [{"path": s.file, "part": s.part, "reason": s.reason} for s in self.skipped],
                "new": self.new, "updated": self.updated, "unchanged": self.unchanged,
                "withdrawn": self.withdrawn, "seconds": round(self.seconds, 3)}


@dataclass
class _Checked:
    """A file found to ingest: its absolute path, size, checksum and the letters it may hold."""

    path: str
    size: int | None
    sha256: str | None
    units: int


def _check(path: str) -> _Checked:
    """Give a file's size, SHA-256 and expected letters (None, None, 1 when it cannot be read:
    the reader then names the problem)."""
    try:
        size = os.stat(path).st_size
        digest = hashlib.sha256()
        lines = 0
        count_lines = path.lower().endswith(_LINE_FORMATS)
        with open(path, "rb") as handle:
            while block := handle.read(_BLOCK):
                digest.update(block)
                if count_lines:
                    lines += block.count(b"\n")
        return _Checked(path, size, digest.hexdigest(), max(1, lines))
    except OSError:
        return _Checked(path, None, None, 1)


Listener = Callable[[IngestProgress], None]


class Ingest:
    """One run of ``Archive.ingest``; ``on_batch`` is called with each batch's result (the archive
    keeps its search index in step with it)."""

    def __init__(self, store: Store, on_batch: Callable[[Any], None], *, workers: int | None = None,
                 fmt: str | None = None, progress: Listener | None = None, batch_size: int = BATCH_SIZE) -> None:
        self.store = store
        self.on_batch = on_batch
        self.workers = workers
        self.fmt = fmt
        self.listener = progress
        self.batch_size = batch_size
        self.report = IngestReport()
        self.progress = IngestProgress("checking")

    def _tell(self) -> None:
        if self.listener is not None:
            self.listener(self.progress)

    def run(self, paths: Iterable[str | os.PathLike[str]], *, recursive: bool = True) -> IngestReport:
        """Give the report of ingesting the files under ``paths``."""
        started = time.monotonic()
        files = self._files(paths, recursive)
        self.report.files = len(files)
        self.progress.files_total = len(files)
        self._tell()
        checked = self._check_all(files)
        known = self.store.files([c.path for c in checked])
        to_read: list[_Checked] = []
        for item in checked:
            record = known.get(item.path)
            if record is not None and record.done and item.sha256 is not None and record.sha256 == item.sha256:
                self.report.files_unchanged += 1
                self.report.unchanged += record.letters
            else:
                to_read.append(item)
        self.progress.phase = "reading"
        self.progress.files_total = len(to_read)
        self.progress.units_total = sum(item.units for item in to_read)
        self.progress.started = time.monotonic()
        self._tell()
        if to_read:
            self._read(to_read)
        self.report.files_read = len(to_read)
        self.report.seconds = time.monotonic() - started
        self.progress.phase = "done"
        self._tell()
        return self.report

    @staticmethod
    def _files(paths: Iterable[str | os.PathLike[str]], recursive: bool) -> list[str]:
        # Without --recursive a folder is passed on as it is, and its reader names the problem
        # ("is a folder (use --recursive ...)"), as `extract` does.
        given = list(paths)
        found = iter_files(given, recursive=True).files if recursive else [Path(p) for p in given]
        return list(dict.fromkeys(os.path.abspath(p) for p in found))

    def _check_all(self, files: Sequence[str]) -> list[_Checked]:
        if len(files) < 64:
            return [_check(f) for f in files]
        # Checksums are I/O and hashlib, which both release the GIL: threads are enough.
        with ThreadPoolExecutor(max_workers=4) as pool:
            return list(pool.map(_check, files, chunksize=64))

    def _read(self, to_read: list[_Checked]) -> None:
        batch = Batch()
        for item, result in zip(to_read, read_many([Path(c.path) for c in to_read], fmt=self.fmt,
                                                   workers=self.workers), strict=True):
            self.store.start_file(item.path)
            units = 0
            fmt: str | None = None
            for letter in result.letters:
                batch.letters.append(IncomingLetter(item.path, letter))
                # A letter carried from elsewhere (extract --jsonl output) names its own format.
                fmt = fmt or (letter.source.format if letter.source.path == item.path else "jsonl")
                units += 1
                if units <= item.units:
                    self.progress.units_done += 1
                if len(batch.letters) >= self.batch_size:
                    batch = self._flush(batch)
            self.progress.units_done += max(0, item.units - units)
            self.progress.files_done += 1
            record = FileRecord(item.path, item.sha256, item.size, fmt or self.fmt)
            if result.problem is not None:
                record.status = "failed"
                record.problem = result.problem.reason
                self.report.failed.append(result.problem)
                batch.failed.append(record)
            else:
                batch.finished.append(record)
            if len(batch.letters) >= self.batch_size or len(batch.finished) + len(batch.failed) >= self.batch_size:
                batch = self._flush(batch)
            else:
                self._tell()
        self._flush(batch)

    def _flush(self, batch: Batch) -> Batch:
        if batch.letters or batch.finished or batch.failed:
            result = self.store.write(batch)
            self.report.new += result.new
            self.report.updated += result.updated
            self.report.unchanged += result.unchanged
            self.report.withdrawn += result.withdrawn
            self.report.skipped.extend(result.skipped)
            self.progress.letters += result.new + result.updated + result.unchanged
            self.on_batch(result)
            self._tell()
        return Batch()

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

import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .collector import fewer_collections
from .model import Letter
from .prepare import Checked, MainTask, Tagger, check, prepare_letters, read_prepared, stream_file
from .read import ReadProblem, iter_files
from .store.base import Batch, FileRecord, IncomingLetter, Skipped, Store

#: Letters written per transaction: large enough that commits cost little, small enough that an
#: interruption loses little.
BATCH_SIZE = 2000


@dataclass
class IngestProgress:
    """How far an ingest has come, for a progress bar.

    ``units_done``/``units_total`` measure the work: one unit per letter expected (a JSON Lines or
    CSV file counts its lines, another file counts 1) so that the rate and the time left hold for a
    folder of small files and a single large file alike.
    """

    phase: Literal["checking", "reading", "indexing", "enriching", "done"]
    files_total: int = 0
    files_done: int = 0
    letters: int = 0
    units_done: int = 0
    units_total: int = 0
    started: float = field(default_factory=time.monotonic)
    step: str = ""  # enriching: the pass under way ("people", "mentions", ...), ``ENRICH_STEPS``

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
    enrichment: Any = None  # the EnrichReport of the enrichment run that followed, if one did

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
        text = f"{files}\n{letters}\n{self.seconds:.1f} s, {rate:,.0f} letters/s"
        if self.enrichment is not None:
            text += "\n" + self.enrichment.summary()
        return text

    def to_json(self) -> dict[str, Any]:
        """Give the report as a JSON object."""
        return {"files": self.files, "files_read": self.files_read, "files_unchanged": self.files_unchanged,
                "failed": [{"path": p.path, "reason": p.reason} for p in self.failed],
                "not_stored": [{"path": s.file, "part": s.part, "reason": s.reason} for s in self.skipped],
                "new": self.new, "updated": self.updated, "unchanged": self.unchanged,
                "withdrawn": self.withdrawn, "seconds": round(self.seconds, 3),
                "enrichment": self.enrichment.to_json() if self.enrichment is not None else None}


Listener = Callable[[IngestProgress], None]


class Ingest:
    """One run of ``Archive.ingest``.

    ``on_batch`` is called with each batch's result (the archive keeps its search index in step
    with it); ``tagger`` makes, in the worker that read a letter, the tag the result gives back
    with the letter's id (the archive's search document of it).
    """

    def __init__(self, store: Store, on_batch: Callable[[Any], None], *, workers: int | None = None,
                 fmt: str | None = None, progress: Listener | None = None, batch_size: int = BATCH_SIZE,
                 tagger: Tagger | None = None) -> None:
        self.store = store
        self.tagger = tagger
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
        with fewer_collections():
            return self._run(paths, recursive)

    def _run(self, paths: Iterable[str | os.PathLike[str]], recursive: bool) -> IngestReport:
        started = time.monotonic()
        files = self._files(paths, recursive)
        self.report.files = len(files)
        self.progress.files_total = len(files)
        self._tell()
        checked = self._check_all(files)
        known = self.store.files([c.path for c in checked])
        to_read: list[Checked] = []
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

    def _check_all(self, files: Sequence[str]) -> list[Checked]:
        if len(files) < 64:
            return [check(f, self.fmt) for f in files]
        # Checksums are I/O and hashlib, which both release the GIL: threads are enough.
        with ThreadPoolExecutor(max_workers=4) as pool:
            return list(pool.map(check, files, [self.fmt] * len(files), chunksize=64))

    def _read(self, to_read: list[Checked]) -> None:
        by_path = {item.path: item for item in to_read}
        batch = Batch()
        prepare = type(self.store).prepare
        started: set[str] = set()
        broken: set[str] = set()
        for outcome in read_prepared(to_read, fmt=self.fmt, workers=self.workers, prepare=prepare,
                                     tagger=self.tagger):
            if isinstance(outcome, MainTask):  # a large CSV register: read here, as a stream
                letters, problem = stream_file(outcome.path, self.fmt)
                self.store.start_file(outcome.path)
                batch = self._stream(batch, by_path[outcome.path], letters, problem)
                continue
            item = by_path[outcome.path]
            if outcome.path not in started:
                started.add(outcome.path)
                self.store.start_file(outcome.path)
            if outcome.broken or outcome.path in broken:
                broken.add(outcome.path)
                if outcome.last:  # read the whole file again, for the exact letters and message
                    letters, problem = stream_file(outcome.path, self.fmt)
                    batch = self._stream(batch, item, letters, problem)
                continue
            for prepared, tag in outcome.items:
                batch.letters.append(IncomingLetter(item.path, prepared=prepared, tag=tag, file_sha256=item.sha256))
                if len(batch.letters) >= self.batch_size:
                    batch = self._flush(batch)
            self.progress.units_done += len(outcome.items)
            if outcome.last:
                batch = self._end_file(batch, item, outcome.format, outcome.problem)
        self._flush(batch)

    def _stream(self, batch: Batch, item: Checked, letters: Iterator[Letter],
                problem: Callable[[], ReadProblem | None]) -> Batch:
        """Give the batch after adding a file's letters read here, as a stream."""
        fmt = None
        prepare = type(self.store).prepare
        for prepared, tag, letter_format in prepare_letters(letters, item.path, item.sha256, prepare, self.tagger):
            fmt = fmt or letter_format
            batch.letters.append(IncomingLetter(item.path, prepared=prepared, tag=tag, file_sha256=item.sha256))
            self.progress.units_done += 1
            if len(batch.letters) >= self.batch_size:
                batch = self._flush(batch)
        return self._end_file(batch, item, fmt, problem())

    def _end_file(self, batch: Batch, item: Checked, fmt: str | None, problem: ReadProblem | None) -> Batch:
        """Give the batch after adding the record of a file read to its end (or its problem)."""
        self.progress.files_done += 1
        record = FileRecord(item.path, item.sha256, item.size, fmt or self.fmt)
        if problem is not None:
            record.status = "failed"
            record.problem = problem.reason
            self.report.failed.append(problem)
            batch.failed.append(record)
        else:
            batch.finished.append(record)
        if len(batch.finished) + len(batch.failed) >= self.batch_size:
            return self._flush(batch)
        self._tell()
        return batch

    def _flush(self, batch: Batch) -> Batch:
        if batch.letters or batch.finished or batch.failed:
            result = self.store.write(batch)
            self.report.new += result.new
            self.report.updated += result.updated
            self.report.unchanged += result.unchanged
            self.report.withdrawn += result.withdrawn
            self.report.skipped.extend(result.skipped)
            self.progress.letters += result.new + result.updated + result.unchanged
            self.progress.units_done = min(self.progress.units_done, self.progress.units_total)
            self.on_batch(result)
            self._tell()
        return Batch()

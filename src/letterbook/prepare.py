"""Reading files for ingest in worker processes: letters read, and prepared for the store there.

``extract.read_many`` hands whole ``Letter`` objects from its workers to the main process; for
ingest that costs more than it saves (a letter is pickled, sent and unpickled, and the main
process, which alone writes to the store, would still have to turn it into rows). Here the
workers also do that: each letter leaves its worker as the store's prepared rows
(``Store.prepare``) and its search document (the ``tagger``), plain tuples that travel cheaply.

A large JSON Lines file is cut at line ends into pieces of about ``PIECE_BYTES``, read by all the
workers at once; each piece is read by the JSON Lines reader exactly as a stream of the whole file
would be, and its letters numbered as in the whole file. Should a piece fail, the whole file is
read again the ordinary way in the main process, so that the letters before the break and the
message are exactly those a stream gives. A large file of another format (a CSV register) is read
as a stream in the main process.
"""

from __future__ import annotations

import gc
import hashlib
import io
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .collector import FEWER_COLLECTIONS
from .errors import UnreadableFile
from .extract import PARALLEL_FROM, STREAM_FROM, read_one, stream_one
from .model import Letter
from .read import Document, ReadProblem, detect_format
from .read import reader_for as _reader_for
from .store.rows import CORE_COLUMNS

#: A JSON Lines file larger than this is read in pieces by several processes.
SPLIT_FROM = STREAM_FROM
#: The size of a piece of a large JSON Lines file.
PIECE_BYTES = 4_000_000
#: Files handed to a worker at once: enough that sending the task costs little.
FILES_PER_TASK = 16
_BLOCK = 1 << 20
_LINE_SUFFIXES = (".jsonl", ".ndjson", ".csv", ".tsv")

Prepare = Callable[[Letter, str, str | None], Any]
#: Makes a letter's search document; given the body text of the store's rows when they hold one.
Tagger = Callable[[Letter, str | None], Any]
_BODY = CORE_COLUMNS.index("body")


@dataclass
class Checked:
    """A file found to ingest: its absolute path, size, SHA-256, the letters it may hold (its
    lines, for JSON Lines and CSV; else 1) and, for a large JSON Lines file, its pieces as
    (start byte, end byte, number of lines before the piece)."""

    path: str
    size: int | None
    sha256: str | None
    units: int
    pieces: list[tuple[int, int, int]] = field(default_factory=list)


def check(path: str, fmt: str | None = None) -> Checked:
    """Give a file's size, checksum, expected letters and pieces (size and checksum None when it
    cannot be read: its reader then names the problem)."""
    try:
        size = os.stat(path).st_size
        split = size > SPLIT_FROM and _is_jsonl(path, fmt)
        count_lines = split or path.lower().endswith(_LINE_SUFFIXES)
        digest = hashlib.sha256()
        lines = 0
        offset = 0
        pieces: list[tuple[int, int, int]] = []
        piece_start, piece_lines = 0, 0
        with open(path, "rb") as handle:
            while block := handle.read(_BLOCK):
                digest.update(block)
                if count_lines:
                    at = 0
                    while split:  # cut a piece at the first line end once it is PIECE_BYTES long
                        cut = block.find(b"\n", max(piece_start + PIECE_BYTES - offset, at))
                        if piece_start + PIECE_BYTES - offset >= len(block) or cut < 0:
                            break
                        end = offset + cut + 1
                        pieces.append((piece_start, end, piece_lines))
                        piece_start, piece_lines = end, lines + block.count(b"\n", 0, cut + 1)
                        at = cut + 1
                    lines += block.count(b"\n")
                offset += len(block)
        if split and piece_start < offset:
            pieces.append((piece_start, offset, piece_lines))
        return Checked(path, size, digest.hexdigest(), max(1, lines), pieces if len(pieces) > 1 else [])
    except OSError:
        return Checked(path, None, None, 1)


def _is_jsonl(path: str, fmt: str | None) -> bool:
    if fmt is not None:
        return fmt == "jsonl"
    try:
        return detect_format(Document.open(Path(path))) == "jsonl"
    except UnreadableFile:
        return False


# ------------------------------------------------------------------------------------ the tasks


@dataclass
class Outcome:
    """What a task gave for one file (or one piece of it): prepared letters, or the problem.

    ``items`` are (prepared letter, tag) pairs; ``formats`` the formats of its letters' sources.
    For a piece, ``last`` tells whether it ends the file, and ``broken`` that it could not be
    read (the file is then read again as a whole).
    """

    path: str
    items: list[tuple[Any, Any]] = field(default_factory=list)
    problem: ReadProblem | None = None
    format: str | None = None
    piece: bool = False
    last: bool = True
    broken: bool = False


@dataclass
class _FilesTask:
    paths: list[str]
    sha256s: list[str | None]


@dataclass
class _PieceTask:
    path: str
    start: int
    end: int
    lines_before: int
    sha256: str | None
    last: bool


@dataclass
class MainTask:
    """A large file of a format read as a stream (CSV): read in the main process."""

    path: str


def _stored_body(prepared: Any) -> str | None:
    """Give the body text of a letter's prepared rows, when they are ``store.rows.flatten``'s."""
    try:
        text = prepared[1][0][_BODY]
    except (TypeError, IndexError, KeyError):
        return None
    return text if isinstance(text, str) else None


def _prepared(letter: Letter, path: str, sha256: str | None, prepare: Prepare,
              tagger: Tagger | None) -> tuple[Any, Any]:
    prepared = prepare(letter, path, sha256)
    tag = None
    if tagger is not None:
        given = letter.id
        letter.id = given or "\x00"  # a search document needs an id; the store gives the real one
        # The rows' body text is given to the document: one string, pickled once on its way.
        tag = tagger(letter, _stored_body(prepared))
        letter.id = given
    return prepared, tag


def source_format(letter: Letter, path: str) -> str | None:
    """Give the format of the file a letter was read from (a letter carried from elsewhere in a
    JSON Lines file, as ``extract --jsonl`` writes them, names its own)."""
    return letter.source.format if letter.source.path == path else "jsonl"


def prepare_letters(letters: Iterator[Letter], path: str, sha256: str | None, prepare: Prepare,
                    tagger: Tagger | None) -> Iterator[tuple[Any, Any, str | None]]:
    """Give each letter prepared for the store, with its tag and its file's format."""
    for letter in letters:
        yield (*_prepared(letter, path, sha256, prepare, tagger), source_format(letter, path))


def _run_files(task: _FilesTask, fmt: str | None, prepare: Prepare, tagger: Tagger | None) -> list[Outcome]:
    outcomes = []
    for path, sha256 in zip(task.paths, task.sha256s, strict=True):
        result = read_one(path, fmt)
        outcome = Outcome(path, problem=result.problem)
        for letter in result.letters:
            outcome.items.append(_prepared(letter, path, sha256, prepare, tagger))
            outcome.format = outcome.format or source_format(letter, path)
        outcomes.append(outcome)
    return outcomes


class _PieceDocument(Document):
    """A piece of a JSON Lines file, whose lines are given as a stream of the whole file gives them."""

    first: bool = False

    def lines(self, *, repair: bool = True) -> Iterator[str]:
        """Give the piece's lines, decoded line by line as a streamed file's are (``repair`` is
        accepted for the signature's sake: a stream is never repaired)."""
        assert self.data is not None
        for number, raw in enumerate(io.BytesIO(self.data)):
            if b"\x00" in raw:
                raise UnreadableFile(self.display, "binary data")
            yield raw.decode("utf-8-sig" if self.first and number == 0 else "utf-8")


def _run_piece(task: _PieceTask, prepare: Prepare, tagger: Tagger | None) -> Outcome:
    """Give the prepared letters of one piece of a JSON Lines file, or, should anything go wrong,
    a broken outcome (the file is then read again as a whole, the ordinary way)."""
    outcome = Outcome(task.path, piece=True, last=task.last, format="jsonl")
    try:
        with open(task.path, "rb") as handle:
            handle.seek(task.start)
            data = handle.read(task.end - task.start)
        doc = _PieceDocument(path=None, display=task.path, data=data, size=len(data), sha256=task.sha256,
                             format="jsonl")
        doc.first = task.start == 0
        for letter in _reader_for("jsonl")(doc):
            letter.source.part += task.lines_before
            outcome.items.append(_prepared(letter, task.path, task.sha256, prepare, tagger))
    except Exception:  # noqa: BLE001 - any trouble: the whole file is read again, the ordinary way
        outcome.items = []
        outcome.broken = True
    return outcome


def _run(task: _FilesTask | _PieceTask, fmt: str | None, prepare: Prepare, tagger: Tagger | None) -> list[Outcome]:
    if isinstance(task, _PieceTask):
        return [_run_piece(task, prepare, tagger)]
    return _run_files(task, fmt, prepare, tagger)


def _quiet_worker() -> None:
    # Ctrl-C reaches every process of the group; the main process alone decides what to do.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.set_threshold(*FEWER_COLLECTIONS)


def tasks_for(files: list[Checked], *, fmt: str | None, parallel: bool) -> Iterator[_FilesTask | _PieceTask | MainTask]:
    """Give the tasks that read the files, in the files' order."""
    group: list[Checked] = []

    def files_task() -> _FilesTask:
        task = _FilesTask([c.path for c in group], [c.sha256 for c in group])
        group.clear()
        return task

    for item in files:
        streamed = item.size is not None and item.size > STREAM_FROM
        if item.pieces and parallel:
            if group:
                yield files_task()
            for index, (start, end, before) in enumerate(item.pieces):
                yield _PieceTask(item.path, start, end, before, item.sha256, index == len(item.pieces) - 1)
        elif streamed:
            if group:
                yield files_task()
            yield MainTask(item.path)
        else:
            group.append(item)
            if len(group) >= FILES_PER_TASK or not parallel:
                yield files_task()
    if group:
        yield files_task()


def read_prepared(files: list[Checked], *, fmt: str | None, workers: int | None, prepare: Prepare,
                  tagger: Tagger | None) -> Iterator[Outcome | MainTask]:
    """Give, in the files' order, what each file (or piece) gave, read in worker processes when
    there is enough to read; a ``MainTask`` is for the caller to read as a stream."""
    workers = workers if workers is not None else (os.cpu_count() or 1)
    parallel = workers > 1 and (len(files) >= PARALLEL_FROM or any(f.pieces for f in files))
    tasks = tasks_for(files, fmt=fmt, parallel=parallel)
    if not parallel:
        for task in tasks:
            if isinstance(task, MainTask):
                yield task
            else:
                yield from _run(task, fmt, prepare, tagger)
        return
    # fork, as extract.read_many: the workers start at once with everything imported, and a
    # script calling Archive.ingest needs no `if __name__ == "__main__"` guard (spawn and
    # forkserver run the main module again in each worker).
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_quiet_worker)
    ahead: deque[Future[list[Outcome]] | MainTask] = deque()
    try:
        for task in tasks:
            # At most two tasks a worker wait, so a large file is never all in memory at once.
            while len(ahead) >= workers * 2:
                yield from _settle(ahead.popleft())
            ahead.append(task if isinstance(task, MainTask) else pool.submit(_run, task, fmt, prepare, tagger))
        while ahead:
            yield from _settle(ahead.popleft())
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _settle(entry: Future[list[Outcome]] | MainTask) -> Iterator[Outcome | MainTask]:
    if isinstance(entry, MainTask):
        yield entry
    else:
        yield from entry.result()


def stream_file(path: str, fmt: str | None) -> tuple[Iterator[Letter], Callable[[], ReadProblem | None]]:
    """Give a file's letters as a stream, and a function giving its problem once they are read."""
    result = stream_one(path, fmt)
    return iter(result.letters), lambda: result.problem

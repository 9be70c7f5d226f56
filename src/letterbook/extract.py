"""Reading many files at once: in parallel on all cores, in a stable order, bad files reported."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .errors import UnreadableFile
from .model import Letter
from .read import ReadProblem, iter_path

#: Below this many files, starting worker processes costs more than it saves.
PARALLEL_FROM = 64
#: Files above this size are read in this process, a letter at a time, so that a large JSON Lines
#: or CSV file never has all its letters in memory at once (or sent between processes).
STREAM_FROM = 4_000_000


@dataclass
class FileResult:
    """What one file gave: its letters, or the problem that stopped it.

    For a large file ``letters`` is consumed as it is read; ``problem`` is set once it is consumed,
    after the letters read before the problem.
    """

    path: str
    letters: Iterable[Letter]
    problem: ReadProblem | None = None


def read_one(path: str, fmt: str | None = None) -> FileResult:
    """Give one file's letters, turning any failure into a reported problem, never a crash.

    Letters read before a problem (a broken line 5,000 of a JSON Lines file) are kept, and the
    problem says how many there were.
    """
    result = stream_one(path, fmt)
    result.letters = list(result.letters)
    return result


def stream_one(path: str, fmt: str | None = None) -> FileResult:
    """Give one file's result with its letters read as they are consumed; a failure, even after
    some letters, becomes the result's problem once they are."""
    result = FileResult(path, [])

    def letters() -> Iterator[Letter]:
        found = 0
        try:
            for letter in iter_path(Path(path), display=path, fmt=fmt):
                found += 1
                yield letter
        except UnreadableFile as exc:
            result.problem = ReadProblem(exc.path, exc.reason + _before(found))
        except Exception as exc:  # a reader's bug must not stop the other files
            result.problem = ReadProblem(
                path, f"could not be read ({type(exc).__name__}: {exc})" + _before(found))

    result.letters = letters()
    return result


def _before(found: int) -> str:
    if not found:
        return ""
    return f"; the {found} letter{'s' if found > 1 else ''} before it {'were' if found > 1 else 'was'} read"


def _read_star(args: tuple[str, str | None]) -> FileResult:
    return read_one(*args)


def _is_large(path: str) -> bool:
    try:
        return os.stat(path).st_size > STREAM_FROM
    except OSError:
        return False  # read_one names the problem


def read_many(paths: Iterable[Path], *, fmt: str | None = None,
              workers: int | None = None) -> Iterator[FileResult]:
    """Give each file's result in the order given, reading on all cores when there are many.

    Large files are read here, a letter at a time (see ``STREAM_FROM``); consume each result's
    letters before asking for the next result.
    """
    items = [str(p) for p in paths]
    workers = workers if workers is not None else (os.cpu_count() or 1)
    if workers <= 1 or len(items) < PARALLEL_FROM:
        for item in items:
            yield stream_one(item, fmt) if _is_large(item) else read_one(item, fmt)
        return
    chunk = max(1, min(64, len(items) // (workers * 8)))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for large, group in itertools.groupby(items, key=_is_large):
            if large:
                for item in group:
                    yield stream_one(item, fmt)
            else:
                yield from pool.map(_read_star, [(item, fmt) for item in group], chunksize=chunk)

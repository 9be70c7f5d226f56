"""Reading many files at once: in parallel on all cores, in a stable order, bad files reported."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .errors import UnreadableFile
from .model import Letter
from .read import ReadProblem, read_path

#: Below this many files, starting worker processes costs more than it saves.
PARALLEL_FROM = 64


@dataclass
class FileResult:
    """What one file gave: its letters, or the problem that stopped it."""

    path: str
    letters: list[Letter]
    problem: ReadProblem | None = None


def read_one(path: str, fmt: str | None = None) -> FileResult:
    """Give one file's letters, turning any failure into a reported problem, never a crash."""
    try:
        return FileResult(path, read_path(Path(path), display=path, fmt=fmt))
    except UnreadableFile as exc:
        return FileResult(path, [], ReadProblem(exc.path, exc.reason))
    except Exception as exc:  # a reader's bug must not stop the other files
        return FileResult(path, [], ReadProblem(path, f"could not be read ({type(exc).__name__}: {exc})"))


def _read_star(args: tuple[str, str | None]) -> FileResult:
    return read_one(*args)


def read_many(paths: Iterable[Path], *, fmt: str | None = None,
              workers: int | None = None) -> Iterator[FileResult]:
    """Give each file's result in the order given, reading on all cores when there are many."""
    items = [(str(p), fmt) for p in paths]
    workers = workers if workers is not None else (os.cpu_count() or 1)
    if workers <= 1 or len(items) < PARALLEL_FROM:
        for item in items:
            yield read_one(*item)
        return
    chunk = max(1, min(64, len(items) // (workers * 8)))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(_read_star, items, chunksize=chunk)

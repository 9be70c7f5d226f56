"""Reading files into letters: detect the format by content, then hand the file to its reader.

Every reader is a function ``(Document) -> Iterator[Letter]`` registered in ``READERS`` below;
the project's own readers are declared there like any other would be.
"""

from __future__ import annotations

import hashlib
import importlib
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UnreadableFile
from ..model import Letter
from .document import MAX_BYTES, Document, decode_text, detect_format

Reader = Callable[[Document], Iterator[Letter]]

__all__ = [
    "FORMATS",
    "MAX_BYTES",
    "Document",
    "ReadProblem",
    "decode_text",
    "detect_format",
    "iter_files",
    "iter_path",
    "read",
    "read_path",
    "read_text",
]


#: The readers, by format: module and function. Each module is imported when first needed, so
#: reading one format never pays for importing another's parser.
READERS: dict[str, tuple[str, str]] = {
    "text": ("text", "read_text_document"),
    "markdown": ("text", "read_text_document"),
    "html": ("html", "read_html"),
    "tei": ("tei", "read_tei"),
    "cmif": ("cmif", "read_cmif"),
    "csv": ("table", "read_table"),
    "jsonl": ("jsonl", "read_jsonl"),
}
FORMATS = tuple(READERS)


def reader_for(fmt: str) -> Reader:
    """Give the reader registered for a format name."""
    module_name, function = READERS[fmt]
    module = importlib.import_module(f"{__name__}.{module_name}")
    reader: Reader = getattr(module, function)
    return reader


def read_path(path: str | os.PathLike[str], *, display: str | None = None,
              fmt: str | None = None) -> list[Letter]:
    """Give every letter in one file; raise ``UnreadableFile`` naming the file and the reason."""
    return list(iter_path(path, display=display, fmt=fmt))


def iter_path(path: str | os.PathLike[str], *, display: str | None = None,
              fmt: str | None = None) -> Iterator[Letter]:
    """Give the letters of one file one at a time, as its reader finds them.

    A JSON Lines or CSV file of any size is read in bounded memory this way. Raises
    ``UnreadableFile`` naming the file and the reason, possibly after some letters were given.
    """
    doc = Document.open(Path(path), display=display)
    fmt = fmt or detect_format(doc)
    doc.format = fmt
    found = 0
    try:
        for letter in reader_for(fmt)(doc):
            found += 1
            yield letter
    except UnreadableFile:
        raise
    except RecursionError:
        raise UnreadableFile(doc.display, "nested too deeply to read") from None
    except MemoryError:
        raise UnreadableFile(doc.display, "too large to read in memory") from None
    if not found:
        raise UnreadableFile(doc.display, f"no letter found in this {fmt} file")


def read_text(text: str, *, name: str = "<text>", fmt: str | None = None) -> list[Letter]:
    """Give the letters in a string, as if it were a file called ``name``."""
    data = text.encode("utf-8")
    doc = Document(path=None, display=name, data=data, size=len(data),
                   sha256=hashlib.sha256(data).hexdigest())
    doc.format = fmt or detect_format(doc)
    return list(reader_for(doc.format)(doc))


read = read_path


@dataclass
class ReadProblem:
    """A file that failed, with the reason, as the command line reports it."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


# A manifest describes the files beside it (make_corpus.py writes one); it holds no letters.
SKIP_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini", "manifest.jsonl", "manifest.json"}
SKIP_SUFFIXES = {".md5", ".sha256", ".rng", ".sch", ".xsd", ".dtd", ".css", ".js", ".png", ".jpg",
                 ".jpeg", ".gif", ".svg", ".ico", ".pdf", ".zip", ".gz"}


@dataclass
class FileWalk:
    """The files under some paths, in a stable order; what was skipped is counted, not hidden."""

    files: list[Path] = field(default_factory=list)
    skipped: int = 0


def iter_files(paths: Iterable[str | os.PathLike[str]], *, recursive: bool = True) -> FileWalk:
    """Give the files to read under ``paths``: files as named, folders walked in sorted order.

    In folders, hidden files, images, schemas and archives are skipped; a file named directly is
    always read.
    """
    walk = FileWalk()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            entries = sorted(path.rglob("*") if recursive else path.iterdir())
            for entry in entries:
                if not entry.is_file():
                    continue
                rel = entry.relative_to(path).parts
                if any(part.startswith(".") for part in rel) or entry.name in SKIP_NAMES \
                        or entry.suffix.lower() in SKIP_SUFFIXES or entry.name == "SOURCE.md" \
                        or entry.name.upper().startswith("README") \
                        or entry.name.upper().startswith("LICEN"):
                    walk.skipped += 1
                    continue
                walk.files.append(entry)
        else:
            walk.files.append(path)
    return walk

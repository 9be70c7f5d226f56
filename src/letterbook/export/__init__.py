"""Writing letters out: TEI P5, CMIF, CSV, JSON Lines and citations, each a streaming writer.

Every writer is a function ``(letters, out, options) -> int`` that takes an iterable of Letters
(one at a time: an archive of a million letters is never held in memory), writes to a binary
stream as it goes and gives the number of letters written. The writers are registered in
``FORMATS`` below, as the readers are in ``letterbook.read.READERS``; a module is imported only
when its format is first asked for.
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

from ..errors import LetterbookError
from ..model import Letter

__all__ = ["FORMATS", "ExportOptions", "Writer", "export", "export_path", "writer_for"]


@dataclass(frozen=True)
class ExportOptions:
    """How to write: the base URL of permalinks, CMIF v2 mentions, the export's title."""

    base_url: str | None = None
    cmif_v2: bool = False
    title: str = "Letters exported from letterbook"
    editor: str = "letterbook"  # CMIF names who is responsible for the file
    file_url: str | None = None  # where the exported file is published (CMIF's publicationStmt/idno)
    raw: bool = False  # JSON: keep each letter's raw text (it can be most of the file's size)

    def permalink(self, letter: Letter) -> str | None:
        """Give the letter's stable URL, ``{base}/letters/{id}``; None without a base URL or an id."""
        if not self.base_url or not letter.id:
            return None
        from urllib.parse import quote

        return f"{self.base_url.rstrip('/')}/letters/{quote(letter.id, safe='')}"


Writer = Callable[[Iterable[Letter], BinaryIO, ExportOptions], int]

#: The writers, by format name: module and function.
FORMATS: dict[str, tuple[str, str]] = {
    "tei": ("tei", "write_tei"),
    "cmif": ("cmif", "write_cmif"),
    "csv": ("table", "write_table"),
    "json": ("jsonl", "write_jsonl"),
    "csl-json": ("cite", "write_csl_json"),
    "bibtex": ("cite", "write_bibtex"),
    "chicago": ("cite", "write_chicago"),
    "mla": ("cite", "write_mla"),
}


def writer_for(fmt: str) -> Writer:
    """Give the writer registered for a format name; raise ``LetterbookError`` for an unknown one."""
    if fmt not in FORMATS:
        raise LetterbookError(f"cannot export as {fmt!r}: the formats are {', '.join(FORMATS)}")
    module_name, function = FORMATS[fmt]
    writer: Writer = getattr(importlib.import_module(f"{__name__}.{module_name}"), function)
    return writer


def export(letters: Iterable[Letter], fmt: str, out: BinaryIO, options: ExportOptions | None = None) -> int:
    """Give the number of letters written to ``out`` in format ``fmt``, one letter at a time."""
    return writer_for(fmt)(letters, out, options or ExportOptions())


def export_path(letters: Iterable[Letter], fmt: str, path: str | os.PathLike[str],
                options: ExportOptions | None = None) -> int:
    """Give the number of letters written to the file ``path`` (for TEI, a folder: one file each).

    The file is written beside its final name and renamed when complete, so an export that fails
    half way leaves no half-written file under the name asked for.
    """
    target = Path(path)
    options = options or ExportOptions()
    if fmt == "tei" and (target.is_dir() or str(path).endswith(("/", os.sep))):
        from .tei import write_tei_folder

        return write_tei_folder(letters, target, options)
    writer = writer_for(fmt)
    if options.file_url is None and not options.base_url:
        options = replace(options, file_url=target.resolve().as_uri())
    partial = target.with_name(target.name + ".part")
    try:
        with partial.open("wb") as out:
            count = writer(letters, out, options)
        partial.replace(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return count


_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: str | None) -> str:
    """Give text that XML 1.0 can hold: characters it forbids (control characters, lone
    surrogates, U+FFFE/U+FFFF) are dropped, since no XML file can carry them."""
    if not value:
        return ""
    return _ILLEGAL_XML.sub("", value)

"""Letters -> JSON Lines: one object a line, the ``letterbook extract --jsonl`` shape
(``Letter.to_json``), which ``letterbook.read`` reads back as it was written.

"<", ">" and "&" are written as JSON escapes (``\\u003c`` ...): the same string to any JSON reader,
and a file that cannot break out of a ``<script>`` block should it ever be pasted into a page.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, BinaryIO

from ..model import Letter
from . import ExportOptions

__all__ = ["dumps", "write_jsonl"]

_HTML_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def dumps(data: Any) -> str:
    """Give a JSON text of ``data`` on one line, with "<", ">" and "&" escaped."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_HTML_SAFE)


def write_jsonl(letters: Iterable[Letter], out: BinaryIO, options: ExportOptions) -> int:
    """Give the number of letters written to ``out``, one JSON object a line."""
    count = 0
    for letter in letters:
        count += 1
        data = letter.to_json(raw=options.raw)
        url = options.permalink(letter)
        if url:
            data["url"] = url
        # Lone surrogates (a broken source) cannot be UTF-8: written as the JSON escapes they are.
        out.write(dumps(data).encode("utf-8", "backslashreplace") + b"\n")
    return count

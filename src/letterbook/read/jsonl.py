"""JSON Lines -> letters, one object a line, read as a stream (the file is never held whole).

Two shapes are read:

* letterbook's own ``extract --jsonl`` objects (they carry ``source``): read back with
  ``Letter.from_json``, their source path, part and format kept as they were written;
* flat records, as ``../shared/bench/make_corpus.py`` writes them: ``id``, ``title``, ``sender``
  (a name), ``recipients`` (names), ``date`` (ISO or as written), ``place`` (a name),
  ``language`` and ``body`` (paragraphs separated by blank lines). Their source is the JSON Lines
  file itself, ``part`` the line's index (from 0), and their ``id`` is kept.

JSON text is UTF-8 by its standard and its strings are data: they are read exactly as written,
never "repaired" as the text readers repair a page that was UTF-8 read as Windows-1252 (letterbook's
own ``"Â\x80"`` must come back as itself, not as "€").

A line that is not a JSON object fails the whole file at that line, with its number: a file
that is partly damaged is reported, not half read. Blank lines are skipped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from ..errors import UnreadableFile
from ..model import Agent, Letter, Place, Source, When
from ..parse.dates import parse_date, parse_iso
from .document import Document
from .table import checksum

__all__ = ["read_jsonl"]

_FLAT_KEYS = {"sender", "recipients", "body", "date", "title"}


def read_jsonl(doc: Document) -> Iterator[Letter]:
    """Give the letter on each line of a JSON Lines file, in file order; raise ``UnreadableFile``
    naming the first line that is not a letter object."""
    checksum(doc)
    for index, line in enumerate(doc.lines(repair=False)):
        number = index + 1
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UnreadableFile(doc.display, f"line {number}: not a JSON object "
                                              f"({exc.msg.removesuffix(' at')}, column {exc.colno})") from None
        if not isinstance(data, dict):
            raise UnreadableFile(doc.display, f"line {number}: not a JSON object "
                                              f"(a JSON {type(data).__name__})")
        yield _letter(data, doc, index, number)


def _letter(data: dict[str, Any], doc: Document, index: int, number: int) -> Letter:
    if "source" in data:
        try:
            return Letter.from_json(data)
        except (TypeError, ValueError, AttributeError, KeyError) as exc:
            raise UnreadableFile(doc.display, f"line {number}: not a letter object ({exc})") from None
    if "path" in data and "body" not in data:
        # make_corpus.py's manifest.jsonl describes the Markdown files beside it; reading it as
        # letters would count every letter twice.
        raise UnreadableFile(doc.display, f"line {number}: a manifest record pointing at another "
                                          f"file ({data['path']!r}), not a letter")
    if not _FLAT_KEYS & data.keys():
        keys = ", ".join(sorted(data)[:6])
        raise UnreadableFile(doc.display, f"line {number}: a JSON object, but not a letter "
                                          f"(its keys: {keys})")
    try:
        return _flat(data, doc, index)
    except (TypeError, ValueError, AttributeError) as exc:
        raise UnreadableFile(doc.display, f"line {number}: not a letter object ({exc})") from None


def _agent(value: Any) -> Agent | None:
    if isinstance(value, dict):
        return Agent.from_json(value)
    if isinstance(value, str) and value.strip():
        return Agent(name=value.strip(), as_written=value)
    return None


def _when(value: Any) -> When | None:
    if isinstance(value, dict):
        return When.from_json(value)
    if not isinstance(value, str) or not value.strip():
        return None
    when = parse_iso(value) or parse_date(value)
    return when or When(as_written=value, certainty="unknown")


_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# Whitespace other than the space and the line end (what str.split() splits at besides them).
_OTHER_SPACE = "\t\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000" + "".join(
    chr(c) for c in range(0x2000, 0x200B))


def _even(text: str) -> bool:
    """Tell whether a body is paragraphs of words between single spaces, a blank line apart: the
    common case, told by a few scans of the text rather than by splitting every paragraph."""
    return (text.count("\n") == 2 * text.count("\n\n") and text[:1] not in " \n" and text[-1:] not in " \n"
            and "  " not in text and " \n" not in text and "\n " not in text
            and not any(c in text for c in _OTHER_SPACE))


def _body(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(p) for p in value if str(p).strip()]
    if isinstance(value, str):
        if _even(value):
            return value.split("\n\n") if value else []
        # Each paragraph's runs of whitespace become single spaces.
        return [p for p in (" ".join(part.split()) for part in _PARAGRAPH_BREAK.split(value)) if p]
    return []


def _flat(data: dict[str, Any], doc: Document, index: int) -> Letter:
    recipients = data.get("recipients")
    if recipients is None and "recipient" in data:
        recipients = [data["recipient"]]
    if isinstance(recipients, (str, dict)):
        recipients = [recipients]
    place = data.get("place")
    return Letter(
        source=Source(path=doc.display, part=index, format="jsonl", sha256=doc.sha256),
        id=str(data["id"]) if data.get("id") not in (None, "") else None,
        title=data.get("title") or None,
        sender=_agent(data.get("sender")),
        recipients=[a for a in (_agent(r) for r in recipients or []) if a],
        date=_when(data.get("date")),
        place=Place.from_json(place) if isinstance(place, (dict, str)) and place else None,
        language=data.get("language") or None,
        body=_body(data.get("body")),
        kind="letter",
    )

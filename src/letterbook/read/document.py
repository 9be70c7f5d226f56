"""A file about to be read: its bytes (within a size cap), its text, and its detected format."""

from __future__ import annotations

import codecs
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import UnreadableFile

#: Files larger than this are refused unless their format is read as a stream (JSON Lines, CSV).
MAX_BYTES = 64_000_000  # decimal, so that the limit reads "64 MB" in messages
HEAD_BYTES = 64 * 1024
STREAMED = ("jsonl", "csv")

_UTF8_BOM = codecs.BOM_UTF8


@dataclass
class Document:
    """One file to read. ``data`` holds its bytes unless the file is streamed."""

    path: Path | None
    display: str
    data: bytes | None
    size: int
    sha256: str | None = None
    format: str | None = None
    head: bytes = b""

    @classmethod
    def open(cls, path: Path, *, display: str | None = None) -> Document:
        """Give the document at ``path``: its head always, its whole bytes when not too large."""
        name = display or str(path)
        try:
            size = path.stat().st_size
            with path.open("rb") as handle:
                head = handle.read(HEAD_BYTES)
        except FileNotFoundError:
            raise UnreadableFile(name, "no such file") from None
        except IsADirectoryError:
            raise UnreadableFile(name, "is a folder (use --recursive to read its files)") from None
        except PermissionError:
            raise UnreadableFile(name, "permission denied") from None
        except OSError as exc:
            raise UnreadableFile(name, f"cannot be opened ({exc.strerror or exc})") from None
        if size == 0 or not head.strip():
            raise UnreadableFile(name, "empty file")
        doc = cls(path=path, display=name, data=None, size=size, head=head)
        if size <= HEAD_BYTES:
            doc.data = head
            doc.sha256 = hashlib.sha256(head).hexdigest()
        return doc

    def bytes(self) -> bytes:
        """Give the whole file, refusing one above ``MAX_BYTES`` with a clear reason."""
        if self.data is not None:
            return self.data
        if self.size > MAX_BYTES:
            raise UnreadableFile(
                self.display,
                f"too large ({self.size / 1e6:.0f} MB; the limit for a {self.format or 'single'} "
                f"file is {MAX_BYTES / 1e6:.0f} MB; split it, or give letters as JSON Lines or CSV)",
            )
        assert self.path is not None
        data = self.path.read_bytes()
        self.data = data
        self.sha256 = hashlib.sha256(data).hexdigest()
        return data

    def text(self) -> str:
        """Give the file as text, decoded as the file itself says or as UTF-8 (see decode_text)."""
        return decode_text(self.bytes(), self.display)

    def lines(self, *, repair: bool = True) -> Iterator[str]:
        """Give the file's lines one at a time without holding the whole file (JSON Lines, CSV);
        ``repair=False`` leaves the text exactly as decoded (see decode_text)."""
        if self.data is not None or self.path is None:
            yield from io.StringIO(decode_text(self.bytes(), self.display, repair=repair))
            return
        digest = hashlib.sha256()
        with self.path.open("rb") as handle:
            number = 0
            for raw in handle:
                number += 1
                digest.update(raw)
                if b"\x00" in raw:
                    raise UnreadableFile(self.display, f"line {number}: binary data, not text")
                try:
                    line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
                except UnicodeDecodeError as exc:
                    raise UnreadableFile(
                        self.display, f"line {number}: not valid UTF-8 (byte {exc.start + 1})"
                    ) from None
                yield line
        self.sha256 = digest.hexdigest()


# Control bytes that text files do not hold (tab, newlines, form feed and escape are allowed).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27))
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL_BYTES)


def looks_binary(head: bytes) -> bool:
    """Tell whether bytes are binary data rather than text in any common encoding."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in head:
        return True
    controls = len(head.translate(None, _NOT_CONTROL))
    return controls > max(4, len(head) // 200)


_MOJIBAKE = re.compile("[\u00c2\u00c3\u00e2][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e"
                       "\u0192\u02c6\u02dc\u2013-\u2026\u2030\u2039\u203a\u20ac\u2122]")


def repair_mojibake(text: str) -> str:
    """Give text with UTF-8-read-as-Windows-1252 damage repaired ("â€¢" -> "•"), else unchanged."""
    if not _MOJIBAKE.search(text):
        return text
    import ftfy

    return ftfy.fix_text(text, unescape_html=False, fix_line_breaks=False, uncurl_quotes=False,
                         normalization=None)


def decode_text(data: bytes, display: str, *, repair: bool = True) -> str:
    """Give bytes as text.

    UTF-8 (with or without a BOM) and UTF-16 with a BOM are read as they are. A file that is not
    UTF-8 but reads cleanly as Windows-1252 (a legacy Western file) is read so. A file with some
    UTF-8 and some broken bytes is damaged, and refused with the position of the first bad byte.
    Text that was UTF-8 read as Windows-1252 is repaired ("Ã©" -> "é") unless ``repair`` is False:
    data such as JSON, whose strings are what they say, is not a scraped page's damage.
    """
    fix = repair_mojibake if repair else _as_is
    if looks_binary(data[:HEAD_BYTES]):
        raise UnreadableFile(display, "binary data, not a text, HTML, XML or CSV file")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise UnreadableFile(display, "damaged UTF-16 text") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        has_utf8 = re.search(rb"[\xc2-\xf4][\x80-\xbf]", data) is not None
        if not has_utf8:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                text = data.decode("latin-1")
            return fix(text)
        raise UnreadableFile(
            display, f"not valid UTF-8 (broken byte at offset {exc.start}); "
                     "the file may be damaged or in mixed encodings"
        ) from None
    return fix(text)


def _as_is(text: str) -> str:
    return text


_XML_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)[\s>/]")


def _root_name(head: bytes) -> str | None:
    body = re.sub(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(\[.*?\])?\s*>", b"", head, flags=re.S)
    match = _XML_ROOT.search(body)
    return match.group(1).decode("ascii", "replace").lower() if match else None


def detect_format(doc: Document) -> str:
    """Give the format of a document, by its content first and its name second."""
    head = doc.head or (doc.data or b"")[:HEAD_BYTES]
    if looks_binary(head):
        raise UnreadableFile(doc.display, "binary data, not a text, HTML, XML or CSV file")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        head = head.decode("utf-16", "replace").encode("utf-8")
    stripped = head.lstrip(_UTF8_BOM).lstrip()
    lower = stripped[:2048].lower()
    suffix = doc.path.suffix.lower() if doc.path else Path(doc.display).suffix.lower()
    if stripped.startswith(b"<"):
        root = _root_name(stripped)
        if root == "html" or lower.startswith(b"<!doctype html") or b"<html" in lower:
            return "html"
        if root in ("tei", "teicorpus"):
            return "tei"  # the TEI reader tells a CMIF index (no letter text) from an edition
        if root in ("body", "div", "p", "head", "table"):
            return "html"
        return "tei" if suffix == ".xml" else "html"
    if stripped.startswith(b"{") and suffix not in (".md", ".txt"):
        return "jsonl"
    first_line = stripped.split(b"\n", 1)[0]
    if suffix in (".csv", ".tsv") or (
        first_line.count(b",") >= 3 and re.search(rb"\b(sender|addressee|key)\b", first_line.lower())
    ):
        return "csv"
    if suffix in (".md", ".markdown") or stripped.startswith(b"# ") or stripped.startswith(b"---\n"):
        return "markdown"
    return "text"

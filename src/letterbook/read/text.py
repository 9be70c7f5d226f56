"""Plain text and Markdown letters: one letter a file, read into its parts by parse.letter."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import PurePath

from ..errors import UnreadableFile
from ..model import Letter, Source
from ..parse.letter import read_letter
from .document import Document

_FRONT_MATTER = re.compile(r"\A---\s*\n(?P<yaml>.*?)\n---\s*\n", re.S)
_MD_HEADING = re.compile(r"\A\s*#{1,3}\s+(?P<title>[^\n]+)\n")
_MD_INLINE = re.compile(r"(\*\*|__)(.+?)\1|(?<![\w*])[*_](?![\s_])(.+?)(?<![\s_])[*_](?![\w*])")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!])")


def split_blocks(text: str) -> list[str]:
    """Give the paragraphs of a text: blank-line separated where the text has blank lines, else one
    a line (as pages copied as plain text have them)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if re.search(r"\n[ \t]*\n", text.strip()):
        return [b.strip() for b in re.split(r"\n[ \t]*\n", text) if b.strip()]
    return [line.strip() for line in text.split("\n") if line.strip()]


def _unmarkdown(block: str) -> str:
    block = html.unescape(block) if "&" in block else block
    block = _MD_ESCAPE.sub(r"\1", block)
    block = _MD_INLINE.sub(lambda m: m.group(2) or m.group(3) or "", block)
    return block


def read_text_document(doc: Document) -> Iterator[Letter]:
    """Give the letter a plain-text or Markdown file holds."""
    text = doc.text()
    if not text.strip():
        raise UnreadableFile(doc.display, "empty file")
    heading = None
    body = text
    front = _FRONT_MATTER.match(body)
    title_from_front = None
    if front:
        body = body[front.end():]
        title = re.search(r"^title:\s*['\"]?(?P<t>.+?)['\"]?\s*$", front.group("yaml"), re.M)
        title_from_front = title.group("t") if title else None
    md = _MD_HEADING.match(body)
    if md:
        heading = md.group("title").strip()
        body = body[md.end():]
    elif title_from_front:
        heading = title_from_front
    blocks = split_blocks(body)
    if doc.format == "markdown":
        blocks = [_unmarkdown(b) for b in blocks]
    source = Source(path=doc.display, part=0, format=doc.format or "text", sha256=doc.sha256)
    folder = PurePath(doc.display).parent.name or None
    yield read_letter(blocks, source, heading=heading, folder=folder, raw_text=text)

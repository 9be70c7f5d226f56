"""Snippets: the passage of a letter where the query's words are, with the words marked.

Matching follows the indexes: capitals and accents do not matter (``zurich`` marks "Zürich"), a
word is a run of letters and digits, a prefix marks every word it begins. The snippet is HTML: the
letter's text is escaped, so a letter that contains ``<script>`` shows it as text.

Snippets are cut for every hit of every search, from letters of up to tens of thousands of
characters, so the words are looked for in a folded copy of the text made by C code alone: the
text encoded one byte per character (Latin-1, every other letter a placeholder byte) and mapped
through a 256-byte table to lower case without accents. Positions in the copy are positions in the
text. Words with letters beyond Latin-1 (Greek, Cyrillic ...) are looked for with a Unicode pattern.
"""

from __future__ import annotations

import codecs
import functools
import html
import re
import unicodedata
from collections.abc import Iterator

from .query import Query, Term

__all__ = ["make_snippet", "word_tokens"]

_TOKEN = re.compile(r"[^\W_]+")
_SPACE = re.compile(r"\s+")
_ELLIPSIS = "…"
_OTHER_LETTER = "\x80"  # the placeholder byte of a letter or digit beyond Latin-1
_CODEC_ERRORS = "letterbook-snippet"

Span = tuple[int, int, str]


def _strip_accents(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))


def word_tokens(text: str) -> list[str]:
    """Give the words of a text as the indexes see them: lower case, without accents."""
    return _TOKEN.findall(_strip_accents(text).lower())


def _beyond_latin1(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeEncodeError)
    chars = error.object[error.start:error.end]
    return "".join(_OTHER_LETTER if ch.isalnum() else " " for ch in chars), error.end


codecs.register_error(_CODEC_ERRORS, _beyond_latin1)


def _fold_byte(code: int) -> int:
    ch = chr(code)
    if code == ord(_OTHER_LETTER):
        return code
    if not ch.isalnum():
        return ord(" ")
    lower = ch.lower() if len(ch.lower()) == 1 else ch
    base = _strip_accents(lower)
    folded = base if len(base) == 1 else lower
    return ord(folded) if ord(folded) < 256 else ord(_OTHER_LETTER)


_FOLD = bytes(_fold_byte(code) for code in range(256))
_WORD_BYTES = bytes(sorted({b for b in _FOLD if b != ord(" ")}))
_IS_WORD = bytes(1 if code in _WORD_BYTES else 0 for code in range(256))
_WORD_CLASS = b"[" + b"".join(re.escape(bytes([b])) for b in _WORD_BYTES) + b"]"
_GAP_CLASS = b"[^" + _WORD_CLASS[1:]


def _folded(text: str) -> bytes:
    """Give the text as one byte per character, lower case, without accents, punctuation as spaces."""
    return text.encode("latin-1", _CODEC_ERRORS).translate(_FOLD)


@functools.lru_cache(maxsize=512)
def _byte_pattern(tokens: tuple[bytes, ...], prefix: bool) -> re.Pattern[bytes]:
    # No look-behind at the start, so that the pattern begins with a literal, which the regular
    # expression engine finds with a fast scan; the start of a word is checked after each match.
    body = _GAP_CLASS + b"+"
    pattern = body.join(re.escape(t) for t in tokens)
    return re.compile(pattern + (_WORD_CLASS + b"*" if prefix else b"") + b"(?!" + _WORD_CLASS + b")")


@functools.lru_cache(maxsize=512)
def _unicode_pattern(tokens: tuple[str, ...], prefix: bool) -> re.Pattern[str]:
    variants = _variants()
    parts = ["".join(f"[{variants[ch]}]" if ch in variants else re.escape(ch) for ch in token) for token in tokens]
    return re.compile(r"(?<![^\W_])" + r"[\W_]+".join(parts) + (r"[^\W_]*" if prefix else "") + r"(?![^\W_])")


@functools.cache
def _variants() -> dict[str, str]:
    """Give, for each plain letter, every lower-case letter that is it with an accent."""
    table: dict[str, str] = {}
    for code in range(0xC0, 0x250):
        ch = chr(code)
        if ch != ch.lower() or not ch.isalpha():
            continue
        base = _strip_accents(ch)
        if len(base) == 1 and base != ch:
            table[base] = table.get(base, base) + ch
    return table


def _lowered(text: str) -> str:
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    # A few letters grow when lowered ("İ"); keep those as they are so positions still match.
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)


def _spans(text: str, query: Query) -> list[Span]:
    """Give where the query's words are in the text: start, end and the word, in text order."""
    words = [(tuple(word_tokens(w.text)), isinstance(w, Term) and w.prefix) for w in query.words()]
    words = [(tokens, prefix) for tokens, prefix in words if tokens]
    found: list[Span] = []
    folded: bytes | None = None
    lowered: str | None = None
    for tokens, prefix in words:
        key = " ".join(tokens)
        encoded = tuple(_folded(t) for t in tokens)
        if all(_OTHER_LETTER.encode("latin-1") not in t for t in encoded):
            folded = _folded(text) if folded is None else folded
            for match in _byte_pattern(encoded, prefix).finditer(folded):
                start = match.start()
                if not start or not _IS_WORD[folded[start - 1]]:
                    found.append((start, match.end(), key))
        else:
            lowered = _lowered(text) if lowered is None else lowered
            found.extend((m.start(), m.end(), key) for m in _unicode_pattern(tokens, prefix).finditer(lowered))
    found.sort(key=lambda span: (span[0], -span[1]))
    # A phrase and its own first word may both match at one place: keep the longer, drop overlaps.
    kept: list[Span] = []
    for span in found:
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


def _best_window(spans: list[Span], size: int) -> int:
    """Give the start of the window of ``size`` characters holding the most different words."""
    best_start, best_score = spans[0][0], 0
    counts: dict[str, int] = {}
    j = 0
    # A sliding window over the matches: j runs ahead to the last match that still fits.
    for i, (start, _end, _key) in enumerate(spans):
        j = max(j, i)
        while j < len(spans) and spans[j][1] <= start + size:
            counts[spans[j][2]] = counts.get(spans[j][2], 0) + 1
            j += 1
        if len(counts) > best_score:
            best_start, best_score = start, len(counts)
        if i < j:
            key = spans[i][2]
            counts[key] -= 1
            if not counts[key]:
                del counts[key]
    return best_start


def _space_before(text: str, position: int, reach: int) -> int:
    """Give the position of the last space at or before ``position`` within ``reach``, or -1."""
    for at in range(position, max(-1, position - reach), -1):
        if at < len(text) and text[at].isspace():
            return at
    return -1


def _cut(text: str, start: int, size: int) -> tuple[int, int]:
    """Give a window of about ``size`` characters from a little before ``start``, at word boundaries."""
    begin = start - min(size // 4, start)
    if begin > 0:
        space = _space_before(text, begin, 20)
        begin = space + 1 if space >= 0 else begin
    end = min(len(text), begin + size)
    if end < len(text):
        space = _space_before(text, end, size // 2)
        end = space if space > begin else end
    return begin, end


def _pieces(text: str, spans: list[Span], begin: int, end: int) -> Iterator[str]:
    at = begin
    for start, stop, _key in spans:
        if start < begin or stop > end:
            continue
        yield html.escape(_SPACE.sub(" ", text[at:start]))
        yield "<mark>" + html.escape(_SPACE.sub(" ", text[start:stop])) + "</mark>"
        at = stop
    yield html.escape(_SPACE.sub(" ", text[at:end]))


def make_snippet(text: str, query: Query, *, size: int = 200) -> str:
    """Give about ``size`` characters of ``text`` around the query's words, HTML-escaped, with each
    match in ``<mark>…</mark>``; the beginning of the text when no word is found."""
    spans = _spans(text, query)
    if spans:
        begin, end = _cut(text, _best_window(spans, size - size // 4), size)
    else:
        begin, end = _cut(text, 0, size)
    while begin < end and text[begin].isspace():
        begin += 1
    body = "".join(_pieces(text, spans, begin, end)).strip()
    return (_ELLIPSIS if begin > 0 else "") + body + (_ELLIPSIS if text[end:].strip() else "")

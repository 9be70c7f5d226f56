"""Snippets: the passage of a letter where the query's words are, with the words marked.

Matching follows the indexes: capitals and accents do not matter (``zurich`` marks "Zürich"), a
word is a run of letters and digits, a prefix marks every word it begins. The snippet is HTML: the
letter's text is escaped, so a letter that contains ``<script>`` shows it as text.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata

from .query import Query, Term

__all__ = ["make_snippet", "query_pattern", "word_tokens"]

_TOKEN = re.compile(r"[^\W_]+")
_WORD_BEFORE = r"(?<![^\W_])"
_WORD_AFTER = r"(?![^\W_])"
_ELLIPSIS = "…"


def _strip_accents(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))


def word_tokens(text: str) -> list[str]:
    """Give the words of a text as the indexes see them: lower case, without accents."""
    return _TOKEN.findall(_strip_accents(text).lower())


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


def _token_pattern(token: str, prefix: bool) -> str:
    variants = _variants()
    body = "".join(f"[{variants[ch]}]" if ch in variants else re.escape(ch) for ch in token)
    return body + (r"[^\W_]*" if prefix else "")


def query_pattern(query: Query) -> re.Pattern[str] | None:
    """Give the pattern that finds the query's words in lower-cased text, or None without words."""
    alternatives: list[str] = []
    for word in query.words():
        tokens = word_tokens(word.text)
        if not tokens:
            continue
        prefix = isinstance(word, Term) and word.prefix
        parts = [_token_pattern(t, prefix and i == len(tokens) - 1) for i, t in enumerate(tokens)]
        alternatives.append(_WORD_BEFORE + r"[\W_]+".join(parts) + _WORD_AFTER)
    if not alternatives:
        return None
    # Longer alternatives first, so that a phrase is marked whole rather than as its first word.
    alternatives.sort(key=len, reverse=True)
    return re.compile("|".join(alternatives))


def _lowered(text: str) -> str:
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    # A few letters grow when lowered ("İ"); keep those as they are so positions still match.
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)


def _best_window(spans: list[tuple[int, int]], keys: list[str], size: int) -> int:
    """Give the start of the window of ``size`` characters holding the most different words."""
    best_start, best_score = spans[0][0], 0
    counts: dict[str, int] = {}
    j = 0
    # A sliding window over the matches: j runs ahead to the last match that still fits.
    for i, (start, _end) in enumerate(spans):
        j = max(j, i)
        while j < len(spans) and spans[j][1] <= start + size:
            counts[keys[j]] = counts.get(keys[j], 0) + 1
            j += 1
        if len(counts) > best_score:
            best_start, best_score = start, len(counts)
        if i < j:
            counts[keys[i]] -= 1
            if not counts[keys[i]]:
                del counts[keys[i]]
    return best_start


def _cut(text: str, start: int, size: int) -> tuple[int, int]:
    """Give a window of about ``size`` characters around ``start``, moved to word boundaries."""
    lead = min(size // 4, start)
    begin = start - lead
    if begin > 0:
        space = text.rfind(" ", max(0, begin - 20), begin + 1)
        begin = space + 1 if space >= 0 else begin
    end = min(len(text), begin + size)
    if end < len(text):
        space = text.rfind(" ", begin + size // 2, end)
        end = space if space > 0 else end
    return begin, end


def make_snippet(text: str, query: Query, *, size: int = 200) -> str:
    """Give about ``size`` characters of ``text`` around the query's words, HTML-escaped, with each
    match in ``<mark>…</mark>``; the beginning of the text when no word is found."""
    text = " ".join(text.split())
    pattern = query_pattern(query)
    matches = list(pattern.finditer(_lowered(text))) if pattern is not None else []
    if matches:
        spans = [m.span() for m in matches]
        start = _best_window(spans, [m.group() for m in matches], size - size // 4)
        begin, end = _cut(text, start, size)
    else:
        spans, begin, end = [], 0, min(len(text), size)
        if end < len(text):
            space = text.rfind(" ", size // 2, end)
            end = space if space > 0 else end
    pieces = [_ELLIPSIS] if begin > 0 else []
    at = begin
    for span_start, span_end in spans:
        if span_start < begin or span_end > end:
            continue
        pieces.append(html.escape(text[at:span_start]))
        pieces.append("<mark>" + html.escape(text[span_start:span_end]) + "</mark>")
        at = span_end
    pieces.append(html.escape(text[at:end]))
    if end < len(text):
        pieces.append(_ELLIPSIS)
    return "".join(pieces)


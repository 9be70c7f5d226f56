"""The search query language: what a historian types, read into a query that no engine misreads.

A query is made of parts separated by spaces; every part must match (AND)::

    stalin                    a word; capitals do not matter, nor accents (zurich finds Zürich)
    "foreign policy"          a phrase: these words, next to each other, in this order
    negoti*                   a prefix: any word beginning with "negoti" (at least 3 letters before *)
    stalin OR churchill       either word (OR in capitals)
    stalin AND truman         both words (AND is what a space means already)
    NOT japan   -japan        letters without the word (NOT in capitals, or a leading -)
    (stalin OR churchill) -japan
                              parentheses group parts
    from:Casey                sent by a person, by any form of their name;
    from:"R. G. Casey"        quote a name with spaces
    to:Truman                 received by a person (one of the recipients)
    mentions:Byrnes           naming a person in the text (by any form of the name)
    year:1945                 dated in that year
    year:1941..1945           dated in that range of years, both ends included;
    year:..1850  year:1850..  open at one end
    place:Berlin              written at that place
    lang:de                   written in that language (a language code: en, de, fr ...)
    collection:"Documents on Australian Foreign Policy"
                              in that collection

Field names are from:, to:, mentions:, year:, place:, lang: and collection:; their values are
matched whole, without regard to capitals. from:, to: and mentions: find a person by any form of
the name the archive knows ("from:Stalin" finds letters signed "J. Stalin" and "Premier J. V.
Stalin"), or by the person's id (letterbook people). A query with filters only lists its letters by date; an empty query
lists every letter. Other punctuation is ignored, so nothing typed is read as a command of the
search engine below: a query that cannot be read gets a message saying what is wrong and at which
character (counted from 1).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from ..errors import LetterbookError

__all__ = [
    "MAX_DEPTH",
    "MAX_LENGTH",
    "MIN_PREFIX",
    "And",
    "Field",
    "FieldName",
    "MatchAll",
    "Node",
    "Not",
    "Or",
    "Phrase",
    "Query",
    "QuerySyntaxError",
    "Term",
    "YearRange",
    "fold",
    "parse_query",
]

#: The longest query read, in characters: longer ones are refused with a message, never cut.
MAX_LENGTH = 1000
#: How deeply parentheses may nest; deeper nesting is refused (it is never needed, and an engine's
#: expression parser has its own, lower limits).
MAX_DEPTH = 16
#: Letters or digits a prefix needs before its ``*``: shorter prefixes match a large part of the
#: vocabulary and would make one query as slow as thousands.
MIN_PREFIX = 3

FieldName = Literal["from", "to", "mentions", "place", "lang", "collection"]
FIELDS: tuple[FieldName, ...] = ("from", "to", "mentions", "place", "lang", "collection")
_FIELD_HINT = "from:, to:, mentions:, year:, place:, lang: and collection:"


class QuerySyntaxError(LetterbookError):
    """A query that cannot be read, with the 0-based ``position`` of the trouble in the query text.

    The message counts characters from 1, as people do: position 0 is "character 1".
    """

    def __init__(self, message: str, position: int) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


# --------------------------------------------------------------------------------------- the tree


@dataclass(frozen=True)
class Term:
    """A word to find; ``prefix`` finds every word that begins with it."""

    text: str
    prefix: bool = False


@dataclass(frozen=True)
class Phrase:
    """Words to find next to each other, in this order."""

    text: str


@dataclass(frozen=True)
class Field:
    """A filter on a named field: the whole value matches, without regard to capitals."""

    name: FieldName
    value: str


@dataclass(frozen=True)
class YearRange:
    """A filter on the letter's date: years ``start`` to ``end``, both included; None is open."""

    start: int | None
    end: int | None


@dataclass(frozen=True)
class And:
    """Every part must match."""

    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    """At least one part must match."""

    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    """The part must not match. Only found among the parts of an ``And`` with a positive part."""

    part: Node


@dataclass(frozen=True)
class MatchAll:
    """Every letter (the empty query, or the ground a lone NOT stands on)."""


Node = Term | Phrase | Field | YearRange | And | Or | Not | MatchAll


@dataclass(frozen=True)
class Query:
    """A parsed query: its tree and the text it was read from."""

    root: Node
    text: str = ""

    def words(self) -> tuple[Term | Phrase, ...]:
        """Give the words and phrases a letter is searched for (not those under NOT), for snippets."""
        found: list[Term | Phrase] = []

        def walk(node: Node) -> None:
            if isinstance(node, Term | Phrase):
                found.append(node)
            elif isinstance(node, And | Or):
                for part in node.parts:
                    walk(part)

        walk(self.root)
        return tuple(dict.fromkeys(found))

    @property
    def has_text(self) -> bool:
        """True when the query searches for words (and so can be ranked), not only filters."""
        return bool(self.words())


@functools.lru_cache(maxsize=1 << 16)
def fold(value: str) -> str:
    """Give a name or value as filters compare it: NFC, case-folded, spaces collapsed. Cached: an
    archive's letters name the same few thousand people and places again and again."""
    return " ".join(unicodedata.normalize("NFC", value).casefold().split())


# --------------------------------------------------------------------------------------- reading

_Kind = Literal["word", "phrase", "field", "year", "and", "or", "not", "(", ")"]


@dataclass(frozen=True)
class _Token:
    kind: _Kind
    position: int
    node: Node | None = None
    text: str = ""


# Everything that is not a printable character becomes a space: control characters, lone
# surrogates (which no database driver can encode), unassigned code points.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\ufeff]")
_FIELD_NAME = re.compile(r"([A-Za-z]+):")
_BAREWORD = re.compile(r'[^\s()"]+')
_YEAR = re.compile(r"(\d{1,4})?(?:(\.\.)(\d{1,4})?)?\Z")


def _error(message: str, position: int, quoted: str = "") -> QuerySyntaxError:
    """Give the error for a message template: ``{at}`` becomes the place, ``{quoted}`` what the user
    typed (inserted last, so that braces in it are never read as a template)."""
    text = message.replace("{at}", f"at character {position + 1}")
    return QuerySyntaxError(text.replace("{quoted}", quoted), position)


def _has_content(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def _closing_quote(text: str, start: int, what: str) -> int:
    end = text.find('"', start + 1)
    if end < 0:
        raise _error(f'unbalanced quote {{at}}: {what} opened with " is not closed', start)
    return end


def _field_token(text: str, name: str, start: int, value_at: int) -> tuple[_Token | None, int]:
    """Give the token of a field filter starting at ``start`` and the position after it."""
    label = f"{name}:"
    if value_at >= len(text) or text[value_at].isspace() or text[value_at] in "()":
        example = "year:1945 or year:1941..1945" if name == "year" else f'{label}Casey or {label}"R. G. Casey"'
        raise _error(f"{label} {{at}} needs a value right after the colon, such as {example}", start)
    if text[value_at] == '"':
        end = _closing_quote(text, value_at, f"the value of {label}")
        value, after = text[value_at + 1:end], end + 1
    else:
        match = _BAREWORD.match(text, value_at)
        assert match is not None  # the character at value_at is neither a space, a quote nor a parenthesis
        value, after = match.group(), match.end()
    value = unicodedata.normalize("NFC", " ".join(value.split()))
    if name == "year":
        return _Token("year", start, _year_range(value, start)), after
    if not value:
        raise _error(f"{label} {{at}} has an empty value: put a name or word between the quotes", start)
    field_name: FieldName = name  # type: ignore[assignment]  # checked against FIELDS by the caller
    return _Token("field", start, Field(field_name, value)), after


def _year_range(value: str, start: int) -> YearRange:
    match = _YEAR.match(value)
    if not match or not (match.group(1) or match.group(3)):
        raise _error("year:{quoted} {at} is not a year: write year:1945, year:1941..1945, "
                     "year:..1850 or year:1850..", start, value)
    low = int(match.group(1)) if match.group(1) else None
    if match.group(2):
        high = int(match.group(3)) if match.group(3) else None
    else:
        high = low
    if low is not None and high is not None and high < low:
        raise _error("year:{quoted} {at} ends before it starts: write the earlier year first", start, value)
    return YearRange(low, high)


def _word_token(word: str, start: int) -> _Token | None:
    """Give the token of a bare word, or None for punctuation, which is not searched."""
    if word in ("AND", "OR", "NOT"):
        return _Token(word.lower(), start, text=word)  # type: ignore[arg-type]  # one of the operator kinds
    stem = word.rstrip("*")
    if "*" in stem:
        raise _error("a * {at} is inside a word: it may only end one, as in negoti*", start + stem.index("*"))
    if stem != word:
        if not _has_content(stem):
            raise _error("a * {at} stands alone: it may only end a word, as in negoti*", start + len(stem))
        letters = sum(ch.isalnum() for ch in stem)
        if letters < MIN_PREFIX:
            raise _error(f"a prefix {{at}} needs at least {MIN_PREFIX} letters before the *, as in negoti*",
                         start)
        return _Token("word", start, Term(unicodedata.normalize("NFC", stem), prefix=True))
    if not _has_content(word):
        return None
    return _Token("word", start, Term(unicodedata.normalize("NFC", word)))


def _tokens(text: str) -> list[_Token]:
    """Give the tokens of a query, raising QuerySyntaxError for quotes and fields that cannot be read."""
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            tokens.append(_Token(ch, i))  # type: ignore[arg-type]  # "(" and ")" are kinds
            i += 1
        elif ch == '"':
            end = _closing_quote(text, i, "a phrase")
            if end + 1 < n and text[end + 1] == "*":
                raise _error('a * {at} follows a phrase: a prefix must end a single word, as in negoti*', end + 1)
            phrase = unicodedata.normalize("NFC", " ".join(text[i + 1:end].split()))
            if _has_content(phrase):
                tokens.append(_Token("phrase", i, Phrase(phrase)))
            i = end + 1
        elif ch == "-" and i + 1 < n and not text[i + 1].isspace() and text[i + 1] not in ")-":
            tokens.append(_Token("not", i, text="-"))
            i += 1
        else:
            field = _FIELD_NAME.match(text, i)
            if field and (field.group(1).lower() in FIELDS or field.group(1).lower() == "year"):
                token, i = _field_token(text, field.group(1).lower(), i, field.end())
                tokens.append(token)
                continue
            if field and field.end() < n and not text[field.end()].isspace() and text[field.end()] not in ")":
                raise _error(f"{field.group(1)}: {{at}} is not a field that can be searched: the fields are "
                             f"{_FIELD_HINT}; put the words in quotes to search for them as they are", i)
            match = _BAREWORD.match(text, i)
            assert match is not None  # text[i] is neither a space, a quote nor a parenthesis
            word_token = _word_token(match.group(), i)
            if word_token is not None:
                tokens.append(word_token)
            i = match.end()
    return tokens


class _Parser:
    """Recursive descent over the tokens: OR binds loosest, then AND (or a space), then NOT."""

    def __init__(self, tokens: list[_Token], length: int) -> None:
        self.tokens = tokens
        self.i = 0
        self.length = length

    def peek(self) -> _Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def parse(self) -> Node:
        if not self.tokens:
            return MatchAll()
        node = self.disjunction(0)
        token = self.peek()
        if token is not None:  # only a ")" stops a disjunction early
            raise _error("unbalanced parenthesis {at}: this ) closes no group opened with (", token.position)
        return node

    def disjunction(self, depth: int) -> Node:
        parts = [self.conjunction(depth)]
        while (token := self.peek()) is not None and token.kind == "or":
            self.i += 1
            self.expect_operand(token)
            parts.append(self.conjunction(depth))
        return parts[0] if len(parts) == 1 else Or(tuple(parts))

    def conjunction(self, depth: int) -> Node:
        parts = [self.negation(depth)]
        while (token := self.peek()) is not None and token.kind not in ("or", ")"):
            if token.kind == "and":
                self.i += 1
                self.expect_operand(token)
            parts.append(self.negation(depth))
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def expect_operand(self, operator: _Token) -> None:
        token = self.peek()
        if token is None or token.kind in ("or", "and", ")"):
            raise _error(f"{operator.text} {{at}} has nothing after it: put a word, phrase or group on "
                         "both sides", operator.position)

    def negation(self, depth: int) -> Node:
        # A run of NOTs is counted, not recursed into, so that "- - - ... x" cannot exhaust the stack.
        negated = False
        while (token := self.peek()) is not None and token.kind == "not":
            self.i += 1
            following = self.peek()
            if following is None or following.kind in ("or", "and", ")"):
                what = "NOT" if token.text == "NOT" else "-"
                raise _error(f"{what} {{at}} has nothing after it: put the word, phrase or group to leave "
                             "out right after it", token.position)
            negated = not negated
        node = self.primary(depth)
        return Not(node) if negated else node

    def primary(self, depth: int) -> Node:
        token = self.peek()
        assert token is not None  # callers check that an operand follows
        if token.kind in ("or", "and"):
            raise _error(f"{token.text} {{at}} has nothing before it: put a word, phrase or group on both "
                         "sides", token.position)
        if token.kind == ")":
            raise _error("unbalanced parenthesis {at}: this ) closes no group opened with (", token.position)
        self.i += 1
        if token.kind != "(":
            assert token.node is not None
            return token.node
        if depth + 1 > MAX_DEPTH:
            raise _error(f"too many parentheses inside each other {{at}}: at most {MAX_DEPTH} levels",
                         token.position)
        following = self.peek()
        if following is None:
            raise _error("unbalanced parenthesis {at}: a group opened with ( is not closed", token.position)
        if following.kind == ")":
            raise _error("empty parentheses {at}: put words between them", token.position)
        node = self.disjunction(depth + 1)
        closing = self.peek()
        if closing is None:
            raise _error("unbalanced parenthesis {at}: a group opened with ( is not closed", token.position)
        self.i += 1  # the ")"
        return node


def _normal(node: Node) -> Node:
    """Give the tree flattened (nested ANDs and ORs merged, duplicate parts dropped) and with
    every NOT standing beside a positive part, so that every engine can run it."""
    if isinstance(node, And | Or):
        kind = type(node)
        parts: list[Node] = []
        for part in (_normal(p) for p in node.parts):
            parts.extend(part.parts if isinstance(part, kind) else (part,))
        parts = list(dict.fromkeys(parts))
        if isinstance(node, Or):
            parts = [_grounded(p) for p in parts]
            return parts[0] if len(parts) == 1 else Or(tuple(parts))
        positive = [p for p in parts if not isinstance(p, Not | MatchAll)]
        parts = positive + [p for p in parts if isinstance(p, Not)]
        if not positive:
            parts.insert(0, MatchAll())
        return parts[0] if len(parts) == 1 else And(tuple(parts))
    if isinstance(node, Not):
        inner = _normal(node.part)
        if isinstance(inner, And) and len(inner.parts) == 2 and inner.parts[0] == MatchAll() \
                and isinstance(inner.parts[1], Not):
            return inner.parts[1].part  # NOT NOT x is x
        return _grounded(Not(inner))
    return node


def _grounded(node: Node) -> Node:
    # A NOT outside an AND means "every letter but these": engines need the "every letter" said.
    return And((MatchAll(), node)) if isinstance(node, Not) else node


def parse_query(text: str) -> Query:
    """Give the parsed query, or raise QuerySyntaxError saying what is wrong and where."""
    if len(text) > MAX_LENGTH:
        raise QuerySyntaxError(f"the query is too long: {len(text):,} characters, where at most "
                               f"{MAX_LENGTH:,} are read", MAX_LENGTH)
    clean = _UNPRINTABLE.sub(" ", text)
    # Characters that are not assigned in Unicode are spaces too; replacing one by one keeps positions.
    if not clean.isascii():
        clean = "".join(" " if unicodedata.category(ch) in ("Cn", "Co", "Cs") else ch for ch in clean)
    root = _Parser(_tokens(clean), len(clean)).parse()
    return Query(_normal(root), text)

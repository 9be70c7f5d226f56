"""A search index in the SQLite store itself: FTS5 for the words, plain tables for filters and facets.

Tables (all named ``search_*``, beside the archive's own):

- ``search_fts``: a contentless FTS5 table over title, names, place and body (``unicode61`` with
  accents removed, no stemming: the letters are mostly German and English, and one stemmer would
  mangle the other language), ranked by BM25 with names and title weighing 10, place 3, body 1.
- ``search_docs``: one row per letter (its rowid is the FTS5 rowid): id, years, date, facet values
  as ids into ``search_values``, and the indexed text compressed. Contentless FTS5 forgets the text
  it indexed, but removing a letter from it needs that text again, and the store may already hold a
  newer version by then.
- ``search_values``: every facet value and name form once, with the folded key filters compare.
- ``search_links``: a letter's many-valued fields (sender's and recipients' name forms, recipients
  as facet values, the names and ids of the persons it mentions).
- ``search_meta``: the store change sequence the index has reached.

User words reach FTS5 only inside double quotes (a quote in a word is doubled), so no word is read
as FTS5 syntax; filters are SQL conditions with bound parameters.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import astuple, dataclass, field
from typing import Any

from .base import FACETS, FacetCount, Hit, IndexResult, SearchDoc, Sort
from .document import FIELD_WEIGHTS, date_key
from .query import And, Field, MatchAll, Node, Not, Or, Phrase, Query, Term, YearRange, fold

__all__ = ["WEIGHTS", "FTS5Index"]

#: The version of the tables below: tables of another version are made again on opening (the
#: sequence falls to 0, so the archive indexes every letter again).
SCHEMA_VERSION = 2
#: BM25 weights of the FTS5 columns, in their order: title, names, place, body.
WEIGHTS = tuple(FIELD_WEIGHTS.values())

_SCHEMA = """
CREATE TABLE IF NOT EXISTS search_meta(key TEXT PRIMARY KEY, value) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS search_values(
  id INTEGER PRIMARY KEY, kind TEXT NOT NULL, value TEXT NOT NULL, key TEXT NOT NULL,
  UNIQUE(kind, value));
CREATE INDEX IF NOT EXISTS search_values_key ON search_values(kind, key);
CREATE TABLE IF NOT EXISTS search_docs(
  rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, year_from INTEGER, year_to INTEGER,
  date_key INTEGER, sender INTEGER, place INTEGER, language INTEGER, collection INTEGER,
  packed BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS search_docs_date ON search_docs(date_key);
CREATE TABLE IF NOT EXISTS search_links(
  doc INTEGER NOT NULL, kind INTEGER NOT NULL, value INTEGER NOT NULL,
  PRIMARY KEY(doc, kind, value)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS search_links_value ON search_links(value, doc);
CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(
  title, names, place, body, content='', tokenize='unicode61 remove_diacritics 2');
INSERT OR IGNORE INTO search_meta VALUES ('sequence', 0);
INSERT OR IGNORE INTO search_meta VALUES ('schema', {SCHEMA_VERSION});
"""

# search_links.kind: what a linked value is to the letter.
_FROM, _TO, _RECIPIENT, _MENTIONS = 1, 2, 3, 4
# The facet columns of search_docs, by facet name; recipients and decades are counted apart.
_DOC_FACETS = {"sender": "sender", "place": "place", "language": "language", "collection": "collection",
               "year": "year_from"}
_FIELD_KIND = {"place": "place", "lang": "language", "collection": "collection"}


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def fts_expression(node: Node) -> str | None:
    """Give the FTS5 MATCH expression of a tree of words, or None when it holds filters."""
    if isinstance(node, Term):
        return _quoted(node.text) + ("*" if node.prefix else "")
    if isinstance(node, Phrase):
        return _quoted(node.text)
    if isinstance(node, Or):
        parts = [fts_expression(p) for p in node.parts]
        return None if None in parts else "(" + " OR ".join(p for p in parts if p) + ")"
    if isinstance(node, And):
        positive = [fts_expression(p) for p in node.parts if not isinstance(p, Not)]
        negative = [fts_expression(p.part) for p in node.parts if isinstance(p, Not)]
        if not positive or None in positive or None in negative:
            return None
        text = "(" + " AND ".join(p for p in positive if p) + ")"
        return text + "".join(f" NOT {n}" for n in negative if n)
    return None


@dataclass
class _Plan:
    """A query as SQL: the MATCH expression that ranks (if any) and the conditions beside it."""

    match: str | None = None
    where: list[str] = field(default_factory=list)
    params: list[object] = field(default_factory=list)

    def source(self) -> tuple[str, list[object]]:
        """Give the FROM and WHERE clauses and their parameters."""
        if self.match is not None:
            sql = "FROM search_fts JOIN search_docs d ON d.rowid = search_fts.rowid WHERE search_fts MATCH ?"
            conditions, params = self.where, [self.match, *self.params]
            return sql + "".join(f" AND {c}" for c in conditions), params
        where = " AND ".join(self.where) if self.where else "1"
        return f"FROM search_docs d WHERE {where}", list(self.params)


def _condition(node: Node, params: list[object]) -> str:
    """Give an SQL condition on ``d`` (search_docs) for any part of a query, adding its parameters."""
    expression = fts_expression(node)
    if expression is not None:
        params.append(expression)
        return "d.rowid IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?)"
    if isinstance(node, Field):
        if node.name in ("from", "to", "mentions"):
            params.extend((node.name, fold(node.value)))
            return ("d.rowid IN (SELECT l.doc FROM search_links l WHERE l.value IN "
                    "(SELECT id FROM search_values WHERE kind = ? AND key = ?))")
        kind = _FIELD_KIND[node.name]
        params.extend((kind, fold(node.value)))
        return f"d.{kind} IN (SELECT id FROM search_values WHERE kind = ? AND key = ?)"
    if isinstance(node, YearRange):
        parts = ["d.year_from IS NOT NULL"]
        if node.end is not None:
            parts.append("d.year_from <= ?")
            params.append(node.end)
        if node.start is not None:
            parts.append("d.year_to >= ?")
            params.append(node.start)
        return "(" + " AND ".join(parts) + ")"
    if isinstance(node, MatchAll):
        return "1"
    if isinstance(node, Not):
        return f"NOT ({_condition(node.part, params)})"
    assert isinstance(node, And | Or)
    joiner = " AND " if isinstance(node, And) else " OR "
    return "(" + joiner.join(_condition(p, params) for p in node.parts) + ")"


def plan(query: Query) -> _Plan:
    """Give the SQL plan of a query: words at the top that FTS5 can rank, the rest as conditions."""
    root = query.root
    parts = root.parts if isinstance(root, And) else (root,)
    result = _Plan()
    words = [p for p in parts if not isinstance(p, Not) and fts_expression(p) is not None]
    if words:
        negative = [p for p in parts if isinstance(p, Not) and fts_expression(p.part) is not None]
        result.match = fts_expression(And(tuple(words + negative))) if len(words + negative) > 1 \
            else fts_expression(words[0])
        rest = [p for p in parts if p not in words and p not in negative]
    else:
        rest = list(parts)
    for part in rest:
        if not isinstance(part, MatchAll):
            result.where.append(_condition(part, result.params))
    return result



def tag_document(doc: SearchDoc) -> tuple[Any, ...]:
    """Give a letter's document as a plain tuple, for ``FTS5Index.add_tagged`` (a tuple travels
    between processes several times faster than the dataclass)."""
    return astuple(doc)

class FTS5Index:
    """The ``fts5`` search index: FTS5 and plain tables inside the archive's SQLite database.

    Changes join the connection's open transaction; ``commit`` commits it, the store's own writes
    of the batch with them, so the store and its index change together.
    """

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.db = connection
        # Only a new database is written to here: a read-only connection must open an index too.
        exists = connection.execute("SELECT 1 FROM sqlite_master WHERE name = 'search_meta'").fetchone()
        version = exists and connection.execute("SELECT value FROM search_meta WHERE key = 'schema'").fetchone()
        if exists and (not version or version[0] != SCHEMA_VERSION):
            self._begin()
            for (table,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN "
                                               "('search_fts', 'search_meta', 'search_values', 'search_docs', "
                                               "'search_links')").fetchall():
                connection.execute(f"DROP TABLE {table}")
            exists = None
        if not exists:
            self._begin()
            for statement in _SCHEMA.format(SCHEMA_VERSION=SCHEMA_VERSION).split(";"):
                if statement.strip():
                    connection.execute(statement)
            connection.execute("INSERT INTO search_fts(search_fts, rank) VALUES ('rank', ?)",
                               ("bm25(" + ", ".join(str(w) for w in WEIGHTS) + ")",))
            connection.commit()
        self._value_ids: dict[tuple[str, str], int] = {}
        self._value_names: dict[int, str] = {}

    # ------------------------------------------------------------------------------ writing

    def _begin(self) -> None:
        if not self.db.in_transaction:
            self.db.execute("BEGIN")

    def _value(self, kind: str, value: str) -> int:
        key = (kind, value)
        found = self._value_ids.get(key)
        if found is None:
            row = self.db.execute("SELECT id FROM search_values WHERE kind = ? AND value = ?", key).fetchone()
            if row is None:
                cursor = self.db.execute("INSERT INTO search_values(kind, value, key) VALUES (?, ?, ?)",
                                         (kind, value, fold(value)))
                found = int(cursor.lastrowid or 0)
            else:
                found = int(row[0])
            self._value_ids[key] = found
        return found

    def _optional(self, kind: str, value: str | None) -> int | None:
        return self._value(kind, value) if value else None

    def _forget(self, rowid: int, packed: bytes) -> None:
        """Take a letter's words out of FTS5 (given exactly as they were put in) and its links."""
        title, names, place, body = json.loads(zlib.decompress(packed))
        self.db.execute("INSERT INTO search_fts(search_fts, rowid, title, names, place, body) "
                        "VALUES ('delete', ?, ?, ?, ?, ?)", (rowid, title, names, place, body))
        self.db.execute("DELETE FROM search_links WHERE doc = ?", (rowid,))

    def add_tagged(self, items: Iterable[tuple[str, Any]], *, replace: bool = True) -> None:
        """Add or replace documents given as (letter id, ``tag_document``'s tag); visible after
        ``commit``. Always replaces (``replace`` is accepted for the contract's sake): the lookup
        of a letter's row is part of writing it."""
        docs = []
        for letter_id, tag in items:
            doc = SearchDoc(*tag)
            doc.id = letter_id
            docs.append(doc)
        self.add(docs)

    def add(self, docs: Iterable[SearchDoc]) -> None:
        """Add or replace documents (by id); visible after ``commit``."""
        self._begin()
        db = self.db
        for doc in docs:
            names = "\n".join(dict.fromkeys(doc.senders + doc.recipients))
            text = (doc.title or "", names, doc.place or "", doc.body or "")
            packed = zlib.compress(json.dumps(text, ensure_ascii=False).encode(), 3)
            values = (doc.year_from, doc.year_to if doc.year_to is not None else doc.year_from,
                      date_key(doc.date_sort), self._optional("sender", doc.sender_facet),
                      self._optional("place", doc.place), self._optional("language", doc.language),
                      self._optional("collection", doc.collection), packed)
            old = db.execute("SELECT rowid, packed FROM search_docs WHERE id = ?", (doc.id,)).fetchone()
            if old is not None:
                rowid = int(old[0])
                self._forget(rowid, old[1])
                db.execute("UPDATE search_docs SET year_from = ?, year_to = ?, date_key = ?, sender = ?, "
                           "place = ?, language = ?, collection = ?, packed = ? WHERE rowid = ?",
                           (*values, rowid))
            else:
                cursor = db.execute("INSERT INTO search_docs(id, year_from, year_to, date_key, sender, place, "
                                    "language, collection, packed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                    (doc.id, *values))
                rowid = int(cursor.lastrowid or 0)
            db.execute("INSERT INTO search_fts(rowid, title, names, place, body) VALUES (?, ?, ?, ?, ?)",
                       (rowid, *text))
            links = {(_FROM, self._value("from", n)) for n in doc.senders}
            links |= {(_TO, self._value("to", n)) for n in doc.recipients}
            links |= {(_RECIPIENT, self._value("recipient", n)) for n in doc.recipient_facets}
            links |= {(_MENTIONS, self._value("mentions", n)) for n in doc.mentions}
            db.executemany("INSERT INTO search_links(doc, kind, value) VALUES (?, ?, ?)",
                           [(rowid, kind, value) for kind, value in links])

    def delete(self, ids: Sequence[str]) -> None:
        """Remove documents by letter id; visible after ``commit``."""
        self._begin()
        for letter_id in ids:
            old = self.db.execute("SELECT rowid, packed FROM search_docs WHERE id = ?", (letter_id,)).fetchone()
            if old is not None:
                self._forget(int(old[0]), old[1])
                self.db.execute("DELETE FROM search_docs WHERE rowid = ?", (old[0],))

    def commit(self, *, sequence: int) -> None:
        """Make changes durable and visible, recording the store's change ``sequence`` they reach."""
        self._begin()
        self.db.execute("UPDATE search_meta SET value = ? WHERE key = 'sequence'", (sequence,))
        self.db.commit()

    def sequence(self) -> int:
        """Give the store change sequence the index has applied (0 for a new index)."""
        row = self.db.execute("SELECT value FROM search_meta WHERE key = 'sequence'").fetchone()
        return int(row[0]) if row else 0

    def optimize(self) -> None:
        """Merge FTS5's segments into one (after a bulk load: fewer segments, faster queries).

        Inside a transaction the archive holds open, the merge is committed with the archive's work.
        """
        ours = not self.db.in_transaction
        self.db.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
        if ours and self.db.in_transaction:
            self.db.commit()

    def clear(self) -> None:
        """Remove every document (before a rebuild)."""
        self._begin()
        self.db.execute("INSERT INTO search_fts(search_fts) VALUES ('delete-all')")
        for table in ("search_docs", "search_links", "search_values"):
            self.db.execute(f"DELETE FROM {table}")  # noqa: S608 - a fixed table name
        self.db.execute("UPDATE search_meta SET value = 0 WHERE key = 'sequence'")
        self._value_ids.clear()
        self._value_names.clear()

    def close(self) -> None:
        """Release nothing: the connection belongs to the archive."""

    # ------------------------------------------------------------------------------ reading

    def count(self) -> int:
        """Give the number of documents in the index."""
        return int(self.db.execute("SELECT count(*) FROM search_docs").fetchone()[0])

    def search(self, query: Query, *, sort: Sort = "relevance", offset: int = 0, limit: int = 20,
               facets: Sequence[str] = FACETS, facet_size: int = 10) -> IndexResult:
        """Give the hits for a parsed query, one page of them, with facet counts."""
        query_plan = plan(query)
        source, params = query_plan.source()
        unfiltered = query_plan.match is not None and not query_plan.where
        if sort == "relevance" and unfiltered:
            # Ranked in FTS5 alone, joined for the ids of one page only, not of every match.
            select = ("SELECT d.id, -page.rank FROM (SELECT rowid, rank FROM search_fts WHERE search_fts MATCH ? "
                      "ORDER BY rank LIMIT ? OFFSET ?) AS page JOIN search_docs d ON d.rowid = page.rowid "
                      "ORDER BY page.rank")
        elif sort == "relevance" and query_plan.match is not None:
            select = f"SELECT d.id, -rank {source} ORDER BY rank LIMIT ? OFFSET ?"
        else:
            direction = "DESC" if sort == "-date" else "ASC"
            select = (f"SELECT d.id, 0.0 {source} ORDER BY d.date_key IS NULL, d.date_key {direction}, "
                      f"d.rowid {direction} LIMIT ? OFFSET ?")
        hits = [Hit(str(i), float(s)) for i, s in self.db.execute(select, [*params, max(limit, 0), max(offset, 0)])]
        wanted = [f for f in FACETS if f in facets]
        if wanted:
            total, counts = self._facets(source, params, wanted, facet_size)
        else:
            counting = "FROM search_fts WHERE search_fts MATCH ?" if unfiltered else source
            total, counts = int(self.db.execute(f"SELECT count(*) {counting}", params).fetchone()[0]), {}
        return IndexResult(total, hits, counts)

    def _facets(self, source: str, params: list[object], wanted: list[str],
                facet_size: int) -> tuple[int, dict[str, list[FacetCount]]]:
        """Give the number of matches and the facet counts, from one pass over the matches."""
        columns = "d.rowid AS doc, d.sender, d.place, d.language, d.collection, d.year_from"
        parts = ["SELECT 'total', NULL, count(*) FROM m"]
        for facet in wanted:
            if facet == "recipient":
                parts.append(f"SELECT 'recipient', l.value, count(*) FROM m JOIN search_links l "
                             f"ON l.doc = m.doc AND l.kind = {_RECIPIENT} GROUP BY l.value")
            elif facet != "decade":
                column = _DOC_FACETS[facet]
                parts.append(f"SELECT '{facet}', {column}, count(*) FROM m WHERE {column} IS NOT NULL "
                             f"GROUP BY {column}")
        if "decade" in wanted and "year" not in wanted:  # decades are summed from the years
            parts.append("SELECT 'year', year_from, count(*) FROM m WHERE year_from IS NOT NULL GROUP BY 2")
        sql = f"WITH m AS MATERIALIZED (SELECT {columns} {source}) " + " UNION ALL ".join(parts)
        total = 0
        grouped: dict[str, dict[int, int]] = {}
        for facet, value, count in self.db.execute(sql, params):
            if facet == "total":
                total = int(count)
            else:
                grouped.setdefault(str(facet), {})[int(value)] = int(count)
        if "decade" in wanted:
            decades: dict[int, int] = {}
            for year, count in grouped.get("year", {}).items():
                decades[year // 10 * 10] = decades.get(year // 10 * 10, 0) + count
            grouped["decade"] = decades
        labels = self._labels([v for f, pairs in grouped.items() if f not in ("year", "decade") for v in pairs])
        counts: dict[str, list[FacetCount]] = {}
        for facet in wanted:
            pairs = grouped.get(facet, {})
            if facet in ("year", "decade"):
                ranked = sorted(pairs.items(), key=lambda p: (-p[1], p[0]))
                counts[facet] = [FacetCount(str(v), c) for v, c in ranked[:facet_size]]
            else:
                named = sorted(((labels[v], c) for v, c in pairs.items()), key=lambda p: (-p[1], p[0]))
                counts[facet] = [FacetCount(v, c) for v, c in named[:facet_size]]
        return total, counts

    def _labels(self, ids: list[int]) -> dict[int, str]:
        """Give the display values of value ids, from a cache filled as values are asked for."""
        missing = list({i for i in ids if i not in self._value_names})
        for start in range(0, len(missing), 500):
            chunk = missing[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for value_id, value in self.db.execute(f"SELECT id, value FROM search_values WHERE id IN ({marks})",
                                                   chunk):
                self._value_names[int(value_id)] = str(value)
        return self._value_names

"""A search index in a folder beside the database, made with tantivy (a Rust search library).

tantivy ranks by BM25 in compiled code over compressed posting lists (a word in a fifth of a
million letters is ranked and counted in about a millisecond), and counts facets over fast fields
(column stores) in its aggregations; both stay fast at a million letters, where FTS5 ordered by
rank, driven through SQLite row by row, does not (see the README's Performance section). tantivy-py
runs its collectors together, which scores every match rather than skipping blocks that cannot
reach the top of the page; at a few nanoseconds a match that is not needed at this scale.

Fields: the words of title, names, place and body (``letterbook`` analyser: words of letters and
digits, lower case, accents removed, ß as ss; no stemming, as in the FTS5 index), boosted as
``FIELD_WEIGHTS`` says (names and title 10, place 3, body 1);
folded keys for the filters (``from_key`` ...), exact values for the facets (``sender`` ...), years
and a date key as numbers. Only the letter id is stored: snippets are cut from the store's text.
The store change sequence the index reaches is kept in ``sequence.json``, written atomically after
tantivy's commit: after a crash between the two, the index is ahead of its recorded sequence, and
the archive re-applies changes it already holds, which adding and deleting by id makes harmless.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import tantivy

from ..errors import LetterbookError
from .base import FACETS, FacetCount, Hit, IndexResult, SearchDoc, Sort
from .document import FIELD_WEIGHTS, date_key
from .query import And, Field, MatchAll, Node, Not, Or, Phrase, Query, Term, YearRange, fold

__all__ = ["FORMAT", "TEXT_FIELDS", "TantivyIndex", "tag_document"]

#: The fields searched for words, with their boosts.
TEXT_FIELDS: dict[str, float] = {("place_text" if part == "place" else part): weight
                                 for part, weight in FIELD_WEIGHTS.items()}
_ANALYZER = "letterbook"
_SEQUENCE_FILE = "sequence.json"
#: The version of the fields above: an index folder of another version is emptied on opening (its
#: sequence falls to 0, so the archive indexes every letter again).
FORMAT = 2
# Facet name -> fast field counted.
_FACET_FIELDS = {"sender": "sender", "recipient": "recipient", "decade": "decade", "year": "year_from",
                 "place": "place", "language": "language", "collection": "collection"}
_FILTER_FIELDS = {"from": "from_key", "to": "to_key", "place": "place_key", "lang": "lang_key",
                  "collection": "collection_key", "mentions": "mentions_key"}
#: Threads that index, and the memory each may fill before it writes a segment. Indexing takes
#: about two fifths of an ingest's work (the readers and the store the rest), so it gets that share
#: of the processors: one thread on two. A thread's memory holds about 200,000 letters, the
#: archive commits every ``INDEX_COMMIT_EVERY`` (200,000) letters, so a million letters make five
#: segments of one size, which tantivy leaves as they are (it merges eight of a size): at a million
#: letters that saves a tenth of the ingest against two threads committing every 50,000 letters,
#: whose forty small segments were merged. The memory is taken only as letters fill it.
_WRITER_THREADS = max(1, min(4, round((os.cpu_count() or 1) * 0.4)))
_HEAP_PER_THREAD = 384_000_000


def _analyzer() -> tantivy.TextAnalyzer:
    return (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
            .filter(tantivy.Filter.remove_long(40))
            .filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.ascii_fold())
            .build())


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw", index_option="basic")
    for name in TEXT_FIELDS:
        builder.add_text_field(name, tokenizer_name=_ANALYZER, index_option="position")
    for name in _FILTER_FIELDS.values():
        builder.add_text_field(name, tokenizer_name="raw", index_option="basic")
    for name in ("sender", "recipient", "place", "language", "collection"):
        builder.add_text_field(name, fast=True, tokenizer_name="raw", index_option="basic")
    for name in ("year_from", "year_to"):
        builder.add_integer_field(name, indexed=True, fast=True)
    builder.add_integer_field("decade", fast=True)
    builder.add_integer_field("date_key", fast=True)
    return builder.build()


def _regex_literal(token: str) -> str:
    # Tokens are letters and digits, but accent folding may leave other signs: spell those as code points.
    return "".join(ch if ch.isalnum() else f"\\x{{{ord(ch):X}}}" for ch in token)


Tag = dict[str, Any]


def tag_document(doc: SearchDoc) -> Tag:
    """Give a letter's document as this index takes it, but for its id: the values of its fields
    by name, words and numbers. Made where the letter was read (an ingest worker), so that the
    process writing the index only hands it over."""
    fields: dict[str, Any] = {"title": doc.title or "", "body": doc.body or ""}
    names = list(dict.fromkeys(doc.senders + doc.recipients))
    if names:
        fields["names"] = names
        if doc.senders:
            fields["from_key"] = sorted({fold(n) for n in doc.senders})
        if doc.recipients:
            fields["to_key"] = sorted({fold(n) for n in doc.recipients})
    if doc.mentions:
        fields["mentions_key"] = sorted({fold(n) for n in doc.mentions})
    if doc.recipient_facets:
        fields["recipient"] = list(dict.fromkeys(doc.recipient_facets))
    for name, value in (("sender", doc.sender_facet), ("place", doc.place), ("language", doc.language),
                        ("collection", doc.collection)):
        if value:
            fields[name] = value
    for name, value in (("place_key", doc.place), ("lang_key", doc.language), ("collection_key", doc.collection)):
        if value:
            fields[name] = fold(value)
    if doc.place:
        fields["place_text"] = doc.place
    if doc.year_from is not None:
        fields["year_from"] = doc.year_from
        fields["year_to"] = doc.year_to if doc.year_to is not None else doc.year_from
        fields["decade"] = doc.year_from // 10 * 10
    key = date_key(doc.date_sort)
    if key is not None:
        fields["date_key"] = key
    return fields


class TantivyIndex:
    """The ``tantivy`` search index, in the folder ``path`` (created if missing) or in memory."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else None
        schema = _schema()
        try:
            if self.path is None:
                self.index = tantivy.Index(schema)
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                if tantivy.Index.exists(str(self.path)) and not self._current():
                    self._empty_folder()
                self.index = tantivy.Index(schema, path=str(self.path), reuse=True)
        except (OSError, ValueError) as error:
            raise LetterbookError(f"the search index in {self.path} cannot be opened: {error}") from error
        self.index.register_tokenizer(_ANALYZER, _analyzer())
        self.schema = self.index.schema
        self.analyzer = _analyzer()
        self._writer: tantivy.IndexWriter | None = None
        #: Seconds to wait for a writer another process holds.
        self.writer_wait = 10.0
        self._pending = False  # changes made since the last commit
        self._sequence = self._read_sequence()

    # ------------------------------------------------------------------------------ writing

    def _state(self) -> dict[str, Any]:
        """Give what sequence.json records (sequence and format), empty when it is missing or unreadable."""
        assert self.path is not None
        try:
            state = json.loads((self.path / _SEQUENCE_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return state if isinstance(state, dict) else {}

    def _current(self) -> bool:
        """True when the folder holds an index of this format that this tantivy can open."""
        assert self.path is not None
        try:
            compatible = tantivy.Index.is_compatible(str(self.path))
        except ValueError:
            compatible = False
        return compatible and self._state().get("format") == FORMAT

    def _empty_folder(self) -> None:
        """Remove the files of an index of another format: only files tantivy lists as its own."""
        assert self.path is not None
        try:
            managed = json.loads((self.path / ".managed.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            managed = []
        for name in [*managed, "meta.json", ".managed.json", _SEQUENCE_FILE]:
            if isinstance(name, str) and "/" not in name:
                (self.path / name).unlink(missing_ok=True)

    def _read_sequence(self) -> int:
        if self.path is None:
            return 0
        sequence = self._state().get("sequence", 0)
        return sequence if isinstance(sequence, int) else 0

    def _write_sequence(self, sequence: int) -> None:
        self._sequence = sequence
        if self.path is None:
            return
        handle, temporary = tempfile.mkstemp(dir=self.path, prefix=".sequence-")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump({"sequence": sequence, "format": FORMAT}, out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, self.path / _SEQUENCE_FILE)

    def _open_writer(self) -> tantivy.IndexWriter:
        # Another process may hold the writer for a moment (a reader of a server archive bringing
        # this machine's index up to date): wait for it a little before giving up.
        waited = 0.0
        while self._writer is None:
            try:
                self._writer = self.index.writer(heap_size=_HEAP_PER_THREAD * _WRITER_THREADS,
                                                 num_threads=_WRITER_THREADS)
            except ValueError as error:
                if waited >= self.writer_wait:
                    raise LetterbookError(f"the search index {self.path} is being written by another process "
                                          f"({error})") from error
                time.sleep(0.1)
                waited += 0.1
        return self._writer

    def add(self, docs: Iterable[SearchDoc]) -> None:
        """Add or replace documents (by id); visible after ``commit``."""
        self.add_tagged((doc.id, tag_document(doc)) for doc in docs)

    def add_tagged(self, items: Iterable[tuple[str, Any]], *, replace: bool = True) -> None:
        """Add or replace documents given as (letter id, ``tag_document``'s tag); visible after
        ``commit``. By id unless ``replace=False``: a letter new to the store may be in the index
        already when another process following the same store (a server archive's reader)
        indexed it, so only a caller that held the writer since before the store wrote the
        letters may promise otherwise. The deletes skipped so save about a fifth of indexing."""
        writer = self._open_writer()
        self._pending = True
        for letter_id, fields in items:
            if replace:
                writer.delete_documents_by_term("id", letter_id)
            writer.add_document(tantivy.Document(id=letter_id, **fields))

    def delete(self, ids: Sequence[str]) -> None:
        """Remove documents by letter id; visible after ``commit``."""
        writer = self._open_writer()  # also when there are none: a caller may want the writer held
        self._pending = self._pending or bool(ids)
        for letter_id in ids:
            writer.delete_documents_by_term("id", letter_id)

    def commit(self, *, sequence: int) -> None:
        """Make changes durable and visible, recording the store's change ``sequence`` they reach."""
        if self._writer is not None:
            self._writer.commit()
        self._pending = False
        self._write_sequence(sequence)
        self.index.reload()

    def sequence(self) -> int:
        """Give the store change sequence the index has applied (0 for a new index)."""
        return self._sequence

    def optimize(self) -> None:
        """Wait for tantivy's background merges to end (after a bulk load), then let go of the writer."""
        if self._pending:
            raise LetterbookError("the search index has changes that are not committed: commit them before "
                                  "optimizing")
        if self._writer is not None:
            self._writer.wait_merging_threads()
            self._writer = None
            self.index.reload()

    def clear(self) -> None:
        """Remove every document (before a rebuild)."""
        self._open_writer().delete_all_documents()
        self._pending = True

    def close(self) -> None:
        """Release files and threads: uncommitted changes are dropped, background merges finished."""
        if self._writer is not None:
            self._writer.rollback()
            self._writer.wait_merging_threads()
            self._writer = None
        self._pending = False

    # ------------------------------------------------------------------------------ reading

    def count(self) -> int:
        """Give the number of documents in the index."""
        return int(self.index.searcher().num_docs)

    def _words(self, text: str, prefix: bool) -> tantivy.Query:
        """Give the query for a word or phrase over every text field, each field with its boost."""
        tokens = [token for token in self.analyzer.analyze(text) if token]
        if not tokens:
            return tantivy.Query.empty_query()
        per_field = []
        for name, boost in TEXT_FIELDS.items():
            if len(tokens) == 1 and prefix:
                query = tantivy.Query.regex_query(self.schema, name, _regex_literal(tokens[0]) + ".*")
            elif len(tokens) == 1:
                query = tantivy.Query.term_query(self.schema, name, tokens[0])
            elif prefix:
                query = tantivy.Query.phrase_prefix_query(self.schema, name, tokens)
            else:
                query = tantivy.Query.phrase_query(self.schema, name, tokens)
            per_field.append((tantivy.Occur.Should, tantivy.Query.boost_query(query, boost)))
        return tantivy.Query.boolean_query(per_field)

    def _filter(self, node: Field | YearRange) -> tantivy.Query:
        """Give a filter as a query that matches exactly and adds nothing to the score."""
        if isinstance(node, Field):
            query = tantivy.Query.term_query(self.schema, _FILTER_FIELDS[node.name], fold(node.value))
        else:
            integer = tantivy.FieldType.Integer
            parts = []
            if node.end is not None:
                parts.append(tantivy.Query.range_query(self.schema, "year_from", integer, None, node.end))
            if node.start is not None:
                parts.append(tantivy.Query.range_query(self.schema, "year_to", integer, node.start, None))
            if not parts:  # year:.. is refused by the parser; an open range means "dated"
                parts.append(tantivy.Query.exists_query("year_from"))
            query = parts[0] if len(parts) == 1 else \
                tantivy.Query.boolean_query([(tantivy.Occur.Must, p) for p in parts])
        return tantivy.Query.const_score_query(query, 0.0)

    def compile(self, node: Node) -> tantivy.Query:
        """Give the tantivy query of a query tree; user words only ever become term objects."""
        if isinstance(node, Term):
            return self._words(node.text, node.prefix)
        if isinstance(node, Phrase):
            return self._words(node.text, False)
        if isinstance(node, Field | YearRange):
            return self._filter(node)
        if isinstance(node, MatchAll):
            return tantivy.Query.const_score_query(tantivy.Query.all_query(), 0.0)
        if isinstance(node, Or):
            return tantivy.Query.boolean_query([(tantivy.Occur.Should, self.compile(p)) for p in node.parts])
        if isinstance(node, Not):  # only met at the top of a tree that was not normalised
            return self.compile(And((MatchAll(), node)))
        clauses = [(tantivy.Occur.MustNot, self.compile(p.part)) if isinstance(p, Not)
                   else (tantivy.Occur.Must, self.compile(p)) for p in node.parts]
        return tantivy.Query.boolean_query(clauses)

    def search(self, query: Query, *, sort: Sort = "relevance", offset: int = 0, limit: int = 20,
               facets: Sequence[str] = FACETS, facet_size: int = 10) -> IndexResult:
        """Give the hits for a parsed query, one page of them, with facet counts."""
        compiled = self.compile(query.root)
        searcher = self.index.searcher()
        # tantivy panics on a limit of 0: ask for one hit and drop it.
        options: dict[str, Any] = {"limit": max(limit, 1), "offset": max(offset, 0), "count": True}
        if sort != "relevance" or not query.has_text:
            options["order_by_field"] = "date_key"
            options["order"] = tantivy.Order.Desc if sort == "-date" else tantivy.Order.Asc
        result = searcher.search(compiled, **options)
        ranked = sort == "relevance" and query.has_text
        hits = [Hit(str(searcher.doc(address)["id"][0]), float(key) if ranked else 0.0)
                for key, address in result.hits[:max(limit, 0)]]
        wanted = [f for f in FACETS if f in facets]
        counts = self._facets(searcher, compiled, wanted, facet_size) if wanted else {}
        return IndexResult(int(result.count or 0), hits, counts)

    def _facets(self, searcher: tantivy.Searcher, compiled: tantivy.Query, wanted: list[str],
                facet_size: int) -> dict[str, list[FacetCount]]:
        """Give the facet counts over every match, from one aggregation over the fast fields."""
        # Each segment reports many more values than are shown, so that counts summed over segments
        # are exact unless a value is rare in one segment and common in the others.
        size = max(facet_size * 2, facet_size + 10)
        spec = {facet: {"terms": {"field": _FACET_FIELDS[facet], "size": size,
                                  "segment_size": max(size * 10, 500)}} for facet in wanted}
        result = searcher.aggregate(compiled, spec)
        counts: dict[str, list[FacetCount]] = {}
        for facet in wanted:
            buckets = result.get(facet, {}).get("buckets", [])
            pairs = sorted(((b["key"], int(b["doc_count"])) for b in buckets), key=lambda p: (-p[1], p[0]))
            counts[facet] = [FacetCount(str(int(k)) if isinstance(k, float) else str(k), c)
                             for k, c in pairs[:facet_size]]
        return counts

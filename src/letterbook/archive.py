"""The archive: the one object the command line and the web call.

    >>> from letterbook import Archive
    >>> with Archive.open("letters.db") as archive:
    ...     archive.ingest(["edition/"])
    ...     page = archive.search('from:"J. Stalin" year:1945 "second front"')
    ...     letter = archive.get(page.hits[0].letter.id)

An archive is a store (``letterbook.store``: the letters, their files, corrections and history)
and a search index that follows the store's change sequence (``letterbook.search``).
"""

from __future__ import annotations

import functools
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Container, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from .archive_people import EnrichReport, PeopleMixin, letter_summary
from .enrich import EnrichOptions
from .errors import ArchiveError, LetterbookError
from .fields import field_named
from .ingest import BATCH_SIZE, Ingest, IngestProgress, IngestReport, Listener
from .model import Letter
from .search import (
    DEFAULT_INDEX,
    FACETS,
    INDEX_KINDS,
    FacetCount,
    Query,
    SearchIndex,
    doc_for,
    make_snippet,
    open_index,
    parse_query,
    tag_letter,
)
from .store import open_store
from .store.base import BatchResult, Change, FieldSource, Stamp, Store

__all__ = ["Archive", "EnrichReport", "SearchHit", "SearchResult", "letter_summary"]

#: Sort orders of ``Archive.search``.
SORTS = ("relevance", "date", "-date")
#: The most results one page may hold.
MAX_PER_PAGE = 500
#: An index kept apart from the store commits after this many letters: each commit ends the
#: index's segments (see ``search.tantivy_index``), and fewer, larger segments spare it merging
#: them; what a crash loses of it is re-applied from the change sequence on the next opening.
INDEX_COMMIT_EVERY = 200_000
#: What makes the documents of letters for the index, batch by batch, in the order of the batches:
#: for each batch, those of its letters it can make, by id (``Archive._index_enriched``).
Tagging = Callable[[list[list[str]]], Iterator[dict[str, Any]]]
#: Seconds between two looks, by an archive open read-only on a server store (a web server), for
#: changes made elsewhere that its copy of the index has not applied.
FOLLOW_EVERY = 2.0


@dataclass
class SearchHit:
    """One letter found: the letter, its score, and a snippet of its text with the words marked."""

    letter: Letter
    score: float
    snippet: str

    def to_json(self) -> dict[str, Any]:
        """Give the hit in the ``letterbook search --json`` shape."""
        return {**letter_summary(self.letter), "snippet": self.snippet, "score": round(self.score, 4)}


@dataclass
class SearchResult:
    """One page of search results: the letters found, how many in all, and the facet counts."""

    query: str
    total: int
    page: int
    per_page: int
    hits: list[SearchHit] = field(default_factory=list)
    facets: dict[str, list[FacetCount]] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        """Give the number of pages the results fill."""
        return max(1, -(-self.total // self.per_page))

    def to_json(self) -> dict[str, Any]:
        """Give the result as ``letterbook search --json`` prints it."""
        return {
            "total": self.total,
            "results": [hit.to_json() for hit in self.hits],
            "facets": {name: [{"value": f.value, "count": f.count} for f in counts]
                       for name, counts in self.facets.items()},
            "query": self.query,
            "page": self.page,
            "per_page": self.per_page,
        }


class Archive(PeopleMixin):
    """Letters kept in a store and found through a search index; the people, places and threads
    enrichment finds in them (``PeopleMixin``: ``people``, ``person``, ``thread`` ...)."""

    def __init__(self, store: Store, index: SearchIndex, index_kind: str) -> None:
        self.store = store
        self.index = index
        self.index_kind = index_kind
        self._index_dirty = 0
        self._indexed_sequence = index.sequence()
        self._closed = False
        self._followed = time.monotonic()
        self._following = threading.Lock()
        self._feeder: ThreadPoolExecutor | None = None
        self._fed: deque[Future[None]] = deque()
        # True while an ingest holds the index's writer since before its first store write: no
        # other process can have indexed the letters it adds, so they go in without a delete.
        self._sole_writer = False

    # -- opening and closing --------------------------------------------------------------------

    @classmethod
    def open(cls, url: str | os.PathLike[str] | None = None, *, read_only: bool = False,
             index: str | None = None) -> Archive:
        """Give the archive at ``url``, made if it does not exist yet.

        ``url`` is a path or ``sqlite:///PATH`` (default: ``letterbook.db`` in the current folder),
        or ``:memory:`` for an archive that lives as long as the object. ``index`` chooses the kind
        of search index of a new archive (``"tantivy"`` or ``"fts5"``); an existing archive keeps
        the kind it was made with.
        """
        if index is not None and index not in INDEX_KINDS:
            raise LetterbookError(f"unknown kind of search index {index!r}: the kinds are {', '.join(INDEX_KINDS)}")
        store = open_store(url, read_only=read_only)
        try:
            kind = store.setting("search_index")
            if kind is None:
                kind = index or DEFAULT_INDEX
                if kind == "fts5" and store.sqlite_connection is None:
                    raise LetterbookError(f"the fts5 search index lives inside an SQLite archive; {store.url} "
                                          "is on a server and keeps a tantivy index on each machine")
                if not read_only:
                    store.set_setting("search_index", kind)
            elif index is not None and index != kind:
                raise LetterbookError(f"this archive keeps a {kind} search index; to change it, make a new archive")
            search_index = open_index(kind, sqlite_connection=store.sqlite_connection, path=store.index_home())
        except BaseException:
            store.close()
            raise
        archive = cls(store, search_index, kind)
        try:
            if not read_only:
                archive.catch_up()
            elif store.index_is_local_copy:
                archive._catch_up_copy()
        except BaseException:
            archive.close()
            raise
        return archive

    def _follow_server(self) -> None:
        """Apply, now and then, what was changed elsewhere to this machine's copy of a server
        archive's index, when the archive is open read-only (a web server); one thread at a time."""
        if not (self.store.read_only and self.store.index_is_local_copy):
            return
        if time.monotonic() - self._followed < FOLLOW_EVERY or not self._following.acquire(blocking=False):
            return
        try:
            self._followed = time.monotonic()
            if self.store.sequence() != self.index.sequence():
                self._catch_up_copy()
        finally:
            self._following.release()

    def _catch_up_copy(self) -> None:
        """Bring this machine's copy of a server archive's index up to the store's changes, unless
        another process here is writing it (an ingest, which keeps it in step itself)."""
        wait = getattr(self.index, "writer_wait", None)
        try:
            if wait is not None:
                self.index.writer_wait = 0.0  # type: ignore[attr-defined]
            self.index.delete([])  # takes the index's writer before any work: another process may have it
        except ArchiveError:
            raise
        except LetterbookError:
            return
        finally:
            if wait is not None:
                self.index.writer_wait = wait  # type: ignore[attr-defined]
        try:
            self.catch_up()
        finally:  # what was applied is kept, and the writer let go for the next ingest here
            self.index.commit(sequence=self._indexed_sequence)
            self._index_dirty = 0
            self.index.optimize()

    def close(self) -> None:
        """Commit what the index holds, and release the index and the store."""
        if self._closed:
            return
        self._closed = True
        try:
            if self._index_dirty:
                self.index.commit(sequence=self._indexed_sequence)
        finally:
            self.index.close()
            self.store.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    # -- keeping the index in step --------------------------------------------------------------

    def catch_up(self) -> int:
        """Give the number of letters re-indexed to bring the index up to the store's changes
        (after a crash, or when the index folder was removed)."""
        reached = self.index.sequence()
        latest = self.store.sequence()
        if reached > latest or (reached == 0 < latest and self.index.count() == 0):
            # An index from another database or a store restored from a copy, or an index that is
            # gone: building it anew is quicker than replaying every change.
            return self.reindex()
        count = 0
        while reached < latest:
            pending = self.store.pending(reached)
            if not pending:
                break
            live = self.store.get_many([p.id for p in pending if p.live])
            docs = [doc_for(live[p.id]) for p in pending if p.id in live]
            gone = [p.id for p in pending if p.id not in live]
            if docs:
                self.index.add(docs)
            if gone:
                self.index.delete(gone)
            reached = max(p.sequence for p in pending)
            count += len(pending)
            self._indexed_sequence = reached
            self._index_dirty += len(pending)
            if self.index_kind == "fts5" or self._index_dirty >= INDEX_COMMIT_EVERY:
                self._commit_index()
        self._indexed_sequence = latest  # every change up to it is applied
        self._commit_index()
        return count

    def _follow(self, result: BatchResult) -> None:
        """Give the index a batch's changes; commit it when due.

        During an ingest into an index apart from the store, the index is fed on a thread of its
        own (``_feeder``): the store's next transaction, whose SQLite work runs without Python's
        lock, then overlaps with handing this batch to the index."""
        new: list[tuple[str, Any]] = []
        items: list[tuple[str, Any]] = []
        kind, sole = self.index_kind, self._sole_writer
        for w in result.changed:
            # The document made where the letter was read, or, when the stored letter differs from
            # that reading (a person's fields) or came whole, one made now.
            item = (w.id, w.tag) if w.letter is None else (w.id, tag_letter(kind, w.letter))
            (new if w.new and sole else items).append(item)
        if new or items or result.gone:
            if self._feeder is None:
                self._feed(new, items, result.gone)
            else:
                while len(self._fed) >= 2:  # at most two batches wait, so memory stays flat
                    self._fed.popleft().result()
                self._fed.append(self._feeder.submit(self._feed, new, items, result.gone))
        self._indexed_sequence = result.sequence
        self._index_dirty += len(result.changed) + len(result.gone)
        # The fts5 index shares the store's connection, so it must commit before the next store
        # transaction begins; an index apart from the store commits now and then.
        if self.index_kind == "fts5" or self._index_dirty >= INDEX_COMMIT_EVERY:
            self._commit_index()

    def _feed(self, new: list[tuple[str, Any]], items: list[tuple[str, Any]], gone: list[str]) -> None:
        if new:
            self.index.add_tagged(new, replace=False)
        if items:
            self.index.add_tagged(items)
        if gone:
            self.index.delete(gone)

    def _drain(self) -> None:
        """Wait until the index holds every batch handed to it (raising what feeding it raised)."""
        while self._fed:
            self._fed.popleft().result()

    def _commit_index(self) -> None:
        self._drain()
        if self._index_dirty or self.index.sequence() != self._indexed_sequence:
            self.index.commit(sequence=self._indexed_sequence)
        self._index_dirty = 0

    def reindex(self) -> int:
        """Give the number of letters indexed after rebuilding the search index from the store."""
        self.index.clear()
        sequence = self.store.sequence()
        count = 0
        docs = []
        for letter in self.store.iter_letters():
            docs.append(doc_for(letter))
            if len(docs) >= BATCH_SIZE:
                self.index.add(docs)
                count += len(docs)
                docs = []
        if docs:
            self.index.add(docs)
            count += len(docs)
        self.index.commit(sequence=sequence)
        optimize = getattr(self.index, "optimize", None)
        if callable(optimize):
            optimize()
        self._indexed_sequence = sequence
        self._index_dirty = 0
        return count

    # -- ingest ---------------------------------------------------------------------------------

    def ingest(self, paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str], *, recursive: bool = True,
               workers: int | None = None, progress: Listener | None = None, fmt: str | None = None,
               batch_size: int = BATCH_SIZE, enrich: bool | EnrichOptions = True) -> IngestReport:
        """Give the report of reading files into the archive (see ``letterbook.ingest``).

        Each path is a file or a folder (read with its subfolders unless ``recursive=False``).
        Unchanged files are passed over; changed files update their letters, which keep their ids.
        ``progress`` is called with an ``IngestProgress`` as the work goes on. Then, when letters
        changed, the archive is enriched (``Archive.enrich``: people, places, mentions, threads;
        the report's ``enrichment``), unless ``enrich=False``; ``EnrichOptions`` choose its passes.
        """
        if isinstance(paths, str | os.PathLike):
            paths = [paths]
        # With enrichment, the letters are indexed once, after it (their mentions are part of
        # what is searched); until then the index lags the store's changes, which it catches up
        # with on the next opening should the run stop half way.
        deferred = enrich is not False
        run = Ingest(self.store, self._defer if deferred else self._follow, workers=workers, fmt=fmt,
                     progress=progress, batch_size=batch_size,
                     tagger=None if deferred else functools.partial(tag_letter, self.index_kind))
        if not deferred and self.index_kind != "fts5":
            self.index.delete([])  # takes the index's writer before the store writes a letter
            self._sole_writer = True
            self._feeder = ThreadPoolExecutor(max_workers=1, thread_name_prefix="letterbook-index")
        try:
            report = run.run(paths, recursive=recursive)
        finally:
            self._sole_writer = False
            try:
                # Committed letters are searchable even when the run was interrupted.
                self._commit_index()
            finally:
                if self._feeder is not None:
                    self._feeder.shutdown(wait=True, cancel_futures=True)
                    self._feeder = None
                    self._fed.clear()
        if enrich is not False and self.enrichment_due():
            tell = None
            if progress is not None:
                def tell(step: str, listener: Listener = progress) -> None:
                    listener(IngestProgress("enriching", files_total=report.files, files_done=report.files,
                                            letters=report.new + report.updated, step=step))
            report.enrichment = self.enrich(options=enrich if isinstance(enrich, EnrichOptions) else None,
                                            progress=tell)
        return report

    def _defer(self, result: BatchResult) -> None:
        """Leave a batch's changes to be indexed after enrichment (``_index_enriched``)."""

    def _index_enriched(self, tag: Tagging, *, until: int | None = None, skip: Container[str] = ()) -> set[str]:
        """Give the index every letter changed since it was last told, up to the change ``until``
        (the latest when None), and give their ids: those an ingest left to it (``_defer``) and
        those enrichment changed (each numbered in the change sequence), a batch at a time, less
        those in ``skip`` (indexed already as they now are). ``tag`` gives, for the batches, the
        documents (``tag_letter``) of those letters of each it can make as the store holds them
        (enrichment holds them); the store gives the others."""
        live: dict[str, None] = {}
        gone: dict[str, None] = {}
        reached, latest = self._indexed_sequence, self.store.sequence() if until is None else until
        while reached < latest:
            # Changes after ``until`` may be written meanwhile (enrichment's storing, elsewhere):
            # a letter whose latest change is one of them is left to the call after it.
            pending = [item for item in self.store.pending(reached) if item.sequence <= latest]
            if not pending:
                break
            for item in pending:
                if item.live:
                    live[item.id] = None
                    gone.pop(item.id, None)
                else:
                    gone[item.id] = None
                    live.pop(item.id, None)
            reached = max(item.sequence for item in pending)
        ids = [i for i in live if i not in skip]
        batches = [ids[start:start + BATCH_SIZE] for start in range(0, len(ids), BATCH_SIZE)]
        for batch, found in zip(batches, tag(batches), strict=True):
            missing = [i for i in batch if i not in found]
            if missing:
                found.update((i, tag_letter(self.index_kind, x)) for i, x in self.store.get_many(missing).items())
            if found:
                self.index.add_tagged(list(found.items()))
        if gone:
            self.index.delete(list(gone))
        self._index_dirty += len(ids) + len(gone)
        self._indexed_sequence = latest
        self._commit_index()
        return set(ids)

    # -- reading --------------------------------------------------------------------------------

    def get(self, id: str) -> Letter:
        """Give the letter with this id; raise ``LetterNotFound`` when there is none."""
        return self.store.get(id)

    def search(self, query: str | Query, *, sort: str = "relevance", page: int = 1, per_page: int = 20,
               facets: bool = True) -> SearchResult:
        """Give one page of the letters a query finds, best first (or by date), with facet counts.

        The query language is ``letterbook.search.query``'s (``letterbook search --help``); a query
        that cannot be read raises ``QuerySyntaxError`` saying what is wrong and where.
        """
        if sort not in SORTS:
            raise LetterbookError(f"cannot sort by {sort!r}: sort by {', '.join(SORTS)}")
        if page < 1:
            raise LetterbookError(f"there is no page {page}: pages are numbered from 1")
        if not 1 <= per_page <= MAX_PER_PAGE:
            raise LetterbookError(f"a page holds 1 to {MAX_PER_PAGE} letters, not {per_page}")
        parsed = parse_query(query) if isinstance(query, str) else query
        self._follow_server()
        found = self.index.search(self.widen(parsed), sort=sort, offset=(page - 1) * per_page, limit=per_page,  # type: ignore[arg-type]
                                  facets=FACETS if facets else ())
        letters = self.store.get_many([hit.id for hit in found.hits])
        hits = []
        for hit in found.hits:
            letter = letters.get(hit.id)
            if letter is None:  # withdrawn since the index was last committed
                continue
            hits.append(SearchHit(letter, hit.score, make_snippet(doc_for(letter).body, parsed)))
        return SearchResult(parsed.text, found.total, page, per_page, hits, found.facets)

    def letters(self, filters: str | Query | None = None, *, sort: str = "date", limit: int | None = None,
                offset: int = 0) -> Iterator[Letter]:
        """Give the letters a query finds (every letter when ``filters`` is None), in the order
        asked: ``"date"``, ``"-date"``, ``"relevance"`` (with a query) or ``"id"`` (without)."""
        if filters is None or (isinstance(filters, str) and not filters.strip()):
            if sort not in ("date", "-date", "id"):
                raise LetterbookError(f"cannot list every letter by {sort!r}: use date, -date or id")
            yield from self.store.iter_letters(sort=sort, limit=limit, offset=offset)  # type: ignore[arg-type]
            return
        parsed = self.widen(parse_query(filters) if isinstance(filters, str) else filters)
        if sort not in SORTS:
            raise LetterbookError(f"cannot sort by {sort!r}: sort by {', '.join(SORTS)}")
        # The index is asked for pages of ids that grow (500, 1,000, ... 50,000): each asks it to
        # rank every match again, so a million matches take a few dozen asks, not two thousand;
        # the letters themselves are loaded 500 at a time.
        given = 0
        size = 500
        while limit is None or given < limit:
            size = size if limit is None else min(size, limit - given)
            found = self.index.search(parsed, sort=sort, offset=offset + given, limit=size, facets=())  # type: ignore[arg-type]
            ids = [hit.id for hit in found.hits]
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                letters = self.store.get_many(chunk)
                yield from (letters[i] for i in chunk if i in letters)
            given += len(ids)
            if len(ids) < size:
                return
            size = min(size * 2, 50_000)

    def get_many(self, ids: list[str]) -> dict[str, Letter]:
        """Give the live letters among these ids, by id (ids of no live letter are left out)."""
        return self.store.get_many(ids)

    # -- datestamps, for harvesting (OAI-PMH) ---------------------------------------------------

    def stamps(self, *, after: int = 0, since: str | None = None, until: str | None = None,
               collections: list[str] | None = None, limit: int = 100) -> list[Stamp]:
        """Give the letters, live and withdrawn, each at its latest change, in the order of the
        store's change sequence after ``after``, within the bounds (see ``Store.stamps``)."""
        return self.store.stamps(after=after, since=since, until=until, collections=collections, limit=limit)

    def count_stamps(self, *, since: str | None = None, until: str | None = None,
                     collections: list[str] | None = None) -> int:
        """Give the number of letters ``stamps`` gives with these bounds."""
        return self.store.count_stamps(since=since, until=until, collections=collections)

    def stamp(self, id: str) -> Stamp:
        """Give the latest change of a letter, live or withdrawn; raise ``LetterNotFound`` when
        no letter ever had this id."""
        return self.store.stamp(id)

    def first_change(self) -> str | None:
        """Give the time of the archive's first change (UTC, ISO 8601), None when it is empty."""
        return self.store.first_change()

    def collection_titles(self) -> list[str]:
        """Give the titles of the collections the letters belong to, sorted."""
        return self.store.collection_titles()

    def stats(self) -> dict[str, Any]:
        """Give what the archive holds: letters, people, places, files, the span of dates, and
        the state of its search index."""
        stats = self.store.stats()
        stats["search_index"] = self.index_kind
        stats["indexed"] = self.index.count()
        return stats

    # -- corrections ----------------------------------------------------------------------------

    def edit(self, id: str, field: str, value: str, *, editor: str) -> Change:
        """Give the change made by setting a field of a letter to what a person typed.

        ``value`` is read as the field reads it (``recipients`` split at semicolons, ``date``
        parsed and kept as written); an empty value clears the field. From now on the field is the
        person's: no later ingest overwrites it.
        """
        spec = field_named(field)
        if not editor or not editor.strip():
            raise LetterbookError("say who made the correction (--editor NAME)")
        change = self.store.edit(id, field, spec.to_json(spec.parse(value)), editor=editor.strip())
        self.index.add([doc_for(self.store.get(id))])
        self._indexed_sequence = self.store.sequence()
        self._index_dirty += 1
        self._commit_index()
        return change

    def history(self, id: str) -> list[Change]:
        """Give the history of a letter, oldest first: the readings of its file and every correction."""
        return self.store.history(id)

    def provenance(self, id: str) -> dict[str, FieldSource]:
        """Give, for each field a person set, who set it and when; every other field was read."""
        return self.store.provenance(id)

    def facet(self, name: str, query: str | Query | None = None, *, size: int = 1000) -> list[FacetCount]:
        """Give the values of one facet (``FACETS``: sender, recipient, decade, year, place,
        language, collection) over the letters a query finds (every letter without one), each
        with its number of letters, most first, at most ``size`` of them."""
        if name not in FACETS:
            raise LetterbookError(f"there is no facet {name!r}: the facets are {', '.join(FACETS)}")
        if size < 1:
            raise LetterbookError(f"a facet gives at least 1 value, not {size}")
        parsed = query if isinstance(query, Query) else parse_query(query or "")
        found = self.index.search(self.widen(parsed), limit=1, facets=(name,), facet_size=size)
        return list(found.facets.get(name, []))

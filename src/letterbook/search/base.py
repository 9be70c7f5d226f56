"""The contract between the archive and a search index.

The archive (``letterbook.archive``) owns the letters in its store; a search index holds what is
needed to find them: one ``SearchDoc`` per letter, keyed by the letter's id. The archive adds,
replaces and deletes documents as letters change and asks the index for one page of hits with
facet counts. Two indexes implement it (chosen by measurement, see benchmarks/): FTS5 inside the
SQLite file and tantivy in a folder beside it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from .query import Query

Sort = Literal["relevance", "date", "-date"]

#: The facets an index counts, in the order they are shown.
FACETS = ("sender", "recipient", "decade", "year", "place", "language", "collection")


@dataclass
class SearchDoc:
    """What the index knows of one letter.

    Names are the forms the letter writes for each party (``"J. Stalin"``, ``"Stalin"``); the archive
    widens ``from:``/``to:``/``mentions:`` to every form of a person when it asks (so a correction
    of the people needs no new index). ``mentions`` holds the names, forms and record ids of the
    persons the letter names. Dates are the interval the letter's date stands for, as years and ISO
    days, None when undated.
    """

    id: str
    title: str = ""
    body: str = ""
    senders: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    sender_facet: str | None = None
    recipient_facets: list[str] = field(default_factory=list)
    year_from: int | None = None
    year_to: int | None = None
    date_sort: str | None = None
    place: str | None = None
    language: str | None = None
    collection: str | None = None
    mentions: list[str] = field(default_factory=list)


@dataclass
class Hit:
    """One letter found, with its score and the fields a snippet may be cut from."""

    id: str
    score: float


@dataclass
class FacetCount:
    """One value of a facet and how many letters of the result have it."""

    value: str
    count: int


@dataclass
class IndexResult:
    """One page of hits, the total number of letters found, and the facet counts."""

    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetCount]] = field(default_factory=dict)


class SearchIndex(Protocol):
    """A search index over the archive's letters."""

    def add(self, docs: Iterable[SearchDoc]) -> None:
        """Add or replace documents (by id); visible after ``commit``."""

    def add_tagged(self, items: Iterable[tuple[str, Any]], *, replace: bool = True) -> None:
        """Add or replace documents (by id) given as (letter id, tag), the tag made by the index
        module's ``tag_document`` (see ``search.tag_letter``); visible after ``commit``.
        ``replace=False`` promises that the index cannot hold these letters (new to the store, and
        no other process could index them since): an index may then skip looking for them."""

    def delete(self, ids: Sequence[str]) -> None:
        """Remove documents by letter id; visible after ``commit``."""

    def commit(self, *, sequence: int) -> None:
        """Make changes durable and visible, recording the store's change ``sequence`` they reach."""

    def sequence(self) -> int:
        """Give the store change sequence the index has applied (0 for a new index)."""

    def optimize(self) -> None:
        """Compact the index after a bulk load (fewer segments, faster queries); committed changes only."""

    def search(self, query: Query, *, sort: Sort = "relevance", offset: int = 0, limit: int = 20,
               facets: Sequence[str] = FACETS, facet_size: int = 10) -> IndexResult:
        """Give the hits for a parsed query, one page of them, with facet counts."""

    def count(self) -> int:
        """Give the number of documents in the index."""

    def clear(self) -> None:
        """Remove every document (before a rebuild)."""

    def close(self) -> None:
        """Release files and threads."""

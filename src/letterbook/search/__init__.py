"""Search: the query language, the indexes that answer it, and snippets.

The archive parses what a user typed with ``parse_query``, keeps an index in step with its letters
(``doc_for`` gives what the index is told of a letter) and asks it for a page of hits with facets;
``make_snippet`` marks the query's words in a letter's text. Two indexes implement the same
contract (``base.SearchIndex``): ``"tantivy"``, a folder beside the database, and ``"fts5"``, tables
inside the SQLite file. ``DEFAULT_INDEX`` is the one benchmarks/bench_search.py found faster at a
million letters.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from ..errors import LetterbookError
from ..model import Letter
from .base import FACETS, FacetCount, Hit, IndexResult, SearchDoc, SearchIndex, Sort
from .document import doc_for
from .query import Query, QuerySyntaxError, parse_query
from .snippets import make_snippet

__all__ = [
    "DEFAULT_INDEX",
    "FACETS",
    "INDEX_KINDS",
    "FacetCount",
    "Hit",
    "IndexResult",
    "Query",
    "QuerySyntaxError",
    "SearchDoc",
    "SearchIndex",
    "Sort",
    "doc_for",
    "make_snippet",
    "open_index",
    "parse_query",
    "tag_letter",
]

#: The kinds of index ``open_index`` makes.
INDEX_KINDS = ("tantivy", "fts5")
#: The kind the archive uses unless told otherwise: chosen by measurement (see the README).
DEFAULT_INDEX = "tantivy"


def open_index(kind: str, *, sqlite_connection: sqlite3.Connection | None = None,
               path: str | Path | None = None) -> SearchIndex:
    """Give an open search index of the given kind, created if it does not exist yet.

    ``"fts5"`` keeps its tables in the SQLite database of ``sqlite_connection``; ``"tantivy"`` keeps
    its files in the folder ``path`` (by convention ``<database>.index`` beside the database), or
    in memory when ``path`` is None.
    """
    if kind == "fts5":
        if sqlite_connection is None:
            raise LetterbookError("the fts5 search index lives in the SQLite store: it needs its connection")
        from .fts5 import FTS5Index

        return FTS5Index(sqlite_connection)
    if kind == "tantivy":
        from .tantivy_index import TantivyIndex

        return TantivyIndex(path)
    raise LetterbookError(f"unknown kind of search index {kind!r}: the kinds are {', '.join(INDEX_KINDS)}")


def tag_letter(kind: str, letter: Letter, paragraphs: str | None = None) -> Any:
    """Give a letter's search document prepared for an index of this kind (``SearchIndex.add_tagged``
    takes it with the letter's id). Run where the letter was read: in an ingest worker, this takes
    the preparation off the one process that writes the store and the index. ``paragraphs`` as
    ``doc_for`` takes it."""
    doc = doc_for(letter, paragraphs=paragraphs)
    if kind == "tantivy":
        from .tantivy_index import tag_document

        return tag_document(doc)
    from .fts5 import tag_document as tag_fts5

    return tag_fts5(doc)

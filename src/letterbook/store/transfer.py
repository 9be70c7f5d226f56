"""Copying an archive's store to another store: SQLite to PostgreSQL and back (or between two of a kind).

The copy is of rows, table by table, so nothing is lost or made again: the letters with their ids
and row numbers, withdrawn letters, the files they were read from, people's corrections with who
made them and when, the history, the change sequence, and what enrichment found. Both stores have
the same tables and columns at the same schema version (``migrations/`` and
``migrations/postgres/``); the tables and the order that satisfies their foreign keys are read from
the SQLite migrations.

The source is read in one snapshot (a read transaction), so an ingest going on meanwhile does not
tear the copy; the target is written in one transaction, so a copy that fails leaves it empty.
Before that transaction commits, the rows of every table are counted on both sides: a difference
stops the copy with a message naming the table.
"""

from __future__ import annotations

import graphlib
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from ..errors import ArchiveError
from . import migrations, open_store
from .base import Store

#: Rows read and written at a time.
CHUNK = 2000
#: Settings that belong to one archive and are not copied (a PostgreSQL archive's own id).
OWN_SETTINGS = ("archive_id",)

#: Called as the copy goes on: the table being copied, rows copied of it, and rows it holds.
CopyListener = Callable[[str, int, int], None]


@dataclass
class CopyReport:
    """What a copy moved: rows by table, the letters (live and withdrawn), and the archives."""

    source: str
    target: str
    rows: dict[str, int] = field(default_factory=dict)
    letters: int = 0
    withdrawn: int = 0
    indexed: int = 0

    def summary(self) -> str:
        """Give the report as the lines ``letterbook copy`` ends with."""
        counted = ", ".join(f"{table} {count:,}" for table, count in self.rows.items() if count)
        return (f"copied {self.letters:,} letters ({self.withdrawn:,} withdrawn kept) from {self.source} "
                f"to {self.target}; {self.indexed:,} letters in its search index\nrows: {counted}")


def schema_tables() -> list[tuple[str, list[str]]]:
    """Give every table of the archive's schema with its columns, each table after those it refers to."""
    con = sqlite3.connect(":memory:", isolation_level=None)
    try:
        migrations.migrate(con)
        names = [row[0] for row in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name != 'schema_migrations' ORDER BY name")]
        order = graphlib.TopologicalSorter(
            {name: {row[2] for row in con.execute(f"PRAGMA foreign_key_list({name})")} - {name} for name in names})
        return [(name, [row[1] for row in con.execute(f"PRAGMA table_info({name})")])
                for name in order.static_order()]
    finally:
        con.close()


class _Side:
    """Rows of one store, read or written with plain SQL (``?`` parameters on both stores)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @contextmanager
    def reading(self) -> Iterator[None]:
        raise NotImplementedError

    @contextmanager
    def writing(self) -> Iterator[None]:
        raise NotImplementedError

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        raise NotImplementedError

    def rows(self, table: str, columns: list[str]) -> Iterator[list[tuple[Any, ...]]]:
        raise NotImplementedError

    def insert(self, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
        raise NotImplementedError

    def finish(self, tables: list[tuple[str, list[str]]]) -> None:
        """Do what the store needs after rows were given their ids (nothing, in SQLite)."""

    def count(self, table: str) -> int:
        return int(self.query(f"SELECT count(*) FROM {table}")[0][0])


class _SQLiteSide(_Side):
    @property
    def con(self) -> sqlite3.Connection:
        return self.store.sqlite_connection  # type: ignore[no-any-return]

    @contextmanager
    def reading(self) -> Iterator[None]:
        self.con.execute("BEGIN")  # one snapshot of the file (WAL) for the whole copy
        try:
            yield
        finally:
            self.con.execute("ROLLBACK")

    @contextmanager
    def writing(self) -> Iterator[None]:
        self.con.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.con.execute(sql, params).fetchall()

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.con.execute(sql, params)

    def rows(self, table: str, columns: list[str]) -> Iterator[list[tuple[Any, ...]]]:
        cursor = self.con.execute(f"SELECT {', '.join(columns)} FROM {table}")
        while chunk := cursor.fetchmany(CHUNK):
            yield chunk

    def insert(self, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
        self.con.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                             rows)


class _PostgresSide(_Side):
    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self._session: Any = None

    @property
    def con(self) -> Any:
        return self.store.con  # type: ignore[attr-defined]

    @contextmanager
    def reading(self) -> Iterator[None]:
        with self.store._session(write=False):  # type: ignore[attr-defined]
            yield

    @contextmanager
    def writing(self) -> Iterator[None]:
        with self.store._session(write=True):  # type: ignore[attr-defined]
            self.con.raw.execute("SET LOCAL statement_timeout = 0")  # a large copy takes its time
            yield

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return list(self.con.execute(sql, params).fetchall())

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.con.execute(sql, params)

    def rows(self, table: str, columns: list[str]) -> Iterator[list[tuple[Any, ...]]]:
        from .pg_connection import _unescaping_rows

        # A server-side cursor: the table comes a chunk at a time, never whole into memory.
        with self.con.raw.cursor(name=f"copy_{table}", row_factory=_unescaping_rows) as cursor:
            cursor.itersize = CHUNK
            cursor.execute(f"SELECT {', '.join(columns)} FROM {table}")
            while chunk := cursor.fetchmany(CHUNK):
                yield chunk

    def insert(self, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
        from .pg_connection import escape_row

        with self.con.raw.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(escape_row(row))

    def finish(self, tables: list[tuple[str, list[str]]]) -> None:
        # Rows came with their ids: each identity column goes on from the largest.
        for table, column in self.query(
                "SELECT table_name, column_name FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND is_identity = 'YES'"):
            self.query(f"SELECT setval(pg_get_serial_sequence(?, ?), coalesce(max({column}), 0) + 1, false) "
                             f"FROM {table}", (table, column))


def _side(store: Store) -> _Side:
    return _SQLiteSide(store) if store.sqlite_connection is not None else _PostgresSide(store)


def copy_store(source_url: str, target_url: str, *, progress: CopyListener | None = None) -> CopyReport:
    """Give the report of copying the store at ``source_url`` into a new, empty one at ``target_url``.

    Raises ``ArchiveError`` when the target already holds letters, or when the rows counted on
    both sides differ at the end (then nothing is kept in the target).
    """
    source_store = open_store(source_url, read_only=True)
    try:
        target_store = open_store(target_url)
        try:
            return _copy(source_store, target_store, progress)
        finally:
            target_store.close()
    finally:
        source_store.close()


def _copy(source_store: Store, target_store: Store, progress: CopyListener | None) -> CopyReport:
    source, target = _side(source_store), _side(target_store)
    tables = schema_tables()
    report = CopyReport(source_store.url, target_store.url)
    if source_store.schema_version() != target_store.schema_version():  # pragma: no cover - both just migrated
        raise ArchiveError(f"{source_store.url} and {target_store.url} are at different schema versions")
    with source.reading(), target.writing():
        held = target.count("letters") + target.count("files")
        if held:
            raise ArchiveError(f"{target_store.url} is not empty (it holds {target.count('letters'):,} letters "
                               f"and {target.count('files'):,} files): copy into a new, empty archive")
        totals = {table: source.count(table) for table, _columns in tables}
        # The settings of a new archive (the kind of its index) give way to the source's.
        target.execute(f"DELETE FROM settings WHERE key NOT IN ({', '.join('?' * len(OWN_SETTINGS))})", OWN_SETTINGS)
        for table, columns in tables:
            done = 0
            if progress is not None:
                progress(table, 0, totals[table])
            for chunk in source.rows(table, columns):
                if table == "settings":
                    chunk = _settings(chunk, target_store)
                target.insert(table, columns, chunk)
                done += len(chunk)
                if progress is not None:
                    progress(table, done, totals[table])
            report.rows[table] = done
        target.finish(tables)
        for table, _columns in tables:
            expected = totals[table] - (_own_settings(source) if table == "settings" else 0)
            copied = target.count(table) - (_own_settings(target) if table == "settings" else 0)
            if copied != expected:
                raise ArchiveError(f"the copy is incomplete: {table} holds {totals[table]:,} rows in "
                                   f"{source_store.url} but {copied:,} in {target_store.url}; nothing was kept")
        report.letters = target.count("letters")
        report.withdrawn = int(target.query("SELECT count(*) FROM letters WHERE withdrawn_at IS NOT NULL")[0][0])
        live = report.letters - report.withdrawn
        if live != int(source.query("SELECT count(*) FROM letters WHERE withdrawn_at IS NULL")[0][0]):
            raise ArchiveError("the copy is incomplete: the live letters differ in number; nothing was kept")
    return report


def _own_settings(side: _Side) -> int:
    marks = ", ".join("?" * len(OWN_SETTINGS))
    return int(side.query(f"SELECT count(*) FROM settings WHERE key IN ({marks})", OWN_SETTINGS)[0][0])


def _settings(rows: list[tuple[Any, ...]], target: Store) -> list[tuple[Any, ...]]:
    """Give the settings to copy: not the source's own ones, and the kind of search index the
    target can keep (a PostgreSQL archive keeps tantivy's, never the fts5 tables of an SQLite file)."""
    kept = []
    for key, value in rows:
        if key in OWN_SETTINGS:
            continue
        if key == "search_index" and value == "fts5" and target.sqlite_connection is None:
            value = "tantivy"
        kept.append((key, value))
    return kept

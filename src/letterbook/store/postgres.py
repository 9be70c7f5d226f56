"""The server store: an archive in a PostgreSQL database, for teams and for archives past one laptop.

The same schema as the SQLite store (``migrations/postgres/``, numbered and transactional, at the
same versions), the same rows (``rows.py``), the same batch writer (``writer.py``), and so the same
letters, ids, provenance, history and change sequence: an archive can move between the two stores
(``letterbook copy``) and answers the same queries the same way.

What a server adds:

- **a pool of connections** (psycopg_pool): each call of the store takes a connection for as long
  as it needs one, so the threads of a web server read at once; ``POOL_SIZE`` at most;
- **transactions**: a reading call sees one snapshot (``REPEATABLE READ, READ ONLY``); a writing
  call takes the archive's write lock (an advisory lock) first, so writers from several machines
  take turns and the change sequence is committed in order (the search index relies on it);
- **timeouts**: to connect (``CONNECT_TIMEOUT``), for a statement (``STATEMENT_TIMEOUT``) and for
  the write lock (``LOCK_TIMEOUT``; then the archive is reported busy);
- **plain errors**: a server that cannot be reached, a database that does not exist and a wrong
  password are named with host, port and database, never with the password;
- **read-only mode**: ``read_only=True`` opens every transaction read-only on the server too (for a
  public site, and for read replicas, which refuse writes anyway).

The search index is not in the database: tantivy's index lives in a folder on each machine that
uses the archive (``index_home``), made from the store and kept in step with its change sequence.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from ..errors import ArchiveError, LetterbookError, LetterNotFound
from ..fields import field_named
from ..model import Letter
from .base import (
    Batch,
    BatchResult,
    Change,
    EnrichmentRows,
    FieldSource,
    FileRecord,
    Pending,
    PeopleCorrection,
    Sort,
    Stamp,
    Store,
    keyset_letters,
)
from .migrations import postgres as migrations
from .pg_connection import (
    CONNECT_TIMEOUT,
    LOCK_TIMEOUT,
    POOL_SIZE,
    STATEMENT_TIMEOUT,
    Address,
    Connection,
    connection_error,
    escape_row_back,
)
from .rows import CORE_COLUMNS, Flat, assemble, flatten
from .sqlite_people import PeopleTables
from .writer import CHILD_INSERTS, CHILD_TABLES, BatchWriter

try:
    import psycopg
    from psycopg_pool import ConnectionPool, PoolTimeout
except ImportError as missing:  # pragma: no cover - the extra is installed in development
    raise ArchiveError("PostgreSQL archives need the psycopg driver: pip install 'letterbook[postgres]'") from missing

# A letter's row and, in the same statement, its child rows as JSON arrays (one round trip to the
# server for a page of letters, not five).
_CHILDREN = (
    "(SELECT json_agg(json_build_array(la.role, la.position, a.kind, a.name, a.ref, la.as_written, la.office)) "
    "FROM letter_agents la JOIN agents a ON a.id = la.agent WHERE la.letter = l.num) AS child_agents, "
    "(SELECT json_agg(json_build_array(lp.position, pl.name, pl.ref, lp.as_written)) "
    "FROM letter_places lp JOIN places pl ON pl.id = lp.place WHERE lp.letter = l.num) AS child_places, "
    "(SELECT json_agg(json_build_array(k.position, k.rel, k.target, k.label, k.evidence, k.confidence)) "
    "FROM links k WHERE k.letter = l.num) AS child_links, "
    "(SELECT json_agg(json_build_array(n.position, n.text, n.label, n.kind)) "
    "FROM notes n WHERE n.letter = l.num) AS child_notes "
)
_LETTER_SELECT = (
    "SELECT l.num, l.id, l.withdrawn_at, f.path AS file_path, f.sha256 AS file_sha256, "
    + ", ".join(f"l.{c}" for c in CORE_COLUMNS)
    + ", p.name AS place_name, p.ref AS place_ref, d.name AS destination_name, d.ref AS destination_ref, "
    + _CHILDREN
    + "FROM letters l LEFT JOIN files f ON f.id = l.file "
    "LEFT JOIN places p ON p.id = l.place LEFT JOIN places d ON d.id = l.destination "
)
_INSERT_LETTER = (
    "INSERT INTO letters (num, id, id_given, file, place, destination, digest, "
    + ", ".join(CORE_COLUMNS) + ") VALUES (" + ", ".join("?" * (7 + len(CORE_COLUMNS))) + ")"
)
_UPDATE_LETTER = (
    "UPDATE letters SET id_given = ?, file = ?, place = ?, destination = ?, digest = ?, withdrawn_at = NULL, "
    + ", ".join(f"{c} = ?" for c in CORE_COLUMNS) + " WHERE num = ?"
)
_CHUNK = 500
R = TypeVar("R")


def now() -> str:
    """Give the current time as an ISO 8601 string in UTC, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def _cache_home() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "letterbook" / "indexes"


def index_root() -> Path:
    """Give the folder under which the search indexes of server archives are kept on this machine:
    ``$LETTERBOOK_INDEX_DIR``, else ``~/.cache/letterbook/indexes``."""
    given = os.environ.get("LETTERBOOK_INDEX_DIR")
    return Path(given).expanduser() if given else _cache_home()


class _ConnectionLost(ArchiveError):
    """The server dropped the connection (it restarted, or ended idle sessions): a read may be tried again."""


def _reading(method: Callable[..., R], *, snapshot: bool = True) -> Callable[..., R]:
    """Give the method run in a read-only snapshot, on a connection of the pool (unless the calling
    thread holds one already: then within its transaction). A read on a connection the server had
    dropped is tried once more, on a new one."""

    @functools.wraps(method)
    def wrapper(self: PostgresStore, *args: Any, **kwargs: Any) -> R:
        if getattr(self._local, "con", None) is not None:
            return method(self, *args, **kwargs)
        try:
            with self._session(write=False, snapshot=snapshot):
                return method(self, *args, **kwargs)
        except _ConnectionLost:
            with self._session(write=False, snapshot=snapshot):
                return method(self, *args, **kwargs)

    return wrapper


def _reading_once(method: Callable[..., R]) -> Callable[..., R]:
    """Give the method, which reads with one statement (one snapshot of its own), run without a
    transaction around it: one round trip to the server (``get_many`` of each search page)."""
    return _reading(method, snapshot=False)


def _writing(method: Callable[..., R]) -> Callable[..., R]:
    """Give the method run in one write transaction holding the archive's write lock."""

    @functools.wraps(method)
    def wrapper(self: PostgresStore, *args: Any, **kwargs: Any) -> R:
        if self.read_only:
            raise ArchiveError(f"the archive {self.url} is open read-only")
        if getattr(self._local, "con", None) is not None:
            if not self._local.writing:
                raise ArchiveError("a change was asked for while reading the archive")  # a bug, never a user's
            return method(self, *args, **kwargs)
        with self._session(write=True):
            return method(self, *args, **kwargs)

    return wrapper


def _children(rows: list[list[Any]] | None) -> list[tuple[Any, ...]]:
    """Give child rows read as a JSON array of arrays as tuples, their text as it was written."""
    if not rows:
        return []
    return [escape_row_back(row) for row in rows]


class PostgresStore(PeopleTables, Store):  # type: ignore[misc]
    """Letters in a PostgreSQL database (a ``postgresql://`` URL), through a pool of connections.

    The tables of people, places and threads are read and written by the same SQL as in SQLite
    (``sqlite_people.PeopleTables``, written for both), each call in a transaction of its own.
    """

    #: The search index is a copy on each machine (``index_home``): readers bring theirs up to date.
    index_is_local_copy = True

    def __init__(self, url: str, *, read_only: bool = False, pool_size: int = POOL_SIZE) -> None:
        self.address = Address.parse(url)
        self.url = self.address.shown
        self.read_only = read_only
        self._local = threading.local()
        self._agent_ids: dict[tuple[str, str, str], int] = {}
        self._place_ids: dict[tuple[str, str], int] = {}
        self._file_ids: dict[str, int] = {}
        self._unseen: dict[int, set[int]] = {}
        self._written = 0
        self._closed = False
        self._used: dict[int, float] = {}  # when each connection was last given back to the pool
        self._connect_options = self._options()
        self._prepare_database()
        self.pool = ConnectionPool(url, min_size=1, max_size=max(1, pool_size), kwargs=self._connect_options,
                                   configure=self._configure, timeout=CONNECT_TIMEOUT, open=False,
                                   # a connection the server dropped (a restart) is replaced, not handed out
                                   check=self._check,
                                   name="letterbook")
        try:
            self.pool.open(wait=False)
        except Exception as exc:
            raise connection_error(self.address, exc) from None

    # -- connecting -----------------------------------------------------------------------------

    def _options(self) -> dict[str, Any]:
        options: dict[str, Any] = {"autocommit": True, "application_name": "letterbook"}
        if "connect_timeout" not in self.address.url:
            options["connect_timeout"] = CONNECT_TIMEOUT
        return options

    def _configure(self, con: Any) -> None:
        """Set up a new connection: its timeouts, and read-only transactions in read-only mode."""
        settings = {"lock_timeout": f"{LOCK_TIMEOUT}s", "idle_in_transaction_session_timeout": "600s",
                    "client_encoding": "UTF8", "TimeZone": "UTC"}
        if "statement_timeout" not in self.address.url:
            settings["statement_timeout"] = f"{STATEMENT_TIMEOUT}s"
        if self.read_only:
            settings["default_transaction_read_only"] = "on"
        for name, value in settings.items():
            con.execute("SELECT set_config(%s, %s, false)", (name, value))

    def _connect(self) -> Any:
        try:
            con = psycopg.connect(self.address.url, **self._connect_options)
        except psycopg.Error as exc:
            raise connection_error(self.address, exc) from None
        try:
            self._configure(con)
        except psycopg.Error as exc:
            con.close()
            raise connection_error(self.address, exc) from None
        return con

    def _prepare_database(self) -> None:
        """Check the database is (or may become) an archive, and bring it to the current schema."""
        con = self._connect()
        try:
            encoding = con.execute("SHOW server_encoding").fetchone()[0]
            if encoding.upper() not in ("UTF8", "UTF-8"):
                raise ArchiveError(
                    f"the database {self.address.database!r} on the PostgreSQL server at {self.address.server} "
                    f"keeps text as {encoding}, which cannot hold every letter: make it with the UTF8 encoding "
                    f"(createdb -E UTF8 -T template0 {self.address.database})")
            version = migrations.version_of(con)
            if version == 0:
                tables = [row[0] for row in con.execute(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
                    "ORDER BY table_name")]
                if tables:
                    raise ArchiveError(f"the database {self.address.shown} holds other tables "
                                       f"({', '.join(tables[:5])}), but is not a letterbook archive")
            if self.read_only:
                if version == 0:
                    raise ArchiveError(f"there is no archive in the database {self.address.shown} yet: "
                                       "ingest letters into it first")
                if version < migrations.latest():
                    raise ArchiveError(f"the archive {self.url} is at schema version {version} and needs "
                                       f"upgrading to {migrations.latest()}: open it once for writing "
                                       f"(any letterbook command without read-only) to upgrade it")
                if version > migrations.latest():
                    raise LetterbookError(
                        f"this archive was made by a newer letterbook (schema version {version}; this one "
                        f"knows versions up to {migrations.latest()}); update letterbook to open it")
            else:
                migrations.migrate(con)
        except psycopg.errors.ReadOnlySqlTransaction:
            raise ArchiveError(f"the archive {self.url} is on a read-only server (a replica?) and needs "
                               f"its schema brought up to date: open it once on the primary server") from None
        except psycopg.Error as exc:
            raise connection_error(self.address, exc) from None
        finally:
            con.close()

    @contextmanager
    def _session(self, *, write: bool, snapshot: bool = True) -> Iterator[Connection]:
        """Give a pooled connection, bound to this thread, in one transaction: committed at the end,
        rolled back on any error (which comes out as ``ArchiveError``). ``snapshot=False`` (one
        reading statement): no transaction, each statement sees the archive as it is then."""
        if self._closed:
            raise ArchiveError(f"the archive {self.url} is closed")
        try:
            raw = self.pool.getconn()
        except PoolTimeout:
            # The pool says only that it timed out: a connection of our own says why.
            self._connect().close()
            raise ArchiveError(f"no connection to the PostgreSQL server at {self.address.server} came free "
                               f"within {CONNECT_TIMEOUT} s: too many readers at once") from None
        con = Connection(raw)
        self._local.con = con
        self._local.writing = write
        try:
            if write:
                raw.execute("BEGIN READ WRITE")
                raw.execute("SELECT pg_advisory_xact_lock(%s)", (migrations.WRITE_LOCK,))
            elif snapshot:
                raw.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield con
            if write or snapshot:
                raw.execute("COMMIT")
        except BaseException as exc:
            try:
                if not raw.closed:
                    raw.execute("ROLLBACK")
            except psycopg.Error:
                pass  # the connection is broken: the pool throws it away
            if write:
                self._forget_ids()
                self._unseen.clear()
            if isinstance(exc, psycopg.OperationalError) and raw.broken:
                raise _ConnectionLost(str(connection_error(self.address, exc))) from None
            if isinstance(exc, psycopg.Error):
                raise self._plain(exc) from None
            raise
        finally:
            self._written += con.written
            self._local.con = None
            self._used[id(raw)] = time.monotonic()
            self.pool.putconn(raw)

    def _check(self, con: Any) -> None:
        """Check a connection the pool hands out is alive, unless it was in use a moment ago
        (a round trip saved on each call of a busy reader)."""
        if time.monotonic() - self._used.get(id(con), 0.0) > 2.0:
            ConnectionPool.check_connection(con)

    def _plain(self, exc: psycopg.Error) -> ArchiveError:
        """Give the server's complaint as a message about the archive."""
        if isinstance(exc, psycopg.errors.LockNotAvailable):
            return ArchiveError(f"the archive {self.url} is busy: another program is writing to it; "
                                "try again when it has finished")
        if isinstance(exc, psycopg.errors.QueryCanceled):
            return ArchiveError(f"the archive {self.url} took too long to answer (over {STATEMENT_TIMEOUT} s) "
                                "and the server stopped the request")
        if isinstance(exc, psycopg.errors.ReadOnlySqlTransaction):
            return ArchiveError(f"the archive {self.url} cannot be written: the server is read-only (a replica?)")
        if isinstance(exc, psycopg.errors.DiskFull):
            return ArchiveError(f"the archive {self.url} cannot grow: the server's disk is full")
        if isinstance(exc, psycopg.OperationalError):
            return connection_error(self.address, exc)
        return ArchiveError(f"the archive {self.url} could not be used ({str(exc).strip()})")

    @property
    def con(self) -> Connection:
        """Give the connection this thread holds in its transaction (for ``writer.BatchWriter``)."""
        con = getattr(self._local, "con", None)
        if con is None:
            raise ArchiveError("the archive was used outside a transaction")  # a bug, never a user's
        return con

    @_reading
    def schema_version(self) -> int:
        """Give the schema version the store is at."""
        return migrations.version_of(self.con.raw)

    def _forget_ids(self) -> None:
        self._agent_ids.clear()
        self._place_ids.clear()
        self._file_ids.clear()

    # -- writing --------------------------------------------------------------------------------

    def _file_id(self, path: str) -> int:
        fid = self._file_ids.get(path)
        if fid is None:
            row = self.con.execute("SELECT id FROM files WHERE path = ?", (path,)).fetchone()
            if row is None:
                row = self.con.execute("INSERT INTO files (path, status) VALUES (?, 'reading') RETURNING id",
                                       (path,)).fetchone()
            fid = self._file_ids[path] = row[0]
        return fid

    def _agent_id(self, kind: str, name: str, ref: str) -> int:
        key = (name, kind, ref)
        aid = self._agent_ids.get(key)
        if aid is None:
            row = self.con.execute("SELECT id FROM agents WHERE name = ? AND kind = ? AND ref = ?", key).fetchone()
            if row is None:
                row = self.con.execute("INSERT INTO agents (name, kind, ref) VALUES (?, ?, ?) RETURNING id",
                                       key).fetchone()
            aid = self._agent_ids[key] = row[0]
        return aid

    def _place_id(self, place: tuple[str, str] | None) -> int | None:
        if place is None:
            return None
        pid = self._place_ids.get(place)
        if pid is None:
            row = self.con.execute("SELECT id FROM places WHERE name = ? AND ref = ?", place).fetchone()
            if row is None:
                row = self.con.execute("INSERT INTO places (name, ref) VALUES (?, ?) RETURNING id",
                                       place).fetchone()
            pid = self._place_ids[place] = row[0]
        return pid

    @_reading
    def files(self, paths: Sequence[str]) -> dict[str, FileRecord]:
        """Give the records of those files the store has seen before."""
        found: dict[str, FileRecord] = {}
        query = "SELECT path, sha256, size, format, letters, status, problem, read_at FROM files WHERE path IN "
        for start in range(0, len(paths), _CHUNK):
            chunk = list(paths[start:start + _CHUNK])
            for row in self.con.execute(query + f"({', '.join('?' * len(chunk))})", chunk):
                found[row[0]] = FileRecord(*row)
        return found

    @_reading
    def start_file(self, path: str) -> None:
        """Begin a new reading of a file: note its live letters, to withdraw those not seen again."""
        row = self.con.execute("SELECT id FROM files WHERE path = ?", (path,)).fetchone()
        if row is None:
            return
        live = {r[0] for r in self.con.execute(
            "SELECT num FROM letters WHERE file = ? AND withdrawn_at IS NULL", (row[0],))}
        if live:
            self._unseen[row[0]] = live

    @staticmethod
    def prepare(letter: Letter, file: str, file_sha256: str | None) -> Any:
        """Give the letter's given id and rows, made ahead in a worker process (as the SQLite store)."""
        source_path = None if letter.source.path == file else letter.source.path
        own_sha256 = letter.source.sha256 is None or letter.source.sha256 != file_sha256
        return letter.id or None, tuple(flatten(letter, source_path=source_path, source_sha256=own_sha256))

    @_writing
    def write(self, batch: Batch) -> BatchResult:
        """Give what writing one batch changed, written in one transaction (see ``Store.write``)."""
        result = BatchResult()
        writer = BatchWriter(self, now(), result, _INSERT_LETTER, _UPDATE_LETTER)  # type: ignore[arg-type]
        writer.write(batch.letters)
        for record in batch.finished:
            self._finish_file(record, writer.stamp, result)
        for record in batch.failed:
            fid = self._file_id(record.path)
            self._unseen.pop(fid, None)  # a failed reading withdraws nothing
            self.con.execute(
                "UPDATE files SET sha256 = ?, size = ?, format = ?, status = 'failed', problem = ?, "
                "read_at = ?, letters = (SELECT count(*) FROM letters WHERE file = ? AND withdrawn_at IS NULL) "
                "WHERE id = ?",
                (record.sha256, record.size, record.format, record.problem, writer.stamp, fid, fid))
        result.sequence = self.sequence()
        return result

    def _child_rows(self, num: int, flat: Flat) -> tuple[list[tuple[Any, ...]], ...]:
        """Give the rows of letter_agents, letter_places, links and notes for a letter."""
        return (
            [(num, role, pos, self._agent_id(kind, name, ref), as_written, office)
             for role, pos, kind, name, ref, as_written, office in flat.agents],
            [(num, pos, self._place_id((name, ref)), as_written) for pos, name, ref, as_written in flat.places],
            [(num, *r) for r in flat.links],
            [(num, *r) for r in flat.notes],
        )

    def _insert_children(self, rows: tuple[list[tuple[Any, ...]], ...]) -> None:
        for sql, values in zip(CHILD_INSERTS, rows, strict=True):
            if values:
                self.con.executemany(sql, values)

    def _finish_file(self, record: FileRecord, stamp: str, result: BatchResult) -> None:
        fid = self._file_id(record.path)
        unseen = self._unseen.pop(fid, set())
        gone = [num for num in sorted(unseen)
                if self.con.execute("SELECT 1 FROM letters WHERE num = ? AND file = ? AND withdrawn_at IS NULL",
                                    (num, fid)).fetchone()]
        for num in gone:  # kept, with their history and corrections, but no longer shown
            letter_id = self.con.execute("UPDATE letters SET withdrawn_at = ? WHERE num = ? RETURNING id",
                                         (stamp, num)).fetchone()[0]
            self.con.execute("INSERT INTO changes (letter, kind, at, file) VALUES (?, 'withdrawn', ?, ?)",
                             (num, stamp, fid))
            result.gone.append(letter_id)
        result.withdrawn += len(gone)
        self.con.execute(
            "UPDATE files SET sha256 = ?, size = ?, format = ?, status = 'done', problem = NULL, read_at = ?, "
            "letters = (SELECT count(*) FROM letters WHERE file = ? AND withdrawn_at IS NULL) WHERE id = ?",
            (record.sha256, record.size, record.format, stamp, fid, fid))

    # -- reading letters ------------------------------------------------------------------------

    def _load(self, where: str, params: Sequence[Any], *, live_only: bool = True) -> list[Letter]:
        """Give the letters whose rows match ``where``, in the order of the query."""
        cursor = self.con.execute(_LETTER_SELECT + "WHERE " + where, params)
        names = [d.name for d in cursor.description]
        rows = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
        if live_only:
            rows = [r for r in rows if r["withdrawn_at"] is None]
        return [assemble(r, r["file_path"] or "", r["file_sha256"], _children(r["child_agents"]),
                         _children(r["child_places"]), _children(r["child_links"]), _children(r["child_notes"]))
                for r in rows]

    @_reading
    def get(self, id: str) -> Letter:
        """Give the letter with this id; raise ``LetterNotFound`` when there is none."""
        found = self._load("l.id = ?", (id,), live_only=False)
        if not found:
            raise LetterNotFound(id)
        row = self.con.execute("SELECT withdrawn_at FROM letters WHERE id = ?", (id,)).fetchone()
        if row[0] is not None:
            raise LetterNotFound(id, f"it was withdrawn on {row[0][:10]}, when its file no longer held it")
        return found[0]

    @_reading_once
    def get_many(self, ids: Sequence[str]) -> dict[str, Letter]:
        """Give the live letters among these ids, by id."""
        found: dict[str, Letter] = {}
        for start in range(0, len(ids), _CHUNK):
            for letter in self._load("l.id = ANY(?)", ([*ids[start:start + _CHUNK]],)):
                assert letter.id is not None
                found[letter.id] = letter
        return found

    def iter_letters(self, *, sort: Sort = "id", limit: int | None = None, offset: int = 0) -> Iterator[Letter]:
        """Give the live letters in the order asked (by date: undated last), in pages of 500
        (``keyset_letters``: each page starts where the last one ended)."""
        yield from keyset_letters(self._page, self._position, sort=sort, limit=limit, offset=offset)

    @_reading
    def _page(self, where: str, params: Sequence[Any]) -> list[Letter]:
        return self._load(where, params)

    @_reading
    def _position(self, id: str) -> tuple[str | None, int]:
        """Give a letter's date key and row number, where a listing goes on after it."""
        row = self.con.execute("SELECT date_sort, num FROM letters WHERE id = ?", (id,)).fetchone()
        return row[0], int(row[1])

    @_reading_once
    def count(self) -> int:
        """Give the number of live letters."""
        return int(self.con.execute("SELECT count(*) FROM letters WHERE withdrawn_at IS NULL").fetchone()[0])

    @_reading
    def stats(self) -> dict[str, Any]:
        """Give counts of what the store holds, and the span of its dates."""
        kinds = dict(self.con.execute("SELECT kind, count(*) FROM persons GROUP BY kind").fetchall())
        places = self.con.execute("SELECT count(*) FROM place_records").fetchone()[0]
        if not kinds and not places:  # not enriched (ingest --no-enrich): the names as written
            kinds = dict(self.con.execute("SELECT kind, count(*) FROM agents GROUP BY kind").fetchall())
            places = self.con.execute("SELECT count(*) FROM places").fetchone()[0]
        files = dict(self.con.execute("SELECT status, count(*) FROM files GROUP BY status").fetchall())
        first, last = self.con.execute(
            "SELECT min(date_sort), max(date_sort) FROM letters WHERE withdrawn_at IS NULL").fetchone()
        return {
            "letters": self.count(),
            "people": kinds.get("person", 0),
            "organisations": kinds.get("organisation", 0),
            "places": places,
            "files": files.get("done", 0),
            "files_failed": files.get("failed", 0),
            "files_unfinished": files.get("reading", 0),
            "withdrawn": self.con.execute("SELECT count(*) FROM letters WHERE withdrawn_at IS NOT NULL").fetchone()[0],
            "edits": self.con.execute("SELECT count(*) FROM history").fetchone()[0],
            "earliest": first,
            "latest": last,
            "schema_version": self.schema_version(),
        }

    # -- provenance and corrections -------------------------------------------------------------

    def _num(self, id: str) -> int:
        row = self.con.execute("SELECT num FROM letters WHERE id = ?", (id,)).fetchone()
        if row is None:
            raise LetterNotFound(id)
        return int(row[0])

    @_writing
    def edit(self, id: str, field: str, value: Any, *, editor: str) -> Change:
        """Give the change made by a person setting one field (``value`` in its JSON form)."""
        spec = field_named(field)
        num = self._num(id)
        letter = self.get(id)
        old = spec.to_json(spec.get(letter))
        stamp = now()
        spec.set(letter, spec.from_json(value))
        source_path, own_sha256, digest, fid, id_given = self.con.execute(
            "SELECT source_path, source_sha256, digest, file, id_given FROM letters WHERE num = ?", (num,)).fetchone()
        flat = flatten(letter, source_path=source_path, source_sha256=own_sha256 is not None)
        for table in CHILD_TABLES:
            self.con.execute(f"DELETE FROM {table} WHERE letter = ?", (num,))
        # The digest stays that of the automatic reading: the next ingest compares against it.
        self.con.execute(_UPDATE_LETTER, (id_given, fid, self._place_id(flat.place),
                                          self._place_id(flat.destination), digest, *flat.core, num))
        self._insert_children(self._child_rows(num, flat))
        encoded_old = json.dumps(old, ensure_ascii=False)
        encoded_new = json.dumps(value, ensure_ascii=False)
        self.con.execute(
            "INSERT INTO edits (letter, field, value, auto_value, editor, at) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (letter, field) DO UPDATE SET value = excluded.value, editor = excluded.editor, "
            "at = excluded.at",
            (num, field, encoded_new, encoded_old, editor, stamp))
        self.con.execute("INSERT INTO history (letter, field, old, new, editor, at) VALUES (?, ?, ?, ?, ?, ?)",
                         (num, field, encoded_old, encoded_new, editor, stamp))
        self.con.execute("INSERT INTO changes (letter, kind, at, file) VALUES (?, 'edited', ?, ?)", (num, stamp, fid))
        return Change(id, "edited", editor, stamp, field, spec.show(spec.from_json(old)),
                      spec.show(spec.from_json(value)))

    @_reading
    def history(self, id: str) -> list[Change]:
        """Give a letter's history, oldest first: readings from its files and corrections."""
        num = self._num(id)
        entries: list[tuple[str, int, Change]] = []
        for seq, kind, at, path in self.con.execute(
                "SELECT c.seq, c.kind, c.at, f.path FROM changes c LEFT JOIN files f ON f.id = c.file "
                "WHERE c.letter = ? AND c.kind NOT IN ('edited', 'enriched') ORDER BY c.seq", (num,)):
            entries.append((at, seq, Change(id, kind, "letterbook ingest", at, None, None, path)))
        for hid, field, old, new, editor, at in self.con.execute(
                "SELECT id, field, old, new, editor, at FROM history WHERE letter = ? ORDER BY id", (num,)):
            spec = field_named(field)
            entries.append((at, hid, Change(id, "edited", editor, at, field,
                                            spec.show(spec.from_json(json.loads(old) if old else None)),
                                            spec.show(spec.from_json(json.loads(new) if new else None)))))
        entries.sort(key=lambda e: (e[0], e[2].kind == "edited", e[1]))
        return [e[2] for e in entries]

    @_reading
    def provenance(self, id: str) -> dict[str, FieldSource]:
        """Give, for each field a person set, who set it and when (other fields were read)."""
        num = self._num(id)
        return {field: FieldSource("person", editor, at, json.loads(auto) if auto else None)
                for field, editor, at, auto in self.con.execute(
                    "SELECT field, editor, at, auto_value FROM edits WHERE letter = ? ORDER BY field",
                    (num,))}

    # -- the change sequence --------------------------------------------------------------------

    @_reading_once
    def sequence(self) -> int:
        """Give the number of the latest change (0 when nothing was ever written)."""
        row = self.con.execute("SELECT max(seq) FROM changes").fetchone()
        return int(row[0] or 0)

    @_reading
    def pending(self, after: int, *, limit: int = 5000) -> list[Pending]:
        """Give the letters changed after ``after``, each once at its latest change in the range."""
        latest: dict[int, int] = {}
        for seq, num in self.con.execute("SELECT seq, letter FROM changes WHERE seq > ? ORDER BY seq LIMIT ?",
                                         (after, limit)):
            latest[num] = seq
        if not latest:
            return []
        out = [Pending(latest[num], letter_id, withdrawn_at is None)
               for num, letter_id, withdrawn_at in self.con.execute(
                   "SELECT num, id, withdrawn_at FROM letters WHERE num = ANY(?)", (list(latest),))]
        out.sort(key=lambda p: p.sequence)
        return out

    # -- people, places and threads (the SQL of sqlite_people.PeopleTables) -------------------

    @_writing
    def store_enrichment(self, rows: EnrichmentRows, *, keys: dict[str, str]) -> list[str]:
        """Give the letters whose mentions or links changed, after storing what an enrichment run
        found (see ``Store.store_enrichment``)."""
        return self._store_enrichment(rows, keys, now())

    def write_enrichment(self, rows: EnrichmentRows, *, keys: dict[str, str]) -> None:
        """Store what an enrichment run found (``store_enrichment``, whose answer this drops)."""
        self.store_enrichment(rows, keys=keys)

    @_writing
    def add_people_correction(self, correction: PeopleCorrection) -> PeopleCorrection:
        """Record a correction of the people (stamped now), for every later run."""
        correction.at = correction.at or now()
        self.con.execute(
            "INSERT INTO people_corrections (action, target, other, forms, name, new_id, editor, at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (correction.action, correction.target, correction.other, json.dumps(correction.forms, ensure_ascii=False),
             correction.name, correction.new_id, correction.editor, correction.at))
        return correction

    _head_page = _reading(PeopleTables._head_page)
    letter_texts = _reading(PeopleTables.letter_texts)
    person_forms = _reading(PeopleTables.person_forms)
    find_persons = _reading(PeopleTables.find_persons)
    forms_of = _reading(PeopleTables.forms_of)
    list_persons = _reading(PeopleTables.list_persons)
    get_person = _reading(PeopleTables.get_person)
    person_letters = _reading(PeopleTables.person_letters)
    correspondents = _reading(PeopleTables.correspondents)
    person_names = _reading(PeopleTables.person_names)
    network = _reading(PeopleTables.network)
    list_places = _reading(PeopleTables.list_places)
    get_place = _reading(PeopleTables.get_place)
    place_letters = _reading(PeopleTables.place_letters)
    people_corrections = _reading(PeopleTables.people_corrections)

    # -- datestamps, for harvesting (OAI-PMH) ---------------------------------------------------

    @staticmethod
    def _stamp_filter(since: str | None, until: str | None,
                      collections: Sequence[str] | None) -> tuple[str, list[Any]]:
        """Give the conditions (on ``changes c`` and ``letters l``) that pick each letter at its
        latest change, within the bounds, and their parameters."""
        where = ["NOT EXISTS (SELECT 1 FROM changes n WHERE n.letter = c.letter AND n.seq > c.seq)"]
        params: list[Any] = []
        if since is not None:
            where.append("substr(c.at, 1, 19) >= ?")
            params.append(since)
        if until is not None:
            where.append("substr(c.at, 1, 19) <= ?")
            params.append(until)
        if collections is not None:
            where.append("l.collection_title = ANY(?)")
            params.append(list(collections))
        return " AND ".join(where), params

    @_reading
    def stamps(self, *, after: int = 0, since: str | None = None, until: str | None = None,
               collections: Sequence[str] | None = None, limit: int = 100) -> list[Stamp]:
        """Give the letters at their latest change after sequence ``after`` (see ``Store.stamps``)."""
        if collections is not None and not collections:
            return []
        where, params = self._stamp_filter(since, until, collections)
        rows = self.con.execute(
            "SELECT c.seq, l.id, c.at, l.withdrawn_at IS NOT NULL, l.collection_title "
            f"FROM changes c JOIN letters l ON l.num = c.letter WHERE c.seq > ? AND {where} ORDER BY c.seq LIMIT ?",
            [after, *params, limit])
        return [Stamp(seq, id, at, bool(withdrawn), title) for seq, id, at, withdrawn, title in rows]

    @_reading
    def count_stamps(self, *, since: str | None = None, until: str | None = None,
                     collections: Sequence[str] | None = None) -> int:
        """Give the number of letters ``stamps`` gives with these bounds."""
        if collections is not None and not collections:
            return 0
        where, params = self._stamp_filter(since, until, collections)
        join = " JOIN letters l ON l.num = c.letter" if collections is not None else ""
        return int(self.con.execute(f"SELECT count(*) FROM changes c{join} WHERE {where}", params).fetchone()[0])

    @_reading
    def stamp(self, id: str) -> Stamp:
        """Give a letter's latest change; raise ``LetterNotFound`` when no letter ever had the id."""
        row = self.con.execute(
            "SELECT c.seq, l.id, c.at, l.withdrawn_at IS NOT NULL, l.collection_title "
            "FROM letters l JOIN changes c ON c.letter = l.num WHERE l.id = ? ORDER BY c.seq DESC LIMIT 1",
            (id,)).fetchone()
        if row is None:
            raise LetterNotFound(id)
        return Stamp(row[0], row[1], row[2], bool(row[3]), row[4])

    @_reading
    def first_change(self) -> str | None:
        """Give the time of the first change, None when nothing was ever written."""
        row = self.con.execute("SELECT at FROM changes ORDER BY seq LIMIT 1").fetchone()
        return None if row is None else str(row[0])

    @_reading
    def collection_titles(self) -> list[str]:
        """Give the titles of the live letters' collections, sorted."""
        return [r[0] for r in self.con.execute(
            "SELECT DISTINCT collection_title FROM letters WHERE withdrawn_at IS NULL "
            "AND collection_title IS NOT NULL ORDER BY collection_title")]

    # -- settings -------------------------------------------------------------------------------

    @_reading_once
    def setting(self, key: str) -> str | None:
        """Give a setting of the archive, None when unset."""
        row = self.con.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    @_writing
    def set_setting(self, key: str, value: str) -> None:
        """Record a setting of the archive."""
        self.con.execute("INSERT INTO settings (key, value) VALUES (?, ?) "
                         "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, value))

    def index_home(self) -> str:
        """Give the folder of this archive's search index on this machine: under ``index_root()``,
        named by server, database and the archive's own id (so an archive made again at the same
        address gets a new index)."""
        archive_id = self.setting("archive_id") or "archive"
        where = f"{self.address.host}-{self.address.port}-{self.address.database}"
        slug = re.sub(r"[^A-Za-z0-9_.-]+", "_", where).strip("_")[:80]
        digest = hashlib.sha256(f"{self.address.user}@{where}/{archive_id}".encode()).hexdigest()[:12]
        return str(index_root() / f"{slug}-{digest}")

    # -- housekeeping ---------------------------------------------------------------------------

    def writes(self) -> int:
        """Give the number of rows this store has written since it was opened."""
        return self._written

    def close(self) -> None:
        """Close every connection of the pool; later calls fail."""
        if self._closed:
            return
        self._closed = True
        self.pool.close()

"""The embedded store: one SQLite file (``letterbook.db``), normalised, in WAL mode.

The schema is in ``migrations/`` (numbered, transactional); ``rows.py`` maps a letter to its rows.
Each ``write`` is one transaction, so a crash (Ctrl-C, ``kill -9``) loses at most the batch in
flight and never leaves a file marked read without its letters.
"""

from __future__ import annotations

import functools
import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

from ..errors import ArchiveError, LetterNotFound
from ..fields import field_named
from ..model import Letter
from . import migrations
from .base import (
    Batch,
    BatchResult,
    Change,
    FieldSource,
    FileRecord,
    Pending,
    Sort,
    Stamp,
    Store,
    keyset_letters,
)
from .rows import CORE_COLUMNS, Flat, assemble, flatten
from .sqlite_people import PeopleTables
from .writer import CHILD_INSERTS, CHILD_TABLES, BatchWriter

#: Connection settings: WAL lets readers (search, the web) go on while an ingest writes;
#: synchronous=NORMAL is crash-safe in WAL mode (a killed process loses nothing committed) and
#: saves an fsync per transaction; the page cache is 64 MB.
PRAGMAS = (
    "PRAGMA foreign_keys = ON",
    "PRAGMA busy_timeout = 10000",
    "PRAGMA synchronous = NORMAL",
    "PRAGMA cache_size = -65536",
    "PRAGMA temp_store = MEMORY",
)

_LETTER_SELECT = (
    "SELECT l.num, l.id, l.withdrawn_at, f.path AS file_path, f.sha256 AS file_sha256, "
    + ", ".join(f"l.{c}" for c in CORE_COLUMNS)
    + ", p.name AS place_name, p.ref AS place_ref, d.name AS destination_name, d.ref AS destination_ref "
    "FROM letters l LEFT JOIN files f ON f.id = l.file "
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
R = TypeVar("R")


def _archive_error(path: str, exc: sqlite3.Error) -> ArchiveError:
    """Give SQLite's complaint as a message about the archive."""
    text = str(exc)
    if "locked" in text or "busy" in text:
        return ArchiveError(f"the archive {path} is busy: another program is writing to it; "
                            "try again when it has finished")
    if "full" in text:
        return ArchiveError(f"the archive {path} cannot grow: the disk is full")
    if "readonly" in text or "read-only" in text:
        return ArchiveError(f"the archive {path} cannot be written: the file or its folder is read-only")
    return ArchiveError(f"the archive {path} could not be used ({text})")


def _plain_errors(method: Callable[..., R]) -> Callable[..., R]:
    """Give the method with SQLite's errors turned into ``ArchiveError`` messages."""

    @functools.wraps(method)
    def wrapper(self: SQLiteStore, *args: Any, **kwargs: Any) -> R:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as exc:
            raise _archive_error(self.path, exc) from None

    return wrapper


def now() -> str:
    """Give the current time as an ISO 8601 string in UTC, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


class SQLiteStore(PeopleTables, Store):
    """Letters in one SQLite file, or in memory (``:memory:``, for tests)."""

    def __init__(self, path: str, *, read_only: bool = False) -> None:
        self.path = path
        self.url = path if path == ":memory:" else f"sqlite:///{path}"
        self.read_only = read_only
        self.con = self._connect(path, read_only)
        self._checkpointer = _Checkpointer(path) if not read_only and path != ":memory:" else None
        if self._checkpointer is not None:
            # The log is copied into the file by the checkpointer after each write transaction;
            # the connection's own checkpoint stays as a backstop should the log grow large.
            self.con.execute(f"PRAGMA wal_autocheckpoint = {_BACKSTOP_PAGES}")
        # Placeholders one statement may hold (SQLite's default since 3.32; builds may allow more).
        self._variables = min(self.con.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER), 32766)
        self._agent_ids: dict[tuple[str, str, str], int] = {}
        self._place_ids: dict[tuple[str, str], int] = {}
        self._file_ids: dict[str, int] = {}
        # For each file being read again: its live letters not yet seen in this reading, which
        # are withdrawn when the file is finished (see start_file).
        self._unseen: dict[int, set[int]] = {}

    # -- opening --------------------------------------------------------------------------------

    def _connect(self, path: str, read_only: bool) -> sqlite3.Connection:
        memory = path == ":memory:"
        if not memory and Path(path).is_dir():
            raise ArchiveError(f"{path} is a folder, not an archive file")
        if read_only and not memory and not Path(path).exists():
            raise ArchiveError(f"there is no archive at {path}")
        if not memory and not read_only and not Path(path).parent.exists():
            raise ArchiveError(f"cannot make an archive at {path}: the folder {Path(path).parent} does not exist")
        try:
            if read_only and not memory:
                con = sqlite3.connect(f"file:{quote(os.path.abspath(path))}?mode=ro", uri=True,
                                      isolation_level=None, check_same_thread=False)
            else:
                con = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            for pragma in PRAGMAS:
                con.execute(pragma)
            if not memory and not read_only:
                con.execute("PRAGMA journal_mode = WAL")
            self._check_is_archive(con, path)
            if read_only:
                version = migrations.version_of(con)
                if version < migrations.latest():
                    raise ArchiveError(f"the archive {path} is at schema version {version} and needs "
                                       f"upgrading to {migrations.latest()}: open it once for writing "
                                       f"(any letterbook command without read-only) to upgrade it")
            else:
                migrations.migrate(con)
        except sqlite3.DatabaseError as exc:
            raise ArchiveError(f"{path} is not a letterbook archive ({exc})") from None
        except sqlite3.Error as exc:
            raise ArchiveError(f"cannot open the archive {path}: {exc}") from None
        return con

    @staticmethod
    def _check_is_archive(con: sqlite3.Connection, path: str) -> None:
        if migrations.version_of(con) > 0:
            return
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        if tables:  # someone else's database: never add our tables to it
            raise ArchiveError(f"{path} is an SQLite database, but not a letterbook archive "
                               f"(it holds the tables {', '.join(sorted(tables)[:5])})")

    @_plain_errors
    def schema_version(self) -> int:
        """Give the schema version the store is at."""
        return migrations.version_of(self.con)

    # -- writing --------------------------------------------------------------------------------

    def _transaction(self) -> _Transaction:
        if self.read_only:
            raise ArchiveError(f"the archive {self.path} is open read-only")
        return _Transaction(self)

    def _forget_ids(self) -> None:
        """Forget cached row ids: after a rollback some may no longer exist."""
        self._agent_ids.clear()
        self._place_ids.clear()
        self._file_ids.clear()

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

    @_plain_errors
    def files(self, paths: Sequence[str]) -> dict[str, FileRecord]:
        """Give the records of those files the store has seen before."""
        found: dict[str, FileRecord] = {}
        query = "SELECT path, sha256, size, format, letters, status, problem, read_at FROM files WHERE path IN "
        for start in range(0, len(paths), 500):
            chunk = list(paths[start:start + 500])
            for row in self.con.execute(query + f"({', '.join('?' * len(chunk))})", chunk):
                found[row[0]] = FileRecord(*row)
        return found

    @_plain_errors
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
    def prepare(letter: Letter, file: str, file_sha256: str | None) -> Prepared:
        """Give the letter's given id and rows, made ahead in a worker process (plain tuples: they
        are unpickled several times faster than the named tuple ``Flat``)."""
        source_path = None if letter.source.path == file else letter.source.path
        own_sha256 = letter.source.sha256 is None or letter.source.sha256 != file_sha256
        return letter.id or None, tuple(flatten(letter, source_path=source_path, source_sha256=own_sha256))

    @_plain_errors
    def write(self, batch: Batch) -> BatchResult:
        """Give what writing one batch changed, written in one transaction (see ``Store.write``)."""
        result = BatchResult()
        writer = BatchWriter(self, now(), result, _INSERT_LETTER, _UPDATE_LETTER, variables=self._variables)
        with self._transaction():
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
        rows = self._load_rows(where, params)
        if live_only:
            rows = [r for r in rows if r["withdrawn_at"] is None]
        return self._assemble(rows)

    def _load_rows(self, where: str, params: Sequence[Any]) -> list[dict[str, Any]]:
        """Give the letters' rows that match ``where``, as dicts by column name."""
        cursor = self.con.execute(_LETTER_SELECT + "WHERE " + where, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]

    def _assemble(self, rows: list[dict[str, Any]]) -> list[Letter]:
        """Give the letters of these rows, with their people, places, links and notes."""
        if not rows:
            return []
        nums = [r["num"] for r in rows]
        marks = ", ".join("?" * len(nums))
        children: dict[str, dict[int, list[tuple[Any, ...]]]] = {}
        for name, query in (
            ("agents", "SELECT la.letter, la.role, la.position, a.kind, a.name, a.ref, la.as_written, la.office "
                       f"FROM letter_agents la JOIN agents a ON a.id = la.agent WHERE la.letter IN ({marks})"),
            ("places", "SELECT lp.letter, lp.position, p.name, p.ref, lp.as_written FROM letter_places lp "
                       f"JOIN places p ON p.id = lp.place WHERE lp.letter IN ({marks})"),
            ("links", "SELECT letter, position, rel, target, label, evidence, confidence FROM links "
                      f"WHERE letter IN ({marks})"),
            ("notes", f"SELECT letter, position, text, label, kind FROM notes WHERE letter IN ({marks})"),
        ):
            by_letter: dict[int, list[tuple[Any, ...]]] = {}
            for row in self.con.execute(query, nums):
                by_letter.setdefault(row[0], []).append(row[1:])
            children[name] = by_letter
        return [assemble(r, r["file_path"] or "", r["file_sha256"], children["agents"].get(r["num"], []),
                         children["places"].get(r["num"], []), children["links"].get(r["num"], []),
                         children["notes"].get(r["num"], [])) for r in rows]

    @_plain_errors
    def get(self, id: str) -> Letter:
        """Give the letter with this id; raise ``LetterNotFound`` when there is none."""
        found = self._load("l.id = ?", (id,), live_only=False)
        if not found:
            raise LetterNotFound(id)
        row = self.con.execute("SELECT withdrawn_at FROM letters WHERE id = ?", (id,)).fetchone()
        if row[0] is not None:
            raise LetterNotFound(id, f"it was withdrawn on {row[0][:10]}, when its file no longer held it")
        return found[0]

    @_plain_errors
    def get_many(self, ids: Sequence[str]) -> dict[str, Letter]:
        """Give the live letters among these ids, by id."""
        found: dict[str, Letter] = {}
        for start in range(0, len(ids), 500):
            chunk = list(ids[start:start + 500])
            for letter in self._load(f"l.id IN ({', '.join('?' * len(chunk))})", chunk):
                assert letter.id is not None
                found[letter.id] = letter
        return found

    def iter_letters(self, *, sort: Sort = "id", limit: int | None = None, offset: int = 0) -> Iterator[Letter]:
        """Give the live letters in the order asked (by date: undated last), in pages of 500
        (``keyset_letters``: each page starts where the last one ended)."""
        try:
            yield from keyset_letters(self._load, self._position, sort=sort, limit=limit, offset=offset)
        except sqlite3.Error as exc:
            raise _archive_error(self.path, exc) from None

    def _position(self, id: str) -> tuple[str | None, int]:
        """Give a letter's date key and row number, where a listing goes on after it."""
        row = self.con.execute("SELECT date_sort, num FROM letters WHERE id = ?", (id,)).fetchone()
        return row[0], row[1]

    @_plain_errors
    def count(self) -> int:
        """Give the number of live letters."""
        total, withdrawn = self.con.execute(
            "SELECT (SELECT count(*) FROM letters), (SELECT count(*) FROM letters WHERE withdrawn_at IS NOT NULL)"
        ).fetchone()
        return int(total - withdrawn)

    @_plain_errors
    def stats(self) -> dict[str, Any]:
        """Give counts of what the store holds, and the span of its dates."""
        kinds = dict(self.con.execute("SELECT kind, count(*) FROM persons GROUP BY kind").fetchall())
        places = self.con.execute("SELECT count(*) FROM place_records").fetchone()[0]
        if not kinds and not places:  # not enriched (ingest --no-enrich): the names as written
            kinds = dict(self.con.execute("SELECT kind, count(*) FROM agents GROUP BY kind").fetchall())
            places = self.con.execute("SELECT count(*) FROM places").fetchone()[0]
        files = dict(self.con.execute("SELECT status, count(*) FROM files GROUP BY status").fetchall())
        first = self.con.execute("SELECT min(date_sort) FROM letters WHERE withdrawn_at IS NULL").fetchone()[0]
        last = self.con.execute("SELECT max(date_sort) FROM letters WHERE withdrawn_at IS NULL").fetchone()[0]
        letters = self.count()
        return {
            "letters": letters,
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
        row = self.con.execute("SELECT num, withdrawn_at FROM letters WHERE id = ?", (id,)).fetchone()
        if row is None:
            raise LetterNotFound(id)
        return int(row[0])

    @_plain_errors
    def edit(self, id: str, field: str, value: Any, *, editor: str) -> Change:
        """Give the change made by a person setting one field (``value`` in its JSON form)."""
        spec = field_named(field)
        with self._transaction():
            num = self._num(id)
            letter = self.get(id)
            old = spec.to_json(spec.get(letter))
            stamp = now()
            spec.set(letter, spec.from_json(value))
            source_path, own_sha256, digest, fid = self.con.execute(
                "SELECT source_path, source_sha256, digest, file FROM letters WHERE num = ?", (num,)).fetchone()
            flat = flatten(letter, source_path=source_path, source_sha256=own_sha256 is not None)
            for table in CHILD_TABLES:
                self.con.execute(f"DELETE FROM {table} WHERE letter = ?", (num,))
            id_given = self.con.execute("SELECT id_given FROM letters WHERE num = ?", (num,)).fetchone()[0]
            # The digest stays that of the automatic reading: the next ingest compares against it.
            self.con.execute(_UPDATE_LETTER, (id_given, fid, self._place_id(flat.place),
                                              self._place_id(flat.destination), digest, *flat.core, num))
            self._insert_children(self._child_rows(num, flat))
            encoded_old = json.dumps(old, ensure_ascii=False)
            self.con.execute(
                "INSERT INTO edits (letter, field, value, auto_value, editor, at) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (letter, field) DO UPDATE SET value = excluded.value, editor = excluded.editor, "
                "at = excluded.at",
                (num, field, json.dumps(value, ensure_ascii=False), encoded_old, editor, stamp))
            self.con.execute("INSERT INTO history (letter, field, old, new, editor, at) VALUES (?, ?, ?, ?, ?, ?)",
                             (num, field, encoded_old, json.dumps(value, ensure_ascii=False), editor, stamp))
            self.con.execute("INSERT INTO changes (letter, kind, at, file) VALUES (?, 'edited', ?, ?)",
                             (num, stamp, fid))
        return Change(id, "edited", editor, stamp, field, spec.show(spec.from_json(old)),
                      spec.show(spec.from_json(value)))

    @_plain_errors
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

    @_plain_errors
    def provenance(self, id: str) -> dict[str, FieldSource]:
        """Give, for each field a person set, who set it and when (other fields were read)."""
        num = self._num(id)
        return {field: FieldSource("person", editor, at, json.loads(auto) if auto else None)
                for field, editor, at, auto in self.con.execute(
                    "SELECT field, editor, at, auto_value FROM edits WHERE letter = ? ORDER BY field", (num,))}

    # -- the change sequence --------------------------------------------------------------------

    @_plain_errors
    def sequence(self) -> int:
        """Give the number of the latest change (0 when nothing was ever written)."""
        row = self.con.execute("SELECT max(seq) FROM changes").fetchone()
        return int(row[0] or 0)

    @_plain_errors
    def pending(self, after: int, *, limit: int = 5000) -> list[Pending]:
        """Give the letters changed after ``after``, each once at its latest change in the range."""
        latest: dict[int, int] = {}
        for seq, num in self.con.execute("SELECT seq, letter FROM changes WHERE seq > ? ORDER BY seq LIMIT ?",
                                         (after, limit)):
            latest[num] = seq
        if not latest:
            return []
        nums = list(latest)
        out = []
        for start in range(0, len(nums), 500):
            chunk = nums[start:start + 500]
            for num, letter_id, withdrawn_at in self.con.execute(
                    f"SELECT num, id, withdrawn_at FROM letters WHERE num IN ({', '.join('?' * len(chunk))})", chunk):
                out.append(Pending(latest[num], letter_id, withdrawn_at is None))
        out.sort(key=lambda p: p.sequence)
        return out

    # -- datestamps -----------------------------------------------------------------------------

    @staticmethod
    def _stamp_filter(since: str | None, until: str | None,
                      collections: Sequence[str] | None) -> tuple[str, list[Any]]:
        """Give the conditions (on ``changes c`` and ``letters l``) that pick each letter at its
        latest change, within the bounds, and their parameters."""
        # changes_letter indexes (letter, seq), so the test for a later change reads the index only.
        where = ["NOT EXISTS (SELECT 1 FROM changes n WHERE n.letter = c.letter AND n.seq > c.seq)"]
        params: list[Any] = []
        if since is not None:
            where.append("substr(c.at, 1, 19) >= ?")
            params.append(since)
        if until is not None:
            where.append("substr(c.at, 1, 19) <= ?")
            params.append(until)
        if collections is not None:
            where.append(f"l.collection_title IN ({', '.join('?' * len(collections))})")
            params.extend(collections)
        return " AND ".join(where), params

    @_plain_errors
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

    @_plain_errors
    def count_stamps(self, *, since: str | None = None, until: str | None = None,
                     collections: Sequence[str] | None = None) -> int:
        """Give the number of letters ``stamps`` gives with these bounds."""
        if collections is not None and not collections:
            return 0
        where, params = self._stamp_filter(since, until, collections)
        join = " JOIN letters l ON l.num = c.letter" if collections is not None else ""
        return int(self.con.execute(f"SELECT count(*) FROM changes c{join} WHERE {where}", params).fetchone()[0])

    @_plain_errors
    def stamp(self, id: str) -> Stamp:
        """Give a letter's latest change; raise ``LetterNotFound`` when no letter ever had the id."""
        row = self.con.execute(
            "SELECT c.seq, l.id, c.at, l.withdrawn_at IS NOT NULL, l.collection_title "
            "FROM letters l JOIN changes c ON c.letter = l.num WHERE l.id = ? ORDER BY c.seq DESC LIMIT 1",
            (id,)).fetchone()
        if row is None:
            raise LetterNotFound(id)
        return Stamp(row[0], row[1], row[2], bool(row[3]), row[4])

    @_plain_errors
    def first_change(self) -> str | None:
        """Give the time of the first change, None when nothing was ever written."""
        row = self.con.execute("SELECT at FROM changes ORDER BY seq LIMIT 1").fetchone()
        return None if row is None else str(row[0])

    @_plain_errors
    def collection_titles(self) -> list[str]:
        """Give the titles of the live letters' collections, sorted."""
        return [r[0] for r in self.con.execute(
            "SELECT DISTINCT collection_title FROM letters WHERE withdrawn_at IS NULL "
            "AND collection_title IS NOT NULL ORDER BY collection_title")]

    # -- settings -------------------------------------------------------------------------------

    @_plain_errors
    def setting(self, key: str) -> str | None:
        """Give a setting of the archive, None when unset."""
        row = self.con.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    @_plain_errors
    def set_setting(self, key: str, value: str) -> None:
        """Record a setting of the archive."""
        with self._transaction():
            self.con.execute("INSERT INTO settings (key, value) VALUES (?, ?) "
                             "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, value))

    def index_home(self) -> str | None:
        """Give ``<database>.index`` beside the database file, or None in memory."""
        return None if self.path == ":memory:" else os.path.abspath(self.path) + ".index"

    @property
    def sqlite_connection(self) -> sqlite3.Connection:
        """Give the connection, for the search index kept inside the same file."""
        return self.con

    # -- housekeeping ---------------------------------------------------------------------------

    def writes(self) -> int:
        """Give the number of rows this connection has written since it was opened."""
        return self.con.total_changes

    def integrity(self) -> str:
        """Give SQLite's integrity check of the file: "ok" when it is sound."""
        return "; ".join(r[0] for r in self.con.execute("PRAGMA integrity_check"))

    def close(self) -> None:
        """Release the connection (checkpointing the write-ahead log)."""
        if self._checkpointer is not None:
            self._checkpointer.close()
        try:
            if not self.read_only and self.path != ":memory:":
                self.con.execute("PRAGMA optimize")
        except sqlite3.Error:
            pass  # a busy or read-only file: optimising is a nicety
        self.con.close()


#: A letter made ready for writing: its given id and its rows (a ``Flat`` as a plain tuple).
Prepared = tuple[str | None, tuple[Any, ...]]


#: Pages of write-ahead log at which the writing connection checkpoints by itself (40 MB).
_BACKSTOP_PAGES = 10_000
# No checkpointer touches SQLite while the process forks: a child that opens the file (enrichment's
# helper reading the letters' texts) would inherit SQLite's locks held by the checkpointing thread
# at that moment, and wait on them forever.
_NOT_FORKING = threading.Lock()
os.register_at_fork(before=_NOT_FORKING.acquire, after_in_parent=_NOT_FORKING.release,
                    after_in_child=_NOT_FORKING.release)


class _Checkpointer:
    """Copies the write-ahead log into the database file on a thread and connection of its own,
    when nudged after a write transaction.

    A connection left to checkpoint by itself does so inside the COMMIT that crosses the log's
    threshold, and an ingest's writing waits for it: about a fifth of the store's time. On its
    own thread (SQLite lets go of Python's lock meanwhile) the copying overlaps the next batch.
    A PASSIVE checkpoint never blocks the writer or readers; the log stays durable throughout.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self._due = threading.Event()
        self._closing = False
        self._thread: threading.Thread | None = None

    def nudge(self) -> None:
        """Ask for a checkpoint soon (starting the thread on first use)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="letterbook-checkpoint", daemon=True)
            self._thread.start()
        self._due.set()

    def _run(self) -> None:
        try:
            with _NOT_FORKING:
                con = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
                con.execute("PRAGMA busy_timeout = 1000")
        except sqlite3.Error:
            return  # the writing connection's own checkpoints remain
        try:
            while True:
                self._due.wait()
                self._due.clear()
                if self._closing:
                    break
                try:
                    with _NOT_FORKING:
                        con.execute("PRAGMA wal_checkpoint(PASSIVE)")
                except sqlite3.Error:
                    pass  # busy or gone: the next nudge, or the closing connection, checkpoints
        finally:
            with _NOT_FORKING:
                con.close()

    def close(self) -> None:
        """Stop the thread (the last connection to close checkpoints what is left)."""
        self._closing = True
        if self._thread is not None:
            self._due.set()
            self._thread.join()
            self._thread = None


class _Transaction:
    """One write transaction: BEGIN IMMEDIATE, then COMMIT, or ROLLBACK on any error."""

    def __init__(self, store: SQLiteStore) -> None:
        self.store = store

    def __enter__(self) -> None:
        self.store.con.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, exc: BaseException | None, tb: object) -> None:
        con = self.store.con
        if exc is None:
            con.execute("COMMIT")
            if self.store._checkpointer is not None:
                self.store._checkpointer.nudge()
            return
        if con.in_transaction:
            con.execute("ROLLBACK")
        self.store._forget_ids()
        self.store._unseen.clear()

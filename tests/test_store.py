"""The stores: lossless round trip, migrations, WAL, the change sequence, refusals.

Tests that take ``new_store`` run on both stores (SQLite and PostgreSQL, tests/conftest.py) with
the same expected results; the PostgreSQL store's own behaviour is tested in test_postgres.py.
"""

from __future__ import annotations

import copy
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from pg import STORES
from test_model import letters as any_letter

from letterbook import Agent, Letter, Place, Source, When
from letterbook.errors import ArchiveError, LetterbookError, LetterNotFound
from letterbook.store import open_store
from letterbook.store.base import Batch, FileRecord, IncomingLetter, Store
from letterbook.store.migrations import latest, migrate, version_of
from letterbook.store.sqlite import SQLiteStore

FILE = "/archive/box-1/letters.txt"
MakeStore = Callable[[], Store]


def empty_postgres(url: str) -> None:
    """Remove every row of an archive in PostgreSQL but its settings (much faster than a new database)."""
    import psycopg

    with psycopg.connect(url) as con:
        con.execute("SET LOCAL session_replication_role = replica")  # no foreign key checks: any order
        tables = [row[0] for row in con.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
            "AND tablename NOT IN ('settings', 'schema_migrations')")]
        for table in tables:
            con.execute(f"DELETE FROM {table}")


@pytest.fixture(params=STORES)
def new_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[MakeStore]:
    """Give a maker of empty stores of one kind: in memory for SQLite, an emptied database for
    PostgreSQL; each store made is closed at the end of the test."""
    made: list[Store] = []
    url = str(request.getfixturevalue("postgres_url")) if request.param == "postgresql" else ":memory:"

    def make() -> Store:
        if url != ":memory:" and made:
            made[-1].close()
            empty_postgres(url)
        store = open_store(url)
        made.append(store)
        return store

    yield make
    for store in made:
        store.close()


def rows(store: Store, sql: str) -> list[tuple[Any, ...]]:
    """Give the rows a query gives, straight from the store's database (for tests of the schema)."""
    if isinstance(store, SQLiteStore):
        return store.con.execute(sql).fetchall()
    with store._session(write=False) as con:  # type: ignore[attr-defined]
        return list(con.execute(sql).fetchall())


def normalised(letter: Letter) -> Letter:
    """Give the letter as the store keeps it: no id, empty refs and checksums as none, an empty
    collection as none."""
    letter = copy.deepcopy(letter)
    letter.id = None
    letter.source.sha256 = letter.source.sha256 or None
    for agent in [letter.sender, *letter.co_senders, *letter.recipients, *letter.mentions_persons]:
        if agent is not None and not agent.ref:
            agent.ref = None
    for place in [letter.place, letter.destination, *letter.mentions_places]:
        if place is not None and not place.ref:
            place.ref = None
    if letter.collection is not None and not any(
            (letter.collection.title is not None, letter.collection.volume is not None,
             letter.collection.number is not None)):
        letter.collection = None
    return letter


def stalin() -> Letter:
    return Letter(source=Source(FILE, 0, "text", "ab" * 32), title="Message to H. Truman",
                  sender=Agent("J. Stalin", "J. Stalin"), recipients=[Agent("Harry S. Truman", "Mr President")],
                  date=When("1945-12-23", as_written="December 23, 1945"), place=Place("Moscow", "MOSCOW"),
                  body=["I was glad to receive your message.", "With respect."], language="en")


def test_any_letter_comes_back_as_it_was_stored(new_store: MakeStore) -> None:
    # Fewer examples on PostgreSQL, where each needs its database emptied (about 50 ms).
    examples = 150 if isinstance(new_store(), SQLiteStore) else 40

    @settings(max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(any_letter)
    def comes_back(letter: Letter) -> None:
        store = new_store()
        given_id = letter.id or None
        read = copy.deepcopy(letter)
        result = store.write(Batch([IncomingLetter(FILE, read)], [FileRecord(FILE, "x")]))
        assert result.new == 1 or result.skipped
        if result.skipped:
            return
        stored_id = result.changed[0].id
        if given_id:
            assert stored_id == given_id
        back = store.get(stored_id)
        assert back.id == stored_id
        assert normalised(back) == normalised(letter)

    comes_back()


def test_a_letter_read_twice_is_written_once(new_store: MakeStore) -> None:
    store = new_store()
    first = store.write(Batch([IncomingLetter(FILE, stalin())], [FileRecord(FILE, "x")]))
    assert (first.new, first.sequence) == (1, 1)
    before = store.writes()
    again = store.write(Batch([IncomingLetter(FILE, stalin())]))
    assert (again.new, again.updated, again.unchanged) == (0, 0, 1)
    assert store.writes() == before  # nothing written at all
    assert store.sequence() == 1
    store.close()


def test_the_store_file_is_in_wal_mode_and_sound(tmp_path: Path) -> None:
    store = SQLiteStore(str(tmp_path / "a.db"))
    store.write(Batch([IncomingLetter(FILE, stalin())], [FileRecord(FILE, "x")]))
    assert store.con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.con.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.integrity() == "ok"
    store.close()


def test_tables_are_normalised(new_store: MakeStore) -> None:
    store = new_store()
    batch = Batch()
    for part in range(3):
        letter = stalin()
        letter.source.part = part
        batch.letters.append(IncomingLetter(FILE, letter))
    batch.finished.append(FileRecord(FILE, "ab" * 32, 1234, "text"))
    store.write(batch)
    assert rows(store, "SELECT count(*) FROM agents") == [(2,)]  # one row a person
    assert rows(store, "SELECT count(*) FROM places") == [(1,)]
    assert rows(store, "SELECT count(*) FROM letter_agents WHERE role = 'recipient'") == [(3,)]
    assert rows(store, "SELECT path, sha256, size, format, letters, status FROM files") == [
        (FILE, "ab" * 32, 1234, "text", 3, "done")]
    assert rows(store, "SELECT DISTINCT source_path FROM letters") == [(None,)]  # kept once, on files
    assert store.stats()["letters"] == 3
    store.close()


def test_an_old_archive_is_migrated_when_opened(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    con = sqlite3.connect(path, isolation_level=None)
    assert migrate(con, target=1) == [1]
    assert version_of(con) == 1
    con.execute("INSERT INTO files (path, status) VALUES ('/x.txt', 'done')")
    con.execute("INSERT INTO letters (num, id, file, part, title, digest) VALUES (1, 'L1', 1, 0, 'Old letter', x'00')")
    assert con.execute("SELECT name FROM sqlite_master WHERE name = 'edits'").fetchone() is None
    con.close()

    store = open_store(str(path))
    assert store.schema_version() == latest() == 4
    assert store.get("L1").title == "Old letter"
    rows = store.sqlite_connection.execute("SELECT version, name FROM schema_migrations ORDER BY version").fetchall()
    assert rows == [(1, "letters"), (2, "corrections"), (3, "people"), (4, "enriched_changes")]
    store.edit("L1", "title", "Corrected", editor="tester")  # the new tables work
    assert store.get("L1").title == "Corrected"
    store.close()


def test_a_failed_migration_leaves_the_version_before(tmp_path: Path) -> None:
    path = tmp_path / "half.db"
    con = sqlite3.connect(path, isolation_level=None)
    migrate(con, target=1)
    con.execute("CREATE TABLE edits (x)")  # in the way of migration 2
    with pytest.raises(LetterbookError, match=r"could not bring the archive to schema version 2 \(corrections\)"):
        migrate(con)
    assert version_of(con) == 1
    assert con.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == 1
    con.close()


def test_an_archive_from_a_newer_letterbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    SQLiteStore(str(path)).close()
    con = sqlite3.connect(path)
    con.execute("PRAGMA user_version = 99")
    con.close()
    with pytest.raises(LetterbookError) as caught:
        open_store(str(path))
    assert str(caught.value) == ("this archive was made by a newer letterbook (schema version 99; this one knows "
                                 "versions up to 4); update letterbook to open it")


def test_files_that_are_not_archives_are_refused(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("hello, this is not a database at all " * 100)
    with pytest.raises(ArchiveError, match="is not a letterbook archive"):
        open_store(str(text))
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE birds (name)")
    con.commit()
    con.close()
    with pytest.raises(ArchiveError) as caught:
        open_store(str(other))
    assert str(caught.value) == (f"{other} is an SQLite database, but not a letterbook archive "
                                 "(it holds the tables birds)")
    with pytest.raises(ArchiveError) as missing:
        open_store(str(tmp_path / "none.db"), read_only=True)
    assert str(missing.value) == f"there is no archive at {tmp_path / 'none.db'}"


def test_urls(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'u.db'}")
    assert store.url == f"sqlite:///{tmp_path / 'u.db'}"
    store.close()
    with pytest.raises(ArchiveError, match="it does not know mysql:// archives"):
        open_store("mysql://x/y")


def test_a_missing_letter_is_named(new_store: MakeStore) -> None:
    store = new_store()
    with pytest.raises(LetterNotFound) as caught:
        store.get("L404")
    assert str(caught.value) == "no letter has the id 'L404'"
    assert caught.value.status == 404
    store.close()


def test_letters_gone_from_a_file_are_withdrawn_and_come_back_with_their_ids(new_store: MakeStore) -> None:
    store = new_store()
    letters = []
    for part in range(3):
        letter = stalin()
        letter.source.part = part
        letter.title = f"Letter {part}"
        letters.append(letter)
    store.write(Batch([IncomingLetter(FILE, copy.deepcopy(x)) for x in letters], [FileRecord(FILE, "a")]))
    ids = [letter.id for letter in store.iter_letters()]
    store.start_file(FILE)
    result = store.write(Batch([IncomingLetter(FILE, copy.deepcopy(x)) for x in letters[:2]], [FileRecord(FILE, "b")]))
    assert (result.unchanged, result.withdrawn, result.gone) == (2, 1, [ids[2]])
    with pytest.raises(LetterNotFound, match="it was withdrawn on"):
        store.get(ids[2])
    assert store.count() == 2
    store.start_file(FILE)
    back = store.write(Batch([IncomingLetter(FILE, copy.deepcopy(x)) for x in letters], [FileRecord(FILE, "a")]))
    assert (back.updated, back.unchanged) == (1, 2)
    assert store.get(ids[2]).title == "Letter 2"
    kinds = [change.kind for change in store.history(ids[2])]
    assert kinds == ["new", "withdrawn", "restored"]
    store.close()


def test_listing_pages_through_every_letter_in_order_once(new_store: MakeStore) -> None:
    # 1,234 letters: dated in a shuffled order with ties, some undated, some withdrawn; pages of
    # 500 must give each live letter once, in the order asked, whatever the offset and limit.
    store = new_store()
    letters = []
    for part in range(1234):
        letter = stalin()
        letter.id = f"T{part:04d}"
        letter.source.part = part
        letter.date = None if part % 7 == 0 else When(when=f"19{(part * 37) % 100:02d}-0{part % 9 + 1}-1{part % 3}")
        letters.append(letter)
    store.write(Batch([IncomingLetter(FILE, copy.deepcopy(x)) for x in letters], [FileRecord(FILE, "a")]))
    store.start_file(FILE)
    kept = [x for x in letters if x.source.part % 50 != 3]
    result = store.write(Batch([IncomingLetter(FILE, copy.deepcopy(x)) for x in kept], [FileRecord(FILE, "b")]))
    assert result.withdrawn == len(letters) - len(kept)

    def key(letter: Letter) -> tuple[bool, str, int]:
        return letter.date is None, letter.date.when if letter.date else "", letter.source.part

    by_id = [x.id for x in kept]
    by_date = [x.id for x in sorted(kept, key=key)]
    newest = [x.id for x in sorted((x for x in kept if x.date), key=key, reverse=True)]
    newest += [x.id for x in sorted((x for x in kept if not x.date), key=key, reverse=True)]
    assert [x.id for x in store.iter_letters()] == by_id
    assert [x.id for x in store.iter_letters(sort="date")] == by_date
    assert [x.id for x in store.iter_letters(sort="-date")] == newest
    assert [x.id for x in store.iter_letters(sort="date", offset=499, limit=503)] == by_date[499:1002]
    assert [x.id for x in store.iter_letters(sort="-date", offset=1100)] == newest[1100:]
    assert [x.id for x in store.iter_letters(sort="id", limit=0)] == []
    assert list(store.iter_letters(sort="date", offset=5000)) == []


def test_pending_changes_name_each_letter_once(new_store: MakeStore) -> None:
    store = new_store()
    store.write(Batch([IncomingLetter(FILE, stalin())]))
    letter_id = next(store.iter_letters()).id
    assert letter_id is not None
    store.edit(letter_id, "title", "One", editor="a")
    store.edit(letter_id, "title", "Two", editor="b")
    assert store.sequence() == 3
    pending = store.pending(0)
    assert [(p.sequence, p.id, p.live) for p in pending] == [(3, letter_id, True)]
    assert store.pending(3) == []
    store.close()


def test_a_busy_archive_is_named_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "busy.db"
    store = SQLiteStore(str(path))
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program writing
    store.con.execute("PRAGMA busy_timeout = 50")
    with pytest.raises(ArchiveError) as caught:
        store.write(Batch([IncomingLetter(FILE, stalin())]))
    assert str(caught.value) == (f"the archive {path} is busy: another program is writing to it; "
                                 "try again when it has finished")
    other.execute("ROLLBACK")
    other.close()
    assert store.write(Batch([IncomingLetter(FILE, stalin())])).new == 1
    store.close()


def test_a_read_only_archive_refuses_corrections(archive_url: str) -> None:
    store = open_store(archive_url)
    store.write(Batch([IncomingLetter(FILE, stalin())]))
    shown = archive_url if isinstance(store, SQLiteStore) else store.url  # a server's without its password
    store.close()
    reader = open_store(archive_url, read_only=True)
    assert reader.get("L1").title == "Message to H. Truman"
    with pytest.raises(ArchiveError) as caught:
        reader.edit("L1", "title", "x", editor="me")
    assert str(caught.value) == f"the archive {shown} is open read-only"
    with pytest.raises(ArchiveError):
        reader.set_setting("anything", "x")
    reader.close()

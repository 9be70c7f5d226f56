"""The PostgreSQL store's own behaviour: schema and migrations, connections and their errors,
read-only mode, text PostgreSQL cannot hold, the search index on each machine, the same answers as
SQLite, `letterbook copy`, and readers searching while a writer ingests.

The store-level suites (test_store.py, test_archive.py, test_ingest.py) run on PostgreSQL as well;
these are the tests that only a server store needs. A real PostgreSQL 15 is started for the session
(tests/pg.py, tests/conftest.py).
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
from pg import REQUIRE_POSTGRES

if importlib.util.find_spec("psycopg") is None:  # the postgres extra (in dev) is not installed
    if REQUIRE_POSTGRES:
        pytest.fail("psycopg is not installed; LETTERBOOK_REQUIRE_POSTGRES=1 forbids skipping the PostgreSQL tests",
                    pytrace=False)
    pytest.skip("psycopg is not installed (pip install -e '.[dev]' installs it)", allow_module_level=True)

import psycopg  # noqa: E402
from click.testing import CliRunner  # noqa: E402
from corpus import write_jsonl
from test_store import FILE, rows, stalin

from letterbook import Archive, LetterbookError
from letterbook.archive_copy import copy_archive
from letterbook.cli import main
from letterbook.errors import ArchiveError
from letterbook.store import open_store
from letterbook.store import postgres as postgres_module
from letterbook.store.base import Batch, FileRecord, IncomingLetter
from letterbook.store.migrations import postgres as pg_migrations
from letterbook.store.pg_connection import escape, unescape
from letterbook.store.postgres import PostgresStore
from letterbook.store.transfer import schema_tables

ROOT = Path(__file__).parents[1]
SHARED_BENCH = ROOT.parent / "shared" / "bench"


def database_of(url: str) -> str:
    return url.rsplit("/", 1)[1]


# -- schema and migrations -------------------------------------------------------------------------


def test_the_schema_is_the_sqlite_schema(postgres_url: str) -> None:
    store = open_store(postgres_url)
    assert store.schema_version() == pg_migrations.latest()
    columns = rows(store, "SELECT table_name, column_name FROM information_schema.columns "
                          "WHERE table_schema = current_schema() AND table_name != 'schema_migrations'")
    store.close()
    in_postgres: dict[str, set[str]] = {}
    for table, column in columns:
        in_postgres.setdefault(table, set()).add(column)
    in_sqlite = {table: set(names) for table, names in schema_tables()}
    assert in_postgres == in_sqlite


def test_an_old_archive_is_migrated_when_opened(postgres_url: str) -> None:
    with psycopg.connect(postgres_url, autocommit=True) as con:
        assert pg_migrations.migrate(con, target=1) == [1]
        assert pg_migrations.version_of(con) == 1
        con.execute("INSERT INTO files (id, path, status) VALUES (1, '/x.txt', 'done')")
        con.execute("INSERT INTO letters (num, id, file, part, title, digest) VALUES (1, 'L1', 1, 0, 'Old letter', "
                    "'\\x00')")
        assert con.execute("SELECT to_regclass('edits')").fetchone()[0] is None
    store = open_store(postgres_url)
    assert store.schema_version() == pg_migrations.latest()
    assert store.get("L1").title == "Old letter"
    versions = rows(store, "SELECT version FROM schema_migrations ORDER BY version")
    assert versions == [(n,) for n in range(1, pg_migrations.latest() + 1)]
    store.edit("L1", "title", "Corrected", editor="tester")  # the new tables work
    assert store.get("L1").title == "Corrected"
    store.close()


def test_a_failed_migration_leaves_the_version_before(postgres_url: str) -> None:
    with psycopg.connect(postgres_url, autocommit=True) as con:
        pg_migrations.migrate(con, target=1)
        con.execute("CREATE TABLE edits (x int)")  # in the way of migration 2
        with pytest.raises(LetterbookError, match=r"could not bring the archive to schema version 2 \(corrections\)"):
            pg_migrations.migrate(con)
        assert pg_migrations.version_of(con) == 1
        assert con.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == 1


def test_an_archive_from_a_newer_letterbook_is_refused(postgres_url: str) -> None:
    open_store(postgres_url).close()
    with psycopg.connect(postgres_url, autocommit=True) as con:
        con.execute("INSERT INTO schema_migrations VALUES (99, 'future', 'x')")
    with pytest.raises(LetterbookError) as caught:
        open_store(postgres_url)
    assert str(caught.value) == (f"this archive was made by a newer letterbook (schema version 99; this one knows "
                                 f"versions up to {pg_migrations.latest()}); update letterbook to open it")


def test_a_database_of_other_tables_is_not_made_an_archive(postgres_url: str) -> None:
    with psycopg.connect(postgres_url, autocommit=True) as con:
        con.execute("CREATE TABLE birds (name text)")
    with pytest.raises(ArchiveError) as caught:
        open_store(postgres_url)
    shown = postgres_url.replace(":letterbook-test-password", "")
    assert str(caught.value) == f"the database {shown} holds other tables (birds), but is not a letterbook archive"


# -- connections ---------------------------------------------------------------------------------


def test_a_wrong_password_is_named_without_the_password(postgres_server: object, postgres_url: str) -> None:
    server = postgres_server
    database = database_of(postgres_url)
    with pytest.raises(ArchiveError) as caught:
        open_store(server.url(database, password="not-the-password"))  # type: ignore[attr-defined]
    message = str(caught.value)
    assert message == (f"the PostgreSQL server at 127.0.0.1:{server.port} refused the user 'letterbook' "  # type: ignore[attr-defined]
                       f"for the database '{database}': the user name or password is wrong, or the user may not "
                       "connect (check the URL given with --db)")
    assert "not-the-password" not in message


def test_a_missing_database_and_a_server_that_is_down(postgres_server: object) -> None:
    server = postgres_server
    with pytest.raises(ArchiveError) as missing:
        open_store(server.url("no_such_archive"))  # type: ignore[attr-defined]
    assert str(missing.value) == (f"there is no database 'no_such_archive' on the PostgreSQL server at "
                                  f"127.0.0.1:{server.port}: make it first (createdb -h 127.0.0.1 "  # type: ignore[attr-defined]
                                  f"-p {server.port} no_such_archive)")  # type: ignore[attr-defined]
    from pg import _free_port

    port = _free_port()  # nobody listens there
    with pytest.raises(ArchiveError) as down:
        open_store(f"postgresql://editor:secret-word@127.0.0.1:{port}/letters")
    assert str(down.value) == (f"cannot reach the PostgreSQL server at 127.0.0.1:{port} (database 'letters'): "
                               "is the server running, and are host and port right?")
    result = CliRunner().invoke(main, ["stats", "--db", f"postgresql://editor:secret-word@127.0.0.1:{port}/letters"])
    assert result.exit_code == 1
    assert result.output == f"Error: {down.value}\n"
    assert "secret-word" not in result.output


def test_a_server_that_goes_away_gives_a_plain_error(postgres_server: object, postgres_url: str) -> None:
    store = open_store(postgres_url)
    store.write(Batch([IncomingLetter(FILE, stalin())]))
    database = database_of(postgres_url)
    with psycopg.connect(postgres_server.url(), autocommit=True) as con:  # type: ignore[attr-defined]
        con.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (database,))
    assert store.get("L1").title == "Message to H. Truman"  # the pool replaces the connection it lost
    store.close()
    from letterbook.store.pg_connection import Address, connection_error

    lost = connection_error(Address.parse(postgres_url), psycopg.OperationalError(
        "consuming input failed: server closed the connection unexpectedly"))
    assert str(lost) == (f"the connection to the PostgreSQL server at 127.0.0.1:{postgres_server.port} "  # type: ignore[attr-defined]
                         f"(database '{database}') was lost: the server may have restarted; try again")


def test_a_busy_archive_is_named_not_a_traceback(postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(postgres_module, "LOCK_TIMEOUT", 1)
    store = open_store(postgres_url)
    with psycopg.connect(postgres_url) as other:  # another letterbook writing
        other.execute("SELECT pg_advisory_xact_lock(%s)", (pg_migrations.WRITE_LOCK,))
        with pytest.raises(ArchiveError) as caught:
            store.write(Batch([IncomingLetter(FILE, stalin())]))
        other.rollback()
    assert str(caught.value) == (f"the archive {store.url} is busy: another program is writing to it; "
                                 "try again when it has finished")
    assert store.write(Batch([IncomingLetter(FILE, stalin())])).new == 1
    store.close()


def test_read_only_mode_is_read_only_on_the_server_too(postgres_url: str) -> None:
    writer = open_store(postgres_url)
    writer.write(Batch([IncomingLetter(FILE, stalin())], [FileRecord(FILE, "x")]))
    writer.close()
    reader = open_store(postgres_url, read_only=True)
    assert isinstance(reader, PostgresStore)
    with reader._session(write=False) as con, pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
        con.execute("DELETE FROM changes")
    assert reader.count() == 1
    assert reader.url == postgres_url.replace(":letterbook-test-password", "")
    reader.close()


def test_a_new_database_cannot_be_opened_read_only(postgres_url: str) -> None:
    with pytest.raises(ArchiveError, match="there is no archive in the database .* yet"):
        open_store(postgres_url, read_only=True)


def test_readers_on_many_threads_share_the_pool(postgres_url: str) -> None:
    store = open_store(postgres_url)
    batch = Batch()
    for part in range(20):
        letter = stalin()
        letter.source.part = part
        batch.letters.append(IncomingLetter(FILE, letter))
    store.write(batch)
    failures: list[BaseException] = []

    def read() -> None:
        try:
            for _ in range(20):
                assert len(store.get_many([f"L{n}" for n in range(1, 21)])) == 20
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    threads = [threading.Thread(target=read) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    store.close()


# -- text PostgreSQL cannot hold -----------------------------------------------------------------


def test_nul_surrogates_and_the_escape_mark_come_back_as_they_were(postgres_url: str) -> None:
    for text in ["plain", "a\x00b", "\ue000", "\ue0000000", "lone \ud800 half", "\udfff\x00\ue000x"]:
        assert unescape(escape(text)) == text
    store = open_store(postgres_url)
    letter = stalin()
    letter.title = "Title with \x00 NUL"
    letter.body = ["A lone \udc80 surrogate", "The mark \ue000 itself, \ue0000041 and all"]
    assert letter.sender is not None
    letter.sender.name = "J.\x00Stalin"
    result = store.write(Batch([IncomingLetter(FILE, letter)]))
    back = store.get(result.changed[0].id)
    assert (back.title, back.body, back.sender and back.sender.name) == (letter.title, letter.body, "J.\x00Stalin")
    assert store.get_many([result.changed[0].id])
    store.close()


# -- the search index on each machine ------------------------------------------------------------


def test_the_index_lives_on_this_machine_keyed_by_server_and_archive(postgres_url: str, tmp_path: Path) -> None:
    store = open_store(postgres_url)
    home = Path(store.index_home())
    assert home.parent == tmp_path / "indexes"  # LETTERBOOK_INDEX_DIR, set by the fixture
    port = postgres_url.rsplit(":", 1)[1].split("/")[0]
    assert home.name.startswith(f"127.0.0.1-{port}-{database_of(postgres_url)}-")
    assert "password" not in str(home)
    store.close()
    with psycopg.connect(postgres_url, autocommit=True) as con:  # the archive made again at the same address
        con.execute("DROP TABLE " + ", ".join(t for t, _c in schema_tables()) + ", schema_migrations CASCADE")
    again = open_store(postgres_url)
    assert again.index_home() != str(home)
    again.close()


def test_fts5_is_refused_for_a_server_archive(postgres_url: str) -> None:
    with pytest.raises(LetterbookError, match="the fts5 search index lives inside an SQLite archive"):
        Archive.open(postgres_url, index="fts5")


def test_a_reader_on_a_new_machine_builds_its_index(postgres_url: str, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    write_jsonl(tmp_path / "register.jsonl", 40)
    with Archive.open(postgres_url) as archive:
        archive.ingest([tmp_path / "register.jsonl"], enrich=False)
        expected = archive.search("gotthard").total
    monkeypatch.setenv("LETTERBOOK_INDEX_DIR", str(tmp_path / "another-machine"))
    with Archive.open(postgres_url, read_only=True) as reader:
        assert reader.stats()["indexed"] == 40
        assert reader.search("gotthard").total == expected
    result = CliRunner().invoke(main, ["reindex", "--db", postgres_url])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("indexed 40 letters in ")


# -- the same answers on both stores -------------------------------------------------------------

QUERIES = ["gotthard", '"railway tunnel"', "treaty OR loan", "defen*", "wheat -wool", 'from:"J. Stalin"',
           "to:Eden year:1900..1950", "place:London", "lang:en", "(convoy OR harbour) AND NOT bank", "",
           'from:"Harry S. Truman" treaty']


def test_the_same_letters_give_the_same_answers_on_both_stores(postgres_url: str, tmp_path: Path) -> None:
    register = tmp_path / "register.jsonl"
    write_jsonl(register, 150, seed=7)
    answers = {}
    for url in (str(tmp_path / "letters.db"), postgres_url):
        runner = CliRunner()
        result = runner.invoke(main, ["ingest", str(register), "--db", url, "--json"])
        assert result.exit_code == 0, result.output
        edited = runner.invoke(main, ["edit", "T000010", "sender", "Anthony Eden", "--db", url, "--editor", "A. H."])
        assert edited.exit_code == 0, edited.output
        shown = []
        for query in QUERIES:
            for sort in ("relevance", "date"):
                out = runner.invoke(main, ["search", query, "--json", "--sort", sort, "--per-page", "500", "--db", url])
                assert out.exit_code == 0, out.output
                shown.append(json.loads(out.output))
        letter = json.loads(runner.invoke(main, ["show", "T000010", "--json", "--db", url]).output)
        history = json.loads(runner.invoke(main, ["history", "T000010", "--json", "--db", url]).output)
        stats = json.loads(runner.invoke(main, ["stats", "--json", "--db", url]).output)
        for change in history:
            change["at"] = None
        letter["provenance"]["sender"]["at"] = None
        answers[url] = (shown, letter, history, {k: v for k, v in stats.items() if k not in ("earliest", "latest")})
    sqlite_answers, postgres_answers = answers.values()
    # Letters of equal score come in the order of the index's segments, which its writer threads
    # decide: compare them in the order of score, then id.
    for answer in (*sqlite_answers[0], *postgres_answers[0]):
        answer["results"].sort(key=lambda hit: (-hit["score"], hit["id"]))
    for index, (on_sqlite, on_postgres) in enumerate(zip(sqlite_answers[0], postgres_answers[0], strict=True)):
        assert on_postgres == on_sqlite, QUERIES[index // 2]
    assert postgres_answers == sqlite_answers
    everything = sqlite_answers[0][QUERIES.index("") * 2]
    assert everything["total"] == 150 and len(everything["results"]) == 150


# -- letterbook copy -------------------------------------------------------------------------------


def test_copy_sqlite_to_postgresql_and_back_loses_nothing(postgres_url: str, tmp_path: Path) -> None:
    register = tmp_path / "register.jsonl"
    write_jsonl(register, 80)
    source = tmp_path / "source.db"
    with Archive.open(source, index="fts5") as archive:
        archive.ingest([register])
        archive.edit("T000003", "title", "A corrected title", editor="A. Historian")
        lines = register.read_text(encoding="utf-8").splitlines(keepends=True)
        register.write_text("".join(lines[:5] + lines[6:]), encoding="utf-8")  # T000006 withdrawn
        archive.ingest([register])
        before = (archive.stats(), archive.get("T000003"), archive.history("T000003"),
                  archive.provenance("T000003"), archive.search("gotthard", per_page=100).to_json())
    seen: list[tuple[str, int, int]] = []
    report = copy_archive(source, postgres_url, progress=lambda table, done, total: seen.append((table, done, total)))
    assert (report.letters, report.withdrawn, report.indexed) == (80, 1, 79)
    assert ("letters", 80, 80) in seen and seen[-1] == ("search index", 79, 79)
    back = tmp_path / "back.db"
    result = CliRunner().invoke(main, ["copy", "--from", postgres_url, "--to", str(back)])
    assert result.exit_code == 0, result.output
    assert "copied 80 letters (1 withdrawn kept)" in result.output
    for url in (postgres_url, back):
        with Archive.open(url) as copy:
            stats, letter, history, provenance, found = (
                copy.stats(), copy.get("T000003"), copy.history("T000003"), copy.provenance("T000003"),
                copy.search("gotthard", per_page=100).to_json())
            assert copy.index_kind == "tantivy"
            with pytest.raises(LetterbookError, match="withdrawn"):
                copy.get("T000006")
            # the change sequence goes on where it was: a new edit gets the next number
            sequence = copy.store.sequence()
            copy.edit("T000001", "title", "After the copy", editor="B")
            assert copy.store.sequence() == sequence + 1
        assert {k: v for k, v in stats.items() if k not in ("search_index",)} == \
            {k: v for k, v in before[0].items() if k not in ("search_index",)}
        assert (letter, history, provenance) == before[1:4]
        # the source kept an fts5 index, the copies tantivy's: the same letters, ranked each its own way
        assert sorted(h["id"] for h in found["results"]) == sorted(h["id"] for h in before[4]["results"])
        assert found["total"] == before[4]["total"]


def test_copy_refuses_a_target_that_is_not_empty(postgres_url: str, tmp_path: Path) -> None:
    write_jsonl(tmp_path / "register.jsonl", 5)
    with Archive.open(postgres_url) as archive:
        archive.ingest([tmp_path / "register.jsonl"], enrich=False)
    source = tmp_path / "other.db"
    with Archive.open(source) as archive:
        archive.ingest([tmp_path / "register.jsonl"], enrich=False)
    result = CliRunner().invoke(main, ["copy", "--from", str(source), "--to", postgres_url])
    assert result.exit_code == 1
    shown = postgres_url.replace(":letterbook-test-password", "")
    assert result.output == (f"Error: {shown} is not empty (it holds 5 letters and 1 files): "
                             "copy into a new, empty archive\n")


def test_a_copy_whose_counts_differ_keeps_nothing(postgres_url: str, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    write_jsonl(tmp_path / "register.jsonl", 30)
    source = tmp_path / "source.db"
    with Archive.open(source) as archive:
        archive.ingest([tmp_path / "register.jsonl"], enrich=False)
    from letterbook.store import transfer

    real_insert = transfer._PostgresSide.insert

    def lossy(self: object, table: str, columns: list[str], chunk: list[tuple[object, ...]]) -> None:
        real_insert(self, table, columns, chunk[:-1] if table == "notes" or table == "letter_agents" else chunk)

    monkeypatch.setattr(transfer._PostgresSide, "insert", lossy)
    with pytest.raises(ArchiveError, match=r"^the copy is incomplete: letter_agents holds 60 rows in .* but 59 in"):
        copy_archive(source, postgres_url)
    store = open_store(postgres_url)
    assert store.count() == 0
    store.close()


# -- readers searching while a writer ingests ---------------------------------------------------


def _corpus(n: int, tmp_path: Path) -> Path:
    """Give n letters from ../shared/bench/make_corpus.py when it is there, else from corpus.py."""
    maker = SHARED_BENCH / "make_corpus.py"
    if not maker.exists():
        write_jsonl(tmp_path / "corpus.jsonl", n)
        return tmp_path / "corpus.jsonl"
    cached = Path(tempfile.gettempdir()) / f"corpus-{n}.jsonl"  # the benchmarks' cache too
    if cached.exists() and sum(1 for _ in cached.open("rb")) == n:
        return cached
    partial = tmp_path / "corpus.partial"
    subprocess.run([sys.executable, str(maker), "--n", str(n), "--seed", "1", "--out", str(partial)], check=True,
                   capture_output=True)
    shutil.copyfile(partial, cached.with_suffix(".partial"))
    os.replace(cached.with_suffix(".partial"), cached)
    return cached


def test_sixteen_readers_search_while_a_writer_ingests(postgres_url: str, tmp_path: Path) -> None:
    letters = int(os.environ.get("LETTERBOOK_CONCURRENCY_LETTERS", "5000"))
    corpus = _corpus(letters, tmp_path)
    ids = [json.loads(line)["id"] for line in corpus.open(encoding="utf-8")]
    base = write_jsonl(tmp_path / "base.jsonl", 500)  # what the readers find while the writer adds more
    with Archive.open(postgres_url) as archive:
        archive.ingest([tmp_path / "base.jsonl"], enrich=False)
    writer = subprocess.Popen(
        [sys.executable, "-m", "letterbook.cli", "ingest", str(corpus), "--db", postgres_url, "--quiet",
         "--workers", "1", "--no-enrich"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    reader = Archive.open(postgres_url, read_only=True)
    queries = ["letter", "gotthard", "minister", '"railway tunnel"', "treaty OR loan", "year:1800..1900", "lang:en",
               'from:"J. Stalin"', "defen*", "wheat -wool"]
    latencies: list[float] = []
    failures: list[BaseException] = []
    shown: list[int] = []
    lock = threading.Lock()

    def read(number: int) -> None:
        done = 0
        while writer.poll() is None or done < 5:
            query = queries[(number + done) % len(queries)]
            started = time.perf_counter()
            try:
                result = reader.search(query, per_page=20)
                reader.store.count()
            except BaseException as exc:  # noqa: BLE001 - every failure is reported below
                with lock:
                    failures.append(exc)
                return
            with lock:
                latencies.append(time.perf_counter() - started)
                shown.append(len(result.hits))
            done += 1

    threads = [threading.Thread(target=read, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    out, err = writer.communicate()
    reader.close()
    assert writer.returncode == 0, err
    assert failures == []
    store = open_store(postgres_url, read_only=True)
    counted = rows(store, "SELECT count(*), count(DISTINCT id) FROM letters")
    changes = rows(store, "SELECT count(*) FROM changes WHERE kind = 'new'")
    stored_ids = sorted(row[0] for row in rows(store, "SELECT id FROM letters"))
    store.close()
    everything = len(base) + letters
    assert counted == [(everything, everything)]  # no letter lost or doubled
    assert changes == [(everything,)]
    assert stored_ids == sorted(ids + [str(record["id"]) for record in base])
    assert sum(shown) > 0  # the readers found letters, and fetched them from the store, all along
    with Archive.open(postgres_url, read_only=True) as after:
        assert after.search("").total == everything == after.index.count()
    p50 = statistics.median(latencies) * 1000
    p99 = statistics.quantiles(latencies, n=100)[98] * 1000 if len(latencies) > 1 else p50
    print(f"\n16 readers while an ingest added {letters:,} letters to {len(base):,}: {len(latencies):,} searches "
          f"showing {sum(shown):,} letters, p50 {p50:.1f} ms, p99 {p99:.1f} ms")
    assert len(latencies) >= 16 * 5


def test_sqlite_and_postgresql_urls_are_told_apart() -> None:
    from letterbook.store import resolve_url

    assert resolve_url("postgresql://a@b/c") == ("postgresql", "postgresql://a@b/c")
    assert resolve_url("postgres://a@b/c") == ("postgresql", "postgres://a@b/c")
    assert resolve_url("x.db") == ("sqlite", "x.db")
    assert sqlite3.sqlite_version  # the embedded store needs nothing else


def test_a_reader_left_open_follows_changes_made_elsewhere(postgres_url: str, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from letterbook import archive as archive_module

    monkeypatch.setattr(archive_module, "FOLLOW_EVERY", 0.0)
    write_jsonl(tmp_path / "first.jsonl", 10)
    write_jsonl(tmp_path / "second.jsonl", 10, seed=2, start=11)
    with Archive.open(postgres_url) as editors:
        editors.ingest([tmp_path / "first.jsonl"], enrich=False)
    monkeypatch.setenv("LETTERBOOK_INDEX_DIR", str(tmp_path / "web-server"))
    with Archive.open(postgres_url, read_only=True) as site:  # a web server, on another machine
        assert site.search("").total == 10
        monkeypatch.setenv("LETTERBOOK_INDEX_DIR", str(tmp_path / "editors"))
        with Archive.open(postgres_url) as editors:  # meanwhile, on the editors' machine
            editors.ingest([tmp_path / "second.jsonl"], enrich=False)
            editors.edit("T000001", "title", "A title no letter had", editor="A. H.")
        assert site.search("").total == 20
        assert [hit.letter.id for hit in site.search('"no letter had"').hits] == ["T000001"]

"""Numbered, transactional schema migrations of the PostgreSQL store.

Each ``NNNN_name.sql`` file here makes in PostgreSQL what the SQLite migration of the same number
(one folder up) makes in SQLite, so both stores are at the same version with the same tables and
columns (tests/test_postgres.py compares them). A migration runs in one transaction with its row in
``schema_migrations`` (PostgreSQL's DDL is transactional): a database is always at exactly one
version. The version is the highest number in ``schema_migrations``. Two letterbooks opening a new
archive at once do not both migrate it: the migration holds the archive's write lock.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ....errors import LetterbookError
from .. import Migration, discover
from .. import latest as sqlite_latest

_BOOKKEEPING = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    BIGINT PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
)
"""

#: The key of the advisory lock that writers and migrations hold (any number, the same everywhere).
WRITE_LOCK = 0x6C657474  # "lett"


def migrations() -> list[Migration]:
    """Give every PostgreSQL migration, in the order of their numbers."""
    found = discover(__name__, "PostgreSQL migration")
    if len(found) != sqlite_latest():  # the two stores must never be at different versions
        raise RuntimeError(f"the PostgreSQL store has {len(found)} migrations and the SQLite store "
                           f"{sqlite_latest()}: write the missing one in store/migrations/postgres/")
    return found


def latest() -> int:
    """Give the version the newest migration brings a database to."""
    return len(migrations())


def version_of(con: Any) -> int:
    """Give the schema version a database is at (0 when it has no ``schema_migrations``)."""
    row = con.execute("SELECT to_regclass('schema_migrations') IS NOT NULL").fetchone()
    if not row[0]:
        return 0
    return int(con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()[0])


def migrate(con: Any, *, target: int | None = None) -> list[int]:
    """Give the versions applied in bringing the database up to ``target`` (default: the newest).

    ``con`` is a psycopg connection in autocommit mode; each migration is its own transaction.
    """
    wanted = latest() if target is None else target
    applied: list[int] = []
    for migration in migrations():
        if migration.version > wanted:
            break
        with con.transaction():
            con.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
            current = version_of(con)  # read under the lock: another letterbook may have just migrated
            if current > len(migrations()):
                raise LetterbookError(
                    f"this archive was made by a newer letterbook (schema version {current}; this one knows "
                    f"versions up to {len(migrations())}); update letterbook to open it")
            if migration.version <= current:
                continue
            try:
                with con.transaction():  # a savepoint, so the failure is reported with the version before
                    con.execute(_BOOKKEEPING)
                    con.execute(migration.sql)
                    con.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (%s, %s, %s)",
                                (migration.version, migration.name, datetime.now(UTC).isoformat(timespec="seconds")))
            except LetterbookError:
                raise
            except Exception as exc:
                raise LetterbookError(
                    f"could not bring the archive to schema version {migration.version} "
                    f"({migration.name}): {str(exc).strip()}; it is left at version {current}") from exc
        applied.append(migration.version)
    return applied

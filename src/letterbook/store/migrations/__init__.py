"""Numbered, transactional schema migrations of the SQLite store.

Each ``NNNN_name.sql`` file beside this module is one migration. A migration runs in one
transaction together with the new version number (``PRAGMA user_version``) and its row in
``schema_migrations``, so a database is always at exactly one version: a migration that fails
leaves it at the version before.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources

from ...errors import LetterbookError

_NAME = re.compile(r"^(\d{4})_(\w+)\.sql$")

_BOOKKEEPING = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class Migration:
    """One numbered migration: its version, name and SQL."""

    version: int
    name: str
    sql: str


def discover(package: str, label: str = "migration") -> list[Migration]:
    """Give the ``NNNN_name.sql`` migrations in a package's folder, in the order of their numbers;
    refuse a gap in the numbers (a lost file) rather than skip it."""
    found = []
    for entry in resources.files(package).iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), match.group(2), entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    for expected, migration in enumerate(found, 1):
        if migration.version != expected:
            raise RuntimeError(f"{label} {expected:04d} is missing (found {migration.version:04d})")
    return found


def migrations() -> list[Migration]:
    """Give every migration, in the order of their numbers."""
    return discover(__name__)


def latest() -> int:
    """Give the version the newest migration brings a database to."""
    return len(migrations())


def version_of(con: sqlite3.Connection) -> int:
    """Give the schema version a database is at (0 for a new, empty one)."""
    version: int = con.execute("PRAGMA user_version").fetchone()[0]
    return version


def migrate(con: sqlite3.Connection, *, target: int | None = None) -> list[int]:
    """Give the versions applied in bringing the database up to ``target`` (default: the newest).

    ``con`` must be in autocommit mode (``isolation_level=None``): each migration opens and
    commits its own transaction.
    """
    wanted = latest() if target is None else target
    current = version_of(con)
    if current > latest():
        raise LetterbookError(
            f"this archive was made by a newer letterbook (schema version {current}; this one knows "
            f"versions up to {latest()}); update letterbook to open it")
    applied = []
    for migration in migrations():
        if migration.version <= current or migration.version > wanted:
            continue
        now = datetime.now(UTC).isoformat(timespec="seconds")
        script = (
            "BEGIN IMMEDIATE;\n" + _BOOKKEEPING + migration.sql +
            f"\nINSERT INTO schema_migrations (version, name, applied_at) VALUES "
            f"({migration.version}, '{migration.name}', '{now}');\n"
            f"PRAGMA user_version = {migration.version};\nCOMMIT;"
        )
        try:
            con.executescript(script)
        except sqlite3.Error as exc:
            if con.in_transaction:
                con.execute("ROLLBACK")
            raise LetterbookError(
                f"could not bring the archive to schema version {migration.version} "
                f"({migration.name}): {exc}; it is left at version {version_of(con)}") from exc
        applied.append(migration.version)
    return applied

"""Connections to a PostgreSQL archive: the address, the pool, plain errors, and text that
PostgreSQL cannot hold.

The store (``postgres.py``) is written in the SQL that SQLite and PostgreSQL share, with ``?`` for
parameters as in ``sqlite.py`` (so the batch writer of ``writer.py`` serves both); ``Connection``
turns ``?`` into psycopg's ``%s``. Values only ever travel as parameters, never in the SQL text.

PostgreSQL's text cannot hold the character NUL nor a lone surrogate (half of a UTF-16 pair, which
Python strings can carry from a broken source), and SQLite's can: such characters are written as
U+E000 and four hex digits (U+E000 itself too, so the encoding is reversible) and read back as they
were, so a letter comes back from either store the same.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from ..errors import ArchiveError

#: Seconds to wait for the server to answer a new connection.
CONNECT_TIMEOUT = 10
#: Seconds a statement may run before the server stops it (a copy lifts it for its own session).
STATEMENT_TIMEOUT = 300
#: Seconds a writer waits for the archive's write lock (held by another ingest or correction).
LOCK_TIMEOUT = 60
#: Connections the pool keeps open at most (threads of a web server each take one while they read).
POOL_SIZE = int(os.environ.get("LETTERBOOK_PG_POOL_SIZE", "20"))

_MARK = "\ue000"
_NEEDS_ESCAPE = re.compile("[\x00\ue000\ud800-\udfff]")
_ESCAPED = re.compile("\ue000([0-9a-f]{4})")


def escape(text: str) -> str:
    """Give text PostgreSQL can hold: NUL, lone surrogates and U+E000 as U+E000 + 4 hex digits."""
    return _NEEDS_ESCAPE.sub(lambda m: f"{_MARK}{ord(m.group()):04x}", text)


def unescape(text: str) -> str:
    """Give the text ``escape`` was given."""
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)


def _needs_escape(value: str) -> bool:
    # NUL and U+E000 are found by a plain search; only text outside ASCII can hold a surrogate.
    return "\x00" in value or _MARK in value or (not value.isascii() and _NEEDS_ESCAPE.search(value) is not None)


def _escaped(value: Any) -> Any:
    if type(value) is str:
        return escape(value) if _needs_escape(value) else value
    if type(value) is list:
        return [_escaped(v) for v in value]
    return value


def escape_row(row: Sequence[Any]) -> Sequence[Any]:
    """Give a row of parameters with every text escaped that needs it (the row itself when none
    does); a list (an array parameter) has its texts escaped too."""
    for value in row:
        if (type(value) is str and _needs_escape(value)) or type(value) is list:
            return tuple(_escaped(v) for v in row)
    return row


def escape_row_back(values: Sequence[Any]) -> tuple[Any, ...]:
    """Give a row read back as a tuple, with its text as it was before ``escape_row``."""
    for value in values:
        if type(value) is str and _MARK in value:
            return tuple(unescape(v) if type(v) is str else v for v in values)
    return tuple(values)


def _unescaping_rows(cursor: Any) -> Any:
    """A psycopg row factory: rows as tuples, text read back as it was written."""

    return escape_row_back


@dataclass(frozen=True)
class Address:
    """Where an archive is: a database on a server, as people are shown it (never the password)."""

    url: str
    host: str
    port: str
    database: str
    user: str

    @property
    def shown(self) -> str:
        """Give the URL without its password: what messages and ``Store.url`` show."""
        return f"postgresql://{quote(self.user, safe='')}@{self.server}/{quote(self.database, safe='')}"

    @property
    def server(self) -> str:
        """Give ``host:port`` (a socket folder for a local server reached by its socket)."""
        return f"{self.host}:{self.port}"

    @classmethod
    def parse(cls, url: str) -> Address:
        """Give the address of a ``postgresql://`` URL; refuse one that cannot be read."""
        from psycopg.conninfo import conninfo_to_dict

        try:
            parts = conninfo_to_dict(url)
        except Exception as exc:  # psycopg's ProgrammingError: a URL libpq cannot read
            raise ArchiveError(f"cannot read the PostgreSQL address: {_without_password(str(exc), url)}") from None
        user = str(parts.get("user") or os.environ.get("PGUSER") or _login())
        host = str(parts.get("host") or os.environ.get("PGHOST") or "localhost")
        port = str(parts.get("port") or os.environ.get("PGPORT") or "5432")
        database = str(parts.get("dbname") or os.environ.get("PGDATABASE") or user)
        return cls(url, host, port, database, user)


def _login() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "postgres"


def _without_password(text: str, url: str) -> str:
    """Give a message with the URL's password, if it holds one, blanked out."""
    try:
        from psycopg.conninfo import conninfo_to_dict

        password = conninfo_to_dict(url).get("password")
    except Exception:
        match = re.match(r"^[a-z]+://[^:/@]*:([^@]*)@", url)
        password = match.group(1) if match else None
    return text.replace(str(password), "***") if password else text


def connection_error(address: Address, exc: BaseException) -> ArchiveError:
    """Give why a connection to the archive failed, in words a historian can act on."""
    text = _without_password(str(exc).strip(), address.url)
    lowered = text.lower()
    where = f"the PostgreSQL server at {address.server}"
    if "password authentication failed" in lowered or "no password supplied" in lowered \
            or "pg_hba.conf" in lowered or ("role" in lowered and "does not exist" in lowered):
        return ArchiveError(f"{where} refused the user {address.user!r} for the database {address.database!r}: "
                            "the user name or password is wrong, or the user may not connect "
                            "(check the URL given with --db)")
    if "database" in lowered and "does not exist" in lowered:
        return ArchiveError(f"there is no database {address.database!r} on {where}: make it first "
                            f"(createdb -h {address.host} -p {address.port} {address.database})")
    if any(sign in lowered for sign in ("terminating connection", "server closed the connection",
                                        "connection is lost", "consuming input failed")):
        return ArchiveError(f"the connection to {where} (database {address.database!r}) was lost: the server "
                            "may have restarted; try again")
    if any(sign in lowered for sign in ("connection refused", "could not connect", "timeout expired",
                                        "could not translate host name", "no route to host", "couldn't get a "
                                        "connection", "network is unreachable", "name or service not known",
                                        "connection timed out")):
        return ArchiveError(f"cannot reach {where} (database {address.database!r}): is the server running, "
                            "and are host and port right?")
    return ArchiveError(f"cannot use the archive {address.shown}: {text}")


class Connection:
    """A psycopg connection that takes SQLite's ``?`` placeholders and counts the rows it writes."""

    def __init__(self, con: Any) -> None:
        self.raw = con
        self.written = 0
        self._sql: dict[str, str] = {}

    def _translate(self, sql: str) -> str:
        translated = self._sql.get(sql)
        if translated is None:
            translated = self._sql[sql] = sql.replace("%", "%%").replace("?", "%s")
        return translated

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Give the cursor after running one statement; ``?`` marks each parameter."""
        cursor = self.raw.cursor(row_factory=_unescaping_rows)
        cursor.execute(self._translate(sql), escape_row(params) if params else None)
        if cursor.rowcount > 0 and sql.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE"):
            self.written += cursor.rowcount
        return cursor

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Run one statement for each row of parameters."""
        rows = [escape_row(row) for row in rows]
        if not rows:
            return
        with self.raw.cursor() as cursor:
            cursor.executemany(self._translate(sql), rows)
            if sql.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE"):
                self.written += max(cursor.rowcount, 0) if cursor.rowcount > 0 else len(rows)

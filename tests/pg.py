"""A throwaway PostgreSQL 15 server for the tests and benchmarks: initdb into a temporary folder,
started on a free port of 127.0.0.1 (its unix socket in the same folder), stopped and removed
afterwards.

PostgreSQL refuses to run as root, so as root the server runs as the ``postgres`` user (or a
``letterbook`` user, made with ``useradd`` when neither exists). fsync is off: a test server needs
no durability, and it makes creating databases and committing several times faster.

    with PostgresServer.start() as server:
        url = server.create_database("letters")   # postgresql://letterbook:...@127.0.0.1:PORT/letters
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

#: Where Debian's postgresql-15 package puts the server's programs.
#: CI sets these: a PostgreSQL that cannot start then fails the tests that need it instead of skipping them.
REQUIRE_POSTGRES = any(os.environ.get(name, "") not in ("", "0")
                       for name in ("LETTERBOOK_REQUIRE_SHARED", "LETTERBOOK_REQUIRE_POSTGRES"))
#: The stores the store, archive and ingest suites run against, with the same expected results.
STORES = ("sqlite", "postgresql")
BIN = Path(os.environ.get("LETTERBOOK_PG_BIN", "/usr/lib/postgresql/15/bin"))
USER = "letterbook"
PASSWORD = "letterbook-test-password"
_RUN_AS_CANDIDATES = ("postgres", "letterbook")


class PostgresUnavailable(RuntimeError):
    """PostgreSQL 15 is not installed (or could not be started): says what is missing."""


def available() -> str | None:
    """Give why a test server cannot be started here, or None when it can."""
    for program in ("initdb", "pg_ctl"):
        if not (BIN / program).exists():
            return (f"PostgreSQL 15 is not installed ({BIN / program} is missing; "
                    f"`make system-packages` installs postgresql-15)")
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _server_user() -> str | None:
    """Give the user to run the server as when we are root (None: run as ourselves)."""
    if os.geteuid() != 0:
        return None
    for name in _RUN_AS_CANDIDATES:
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "letterbook"],
                   check=True, capture_output=True)
    return "letterbook"


class PostgresServer:
    """One running test server; ``url(db)`` names a database on it."""

    def __init__(self, folder: Path, port: int, run_as: str | None, durable: bool = False) -> None:
        self.folder = folder
        self.port = port
        self.run_as = run_as
        self.durable = durable
        self.data = folder / "data"
        self._databases = 0

    # -- starting and stopping ------------------------------------------------------------------

    @classmethod
    def start(cls, *, durable: bool = False) -> PostgresServer:
        """Give a new server, initialised and running; raise ``PostgresUnavailable`` when it cannot.

        ``durable``: fsync and synchronous commits on, as a real server runs (for benchmarks)."""
        missing = available()
        if missing:
            raise PostgresUnavailable(missing)
        run_as = _server_user()
        folder = Path(tempfile.mkdtemp(prefix="letterbook-pg-"))
        if run_as is not None:
            shutil.chown(folder, run_as)
        password_file = folder / "password"
        password_file.write_text(PASSWORD + "\n")
        if run_as is not None:
            shutil.chown(password_file, run_as)
        server = cls(folder, _free_port(), run_as, durable)
        try:
            server._run([str(BIN / "initdb"), "-D", str(server.data), "-U", USER, f"--pwfile={password_file}",
                         "--auth-local=trust", "--auth-host=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8",
                         "--no-sync"])
            for attempt in range(5):
                try:
                    server._pg_ctl_start()
                    break
                except PostgresUnavailable:
                    if attempt == 4:
                        raise
                    server.port = _free_port()  # taken between the probe and the start: try another
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        return server

    def _run(self, command: list[str]) -> subprocess.CompletedProcess[str]:
        if self.run_as is not None:
            command = ["runuser", "-u", self.run_as, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, cwd=self.folder)
        if done.returncode != 0:
            raise PostgresUnavailable(f"{' '.join(command)} failed: {done.stderr.strip() or done.stdout.strip()}")
        return done

    def _pg_ctl_start(self) -> None:
        options = (f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.folder} "
                   "-c max_connections=120 -c shared_buffers=256MB")
        if not self.durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run([str(BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "server.log"), "-w",
                   "-t", "60", "-o", options, "start"])

    def stop(self) -> None:
        """Stop the server and remove its folder."""
        try:
            self._run([str(BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"])
        except PostgresUnavailable:
            pass  # already stopped
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> PostgresServer:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()

    # -- databases ------------------------------------------------------------------------------

    def url(self, database: str = "postgres", *, password: str | None = PASSWORD, user: str = USER) -> str:
        """Give the URL of a database on this server, over TCP on 127.0.0.1."""
        secret = f":{password}" if password is not None else ""
        return f"postgresql://{user}{secret}@127.0.0.1:{self.port}/{database}"

    def admin(self, sql: str) -> None:
        """Run one statement as the superuser, outside a transaction (CREATE DATABASE)."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as con:
            con.execute(sql)

    def create_database(self, name: str | None = None) -> str:
        """Give the URL of a new, empty database (named ``name``, or ``test_N``)."""
        if name is None:
            self._databases += 1
            name = f"test_{os.getpid()}_{self._databases}_{int(time.time() * 1000) % 100000}"
        self.admin(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING \'UTF8\'')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        """Remove a database, closing any connection still on it."""
        self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

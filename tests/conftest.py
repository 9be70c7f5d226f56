"""Fixtures shared by the whole suite.

Tests that read the gold sets and corpora in ``../shared`` ask for them through ``shared_path``:
when ``../shared`` is absent they are skipped with the reason, except where
``LETTERBOOK_REQUIRE_SHARED=1`` (CI sets it), where they fail instead, so that a green CI run
always means the gold-set tests ran.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
SHARED = ROOT.parent / "shared"
REQUIRE_SHARED = os.environ.get("LETTERBOOK_REQUIRE_SHARED", "") not in ("", "0")
_SHARED_SKIP_MARK = "../shared"


def _missing_shared(path: Path) -> None:
    reason = f"needs {path} from {_SHARED_SKIP_MARK} (gold sets and corpora), which is absent"
    if REQUIRE_SHARED:
        pytest.fail(f"{reason}; LETTERBOOK_REQUIRE_SHARED=1 forbids skipping it", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def shared_path() -> Callable[..., Path]:
    """Give a function that resolves a path under ../shared, skipping (or failing) when absent."""

    def resolve(*parts: str) -> Path:
        path = SHARED.joinpath(*parts)
        if not path.exists():
            _missing_shared(path)
        return path

    return resolve


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "shared: needs ../shared (gold sets and corpora)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # A test that asks for ../shared is marked, so `pytest -m "not shared"` runs without it.
    for item in items:
        if "shared_path" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.shared)


_shared_skips: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    # Catches skips of ../shared tests made without the fixture (skipif on the folder, importorskip).
    if REQUIRE_SHARED and report.skipped and "shared" in str(report.longrepr):
        _shared_skips.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _shared_skips:
        print(f"\nLETTERBOOK_REQUIRE_SHARED=1, but {len(_shared_skips)} test(s) needing ../shared "
              f"were skipped: {', '.join(_shared_skips[:5])}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


# ------------------------------------------------------------------------------------- PostgreSQL
#
# The PostgreSQL suite runs against a real PostgreSQL 15 that the session starts (tests/pg.py:
# initdb into a temporary folder, a free port of 127.0.0.1, stopped at the end). Where it cannot
# start (postgresql-15 or psycopg missing) its tests are skipped with the reason, except where
# LETTERBOOK_REQUIRE_POSTGRES=1 or LETTERBOOK_REQUIRE_SHARED=1 (CI sets them): there they fail.

from pg import REQUIRE_POSTGRES, STORES  # noqa: E402 - tests import them from pg, not from conftest


def _no_postgres(reason: str) -> None:
    if REQUIRE_POSTGRES:
        pytest.fail(f"{reason}; LETTERBOOK_REQUIRE_POSTGRES=1 forbids skipping the PostgreSQL tests", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[object]:
    """Give a PostgreSQL 15 server running for the whole session (tests/pg.py)."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _no_postgres("psycopg is not installed (pip install -e '.[dev]' installs it)")
    from pg import PostgresServer, PostgresUnavailable

    try:
        server = PostgresServer.start()
    except PostgresUnavailable as exc:
        _no_postgres(str(exc))
    yield server
    server.stop()


@pytest.fixture
def postgres_url(postgres_server: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Give the URL of a new, empty database; search indexes of its archives go under tmp_path."""
    monkeypatch.setenv("LETTERBOOK_INDEX_DIR", str(tmp_path / "indexes"))
    return postgres_server.create_database()  # type: ignore[attr-defined, no-any-return]


@pytest.fixture(params=STORES)
def archive_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Give where a new archive goes, once for each store: an SQLite file, a PostgreSQL database."""
    if request.param == "postgresql":
        return str(request.getfixturevalue("postgres_url"))
    return str(tmp_path / "letters.db")

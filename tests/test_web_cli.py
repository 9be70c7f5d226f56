"""`letterbook serve`: opens the archive read-only and hands the reading room to uvicorn."""

from __future__ import annotations

import asyncio
import importlib
import os
import socket
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
import uvicorn.supervisors
from click.testing import CliRunner
from web_support import EXAMPLES, Client

from letterbook import Archive
from letterbook.cli import main
from letterbook.cli_web import default_workers


def test_serve_refuses_an_archive_that_is_not_there(tmp_path: Path) -> None:
    missing = tmp_path / "nothing.db"
    result = CliRunner().invoke(main, ["serve", "--db", str(missing)])
    assert result.exit_code == 1
    assert result.output == (f"Error: there is no archive at {missing}: make one with "
                             "`letterbook ingest PATH...`\n")
    assert not missing.exists()


def test_serve_hands_the_app_to_uvicorn(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "letters.db"
    with Archive.open(db) as archive:
        archive.ingest(EXAMPLES / "000_3d2466e82666b884.txt", workers=1)
    served: dict[str, Any] = {}

    def run(app: Any, **options: Any) -> None:
        served.update(options)
        served["page"] = Client(app).get("/index.json").json()

    monkeypatch.setattr(uvicorn, "run", run)
    result = CliRunner().invoke(main, ["serve", "--db", str(db), "--host", "127.0.0.2", "--port", "8123",
                                       "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert served["host"] == "127.0.0.2" and served["port"] == 8123
    assert served["page"]["stats"]["letters"] == 1
    assert f"serving {db} (1 letter) at http://127.0.0.2:8123/ (Ctrl-C to stop)" in result.output


def test_serve_with_workers_starts_processes_that_each_open_the_archive(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "letters.db"
    with Archive.open(db) as archive:
        archive.ingest(EXAMPLES / "000_3d2466e82666b884.txt", workers=1)
    served: dict[str, Any] = {}

    class Supervisor:
        def __init__(self, config: uvicorn.Config, sockets: list[socket.socket]) -> None:
            served.update(config=config, sockets=sockets)

        def run(self) -> None:
            # What each worker process does: import the factory, make the app, open the archive.
            module, name = served["config"].app.split(":")
            made = getattr(importlib.import_module(module), name)()

            async def page() -> Any:
                async with made.router.lifespan_context(made):
                    transport = httpx.ASGITransport(app=made)
                    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
                        return (await client.get("/index.json")).json()

            with ThreadPoolExecutor(max_workers=1) as pool:  # away from the browser suite's event loop
                served["page"] = pool.submit(asyncio.run, page()).result()

    monkeypatch.setattr(uvicorn.supervisors, "Multiprocess", Supervisor)
    monkeypatch.delenv("LETTERBOOK_DB", raising=False)
    result = CliRunner().invoke(main, ["serve", "--db", str(db), "--port", "0", "--workers", "3"])
    try:
        assert result.exit_code == 0, result.output
        config, (listening,) = served["config"], served["sockets"]
        assert config.workers == 3 and config.factory and config.app == "letterbook.web.app:app_from_environ"
        # Without IPPROTO_TCP, asyncio leaves Nagle's algorithm on: 40 ms more for every answer.
        assert listening.proto == socket.IPPROTO_TCP
        assert served["page"]["stats"]["letters"] == 1
        assert f"serving {db} (1 letter) at http://127.0.0.1:0/ (3 worker processes; Ctrl-C to stop)" in result.output
    finally:
        for opened in served.get("sockets", []):
            opened.close()


def test_serve_starts_a_worker_for_each_core_unless_told(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2}, raising=False)
    assert default_workers() == 3
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(64)), raising=False)
    assert default_workers() == 8

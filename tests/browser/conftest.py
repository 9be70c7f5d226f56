"""The real-browser suite: Debian's Chromium, driven by Playwright, against `letterbook serve`
running as a real server on a free loopback port.

Chromium comes from Debian (`make test` installs the `chromium` package through SYSTEM_PACKAGES);
Playwright's own browser downloads are never used. When Chromium or Playwright is missing the
tests FAIL, saying what to install: a browser suite that skips quietly would let a broken reading
room pass. Screenshots go to test-artifacts/browser/ (kept out of git).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

ROOT = Path(__file__).parents[2]
sys.path.insert(0, str(ROOT / "tests"))  # web_support, shared with the in-process web tests

from web_support import web_archive_path_fixture  # noqa: E402, F401 - the archive, shared with the web tests

CHROMIUM = os.environ.get("LETTERBOOK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
ARTIFACTS = ROOT / "test-artifacts" / "browser"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in item.nodeid:
            item.add_marker(pytest.mark.browser)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def server(web_archive_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Give the base URL of `letterbook serve` running on the archive, as a user starts it."""
    port = _free_port()
    log = tmp_path_factory.mktemp("server") / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "letterbook.cli", "serve", "--db", str(web_archive_path),
                                    "--host", "127.0.0.1", "--port", str(port)], stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(base + "/index.json", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"letterbook serve did not start: {log.read_text(errors='replace')}", pytrace=False)
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Give Debian's Chromium, launched by Playwright; fail saying what is missing.

    Module scope: Playwright's synchronous API keeps an event loop running in the main thread
    while it is open, and tests after the browser's (``asyncio.run`` in the in-process web tests)
    need it closed."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"the browser tests need Debian's Chromium at {CHROMIUM}: apt-get install chromium "
                    "(make test installs it), or set LETTERBOOK_CHROMIUM", pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the browser tests need Playwright's Python package: pip install -e '.[dev]'", pytrace=False)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: Any, server: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    """Give a new page on the server; JavaScript errors and dialogs fail the test; a screenshot of
    the last state is saved under test-artifacts/browser/ whatever the outcome."""
    context = browser.new_context(base_url=server, viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    dialogs: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))

    def dismiss(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    tab.on("dialog", dismiss)
    tab.set_default_timeout(15_000)
    try:
        yield tab
    finally:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        try:
            tab.screenshot(path=str(ARTIFACTS / f"{request.node.name}-last.png"), full_page=True)
        finally:
            context.close()
    assert not errors, f"JavaScript errors: {errors}"
    assert not dialogs, f"a letter's text ran as script (dialogs: {dialogs})"


@pytest.fixture
def screenshot() -> Any:
    """Give a function that saves a screenshot of the whole page under test-artifacts/browser/."""

    def save(tab: Any, name: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    return save

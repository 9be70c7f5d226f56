"""What the web tests share: an archive of the sample letters with a hostile letter and a small
printed edition among them, and a client that calls the ASGI app in-process (no server, no port)."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx
import pytest

from letterbook import Archive
from letterbook.model import Agent, Collection, Letter, Link, Note, Place, Source, When
from letterbook.web import create_app

ROOT = Path(__file__).parents[1]
EXAMPLES = ROOT / "examples" / "letters"

#: Text that would run if any page put it in the HTML unescaped.
SCRIPT = '<script>alert("letterbook")</script>'
IMG = '"><img src=x onerror=alert(1)>'
END_SCRIPT = "</script><script>alert(2)</script>"
HOSTILE_WORD = "xylophonist"  # a word only the hostile letter holds, to find it by search
EDITION = "Letters of the Test Edition"


def hostile_letter() -> Letter:
    """Give a letter whose every part carries markup that must be shown as text."""
    return Letter(
        source=Source(path="hostile.jsonl", format="jsonl"),
        title=f"Letter {SCRIPT} {IMG}",
        sender=Agent(name=f"Mallory {SCRIPT}", ref="javascript:alert(3)"),
        recipients=[Agent(name=f"Bob {IMG}")],
        date=When(when="1930-05-01", as_written=f"1 May 1930 {SCRIPT}"),
        place=Place(name=f"Evil {IMG}"),
        collection=Collection(title=EDITION, volume="1", number="3"),
        salutation=f"Dear {SCRIPT}",
        body=[f"The {HOSTILE_WORD} wrote {SCRIPT} and {IMG}.", f"Then {END_SCRIPT} <!-- and more."],
        signature=f"M. {IMG}",
        postscript=f"P.S. {SCRIPT}",
        notes=[Note(text=f"A note {SCRIPT}", label="1")],
        links=[Link(rel="archive", target="javascript:alert(4)", label=f"Archive {IMG}")],
        mentions_persons=[Agent(name=f"Trudy {SCRIPT}")],
        language="en",
    )


def edition_letters() -> list[Letter]:
    """Give the letters of a small edition in two volumes, numbered out of date order."""
    letters = []
    for volume, number, day in (("2", "10", "03"), ("2", "9", "04"), ("10", "1", "01"), ("2", "100", "02")):
        letters.append(Letter(
            source=Source(path="edition.jsonl", part=len(letters), format="jsonl"),
            title=f"Letter {volume}/{number}",
            sender=Agent(name="Ada Example"), recipients=[Agent(name="Ben Example")],
            date=When(when=f"1931-02-{day}", as_written=f"{int(day)} February 1931"),
            collection=Collection(title=EDITION, volume=volume, number=number),
            body=[f"Letter number {number} of volume {volume}."],
            language="en",
        ))
    return letters


def write_jsonl(path: Path, letters: list[Letter]) -> Path:
    path.write_text("".join(json.dumps(letter.to_json(), ensure_ascii=False) + "\n" for letter in letters),
                    encoding="utf-8")
    return path


class PageStructure(HTMLParser):
    """Collects what the accessibility checks look at: landmarks, headings, script elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.headings: list[int] = []
        self.scripts: list[dict[str, str | None]] = []
        self.handlers: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "script":
            self.scripts.append(dict(attrs))
        self.handlers.extend(name for name, _ in attrs if name.startswith("on"))


def page_structure(html: str) -> PageStructure:
    parser = PageStructure()
    parser.feed(html)
    return parser


def check_page_structure(html: str, path: str) -> None:
    """Assert what every page needs: landmarks, a skip link, one h1 first and headings in order,
    scripts only from the app's own files (or data blocks), no inline event handlers."""
    page = page_structure(html)
    names = [tag for tag, _ in page.tags]
    for landmark in ("header", "nav", "main", "footer"):
        assert landmark in names, f"{path} has no <{landmark}>"
    assert ("a", {"class": "skip-link", "href": "#main"}) in page.tags, path
    assert page.headings[0] == 1 and page.headings.count(1) == 1, f"{path}: one h1, first"
    for before, after in zip(page.headings, page.headings[1:], strict=False):
        assert after <= before + 1, f"{path}: heading h{after} follows h{before}"
    for attrs in page.scripts:
        assert (attrs.get("src") or "").startswith("/static/") or attrs.get("type") in (
            "application/json", "application/ld+json"), (path, attrs)
    assert not page.handlers, f"{path} has inline event handlers {page.handlers}"


class Client:
    """Calls an ASGI app in-process through httpx, one request at a time."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        async def call() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
                return await client.request(method, path, **kwargs)

        # In a thread of its own: Playwright's sync API (the browser suite, in the same session)
        # keeps an event loop running in the main thread, where asyncio.run() is refused.
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(asyncio.run, call()).result()

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)


def build_archive(folder: Path) -> Path:
    """Give the path of an archive made in ``folder`` of the sample letters, the hostile letter and
    the small edition (306 letters)."""
    extra = folder / "extra"
    extra.mkdir(parents=True, exist_ok=True)
    write_jsonl(extra / "hostile.jsonl", [hostile_letter()])
    write_jsonl(extra / "edition.jsonl", edition_letters())
    with Archive.open(folder / "letters.db") as archive:
        archive.ingest([EXAMPLES, extra], workers=1)
    return folder / "letters.db"


#: What the person, place, network and thread pages need of ``Archive``.
PEOPLE_METHODS = ("people", "person", "places", "place", "thread", "network")


def require_people_api() -> None:
    """Fail (never skip) when ``Archive`` lacks the methods the people and places pages call."""
    missing = [name for name in PEOPLE_METHODS if not hasattr(Archive, name)]
    if missing:
        pytest.fail(f"Archive has no {', '.join(missing)}: the person, place, network and thread pages "
                    "call them (issue 6 builds on the people, places and threads of the archive)", pytrace=False)


@pytest.fixture(scope="session", name="web_archive_path")
def web_archive_path_fixture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The path of the archive the web tests read (``build_archive``), made once a session."""
    return build_archive(tmp_path_factory.mktemp("web"))


@pytest.fixture(scope="session", name="web_archive")
def web_archive_fixture(web_archive_path: Path) -> Iterator[Archive]:
    """The archive of the web tests, opened read-only as ``letterbook serve`` opens it."""
    with Archive.open(web_archive_path, read_only=True) as archive:
        yield archive


@pytest.fixture(scope="session", name="web_client")
def web_client_fixture(web_archive: Archive) -> Client:
    """A client of the reading room serving ``web_archive``."""
    return Client(create_app(web_archive))

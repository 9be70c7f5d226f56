"""The reading room's ASGI app: its routes, how a page is rendered, and how errors are answered.

URL scheme: every page is at ``/PATH`` as HTML and at ``/PATH.json`` as JSON, from the same view
data (the home page's JSON is ``/index.json``); the OpenAPI description is ``/api/openapi.json``.
Protocol routes (OAI-PMH, the CMIF feed) live in their own modules and are mounted by
``protocol_routes()`` below, the one place where they join the app.

The archive is opened read-only once, when the app starts, and is at ``request.app.state.archive``.
Views are plain functions run on the event loop one at a time, so the archive's SQLite connection
is never used by two threads at once. To answer requests on several cores, ``letterbook serve
--workers N`` runs N processes, each making the app with ``app_from_environ`` and opening the
archive itself; what a page computes over the whole archive (the home page's facets, the
collections) is kept per process until the archive changes (``views.ArchiveCache``).
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..archive import Archive
from ..errors import LetterbookError
from . import views
from .letter_page import json_for_script
from .openapi import openapi

__all__ = ["PAGES", "app_from_environ", "create_app", "protocol_routes"]

HERE = Path(__file__).parent
View = Callable[[Request], dict[str, Any]]

#: The pages: path (without ``.json``), view, template, route name. Each is served as HTML and JSON.
PAGES: list[tuple[str, View, str, str]] = [
    ("/search", views.search_view, "search.html", "search"),
    ("/letters/{id}/cite", views.citation_view, "cite.html", "cite"),
    ("/letters/{id}", views.letter_view, "letter.html", "letter"),
    ("/people", views.people_view, "people.html", "people"),
    ("/people/{id}", views.person_view, "person.html", "person"),
    ("/places", views.places_view, "places.html", "places"),
    ("/places/{id}", views.place_view, "place.html", "place"),
    ("/correspondents", views.correspondents_view, "correspondents.html", "correspondents"),
    ("/collections", views.collections_view, "collections.html", "collections"),
    ("/collections/{title}", views.collection_view, "collection.html", "collection"),
]

_NAV = [("/", "Home"), ("/search", "Search"), ("/people", "People"), ("/places", "Places"),
        ("/correspondents", "Correspondents"), ("/collections", "Collections"), ("/api", "API")]


_NOTE_MARK = re.compile(r"\[(\w{1,4})\]")


class NoteMarks:
    """Turns a letter's note marks ("[2]") into links to its footnotes, paragraph by paragraph.

    Marks are matched to notes in reading order: the first "[1]" to the first note labelled 1, a
    second "[1]" to a second such note if there is one (editions number notes again in each part),
    else to the same note again. Each note links back to the first mark that points to it.
    """

    def __init__(self, notes: list[dict[str, Any]]) -> None:
        self.numbers: dict[str, list[int]] = {}
        for number, note in enumerate(notes, 1):
            if note.get("label"):
                self.numbers.setdefault(str(note["label"]), []).append(number)
        self.used: dict[str, int] = {}
        self.marked: set[int] = set()

    def __call__(self, text: str) -> Markup:
        """Give a paragraph as HTML: its text escaped, each mark of a note a link to it."""
        return Markup(_NOTE_MARK.sub(self._link, str(escape(text))))

    def _link(self, match: re.Match[str]) -> str:
        label = match.group(1)
        numbers = self.numbers.get(label)
        if not numbers:
            return match.group(0)
        number = numbers[min(self.used.get(label, 0), len(numbers) - 1)]
        self.used[label] = self.used.get(label, 0) + 1
        anchor = "" if number in self.marked else f' id="ref-{number}"'
        self.marked.add(number)
        return f'<sup><a class="noteref" href="#note-{number}"{anchor} aria-label="note {label}">[{label}]</a></sup>'


def _templates() -> Environment:
    # The templates are files of the package, which do not change while it runs: no need to look at
    # their modification times on every page (auto_reload).
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html", "xml"]),
                      trim_blocks=True, lstrip_blocks=True, auto_reload=False)
    env.filters["script_json"] = lambda data: Markup(json_for_script(data))
    env.globals["NoteMarks"] = NoteMarks
    env.filters["thousands"] = lambda n: f"{n:,}" if isinstance(n, int) else n
    env.globals["nav"] = _NAV
    return env


TEMPLATES = _templates()


def wants_json(request: Request) -> bool:
    """Tell whether a request asks for JSON: a ``.json`` path or a path under ``/api``."""
    path = request.url.path
    return path.endswith(".json") or path.startswith("/api/")


def render(request: Request, template: str, data: dict[str, Any], status: int = 200) -> Response:
    """Give the page's HTML, rendered from its data (the JSON of the same page is the data itself)."""
    html = TEMPLATES.get_template(template).render(data=data, request=request, path=request.url.path,
                                                   json_url=_json_url(request) if status < 400 else None)
    return HTMLResponse(html, status_code=status)


def _json_url(request: Request) -> str:
    path = request.url.path
    json_path = {"/": "/index.json", "/api": "/api/openapi.json"}.get(path) or path.rstrip("/") + ".json"
    return json_path + (f"?{request.url.query}" if request.url.query else "")


def _page(view: View, template: str) -> tuple[Callable[[Request], Any], Callable[[Request], Any]]:
    async def as_html(request: Request) -> Response:
        return render(request, template, view(request))

    async def as_json(request: Request) -> Response:
        return JSONResponse(view(request))

    return as_html, as_json


async def home(request: Request) -> Response:
    if request.url.query:
        return render(request, "home.html", views.home_view(request))
    # The same for every visitor until the archive changes: its timeline alone is hundreds of bars.
    page = views.cache_of(request).get(views.archive_of(request), "home.html",
                                       lambda: render(request, "home.html", views.home_view(request)).body)
    return HTMLResponse(page)


async def home_json(request: Request) -> Response:
    return JSONResponse(views.home_view(request))


async def letter_tei(request: Request) -> Response:
    """Give a letter as a TEI P5 file."""
    from lxml import etree

    from ..export import ExportOptions
    from ..export.tei import letter_to_tei

    letter = views.archive_of(request).get(request.path_params["id"])
    root = letter_to_tei(letter, ExportOptions(base_url=str(request.base_url).rstrip("/")))
    body = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return Response(body, media_type="application/tei+xml",
                    headers={"Content-Disposition": f'inline; filename="{_file_stem(letter.id)}.xml"'})


def _file_stem(id: str | None) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in (id or "letter"))


async def person_lookup(request: Request) -> Response:
    return RedirectResponse(views.person_lookup(request), status_code=303)


async def place_lookup(request: Request) -> Response:
    return RedirectResponse(views.place_lookup(request), status_code=303)


async def api_description(request: Request) -> Response:
    return JSONResponse(openapi(str(request.base_url).rstrip("/")))


async def api_page(request: Request) -> Response:
    return render(request, "api.html", {"title": "API", "openapi": openapi(str(request.base_url).rstrip("/"))})


def protocol_routes() -> list[BaseRoute]:
    """Give the routes of the harvesting protocols: ``letterbook.web.oai.oai_routes()`` when that
    module is there (OAI-PMH and the CMIF feed mount themselves through it)."""
    if importlib.util.find_spec(f"{__package__}.oai") is None:
        return []
    routes: list[BaseRoute] = importlib.import_module(f"{__package__}.oai").oai_routes()
    return routes


def routes() -> list[BaseRoute]:
    """Give every route of the app: pages (HTML and JSON), downloads, the API description, static files."""
    table: list[BaseRoute] = [
        Route("/", home, name="home"),
        Route("/index.json", home_json, name="home_json"),
        Route("/api", api_page, name="api"),
        Route("/api/openapi.json", api_description, name="openapi"),
        Route("/people/lookup", person_lookup, name="person_lookup"),
        Route("/places/lookup", place_lookup, name="place_lookup"),
        Route("/letters/{id}.xml", letter_tei, name="letter_tei"),
    ]
    for path, view, template, name in PAGES:
        as_html, as_json = _page(view, template)
        # The .json route comes first: "{id}" alone would also match "L1.json".
        table.append(Route(path + ".json", as_json, name=f"{name}_json"))
        table.append(Route(path, as_html, name=name))
    table.extend(protocol_routes())
    table.append(Mount("/static", app=StaticFiles(directory=HERE / "static"), name="static"))
    return table


# ------------------------------------------------------------------------------------------- errors


def _error(request: Request, status: int, message: str) -> Response:
    if wants_json(request):
        return JSONResponse({"error": message, "status": status}, status_code=status)
    title = {404: "Not found", 400: "Cannot do that"}.get(status, "Something went wrong")
    return render(request, "error.html", {"title": title, "status": status, "message": message}, status=status)


async def _letterbook_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, LetterbookError)
    return _error(request, exc.status, str(exc))


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        return _error(request, 404, f"there is no page at {request.url.path}")
    return _error(request, exc.status_code, str(exc.detail))


class SecurityHeaders:
    """Adds headers that keep a hostile letter's text inert even if something escaped it: a content
    security policy that allows scripts only from the app's own files, and no MIME sniffing."""

    POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
              "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"x-content-type-options", b"nosniff"))
                headers.append((b"content-security-policy", self.POLICY.encode()))
                headers.append((b"referrer-policy", b"same-origin"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(archive: Archive | str | os.PathLike[str] | None = None) -> Starlette:
    """Give the reading room's app for an archive: an open ``Archive`` (left open when the app
    stops), or its URL (opened read-only when the app starts, closed when it stops)."""
    owned = not isinstance(archive, Archive)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if owned:
            app.state.archive = Archive.open(archive, read_only=True)  # type: ignore[arg-type]
        try:
            yield
        finally:
            if owned:
                app.state.archive.close()

    app = Starlette(
        routes=routes(),
        middleware=[
            Middleware(SecurityHeaders),
            # The API is read-only: any site may read it from a browser, nobody may write.
            Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "HEAD", "OPTIONS"],
                       allow_headers=["*"]),
        ],
        exception_handlers={LetterbookError: _letterbook_error, HTTPException: _http_error},
        lifespan=lifespan,
    )
    if not owned:
        app.state.archive = archive
    app.state.cache = views.ArchiveCache()
    return app


def app_from_environ() -> Starlette:
    """Give the app for the archive named by ``$LETTERBOOK_DB`` (default: ``letterbook.db`` here),
    opened read-only when the app starts: the factory each worker process of ``letterbook serve
    --workers N`` calls."""
    return create_app(os.environ.get("LETTERBOOK_DB") or "letterbook.db")

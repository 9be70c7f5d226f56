"""The reading room's views: each gives one page's data as a plain dict, JSON-ready.

A view takes the request (for its path and query parameters, and the archive in
``request.app.state.archive``) and returns a dict; ``letterbook.web.app`` renders it with the page's
template or gives it as JSON. Anything the archive refuses raises ``LetterbookError`` with its HTTP
status, which the app turns into an error page or a JSON message.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any, TypeVar
from urllib.parse import quote, urlencode

from starlette.requests import Request

from ..archive import MAX_PER_PAGE, SORTS, Archive
from ..errors import LetterbookError
from ..model import Agent, Letter
from ..search import FacetCount
from .letter_page import citation_page, letter_page

__all__ = [
    "FACET_FIELDS",
    "ArchiveCache",
    "PER_PAGE",
    "archive_of",
    "citation_view",
    "collection_view",
    "collections_view",
    "correspondents_view",
    "field_term",
    "home_view",
    "letter_view",
    "narrow",
    "people_view",
    "person_view",
    "place_view",
    "places_view",
    "search_view",
    "summary",
]

#: Letters on one page of search results, unless ``per_page`` asks for another number.
PER_PAGE = 20
#: The most letters a page of the web edition shows at once (the library allows more).
WEB_MAX_PER_PAGE = min(100, MAX_PER_PAGE)
#: The query language's field for each facet (``decade`` becomes a ``year:`` range).
FACET_FIELDS = {"sender": "from", "recipient": "to", "decade": "year", "year": "year", "place": "place",
                "language": "lang", "collection": "collection"}
#: The facets' headings as a reader sees them.
FACET_LABELS = {"sender": "Sender", "recipient": "Recipient", "decade": "Decade", "year": "Year",
                "place": "Written at", "language": "Language", "collection": "Collection"}
#: Letters of a collection on one page: a collection of no more is one page, by volume and number;
#: a larger one is read in pages of this many letters by date, each page by volume and number.
COLLECTION_PAGE = 1000


T = TypeVar("T")


def archive_of(request: Request) -> Archive:
    """Give the archive the app serves."""
    archive: Archive = request.app.state.archive
    return archive


class ArchiveCache:
    """What pages compute over the whole archive (the home page's facets and timeline, the list of
    collections), kept until the archive changes: an ingest or a correction made by another
    process moves the store's change sequence on, and everything kept is made again."""

    def __init__(self) -> None:
        self._state: int | None = None
        self._kept: dict[Any, Any] = {}

    def get(self, archive: Archive, key: Any, make: Callable[[], T]) -> T:
        """Give what ``make`` gives for ``key``, made once for each state of the archive."""
        state = archive.store.sequence()
        if state != self._state:
            self._kept = {}
            self._state = state
        if key not in self._kept:
            self._kept[key] = make()
        value: T = self._kept[key]
        return value


def cache_of(request: Request) -> ArchiveCache:
    """Give the app's cache of what pages compute over the whole archive."""
    state = request.app.state
    if not hasattr(state, "cache"):
        state.cache = ArchiveCache()
    cache: ArchiveCache = state.cache
    return cache


# ------------------------------------------------------------------------------------------ helpers


def summary(letter: Letter) -> dict[str, Any]:
    """Give a letter's summary: id, title, sender, recipients, date (ISO 8601) and place."""
    date = letter.date
    when = None
    if date is not None:
        when = date.when or (f"{date.not_before or '..'}/{date.not_after or '..'}"
                             if date.not_before or date.not_after else None)
    return {
        "id": letter.id,
        "title": letter.title,
        "sender": letter.sender.name if letter.sender else None,
        "recipients": [agent.name for agent in letter.recipients],
        "date": when,
        "place": letter.place.name if letter.place else None,
    }


def field_term(field: str, value: str) -> str:
    """Give a query term for a field and value (``from:"J. Stalin"``), quoted when it has spaces."""
    value = value.replace('"', " ").strip()
    if re.fullmatch(r"[^\s()\"]+", value) and field != "year":
        return f"{field}:{value}"
    return f'{field}:"{value}"' if field != "year" else f"{field}:{value}"


def facet_term(facet: str, value: str) -> str:
    """Give the query term that narrows a search to one facet value."""
    if facet == "decade" and value.isdigit():
        start = int(value)
        return f"year:{start}..{start + 9}"
    return field_term(FACET_FIELDS[facet], value)


def narrow(query: str, term: str) -> str:
    """Give the query with one more term (the query as it is when it already has that term)."""
    query = query.strip()
    if term in query.split(" ") or f" {term}" in f" {query}":
        return query
    return f"{query} {term}".strip()


def search_url(query: str, **params: Any) -> str:
    """Give the path of a search page for a query and other parameters (sort, page)."""
    pairs = {"q": query, **{k: v for k, v in params.items() if v not in (None, "", 1, "relevance")}}
    return "/search?" + urlencode(pairs)


def letter_path(id: str | None) -> str | None:
    """Give the path of a letter's page."""
    return f"/letters/{quote(id, safe='')}" if id else None


def _int_param(request: Request, name: str, default: int, *, low: int = 1, high: int | None = None) -> int:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise LetterbookError(f"{name} must be a whole number, not {raw!r}") from None
    if value < low or (high is not None and value > high):
        bound = f"from {low} to {high}" if high is not None else f"at least {low}"
        raise LetterbookError(f"{name} must be {bound}, not {value}")
    return value


def facet_counts(archive: Archive, query: str, facet: str, size: int = 1000) -> list[dict[str, Any]]:
    """Give every value of one facet over the letters a query finds, with counts (most first)."""
    return [{"value": f.value, "count": f.count} for f in archive.facet(facet, query, size=size)]


def fill_years(counts: dict[str, int]) -> list[tuple[str, int]]:
    """Give letters per year from the first year to the last, years without letters as 0."""
    years = {int(year): count for year, count in counts.items() if re.fullmatch(r"-?\d{1,4}", str(year))}
    if not years:
        return []
    return [(str(year), years.get(year, 0)) for year in range(min(years), max(years) + 1)]


def _person_link(agent: Agent | str) -> dict[str, Any]:
    name = agent if isinstance(agent, str) else agent.name
    link: dict[str, Any] = {"name": name, "url": "/people/lookup?" + urlencode({"name": name})}
    if isinstance(agent, Agent):
        link["role"] = agent.role
        link["ref"] = agent.ref
        link["kind"] = agent.kind
    return link


def _place_link(name: str, ref: str | None = None) -> dict[str, Any]:
    return {"name": name, "ref": ref, "url": "/places/lookup?" + urlencode({"name": name})}


# ---------------------------------------------------------------------------------------- the pages


def home_view(request: Request) -> dict[str, Any]:
    """Give what the archive holds: counts, the span of dates, the main correspondents, letters a year."""
    archive = archive_of(request)
    return cache_of(request).get(archive, "home", lambda: _home(archive, _all_facets(request)))


def _all_facets(request: Request) -> dict[str, list[FacetCount]]:
    """Give the facets of every letter (the first page of the search without a query, the home
    page), counted once until the archive changes."""
    archive = archive_of(request)
    return cache_of(request).get(archive, "facets", lambda: archive.search("", per_page=1).facets)


def _home(archive: Archive, all_facets: dict[str, list[FacetCount]]) -> dict[str, Any]:
    stats = archive.stats()
    facets = {name: [{"value": f.value, "count": f.count} for f in counts] for name, counts in all_facets.items()}
    years = fill_years({f["value"]: f["count"] for f in facet_counts(archive, "", "year")})
    return {
        "title": "The archive",
        "stats": {key: stats.get(key) for key in ("letters", "people", "organisations", "places", "earliest",
                                                  "latest")},
        "top_senders": [dict(f, url=search_url(facet_term("sender", f["value"]))) for f in facets["sender"]],
        "top_recipients": [dict(f, url=search_url(facet_term("recipient", f["value"])))
                           for f in facets["recipient"]],
        "collections": [dict(f, url=f"/collections/{quote(f['value'], safe='')}") for f in facets["collection"]],
        "timeline": [{"year": year, "letters": count, "url": search_url(f"year:{year}", sort="date")}
                     for year, count in years],
    }


def search_view(request: Request) -> dict[str, Any]:
    """Give one page of the letters a query finds, with snippets, facets that narrow, and pages."""
    archive = archive_of(request)
    query = request.query_params.get("q", "")
    sort = request.query_params.get("sort") or "relevance"
    if sort not in SORTS:
        raise LetterbookError(f"cannot sort by {sort!r}: sort by {', '.join(SORTS)}")
    page = _int_param(request, "page", 1)
    per_page = _int_param(request, "per_page", PER_PAGE, high=WEB_MAX_PER_PAGE)
    if query.strip():
        result = archive.search(query, sort=sort, page=page, per_page=per_page)
    else:
        # Every letter: the facets are those of the whole archive, counted once until it changes.
        result = archive.search(query, sort=sort, page=page, per_page=per_page, facets=False)
        result.facets = _all_facets(request)
    data = result.to_json()
    for hit in data["results"]:
        hit["url"] = letter_path(hit["id"])
    facets = {}
    for name, counts in data["facets"].items():
        facets[name] = [dict(f, url=search_url(narrow(query, facet_term(name, f["value"])), sort=sort))
                        for f in counts]
    data["facets"] = facets
    pages = result.pages
    data.update({
        "title": f"Search: {query}" if query.strip() else "All letters",
        "sort": sort,
        "sorts": [{"value": s, "url": search_url(query, sort=s), "current": s == sort} for s in SORTS],
        "pages": pages,
        "facet_labels": FACET_LABELS,
        "prev_url": search_url(query, sort=sort, page=page - 1, per_page=_default(per_page)) if page > 1 else None,
        "next_url": (search_url(query, sort=sort, page=page + 1, per_page=_default(per_page))
                     if page < pages else None),
    })
    return data


def _default(per_page: int) -> int | None:
    return None if per_page == PER_PAGE else per_page


def letter_view(request: Request) -> dict[str, Any]:
    """Give a letter's reading view: its parts, its thread and neighbours, citations and downloads."""
    archive = archive_of(request)
    letter = archive.get(request.path_params["id"])
    return letter_page(archive, letter, base_url=str(request.base_url), person_link=_person_link,
                       place_link=_place_link, summary=summary)


def citation_view(request: Request) -> dict[str, Any]:
    """Give a letter's citations: Chicago, MLA, BibTeX and CSL-JSON."""
    letter = archive_of(request).get(request.path_params["id"])
    return citation_page(letter, base_url=str(request.base_url), summary=summary(letter))


def _lookup(request: Request, kind: str) -> str:
    """Give the path of the person's or place's page that a name stands for."""
    archive = archive_of(request)
    name = request.query_params.get("name", "").strip()
    if not name:
        raise LetterbookError(f"say which {kind} to look up: ?name=...")
    listing = archive.people(query=name, limit=20) if kind == "person" else archive.places(query=name, limit=20)
    entries = listing["people" if kind == "person" else "places"]
    folded = name.casefold()
    exact = [entry for entry in entries if str(entry.get("name", "")).casefold() == folded]
    chosen = (exact or entries or [None])[0]
    if chosen is None:
        raise _NotFoundByName(kind, name)
    return f"/{'people' if kind == 'person' else 'places'}/{quote(str(chosen['id']), safe='')}"


class _NotFoundByName(LetterbookError):
    status = 404

    def __init__(self, kind: str, name: str) -> None:
        super().__init__(f"no {kind} in the archive is called {name!r}")


def person_lookup(request: Request) -> str:
    """Give the path of the page of the person a name stands for."""
    return _lookup(request, "person")


def place_lookup(request: Request) -> str:
    """Give the path of the page of the place a name stands for."""
    return _lookup(request, "place")


def _summaries(items: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [dict(item, url=letter_path(item.get("id"))) for item in items]


def _authority(entries: Iterable[Any]) -> list[dict[str, Any]]:
    """Give authority records as links: a URL string, or a record with a URL and a label."""
    links = []
    for entry in entries or ():
        if isinstance(entry, str):
            links.append({"label": entry, "url": entry if entry.startswith(("http://", "https://")) else None})
        elif isinstance(entry, dict):
            url = next((entry[k] for k in ("url", "uri", "href", "ref", "id") if isinstance(entry.get(k), str)
                        and entry[k].startswith(("http://", "https://"))), None)
            label = entry.get("label") or entry.get("source") or entry.get("register") or url or str(entry)
            links.append({"label": str(label), "url": url, **{k: v for k, v in entry.items() if k not in ("label",)}})
    return links


def _map_points(archive: Archive, names: Iterable[str], limit: int = 50) -> list[dict[str, Any]]:
    """Give the places among ``names`` that have coordinates, as map markers."""
    points = []
    for name in list(dict.fromkeys(n for n in names if n))[:limit]:
        found = archive.places(query=name, limit=5)["places"]
        exact = [p for p in found if str(p.get("name", "")).casefold() == name.casefold()] or found[:1]
        for place in exact[:1]:
            if place.get("lat") is not None and place.get("lon") is not None:
                points.append({"id": place["id"], "name": place["name"], "lat": place["lat"], "lon": place["lon"],
                               "url": f"/places/{quote(str(place['id']), safe='')}"})
    return points


def person_view(request: Request) -> dict[str, Any]:
    """Give a person's page: letters from, to and mentioning them, correspondents, timeline, map."""
    archive = archive_of(request)
    person = archive.person(request.path_params["id"])
    data = dict(person)
    for key in ("letters_from", "letters_to", "mentioned_in"):
        data[key] = _summaries(person.get(key) or [])
    data["correspondents"] = [dict(c, url=f"/people/{quote(str(c['id']), safe='')}")
                              for c in person.get("correspondents") or []]
    data["authority"] = _authority(person.get("authority") or [])
    years = fill_years({str(t["year"]): int(t["letters"]) for t in person.get("timeline") or []})
    data["timeline"] = [{"year": year, "letters": count,
                         "url": search_url(narrow(field_term("from", person["name"]), f"year:{year}"))}
                        for year, count in years]
    data["title"] = person["name"]
    data["search_url"] = search_url(field_term("from", person["name"]), sort="date")
    data["map"] = _map_points(archive, (s.get("place") for s in data["letters_from"]))
    me = str(person["id"])
    data["network"] = {
        "centre": me,
        "nodes": [{"id": me, "name": person["name"], "url": f"/people/{quote(me, safe='')}",
                   "letters": len(data["letters_from"]) + len(data["letters_to"])}]
        + [{"id": str(c["id"]), "name": c["name"], "url": c["url"], "letters": c.get("letters", 1)}
           for c in data["correspondents"]],
        "edges": [{"source": me, "target": str(c["id"]), "letters": c.get("letters", 1)}
                  for c in data["correspondents"]],
    }
    return data


def people_view(request: Request) -> dict[str, Any]:
    """Give a page of the people in the archive, most letters first (or by name)."""
    archive = archive_of(request)
    query = request.query_params.get("q") or None
    sort = request.query_params.get("sort") or "letters"
    page = _int_param(request, "page", 1)
    per_page = 50
    listing = archive.people(query=query, sort=sort, limit=per_page, offset=(page - 1) * per_page)
    people = [dict(p, url=f"/people/{quote(str(p['id']), safe='')}", authority=_authority(p.get("authority") or []))
              for p in listing["people"]]
    pages = max(1, -(-int(listing["total"]) // per_page))
    params = {k: v for k, v in (("q", query), ("sort", sort if sort != "letters" else None)) if v}
    return {"title": "People", "total": listing["total"], "people": people, "query": query or "", "sort": sort,
            "page": page, "pages": pages,
            "prev_url": "/people?" + urlencode({**params, "page": page - 1}) if page > 1 else None,
            "next_url": "/people?" + urlencode({**params, "page": page + 1}) if page < pages else None}


def place_view(request: Request) -> dict[str, Any]:
    """Give a place's page: letters written there and mentioning it, with a map."""
    archive = archive_of(request)
    place = archive.place(request.path_params["id"])
    data = dict(place)
    data["letters_from"] = _summaries(place.get("letters_from") or [])
    data["mentioned_in"] = _summaries(place.get("mentioned_in") or [])
    data["authority"] = _authority(place.get("authority") if isinstance(place.get("authority"), list)
                                   else [place["authority"]] if place.get("authority") else [])
    data["title"] = place["name"]
    data["search_url"] = search_url(field_term("place", place["name"]), sort="date")
    data["map"] = ([{"id": place["id"], "name": place["name"], "lat": place["lat"], "lon": place["lon"],
                     "url": f"/places/{quote(str(place['id']), safe='')}"}]
                   if place.get("lat") is not None and place.get("lon") is not None else [])
    return data


def places_view(request: Request) -> dict[str, Any]:
    """Give the places of the archive, most letters first, with a map of those that have coordinates."""
    archive = archive_of(request)
    query = request.query_params.get("q") or None
    page = _int_param(request, "page", 1)
    per_page = 200
    listing = archive.places(query=query, limit=per_page, offset=(page - 1) * per_page)
    places = [dict(p, url=f"/places/{quote(str(p['id']), safe='')}") for p in listing["places"]]
    pages = max(1, -(-int(listing["total"]) // per_page))
    params = {"q": query} if query else {}
    return {"title": "Places", "total": listing["total"], "places": places, "query": query or "",
            "page": page, "pages": pages,
            "map": [{"id": p["id"], "name": p["name"], "lat": p["lat"], "lon": p["lon"], "url": p["url"]}
                    for p in places if p.get("lat") is not None and p.get("lon") is not None],
            "prev_url": "/places?" + urlencode({**params, "page": page - 1}) if page > 1 else None,
            "next_url": "/places?" + urlencode({**params, "page": page + 1}) if page < pages else None}


def correspondents_view(request: Request) -> dict[str, Any]:
    """Give the correspondence network: who wrote to whom, and how often."""
    archive = archive_of(request)
    min_letters = _int_param(request, "min_letters", 1)
    limit = _int_param(request, "limit", 200, high=2000)
    network = archive.network(min_letters=min_letters, limit=limit)
    names = {str(node["id"]): node["name"] for node in network["nodes"]}
    nodes = [dict(node, id=str(node["id"]), url=f"/people/{quote(str(node['id']), safe='')}")
             for node in network["nodes"]]
    edges = [dict(edge, source=str(edge["source"]), target=str(edge["target"]),
                  source_name=names.get(str(edge["source"])), target_name=names.get(str(edge["target"])))
             for edge in network["edges"]]
    edges.sort(key=lambda e: -int(e.get("letters") or 0))
    return {"title": "Correspondents", "min_letters": min_letters, "limit": limit, "nodes": nodes, "edges": edges}


def collections_view(request: Request) -> dict[str, Any]:
    """Give the collections (editions) the archive holds, with their numbers of letters."""
    archive = archive_of(request)
    return cache_of(request).get(archive, "collections", lambda: _collections(archive))


def _collections(archive: Archive) -> dict[str, Any]:
    counts = facet_counts(archive, "", "collection")
    return {"title": "Collections",
            "collections": [dict(c, title=c["value"], url=f"/collections/{quote(c['value'], safe='')}")
                            for c in sorted(counts, key=lambda c: c["value"].casefold())]}


def _natural(text: str | None) -> tuple[Any, ...]:
    """Give a sort key that puts "2" before "10" and numbers before words."""
    if not text:
        return ((2, ""),)
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part.casefold())
                 for part in re.split(r"(\d+)", text) if part)


def collection_view(request: Request) -> dict[str, Any]:
    """Give a collection as a printed edition is read: by volume, then by number; a collection of
    more than ``COLLECTION_PAGE`` letters in pages by date, each page by volume and number."""
    archive = archive_of(request)
    title = request.path_params["title"]
    query = field_term("collection", title)
    total = archive.search(query, per_page=1, facets=False).total
    if not total:
        raise _NotFoundByName("collection", title)
    pages = max(1, -(-total // COLLECTION_PAGE))
    page = _int_param(request, "page", 1, high=pages)
    start = (page - 1) * COLLECTION_PAGE
    letters = list(archive.letters(query, sort="date", limit=COLLECTION_PAGE, offset=start))
    letters.sort(key=lambda l: (_natural(l.collection.volume if l.collection else None),  # noqa: E741
                                _natural(l.collection.number if l.collection else None),
                                (l.date.earliest if l.date else None) or ""))
    volumes: dict[str, list[dict[str, Any]]] = {}
    for letter in letters:
        volume = (letter.collection.volume if letter.collection else None) or ""
        entry = summary(letter) | {"url": letter_path(letter.id),
                                   "number": letter.collection.number if letter.collection else None}
        volumes.setdefault(volume, []).append(entry)
    path = f"/collections/{quote(title, safe='')}"
    return {"title": title if pages == 1 else f"{title} (page {page} of {pages})", "collection": title,
            "volumes": [{"volume": volume or None, "letters": entries} for volume, entries in volumes.items()],
            "total": total, "shown": len(letters), "complete": pages == 1, "page": page, "pages": pages,
            "first": start + 1, "last": start + len(letters),
            "order": "volume and number" if pages == 1 else "date, then on each page volume and number",
            "prev_url": f"{path}?page={page - 1}" if page > 1 else None,
            "next_url": f"{path}?page={page + 1}" if page < pages else None,
            "search_url": search_url(query, sort="date")}

"""The JSON API's OpenAPI 3.1 description, written by hand from the list of endpoints below.

Each page of the reading room is also JSON at the same path with ``.json``; ``tests/test_web.py``
checks that every JSON route of the app is described here. The harvesting routes (OAI-PMH at
``/oai``, the CMIF feed at ``/cmif.xml``) answer in XML and are described here too.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Any

__all__ = ["ENDPOINTS", "MEDIA_TYPES", "openapi"]

_Q = {"name": "q", "in": "query", "required": False, "schema": {"type": "string"},
      "description": 'A query in the archive\'s language: words, "phrases", prefix*, OR, NOT, '
                     "from:, to:, year:1941..1945, place:, lang:, collection: (see `letterbook search --help`)."}
_PAGE = {"name": "page", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1, "default": 1}}


def _path_param(name: str, description: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}, "description": description}


_SUMMARY = {"type": "object", "properties": {
    "id": {"type": "string"}, "title": {"type": ["string", "null"]}, "sender": {"type": ["string", "null"]},
    "recipients": {"type": "array", "items": {"type": "string"}},
    "date": {"type": ["string", "null"], "description": "ISO 8601, as precise as written; an interval as start/end"},
    "place": {"type": ["string", "null"]}, "url": {"type": "string"}}}

#: The endpoints: path, summary, parameters, what the JSON holds.
ENDPOINTS: list[tuple[str, str, list[dict[str, Any]], dict[str, Any]]] = [
    ("/index.json", "What the archive holds: counts, date span, main correspondents, letters a year", [],
     {"type": "object", "required": ["stats", "timeline"], "properties": {
         "stats": {"type": "object"}, "top_senders": {"type": "array"}, "top_recipients": {"type": "array"},
         "collections": {"type": "array"},
         "timeline": {"type": "array", "items": {"type": "object", "properties": {
             "year": {"type": "string"}, "letters": {"type": "integer"}}}}}}),
    ("/search.json", "One page of the letters a query finds, with snippets and facet counts",
     [_Q, {"name": "sort", "in": "query", "required": False,
           "schema": {"type": "string", "enum": ["relevance", "date", "-date"], "default": "relevance"}},
      _PAGE, {"name": "per_page", "in": "query", "required": False,
              "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}}],
     {"type": "object", "required": ["total", "results", "facets"], "properties": {
         "total": {"type": "integer"}, "page": {"type": "integer"}, "pages": {"type": "integer"},
         "results": {"type": "array", "items": {"allOf": [_SUMMARY, {"type": "object", "properties": {
             "snippet": {"type": "string", "description": "HTML: the letter's text escaped, the query's words "
                                                           "in <mark>"}, "score": {"type": "number"}}}]}},
         "facets": {"type": "object", "description": "sender, recipient, decade, year, place, language, "
                                                     "collection: each a list of {value, count, url}"}}}),
    ("/letters/{id}.json", "A letter: all its parts, its thread and neighbours, citations, JSON-LD",
     [_path_param("id", "The letter's id")],
     {"type": "object", "required": ["letter", "citations"], "properties": {
         "letter": {"type": "object", "description": "The letter in the `letterbook extract --jsonl` shape"},
         "navigation": {"type": "object"}, "thread": {"type": "object"}, "conversation": {"type": "array"},
         "citations": {"type": "object", "description": "BibTeX and CSL-JSON; Chicago and MLA are at "
                                                        "/letters/{id}/cite.json (url)", "properties": {
             "bibtex": {"type": "string"}, "csl_json": {"type": "object"}, "url": {"type": "string"}}},
         "jsonld": {"type": "object", "description": "schema.org Message"}}}),
    ("/letters/{id}/cite.json", "A letter's citations: Chicago, MLA, BibTeX and CSL-JSON",
     [_path_param("id", "The letter's id")],
     {"type": "object", "required": ["citations"], "properties": {"citations": {"type": "object", "properties": {
         "chicago": {"type": "string"}, "mla": {"type": "string"}, "bibtex": {"type": "string"},
         "csl_json": {"type": "object"}}}}}),
    ("/letters/{id}.xml", "A letter as a TEI P5 file", [_path_param("id", "The letter's id")], {}),
    ("/people.json", "The people of the archive, most letters first",
     [{"name": "q", "in": "query", "required": False, "schema": {"type": "string"}, "description": "Part of a name"},
      {"name": "sort", "in": "query", "required": False, "schema": {"type": "string", "default": "letters"}}, _PAGE],
     {"type": "object", "properties": {"total": {"type": "integer"}, "people": {"type": "array"}}}),
    ("/people/{id}.json", "A person: letters from, to and mentioning them, correspondents, timeline",
     [_path_param("id", "The person's id")], {"type": "object"}),
    ("/places.json", "The places of the archive, with coordinates where known",
     [{"name": "q", "in": "query", "required": False, "schema": {"type": "string"}}, _PAGE],
     {"type": "object", "properties": {"total": {"type": "integer"}, "places": {"type": "array"}}}),
    ("/places/{id}.json", "A place: letters written there and mentioning it",
     [_path_param("id", "The place's id")], {"type": "object"}),
    ("/correspondents.json", "The correspondence network: people as nodes, letters between them as edges",
     [{"name": "min_letters", "in": "query", "required": False, "schema": {"type": "integer", "default": 1}},
      {"name": "limit", "in": "query", "required": False, "schema": {"type": "integer", "default": 200}}],
     {"type": "object", "properties": {"nodes": {"type": "array"}, "edges": {"type": "array"}}}),
    ("/collections.json", "The collections (editions) and their numbers of letters", [],
     {"type": "object", "properties": {"collections": {"type": "array"}}}),
    ("/collections/{title}.json", "A collection's letters by volume and number",
     [_path_param("title", "The collection's title")], {"type": "object"}),
    ("/oai", "OAI-PMH 2.0: harvest the letters' records (oai_dc or TEI), by date of change and by collection",
     [{"name": "verb", "in": "query", "required": True, "schema": {"type": "string", "enum": [
         "Identify", "ListMetadataFormats", "ListSets", "ListIdentifiers", "ListRecords", "GetRecord"]}},
      {"name": "metadataPrefix", "in": "query", "required": False,
       "schema": {"type": "string", "enum": ["oai_dc", "tei"]}},
      {"name": "identifier", "in": "query", "required": False, "schema": {"type": "string"},
       "description": "oai:<repository id>:<letter id> (GetRecord, ListMetadataFormats)"},
      {"name": "from", "in": "query", "required": False, "schema": {"type": "string"},
       "description": "Letters changed at or after: YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ"},
      {"name": "until", "in": "query", "required": False, "schema": {"type": "string"}},
      {"name": "set", "in": "query", "required": False, "schema": {"type": "string"},
       "description": "A collection's set spec (ListSets)"},
      {"name": "resumptionToken", "in": "query", "required": False, "schema": {"type": "string"},
       "description": "The token that ended the last page of a list"}],
     {"description": "An OAI-PMH response (errors such as badVerb are OAI-PMH responses too); the same by POST "
                     "of a form"}),
    ("/cmif.xml", "Every letter (or those a query finds) as one CMIF file, the feed correspSearch harvests",
     [_Q], {"description": "CMIF (TEI with correspDesc); an ETag that changes with the archive"}),
]

#: The endpoints whose answer is not JSON, and what it is.
MEDIA_TYPES = {"/letters/{id}.xml": "application/tei+xml", "/oai": "text/xml", "/cmif.xml": "application/xml"}


def _version() -> str:
    try:
        return version("letterbook")
    except PackageNotFoundError:  # pragma: no cover - run from a source tree without installing
        return "0"


def openapi(base_url: str | None = None) -> dict[str, Any]:
    """Give the OpenAPI 3.1 description of the JSON API."""
    error = {"description": "An error, with a message saying why",
             "content": {"application/json": {"schema": {"type": "object", "properties": {
                 "error": {"type": "string"}, "status": {"type": "integer"}}}}}}
    paths: dict[str, Any] = {}
    for path, summary, parameters, schema in ENDPOINTS:
        media = MEDIA_TYPES.get(path, "application/json")
        if media == "application/json":
            ok: dict[str, Any] = {"description": "OK", "content": {media: {"schema": schema} if schema else {}}}
            responses = {"200": ok, "400": error, "404": error}
        else:
            ok = {"description": schema.get("description") or "OK", "content": {media: {}}}
            responses = {"200": ok}
            if path == "/cmif.xml":
                responses["304"] = {"description": "Unchanged since the ETag given in If-None-Match"}
                responses["400"] = {"description": "A query that cannot be read"}
        paths[path] = {"get": {"summary": summary, "parameters": parameters, "responses": responses}}
    description = {
        "openapi": "3.1.0",
        "info": {"title": "letterbook reading room API", "version": _version(),
                 "description": "Every page of the reading room as JSON: the same path with .json. Read-only; "
                                "CORS allows any origin to GET. Harvesting: OAI-PMH 2.0 at /oai and the CMIF "
                                "feed at /cmif.xml (XML)."},
        "paths": paths,
    }
    if base_url:
        description["servers"] = [{"url": base_url}]
    return description

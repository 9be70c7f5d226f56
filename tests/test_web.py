"""The reading room in-process: every page as HTML and JSON, the API description, CORS, errors,
and a hostile letter shown as text everywhere. People, places, threads and the network are in
test_web_people.py."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from lxml import etree
from web_support import (  # noqa: F401 - web_archive and web_client are fixtures
    EDITION,
    END_SCRIPT,
    HOSTILE_WORD,
    IMG,
    SCRIPT,
    Client,
    check_page_structure,
    edition_letters,
    page_structure,
    web_archive_fixture,
    web_archive_path_fixture,
    web_client_fixture,
    write_jsonl,
)

from letterbook import Archive
from letterbook.errors import LetterbookError
from letterbook.web import create_app, views
from letterbook.web.app import PAGES
from letterbook.web.openapi import ENDPOINTS


@pytest.fixture(scope="module")
def archive(web_archive: Archive) -> Archive:
    return web_archive


@pytest.fixture(scope="module")
def client(web_client: Client) -> Client:
    return web_client


def _find(archive: Archive, query: str) -> str:
    found = archive.search(query, per_page=1)
    assert found.hits, f"no letter for {query!r}"
    letter_id = found.hits[0].letter.id
    assert letter_id is not None
    return letter_id


@pytest.fixture(scope="module")
def seed_id(archive: Archive) -> str:
    return _find(archive, 'from:"J. Stalin" year:1945')


@pytest.fixture(scope="module")
def hostile_id(archive: Archive) -> str:
    return _find(archive, HOSTILE_WORD)


def _pages(seed_id: str) -> list[str]:
    return ["/", f"/search?q={HOSTILE_WORD}", "/search?q=", f"/letters/{seed_id}", f"/letters/{seed_id}/cite",
            "/collections", f"/collections/{EDITION}", "/api"]


# ------------------------------------------------------------------------------------- every page


def test_every_page_is_html_with_landmarks_and_ordered_headings(client: Client, seed_id: str) -> None:
    for path in _pages(seed_id):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith("text/html"), path
        check_page_structure(response.text, path)


def test_every_page_is_json_at_its_json_url(client: Client, seed_id: str) -> None:
    for path in _pages(seed_id):
        if path == "/api":
            continue
        split = urlsplit(path)
        json_path = ("/index.json" if split.path == "/" else split.path + ".json") + (
            f"?{split.query}" if split.query else "")
        response = client.get(json_path)
        assert response.status_code == 200, json_path
        assert response.headers["content-type"] == "application/json", json_path
        assert isinstance(response.json(), dict)
        # The HTML page names its JSON.
        assert f'href="{json_path.split("?")[0]}' in client.get(path).text


def test_home_shows_counts_span_correspondents_and_timeline(client: Client, archive: Archive) -> None:
    data = client.get("/index.json").json()
    assert data["stats"]["letters"] == archive.stats()["letters"] == 306
    assert data["stats"]["earliest"] <= "1924-11-27" and data["stats"]["latest"] >= "1946-12-20"
    assert data["top_senders"][0]["value"] == "R. G. Casey"
    years = [int(entry["year"]) for entry in data["timeline"]]
    assert years == list(range(years[0], years[-1] + 1)), "every year between the first and the last"
    assert sum(entry["letters"] for entry in data["timeline"]) == 306
    html = client.get("/").text
    assert "306 letters" in html and "R. G. Casey" in html
    assert 'aria-label="1945: ' in html  # a bar of the timeline, named for screen readers


# ----------------------------------------------------------------------------------------- search


def test_search_keeps_the_query_in_the_url_and_marks_the_words(client: Client) -> None:
    response = client.get("/search", params={"q": "Japan"})
    html = response.text
    assert 'value="Japan"' in html
    assert "<mark>Japan</mark>" in html
    data = client.get("/search.json", params={"q": "Japan"}).json()
    assert data["total"] > 20 and len(data["results"]) == 20 and data["pages"] > 1
    assert data["results"][0]["url"] == f"/letters/{data['results'][0]['id']}"
    assert data["next_url"] == "/search?q=Japan&page=2" and data["prev_url"] is None


def test_a_facet_narrows_the_search_by_adding_to_the_query(client: Client) -> None:
    data = client.get("/search.json", params={"q": "Japan"}).json()
    sender = data["facets"]["sender"][0]
    query = parse_qs(urlsplit(sender["url"]).query)["q"][0]
    assert query.startswith("Japan from:")
    narrowed = client.get(sender["url"].replace("/search?", "/search.json?")).json()
    assert narrowed["total"] == sender["count"] < data["total"]
    assert {hit["sender"] for hit in narrowed["results"]} == {sender["value"]}
    decade = data["facets"]["decade"][0]
    assert re.search(r"year:19[0-9]0\.\.19[0-9]9", decade["url"].replace("%3A", ":").replace("+", " "))
    # Clicking the same facet again leaves the query as it is.
    again = client.get(sender["url"].replace("/search?", "/search.json?")).json()
    assert again["facets"]["sender"][0]["url"] == sender["url"]


def test_search_sorts_and_pages(client: Client) -> None:
    first = client.get("/search.json", params={"q": "", "sort": "date", "per_page": 5}).json()
    dates = [hit["date"] for hit in first["results"]]
    assert dates == sorted(dates) and len(dates) == 5
    second = client.get("/search.json", params={"q": "", "sort": "date", "per_page": 5, "page": 2}).json()
    assert not {h["id"] for h in first["results"]} & {h["id"] for h in second["results"]}
    newest = client.get("/search.json", params={"sort": "-date", "per_page": 5}).json()
    assert [h["date"] for h in newest["results"]] == sorted((h["date"] for h in newest["results"]), reverse=True)
    html = client.get("/search", params={"q": "", "sort": "date", "per_page": 5, "page": 2}).text
    assert 'rel="prev"' in html and 'rel="next"' in html


@pytest.mark.parametrize(("params", "message"), [
    ({"q": '"unclosed'}, "unbalanced quote"),
    ({"q": "x", "sort": "size"}, "cannot sort by 'size'"),
    ({"q": "x", "page": "two"}, "page must be a whole number, not 'two'"),
    ({"q": "x", "per_page": "1000"}, "per_page must be from 1 to 100, not 1000"),
])
def test_a_bad_search_says_why_with_status_400(client: Client, params: dict[str, str], message: str) -> None:
    response = client.get("/search.json", params=params)
    assert response.status_code == 400
    assert message in response.json()["error"]
    page = client.get("/search", params=params)
    assert page.status_code == 400 and message.replace("'", "&#39;") in page.text


# ----------------------------------------------------------------------------------------- letter


def test_letter_page_reads_the_seed_letter(client: Client, seed_id: str) -> None:
    html = client.get(f"/letters/{seed_id}").text
    assert "<h1 id=\"h-letter\">Message to H. Truman</h1>" in html
    assert '<p class="salutation">My dear Mr President,</p>' in html
    assert html.count("<p>") >= 6
    assert '<p class="signature">J. Stalin</p>' in html
    assert "vol. 2, no. 384" in html
    assert '<time datetime="1945-12-23">December 23, 1945</time>' in html
    assert f'href="/letters/{seed_id}.xml"' in html and f'href="/letters/{seed_id}.json"' in html
    for label in ("Chicago", "MLA", "BibTeX", "CSL-JSON"):
        assert 'class="copy" data-copy="cite-' in html and f"Copy {label}" in html
    assert 'href="/people/lookup?name=J.+Stalin"' in html
    assert f'data-cite-url="/letters/{seed_id}/cite.json" data-style="chicago"' in html


def test_letter_json_holds_the_letter_citations_and_jsonld(client: Client, archive: Archive, seed_id: str) -> None:
    data = client.get(f"/letters/{seed_id}.json").json()
    assert data["letter"] == json.loads(json.dumps(archive.get(seed_id).to_json(raw=False)))
    assert len(data["letter"]["body"]) == 6
    assert data["citations"]["url"] == f"/letters/{seed_id}/cite"
    assert data["citations"]["csl_json"]["type"] == "letter"
    cited = client.get(f"/letters/{seed_id}/cite.json").json()
    citations = cited["citations"]
    assert "Stalin" in citations["chicago"] and "Stalin" in citations["mla"]
    assert citations["bibtex"] == data["citations"]["bibtex"] and citations["bibtex"].startswith("@letter{")
    assert citations["csl_json"]["URL"] == f"http://testserver/letters/{seed_id}"
    page = client.get(f"/letters/{seed_id}/cite").text
    assert f'<p id="cite-chicago">{citations["chicago"]}</p>' in page.replace("&#34;", '"').replace("&#39;", "'")
    jsonld = data["jsonld"]
    assert jsonld["@type"] == "Message" and jsonld["sender"]["name"] == "J. Stalin"
    assert jsonld["recipient"][0]["name"] == "Harry S. Truman" and jsonld["dateCreated"] == "1945-12-23"


def test_letter_tei_download_is_tei(client: Client, seed_id: str) -> None:
    response = client.get(f"/letters/{seed_id}.xml")
    assert response.status_code == 200 and response.headers["content-type"] == "application/tei+xml"
    root = etree.fromstring(response.content)
    assert root.tag == "{http://www.tei-c.org/ns/1.0}TEI"
    assert b"My dear Mr President," in response.content


def test_the_seed_letter_from_shared(shared_path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with Archive.open(tmp_path / "seed.db") as archive:
        archive.ingest(shared_path("seed"), workers=1)
        letter_id = archive.search("", per_page=1).hits[0].letter.id
        page = Client(create_app(archive)).get(f"/letters/{letter_id}.json").json()
    assert page["summary"] == {"id": letter_id, "title": "Message to H. Truman", "sender": "J. Stalin",
                               "recipients": ["Harry S. Truman"], "date": "1945-12-23", "place": None}


# ------------------------------------------------------------------------------------ collections


def test_collections_are_read_by_volume_and_number(client: Client) -> None:
    listing = client.get("/collections.json").json()
    entry = next(c for c in listing["collections"] if c["title"] == EDITION)
    assert entry["count"] == 5
    data = client.get(entry["url"] + ".json").json()
    assert [v["volume"] for v in data["volumes"]] == ["1", "2", "10"]
    assert [letter["number"] for letter in data["volumes"][1]["letters"]] == ["9", "10", "100"]
    html = client.get(entry["url"]).text
    assert "Volume 10" in html and "No. 100" in html
    assert client.get("/collections/No such edition").status_code == 404


def test_the_archive_counts_one_facet_for_the_pages(archive: Archive) -> None:
    assert {(f.value, f.count) for f in archive.facet("collection")} >= {(EDITION, 5)}
    assert [(f.value, f.count) for f in archive.facet("collection", 'from:"Ada Example"')] == [(EDITION, 4)]
    years = archive.facet("year", size=2)
    assert len(years) == 2 and years[0].count >= years[1].count
    with pytest.raises(LetterbookError, match="there is no facet 'volume'"):
        archive.facet("volume")


def test_a_large_collection_is_read_page_by_page(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(views, "COLLECTION_PAGE", 2)
    url = f"/collections/{EDITION}"
    seen, page, pages = [], client.get(url + ".json").json(), []
    while True:
        pages.append(page)
        seen += [letter["id"] for volume in page["volumes"] for letter in volume["letters"]]
        if not page["next_url"]:
            break
        page = client.get(page["next_url"].replace("?", ".json?")).json()
    assert [p["page"] for p in pages] == [1, 2, 3] and {p["pages"] for p in pages} == {3}
    assert len(seen) == len(set(seen)) == 5 == pages[0]["total"]
    assert [(p["first"], p["last"]) for p in pages] == [(1, 2), (3, 4), (5, 5)]
    assert pages[0]["prev_url"] is None and pages[2]["prev_url"].endswith("?page=2")
    dates = [letter["date"] or "" for p in pages for v in p["volumes"] for letter in v["letters"]]
    assert max(dates[:2]) <= min(dates[2:4]) <= max(dates[2:4]) <= dates[4]  # pages follow one another by date
    html = client.get(url + "?page=2").text
    assert "letters 3 to 4 (page 2)" in html and 'rel="next" href="/collections/' in html
    assert client.get(url + ".json?page=4").status_code == 400


def test_what_pages_count_over_the_whole_archive_is_counted_again_when_it_changes(tmp_path: Path) -> None:
    letters = edition_letters()
    with Archive.open(tmp_path / "letters.db") as archive:
        archive.ingest(write_jsonl(tmp_path / "one.jsonl", letters[:2]), workers=1)
        client = Client(create_app(archive))
        assert client.get("/index.json").json()["stats"]["letters"] == 2
        assert "2 letters" in client.get("/").text
        everything = client.get("/search.json?q=").json()
        assert everything["total"] == 2 and sum(f["count"] for f in everything["facets"]["collection"]) == 2
        assert client.get("/collections.json").json()["collections"][0]["count"] == 2
        assert client.get("/index.json").json()["stats"]["letters"] == 2  # kept, the same
        archive.ingest(write_jsonl(tmp_path / "two.jsonl", letters[2:]), workers=1)
        assert client.get("/index.json").json()["stats"]["letters"] == 4
        assert "4 letters" in client.get("/").text
        everything = client.get("/search.json?q=").json()
        assert everything["total"] == 4 and sum(f["count"] for f in everything["facets"]["collection"]) == 4
        assert client.get("/collections.json").json()["collections"][0]["count"] == 4


# ----------------------------------------------------------------------------------------- errors


@pytest.mark.parametrize("path", ["/letters/no-such-letter", "/no/such/page", "/letters/no-such-letter.xml",
                                  "/collections/Nothing"])
def test_missing_pages_are_404_in_html_and_json(client: Client, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "<h1>Not found</h1>" in page.text
    if not path.endswith(".xml"):
        data = client.get(path + ".json")
        assert data.status_code == 404 and data.json()["status"] == 404
    assert client.get("/letters/no-such-letter.json").json() == {
        "error": "no letter has the id 'no-such-letter'", "status": 404}


def test_writing_is_not_allowed(client: Client, seed_id: str) -> None:
    assert client.request("POST", f"/letters/{seed_id}.json").status_code == 405
    assert client.request("DELETE", "/search.json").status_code == 405


# ------------------------------------------------------------------------------------ API, CORS


def test_openapi_describes_every_json_route(client: Client) -> None:
    description = client.get("/api/openapi.json").json()
    assert description["openapi"].startswith("3.")
    documented = set(description["paths"])
    served = {route.path for route in client.app.routes if getattr(route, "name", "").endswith("_json")}
    served |= {"/letters/{id}.xml"}
    assert served - {"/api/openapi.json"} <= documented, served - documented
    # The harvesting routes, in XML, are described too.
    assert {route.path for route in client.app.routes if getattr(route, "name", "") in ("oai", "cmif")} == {
        "/oai", "/cmif.xml"}
    assert set(description["paths"]["/oai"]["get"]["responses"]["200"]["content"]) == {"text/xml"}
    assert set(description["paths"]["/cmif.xml"]["get"]["responses"]["200"]["content"]) == {"application/xml"}
    assert {path for path, *_ in ENDPOINTS} == documented
    assert {f"{path}.json" for path, *_ in PAGES} <= documented
    html = client.get("/api").text
    for path in documented:
        assert path in html


def test_cors_lets_any_site_read(client: Client) -> None:
    response = client.get("/search.json?q=Japan", headers={"Origin": "https://example.org"})
    assert response.headers["access-control-allow-origin"] == "*"
    preflight = client.request("OPTIONS", "/search.json", headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "GET"})
    assert preflight.status_code == 200
    refused = client.request("OPTIONS", "/search.json", headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "POST"})
    assert refused.status_code == 400


def test_pages_carry_a_content_security_policy(client: Client) -> None:
    headers = client.get("/").headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"


def test_static_files_are_vendored_with_licences(client: Client) -> None:
    for library in ("d3/d3.min.js", "topojson-client/topojson-client.min.js", "world-atlas/countries-110m.json"):
        assert client.get(f"/static/vendor/{library}").status_code == 200
        folder = library.split("/")[0]
        assert client.get(f"/static/vendor/{folder}/LICENSE").status_code == 200
    for path in Path(__file__).parents[1].joinpath("src/letterbook/web").rglob("*"):
        if path.suffix in (".html", ".js", ".css", ".py") and "vendor" not in path.parts:
            assert not re.search(r"(src|href)=\"https?://", path.read_text(encoding="utf-8")), path


# ------------------------------------------------------------------------------------- hostility


def _assert_inert(html: str, where: str) -> None:
    assert "<script>alert" not in html, f"{where}: a <script> from a letter is markup"
    assert "<img src=x" not in html, f"{where}: an <img onerror> from a letter is markup"
    assert "javascript:" not in html, f"{where}: a javascript: link from a letter is an href"
    page = page_structure(html)
    assert not page.handlers, f"{where}: inline event handlers {page.handlers}"
    assert not any(tag == "img" for tag, _ in page.tags), where


def test_a_hostile_letter_is_text_on_every_page(client: Client, hostile_id: str) -> None:
    paths = ["/", f"/search?q={HOSTILE_WORD}", f"/letters/{hostile_id}", f"/letters/{hostile_id}/cite",
             f"/collections/{EDITION}", "/search?q=",
             "/search?q=Mallory", "/collections"]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        _assert_inert(response.text, path)
    page = client.get(f"/letters/{hostile_id}").text
    assert "Dear &lt;script&gt;alert(&#34;letterbook&#34;)&lt;/script&gt;" in page
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    search = client.get(f"/search?q={HOSTILE_WORD}").text
    assert f"<mark>{HOSTILE_WORD}</mark> wrote &lt;script&gt;" in search


def test_a_hostile_letter_stays_text_in_jsonld(client: Client, hostile_id: str) -> None:
    html = client.get(f"/letters/{hostile_id}").text
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.S)
    assert len(blocks) == 1
    assert "<" not in blocks[0] and ">" not in blocks[0]
    data = json.loads(blocks[0])
    assert data["name"] == f"Letter {SCRIPT} {IMG}"
    assert END_SCRIPT in data["text"] and "<!--" in data["text"]
    assert "sameAs" not in data["sender"], "a javascript: ref is no link"


def test_a_hostile_letter_comes_back_exactly_in_json_and_tei(client: Client, hostile_id: str) -> None:
    response = client.get(f"/letters/{hostile_id}.json")
    assert response.headers["content-type"] == "application/json"
    letter = response.json()["letter"]
    assert letter["salutation"] == f"Dear {SCRIPT}"
    assert letter["body"][1] == f"Then {END_SCRIPT} <!-- and more."
    tei = client.get(f"/letters/{hostile_id}.xml").content
    root = etree.fromstring(tei)
    assert b"<script>" not in tei
    assert SCRIPT in "".join(root.itertext())


def test_note_marks_link_to_their_footnotes_and_stay_escaped() -> None:
    from letterbook.web.app import NoteMarks

    marks = NoteMarks([{"label": "1", "text": "Cook."}, {"label": "2", "text": "Hankey."}, {"label": "1", "text": "b"}])
    first = str(marks("<b>Cook</b> [1] and [9]"))
    assert first == ('&lt;b&gt;Cook&lt;/b&gt; <sup><a class="noteref" href="#note-1" id="ref-1" '
                     'aria-label="note 1">[1]</a></sup> and [9]')
    assert 'href="#note-3" id="ref-3"' in str(marks("[1] again, then [2]")) and marks.marked == {1, 2, 3}
    assert str(marks("[1]")) == '<sup><a class="noteref" href="#note-3" aria-label="note 1">[1]</a></sup>'


def test_a_letter_page_links_its_note_marks(client: Client, archive: Archive) -> None:
    letter = next(x for x in archive.letters(None, sort="id")
                  if x.notes and x.notes[0].label == "1" and "[1]" in " ".join(x.body))
    html = client.get(f"/letters/{letter.id}").text
    assert '<a class="noteref" href="#note-1" id="ref-1" aria-label="note 1">[1]</a>' in html
    assert '<li id="note-1"><span class="note-label">1</span>' in html and 'href="#ref-1"' in html
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "ids are unique"

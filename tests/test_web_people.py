"""The reading room's person, place, correspondents and thread pages, in-process.

They call ``Archive.people``, ``person``, ``places``, ``place``, ``network`` and ``thread``; the
``people`` fixture fails (never skips) when the archive lacks them.
"""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import pytest
from web_support import (  # noqa: F401 - web_archive and web_client are fixtures
    EDITION,
    IMG,
    SCRIPT,
    Client,
    check_page_structure,
    require_people_api,
    web_archive_fixture,
    web_archive_path_fixture,
    web_client_fixture,
)

from letterbook import Archive


@pytest.fixture(scope="module")
def client(web_client: Client) -> Client:
    require_people_api()
    return web_client


@pytest.fixture(scope="module")
def archive(web_archive: Archive) -> Archive:
    return web_archive


def _data_block(html: str, element_id: str) -> object:
    match = re.search(rf'<script type="application/json" id="{element_id}">(.*?)</script>', html, flags=re.S)
    assert match, f"no {element_id} block"
    return json.loads(match.group(1))


def test_people_are_listed_most_letters_first(client: Client, archive: Archive) -> None:
    data = client.get("/people.json").json()
    assert data["total"] == archive.people(limit=1)["total"] > 100
    first = data["people"][0]
    assert first["url"] == f"/people/{quote(first['id'])}"
    totals = [p["letters_from"] + p["letters_to"] for p in data["people"][:5]]
    assert totals[0] >= 50
    html = client.get("/people").text
    assert f'<a href="{first["url"]}">{first["name"]}</a>' in html
    found = client.get("/people.json", params={"q": "Bruce"}).json()
    assert "S. M. Bruce" in [p["name"] for p in found["people"]]
    by_name = client.get("/people.json", params={"sort": "name"}).json()["people"]
    assert [p["name"].casefold() for p in by_name] == sorted(p["name"].casefold() for p in by_name)
    assert client.get("/people.json", params={"sort": "size"}).status_code == 400


def test_a_person_page_has_letters_correspondents_timeline_map_and_network(client: Client) -> None:
    response = client.get("/people/lookup", params={"name": "S. M. Bruce"}, follow_redirects=False)
    assert response.status_code == 303
    path = response.headers["location"]
    data = client.get(path + ".json").json()
    assert data["name"] == "S. M. Bruce"
    assert len(data["letters_from"]) == 33 and len(data["letters_to"]) == 57
    assert data["letters_from"][0]["url"].startswith("/letters/")
    assert data["correspondents"][0]["name"] == "R. G. Casey"
    years = [int(t["year"]) for t in data["timeline"]]
    assert years == list(range(years[0], years[-1] + 1))
    assert "London" in [point["name"] for point in data["map"]]
    assert data["network"]["centre"] == data["id"]
    assert len(data["network"]["nodes"]) == len(data["correspondents"]) + 1
    html = client.get(path).text
    assert _data_block(html, "map-data") == data["map"]
    assert _data_block(html, "network-data") == data["network"]
    assert 'id="map" role="img" aria-label="Places S. M. Bruce wrote from: a map with' in html
    assert '<script src="/static/vendor/d3/d3.min.js" defer></script>' in html
    for heading in ("Letters from S. M. Bruce", "Letters to S. M. Bruce", "Letters mentioning S. M. Bruce"):
        assert heading in html


def test_people_and_places_not_there_are_404(client: Client) -> None:
    assert client.get("/people/no-such-person").status_code == 404
    assert client.get("/people/no-such-person.json").json()["status"] == 404
    assert client.get("/places/no-such-place.json").status_code == 404
    missing = client.get("/people/lookup", params={"name": "Nobody Atall"}, follow_redirects=False)
    assert missing.status_code == 404 and "no person in the archive is called &#39;Nobody Atall&#39;" in missing.text
    assert client.get("/people/lookup").status_code == 400


def test_a_place_page_has_its_letters_and_a_map(client: Client) -> None:
    response = client.get("/places/lookup", params={"name": "London"}, follow_redirects=False)
    assert response.status_code == 303
    data = client.get(response.headers["location"] + ".json").json()
    assert data["name"] == "London" and len(data["letters_from"]) > 50
    assert data["map"] == [{"id": data["id"], "name": "London", "lat": data["lat"], "lon": data["lon"],
                            "url": f"/places/{quote(data['id'])}"}]
    assert data["authority"][0]["url"].startswith("https://")
    html = client.get(response.headers["location"]).text
    assert "Letters written at London" in html and 'id="map"' in html


def test_places_are_listed_with_a_map(client: Client) -> None:
    data = client.get("/places.json").json()
    assert data["total"] > 20
    assert data["map"] and all(p["lat"] is not None for p in data["map"])
    assert "London" in client.get("/places").text


def test_correspondents_network(client: Client) -> None:
    data = client.get("/correspondents.json").json()
    assert data["nodes"] and data["edges"]
    ids = {node["id"] for node in data["nodes"]}
    assert all(edge["source"] in ids and edge["target"] in ids for edge in data["edges"])
    top = data["edges"][0]
    assert {top["source_name"], top["target_name"]} == {"R. G. Casey", "S. M. Bruce"}
    fewer = client.get("/correspondents.json", params={"min_letters": 5}).json()
    assert 0 < len(fewer["edges"]) < len(data["edges"])
    assert all(edge["letters"] >= 5 for edge in fewer["edges"])
    html = client.get("/correspondents").text
    assert _data_block(html, "network-data")["nodes"] == data["nodes"]
    assert client.get("/correspondents.json", params={"min_letters": 0}).status_code == 400


def _letter_with(archive: Archive, rel: str) -> str:
    for letter in archive.letters(None, sort="id"):
        if any(link.rel == rel and link.target for link in letter.links):
            assert letter.id is not None
            return letter.id
    raise AssertionError(f"no letter of the samples has a {rel} link")


def test_a_letter_shows_its_reply_thread_and_neighbours(client: Client, archive: Archive) -> None:
    letter_id = _letter_with(archive, "reply-to")
    data = client.get(f"/letters/{letter_id}.json").json()
    answered = data["thread"]["reply_to"][0]
    assert answered["url"] == f"/letters/{answered['target']}" and answered["title"]
    assert data["navigation"]["prev_in_correspondence"] or data["navigation"]["next_in_correspondence"]
    assert letter_id in [item["id"] for item in data["conversation"]]
    html = client.get(f"/letters/{letter_id}").text
    assert f'Answers <a href="/letters/{answered["target"]}" data-rel="reply-to">' in html
    assert 'rel="prev"' in html or 'rel="next"' in html
    back = client.get(f"/letters/{answered['target']}.json").json()
    assert letter_id in [link["target"] for link in back["thread"]["replied_by"]]


def test_a_letter_links_the_people_and_places_it_mentions(client: Client, archive: Archive) -> None:
    letter = next(x for x in archive.letters(None, sort="id") if x.mentions_persons and x.mentions_places)
    html = client.get(f"/letters/{letter.id}").text
    person = letter.mentions_persons[0].name
    assert f'href="/people/lookup?name={quote(person).replace("%20", "+")}' in html.replace("&amp;", "&")
    response = client.get("/people/lookup", params={"name": person}, follow_redirects=False)
    assert response.status_code == 303
    place = letter.mentions_places[0].name
    assert client.get("/places/lookup", params={"name": place}, follow_redirects=False).status_code == 303


def test_a_hostile_sender_is_text_on_the_person_page(client: Client) -> None:
    response = client.get("/people/lookup", params={"name": f"Mallory {SCRIPT}"}, follow_redirects=False)
    assert response.status_code == 303
    for path in (response.headers["location"], "/people", "/correspondents", "/places"):
        html = client.get(path).text
        assert "<script>alert" not in html and "<img src=x" not in html, path
    data = client.get(response.headers["location"] + ".json").json()
    assert data["name"] == f"Mallory {SCRIPT}"
    assert data["letters_to"] == [] and f"Bob {IMG}" in data["letters_from"][0]["recipients"]


def test_people_and_places_pages_have_landmarks_and_ordered_headings(client: Client) -> None:
    person = client.get("/people/lookup", params={"name": "S. M. Bruce"}, follow_redirects=False)
    place = client.get("/places/lookup", params={"name": "London"}, follow_redirects=False)
    for path in ("/people", person.headers["location"], "/places", place.headers["location"], "/correspondents"):
        response = client.get(path)
        assert response.status_code == 200, path
        check_page_structure(response.text, path)


def test_a_letter_links_its_neighbours_in_the_collection(client: Client, archive: Archive) -> None:
    letters = {(x.collection.volume, x.collection.number): x.id
               for x in archive.letters(f'collection:"{EDITION}"') if x.collection}
    data = client.get(f"/letters/{letters[('2', '10')]}.json").json()
    assert data["navigation"]["prev_in_collection"]["url"] == f"/letters/{letters[('2', '9')]}"
    assert data["navigation"]["next_in_collection"]["url"] == f"/letters/{letters[('2', '100')]}"
    html = client.get(f"/letters/{letters[('2', '10')]}").text
    assert f'<a href="/letters/{letters[("2", "9")]}" rel="prev">Previous in the collection: Letter 2/9' in html
    assert f'<a href="/letters/{letters[("2", "100")]}" rel="next">Next in the collection: Letter 2/100' in html

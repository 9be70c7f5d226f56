"""What only a browser shows: a historian searching, narrowing by a facet, reading a letter,
following its reply thread and its neighbours, and opening a person with a map and a network."""

from __future__ import annotations

import re
from typing import Any

from web_support import HOSTILE_WORD, SCRIPT


def test_search_then_narrow_by_a_facet(page: Any, screenshot: Any) -> None:
    page.goto("/")
    page.get_by_role("searchbox", name="Search the letters").fill("Japan")
    page.get_by_role("searchbox", name="Search the letters").press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=Japan"))
    status = page.locator(".result-count")
    before = int(status.inner_text().split()[0].replace(",", ""))
    assert before > 20
    assert page.locator(".snippet mark").count() > 0
    screenshot(page, "search")
    facet = page.locator('a[data-facet="sender"]').first
    name = facet.inner_text()
    facet.click()
    page.wait_for_url(re.compile(r"from"))
    after = int(status.inner_text().split()[0].replace(",", ""))
    assert 0 < after < before
    assert page.get_by_label("Query").input_value().startswith("Japan from:")
    senders = page.locator(".hit .meta").all_inner_texts()
    assert senders and all(text.startswith(name) for text in senders)
    screenshot(page, "search-narrowed")


def test_read_a_letter_follow_its_reply_and_neighbours(page: Any, screenshot: Any) -> None:
    page.goto("/search?q=" + "UN.796")
    page.locator(".hit h3 a").first.click()
    page.wait_for_url(re.compile(r"/letters/"))
    first = page.url
    assert page.locator("article.letter h1").inner_text()
    assert page.locator(".letter-text p").count() >= 1
    screenshot(page, "letter")
    # The reply thread: this letter answers one, or is answered by one.
    thread = page.locator('.thread a[data-rel="reply-to"], .thread a[data-rel="replied-by"]').first
    title = thread.inner_text()
    thread.click()
    page.wait_for_url(lambda url: url != first)
    assert page.locator("article.letter h1").inner_text() == title
    screenshot(page, "letter-reply")
    # Next or previous in the correspondence.
    here = page.url
    page.locator('.letter-nav a[rel="next"], .letter-nav a[rel="prev"]').first.click()
    page.wait_for_url(lambda url: url != here)
    assert page.locator("article.letter h1").is_visible()
    # The citation box fills in Chicago and MLA, and shows its copy buttons, when JavaScript runs.
    page.wait_for_selector("#cite-chicago:not([data-cite-url])")
    assert page.locator("#cite-chicago").inner_text().strip() != "The Chicago citation"
    assert page.get_by_role("button", name="Copy Chicago").is_visible()
    screenshot(page, "letter-neighbour")


def test_a_person_has_a_map_with_markers_and_a_network(page: Any, screenshot: Any) -> None:
    page.goto("/search?q=" + 'from:"S. M. Bruce"')
    page.locator(".hit h3 a").first.click()
    page.get_by_role("link", name="S. M. Bruce").first.click()
    page.wait_for_url(re.compile(r"/people/"))
    assert page.locator("h1").inner_text() == "S. M. Bruce"
    page.wait_for_selector('svg#map[data-ready="true"]')
    markers = page.locator("svg#map circle.marker")
    assert markers.count() >= 2
    assert page.locator("svg#map path.land").count() > 100  # the countries of the offline basemap
    page.wait_for_selector('svg#network[data-ready="true"]')
    nodes = page.locator("svg#network .node circle")
    assert nodes.count() == len(page.locator("ul.correspondents li").all()) + 1
    assert page.locator("svg#network line.edge").count() == nodes.count() - 1
    box = markers.first.bounding_box()
    assert box and box["width"] > 0
    screenshot(page, "person")
    page.locator("svg#network .node").nth(1).click()
    page.wait_for_url(re.compile(r"/people/"))
    assert page.locator("h1").inner_text() != "S. M. Bruce"


def test_the_network_and_the_places_map_are_drawn(page: Any, screenshot: Any) -> None:
    page.goto("/correspondents")
    page.wait_for_selector('svg#network[data-ready="true"]')
    assert page.locator("svg#network .node").count() > 20
    screenshot(page, "correspondents")
    page.goto("/places")
    page.wait_for_selector('svg#map[data-ready="true"]')
    assert page.locator("svg#map circle.marker").count() > 5
    screenshot(page, "places")


def test_keyboard_reaches_the_content_first(page: Any) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")


def test_a_hostile_letter_runs_nothing(page: Any, screenshot: Any) -> None:
    # The page fixture fails the test on any dialog or JavaScript error.
    page.goto(f"/search?q={HOSTILE_WORD}")
    assert SCRIPT in page.locator(".snippet").first.inner_text()
    page.locator(".hit h3 a").first.click()
    page.wait_for_url(re.compile(r"/letters/"))
    assert page.locator(".salutation").inner_text() == f"Dear {SCRIPT}"
    assert page.locator("article img").count() == 0
    screenshot(page, "hostile-letter")
    page.get_by_role("link", name=re.compile("^Mallory")).first.click()
    page.wait_for_url(re.compile(r"/people/"))
    assert page.locator("h1").inner_text().startswith("Mallory <script>")

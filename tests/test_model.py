"""The letter model: plain dataclasses with a lossless JSON round trip."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

import letterbook
from letterbook import Agent, Collection, Letter, Link, Note, Place, Source, When

text = st.text(max_size=40)
maybe_text = st.none() | text
iso_day = st.dates().map(lambda d: d.isoformat())

agents = st.builds(Agent, name=text, as_written=maybe_text, role=maybe_text, ref=maybe_text,
                   kind=st.sampled_from(["person", "organisation"]))
places = st.builds(Place, name=text, as_written=maybe_text, ref=maybe_text)
whens = st.builds(When, when=st.none() | iso_day, not_before=st.none() | iso_day,
                  not_after=st.none() | iso_day, as_written=maybe_text,
                  certainty=st.sampled_from(["high", "medium", "low", "unknown"]),
                  calendar=st.sampled_from(["gregorian", "julian"]))
links = st.builds(Link, rel=st.sampled_from(["series", "notes", "archive", "reply-to", "refers-to"]),
                  target=maybe_text, label=maybe_text, evidence=maybe_text,
                  confidence=st.none() | st.floats(0, 1))
notes = st.builds(Note, text=text, label=maybe_text, kind=st.sampled_from(["footnote", "editorial"]))
sources = st.builds(Source, path=text, part=st.integers(0, 10_000), format=maybe_text, sha256=maybe_text,
                    reference=maybe_text)
letters = st.builds(
    Letter, source=sources, title=maybe_text, sender=st.none() | agents, co_senders=st.lists(agents, max_size=2),
    recipients=st.lists(agents, max_size=3), date=st.none() | whens, place=st.none() | places,
    destination=st.none() | places,
    collection=st.none() | st.builds(Collection, title=maybe_text, volume=maybe_text, number=maybe_text),
    series=maybe_text, classification=maybe_text, salutation=maybe_text, body=st.lists(text, max_size=4),
    closing=maybe_text, signature=maybe_text, dateline=maybe_text, postscript=maybe_text, address=maybe_text,
    notes=st.lists(notes, max_size=3), links=st.lists(links, max_size=3),
    mentions_persons=st.lists(agents, max_size=2), mentions_places=st.lists(places, max_size=2),
    language=maybe_text, kind=maybe_text, id=maybe_text, raw_text=maybe_text,
)


@settings(max_examples=300, deadline=None)
@given(letters)
def test_any_letter_survives_json(letter: Letter) -> None:
    data = json.loads(json.dumps(letter.to_json()))
    assert Letter.from_json(data) == letter


def test_the_extract_contract_keys() -> None:
    letter = Letter(source=Source(path="dfat/volume-8-1945/12-x.md"), title="Churchill to Curtin",
                    sender=Agent("Winston Churchill", "Churchill"), recipients=[Agent("John Curtin", "Curtin")],
                    date=When("1945-02-17", as_written="17 February 1945"), place=Place("London", "LONDON"))
    data = letter.to_json()
    assert data["source"] == "dfat/volume-8-1945/12-x.md"
    assert data["part"] == 0
    assert data["sender"] == {"name": "Winston Churchill", "as_written": "Churchill", "ref": None,
                              "kind": "person"}
    assert data["recipients"][0]["name"] == "John Curtin"
    assert data["date"]["when"] == "1945-02-17" and data["date"]["as_written"] == "17 February 1945"
    assert data["place"] == {"name": "London", "as_written": "LONDON", "ref": None}


def test_public_api_is_curated() -> None:
    assert sorted(letterbook.__all__) == sorted([
        "Agent", "Archive", "Collection", "Letter", "LetterbookError", "Link", "Note", "Place", "Source",
        "UnreadableFile", "When", "read", "read_text"])
    for name in letterbook.__all__:
        assert getattr(letterbook, name) is not None


def test_read_text_reads_a_string() -> None:
    letters = letterbook.read_text("Churchill to Curtin\n\nCablegram 12 LONDON, 17 February 1945\n\n"
                                   "The matter is settled.\n", name="note.txt")
    assert len(letters) == 1
    assert letters[0].sender is not None and letters[0].sender.name == "Churchill"
    assert letters[0].place is not None and letters[0].place.name == "London"

"""People, places and threads in the archive: enrichment run by ingest and stored, what a
historian sees of it (people, person, places, place, thread, network, search by any name form),
corrections that survive later ingests, ids that stay, and the command line over it all."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from letterbook.archive import Archive, letter_summary
from letterbook.archive_people import _known_ids
from letterbook.cli import main
from letterbook.errors import LetterNotFound, PersonNotFound, PlaceNotFound
from letterbook.model import Agent, Letter, Source, When

ROOT = Path(__file__).parents[1]
SHARED = ROOT.parent / "shared"
SEED = "000_3d2466e82666b884.txt"


def _letter(id: str, sender: str, recipient: str, day: str, body: str, number: str | None = None) -> Letter:
    return Letter(source=Source("stalin.jsonl"), id=id, title=f"{sender} to {recipient}",
                  sender=Agent(sender, sender), recipients=[Agent(recipient, recipient)],
                  date=When(day, as_written=day), body=[body])


def _write_jsonl(path: Path, letters: list[Letter]) -> Path:
    path.write_text("".join(json.dumps(x.to_json(), ensure_ascii=False) + "\n" for x in letters), encoding="utf-8")
    return path


STALIN = [
    _letter("s1", "J. Stalin", "Harry S. Truman", "1945-05-01", "I received your message about Poland."),
    _letter("s2", "Premier J. V. Stalin", "H. Truman", "1945-06-02",
            "I have received your message of 1 May. Mr Byrnes spoke with Mr Molotov in Moscow."),
    _letter("s3", "Harry S. Truman", "Marshal Stalin", "1945-06-10",
            "Thank you for your message of 2 June. Mr Byrnes will come to Moscow."),
    _letter("s4", "Stalin", "Truman", "1945-07-01", "The conference in Berlin will begin soon."),
]


@pytest.fixture(params=["tantivy", "fts5", "postgresql"])
def stalin(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Archive]:
    if request.param == "postgresql":  # the people's tables on the server store (tests/conftest.py)
        archive = Archive.open(request.getfixturevalue("postgres_url"))
    else:
        archive = Archive.open(tmp_path / "a.db", index=request.param)
    archive.ingest(_write_jsonl(tmp_path / "stalin.jsonl", STALIN))
    yield archive
    archive.close()


def _ids(archive: Archive, query: str) -> set[str]:
    return {hit.letter.id or "" for hit in archive.search(query, per_page=100).hits}


def test_from_and_to_find_a_person_by_any_form_of_the_name(stalin: Archive) -> None:
    assert _ids(stalin, "from:Stalin") == {"s1", "s2", "s4"}
    assert _ids(stalin, 'from:"J. Stalin"') == {"s1", "s2", "s4"}
    assert _ids(stalin, 'from:"Premier J. V. Stalin"') == {"s1", "s2", "s4"}
    assert _ids(stalin, "to:Truman") == {"s1", "s2", "s4"}
    assert _ids(stalin, "to:stalin") == {"s3"}
    assert _ids(stalin, "from:Stalin -to:Truman") == set()
    assert _ids(stalin, "from:nobody") == set()
    person = stalin.people(query="stalin")["people"]
    assert len(person) == 1 and person[0]["letters_from"] == 3 and person[0]["letters_to"] == 1
    assert _ids(stalin, f"from:{person[0]['id']}") == {"s1", "s2", "s4"}


def test_mentions_filter_finds_the_persons_a_letter_names(stalin: Archive) -> None:
    assert _ids(stalin, "mentions:Byrnes") == {"s2", "s3"}
    assert _ids(stalin, "mentions:byrnes moscow") == {"s2", "s3"}
    assert _ids(stalin, "mentions:Byrnes -from:Truman") == {"s2"}
    byrnes = stalin.get("s2").mentions_persons
    assert "Byrnes" in [m.name for m in byrnes] and all(m.ref for m in byrnes)


def test_replies_are_linked_with_their_evidence_and_shown_in_the_thread(stalin: Archive) -> None:
    letter = stalin.get("s3")
    reply = [link for link in letter.links if link.rel == "reply-to"]
    assert [link.target for link in reply] == ["s2"]
    assert reply[0].evidence and "your message of 2 June" in reply[0].evidence and reply[0].confidence
    thread = stalin.thread("s2")
    rels = {(link["rel"], link["target"]) for link in thread["links"]}
    assert ("replied-by", "s3") in rels and ("prev-in-correspondence", "s1") in rels
    assert [s["id"] for s in thread["conversation"]] == ["s1", "s2", "s3", "s4"]
    assert thread["letter"] == letter_summary(stalin.get("s2"))
    with pytest.raises(LetterNotFound):
        stalin.thread("nope")


def test_person_gives_letters_forms_correspondents_and_timeline(stalin: Archive) -> None:
    ident = stalin.people(query="stalin")["people"][0]["id"]
    person = stalin.person(ident)
    assert {f["form"] for f in person["forms"]} == {"J. Stalin", "Premier J. V. Stalin", "Stalin", "Marshal Stalin"}
    assert [s["id"] for s in person["letters_from"]] == ["s1", "s2", "s4"]
    assert [s["id"] for s in person["letters_to"]] == ["s3"]
    assert person["correspondents"][0]["name"] == "Harry S. Truman" and person["correspondents"][0]["letters"] == 4
    assert person["timeline"] == [{"year": 1945, "letters": 4}]
    assert set(person["letters_from"][0]) == {"id", "title", "sender", "recipients", "date", "place"}
    with pytest.raises(PersonNotFound) as caught:
        stalin.person("nobody-at-all")
    assert caught.value.status == 404
    with pytest.raises(PlaceNotFound) as missing:
        stalin.place("nowhere")
    assert missing.value.status == 404
    network = stalin.network()
    assert {(e["source"], e["target"], e["letters"]) for e in network["edges"]} >= {(ident, "harry-s-truman", 3)}
    assert {n["id"] for n in network["nodes"]} == {ident, "harry-s-truman"}


def test_a_form_two_persons_bore_votes_for_neither_id() -> None:
    # "Smuts" was a form of J. C. Smuts and of a heading's "King and Smuts": as a vote for either
    # id it made the two swap ids, and 95-129 of 20,000 generated letters change, at every run.
    forms = [("J. C. Smuts", "j-c-smuts"), ("Smuts", "j-c-smuts"), ("King and Smuts", "j-c-smuts-2"),
             ("Smuts", "j-c-smuts-2"), ("SMUTS", "j-c-smuts-2")]
    assert _known_ids(forms) == {"j. c. smuts": "j-c-smuts", "king and smuts": "j-c-smuts-2"}


def test_two_persons_sharing_a_form_keep_their_ids_run_after_run(tmp_path: Path) -> None:
    letters = [_letter(f"k{n}", "General J. C. Smuts", "John Curtin", f"1942-0{n}-01", "Yes.") for n in (1, 2)]
    letters += [_letter(f"k{n}", "King and Smuts", "John Curtin", f"1942-0{n}-02", "No.") for n in (3, 4, 5)]
    letters += [_letter("k6", "Smuts", "John Curtin", "1942-06-01", "Maybe."),
                _letter("k7", "John Curtin", "Smuts", "1942-07-01", "Thank you."),
                _letter("k8", "John Curtin", "J. C. Smuts", "1942-08-01", "Thank you again.")]
    with Archive.open(tmp_path / "a.db") as archive:
        archive.ingest(_write_jsonl(tmp_path / "k.jsonl", letters))
        people = archive.people(query="smuts")["people"]
        assert len(people) == 2
        before = {p["id"]: p["name"] for p in people}
        for _ in range(2):
            assert archive.enrich().changed == 0
            assert {p["id"]: p["name"] for p in archive.people(query="smuts")["people"]} == before


def test_corrections_and_ids_survive_later_ingests(tmp_path: Path) -> None:
    path = _write_jsonl(tmp_path / "stalin.jsonl", STALIN)
    with Archive.open(tmp_path / "a.db") as archive:
        archive.ingest(path)
        stalin = archive.people(query="stalin")["people"][0]["id"]
        truman = archive.people(query="truman")["people"][0]["id"]
        split = archive.split_person(stalin, ["Marshal Stalin"], editor="A. Historian")
        assert split != stalin and archive.person(split)["letters_to"][0]["id"] == "s3"
        assert archive.rename_person(stalin, "Joseph Stalin", editor="A. Historian")["name"] == "Joseph Stalin"
        merged = archive.merge_people(stalin, split, editor="A. Historian")
        assert merged["id"] == stalin and len(merged["letters_to"]) == 1
        assert [c["action"] for c in archive.people_corrections()] == ["split", "rename", "merge"]
    # A new letter, and the same ones again: the corrections are replayed, the ids kept.
    _write_jsonl(path, [*STALIN, _letter("s5", "J. V. Stalin", "Truman", "1945-08-01", "Your message reached me.")])
    with Archive.open(tmp_path / "a.db") as archive:
        report = archive.ingest(path)
        assert report.enrichment is not None and report.new == 1
        person = archive.person(stalin)
        assert person["name"] == "Joseph Stalin"
        assert [s["id"] for s in person["letters_from"]] == ["s1", "s2", "s4", "s5"]
        assert archive.people(query="truman")["people"][0]["id"] == truman
        assert archive.enrich().people == archive.stats()["people"] + archive.stats()["organisations"]
        assert archive.person(stalin)["name"] == "Joseph Stalin"
        again = archive.ingest(path)  # nothing changed: no enrichment run
        assert again.enrichment is None


def test_a_persons_edit_is_kept_and_enrichment_follows_it(tmp_path: Path) -> None:
    with Archive.open(tmp_path / "a.db") as archive:
        archive.ingest(_write_jsonl(tmp_path / "stalin.jsonl", STALIN))
        archive.edit("s4", "sender", "V. M. Molotov", editor="A. Historian")
        archive.enrich()
        assert archive.get("s4").sender.name == "V. M. Molotov"  # type: ignore[union-attr]
        assert _ids(archive, "from:Molotov") == {"s4"}
        assert archive.provenance("s4")["sender"].editor == "A. Historian"


def test_ingest_without_enrichment_then_enrich(tmp_path: Path) -> None:
    with Archive.open(tmp_path / "a.db") as archive:
        report = archive.ingest(_write_jsonl(tmp_path / "stalin.jsonl", STALIN), enrich=False)
        assert report.enrichment is None and archive.people()["total"] == 0
        assert archive.enrich().letters == 4
        names = {p["name"] for p in archive.people()["people"]}
        assert {"J. V. Stalin", "Harry S. Truman", "Byrnes"} <= names and archive.get("s3").links


# ------------------------------------------------------------------ the seed and the examples


@pytest.fixture(scope="module")
def seed_archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Archive]:
    if not (SHARED / "seed").exists():
        pytest.skip("needs ../shared/seed")
    folder = tmp_path_factory.mktemp("seed")
    archive = Archive.open(folder / "a.db")
    archive.ingest([SHARED / "seed", ROOT / "examples"])
    yield archive
    archive.close()


def _seed_letter(archive: Archive) -> Letter:
    return next(x for x in archive.letters('from:Stalin "Byrnes"') if x.source.path.endswith(f"seed/{SEED}"))


def test_the_seed_letter_is_linked_to_its_people_and_places(shared_path: Callable[..., Path],
                                                            seed_archive: Archive) -> None:
    shared_path("seed")
    letter = _seed_letter(seed_archive)
    named = {m.name: m.ref for m in letter.mentions_persons}
    assert {"Byrnes", "Chandor", "Harry S. Truman"} <= set(named)
    places = {p.name for p in letter.mentions_places}
    assert {"Moscow", "Japan", "Soviet Union", "United States"} <= places
    byrnes = seed_archive.person(named["Byrnes"] or "")
    assert letter.id in {s["id"] for s in byrnes["mentioned_in"]}
    moscow = next(p for p in letter.mentions_places if p.name == "Moscow")
    place = seed_archive.place(moscow.ref or "")
    assert place["lat"] == pytest.approx(55.75, abs=0.1) and any("geonames" in a for a in place["authority"])
    assert letter.id in {s["id"] for s in place["mentioned_in"]}
    stats = seed_archive.stats()
    assert stats["letters"] == 302 and stats["people"] > 100 and stats["places"] > 100


def test_people_places_and_network_of_the_examples(shared_path: Callable[..., Path], seed_archive: Archive) -> None:
    shared_path("seed")
    found = seed_archive.people(limit=3)
    assert found["total"] > 100
    assert [p["name"] for p in found["people"]][:2] == ["S. M. Bruce", "R. G. Casey"]
    by_name = seed_archive.people(sort="name", limit=5)["people"]
    assert [p["name"] for p in by_name] == sorted(p["name"] for p in by_name)
    london = seed_archive.places(query="london")["places"][0]
    assert london["name"] == "London" and london["letters_from"] > 50
    network = seed_archive.network(min_letters=10)
    assert {"source": "r-g-casey", "target": "s-m-bruce", "letters": network["edges"][0]["letters"]} \
        == network["edges"][0]
    assert all(edge["letters"] >= 10 for edge in network["edges"])


# ------------------------------------------------------------------ DFAT


@pytest.fixture(scope="module")
def dfat_archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Archive]:
    base = SHARED / "eval" / "dfat"
    if not base.exists():
        pytest.skip("needs ../shared/eval/dfat")
    folder = tmp_path_factory.mktemp("dfat")
    for volume in ("volume-17-1923-1929-letters-from-s-m-bruce-to-r-g-casey", "volume-3-1940-january-june"):
        shutil.copytree(base / volume, folder / volume)
    archive = Archive.open(folder / "a.db")
    archive.ingest(folder, workers=2)
    yield archive
    archive.close()


def test_dfat_every_bruce_of_volume_17_is_one_person(shared_path: Callable[..., Path], dfat_archive: Archive) -> None:
    shared_path("eval", "dfat")
    volume = [x for x in dfat_archive.letters() if "volume-17-" in x.source.path]
    assert len(volume) > 200
    bruce = dfat_archive.person("s-m-bruce")
    written = {s["id"] for s in bruce["letters_from"]} | {s["id"] for s in bruce["letters_to"]}
    with_bruce = {x.id for x in volume if any("Bruce" in a.name for a in [x.sender, *x.recipients] if a)}
    assert with_bruce and with_bruce <= written
    assert [p["id"] for p in dfat_archive.people(query="bruce", limit=50)["people"]
            if p["letters_from"] + p["letters_to"]] == ["s-m-bruce"]


def test_dfat_reply_links_are_in_the_thread(shared_path: Callable[..., Path], dfat_archive: Archive) -> None:
    shared_path("eval", "dfat")
    replies = [x for x in dfat_archive.letters() if any(k.rel == "reply-to" for k in x.links)]
    assert len(replies) > 30
    letter = next(x for x in replies if "278-mr-s-m-bruce" in x.source.path)
    thread = dfat_archive.thread(letter.id or "")
    reply = [link for link in thread["links"] if link["rel"] == "reply-to"]
    target = dfat_archive.get(reply[0]["target"])
    assert "259-mr-r-g-menzies" in target.source.path and reply[0]["evidence"] and reply[0]["confidence"] >= 0.6
    assert {letter.id, target.id} <= {s["id"] for s in thread["conversation"]}
    dates = [s["date"] for s in thread["conversation"]]
    assert dates == sorted(dates)


# ------------------------------------------------------------------ the command line


def test_the_commands(tmp_path: Path) -> None:
    runner = CliRunner()
    db = str(tmp_path / "a.db")
    path = str(_write_jsonl(tmp_path / "stalin.jsonl", STALIN))
    result = runner.invoke(main, ["ingest", path, "--db", db, "--no-enrich"])
    assert result.exit_code == 0, result.output
    assert json.loads(runner.invoke(main, ["people", "--json", "--db", db]).output) == {"total": 0, "people": []}
    result = runner.invoke(main, ["enrich", "--db", db])
    assert result.exit_code == 0 and "enriched 4 letters: " in result.output
    people = json.loads(runner.invoke(main, ["people", "--json", "--query", "stalin", "--db", db]).output)
    stalin = people["people"][0]["id"]
    shown = runner.invoke(main, ["person", stalin, "--db", db]).output
    assert "Premier J. V. Stalin" in shown and "s2  1945-06-02" in shown
    assert json.loads(runner.invoke(main, ["person", stalin, "--json", "--db", db]).output)["id"] == stalin
    result = runner.invoke(main, ["person", "nobody", "--db", db])
    assert result.exit_code == 1 and "no person has the id 'nobody'" in result.output
    thread = runner.invoke(main, ["thread", "s3", "--db", db]).output
    assert "reply-to: s2" in thread and "your message of 2 June" in thread
    assert json.loads(runner.invoke(main, ["thread", "s3", "--json", "--db", db]).output)["letter"]["id"] == "s3"
    places = json.loads(runner.invoke(main, ["places", "--json", "--db", db]).output)
    moscow = next(p for p in places["places"] if p["name"] == "Moscow")
    assert "Moscow" in runner.invoke(main, ["place", moscow["id"], "--db", db]).output
    assert json.loads(runner.invoke(main, ["place", moscow["id"], "--json", "--db", db]).output)["mentioned_in"]
    assert "→" in runner.invoke(main, ["network", "--db", db]).output
    show = runner.invoke(main, ["show", "s3", "--db", db]).output
    assert "link reply-to" in show and "mentions: " in show and "Byrnes" in show
    result = runner.invoke(main, ["people", "split", stalin, "Marshal Stalin", "--editor", "me", "--db", db])
    assert result.exit_code == 0, result.output
    split = result.output.strip()
    result = runner.invoke(main, ["people", "merge", stalin, split, "--editor", "me", "--db", db])
    assert result.exit_code == 0 and "Marshal Stalin" in result.output
    result = runner.invoke(main, ["people", "rename", stalin, "Joseph Stalin", "--db", db])
    assert result.exit_code == 0 and result.output.strip() == f"{stalin}: Joseph Stalin"
    result = runner.invoke(main, ["people", "split", stalin, "Uncle Joe", "--db", db])
    assert result.exit_code == 1 and "is not written Uncle Joe" in result.output
    stats = json.loads(runner.invoke(main, ["stats", "--json", "--db", db]).output)
    with Archive.open(db) as archive:
        people, places = archive.people()["total"], archive.places()["total"]
    assert (stats["letters"], stats["people"] + stats["organisations"], stats["places"]) == (4, people, places)
    assert people >= 3 and places >= 2
    assert "mentions:Byrnes" in runner.invoke(main, ["search", "--help"]).output

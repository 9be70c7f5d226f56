"""Both search indexes on real letters: matching, filters, sort, pages, facets, ranking, changes."""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import letterbook
from letterbook.model import Agent, Collection, Letter, Place, Source, When
from letterbook.read import iter_files
from letterbook.search import FACETS, SearchDoc, SearchIndex, doc_for, make_snippet, open_index, parse_query
from letterbook.search.document import date_key
from letterbook.search.query import fold
from letterbook.search.snippets import word_tokens

ROOT = Path(__file__).parents[1]
KINDS = ("fts5", "tantivy")


def read_examples() -> list[SearchDoc]:
    docs = []
    for path in iter_files([ROOT / "examples" / "letters"]).files:
        for number, letter in enumerate(letterbook.read(path)):
            letter.id = f"{path.stem}-{number}"
            docs.append(doc_for(letter))
    return docs


EXAMPLES = read_examples()
BY_ID = {doc.id: doc for doc in EXAMPLES}


def make_index(kind: str, where: Path | None = None) -> SearchIndex:
    if kind == "fts5":
        return open_index("fts5", sqlite_connection=sqlite3.connect(where / "store.db" if where else ":memory:"))
    return open_index("tantivy", path=where / "store.db.index" if where else None)


@pytest.fixture(scope="module", params=KINDS)
def index(request: pytest.FixtureRequest) -> Iterator[SearchIndex]:
    made = make_index(request.param)
    made.add(EXAMPLES)
    made.commit(sequence=len(EXAMPLES))
    yield made
    made.close()


@pytest.fixture(params=KINDS)
def fresh(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], SearchIndex]]:
    """Give a maker of the index kind, reopening the same files each time it is called."""
    opened: list[SearchIndex] = []

    def make() -> SearchIndex:
        made = make_index(request.param, tmp_path)
        opened.append(made)
        return made

    yield make
    for made in opened:
        made.close()


def all_ids(index: SearchIndex, text: str, **options: object) -> list[str]:
    result = index.search(parse_query(text), limit=10_000, facets=(), **options)  # type: ignore[arg-type]
    assert result.total == len(result.hits)
    return [hit.id for hit in result.hits]


# What the indexes should find, worked out by brute force over the documents.


def words_of(doc: SearchDoc) -> list[list[str]]:
    names = list(dict.fromkeys(doc.senders + doc.recipients))
    return [word_tokens(part) for part in (doc.title, "\n".join(names), doc.place or "", doc.body)]


def has_sequence(doc: SearchDoc, phrase: str, prefix: bool = False) -> bool:
    wanted = word_tokens(phrase)
    for tokens in words_of(doc):
        for start in range(len(tokens) - len(wanted) + 1):
            window = tokens[start:start + len(wanted)]
            if window[:-1] == wanted[:-1] and (window[-1].startswith(wanted[-1]) if prefix
                                               else window[-1] == wanted[-1]):
                return True
    return False


def brute(predicate: Callable[[SearchDoc], bool]) -> set[str]:
    return {doc.id for doc in EXAMPLES if predicate(doc)}


def test_the_examples_are_enough_to_test_with() -> None:
    assert len(EXAMPLES) > 250
    assert len(brute(lambda d: has_sequence(d, "telegram"))) > 50


@pytest.mark.parametrize("word", ["telegram", "TELEGRAM", "japanese", "stalin", "canberra", "u.k", "1938"])
def test_a_word_finds_every_letter_with_it(index: SearchIndex, word: str) -> None:
    expected = brute(lambda d: has_sequence(d, word))
    assert expected
    assert set(all_ids(index, word)) == expected


@pytest.mark.parametrize("phrase", ["prime minister", "foreign affairs", "united kingdom government",
                                    "government of the"])
def test_a_phrase_finds_its_words_in_order(index: SearchIndex, phrase: str) -> None:
    expected = brute(lambda d: has_sequence(d, phrase))
    assert expected
    assert set(all_ids(index, f'"{phrase}"')) == expected
    assert expected <= brute(lambda d: all(has_sequence(d, w) for w in phrase.split()))


@pytest.mark.parametrize("prefix", ["minist", "negoti", "japan"])
def test_a_prefix_finds_every_word_it_begins(index: SearchIndex, prefix: str) -> None:
    expected = brute(lambda d: has_sequence(d, prefix, prefix=True))
    assert expected > brute(lambda d: has_sequence(d, prefix))
    assert set(all_ids(index, f"{prefix}*")) == expected


def test_boolean_operators(index: SearchIndex) -> None:
    telegram = brute(lambda d: has_sequence(d, "telegram"))
    japan = brute(lambda d: has_sequence(d, "japan"))
    italy = brute(lambda d: has_sequence(d, "italy"))
    everyone = set(BY_ID)
    assert set(all_ids(index, "telegram japan")) == telegram & japan
    assert set(all_ids(index, "telegram AND japan")) == telegram & japan
    assert set(all_ids(index, "japan OR italy")) == japan | italy
    assert set(all_ids(index, "telegram -japan")) == telegram - japan
    assert set(all_ids(index, "telegram NOT japan")) == telegram - japan
    assert set(all_ids(index, "-japan")) == everyone - japan
    assert set(all_ids(index, "(japan OR italy) -telegram")) == (japan | italy) - telegram
    assert set(all_ids(index, "japan OR -telegram")) == japan | (everyone - telegram)
    assert set(all_ids(index, "")) == everyone


def test_filters_match_exactly(index: SearchIndex) -> None:
    casey = brute(lambda d: "r. g. casey" in {fold(n) for n in d.senders})
    assert casey
    assert set(all_ids(index, 'from:"R. G. Casey"')) == casey
    assert set(all_ids(index, 'from:"r.  g. CASEY"')) == casey
    assert all_ids(index, "from:Casey") == []  # a name form is matched whole
    bruce = brute(lambda d: "s. m. bruce" in {fold(n) for n in d.recipients})
    assert set(all_ids(index, 'to:"S. M. Bruce"')) == bruce
    london = brute(lambda d: d.place == "London")
    assert set(all_ids(index, "place:london")) == london
    assert set(all_ids(index, "lang:EN")) == brute(lambda d: d.language == "en")
    assert set(all_ids(index, "collection:correspondence")) == brute(lambda d: d.collection == "Correspondence")
    in_1938 = brute(lambda d: d.year_from is not None and d.year_from <= 1938 <= (d.year_to or d.year_from))
    assert set(all_ids(index, "year:1938")) == in_1938
    war = brute(lambda d: d.year_from is not None and d.year_from <= 1945 and (d.year_to or 0) >= 1939)
    assert set(all_ids(index, "year:1939..1945")) == war
    assert set(all_ids(index, "year:..1938")) == brute(lambda d: d.year_from is not None and d.year_from <= 1938)
    assert set(all_ids(index, "year:1946..")) == brute(lambda d: d.year_to is not None and d.year_to >= 1946)
    telegram = brute(lambda d: has_sequence(d, "telegram"))
    assert set(all_ids(index, 'telegram from:"R. G. Casey" year:1939..1945')) == telegram & casey & war
    assert set(all_ids(index, 'telegram OR from:"R. G. Casey"')) == telegram | casey


def test_filters_do_not_change_the_ranking(index: SearchIndex) -> None:
    ranked = all_ids(index, "telegram")
    filtered = all_ids(index, "telegram lang:en")
    assert filtered == [i for i in ranked if i in set(filtered)]


def test_sort_by_date_both_ways_with_undated_letters_last(index: SearchIndex) -> None:
    for sort, reverse in (("date", False), ("-date", True)):
        ids = all_ids(index, "telegram", sort=sort)
        keys = [date_key(BY_ID[i].date_sort) for i in ids]
        dated = [k for k in keys if k is not None]
        assert dated == sorted(dated, reverse=reverse)
        assert keys == dated + [None] * (len(keys) - len(dated))
    assert len(all_ids(index, "telegram", sort="date")) == len(all_ids(index, "telegram"))


@pytest.mark.parametrize("sort", ["relevance", "date", "-date"])
def test_pages_follow_each_other(index: SearchIndex, sort: str) -> None:
    whole = all_ids(index, "telegram", sort=sort)
    pages: list[str] = []
    for offset in range(0, len(whole) + 7, 7):
        result = index.search(parse_query("telegram"), sort=sort, offset=offset, limit=7,  # type: ignore[arg-type]
                              facets=())
        assert result.total == len(whole)
        pages.extend(hit.id for hit in result.hits)
    assert pages == whole


@pytest.mark.parametrize("text", ["telegram", "", 'from:"S. M. Bruce"', "japan OR italy", "-telegram year:1938"])
def test_facets_count_every_match(index: SearchIndex, text: str) -> None:
    result = index.search(parse_query(text), limit=3, facet_size=5)
    matches = [BY_ID[i] for i in all_ids(index, text)]
    assert result.total == len(matches)
    values: dict[str, Counter[str]] = {
        "sender": Counter(d.sender_facet for d in matches if d.sender_facet),
        "recipient": Counter(r for d in matches for r in d.recipient_facets),
        "decade": Counter(str(d.year_from // 10 * 10) for d in matches if d.year_from is not None),
        "year": Counter(str(d.year_from) for d in matches if d.year_from is not None),
        "place": Counter(d.place for d in matches if d.place),
        "language": Counter(d.language for d in matches if d.language),
        "collection": Counter(d.collection for d in matches if d.collection),
    }
    assert list(result.facets) == list(FACETS)
    for facet, counter in values.items():
        expected = sorted(counter.items(), key=lambda pair: (-pair[1], pair[0]))[:5]
        assert [(f.value, f.count) for f in result.facets[facet]] == expected, facet


def test_an_empty_page_still_counts(index: SearchIndex) -> None:
    whole = all_ids(index, "telegram")
    empty = index.search(parse_query("telegram"), limit=0, facets=("language",))
    assert (empty.total, empty.hits) == (len(whole), [])
    assert sum(f.count for f in empty.facets["language"]) == sum(1 for i in whole if BY_ID[i].language)
    assert index.search(parse_query("telegram"), offset=-5, limit=-1, facets=()).hits == []
    beyond = index.search(parse_query("telegram"), offset=10_000, facets=())
    assert (beyond.total, beyond.hits) == (len(whole), [])


def test_only_the_facets_asked_for(index: SearchIndex) -> None:
    result = index.search(parse_query("telegram"), facets=("year", "sender"), facet_size=2)
    assert list(result.facets) == ["sender", "year"]
    assert all(len(counts) <= 2 for counts in result.facets.values())
    assert index.search(parse_query("telegram"), facets=()).facets == {}


def doc(id: str, **fields: object) -> SearchDoc:
    return SearchDoc(id=id, **fields)  # type: ignore[arg-type]


def test_a_name_outranks_the_same_word_in_the_body(fresh: Callable[[], SearchIndex]) -> None:
    index = fresh()
    filler = "The matter was discussed at length and a reply will follow in due course. " * 3
    index.add([
        doc("body", title="Cable to London", body=f"{filler} Wombat said so.", senders=["Department"]),
        doc("name", title="Cable to London", body=filler, senders=["Wombat"], sender_facet="Wombat"),
        doc("title", title="Wombat to London", body=filler, senders=["Department"]),
        doc("none", title="Cable to London", body=filler, senders=["Department"]),
    ])
    index.commit(sequence=1)
    result = index.search(parse_query("wombat"))
    assert [hit.id for hit in result.hits][-1] == "body"
    assert {hit.id for hit in result.hits[:2]} == {"name", "title"}
    assert result.hits[0].score >= result.hits[1].score > result.hits[2].score > 0


def test_replace_and_delete_by_id(fresh: Callable[[], SearchIndex]) -> None:
    index = fresh()
    index.add([doc("x", body="the old wording", place="Bern"), doc("y", body="another letter")])
    index.commit(sequence=1)
    index.add([doc("x", body="the new wording", place="Basel")])
    index.commit(sequence=2)
    assert index.count() == 2
    assert all_ids(index, "old") == []
    assert all_ids(index, "new") == ["x"]
    assert all_ids(index, "place:bern") == []
    assert index.search(parse_query("wording")).facets["place"][0].value == "Basel"
    index.delete(["x", "missing"])
    index.commit(sequence=3)
    assert index.count() == 1
    assert all_ids(index, "wording") == []
    index.clear()
    index.commit(sequence=4)
    assert index.count() == 0


def test_optimize_keeps_what_was_committed(fresh: Callable[[], SearchIndex]) -> None:
    index = fresh()
    for number in range(3):
        index.add([doc(f"x{number}", body=f"batch {number}")])
        index.commit(sequence=number + 1)
    index.optimize()
    assert sorted(all_ids(index, "batch")) == ["x0", "x1", "x2"]
    index.add([doc("x3", body="batch 3")])
    index.commit(sequence=4)
    assert len(all_ids(index, "batch")) == 4


def test_tantivy_optimizes_only_what_is_committed() -> None:
    index = make_index("tantivy")
    index.add([doc("x", body="pending")])
    with pytest.raises(letterbook.LetterbookError, match="not committed"):
        index.optimize()
    index.commit(sequence=1)
    index.optimize()
    assert all_ids(index, "pending") == ["x"]
    index.close()


def test_changes_are_seen_after_commit(fresh: Callable[[], SearchIndex]) -> None:
    index = fresh()
    assert index.sequence() == 0
    index.add([doc("x", body="pending")])
    index.commit(sequence=7)
    assert all_ids(index, "pending") == ["x"]


def test_the_sequence_survives_closing(fresh: Callable[[], SearchIndex]) -> None:
    index = fresh()
    index.add([doc("x", body="kept")])
    index.commit(sequence=41)
    index.close()
    again = fresh()
    assert again.sequence() == 41
    assert again.count() == 1
    assert all_ids(again, "kept") == ["x"]
    again.add([doc("y", body="kept too")])
    again.commit(sequence=42)
    again.close()
    assert fresh().sequence() == 42


def test_an_index_of_another_format_is_made_again(tmp_path: Path) -> None:
    for kind in KINDS:
        index = make_index(kind, tmp_path)
        index.add([doc("x", body="kept")])
        index.commit(sequence=5)
        index.close()
        if kind == "fts5":
            with sqlite3.connect(tmp_path / "store.db") as db:
                db.execute("UPDATE search_meta SET value = 0 WHERE key = 'schema'")
        else:
            (tmp_path / "store.db.index" / "sequence.json").write_text('{"sequence": 5, "format": 0}')
        again = make_index(kind, tmp_path)
        assert (again.sequence(), again.count()) == (0, 0), kind
        again.add([doc("y", body="new")])
        again.commit(sequence=6)
        assert all_ids(again, "new") == ["y"]
        again.close()
        assert make_index(kind, tmp_path).sequence() == 6


def test_accents_and_capitals_do_not_matter(fresh: Callable[[], SearchIndex]) -> None:
    index = fresh()
    index.add([doc("z", title="Escher an Welti", body="Zürich, den 3. März. Élan vital.")])
    index.commit(sequence=1)
    for text in ("zurich", "ZÜRICH", "marz", "elan", '"zurich den"', "zür*"):
        assert all_ids(index, text) == ["z"], text


def test_snippets_mark_the_words_and_escape_the_text() -> None:
    text = "Intro. <script>alert('x')</script> The Prime Minister of Zürich & friends met at noon."
    snippet = make_snippet(text, parse_query('"prime minister" zurich scri*'))
    assert "<script>" not in snippet
    assert "&lt;<mark>script</mark>&gt;alert(&#x27;x&#x27;)&lt;/<mark>script</mark>&gt;" in snippet
    assert "<mark>Prime Minister</mark>" in snippet
    assert "<mark>Zürich</mark> &amp; friends" in snippet


def test_snippets_cut_around_the_words() -> None:
    text = " ".join(f"word{i}" for i in range(200)) + " treaty " + " ".join(f"more{i}" for i in range(200))
    snippet = make_snippet(text, parse_query("treaty"), size=100)
    assert snippet.startswith("…") and snippet.endswith("…")
    assert "<mark>treaty</mark>" in snippet
    assert len(snippet) < 140
    assert make_snippet(text, parse_query("absent"), size=50).startswith("word0 word1")
    assert make_snippet("short", parse_query("-short")) == "short"


def test_doc_for_gives_every_name_form_and_the_years() -> None:
    letter = Letter(
        source=Source(path="x.txt"), id="L1", title="Casey to Bruce",
        sender=Agent(name="R. G. Casey", as_written="Mr R. G. Casey"), co_senders=[Agent(name="Evatt")],
        recipients=[Agent(name="S. M. Bruce", as_written="Bruce"), Agent(name="S. M. Bruce")],
        date=When(not_before="1941-03", not_after="1942-06-30"), place=Place(name="Canberra"),
        collection=Collection(title="DAFP"), salutation="Dear Bruce,", body=["First.", "Second."],
        postscript="P.S. Third.", language="en")
    made = doc_for(letter)
    assert made.senders == ["R. G. Casey", "Mr R. G. Casey", "Evatt"]
    assert made.recipients == ["S. M. Bruce", "Bruce"]
    assert made.sender_facet == "R. G. Casey"
    assert made.recipient_facets == ["S. M. Bruce"]
    assert (made.year_from, made.year_to, made.date_sort) == (1941, 1942, "1941-03")
    assert made.body == "Dear Bruce,\n\nFirst.\n\nSecond.\n\nP.S. Third."
    assert (made.place, made.collection, made.language) == ("Canberra", "DAFP", "en")
    undated = doc_for(Letter(source=Source(path="y.txt"), id="L2"))
    assert (undated.year_from, undated.year_to, undated.date_sort, undated.sender_facet) == (None, None, None, None)
    with pytest.raises(letterbook.LetterbookError, match="has no id yet"):
        doc_for(Letter(source=Source(path="z.txt")))


def test_unknown_kinds_and_missing_connections_are_refused() -> None:
    with pytest.raises(letterbook.LetterbookError, match="unknown kind of search index 'whoosh'"):
        open_index("whoosh")
    with pytest.raises(letterbook.LetterbookError, match="needs its connection"):
        open_index("fts5")

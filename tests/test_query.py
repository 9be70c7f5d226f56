"""The query language: what each form means, what hostile input gives, and that nothing else escapes."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from letterbook.errors import LetterbookError
from letterbook.search import SearchDoc, SearchIndex, open_index
from letterbook.search.query import (
    MAX_DEPTH,
    MAX_LENGTH,
    And,
    Field,
    MatchAll,
    Not,
    Or,
    Phrase,
    Query,
    QuerySyntaxError,
    Term,
    YearRange,
    fold,
    parse_query,
)

ROOT = Path(__file__).parents[1]
QUERIES_TXT = ROOT.parent / "shared" / "bench" / "queries.txt"


def root(text: str) -> object:
    return parse_query(text).root


# ------------------------------------------------------------------------------------ grammar


@pytest.mark.parametrize(("text", "tree"), [
    ("stalin", Term("stalin")),
    ("Stalin", Term("Stalin")),
    ("stalin truman", And((Term("stalin"), Term("truman")))),
    ("stalin AND truman", And((Term("stalin"), Term("truman")))),
    ('"foreign policy"', Phrase("foreign policy")),
    ('"foreign   policy "', Phrase("foreign policy")),
    ("negoti*", Term("negoti", prefix=True)),
    ("negoti**", Term("negoti", prefix=True)),
    ("stalin OR churchill", Or((Term("stalin"), Term("churchill")))),
    ("a OR b c", Or((Term("a"), And((Term("b"), Term("c")))))),
    ("(a OR b) c", And((Or((Term("a"), Term("b"))), Term("c")))),
    ("stalin -japan", And((Term("stalin"), Not(Term("japan"))))),
    ("stalin NOT japan", And((Term("stalin"), Not(Term("japan"))))),
    ("-japan", And((MatchAll(), Not(Term("japan"))))),
    ("NOT NOT japan", Term("japan")),
    ("-(-japan)", Term("japan")),
    ("a OR -b", Or((Term("a"), And((MatchAll(), Not(Term("b"))))))),
    ("a (b c)", And((Term("a"), Term("b"), Term("c")))),
    ("a a", Term("a")),
    ("", MatchAll()),
    ("   ", MatchAll()),
    ("from:Casey", Field("from", "Casey")),
    ('from:"R. G. Casey"', Field("from", "R. G. Casey")),
    ('FROM:"R.  G. Casey"', Field("from", "R. G. Casey")),
    ("to:Truman", Field("to", "Truman")),
    ("place:Berlin", Field("place", "Berlin")),
    ("lang:de", Field("lang", "de")),
    ('collection:"Documents on Australian Foreign Policy"',
     Field("collection", "Documents on Australian Foreign Policy")),
    ("year:1945", YearRange(1945, 1945)),
    ("year:1941..1945", YearRange(1941, 1945)),
    ("year:..1850", YearRange(None, 1850)),
    ("year:1850..", YearRange(1850, None)),
    ("(from:Casey)", Field("from", "Casey")),
    ("-from:Casey stalin", And((Term("stalin"), Not(Field("from", "Casey"))))),
    ("e-mail", Term("e-mail")),
    ("a -- b", And((Term("a"), Term("b")))),
    ("Note: treaty", And((Term("Note:"), Term("treaty")))),
    ("Zürich", Term("Zürich")),
    ("Zu\u0308rich", Term("Zürich")),  # decomposed accents are composed, as the letters' text is
])
def test_grammar(text: str, tree: object) -> None:
    assert root(text) == tree


def test_query_keeps_its_text_and_words() -> None:
    query = parse_query('stalin "foreign policy" negoti* -japan from:Casey')
    assert query.text == 'stalin "foreign policy" negoti* -japan from:Casey'
    assert query.words() == (Term("stalin"), Phrase("foreign policy"), Term("negoti", prefix=True))
    assert query.has_text
    assert not parse_query("from:Casey year:1945").has_text
    assert not parse_query("-japan").has_text


def test_fold_compares_names_without_capitals_or_extra_spaces() -> None:
    assert fold("  R.  G. CASEY ") == "r. g. casey"
    assert fold("Zu\u0308rich") == fold("ZÜRICH")


def test_every_benchmark_query_parses() -> None:
    if not QUERIES_TXT.exists():
        pytest.skip(f"needs {QUERIES_TXT} from ../shared")
    lines = [line.strip() for line in QUERIES_TXT.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    assert len(lines) == 300
    for line in lines:
        assert isinstance(parse_query(line), Query)
    assert root('from:"R. G. Casey" foreign') == And((Field("from", "R. G. Casey"), Term("foreign")))
    assert root("from:\"Mr S. M. Bruce\" year:1693..1743") == And((Field("from", "Mr S. M. Bruce"),
                                                                   YearRange(1693, 1743)))


# ------------------------------------------------------------------------------------ hostile input

# Queries that read as something safe: user words stay words, never engine syntax.
@pytest.mark.parametrize(("text", "tree"), [
    ("NEAR", Term("NEAR")),
    ("NEAR(a b)", And((Term("NEAR"), Term("a"), Term("b")))),
    ('"; DROP TABLE letters; --"', Phrase("; DROP TABLE letters; --")),
    ("'; DROP TABLE letters; --", And((Term("DROP"), Term("TABLE"), Term("letters;")))),
    ("{a b}:x", And((Term("{a"), Term("b}:x")))),
    ("^x", Term("^x")),
    ("a + b", And((Term("a"), Term("b")))),
    ("\x00stalin\x07\x1b[0m", And((Term("stalin"), Term("[0m")))),
    ("stalin\ud800", Term("stalin")),
    ("\u200b", MatchAll()),
    ("東京 Москва", And((Term("東京"), Term("Москва")))),
    ("😀", MatchAll()),
    ('""', MatchAll()),
    ("10:30", Term("10:30")),
    ("a AND NOT b", And((Term("a"), Not(Term("b"))))),
])
def test_hostile_queries_that_are_read_safely(text: str, tree: object) -> None:
    assert root(text) == tree


@pytest.mark.parametrize(("text", "message", "position"), [
    ('"; DROP TABLE', 'unbalanced quote at character 1: a phrase opened with " is not closed', 0),
    ('stalin "foreign policy', 'unbalanced quote at character 8: a phrase opened with " is not closed', 7),
    ('from:"R. G. Casey', 'unbalanced quote at character 6: the value of from: opened with " is not closed', 5),
    ("(stalin", "unbalanced parenthesis at character 1: a group opened with ( is not closed", 0),
    ("((a) b", "unbalanced parenthesis at character 1: a group opened with ( is not closed", 0),
    ("stalin)", "unbalanced parenthesis at character 7: this ) closes no group opened with (", 6),
    (")", "unbalanced parenthesis at character 1: this ) closes no group opened with (", 0),
    ("()", "empty parentheses at character 1: put words between them", 0),
    ("*", "a * at character 1 stands alone: it may only end a word, as in negoti*", 0),
    ("stalin *", "a * at character 8 stands alone: it may only end a word, as in negoti*", 7),
    ("ne*", "a prefix at character 1 needs at least 3 letters before the *, as in negoti*", 0),
    ("ne*go", "a * at character 3 is inside a word: it may only end one, as in negoti*", 2),
    ('"foreign policy"*', "a * at character 17 follows a phrase: a prefix must end a single word, "
                          "as in negoti*", 16),
    ("OR stalin", "OR at character 1 has nothing before it: put a word, phrase or group on both sides", 0),
    ("stalin OR", "OR at character 8 has nothing after it: put a word, phrase or group on both sides", 7),
    ("stalin AND", "AND at character 8 has nothing after it: put a word, phrase or group on both sides", 7),
    ("a OR AND b", "OR at character 3 has nothing after it: put a word, phrase or group on both sides", 2),
    ("(OR a)", "OR at character 2 has nothing before it: put a word, phrase or group on both sides", 1),
    ("NOT", "NOT at character 1 has nothing after it: put the word, phrase or group to leave out right "
            "after it", 0),
    ("stalin -)", "unbalanced parenthesis at character 9: this ) closes no group opened with (", 8),
    ("title:foo", "title: at character 1 is not a field that can be searched: the fields are from:, to:, "
                  "mentions:, year:, place:, lang: and collection:; put the words in quotes to search for them "
                  "as they are", 0),
    ('a body:"x"', "body: at character 3 is not a field that can be searched: the fields are from:, to:, "
                   "mentions:, year:, place:, lang: and collection:; put the words in quotes to search for them "
                   "as they are", 2),
    ("from: Casey", 'from: at character 1 needs a value right after the colon, such as from:Casey or '
                    'from:"R. G. Casey"', 0),
    ("year:", "year: at character 1 needs a value right after the colon, such as year:1945 or "
              "year:1941..1945", 0),
    ('to:""', "to: at character 1 has an empty value: put a name or word between the quotes", 0),
    ("year:abc", "year:abc at character 1 is not a year: write year:1945, year:1941..1945, year:..1850 or "
                 "year:1850..", 0),
    ("year:..", "year:.. at character 1 is not a year: write year:1945, year:1941..1945, year:..1850 or "
                "year:1850..", 0),
    ("year:19450", "year:19450 at character 1 is not a year: write year:1945, year:1941..1945, year:..1850 "
                   "or year:1850..", 0),
    ("year:{", "year:{ at character 1 is not a year: write year:1945, year:1941..1945, year:..1850 or "
               "year:1850..", 0),
    ("year:{at}", "year:{at} at character 1 is not a year: write year:1945, year:1941..1945, year:..1850 or "
                  "year:1850..", 0),
    ("a year:1945..1941", "year:1945..1941 at character 3 ends before it starts: write the earlier year first", 2),
    ("x" * 10_000, f"the query is too long: 10,000 characters, where at most {MAX_LENGTH:,} are read", MAX_LENGTH),
    ("(" * (MAX_DEPTH + 1) + "a" + ")" * (MAX_DEPTH + 1),
     f"too many parentheses inside each other at character {MAX_DEPTH + 1}: at most {MAX_DEPTH} levels", MAX_DEPTH),
])
def test_syntax_errors_say_what_and_where(text: str, message: str, position: int) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query(text)
    assert str(caught.value) == message
    assert caught.value.position == position
    assert isinstance(caught.value, LetterbookError)


def test_long_runs_of_not_do_not_exhaust_the_stack() -> None:
    assert root("-" * 500 + "x") == Term("-" * 500 + "x")  # "--x" is a word, as in a pasted dash
    assert root("NOT " * 200 + "x") == Term("x")
    assert root("NOT " * 201 + "x") == And((MatchAll(), Not(Term("x"))))


def test_the_longest_allowed_query_parses() -> None:
    text = " ".join(["stalin"] * (MAX_LENGTH // 7))
    assert len(text) <= MAX_LENGTH
    assert root(text) == Term("stalin")


# ------------------------------------------------------------------------------------ property


DOCS = [
    SearchDoc(id="a", title="Stalin to Truman", body="Your message of 22 December received. <b>NEAR</b>",
              senders=["J. Stalin", "Stalin"], recipients=["H. Truman"], sender_facet="J. Stalin",
              recipient_facets=["H. Truman"], year_from=1945, year_to=1945, date_sort="1945-12-23",
              place="Moscow", language="en", collection="Correspondence"),
    SearchDoc(id="b", title="Escher an Welti", body='Zürich. "Die Zeit" drängt; DROP TABLE?',
              senders=["Alfred Escher"], recipients=["Emil Welti"], sender_facet="Alfred Escher",
              recipient_facets=["Emil Welti"], year_from=1870, year_to=1872, date_sort="1870",
              place="Zürich", language="de"),
    SearchDoc(id="c", title="", body="undated, unsigned"),
]

SYNTAX = st.sampled_from(['"', "(", ")", "*", "-", "AND", "OR", "NOT", "NEAR", "from:", "to:", "year:",
                          "place:", "lang:", "collection:", "title:", "..", "1945", "^", "{", "}", ":", "'",
                          ";", "stalin", "zurich", "Zürich", "negoti", "DROP TABLE", "\x00", " ", "  ",
                          "é", "東京", "😀", "\\", "%", "_", "NEAR/3", "+"])


@pytest.fixture(scope="module")
def indexes() -> Iterator[list[SearchIndex]]:
    made = [open_index("fts5", sqlite_connection=sqlite3.connect(":memory:")), open_index("tantivy")]
    for index in made:
        index.add(DOCS)
        index.commit(sequence=1)
    yield made
    for index in made:
        index.close()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.text(max_size=60), st.lists(SYNTAX, max_size=14).map("".join),
                 st.lists(SYNTAX, max_size=14).map(" ".join)))
def test_any_text_parses_or_says_why_and_runs_on_every_index(indexes: list[SearchIndex], text: str) -> None:
    try:
        query = parse_query(text)
    except QuerySyntaxError as error:
        assert 0 <= error.position <= max(len(text), MAX_LENGTH)
        assert str(error)
        return
    for index in indexes:
        for sort in ("relevance", "date", "-date"):
            result = index.search(query, sort=sort, limit=5)  # type: ignore[arg-type]
            assert result.total >= len(result.hits)
            assert {hit.id for hit in result.hits} <= {"a", "b", "c"}

"""The Archive as a library: opening, searching, listing, counting, and its refusals."""

from __future__ import annotations

from pathlib import Path

import pytest
from corpus import write_jsonl

from letterbook import Archive, LetterbookError
from letterbook.errors import LetterNotFound
from letterbook.search import QuerySyntaxError


@pytest.fixture(params=["sqlite-tantivy", "sqlite-fts5", "postgresql-tantivy"])
def archive(request: pytest.FixtureRequest, tmp_path: Path) -> Archive:
    """Give an archive of 60 letters on each store and index (the same expectations for each)."""
    store, index = request.param.split("-")
    url = request.getfixturevalue("postgres_url") if store == "postgresql" else ":memory:"
    write_jsonl(tmp_path / "register.jsonl", 60)
    with Archive.open(url, index=index) as opened:
        opened.ingest([tmp_path / "register.jsonl"])
        yield opened


def test_search_gives_pages_of_letters_with_snippets_and_facets(archive: Archive) -> None:
    everything = archive.search("", per_page=500)
    assert everything.total == 60 and len(everything.hits) == 60
    found = archive.search("gotthard", per_page=5)
    assert found.total >= 1
    assert all("<mark>" in hit.snippet.lower() for hit in found.hits)
    assert all("gotthard" in " ".join(hit.letter.body).lower() for hit in found.hits)
    assert found.facets["sender"] and sum(f.count for f in found.facets["language"]) == found.total
    second = archive.search("gotthard", per_page=5, page=2)
    assert not {h.letter.id for h in second.hits} & {h.letter.id for h in found.hits}
    dated = archive.search("", sort="-date", per_page=10)
    dates = [hit.letter.date.earliest for hit in dated.hits if hit.letter.date]
    assert dates == sorted(dates, reverse=True)


def test_a_malformed_query_says_what_and_where(archive: Archive) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        archive.search("(stalin OR truman")
    assert isinstance(caught.value, LetterbookError)
    assert caught.value.position >= 0
    assert "character" in str(caught.value)


def test_letters_lists_by_filters_or_all(archive: Archive) -> None:
    sender = archive.get("T000001").sender
    assert sender is not None
    mine = list(archive.letters(f'from:"{sender.name}"'))
    assert mine and all(letter.sender and letter.sender.name == sender.name for letter in mine)
    assert len(list(archive.letters())) == 60
    assert [letter.id for letter in archive.letters(sort="id", limit=3, offset=2)] == ["T000003", "T000004", "T000005"]
    by_date = [letter.date.earliest for letter in archive.letters(sort="date") if letter.date]
    assert by_date == sorted(by_date)
    assert len(list(archive.letters("year:1800..1999", limit=7))) == 7


def test_stats(archive: Archive) -> None:
    stats = archive.stats()
    assert stats["letters"] == stats["indexed"] == 60
    assert {"people", "places", "files", "earliest", "latest", "withdrawn", "edits"} <= set(stats)
    assert stats["earliest"] < stats["latest"]


def test_refusals(archive: Archive) -> None:
    with pytest.raises(LetterNotFound):
        archive.get("nope")
    with pytest.raises(LetterbookError, match="there is no page 0"):
        archive.search("x", page=0)
    with pytest.raises(LetterbookError, match="cannot sort by 'size'"):
        archive.search("x", sort="size")
    with pytest.raises(LetterbookError, match="a page holds 1 to 500 letters, not 501"):
        archive.search("x", per_page=501)


def test_an_archive_keeps_its_kind_of_index(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    Archive.open(db, index="fts5").close()
    with Archive.open(db) as archive:
        assert archive.index_kind == "fts5"
    with pytest.raises(LetterbookError, match="this archive keeps a fts5 search index"):
        Archive.open(db, index="tantivy")
    with pytest.raises(LetterbookError, match="unknown kind of search index 'lucene'"):
        Archive.open(db, index="lucene")


def test_every_letter_is_in_the_index_once_with_readers_around(tmp_path: Path) -> None:
    # An ingest adds its new letters without first deleting them from the index (it holds the
    # index's writer from before its first store write); readers opened before, between and after
    # ingests index what they find behind, and no letter may end up there twice.
    db = tmp_path / "a.db"
    write_jsonl(tmp_path / "first.jsonl", 300, seed=1)
    write_jsonl(tmp_path / "second.jsonl", 200, seed=2, start=301)
    with Archive.open(db) as writer:
        Archive.open(db, read_only=True).close()
        writer.ingest([tmp_path / "first.jsonl"], enrich=False)
        with Archive.open(db, read_only=True) as reader:
            assert reader.index.count() == reader.search("").total == 300
        records = write_jsonl(tmp_path / "first.jsonl", 300, seed=3)  # every letter changed, ids kept
        report = writer.ingest([tmp_path / "first.jsonl", tmp_path / "second.jsonl"], enrich=False)
        assert (report.new, report.updated) == (200, 300)
        assert writer.index.count() == writer.search("").total == 500
        body = str(records[0]["body"]).split()[5]
        assert writer.search(f'"{body}"').total >= 1
    with Archive.open(db, read_only=True) as reader:
        assert reader.index.count() == 500

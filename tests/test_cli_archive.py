"""The archive commands, run in-process with click's CliRunner; state checked through the library,
error messages compared exactly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from corpus import write_jsonl

from letterbook import Archive
from letterbook.cli import main
from letterbook.fields import EDITABLE
from letterbook.search import query as query_language

EXAMPLES = Path(__file__).parents[1] / "examples" / "letters"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def db(tmp_path: Path) -> str:
    """Give an archive holding 40 generated letters and the seed letter."""
    path = str(tmp_path / "archive.db")
    write_jsonl(tmp_path / "register.jsonl", 40)
    result = run("ingest", str(tmp_path / "register.jsonl"), str(EXAMPLES / "000_3d2466e82666b884.txt"), "--db", path)
    assert result.exit_code == 0, result.output
    return path


def test_ingest_prints_a_summary_and_the_archive_holds_the_letters(tmp_path: Path) -> None:
    register = tmp_path / "register.jsonl"
    write_jsonl(register, 25)
    path = str(tmp_path / "a.db")
    first = run("ingest", str(register), "--db", path)
    assert first.exit_code == 0
    assert first.output.splitlines()[:2] == ["1 file: 1 read, 0 unchanged, 0 failed",
                                             "letters: 25 new, 0 updated, 0 unchanged"]
    with Archive.open(path) as archive:
        assert archive.stats()["letters"] == 25
    again = run("ingest", str(register), "--db", f"sqlite:///{path}", "--json")
    data = json.loads(again.output)
    assert (data["files_unchanged"], data["new"], data["unchanged"]) == (1, 0, 25)


def test_ingest_reports_bad_files_and_fails(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    write_jsonl(tmp_path / "good.jsonl", 3)
    result = CliRunner().invoke(main, ["ingest", str(tmp_path), "-r", "--db", str(tmp_path / "a.db")])
    assert result.exit_code == 1
    assert f"letterbook: {tmp_path / 'empty.txt'}: empty file" in result.output
    assert "letters: 3 new" in result.output


def test_ingest_a_folder_without_recursive(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "r.jsonl", 1)
    result = CliRunner().invoke(main, ["ingest", str(tmp_path), "--db", str(tmp_path / "a.db")])
    assert result.exit_code == 1
    assert f"letterbook: {tmp_path}: is a folder (use --recursive to read its files)\n" in result.output


def test_search_json_has_the_contract_shape(db: str) -> None:
    result = run("search", 'to:"Harry S. Truman" president', "--db", db, "--json")
    data = json.loads(result.output)
    assert set(data) >= {"total", "results", "facets"}
    assert data["total"] >= 1
    hit = next(r for r in data["results"] if r["sender"] == "J. Stalin")
    assert set(hit) == {"id", "title", "sender", "recipients", "date", "place", "snippet", "score"}
    assert (hit["title"], hit["recipients"], hit["date"]) == ("Message to H. Truman", ["Harry S. Truman"], "1945-12-23")
    assert "<mark>President</mark>" in hit["snippet"]
    assert set(data["facets"]) == {"sender", "recipient", "decade", "year", "place", "language", "collection"}


def test_search_pages_and_sorts(db: str) -> None:
    by_date = json.loads(run("search", "", "--db", db, "--json", "--sort", "date", "--per-page", "5").output)
    dates = [r["date"] for r in by_date["results"]]
    assert dates == sorted(dates) and by_date["total"] == 41
    second = json.loads(run("search", "", "--db", db, "--json", "--sort", "date", "--per-page", "5",
                            "--page", "2").output)
    assert not {r["id"] for r in second["results"]} & {r["id"] for r in by_date["results"]}
    text = run("search", "", "--db", db, "--per-page", "5").output
    assert text.startswith("41 letters found (page 1 of 9)")


@pytest.mark.parametrize(("query", "message"), [
    ('"second front', 'Error: unbalanced quote at character 1: a phrase opened with " is not closed\n'),
])
def test_a_malformed_query_gets_a_plain_message(db: str, query: str, message: str) -> None:
    result = CliRunner().invoke(main, ["search", query, "--db", db])
    assert result.exit_code == 1
    assert result.output == message


@pytest.mark.parametrize("query", ['"; DROP TABLE letters; --', "NEAR(a b)", "title:x", "*", "((((", "a" * 10_000,
                                   "year:abc", "from:", ")", "NOT", "OR OR", "\x00\ud800"])
def test_hostile_queries_never_crash_the_command(db: str, query: str) -> None:
    result = CliRunner().invoke(main, ["search", query, "--db", db, "--json"])
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output
    if result.exit_code == 1:
        assert result.output.startswith("Error: ") and result.output.count("\n") == 1
    with Archive.open(db) as archive:
        assert archive.stats()["letters"] == 41


def test_show_and_edit_and_history(db: str) -> None:
    shown = json.loads(run("show", "T000003", "--db", db, "--json").output)
    assert shown["id"] == "T000003" and shown["provenance"] == {}
    old_sender = shown["sender"]["name"]
    edited = run("edit", "T000003", "sender", "Joseph Stalin", "--editor", "A. Historian", "--db", db)
    assert edited.output == f"T000003 sender: {old_sender!r} -> 'Joseph Stalin' (set by A. Historian)\n"
    with Archive.open(db) as archive:
        assert archive.get("T000003").sender.name == "Joseph Stalin"  # type: ignore[union-attr]
    shown = json.loads(run("show", "T000003", "--db", db, "--json").output)
    assert shown["provenance"]["sender"]["editor"] == "A. Historian"
    text = run("show", "T000003", "--db", db).output
    assert "            id: T000003" in text and "set by: sender: A. Historian" in text
    lines = run("history", "T000003", "--db", db).output.splitlines()
    assert lines[0].endswith(f"new, read from {Path(db).parent / 'register.jsonl'}")
    assert lines[1].endswith(f"A. Historian set sender: {old_sender!r} -> 'Joseph Stalin'")
    history = json.loads(run("history", "T000003", "--db", db, "--json").output)
    assert [h["kind"] for h in history] == ["new", "edited"]


def test_edit_refuses_what_it_cannot_do(db: str) -> None:
    unknown = CliRunner().invoke(main, ["edit", "T000003", "colour", "red", "--db", db])
    assert unknown.exit_code == 1
    assert unknown.output == f"Error: there is no field 'colour' to edit; the fields are: {', '.join(EDITABLE)}\n"
    missing = CliRunner().invoke(main, ["edit", "L999", "title", "x", "--db", db])
    assert missing.output == "Error: no letter has the id 'L999'\n"
    nobody = CliRunner().invoke(main, ["edit", "T000003", "title", "x", "--editor", " ", "--db", db])
    assert nobody.output == "Error: say who made the correction (--editor NAME)\n"


def test_show_a_missing_letter(db: str) -> None:
    result = CliRunner().invoke(main, ["show", "nope", "--db", db])
    assert (result.exit_code, result.output) == (1, "Error: no letter has the id 'nope'\n")


def test_stats(db: str) -> None:
    data = json.loads(run("stats", "--db", db, "--json").output)
    assert (data["letters"], data["files"], data["indexed"]) == (41, 2, 41)
    assert data["people"] >= 2 and data["places"] >= 1
    assert data["earliest"] <= data["latest"]
    text = run("stats", "--db", db).output
    assert "letters: 41" in text


def test_reindex(db: str) -> None:
    assert run("reindex", "--db", db).output.startswith("indexed 41 letters in ")
    assert json.loads(run("search", "", "--db", db, "--json").output)["total"] == 41


def test_archives_that_cannot_be_opened(tmp_path: Path) -> None:
    postgres = CliRunner().invoke(main, ["stats", "--db", "postgresql://editor:secret@127.0.0.1:1/letters"])
    assert postgres.output == ("Error: cannot reach the PostgreSQL server at 127.0.0.1:1 (database 'letters'): "
                               "is the server running, and are host and port right?\n")
    missing = CliRunner().invoke(main, ["stats", "--db", str(tmp_path / "none.db")])
    assert missing.output == f"Error: there is no archive at {tmp_path / 'none.db'}\n"


def test_the_default_archive_is_letterbook_db_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LETTERBOOK_DB", raising=False)
    write_jsonl(tmp_path / "r.jsonl", 2)
    assert run("ingest", "r.jsonl").exit_code == 0
    assert (tmp_path / "letterbook.db").exists()
    monkeypatch.setenv("LETTERBOOK_DB", str(tmp_path / "other.db"))
    run("ingest", "r.jsonl")
    assert (tmp_path / "other.db").exists()


def test_search_help_documents_the_query_language() -> None:
    help_text = run("search", "--help").output
    for line in ("from:Casey", "year:1941..1945", '"foreign policy"', "negoti*", "(stalin OR churchill) -japan",
                 "lang:de", "collection:", "place:Berlin"):
        assert line in help_text
    assert "Examples:" in help_text
    assert "sender" in run("edit", "--help").output


def test_the_readme_gives_the_query_language_as_search_help_does() -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    doc = query_language.__doc__ or ""
    table = next(p for p in doc.split("\n\n") if p.startswith("    "))
    assert table in readme, "README.md should hold the query language table of letterbook/search/query.py"

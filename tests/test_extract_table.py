"""`letterbook extract --table`: one row per letter, with its sender, recipients, date, place and title."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from letterbook.cli import main

SEED = Path(__file__).parents[1] / "examples" / "letters" / "000_3d2466e82666b884.txt"


def test_table_has_a_row_per_letter() -> None:
    result = CliRunner(env={"COLUMNS": "160"}).invoke(main, ["extract", str(SEED), "--table"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    header = next(line for line in lines if "sender" in line)
    assert [cell.strip() for cell in header.strip("┃").split("┃")] == [
        "sender", "recipients", "date", "place", "title"]
    row = next(line for line in lines if "1945-12-23" in line)
    assert [cell.strip() for cell in row.strip("│").split("│")] == [
        "J. Stalin", "Harry S. Truman", "1945-12-23", "", "Message to H. Truman"]
    assert lines[-1].strip() == "1 letter"


def test_sample_letters_all_in_the_table() -> None:
    folder = SEED.parent
    runner = CliRunner(env={"COLUMNS": "120"})
    result = runner.invoke(main, ["extract", str(folder), "--recursive", "--table"])
    assert result.exit_code == 0, result.stderr
    files = [p for p in folder.rglob("*") if p.is_file()]
    assert result.stdout.splitlines()[-1].strip() == f"{len(files)} letters"

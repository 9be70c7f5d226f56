"""The command line: each command calls one library function and prints what it gives."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TextIO

import click

from .extract import read_many
from .model import Letter
from .read import FORMATS, iter_files

#: The most letters ``letterbook extract`` holds to enrich them together.
ENRICH_AT_MOST = 20_000


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="letterbook")
def main() -> None:
    """letterbook: read historical letters into their parts, and keep them as an archive.

    An archive is an SQLite file, letterbook.db in the current folder unless --db names another
    (or the environment variable LETTERBOOK_DB does), or a PostgreSQL database on a server
    (--db postgresql://USER@HOST/DB).

    \b
    Examples:
        letterbook extract letters/ --recursive --jsonl > letters.jsonl
        letterbook ingest letters/ --recursive
        letterbook search 'from:"J. Stalin" year:1945 "second front"'
    """


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--recursive", "-r", is_flag=True,
              help="Read the files inside folders, and theirs (needed to read a folder).")
@click.option("--jsonl", is_flag=True, help="Print one JSON object per letter (the extract contract).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Read every file as this format instead of detecting it.")
@click.option("--table", is_flag=True,
              help="Print one row per letter: sender, recipients, date, place and title.")
@click.option("--no-raw", is_flag=True, help="Leave each letter's raw text out of the JSON.")
@click.option("--workers", type=int, default=None, help="Processes to read with (default: all cores).")
@click.option("--no-enrich", is_flag=True,
              help="Print each letter as it is read, without the persons and places it mentions and its "
                   "threads (which need the letters read together).")
def extract(paths: tuple[str, ...], recursive: bool, jsonl: bool, fmt: str | None, no_raw: bool,
            workers: int | None, table: bool, no_enrich: bool) -> None:
    """Read letters from files and print their parts.

    Each PATH is a file or a folder. Formats are told apart by content: plain text, Markdown,
    HTML pages from web archives, TEI P5, CMIF, CSV registers and JSON Lines. A file that cannot
    be read gets one line on standard error naming it and the reason; the others are still read,
    and the exit status is 1.

    The letters read are enriched together, as an archive's are: the persons, organisations and
    places each mentions (with their record ids and a gazetteer's coordinates) and its threads
    (replies, previous and next in correspondence). That holds up to 20,000 letters in memory;
    past them, or with --no-enrich, letters are printed as they are read (an archive made with
    `letterbook ingest` enriches any number).

    \b
    Examples:
        letterbook extract letter.txt
        letterbook extract edition/ --recursive --jsonl > letters.jsonl
        letterbook extract edition/ --recursive --table
    """
    if jsonl and table:
        raise click.UsageError("--jsonl and --table cannot be used together")
    # A folder without --recursive is reported, not half read: its path goes to the reader as it
    # is, which names it "is a folder (use --recursive to read its files)".
    files = iter_files(paths, recursive=True).files if recursive else [Path(p) for p in paths]
    failed = 0
    out = sys.stdout
    rows: list[tuple[str, str, str, str, str]] = []

    def put(letter: Letter) -> None:
        if jsonl:
            out.write(json.dumps(letter.to_json(raw=not no_raw), ensure_ascii=False) + "\n")
        elif table:
            rows.append(table_row(letter))
        else:
            out.write(render_letter(letter) + "\n")

    # Enrichment needs the letters together: they wait here, up to ENRICH_AT_MOST of them.
    waiting: list[Letter] | None = None if no_enrich or table else []
    try:
        for result in read_many(files, fmt=fmt, workers=workers):
            for letter in result.letters:  # a large file's letters are read as they are written
                if waiting is None:
                    put(letter)
                    continue
                waiting.append(letter)
                if len(waiting) > ENRICH_AT_MOST:
                    click.echo(f"letterbook: more than {ENRICH_AT_MOST:,} letters: printed as read, without "
                               "mentions and threads (`letterbook ingest` enriches an archive of any size)",
                               err=True)
                    for kept in waiting:
                        put(kept)
                    waiting = None
            if result.problem:  # known only once the letters before it are read
                failed += 1
                out.flush()
                click.echo(f"letterbook: {result.problem}", err=True)
        if waiting:
            from .enrich import enrich

            enrich(waiting).apply(waiting)
            for letter in waiting:
                put(letter)
        if table:
            print_table(rows, out)
        out.flush()
    except BrokenPipeError:  # the reader of our output stopped early (`| head`): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
    if failed:
        click.echo(f"letterbook: {failed} of {len(files)} files could not be read", err=True)
        sys.exit(1)


def table_row(letter: Letter) -> tuple[str, str, str, str, str]:
    """Give a letter's sender, recipients, date, place and title as the cells of a table row."""
    date = letter.date
    return (
        letter.sender.name if letter.sender else "",
        "; ".join(agent.name for agent in letter.recipients),
        (date.when or date.as_written or "") if date else "",
        letter.place.name if letter.place else "",
        letter.title or "",
    )


def print_table(rows: list[tuple[str, str, str, str, str]], out: TextIO) -> None:
    """Print letters as a table, one row each, as wide as the terminal."""
    from rich.console import Console
    from rich.table import Table

    grid = Table(caption=f"{len(rows)} letter{'' if len(rows) == 1 else 's'}", expand=True)
    # One line a letter, cut short with an ellipsis, so a long list stays easy to scan.
    for name, ratio in (("sender", 3), ("recipients", 3), ("date", None), ("place", 2), ("title", 5)):
        grid.add_column(name, no_wrap=True, overflow="ellipsis", ratio=ratio,
                        width=None if ratio else 10)
    for row in rows:
        grid.add_row(*row)
    Console(file=out, soft_wrap=False).print(grid)


def render_letter(letter: Letter) -> str:
    """Give a letter's parts as readable text, one labelled line or block per part."""
    part = f" (letter {letter.source.part + 1})" if letter.source.part else ""
    lines = [f"== {letter.source.path}{part}"]

    def put(label: str, value: object) -> None:
        if value:
            lines.append(f"{label:>14}: {value}")

    put("title", letter.title)
    if letter.sender:
        put("sender", _agent(letter.sender))
    for agent in letter.recipients:
        put("recipient", _agent(agent))
    if letter.date:
        put("date", _when(letter.date))
    if letter.place:
        put("place", letter.place.name)
    if letter.destination:
        put("sent to", letter.destination.name)
    if letter.collection:
        c = letter.collection
        put("collection", ", ".join(x for x in (c.title, c.volume and f"vol. {c.volume}",
                                                c.number and f"no. {c.number}") if x))
    put("series", letter.series)
    put("classification", letter.classification)
    put("language", letter.language)
    put("dateline", letter.dateline)
    put("salutation", letter.salutation)
    for number, paragraph in enumerate(letter.body, 1):
        put(f"¶{number}", paragraph)
    put("closing", letter.closing)
    put("signature", letter.signature)
    put("postscript", letter.postscript)
    for note in letter.notes:
        put(f"note {note.label or ''}".strip(), note.text)
    for link in letter.links:
        sure = f"({link.confidence:.2f})" if link.confidence is not None else None
        evidence = f'"{link.evidence}"' if link.evidence else None
        put(f"link {link.rel}", " ".join(x for x in (link.label, link.target and f"<{link.target}>", sure, evidence)
                                         if x))
    put("mentions", "; ".join(f"{a.name} [{a.ref}]" if a.ref else a.name for a in letter.mentions_persons))
    put("places named", "; ".join(f"{p.name} [{p.ref}]" if p.ref else p.name for p in letter.mentions_places))
    put("reference", letter.source.reference)
    return "\n".join(lines) + "\n"


def _agent(agent) -> str:  # type: ignore[no-untyped-def]
    text = agent.name
    if agent.role:
        text += f", {agent.role}"
    if agent.ref:
        text += f" <{agent.ref}>"
    return text


def _when(when) -> str:  # type: ignore[no-untyped-def]
    if when.when and not (when.not_before and len(when.when) == 10):
        text = when.when
    elif when.not_before or when.not_after:
        text = f"{when.not_before or '…'} – {when.not_after or '…'}"
    else:
        text = "undated"
    if when.certainty != "high":
        text += f" ({when.certainty} certainty)"
    if when.as_written and when.as_written != when.when:
        text += f'  "{when.as_written}"'
    return text


from .cli_archive import register  # noqa: E402 - the archive commands join the group defined above

register(main)

from .cli_people import register as register_people  # noqa: E402 - people, places and threads

register_people(main)

from .export.command import export_command  # noqa: E402 - joins the group like the archive commands

main.add_command(export_command)

from .cli_web import serve  # noqa: E402 - the reading room joins like the other commands

main.add_command(serve)

from .cli_copy import copy_command  # noqa: E402 - moving an archive between stores

main.add_command(copy_command)

if __name__ == "__main__":
    main()

"""The command line: each command calls one library function and prints what it gives."""

from __future__ import annotations

import json
import sys

import click

from .extract import read_many
from .model import Letter
from .read import FORMATS, iter_files


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="letterbook")
def main() -> None:
    """letterbook: read historical letters into their parts, and keep them as an archive.

    \b
    Example:
        letterbook extract letters/ --recursive --jsonl > letters.jsonl
    """


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--recursive", "-r", is_flag=True, help="Read the files inside folders, and theirs.")
@click.option("--jsonl", is_flag=True, help="Print one JSON object per letter (the extract contract).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Read every file as this format instead of detecting it.")
@click.option("--no-raw", is_flag=True, help="Leave each letter's raw text out of the JSON.")
@click.option("--workers", type=int, default=None, help="Processes to read with (default: all cores).")
def extract(paths: tuple[str, ...], recursive: bool, jsonl: bool, fmt: str | None, no_raw: bool,
            workers: int | None) -> None:
    """Read letters from files and print their parts.

    Each PATH is a file or a folder. Formats are told apart by content: plain text, Markdown,
    HTML pages from web archives, TEI P5, CMIF, CSV registers and JSON Lines. A file that cannot
    be read gets one line on standard error naming it and the reason; the others are still read,
    and the exit status is 1.

    \b
    Examples:
        letterbook extract letter.txt
        letterbook extract edition/ --recursive --jsonl > letters.jsonl
    """
    folders = [p for p in paths if _is_dir(p)]
    if folders and not recursive:
        walk = iter_files(paths, recursive=False)
    else:
        walk = iter_files(paths, recursive=True)
    failed = 0
    out = sys.stdout
    for result in read_many(walk.files, fmt=fmt, workers=workers):
        if result.problem:
            failed += 1
            click.echo(f"letterbook: {result.problem}", err=True)
            continue
        for letter in result.letters:
            if jsonl:
                out.write(json.dumps(letter.to_json(raw=not no_raw), ensure_ascii=False) + "\n")
            else:
                out.write(render_letter(letter) + "\n")
    out.flush()
    if failed:
        click.echo(f"letterbook: {failed} of {len(walk.files)} files could not be read", err=True)
        sys.exit(1)


def _is_dir(path: str) -> bool:
    import os

    return os.path.isdir(path)


def render_letter(letter: Letter) -> str:
    """Give a letter's parts as readable text, one labelled line or block per part."""
    lines = [f"== {letter.source.path}" + (f" (letter {letter.source.part + 1})" if letter.source.part else "")]

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
        put(f"link {link.rel}", " ".join(x for x in (link.label, link.target and f"<{link.target}>") if x))
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


if __name__ == "__main__":
    main()

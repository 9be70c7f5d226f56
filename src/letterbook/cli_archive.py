"""The archive's commands: ingest, search, show, stats, edit, history, reindex.

Each opens the archive (``Archive.open``), calls one method and prints what it gives; anything
letterbook refuses (``LetterbookError``) becomes a one-line message, never a traceback.
"""

from __future__ import annotations

import getpass
import html
import json
import re
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from .archive import MAX_PER_PAGE, SORTS, Archive, SearchResult
from .errors import LetterbookError
from .fields import EDITABLE
from .ingest import IngestProgress
from .read import FORMATS
from .search import INDEX_KINDS
from .search import query as query_language

_DB_HELP = ("The archive: a path or sqlite:///PATH, or postgresql://USER@HOST/DB on a server "
            "(default: letterbook.db here, or $LETTERBOOK_DB).")


def _db_option(function: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--db", "db", envvar="LETTERBOOK_DB", default=None, metavar="URL", help=_DB_HELP)(function)


@contextmanager
def opened(db: str | None, *, read_only: bool = False, index: str | None = None) -> Iterator[Archive]:
    """Give the archive at ``db``, turning anything letterbook refuses into a plain message."""
    try:
        with Archive.open(db, read_only=read_only, index=index) as archive:
            yield archive
    except LetterbookError as exc:
        raise click.ClickException(str(exc)) from None


def _echo_json(data: Any) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=2)
    # A query typed with a lone surrogate (no real text has one) must not stop the output.
    click.echo(text.encode("utf-8", "replace").decode("utf-8"))


# ------------------------------------------------------------------------------------------ ingest


class _Bar:
    """The ingest progress bar on standard error: files, letters, rate and time left."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

        self.progress = Progress(
            TextColumn("{task.description}"), BarColumn(),
            TextColumn("{task.fields[files]}"), TextColumn("{task.fields[letters]}"),
            TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TextColumn("elapsed,"), TimeRemainingColumn(),
            TextColumn("left"),
            console=Console(stderr=True), transient=True)
        self.task = self.progress.add_task("checking", total=None, files="", letters="", rate="")
        self.shown = 0.0

    def __call__(self, state: IngestProgress) -> None:
        now = time.monotonic()
        if now - self.shown < 0.1 and state.phase == "reading":  # the bar redraws ten times a second anyway
            return
        self.shown = now
        if state.phase == "checking":
            self.progress.update(self.task, description="checking", files=f"{state.files_total:,} files")
            return
        if state.phase == "enriching":
            # People, places, mentions, threads: passes over every letter whose length is not known
            # ahead; the bar pulses and names the pass.
            self.progress.update(self.task, description=f"enriching: {state.step}", completed=0, total=None,
                                 rate="")
            return
        self.progress.update(
            self.task, description="reading", completed=state.units_done, total=state.units_total or None,
            files=f"{state.files_done:,}/{state.files_total:,} files", letters=f"{state.letters:,} letters",
            rate=f"{state.rate:,.0f}/s")

    def __enter__(self) -> _Bar:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@_db_option
@click.option("--recursive", "-r", is_flag=True,
              help="Read the files inside folders, and theirs (needed for a folder).")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Processes to read with (default: all cores).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Read every file as this format instead of detecting it.")
@click.option("--index", type=click.Choice(INDEX_KINDS), default=None,
              help="The kind of search index of a new archive (default: tantivy).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--no-enrich", is_flag=True,
              help="Only read and store: no people, places, mentions or threads (letterbook enrich does them later).")
def ingest(paths: tuple[str, ...], db: str | None, recursive: bool, workers: int | None, fmt: str | None,
           index: str | None, quiet: bool, as_json: bool, no_enrich: bool) -> None:
    """Read letters from files into the archive, and keep it in step with them.

    Files read before and unchanged (the same SHA-256) are passed over without a write; a changed
    file updates its letters, which keep their ids; letters no longer in a changed file are
    withdrawn (kept, with their history, but no longer shown). Fields a person corrected with
    `letterbook edit` are never overwritten. Interrupted (Ctrl-C, or the machine stopping), it loses
    at most the last 2,000 letters, and running it again finishes the job.

    Then the archive is enriched: name forms clustered into people, places resolved, the people
    and places each letter names found, and threads linked (replies, previous and next); see
    `letterbook people`, `letterbook thread`. Corrections of the people are kept.

    A file that cannot be read gets one line on standard error; the others are still read, and
    the exit status is 1.

    \b
    Examples:
        letterbook ingest edition/ --recursive
        letterbook ingest letters.jsonl --db sqlite:///archive.db
        letterbook ingest big.jsonl --no-enrich
    """
    show_bar = not quiet and not as_json and sys.stderr.isatty()
    with opened(db, index=index) as archive:
        try:
            if show_bar:
                with _Bar() as bar:
                    report = archive.ingest(paths, recursive=recursive, workers=workers, fmt=fmt, progress=bar,
                                            enrich=not no_enrich)
            else:
                report = archive.ingest(paths, recursive=recursive, workers=workers, fmt=fmt, enrich=not no_enrich)
        except KeyboardInterrupt:
            click.echo("letterbook: interrupted; what was stored is kept: run the same command again "
                       "to finish", err=True)
            sys.exit(130)
    for problem in report.failed:
        click.echo(f"letterbook: {_shown_path(problem.path)}: {problem.reason}", err=True)
    for skipped in report.skipped:
        click.echo(f"letterbook: {_shown_path(skipped.file)}: letter {skipped.part + 1} not stored: "
                   f"{skipped.reason}", err=True)
    if as_json:
        _echo_json(report.to_json())
    else:
        click.echo(report.summary())
    if report.failed:
        sys.exit(1)


def _shown_path(path: str) -> str:
    """Give a path relative to the current folder when it lies below it, else as it is."""
    import os

    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


# ------------------------------------------------------------------------------------------ search


def _query_help() -> str:
    """Give the query language as ``letterbook search --help`` shows it: the search package's own
    description (``letterbook.search.query``), so the two never drift apart."""
    doc = query_language.__doc__ or ""
    paragraphs = doc.strip().split("\n\n")[1:]  # the first line says what the module is
    shown = []
    for paragraph in paragraphs:
        if paragraph.startswith("    "):  # the table of forms: keep its lines as they are
            shown.append("\b\n" + paragraph)
        else:
            shown.append(paragraph.replace("::", ":"))
    return "\n\n".join(shown)


_SEARCH_HELP = f"""Search the archive: the letters a query finds, best first, with facets.

{_query_help()}

\b
Examples:
    letterbook search stalin
    letterbook search 'from:"J. Stalin" year:1941..1945 "second front"'
    letterbook search 'to:"John Curtin" (defence OR defense) -japan' --sort date --json
    letterbook search 'from:Stalin mentions:Byrnes'
"""


@click.command(help=_SEARCH_HELP)
@click.argument("query")
@_db_option
@click.option("--json", "as_json", is_flag=True,
              help='Print {"total": N, "results": [...], "facets": {...}} as JSON.')
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True,
              help="Best first, or by date (-date: latest first).")
@click.option("--page", type=click.IntRange(min=1), default=1, show_default=True, help="Which page of results.")
@click.option("--per-page", type=click.IntRange(1, MAX_PER_PAGE), default=20, show_default=True,
              help="Letters a page holds.")
def search(query: str, db: str | None, as_json: bool, sort: str, page: int, per_page: int) -> None:
    with opened(db, read_only=True) as archive:  # never waits for an ingest under way
        result = archive.search(query, sort=sort, page=page, per_page=per_page)
    if as_json:
        _echo_json(result.to_json())
    else:
        click.echo(_render_result(result))


_MARK = re.compile(r"<mark>(.*?)</mark>", re.S)


def _render_result(result: SearchResult) -> str:
    """Give a page of results as text: one block per letter, then the facets."""
    found = f"{result.total:,} letter{'' if result.total == 1 else 's'} found"
    if result.total > result.per_page:
        found += f" (page {result.page} of {result.pages})"
    lines = [found]
    for hit in result.hits:
        row = hit.to_json()
        who = " → ".join(x for x in (row["sender"] or "", "; ".join(row["recipients"])) if x)
        lines.append("")
        lines.append(click.style(f"{row['id']}", bold=True) + f"  {row['date'] or 'undated'}  {who}")
        if row["title"]:
            lines.append(f"    {row['title']}")
        if hit.snippet:
            snippet = _MARK.sub(lambda m: click.style(m.group(1), bold=True, underline=True), hit.snippet)
            lines.append(f"    {html.unescape(snippet)}")
    shown = [(name, counts) for name, counts in result.facets.items() if counts]
    if shown:
        lines.append("")
        for name, counts in shown:
            values = ", ".join(f"{c.value} ({c.count:,})" for c in counts[:5])
            lines.append(f"{name}: {values}")
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------ letters


@click.command()
@click.argument("letter_id", metavar="ID")
@_db_option
@click.option("--json", "as_json", is_flag=True, help="Print the letter as JSON, with who set which field.")
def show(letter_id: str, db: str | None, as_json: bool) -> None:
    """Show one letter of the archive, part by part, with its links to other letters (replies,
    previous and next, with the evidence and a confidence) and the people and places it names.

    Fields a person set (with `letterbook edit`) are marked with who set them and when.

    \b
    Examples:
        letterbook show L1
        letterbook show L1 --json
    """
    from .cli import render_letter

    with opened(db, read_only=True) as archive:
        letter = archive.get(letter_id)
        provenance = archive.provenance(letter_id)
    if as_json:
        data = letter.to_json()
        data["provenance"] = {name: source.to_json() for name, source in provenance.items()}
        _echo_json(data)
        return
    click.echo(f"{'id':>14}: {letter.id}")
    click.echo(render_letter(letter).rstrip("\n"))
    for name, source in provenance.items():
        click.echo(f"{'set by':>14}: {name}: {source.editor}, {source.at}")


_STATS_LABELS = (("letters", "letters"), ("people", "people"), ("organisations", "organisations"),
                 ("places", "places"), ("files", "files read"), ("files_failed", "files that failed"),
                 ("files_unfinished", "files not read to their end"), ("withdrawn", "letters withdrawn"),
                 ("edits", "corrections"), ("earliest", "earliest date"), ("latest", "latest date"),
                 ("search_index", "search index"), ("indexed", "letters indexed"))


@click.command()
@_db_option
@click.option("--json", "as_json", is_flag=True, help='Print {"letters": N, "people": N, "places": N, ...} as JSON.')
def stats(db: str | None, as_json: bool) -> None:
    """Show what the archive holds: letters, people, places, files, and the span of dates.

    \b
    Examples:
        letterbook stats
        letterbook stats --json --db archive.db
    """
    with opened(db, read_only=True) as archive:
        numbers = archive.stats()
    if as_json:
        _echo_json(numbers)
        return
    width = max(len(label) for _key, label in _STATS_LABELS)
    for key, label in _STATS_LABELS:
        value = numbers.get(key)
        if value is None or value == 0 and key.startswith(("files_", "withdrawn")):
            continue
        click.echo(f"{label:>{width}}: {value:,}" if isinstance(value, int) else f"{label:>{width}}: {value}")


_FIELD_LIST = "\n".join(f"    {name:<15} {field.help}" for name, field in EDITABLE.items())


@click.command(help=f"""Correct one field of a letter; no later ingest overwrites it.

VALUE is read as the field reads it: names of several people are separated by semicolons, a date
is kept as written and read as a date where it can be; an empty VALUE clears the field. Every
correction is kept in the letter's history (letterbook history ID).

\b
Fields:
{_FIELD_LIST}

\b
Examples:
    letterbook edit L1 sender "Joseph Stalin" --editor "A. Historian"
    letterbook edit L1 recipients "Harry S. Truman; James F. Byrnes"
    letterbook edit L1 date "23 December 1945"
""")
@click.argument("letter_id", metavar="ID")
@click.argument("field", metavar="FIELD")
@click.argument("value", metavar="VALUE")
@_db_option
@click.option("--editor", default=None, metavar="NAME", help="Who makes the correction (default: your login name).")
def edit(letter_id: str, field: str, value: str, db: str | None, editor: str | None) -> None:
    who = editor if editor is not None else _login()
    with opened(db) as archive:
        change = archive.edit(letter_id, field, value, editor=who)
    click.echo(f"{change.letter} {change.field}: {change.old!r} -> {change.new!r} (set by {change.editor})")


def _login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (a container without a user entry)
        return "unknown"


@click.command()
@click.argument("letter_id", metavar="ID")
@_db_option
@click.option("--json", "as_json", is_flag=True, help="Print the history as JSON.")
def history(letter_id: str, db: str | None, as_json: bool) -> None:
    """Show a letter's history, oldest first: each reading of its file and each correction
    (who, when, the field, its old and new value).

    \b
    Examples:
        letterbook history L1
        letterbook history L1 --json
    """
    with opened(db, read_only=True) as archive:
        changes = archive.history(letter_id)
    if as_json:
        _echo_json([change.to_json() for change in changes])
        return
    for change in changes:
        when = change.at.replace("T", " ").removesuffix("+00:00")
        if change.kind == "edited":
            click.echo(f"{when}  {change.editor} set {change.field}: {change.old!r} -> {change.new!r}")
        else:
            click.echo(f"{when}  {change.kind}, read from {_shown_path(change.new or '?')}")


@click.command()
@_db_option
def reindex(db: str | None) -> None:
    """Build the archive's search index again from its letters.

    Not needed in ordinary use (the index follows every change, and catches up after a crash);
    for after the index folder was removed or damaged.

    \b
    Example:
        letterbook reindex --db archive.db
    """
    started = time.monotonic()
    with opened(db) as archive:
        count = archive.reindex()
    click.echo(f"indexed {count:,} letter{'' if count == 1 else 's'} in {time.monotonic() - started:.1f} s")


def register(group: click.Group) -> None:
    """Add the archive's commands to the command line."""
    for command in (ingest, search, show, stats, edit, history, reindex):
        group.add_command(command)

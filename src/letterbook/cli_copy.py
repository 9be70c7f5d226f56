"""``letterbook copy``: move an archive between stores (SQLite to PostgreSQL and back)."""

from __future__ import annotations

import sys
import time

import click

from .errors import LetterbookError


class _CopyBar:
    """The copy's progress bar on standard error: one task a table, and the search index."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.progress = Progress(TextColumn("{task.description:<22}"), BarColumn(), MofNCompleteColumn(),
                                 TimeElapsedColumn(), console=Console(stderr=True), transient=True)
        self.tasks: dict[str, object] = {}
        self.shown = 0.0

    def __call__(self, table: str, done: int, total: int) -> None:
        task = self.tasks.get(table)
        if task is None:
            task = self.tasks[table] = self.progress.add_task(table, total=total or None)
        now = time.monotonic()
        if done in (0, total) or now - self.shown > 0.1:
            self.shown = now
            self.progress.update(task, completed=done, total=total or None)  # type: ignore[arg-type]

    def __enter__(self) -> _CopyBar:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()


@click.command("copy")
@click.option("--from", "source", required=True, metavar="URL",
              help="The archive to copy: a path, sqlite:///PATH or postgresql://USER@HOST/DB.")
@click.option("--to", "target", required=True, metavar="URL",
              help="Where the copy goes: a new SQLite file or an empty PostgreSQL database.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def copy_command(source: str, target: str, quiet: bool) -> None:
    """Copy an archive to another store, with everything it holds, and check the counts.

    Letters keep their ids; withdrawn letters, source files, corrections with who made them,
    the history and what enrichment found come along. The target must be new or empty; if the
    counts of any table differ at the end, the copy stops and the target keeps nothing. Then the
    copy's search index is built from its letters.

    \b
    Examples:
        letterbook copy --from letterbook.db --to postgresql://editors@db.example.org/letters
        letterbook copy --from postgresql://editors@db.example.org/letters --to backup.db
    """
    from .archive_copy import copy_archive

    started = time.monotonic()
    try:
        if not quiet and sys.stderr.isatty():
            with _CopyBar() as bar:
                report = copy_archive(source, target, progress=bar)
        else:
            report = copy_archive(source, target)
    except LetterbookError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(report.summary())
    click.echo(f"{time.monotonic() - started:.1f} s")

"""The ``letterbook export`` command: open the archive, stream its letters (or a query's) into
one of the export formats."""

from __future__ import annotations

import click

from ..errors import LetterbookError
from . import FORMATS, ExportOptions, export_path

__all__ = ["export_command"]


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), required=True,
              help="tei (a teiCorpus, or a folder of files when --out is a folder), cmif, csv (csv2cmi's "
                   "columns), json (JSON Lines, the extract shape), csl-json, bibtex, chicago or mla.")
@click.option("--query", default=None, metavar="QUERY",
              help="Export only the letters this search finds (the language of `letterbook search`).")
@click.option("--db", "db", envvar="LETTERBOOK_DB", default=None, metavar="URL",
              help="The archive: a path or sqlite:///PATH (default: letterbook.db here, or $LETTERBOOK_DB).")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=True, path_type=str),
              help="The file to write (for tei, a folder ending in / gives one file per letter).")
@click.option("--cmif-v2", is_flag=True, help="CMIF: add the persons and places letters mention (CMIF v2).")
@click.option("--base-url", envvar="LETTERBOOK_BASE_URL", default=None, metavar="URL",
              help="Where the archive is served: permalinks are URL/letters/ID (default: $LETTERBOOK_BASE_URL).")
def export_command(fmt: str, query: str | None, db: str | None, out: str, cmif_v2: bool,
                   base_url: str | None) -> None:
    """Write the archive's letters, or those a query finds, as TEI, CMIF, CSV, JSON or citations.

    Letters are written one at a time, so an archive of any size exports in bounded memory.

    \b
    Examples:
        letterbook export --format cmif --out letters.xml --base-url https://letters.example.org
        letterbook export --format tei --query 'from:"Alfred Escher" year:1866' --out escher-1866/
        letterbook export --format csv --out register.csv --db archive.db
    """
    from ..archive import Archive

    options = ExportOptions(base_url=base_url, cmif_v2=cmif_v2,
                            title=f"Letters found by {query!r}" if query else ExportOptions.title)
    try:
        with Archive.open(db, read_only=True) as archive:
            letters = archive.letters(query or None, sort="date")
            count = export_path(letters, fmt, out, options)
    except LetterbookError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{count:,} letter{'' if count == 1 else 's'} written to {out}", err=True)

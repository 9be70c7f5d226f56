"""The commands for people, places and threads: people (and its merge, split, rename), person,
places, place, thread, network and enrich.

Each opens the archive, calls one ``Archive`` method (archive_people.py) and prints what it gives,
as text or, with --json, as the same dict the web's JSON API gives.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from .cli_archive import _db_option, _echo_json, _login, opened


def _summary_line(summary: dict[str, Any]) -> str:
    who = " → ".join(x for x in (summary["sender"] or "", "; ".join(summary["recipients"])) if x)
    title = f"  {summary['title']}" if summary["title"] else ""
    return f"  {summary['id']}  {summary['date'] or 'undated'}  {who}{title}"


def _letters(label: str, summaries: list[dict[str, Any]]) -> None:
    if summaries:
        click.echo(f"{label} ({len(summaries):,}):")
        for summary in summaries:
            click.echo(_summary_line(summary))


def _editor(editor: str | None) -> str:
    return editor if editor is not None else _login()


_EDITOR = click.option("--editor", default=None, metavar="NAME",
                       help="Who makes the correction (default: your login name).")


# ------------------------------------------------------------------------------------------ people


@click.group(invoke_without_command=True)
@click.option("--query", "-q", default=None, metavar="NAME", help="Only people with a name form containing NAME.")
@click.option("--sort", type=click.Choice(["letters", "name"]), default="letters", show_default=True,
              help="Most letters first, or by name.")
@click.option("--limit", type=click.IntRange(1, 1000), default=50, show_default=True, help="People shown.")
@click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True, help="People passed over first.")
@click.option("--json", "as_json", is_flag=True,
              help='Print {"total": N, "people": [{"id", "name", "kind", "letters_from", ...}]} as JSON.')
@_db_option
@click.pass_context
def people(ctx: click.Context, query: str | None, sort: str, limit: int, offset: int, as_json: bool,
           db: str | None) -> None:
    """List the archive's people and organisations, with the letters each wrote, received and is
    named in; or correct them (merge, split, rename: kept by every later ingest).

    Name forms are clustered into one person ("J. Stalin", "Stalin", "Premier J. V. Stalin");
    `letterbook person ID` shows one with all their letters.

    \b
    Examples:
        letterbook people
        letterbook people --query bruce --json
        letterbook people merge s-m-bruce bruce
        letterbook people split r-g-casey "Casey"
        letterbook people rename j-stalin "Joseph Stalin"
    """
    if ctx.invoked_subcommand is not None:
        return
    with opened(db, read_only=True) as archive:
        found = archive.people(query=query, sort=sort, limit=limit, offset=offset)
    if as_json:
        _echo_json(found)
        return
    click.echo(f"{found['total']:,} {'person' if found['total'] == 1 else 'people'}")
    for person in found["people"]:
        counts = f"{person['letters_from']:,} from, {person['letters_to']:,} to, {person['mentioned_in']:,} named in"
        kind = " (organisation)" if person["kind"] == "organisation" else ""
        click.echo(f"  {person['id']}  {person['name']}{kind}  {counts}")


@people.command()
@click.argument("a", metavar="A")
@click.argument("b", metavar="B")
@_EDITOR
@_db_option
def merge(a: str, b: str, editor: str | None, db: str | None) -> None:
    """Merge person B into person A: one person with both's name forms and letters.

    \b
    Example:
        letterbook people merge s-m-bruce bruce --editor "A. Historian"
    """
    with opened(db) as archive:
        person = archive.merge_people(a, b, editor=_editor(editor))
    click.echo(f"{person['id']}: {person['name']}, written {'; '.join(f['form'] for f in person['forms'])}")


@people.command()
@click.argument("person_id", metavar="ID")
@click.argument("forms", metavar="FORM...", nargs=-1, required=True)
@_EDITOR
@_db_option
def split(person_id: str, forms: tuple[str, ...], editor: str | None, db: str | None) -> None:
    """Split the name forms FORM... off person ID into a person of their own (prints the new id).

    \b
    Example:
        letterbook people split r-g-casey "Casey" "Mr Casey" --editor "A. Historian"
    """
    with opened(db) as archive:
        new_id = archive.split_person(person_id, list(forms), editor=_editor(editor))
    click.echo(new_id)


@people.command()
@click.argument("person_id", metavar="ID")
@click.argument("name", metavar="NAME")
@_EDITOR
@_db_option
def rename(person_id: str, name: str, editor: str | None, db: str | None) -> None:
    """Show person ID under the name NAME from now on.

    \b
    Example:
        letterbook people rename j-stalin "Joseph Stalin" --editor "A. Historian"
    """
    with opened(db) as archive:
        person = archive.rename_person(person_id, name, editor=_editor(editor))
    click.echo(f"{person['id']}: {person['name']}")


@click.command()
@click.argument("person_id", metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="Print the person, their letters and correspondents as JSON.")
@_db_option
def person(person_id: str, as_json: bool, db: str | None) -> None:
    """Show one person: name forms, authority URIs, correspondents, letters a year, and every
    letter they wrote, received or are named in.

    \b
    Examples:
        letterbook person s-m-bruce
        letterbook person j-stalin --json
    """
    with opened(db, read_only=True) as archive:
        found = archive.person(person_id)
    if as_json:
        _echo_json(found)
        return
    click.echo(f"{found['name']} ({found['id']}{', organisation' if found['kind'] == 'organisation' else ''})")
    click.echo("written: " + "; ".join(f"{f['form']} ({f['count']:,})" for f in found["forms"]))
    for uri in found["authority"]:
        click.echo(f"authority: {uri}")
    if found["correspondents"]:
        click.echo("correspondents: " + "; ".join(f"{c['name']} ({c['letters']:,})"
                                                  for c in found["correspondents"][:10]))
    if found["timeline"]:
        click.echo("letters a year: " + ", ".join(f"{t['year']}: {t['letters']:,}" for t in found["timeline"]))
    _letters("letters from", found["letters_from"])
    _letters("letters to", found["letters_to"])
    _letters("named in", found["mentioned_in"])


# ------------------------------------------------------------------------------------------ places


@click.command()
@click.option("--query", "-q", default=None, metavar="NAME", help="Only places with a name containing NAME.")
@click.option("--limit", type=click.IntRange(1, 1000), default=50, show_default=True, help="Places shown.")
@click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True, help="Places passed over first.")
@click.option("--json", "as_json", is_flag=True,
              help='Print {"total": N, "places": [{"id", "name", "lat", "lon", ...}]} as JSON.')
@_db_option
def places(query: str | None, limit: int, offset: int, as_json: bool, db: str | None) -> None:
    """List the places letters were written at or name, with coordinates where known.

    \b
    Examples:
        letterbook places
        letterbook places --query london --json
    """
    with opened(db, read_only=True) as archive:
        found = archive.places(query=query, limit=limit, offset=offset)
    if as_json:
        _echo_json(found)
        return
    click.echo(f"{found['total']:,} place{'' if found['total'] == 1 else 's'}")
    for place in found["places"]:
        where = f"  {place['lat']:.2f}, {place['lon']:.2f}" if place["lat"] is not None and place["lon"] is not None \
            else ""
        click.echo(f"  {place['id']}  {place['name']}{where}  {place['letters_from']:,} written there, "
                   f"{place['mentioned_in']:,} named in")


@click.command()
@click.argument("place_id", metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="Print the place and its letters as JSON.")
@_db_option
def place(place_id: str, as_json: bool, db: str | None) -> None:
    """Show one place: coordinates, authority URIs, other names, the letters written there and
    those naming it.

    \b
    Examples:
        letterbook place geonames-2643743
        letterbook place geonames-2643743 --json
    """
    with opened(db, read_only=True) as archive:
        found = archive.place(place_id)
    if as_json:
        _echo_json(found)
        return
    click.echo(f"{found['name']} ({found['id']})")
    if found["lat"] is not None and found["lon"] is not None:
        click.echo(f"coordinates: {found['lat']}, {found['lon']}")
    for uri in found["authority"]:
        click.echo(f"authority: {uri}")
    if found["names"]:
        click.echo("also written: " + "; ".join(found["names"][:20]))
    _letters("letters written there", found["letters_from"])
    _letters("named in", found["mentioned_in"])


# ------------------------------------------------------------------------------------------ threads


@click.command()
@click.argument("letter_id", metavar="ID")
@click.option("--json", "as_json", is_flag=True,
              help='Print {"letter": ..., "links": [...], "conversation": [...]} as JSON.')
@_db_option
def thread(letter_id: str, as_json: bool, db: str | None) -> None:
    """Show a letter's conversation: the letters it answers and that answer it (with the sentence
    that says so and a confidence), previous and next in its correspondence and collection, and
    the whole exchange around it by date.

    \b
    Examples:
        letterbook thread L42
        letterbook thread L42 --json
    """
    with opened(db, read_only=True) as archive:
        found = archive.thread(letter_id)
    if as_json:
        _echo_json(found)
        return
    click.echo(_summary_line(found["letter"]).strip())
    for link in found["links"]:
        sure = f" ({link['confidence']:.2f})" if link["confidence"] is not None else ""
        click.echo(f"  {link['rel']}: {link['target']}  {link['date'] or 'undated'}  {link['title'] or ''}{sure}")
        if link["evidence"]:
            click.echo(f"      \"{link['evidence']}\"")
    click.echo(f"conversation ({len(found['conversation']):,} letters):")
    for summary in found["conversation"]:
        mark = "*" if summary["id"] == found["letter"]["id"] else " "
        click.echo(mark + _summary_line(summary)[1:])


@click.command()
@click.option("--min-letters", type=click.IntRange(min=1), default=1, show_default=True,
              help="Only pairs who exchanged at least this many letters.")
@click.option("--limit", type=click.IntRange(min=1), default=200, show_default=True, help="Pairs shown.")
@click.option("--json", "as_json", is_flag=True, help='Print {"nodes": [...], "edges": [...]} as JSON.')
@_db_option
def network(min_letters: int, limit: int, as_json: bool, db: str | None) -> None:
    """Show who wrote to whom: the pairs of correspondents with most letters.

    \b
    Examples:
        letterbook network --min-letters 5
        letterbook network --json
    """
    with opened(db, read_only=True) as archive:
        found = archive.network(min_letters=min_letters, limit=limit)
    if as_json:
        _echo_json(found)
        return
    names = {node["id"]: node["name"] for node in found["nodes"]}
    for edge in found["edges"]:
        click.echo(f"  {names[edge['source']]} → {names[edge['target']]}: {edge['letters']:,}")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the report (counts and seconds a pass) as JSON.")
@_db_option
def enrich(as_json: bool, db: str | None) -> None:
    """Enrich the whole archive again: people clustered (corrections replayed, ids kept), places
    resolved, mentions found, threads and replies linked. `letterbook ingest` does this itself
    after reading (unless --no-enrich).

    \b
    Example:
        letterbook enrich --db archive.db
    """
    with opened(db) as archive:
        if as_json or not sys.stderr.isatty():
            report = archive.enrich()
        else:
            from rich.console import Console

            with Console(stderr=True).status("enriching") as status:
                report = archive.enrich(progress=lambda step: status.update(f"enriching: {step}"))
    if as_json:
        _echo_json(report.to_json())
    else:
        click.echo(report.summary())


def register(group: click.Group) -> None:
    """Add the people, places and threads commands to the command line."""
    for command in (people, person, places, place, thread, network, enrich):
        group.add_command(command)

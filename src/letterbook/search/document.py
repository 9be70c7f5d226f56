"""What a search index is given of a letter: ``doc_for(letter)``."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..errors import LetterbookError
from ..model import Agent, Letter, When
from .base import SearchDoc

__all__ = ["FIELD_WEIGHTS", "date_key", "doc_for", "year_of"]

#: How much a match in each searched part of a letter weighs in the ranking (BM25 weights in FTS5,
#: boosts in tantivy): a name or a word of the title says more about a letter than one in its body.
FIELD_WEIGHTS = {"title": 10.0, "names": 10.0, "place": 3.0, "body": 1.0}

_YEAR = re.compile(r"\s*(-?\d{1,4})(?!\d)")


def year_of(iso: str | None) -> int | None:
    """Give the year of an ISO date ("1945-12-23", "1856-07", "1946"), or None when there is none."""
    if not iso:
        return None
    match = _YEAR.match(iso)
    return int(match.group(1)) if match else None


def date_key(iso: str | None) -> int | None:
    """Give an ISO date as a sortable number (1945-12-23 -> 19451223; a missing month or day is 0)."""
    if not iso:
        return None
    negative = iso.startswith("-")
    parts = iso.lstrip("-").split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
        day = int(parts[2][:2]) if len(parts) > 2 and parts[2][:2].isdigit() else 0
    except ValueError:
        return None
    key = year * 10000 + month * 100 + day
    return -key if negative else key


def _name_forms(agents: Iterable[Agent | None]) -> list[str]:
    forms: list[str] = []
    for agent in agents:
        if agent is None:
            continue
        for form in (agent.name, agent.as_written):
            if form and form.strip() and form not in forms:
                forms.append(form)
    return forms


def _years(date: When | None) -> tuple[int | None, int | None, str | None]:
    if date is None:
        return None, None, None
    start = date.not_before or date.when or date.not_after
    end = date.not_after or date.when or date.not_before
    return year_of(start), year_of(end), start


def doc_for(letter: Letter, *, paragraphs: str | None = None) -> SearchDoc:
    """Give the search document of a letter: its words, every form of its names, its date as years.

    ``paragraphs``: the letter's body paragraphs joined by blank lines, when the caller has made
    that text already (the store's row): the document then holds the same string, which travels
    from an ingest worker once rather than twice."""
    if not letter.id:
        raise LetterbookError(f"a letter from {letter.source.path} has no id yet: the archive gives ids "
                              "before letters are indexed")
    year_from, year_to, date_sort = _years(letter.date)
    salutation, postscript = letter.salutation or "", letter.postscript or ""
    if paragraphs is not None and not salutation.strip() and not postscript.strip() \
            and all(map(str.strip, letter.body)):
        text = paragraphs
    else:
        text = "\n\n".join(part for part in (salutation, *letter.body, postscript) if part.strip())
    recipient_facets = list(dict.fromkeys(r.name for r in letter.recipients if r.name and r.name.strip()))
    return SearchDoc(
        id=letter.id,
        title=letter.title or "",
        body=text,
        senders=_name_forms([letter.sender, *letter.co_senders]),
        recipients=_name_forms(letter.recipients),
        sender_facet=letter.sender.name if letter.sender and letter.sender.name.strip() else None,
        recipient_facets=recipient_facets,
        year_from=year_from,
        year_to=year_to,
        date_sort=date_sort,
        place=letter.place.name if letter.place and letter.place.name.strip() else None,
        language=letter.language or None,
        collection=letter.collection.title if letter.collection and letter.collection.title else None,
        mentions=_name_forms(letter.mentions_persons) + list(dict.fromkeys(
            a.ref for a in letter.mentions_persons if a.ref)),
    )

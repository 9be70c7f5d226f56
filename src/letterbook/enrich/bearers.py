"""Which of several persons bearing one surname a letter means when it writes the surname alone
("Pioda", "Herr Heer"): each bearer is weighed by what the archive tells without guessing: whom
the letter's writer names in full elsewhere, in the same correspondence and in the same years;
who is named in full beside the letter's other persons; who writes or receives letters of the
archive, with the letter's parties and in its years; who was alive and grown up at the letter's
date; and whether a title's gender ("Herr", "Frau") fits the bearer's given name. A surname a
party of the letter bears is the party's ("lieber Escher" in a letter to Escher).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache

from .forms import fold
from .people import Person, PersonIndex

__all__ = ["MARGIN", "Evidence", "LetterContext", "best_bearer", "female", "score"]

# How far the likeliest bearer must stand ahead of the next to be taken: a full point. Closer
# than that, the choice was right about half the time in the Escher edition (tests/test_enrich_escher.py).
MARGIN = 1.0
# Given names that end like women's names and are men's ("Andrea", "Battista").
_MEN_IN_A = frozenset("andrea luca nicola battista costa jona joshua sascha elia mattia".split())


@dataclass(slots=True)
class LetterContext:
    """What a letter tells about whom it may name: its parties, its writer, its year."""

    parties: frozenset[str]
    writer: str | None
    year: int | None
    named: frozenset[str] = frozenset()  # the persons the letter names unambiguously


class Evidence:
    """Who the archive names unambiguously (a full name, a surname only one person bears): in
    how many letters, by which writers, in which correspondences and years."""

    def __init__(self) -> None:
        self.named: Counter[str] = Counter()
        self.by_writer: Counter[tuple[str | None, str]] = Counter()
        self.by_pair: Counter[tuple[frozenset[str], str]] = Counter()
        self.by_year: dict[str, Counter[int]] = defaultdict(Counter)
        self.co: dict[str, Counter[str]] = defaultdict(Counter)  # person -> persons named in the same letters

    def add(self, ident: str, context: LetterContext) -> None:
        self.named[ident] += 1
        self.by_writer[(context.writer, ident)] += 1
        self.by_pair[(context.parties, ident)] += 1
        if context.year is not None:
            self.by_year[ident][context.year] += 1

    def together(self, named: set[str]) -> None:
        """Note the persons one letter names unambiguously, each with the others."""
        if len(named) > 1:
            for ident in named:
                self.co[ident].update(named)

    def near(self, ident: str, year: int, span: int = 2) -> int:
        """Give the letters of the years around ``year`` that name the person unambiguously."""
        years = self.by_year.get(ident)
        return sum(years.get(y, 0) for y in range(year - span, year + span + 1)) if years else 0


def best_bearer(people: PersonIndex, candidates: dict[str, float], context: LetterContext, gender: str | None,
                evidence: Evidence) -> tuple[float, str, float] | None:
    """Give (margin, person id, score) of the bearer of a shared surname a letter most likely
    means, or None when none stands out or a party of the letter bears the name."""
    scored: list[tuple[float, str]] = []
    if not context.parties.isdisjoint(candidates):
        return None  # "lieber Escher" in a letter to Escher: the party, never counted as mentioned
    for ident, weight in candidates.items():
        person = people.persons.get(ident)
        if person is None:
            continue
        scored.append((score(person, weight, context, gender, evidence), ident))
    if not scored:
        return None
    scored.sort(reverse=True)
    best, ident = scored[0]
    margin = best - scored[1][0] if len(scored) > 1 else 9.0
    if margin < MARGIN:
        return None
    return margin, ident, best


def score(person: Person, weight: float, context: LetterContext, gender: str | None, evidence: Evidence) -> float:
    """Give how likely a bearer of a surname is the one a letter names by it alone: named in
    full by the same writer, in the same correspondence, in the same years; corresponding
    with the letter's parties; alive and grown up at its date; of the title's gender."""
    ident = person.id
    total = math.log(weight) + 0.4 * math.log1p(person.letters) + 0.4 * math.log1p(evidence.named[ident])
    total += 1.2 * math.log1p(evidence.by_writer[(context.writer, ident)])
    total += 0.8 * math.log1p(evidence.by_pair[(context.parties, ident)])
    total += 1.0 * math.log1p(sum(person.correspondents.get(p, 0) for p in context.parties))
    together = evidence.co.get(ident)
    if together and context.named:
        total += 0.8 * math.log1p(sum(together.get(p, 0) for p in context.named))
    year = context.year
    if year is not None:
        total += 0.6 * math.log1p(evidence.near(ident, year))
        if person.born and year < person.born + 15:
            total -= 3.0  # not yet born, or a child
        elif person.died and year > person.died + 1:
            total -= 1.5  # dead by then: named so, now and then
        elif person.born or person.died:
            total += 0.5
        if person.first and person.last and person.first[:4].isdigit() and person.last[:4].isdigit():
            # The years in which the person wrote or received letters of the archive.
            gap = max(int(person.first[:4]) - year, year - int(person.last[:4]), 0)
            total += 0.5 if gap <= 2 else -0.1 * min(gap, 20)
    woman = female(person)
    if gender is not None and woman is not None and (gender == "f") != woman:
        total -= 3.0
    elif gender is None and woman:
        total -= 1.0  # a surname alone names a man more often, in letters of these centuries
    return total


@lru_cache(maxsize=50_000)
def _female_name(forenames: str | None) -> bool | None:
    """Give whether a first given name is a woman's by its ending ("Lydia", "Clementine",
    "Louise"), a man's, or None when there is no given name."""
    names = (forenames or "").split()
    if not names or len(names[0].rstrip(".")) <= 2:
        return None
    first = fold(names[0])
    if first in _MEN_IN_A:
        return False
    return first.endswith(("a", "ine", "ette", "ie", "ise", "ike", "elle", "ina"))


def female(person: Person) -> bool | None:
    """Give whether a person's first given name is a woman's by its ending ("Lydia",
    "Clementine", "Louise"), a man's, or None when the register gives no given name."""
    return _female_name(person.record.forenames) if person.record is not None else None

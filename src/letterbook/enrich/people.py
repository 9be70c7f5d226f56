"""The people of an archive: the name forms its letters write -> one record per person or
organisation, with the reason and confidence of every merge.

"J. Stalin", "Stalin", "Premier J. V. Stalin" and "Marshal Stalin" are one person; so are "Mr S. M.
Bruce, High Commissioner in London" and "Bruce". Forms join when their given names agree
(initials with full names, "R. G." with "Richard Gardiner"); a bare surname, or a form that fits
several persons, is resolved letter by letter from what the letter says around it: who else
writes or receives it, its date against each candidate's letters and life, the office named.
Different people who share a surname stay apart unless such evidence ties them.

Corrections ("merge A B", "split A FORM...", "rename A NAME") are applied after every build, so
later runs keep them; ids stay stable across runs through ``known_ids`` (what the archive stored).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ..model import Agent, AgentKind, Letter
from ..parse.names import split_honorific
from .forms import NameKey, fold, given_compatible, is_initial, name_key, slug
from .ids import letter_key
from .registers import PersonRecord, Registers, authority, authority_id

__all__ = ["Correction", "Merge", "Person", "PersonIndex", "PersonRef", "clean_party_name", "is_nobody"]

Position = Literal["sender", "co_sender", "recipient"]

# Words of a document's type or handling that a heading's name sometimes runs into: "Evatt
# Letter", "Ball Cablegram Paris 123 IMMEDIATE", "Oldham for Addison".
_DOC_WORDS = re.compile(
    r"\s+(?:for|letter|cablegram|cable|telegram|dispatch|despatch|submission|memorandum|minute|minutes|"
    r"note|report|immediate|secret|personal|confidential)\b.*$|\d+$", re.IGNORECASE)


# Names that say nobody is known: no person to cluster or to thread letters by.
_NOBODY = re.compile(r"^(?:anonym\w*|unbekannt\w*|unknown|unidentified|n\.\s*n\.?|nn|inconnu\w*|ignoto|"
                     r"s\.\s*n\.?|\?+|-+)$", re.IGNORECASE)


def is_nobody(name: str) -> bool:
    """Tell whether a name says the person is not known ("Anonym", "Unbekannt", "N. N.")."""
    return bool(_NOBODY.match(name.strip(" .[]()")))


def clean_party_name(name: str) -> str:
    """Give a party's name without document words a heading ran into it ("Evatt Letter" -> "Evatt")."""
    cleaned = _DOC_WORDS.sub("", name.strip()).strip(" ,;")
    return cleaned or name.strip()


@dataclass(frozen=True)
class PersonRef:
    """Whom a name in a letter was resolved to: the person's id and name, how sure, and why."""

    id: str
    name: str
    confidence: float
    reason: str
    kind: AgentKind = "person"

    def to_agent(self, as_written: str | None = None) -> Agent:
        """Give the model's Agent for this person, ``ref`` the person's id."""
        return Agent(name=self.name, as_written=as_written or self.name, ref=self.id, kind=self.kind)


@dataclass(frozen=True)
class Merge:
    """Why a name form was taken for a person, and how sure that is."""

    form: str
    reason: str
    confidence: float


@dataclass
class Person:
    """One person or organisation: the name to show, every form it is written in (with how
    often), its authority URIs, offices, the years of its letters, and each merge's reason."""

    id: str
    name: str
    kind: AgentKind = "person"
    key: NameKey | None = None
    record: PersonRecord | None = None
    forms: Counter[str] = field(default_factory=Counter)
    refs: list[str] = field(default_factory=list)
    roles: Counter[str] = field(default_factory=Counter)
    merges: list[Merge] = field(default_factory=list)
    letters: int = 0
    first: str | None = None  # the earliest and latest date of its letters (ISO)
    last: str | None = None
    correspondents: Counter[str] = field(default_factory=Counter)
    fixed_name: bool = False  # named by a correction or a register: not renamed by later forms

    @property
    def born(self) -> int | None:
        return self.record.born if self.record else None

    @property
    def died(self) -> int | None:
        return self.record.died if self.record else None

    def note_form(self, form: str, reason: str, confidence: float) -> None:
        if form not in self.forms:
            self.merges.append(Merge(form, reason, confidence))
        self.forms[form] += 1

    def note_date(self, iso: str | None) -> None:
        if iso:
            if self.first is None or iso < self.first:
                self.first = iso
            if self.last is None or iso > self.last:
                self.last = iso

    def to_json(self) -> dict[str, Any]:
        """Give the person as a JSON object (what ``letterbook person ID`` shows)."""
        return {
            "id": self.id, "name": self.name, "kind": self.kind,
            "forms": [form for form, _ in self.forms.most_common()], "refs": list(self.refs),
            "roles": [role for role, _ in self.roles.most_common()], "letters": self.letters,
            "first": self.first, "last": self.last, "born": self.born, "died": self.died,
            "record": self.record.id if self.record else None,
            "merges": [{"form": m.form, "reason": m.reason, "confidence": m.confidence} for m in self.merges],
        }


@dataclass(frozen=True)
class Correction:
    """An editor's correction of the people index, kept by the archive and applied on every build.

    ``merge``: ``other`` (an id or a name form) joins ``target``; ``split``: the ``forms`` of
    ``target`` become a person of their own (named ``name``, id ``id`` when given); ``rename``:
    ``target`` is shown as ``name``."""

    action: Literal["merge", "split", "rename"]
    target: str
    other: str | None = None
    forms: tuple[str, ...] = ()
    name: str | None = None
    id: str | None = None

    @classmethod
    def merge(cls, target: str, other: str) -> Correction:
        return cls("merge", target, other=other)

    @classmethod
    def split(cls, target: str, *forms: str, name: str | None = None, id: str | None = None) -> Correction:
        return cls("split", target, forms=tuple(forms), name=name, id=id)

    @classmethod
    def rename(cls, target: str, name: str) -> Correction:
        return cls("rename", target, name=name)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"action": self.action, "target": self.target}
        for key in ("other", "name", "id"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        if self.forms:
            data["forms"] = list(self.forms)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Correction:
        return cls(action=data["action"], target=data["target"], other=data.get("other"),
                   forms=tuple(data.get("forms") or ()), name=data.get("name"), id=data.get("id"))


@dataclass
class _Occurrence:
    letter: int
    agent: Agent
    position: Position
    key: NameKey
    form: str
    year: int | None
    iso: str | None


def _iso(letter: Letter) -> str | None:
    date = letter.date
    if date is None:
        return None
    value = date.when or date.not_before or date.not_after
    return value[:10] if value else None


def _year(iso: str | None) -> int | None:
    return int(iso[:4]) if iso and iso[:4].isdigit() else None


def _parties(letter: Letter) -> list[tuple[Agent, Position]]:
    found: list[tuple[Agent, Position]] = []
    if letter.sender is not None:
        found.append((letter.sender, "sender"))
    found.extend((a, "co_sender") for a in letter.co_senders)
    found.extend((a, "recipient") for a in letter.recipients)
    return found


def _role_words(role: str | None) -> set[str]:
    return {w for w in re.findall(r"[a-zäöü]{4,}", fold(role))} if role else set()


class PersonIndex:
    """The persons and organisations of an archive, and how each party of each letter resolves."""

    def __init__(self) -> None:
        self.persons: dict[str, Person] = {}
        self.by_surname: dict[str, list[str]] = defaultdict(list)  # personal surname key -> ids
        self.by_whole: dict[str, str] = {}  # an organisation's or office's key -> id
        self.by_ref: dict[str, str] = {}
        self.by_record: dict[str, str] = {}
        self.by_form: dict[str, str] = {}  # a folded form as written -> id (forms of one person)
        self._assigned: dict[tuple[str, str], PersonRef] = {}  # (letter key, folded name) -> ref
        self._letter_parties: dict[str, set[str]] = {}
        self.aliases: dict[str, str] = {}  # ids that merges retired -> the id each lives on as

    # ------------------------------------------------------------ building

    @classmethod
    def build(cls, letters: Sequence[Letter], *, registers: Registers | None = None,
              corrections: Iterable[Correction] = (), known_ids: Mapping[str, str] | None = None) -> PersonIndex:
        """Give the index of the persons the letters' senders and recipients name, anchored on
        the registers' records, with ``corrections`` applied and ids kept from ``known_ids``
        (folded name form -> the id an earlier run gave it)."""
        index = cls()
        for record in (registers.persons if registers else ()):
            index._add_record(record)
        occurrences: list[_Occurrence] = []
        for number, letter in enumerate(letters):
            iso = _iso(letter)
            for agent, position in _parties(letter):
                form = clean_party_name(agent.name)
                if not form or is_nobody(form):
                    continue
                occurrences.append(_Occurrence(number, agent, position, name_key(form, agent.kind), form,
                                               _year(iso), iso))
        index._cluster(letters, occurrences)
        for correction in corrections:
            index.apply(correction)
        index._settle_ids(known_ids or {})
        return index

    def _new(self, name: str, kind: AgentKind, key: NameKey | None, *, ident: str | None = None,
             record: PersonRecord | None = None) -> Person:
        base = ident or slug(key.label() if key and key.personal and key.given else name)
        ident = base
        number = 2
        while ident in self.persons:
            ident = f"{base}-{number}"
            number += 1
        person = Person(id=ident, name=name, kind=kind, key=key, record=record, fixed_name=record is not None)
        self.persons[ident] = person
        if key is not None:
            if key.personal:
                self.by_surname[key.surname].append(ident)
            else:
                self.by_whole.setdefault(key.surname, ident)
        return person

    def _add_record(self, record: PersonRecord) -> None:
        ident = next((authority_id(r) for r in record.refs if authority_id(r)), None) or slug(record.id)
        if ident in self.persons:  # two records with one authority: the same person
            person = self.persons[ident]
        else:
            full = " ".join(p for p in (record.forenames, record.surname) if p) or record.name
            person = self._new(record.name, record.kind, name_key(full, record.kind), ident=ident, record=record)
        self.by_record[record.id] = person.id
        for ref in record.refs:
            self.by_ref.setdefault(ref, person.id)
        for form in record.forms:
            self.by_form.setdefault(fold(form), person.id)
            person.merges.append(Merge(form, f"register {record.source or ''}: {record.id}".strip(), 1.0))

    def _cluster(self, letters: Sequence[Letter], occurrences: list[_Occurrence]) -> None:
        # 1. Authority refs and organisations/offices: identity by ref, or by the whole name.
        pending: list[_Occurrence] = []
        for occ in occurrences:
            uri = authority(occ.agent.ref)
            if uri:
                ident = self.by_ref.get(uri)
                if ident is None:
                    person = self._new(occ.form, occ.agent.kind, occ.key,
                                       ident=authority_id(uri) or None)
                    person.refs.append(uri)
                    ident = self.by_ref[uri] = person.id
                self._assign(letters, occ, PersonRef(ident, self.persons[ident].name, 1.0, f"authority {uri}",
                                                     self.persons[ident].kind))
            elif not occ.key.personal:
                ident = self.by_whole.get(occ.key.surname) or self.by_form.get(fold(occ.form))
                if ident is None:
                    ident = self._new(occ.form, occ.agent.kind, occ.key).id
                self._assign(letters, occ, PersonRef(ident, self.persons[ident].name, 1.0, "the same name",
                                                     self.persons[ident].kind))
            else:
                pending.append(occ)
        # 2. Named forms, most specific first, each joined to the one person its given names fit.
        by_key: dict[NameKey, list[_Occurrence]] = defaultdict(list)
        for occ in pending:
            by_key[occ.key].append(occ)
        named = sorted((k for k in by_key if not k.bare), key=lambda k: (-k.specificity(), -len(by_key[k]), k.label()))
        underspecified: list[_Occurrence] = []
        unmatched: list[NameKey] = []
        for key in named:
            occs = by_key[key]
            candidates = self._compatible(key)
            if len(candidates) == 1:
                person = candidates[0]
                agreed = given_compatible(person.key.given if person.key else (), key.given)[1]
                full = any(not is_initial(g) for g in key.given[:agreed]) and person.key is not None and \
                    any(not is_initial(g) for g in person.key.given[:agreed])
                confidence = 0.95 if full or person.key == key else 0.9 if agreed >= 2 else 0.8
                reason = "the same name" if person.key == key else \
                    f"given names agree: {occs[0].form} ~ {person.name}"
                for occ in occs:
                    self._assign(letters, occ, PersonRef(person.id, person.name, confidence, reason))
            elif not candidates:
                unmatched.append(key)
            elif (same := self._only_of_this_name(key, candidates)) is not None:
                # "Johannes Kern" is the register's Johannes Kern, though "Johann Konrad" fits too.
                reason = f"the same name (of {len(candidates)} persons whose names fit, the only one named so)"
                for occ in occs:
                    self._assign(letters, occ, PersonRef(same.id, same.name, 0.9, reason))
            else:
                underspecified.extend(occs)
        # Forms no person fits: a misreading of one (with evidence), else a person of their own.
        for key in unmatched:
            occs = by_key[key]
            near = self._near_miss(letters, key, occs)
            candidates = self._compatible(key)
            if near is not None and not candidates:
                person, reason = near
                confidence = 0.55
            elif len(candidates) == 1:
                person, confidence = candidates[0], 0.8
                reason = f"given names agree: {occs[0].form} ~ {person.name}"
            elif candidates:
                underspecified.extend(occs)  # "J. Smith" with John and James: letter by letter
                continue
            else:
                person, reason, confidence = self._new(occs[0].form, "person", key), "the same name", 1.0
            for occ in occs:
                self._assign(letters, occ, PersonRef(person.id, person.name, confidence, reason))
        # 3. Bare surnames and forms that fit several persons: letter by letter, from context;
        # those with one candidate first, so that their letters inform the others.
        bare = [occ for k, occs in by_key.items() if k.bare for occ in occs] + underspecified
        bare.sort(key=lambda o: len(self._compatible(o.key)) if self.by_surname.get(o.key.surname) else 99)
        for occ in bare:
            self._assign(letters, occ, self._resolve_in_context(occ.key, occ.year, letters[occ.letter], occ))
        for person in self.persons.values():
            self._rename_from_forms(person)

    def _compatible(self, key: NameKey) -> list[Person]:
        found = []
        for ident in self.by_surname.get(key.surname, ()):
            person = self.persons[ident]
            if person.key is None or given_compatible(person.key.given, key.given)[0] and \
                    person.key.same_generation(key):
                found.append(person)
        return found

    @staticmethod
    def _only_of_this_name(key: NameKey, candidates: list[Person]) -> Person | None:
        """Give the one candidate whose name is exactly the form's, given names written out (not
        initials alone: "J. Escher" may be any of them); None when there is not exactly one."""
        if all(is_initial(g) for g in key.given):
            return None
        same = [p for p in candidates if p.key == key]
        return same[0] if len(same) == 1 else None

    def _near_miss(self, letters: Sequence[Letter], key: NameKey,
                   occs: list[_Occurrence]) -> tuple[Person, str] | None:
        """Give the one person whose given names differ from ``key``'s in a single later initial
        ("R. C." / "R. G.") and who shares a correspondent and years with the form: a misreading,
        taken with low confidence and the evidence in the reason; None without such evidence."""
        found = []
        for ident in self.by_surname.get(key.surname, ()):
            person = self.persons[ident]
            given = person.key.given if person.key else ()
            if len(given) != len(key.given) or len(given) < 2 or given[0][0] != key.given[0][0]:
                continue
            differ = [i for i, (a, b) in enumerate(zip(given, key.given, strict=True)) if a[0] != b[0]]
            if len(differ) != 1 or differ[0] == 0:
                continue
            others = {pid for occ in occs for pid in self._other_parties(letters[occ.letter])}
            shared = others & set(person.correspondents)
            years = [o.year for o in occs if o.year]
            first, last = _year(person.first), _year(person.last)
            if shared and years and first and last and first - 1 <= min(years) and max(years) <= last + 1:
                names = ", ".join(sorted(self.persons[p].name for p in shared))
                found.append((person, f"given names differ in one initial ({key.label()} / {person.name}); "
                                      f"same correspondent ({names}) and years ({min(years)}-{max(years)}): "
                                      "taken as a misreading"))
        return found[0] if len(found) == 1 else None

    def _other_parties(self, letter: Letter) -> set[str]:
        return self._letter_parties.get(letter_key(letter), set())

    def _assign(self, letters: Sequence[Letter], occ: _Occurrence, ref: PersonRef) -> None:
        letter = letters[occ.letter]
        key = letter_key(letter)
        self._assigned[(key, fold(occ.agent.name))] = ref
        self._assigned[(key, fold(occ.form))] = ref
        person = self.persons[ref.id]
        person.note_form(occ.form, ref.reason, ref.confidence)
        person.letters += 1
        person.note_date(occ.iso)
        if occ.agent.role:
            person.roles[occ.agent.role] += 1
        if occ.agent.ref and authority(occ.agent.ref) and authority(occ.agent.ref) not in person.refs:
            person.refs.append(authority(occ.agent.ref) or "")
        self.by_form.setdefault(fold(occ.form), person.id)
        parties = self._letter_parties.setdefault(key, set())
        for other in parties:
            if other != person.id:
                self.persons[other].correspondents[person.id] += 1
                person.correspondents[other] += 1
        parties.add(person.id)

    def _resolve_in_context(self, key: NameKey, year: int | None, letter: Letter | None,
                            occ: _Occurrence | None = None, *, create: bool = True) -> PersonRef | None:
        """Give the person a bare or short form stands for in one letter: the only one of that
        surname, else the one the letter's other parties, date and office point to."""
        candidates = self._compatible(key)
        if occ is not None and year is not None:
            # A party cannot write or receive letters before birth or long after death.
            living = [p for p in candidates if not ((p.born and year < p.born + 10) or (p.died and year > p.died))]
            candidates = living or candidates
        label = key.label()
        if not candidates:
            if not create:
                return None
            person = self._new(occ.form if occ else label, "person", key)
            return PersonRef(person.id, person.name, 0.9, "the only form of this name")
        if len(candidates) == 1:
            person = candidates[0]
            return PersonRef(person.id, person.name, 0.85 if key.bare else 0.8,
                             f"the only person named {label.title() if key.bare else label} in the archive")
        others: set[str] = set()
        if letter is not None:
            others = set(self._letter_parties.get(letter_key(letter), set()))
        role = _role_words(occ.agent.role) if occ is not None else set()
        scored = sorted(((self._score(p, year, others, role), p) for p in candidates),
                        key=lambda sp: (-sp[0], sp[1].id))
        (best, person), (second, _) = scored[0], scored[1]
        if best - second >= 1.0:
            evidence = (("shares a correspondent with this letter", bool(others & set(person.correspondents))),
                        ("writes in these years", self._in_years(person, year)),
                        ("holds the office named", bool(role & self._roles(person))))
            why = " and ".join(w for w, ok in evidence if ok) or "fits"
            return PersonRef(person.id, person.name, 0.7,
                             f"of {len(candidates)} persons named {label}, the one who {why}")
        return PersonRef(person.id, person.name, 0.4,
                         f"ambiguous: {len(candidates)} persons named {label}; the one with most letters")

    def _score(self, person: Person, year: int | None, others: set[str], role: set[str]) -> float:
        score = 0.1 * math.log1p(person.letters)
        if person.record is not None and person.record.note == "correspondent":
            score += 1.0  # the register says this one wrote or received letters
        if others & set(person.correspondents):
            score += 2.0
        if self._in_years(person, year):
            score += 1.0
        if role and role & self._roles(person):
            score += 1.0
        return score

    @staticmethod
    def _in_years(person: Person, year: int | None) -> bool:
        first, last = _year(person.first), _year(person.last)
        return bool(year and first and last and first - 2 <= year <= last + 2)

    @staticmethod
    def _roles(person: Person) -> set[str]:
        return {w for role in person.roles for w in _role_words(role)}

    def _rename_from_forms(self, person: Person) -> None:
        if person.fixed_name or not person.forms or person.kind != "person":
            return
        # The fullest form it is written in, the most frequent among equals: "J. V. Stalin".
        best = max(person.forms, key=lambda f: (name_key(f).specificity(), person.forms[f], -len(f)))
        person.name = split_honorific(best)[1] or best  # "Premier J. V. Stalin" is shown "J. V. Stalin"
        if person.key is None or name_key(best).specificity() > person.key.specificity():
            person.key = name_key(best)

    # ------------------------------------------------------------ corrections and ids

    def find(self, what: str) -> Person | None:
        """Give the person an id or a name form stands for (for corrections and the CLI)."""
        if what in self.persons:
            return self.persons[what]
        ident = self.by_form.get(fold(what))
        return self.persons.get(ident) if ident else None

    def apply(self, correction: Correction) -> None:
        """Apply one editor's correction; one that names no known person is passed over (the
        letters it was made on may not be in this build)."""
        target = self.find(correction.target)
        if target is None:
            return
        if correction.action == "rename" and correction.name:
            target.name, target.fixed_name = correction.name, True
        elif correction.action == "merge" and correction.other:
            other = self.find(correction.other)
            if other is not None and other is not target:
                self._absorb(target, other)
        elif correction.action == "split" and correction.forms:
            wanted = {fold(f) for f in correction.forms}
            moved = [f for f in target.forms if fold(f) in wanted]
            if not moved:
                return
            name = correction.name or max(moved, key=len)
            person = self._new(name, target.kind, name_key(name), ident=correction.id)
            person.fixed_name = True
            for form in moved:
                person.forms[form] = target.forms.pop(form)
                person.merges.append(Merge(form, f"split from {target.id} by an editor", 1.0))
                self.by_form[fold(form)] = person.id
            for key, ref in list(self._assigned.items()):
                if ref.id == target.id and key[1] in wanted:
                    self._assigned[key] = PersonRef(person.id, person.name, 1.0, "split by an editor", person.kind)

    def _absorb(self, target: Person, other: Person) -> None:
        for form, count in other.forms.items():
            target.forms[form] += count
            self.by_form[fold(form)] = target.id
        target.merges.append(Merge(other.name, f"merged by an editor ({other.id})", 1.0))
        target.refs.extend(r for r in other.refs if r not in target.refs)
        target.roles.update(other.roles)
        target.letters += other.letters
        target.note_date(other.first)
        target.note_date(other.last)
        target.correspondents.update(other.correspondents)
        del self.persons[other.id]
        for ids in self.by_surname.values():
            if other.id in ids:
                ids.remove(other.id)
        for key, ref in list(self._assigned.items()):
            if ref.id == other.id:
                self._assigned[key] = PersonRef(target.id, target.name, 1.0, "merged by an editor", target.kind)
        self.aliases[other.id] = target.id

    def _settle_ids(self, known: Mapping[str, str]) -> None:
        """Give each person the id an earlier run gave most of its forms, where one did; the
        person with more letters wins an id two claim."""
        if not known:
            return
        claimed: dict[str, Person] = {}
        for person in sorted(self.persons.values(), key=lambda p: (-p.letters, p.id)):
            votes = Counter()
            for form, count in person.forms.items():
                if fold(form) in known:
                    votes[known[fold(form)]] += count
            for ident, _ in votes.most_common():
                if ident not in claimed:
                    claimed[ident] = person
                    break
        chosen = {id(p): ident for ident, p in claimed.items()}
        used = set(claimed)
        renames: dict[str, str] = {}
        for person in self.persons.values():
            new = chosen.get(id(person))
            if new is None:
                new, number = person.id, 2
                while new in used:
                    new, number = f"{person.id}-{number}", number + 1
            used.add(new)
            if new != person.id:
                renames[person.id] = new
        if not renames:
            return
        persons = {}
        for person in self.persons.values():
            person.id = renames.get(person.id, person.id)
            persons[person.id] = person
        self.persons = persons
        for table in (self.by_ref, self.by_record, self.by_form, self.by_whole):
            for key, ident in table.items():
                table[key] = renames.get(ident, ident)
        for ids in self.by_surname.values():
            ids[:] = [renames.get(i, i) for i in ids]
        for key, ref in self._assigned.items():
            if ref.id in renames:
                self._assigned[key] = PersonRef(renames[ref.id], ref.name, ref.confidence, ref.reason, ref.kind)
        for person in self.persons.values():
            person.correspondents = Counter({renames.get(i, i): n for i, n in person.correspondents.items()})

    # ------------------------------------------------------------ asking

    def resolve(self, agent: Agent, letter: Letter | None = None) -> PersonRef | None:
        """Give the person a party or a named person of a letter stands for; None when the index
        knows nobody of that name."""
        if letter is not None:
            found = self._assigned.get((letter_key(letter), fold(agent.name)))
            if found is not None:
                person = self.persons.get(found.id)
                return PersonRef(found.id, person.name if person else found.name, found.confidence,
                                 found.reason, found.kind)
        uri = authority(agent.ref)
        if uri and uri in self.by_ref:
            person = self.persons[self.by_ref[uri]]
            return PersonRef(person.id, person.name, 1.0, f"authority {uri}", person.kind)
        form = clean_party_name(agent.name)
        if is_nobody(form):
            return None
        key = name_key(form, agent.kind)
        if not key.personal:
            ident = self.by_whole.get(key.surname) or self.by_form.get(fold(form))
            if ident is None:
                return None
            person = self.persons[ident]
            return PersonRef(person.id, person.name, 1.0, "the same name", person.kind)
        year = _year(_iso(letter)) if letter is not None else None
        return self._resolve_in_context(key, year, letter, None, create=False)

    def party_refs(self, letter: Letter) -> list[tuple[Position, PersonRef]]:
        """Give each sender and recipient of a letter with the person it resolved to."""
        found = []
        for agent, position in _parties(letter):
            ref = self.resolve(agent, letter)
            if ref is not None:
                found.append((position, ref))
        return found

    def add(self, name: str, kind: AgentKind = "person", *, reason: str = "named in a letter") -> Person:
        """Give the person of this name, created when the index has none (a person known only
        from being mentioned)."""
        key = name_key(name, kind)
        ident = self.by_form.get(fold(name)) or (self.by_whole.get(key.surname) if not key.personal else None)
        if ident is not None:
            return self.persons[ident]
        person = self._new(name, kind, key)
        person.merges.append(Merge(name, reason, 0.9))
        self.by_form[fold(name)] = person.id
        return person

    def __len__(self) -> int:
        return len(self.persons)

    def __iter__(self) -> Iterator[Person]:
        return iter(self.persons.values())

"""The archive's people, places and threads: enrichment run over the stored letters, and what a
historian asks of its findings (a person's letters and correspondents, a place, a conversation,
who wrote to whom), with the people corrections that every later run replays.

A part of ``Archive`` (mixed in), kept apart from the store and search plumbing of archive.py.
Every method gives plain JSON-able dicts: the CLI prints them, the web renders them.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import signal
import time
from collections import Counter
from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

from .collector import no_collections
from .enrich import (
    THREAD_RELS,
    Correction,
    Enrichment,
    EnrichOptions,
    LetterReferences,
    enrich,
    letter_key,
    letter_references,
)
from .enrich.forms import fold as name_fold
from .enrich.forms import slug
from .enrich.mentions import to_agents
from .enrich.people import clean_party_name, is_nobody
from .enrich.shelf import LetterShelf, TextLoader
from .errors import ArchiveError, LetterbookError, PersonNotFound, PlaceNotFound
from .model import Agent, Letter
from .search import tag_letter
from .search.query import And, Field, Node, Not, Or, Query
from .search.query import fold as query_fold
from .sharing import can_fork
from .store import open_store
from .store.base import (
    EnrichmentRows,
    LetterEnrichment,
    MentionedAgent,
    MentionedPlace,
    PeopleCorrection,
    PersonRow,
    PlaceRow,
    Store,
)

__all__ = ["EnrichReport", "PeopleMixin", "letter_summary"]

#: The sort orders of ``Archive.people``.
PEOPLE_SORTS = ("letters", "name")
#: The setting that records the store's change sequence the last enrichment run saw.
ENRICHED_SETTING = "enriched_sequence"
#: Letters of the same correspondence shown before and after a letter in its thread.
THREAD_AROUND = 3
#: The most forms a from:/to:/mentions: filter is widened to.
MAX_FORMS = 200
_NAME_FIELDS = ("from", "to", "mentions")


def date_text(letter: Letter) -> str | None:
    """Give a letter's date as ISO 8601 (an interval as ``start/end``), None when undated."""
    date = letter.date
    if date is None:
        return None
    if date.when:
        return date.when
    if date.not_before or date.not_after:
        return f"{date.not_before or '..'}/{date.not_after or '..'}"
    return None


def letter_summary(letter: Letter) -> dict[str, Any]:
    """Give the few fields a list of letters shows: id, title, sender, recipients, date, place."""
    return {
        "id": letter.id,
        "title": letter.title,
        "sender": letter.sender.name if letter.sender else None,
        "recipients": [r.name for r in letter.recipients],
        "date": date_text(letter),
        "place": letter.place.name if letter.place else None,
    }


def _sort_key(letter: Letter) -> tuple[bool, str, str]:
    earliest = letter.date.earliest if letter.date else None
    return (earliest is None, earliest or "", letter.id or "")


@dataclass
class EnrichReport:
    """What an enrichment run did: letters read, persons and places found, letters whose mentions
    or links changed, and the seconds each pass took (``load``, ``people``, ``places``,
    ``mentions``, ``threads``, ``store``, ``index``; they add up to the run's). ``meanwhile``:
    the seconds of work done inside another pass's, by another process (``index``: the indexing
    done while the findings were stored; ``index`` of ``timings`` is then what was left after)."""

    letters: int = 0
    people: int = 0
    places: int = 0
    changed: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    meanwhile: dict[str, float] = field(default_factory=dict)

    @property
    def seconds(self) -> float:
        """Give the whole run's seconds."""
        return sum(self.timings.values())

    def summary(self) -> str:
        """Give the report as the line ``letterbook enrich`` prints."""
        passes = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.timings.items())
        if self.meanwhile:
            passes += " (" + ", ".join(f"{name} {seconds:.1f} s of it meanwhile"
                                       for name, seconds in self.meanwhile.items()) + ")"
        return (f"enriched {self.letters:,} letters: {self.people:,} people, {self.places:,} places, "
                f"{self.changed:,} letters with new mentions or links ({self.seconds:.1f} s: {passes})")

    def to_json(self) -> dict[str, Any]:
        """Give the report as a JSON object."""
        return {"letters": self.letters, "people": self.people, "places": self.places, "changed": self.changed,
                "seconds": round(self.seconds, 3), "timings": {k: round(v, 3) for k, v in self.timings.items()},
                "meanwhile": {k: round(v, 3) for k, v in self.meanwhile.items()}}


#: The passes an enrichment run tells its ``progress`` of, in order (the threads pass only when
#: it runs, "indexing" after the findings are stored: with them when they are stored elsewhere).
ENRICH_STEPS = ("loading", "people", "places", "mentions", "threads", "storing", "indexing")


def _known_ids(forms: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Give the person id an earlier run gave each name form, by folded form: only forms that one
    person bore. A form two persons shared ("Smuts" of J. C. Smuts and of "King and Smuts") would
    vote for either id, and the two would swap ids from run to run."""
    owners: dict[str, set[str]] = {}
    for form, ident in forms:
        owners.setdefault(name_fold(form), set()).add(ident)
    return {form: next(iter(ids)) for form, ids in owners.items() if len(ids) == 1}


def _correction(kept: PeopleCorrection) -> Correction:
    if kept.action == "merge":
        return Correction.merge(kept.target, kept.other or "")
    if kept.action == "split":
        return Correction.split(kept.target, *kept.forms, id=kept.new_id)
    return Correction.rename(kept.target, kept.name or "")


def _parties(letter: Letter) -> Iterable[tuple[Agent, str]]:
    if letter.sender is not None:
        yield letter.sender, "sender"
    for agent in letter.co_senders:
        yield agent, "sender"
    for agent in letter.recipients:
        yield agent, "recipient"


def _findings(letter: Letter, result: Enrichment, written: tuple[str, str | None] | None) -> LetterEnrichment:
    """Give what a run found of one letter: its parties and the persons and places it names as
    records, and its mentions and computed links (None where the run did not look for them)."""
    assert letter.id is not None
    found = LetterEnrichment(letter.id)
    people = result.people
    for agent, role in _parties(letter):
        form = clean_party_name(agent.name)
        if not form or is_nobody(form):
            continue
        ref = people.resolve(agent, letter)
        if ref is not None:
            found.persons.append((ref.id, role, agent.as_written or agent.name, ref.confidence))
    key = letter_key(letter)
    mentions = result.mentions.get(key)
    if mentions is not None:
        # As ``mentions.to_agents`` gives them: each record once, in the order the text names them.
        persons: dict[str, MentionedAgent] = {}
        named: dict[str, MentionedPlace] = {}
        for mention in mentions:
            if mention.kind == "place":
                found.places.append((mention.id, "mentioned", mention.as_written))
                named.setdefault(mention.id, (mention.name, mention.id, mention.as_written))
            else:
                found.persons.append((mention.id, "mentioned", mention.as_written, mention.confidence))
                persons.setdefault(mention.id, ("organisation" if mention.kind == "organisation" else "person",
                                                mention.name, mention.id, mention.as_written))
        found.mentions_persons, found.mentions_places = list(persons.values()), list(named.values())
    if written is not None:
        found.places.append((written[0], "written", written[1]))
    computed = result.links.get(key)
    if computed or mentions is not None:
        found.links = computed or []
    return found


def _letters_to_index(letters: LetterShelf, result: Enrichment, ids: Sequence[str]) -> dict[str, Letter]:
    """Give the letters among these ids as the store now holds what the search index is given of
    them (``doc_for``), made from the shelf and the run's mentions; those the shelf does not hold,
    or whose mentions the run did not look for, are left out (the store gives them)."""
    found: dict[str, Letter] = {}
    for ident in ids:
        position = letters.position(ident)
        if position is None:
            continue
        shelved = letters.shelved(position)
        mentions = result.mentions.get(letter_key(shelved))  # type: ignore[arg-type]
        if mentions is None:
            continue
        letter = shelved.whole()
        letter.mentions_persons, letter.mentions_places = to_agents(mentions)
        found[ident] = letter
    return found


def _references_in(path: str) -> dict[str, LetterReferences]:
    """Give what the texts of the letters of the archive at ``path`` say of other letters, by
    letter key (run in a process of its own: ``PeopleMixin._references_elsewhere``)."""
    store = open_store(path, read_only=True)
    try:
        return {letter_key(x): letter_references(x) for x in LetterShelf(store.iter_letter_heads(), store.letter_texts)}
    finally:
        store.close()


def _texts_of(path: str) -> TextLoader:
    """Give a loader of the letters' texts of the archive at ``path``, over a connection of its own."""
    return open_store(path, read_only=True).letter_texts


@dataclass
class _Findings:
    """What storing a run's findings gives: the ids of the letters whose mentions or links
    changed, and the person and place records stored."""

    changed: list[str]
    people: int
    places: int


def _store_findings(store: Store, letters: Sequence[Letter], result: Enrichment) -> _Findings:
    rows = PeopleMixin._rows(letters, result)
    keys = {form: query_fold(form) for person in rows.persons for form in [person.name, *person.forms]}
    changed = store.store_enrichment(rows, keys=keys)
    return _Findings(changed, len(rows.persons), len(rows.places))


#: What a storing process is given at its fork: the archive's path, the run's letters and
#: findings, and the end of the pipe it answers on (``PeopleMixin._storing``).
_HANDED_OVER: tuple[str, LetterShelf, Enrichment, Any] | None = None


def _store_elsewhere() -> None:
    """Store a run's findings, in a forked process of its own, over a connection of its own;
    send back the ``_Findings``, or the error that stopped it."""
    assert _HANDED_OVER is not None
    path, letters, result, sending = _HANDED_OVER
    _quiet()
    try:
        store = open_store(path)
        try:
            answer: object = _store_findings(store, letters, result)
        finally:
            store.close()
    except Exception as error:  # noqa: BLE001 - handed to the archive's process, which raises it
        answer = error if isinstance(error, LetterbookError) else \
            ArchiveError(f"the findings of enrichment could not be stored ({error})")
    sending.send(answer)
    sending.close()


class _Storing:
    """A run's findings being stored: ``wait`` gives the ``_Findings`` once they are."""

    def __init__(self, findings: _Findings | None, receiving: Any = None, child: Any = None) -> None:
        self._findings = findings
        self._receiving = receiving
        self._child = child
        self.elsewhere = child is not None

    def wait(self) -> _Findings:
        if self._findings is None:
            try:
                answer = self._receiving.recv()
            except EOFError:
                self._child.join(5)
                code = self._child.exitcode
                raise ArchiveError("the process storing the findings of enrichment ended without storing them "
                                   f"(exit code {code}); nothing was lost: run `letterbook enrich` again") from None
            if isinstance(answer, BaseException):
                raise answer
            self._findings = answer
        return self._findings

    def close(self) -> None:
        if self._child is None:
            return
        if self._findings is None and self._child.is_alive():
            self._child.terminate()  # interrupted: its transaction is rolled back, nothing stored is lost
        self._child.join()
        self._receiving.close()
        self._child = None


def _quiet() -> None:
    # Ctrl-C reaches every process of the group; the main process alone decides what to do.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _person_row(person: Any) -> PersonRow:
    merges = person.merges
    confidence = min((m.confidence for m in merges), default=None)
    reasons = list(dict.fromkeys(m.reason for m in merges))
    reason = "; ".join(reasons[:3]) + (f"; and {len(reasons) - 3} more" if len(reasons) > 3 else "")
    return PersonRow(person.id, person.name, person.kind, list(person.refs), confidence, reason or None,
                     dict(person.forms))


class PeopleMixin:
    """The people, places and threads part of ``Archive``."""

    store: Store

    index_kind: str

    def _index_enriched(self, tag: Callable[[list[list[str]]], Iterator[dict[str, Any]]], *,
                        until: int | None = None, skip: Container[str] = ()) -> set[str]:  # pragma: no cover
        raise NotImplementedError  # Archive's

    # -- running enrichment ---------------------------------------------------------------------

    def enrichment_due(self) -> bool:
        """Tell whether letters changed since the last enrichment run."""
        return self.store.setting(ENRICHED_SETTING) != str(self.store.sequence())

    def enrich(self, *, options: EnrichOptions | None = None,
               progress: Callable[[str], None] | None = None) -> EnrichReport:
        """Give the report of enriching every letter of the archive: people clustered (with the
        corrections replayed and ids kept from the run before), places resolved, mentions found,
        threads linked; the findings stored, and the letters whose mentions or links changed
        indexed again.

        The letters are read as headings (``LetterShelf``), their texts a chunk at a time as the
        passes ask for them, so the memory a run takes does not grow with the length of the texts.
        ``progress`` is told the name of each pass as it begins (``ENRICH_STEPS``)."""
        with no_collections():  # millions of objects that live as long as the run, without cycles
            return self._enrich(options, progress or (lambda step: None))

    def _enrich(self, options: EnrichOptions | None, tell: Callable[[str], None]) -> EnrichReport:
        report = EnrichReport()
        timings = report.timings
        tell("loading")
        start = time.perf_counter()
        # A process forked to help scan the texts reads them over a connection of its own.
        path = self._file_for_forks()
        reopen = partial(_texts_of, path) if path is not None else None
        letters = LetterShelf(self.store.iter_letter_heads(), self.store.letter_texts, reopen=reopen)
        known = _known_ids(self.store.person_forms())
        corrections = [_correction(c) for c in self.store.people_corrections()]
        timings["load"] = time.perf_counter() - start
        opts = replace(options or EnrichOptions(), known_ids=known)
        with self._references_elsewhere(opts.threads) as references:
            result = enrich(letters, corrections=corrections, options=opts, references=references, progress=tell)
        timings.update(result.timings)
        start = time.perf_counter()
        letters.forget_texts()
        gc.collect()  # what the passes left in cycles (their indexes' back references): room for the store's work
        kind = self.index_kind

        def tag(batches: list[list[str]]) -> Iterator[dict[str, Any]]:
            return ({i: tag_letter(kind, x) for i, x in _letters_to_index(letters, result, batch).items()}
                    for batch in batches)

        before = self.store.sequence()
        indexed: set[str] = set()
        tell("storing")
        with self._storing(letters, result) as stored:
            if stored.elsewhere:
                # The letters an ingest left to the index are indexed while the findings are stored.
                indexed = self._index_enriched(tag, until=before)
                report.meanwhile["index"] = time.perf_counter() - start
            findings = stored.wait()
        timings["store"] = time.perf_counter() - start
        tell("indexing")
        start = time.perf_counter()
        self._index_enriched(tag, skip=indexed)
        self.store.set_setting(ENRICHED_SETTING, str(self.store.sequence()))
        timings["index"] = time.perf_counter() - start
        report.letters, report.people, report.places = len(letters), findings.people, findings.places
        report.changed = len(findings.changed)
        return report

    def _file_for_forks(self) -> str | None:
        """Give the SQLite file of the archive when processes forked beside this one can open it
        for themselves; None for an archive on a server or in memory, or where this process may
        not fork (``letterbook.sharing.can_fork``)."""
        path = getattr(self.store, "path", ":memory:")
        return path if self.store.sqlite_connection is not None and path != ":memory:" and can_fork() else None

    @contextlib.contextmanager
    def _storing(self, letters: LetterShelf, result: Enrichment) -> Iterator[_Storing]:
        """Store what a run found: in a process of its own, while this one indexes, for an archive
        in an SQLite file with its search index apart from it on a machine of several
        processors; here otherwise. The process is forked: it has the run's findings without
        their being copied, and writes them over a connection of its own."""
        path = self._file_for_forks()
        if path is None or self.index_kind == "fts5" or getattr(self.store, "read_only", False) \
                or (os.cpu_count() or 1) < 2:
            yield _Storing(_store_findings(self.store, letters, result))
            return
        receiving, sending = multiprocessing.get_context("fork").Pipe(duplex=False)
        global _HANDED_OVER
        _HANDED_OVER = (path, letters, result, sending)
        try:
            child = multiprocessing.get_context("fork").Process(target=_store_elsewhere, name="letterbook-store",
                                                                daemon=True)
            child.start()
        finally:
            _HANDED_OVER = None
        sending.close()
        storing = _Storing(None, receiving, child)
        try:
            yield storing
        finally:
            storing.close()

    @contextlib.contextmanager
    def _references_elsewhere(self, wanted: bool) -> Iterator[Callable[[], Mapping[str, LetterReferences]] | None]:
        """Give what the letters' texts say of other letters (the threads pass's reading), read
        meanwhile by a process of its own while the other passes run, for an archive in an SQLite
        file on a machine of several processors; None otherwise (the threads pass reads them)."""
        path = self._file_for_forks()
        if not wanted or path is None or (os.cpu_count() or 1) < 2:
            yield None
            return
        # fork, as the ingest's workers: everything is imported already.
        pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"),
                                   initializer=_quiet)
        try:
            future = pool.submit(_references_in, path)

            def read() -> Mapping[str, LetterReferences]:
                try:
                    return future.result()
                except Exception:  # noqa: BLE001 - a helper's failure: the threads pass reads the texts itself
                    return {}

            yield read
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    @staticmethod
    def _rows(letters: Sequence[Letter], result: Enrichment) -> EnrichmentRows:
        """Give the rows to store of a run: the person and place records, and each letter's
        findings as the store reads them (made one letter at a time)."""
        people, places = result.people, result.places
        written: list[tuple[str, str | None] | None] = []
        used_places: dict[str, None] = {}
        for letter in letters:
            place = places.resolve(letter.place, letter) if letter.place is not None else None
            if place is None or letter.place is None:
                written.append(None)
                continue
            written.append((place.id, letter.place.as_written or letter.place.name))
            used_places.setdefault(place.id, None)
        for mentions in result.mentions.values():
            for mention in mentions:
                if mention.kind == "place":
                    used_places.setdefault(mention.id, None)
        rows = EnrichmentRows(computed_rels=THREAD_RELS)
        rows.persons = [_person_row(p) for p in people.persons.values()]
        for ident in used_places:
            record = places.get(ident)
            if record is not None:
                rows.places.append(PlaceRow(record.id, record.name, record.lat, record.lon, list(record.refs),
                                            [f for f in record.forms if f != record.name][:50]))
        rows.letters = (_findings(letter, result, place) for letter, place in zip(letters, written, strict=True))
        return rows

    # -- searching by person --------------------------------------------------------------------

    def widen(self, query: Query) -> Query:
        """Give the query with each from:, to: and mentions: filter widened to every form of the
        persons it names (by a form or an id), so "from:Stalin" finds "J. V. Stalin" too."""
        cache: dict[tuple[str, str], Node] = {}

        def walk(node: Node) -> Node:
            if isinstance(node, Field) and node.name in _NAME_FIELDS:
                key = (node.name, node.value)
                if key not in cache:
                    cache[key] = self._widened(node)
                return cache[key]
            if isinstance(node, And):
                return And(tuple(walk(p) for p in node.parts))
            if isinstance(node, Or):
                return Or(tuple(walk(p) for p in node.parts))
            if isinstance(node, Not):
                return Not(walk(node.part))
            return node

        root = walk(query.root)
        return query if root == query.root else Query(root, query.text)

    def _widened(self, node: Field) -> Node:
        ids = self.store.find_persons([query_fold(node.value)])
        if not ids:
            return node
        values = [node.value, *ids] if node.name == "mentions" else [node.value, *self.store.forms_of(ids)]
        values = list(dict.fromkeys(values))[:MAX_FORMS]
        return node if len(values) == 1 else Or(tuple(Field(node.name, v) for v in values))

    # -- people ---------------------------------------------------------------------------------

    def people(self, *, query: str | None = None, sort: str = "letters", limit: int = 50,
               offset: int = 0) -> dict[str, Any]:
        """Give one page of the archive's people: ``{"total": N, "people": [{"id", "name", "kind",
        "letters_from", "letters_to", "mentioned_in", "authority"}]}``, most letters first (or by
        name); ``query`` keeps those with a name form containing it."""
        if sort not in PEOPLE_SORTS:
            raise LetterbookError(f"cannot sort people by {sort!r}: sort by {' or '.join(PEOPLE_SORTS)}")
        _check_page(limit, offset)
        key = query_fold(query) if query and query.strip() else None
        total, found = self.store.list_persons(query_key=key, sort=sort, limit=limit, offset=offset)  # type: ignore[arg-type]
        return {"total": total, "people": found}

    def person(self, id: str) -> dict[str, Any]:
        """Give a person with every letter they wrote, received or are named in, their name forms,
        correspondents and letters a year; raise ``PersonNotFound`` for an unknown id."""
        record = self.store.get_person(id)
        if record is None:
            raise PersonNotFound(id)
        roles = self.store.person_letters(id)
        letters = self.store.get_many(list(dict.fromkeys(i for i, _ in roles)))
        by_role: dict[str, list[dict[str, Any]]] = {"sender": [], "recipient": [], "mentioned": []}
        years: Counter[int] = Counter()
        for letter_id, role in roles:
            letter = letters.get(letter_id)
            if letter is None:
                continue
            by_role[role].append(letter_summary(letter))
            if role != "mentioned" and letter.date and (letter.date.earliest or "")[:4].isdigit():
                years[int((letter.date.earliest or "")[:4])] += 1
        return {
            "id": record["id"], "name": record["name"], "kind": record["kind"],
            "forms": [{"form": form, "count": count} for form, count in record["forms"]],
            "authority": record["authority"], "confidence": record["confidence"], "reason": record["reason"],
            "letters_from": by_role["sender"], "letters_to": by_role["recipient"],
            "mentioned_in": by_role["mentioned"],
            "correspondents": [{"id": i, "name": n, "letters": c} for i, n, c in self.store.correspondents(id)],
            "timeline": [{"year": year, "letters": years[year]} for year in sorted(years)],
        }

    def network(self, *, min_letters: int = 1, limit: int = 200) -> dict[str, Any]:
        """Give who wrote to whom: ``{"nodes": [{"id", "name", "letters"}], "edges": [{"source",
        "target", "letters"}]}``, the ``limit`` pairs with most letters (at least ``min_letters``)."""
        if min_letters < 1 or limit < 1:
            raise LetterbookError("min_letters and limit are counts: 1 or more")
        pairs = self.store.network(min_letters=min_letters, limit=limit)
        ids = list(dict.fromkeys(p for pair in pairs for p in pair[:2]))
        names = self.store.person_names(ids)
        return {"nodes": [{"id": i, "name": names.get(i, (i, 0))[0], "letters": names.get(i, (i, 0))[1]}
                          for i in ids],
                "edges": [{"source": s, "target": t, "letters": n} for s, t, n in pairs]}

    # -- corrections ----------------------------------------------------------------------------

    def _correct(self, correction: PeopleCorrection) -> None:
        if not correction.editor or not correction.editor.strip():
            raise LetterbookError("say who made the correction (--editor NAME)")
        self.store.add_people_correction(correction)
        self.enrich()

    def merge_people(self, a: str, b: str, *, editor: str) -> dict[str, Any]:
        """Give the person ``a`` after ``b`` joined it (their forms, letters and authority URIs);
        the merge is kept and replayed by every later enrichment run."""
        for ident in (a, b):
            if self.store.get_person(ident) is None:
                raise PersonNotFound(ident)
        if a == b:
            raise LetterbookError(f"{a} and {b} are the same person already")
        self._correct(PeopleCorrection("merge", a, editor.strip() if editor else "", other=b))
        return self.person(a if self.store.get_person(a) is not None else b)

    def split_person(self, id: str, forms: Sequence[str], *, editor: str) -> str:
        """Give the id of the new person made of these name forms of ``id`` (and of the letters
        that write them); kept and replayed by every later enrichment run."""
        record = self.store.get_person(id)
        if record is None:
            raise PersonNotFound(id)
        written = {name_fold(form): form for form, _count in record["forms"]}
        missing = [f for f in forms if name_fold(f) not in written]
        if not forms or missing:
            known = "; ".join(written.values())
            raise LetterbookError(f"{record['name']} ({id}) is not written {'; '.join(missing) or 'so'}: "
                                  f"its forms are {known}")
        if len(forms) >= len(written):
            raise LetterbookError("a split must leave the person at least one form: name fewer forms")
        moved = [written[name_fold(f)] for f in forms]
        base = slug(max(moved, key=len)) or "person"
        new_id, number = base, 2
        while self.store.get_person(new_id) is not None:
            new_id, number = f"{base}-{number}", number + 1
        self._correct(PeopleCorrection("split", id, editor.strip() if editor else "", forms=moved, new_id=new_id,
                                       name=max(moved, key=len)))
        return new_id

    def rename_person(self, id: str, name: str, *, editor: str) -> dict[str, Any]:
        """Give the person after giving them the name shown; kept by every later run."""
        if self.store.get_person(id) is None:
            raise PersonNotFound(id)
        if not name or not name.strip():
            raise LetterbookError("give the new name (it may not be empty)")
        self._correct(PeopleCorrection("rename", id, editor.strip() if editor else "", name=name.strip()))
        return self.person(id)

    def people_corrections(self) -> list[dict[str, Any]]:
        """Give the corrections of the people made so far, oldest first."""
        return [c.to_json() for c in self.store.people_corrections()]

    # -- places ---------------------------------------------------------------------------------

    def places(self, *, query: str | None = None, limit: int = 50, offset: int = 0) -> dict[str, Any]:
        """Give one page of the archive's places: ``{"total": N, "places": [{"id", "name", "lat",
        "lon", "authority", "letters_from", "mentioned_in"}]}``, most letters first."""
        _check_page(limit, offset)
        key = query_fold(query) if query and query.strip() else None
        total, found = self.store.list_places(query_key=key, limit=limit, offset=offset)
        return {"total": total, "places": found}

    def place(self, id: str) -> dict[str, Any]:
        """Give a place with the letters written there and those naming it; raise
        ``PlaceNotFound`` for an unknown id."""
        record = self.store.get_place(id)
        if record is None:
            raise PlaceNotFound(id)
        roles = self.store.place_letters(id)
        letters = self.store.get_many(list(dict.fromkeys(i for i, _ in roles)))
        written = [letter_summary(letters[i]) for i, role in roles if role == "written" and i in letters]
        named = [letter_summary(letters[i]) for i, role in roles if role == "mentioned" and i in letters]
        return {**record, "letters_from": written, "mentioned_in": named}

    # -- threads --------------------------------------------------------------------------------

    def thread(self, id: str) -> dict[str, Any]:
        """Give a letter's conversation: ``{"letter": summary, "links": [{"rel", "target", "title",
        "date", "evidence", "confidence"}], "conversation": [summary, ...]}``, the conversation
        being the chain of replies it stands in and the letters of its correspondences around
        it, by date."""
        letter = self.store.get(id)
        links = [link for link in letter.links if link.target and link.rel in THREAD_RELS]
        targets = self.store.get_many(list(dict.fromkeys(link.target for link in links if link.target)))
        shown = []
        for link in links:
            target = targets.get(link.target or "")
            shown.append({"rel": link.rel, "target": link.target,
                          "title": target.title if target else link.label,
                          "date": date_text(target) if target else None,
                          "evidence": link.evidence, "confidence": link.confidence})
        return {"letter": letter_summary(letter), "links": shown,
                "conversation": [letter_summary(x) for x in sorted(self._conversation(letter), key=_sort_key)]}

    def _conversation(self, letter: Letter) -> list[Letter]:
        found: dict[str, Letter] = {letter.id or "": letter}
        frontier = [letter]
        while frontier and len(found) < 500:  # the chain of replies, both ways
            wanted = [k.target for x in frontier for k in x.links
                      if k.rel in ("reply-to", "replied-by") and k.target and k.target not in found]
            more = self.store.get_many(list(dict.fromkeys(t for t in wanted if t)))
            found.update(more)
            frontier = list(more.values())
        for rel in ("prev-in-correspondence", "next-in-correspondence"):
            steps: dict[str, Letter] = {letter.id or "": letter}
            frontier = [letter]
            for _ in range(THREAD_AROUND):
                wanted = [k.target for x in frontier for k in x.links if k.rel == rel and k.target
                          and k.target not in steps]
                more = self.store.get_many(list(dict.fromkeys(t for t in wanted if t)))
                steps.update(more)
                frontier = list(more.values())
            found.update(steps)
        return list(found.values())


def _check_page(limit: int, offset: int) -> None:
    if not 1 <= limit <= 1000:
        raise LetterbookError(f"a page holds 1 to 1000 entries, not {limit}")
    if offset < 0:
        raise LetterbookError(f"an offset counts from 0, not {offset}")


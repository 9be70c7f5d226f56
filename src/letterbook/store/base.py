"""The store interface: what the archive asks of the place its letters are kept.

``letterbook.archive.Archive`` talks to a store only through ``Store`` below, so a second store
(PostgreSQL, a later issue) can be added without touching anything above it. A store keeps:

- the letters, whole (``Letter`` in, the same ``Letter`` out), each with a stable id;
- the source files they were read from (path, SHA-256, size, format, letter count);
- which fields a person set (provenance), with a history of who changed what and when;
- a numbered sequence of changes, which the search index follows (``SearchIndex.commit(sequence=)``)
  so that after a crash the archive can re-apply what the index missed.

A store decides nothing about reading files: the archive hands it batches of letters already read
(``Batch``), and the store writes each batch in one transaction.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ..errors import ArchiveError
from ..model import Letter, Link

Sort = Literal["date", "-date", "id"]
ChangeKind = Literal["new", "updated", "withdrawn", "restored", "edited", "enriched"]
#: ``reading``: letters of the file are being written (a crash left it so); ``done``: read to its
#: end; ``failed``: reading stopped with a problem.
FileStatus = Literal["reading", "done", "failed"]


@dataclass
class FileRecord:
    """What the store remembers of one source file: its checksum and how reading it went."""

    path: str
    sha256: str | None
    size: int | None = None
    format: str | None = None
    letters: int = 0
    status: FileStatus = "done"
    problem: str | None = None
    read_at: str | None = None

    @property
    def done(self) -> bool:
        """Whether the file was read to its end without a problem."""
        return self.status == "done"


@dataclass
class IncomingLetter:
    """A letter just read, with the file it came from (an absolute path).

    The letter comes either as a ``Letter`` or as ``prepared``: what the store's ``prepare`` made
    of it, in a worker process, so that the process writing only writes. ``tag`` is anything the
    caller wants back with the letter's id when the letter is written (its search document).
    ``file_sha256`` is the file's checksum as it is being read: a letter carrying the same one
    (nearly all) is not changed by a change elsewhere in its file.
    """

    file: str
    letter: Letter | None = None
    prepared: Any = None
    tag: Any = None
    file_sha256: str | None = None


@dataclass
class Written:
    """A letter whose stored state changed: its id, the caller's tag, and the letter as stored
    when that differs from what was given (it was given prepared, or a person set some fields)."""

    id: str
    tag: Any = None
    letter: Letter | None = None
    new: bool = False  # a letter the store did not hold before this batch


@dataclass
class Batch:
    """What one transaction writes: letters read, and the files whose reading ended in it.

    ``finished`` files were read to their end: their letters not seen in this reading are withdrawn
    (``Store.write``). ``failed`` files stopped with a problem: they are recorded, and nothing
    already stored of them is withdrawn. A file is recorded in the same transaction as its last
    letters, so a crash never leaves a file marked read without its letters.
    """

    letters: list[IncomingLetter] = field(default_factory=list)
    finished: list[FileRecord] = field(default_factory=list)
    failed: list[FileRecord] = field(default_factory=list)


@dataclass
class Skipped:
    """A letter of a file that was not stored, and why (an id that another letter already has)."""

    file: str
    part: int
    reason: str


@dataclass
class BatchResult:
    """What a batch changed: letters new, updated, unchanged and withdrawn, and the changes made.

    ``changed`` holds the letters now live whose stored state changed, ``gone`` the ids of letters
    withdrawn; ``sequence`` is the store's change sequence after the batch.
    """

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    withdrawn: int = 0
    changed: list[Written] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    sequence: int = 0


@dataclass
class Change:
    """One entry of a letter's history: a person's correction, or a reading from a file.

    For an edit, ``field`` is the field's name and ``old``/``new`` its values as shown to people;
    for a reading, ``field`` is None and ``new`` names the file.
    """

    letter: str
    kind: ChangeKind
    editor: str
    at: str
    field: str | None = None
    old: Any = None
    new: Any = None

    def to_json(self) -> dict[str, Any]:
        """Give the change as a JSON object."""
        return {"letter": self.letter, "kind": self.kind, "editor": self.editor, "at": self.at,
                "field": self.field, "old": self.old, "new": self.new}


@dataclass
class FieldSource:
    """Where a field's value comes from: read automatically, or set by a person (who and when)."""

    set_by: Literal["reader", "person"]
    editor: str | None = None
    at: str | None = None
    auto_value: Any = None

    def to_json(self) -> dict[str, Any]:
        """Give the provenance as a JSON object."""
        return {"set_by": self.set_by, "editor": self.editor, "at": self.at, "auto_value": self.auto_value}


@dataclass
class Pending:
    """A change the search index has not applied yet: the letter's id and whether it is live."""

    sequence: int
    id: str
    live: bool


@dataclass
class PersonRow:
    """A person or organisation record as enrichment found it: its stable id, the name shown,
    authority URIs, how sure the clustering is and why, and every form written with its count."""

    id: str
    name: str
    kind: Literal["person", "organisation"] = "person"
    authority: list[str] = field(default_factory=list)
    confidence: float | None = None
    reason: str | None = None
    forms: dict[str, int] = field(default_factory=dict)


@dataclass
class PlaceRow:
    """A place record: its id, name, coordinates (None where unknown), authority URIs, other names."""

    id: str
    name: str
    lat: float | None = None
    lon: float | None = None
    authority: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)


#: A person or organisation a letter mentions, as enrichment found it: kind, the name shown, the
#: record's id (the Agent's ``ref``), the words as written.
MentionedAgent = tuple[str, str, str, str | None]
#: A place a letter mentions: the name shown, the record's id, the words as written.
MentionedPlace = tuple[str, str, str | None]


@dataclass
class LetterEnrichment:
    """What enrichment found of one letter.

    ``persons`` rows are (person id, role ``sender``/``recipient``/``mentioned``, form as written,
    confidence); ``places`` rows (place id, role ``written``/``mentioned``, form as written).
    ``mentions_persons`` and ``mentions_places`` replace the letter's mentions; ``links`` are the
    links enrichment computed, which replace those an earlier run computed (``EnrichmentRows.
    computed_rels`` with a confidence) beside the source's own; None leaves each as it is.
    """

    id: str
    persons: list[tuple[str, str, str | None, float | None]] = field(default_factory=list)
    places: list[tuple[str, str, str | None]] = field(default_factory=list)
    mentions_persons: list[MentionedAgent] | None = None
    mentions_places: list[MentionedPlace] | None = None
    links: list[Link] | None = None


@dataclass
class EnrichmentRows:
    """What one enrichment run stores: every person and place record, and each letter's findings
    (an iterable, read once: a run over a million letters need not hold them all).
    A run replaces what the run before stored. ``computed_rels``: the rels of the links enrichment
    computes (a link of these with a confidence is enrichment's, one without is the source's)."""

    persons: list[PersonRow] = field(default_factory=list)
    places: list[PlaceRow] = field(default_factory=list)
    letters: Iterable[LetterEnrichment] = field(default_factory=list)
    computed_rels: tuple[str, ...] = ()


@dataclass
class PeopleCorrection:
    """An editor's correction of the people: ``merge`` (``other`` joins ``target``), ``split``
    (``forms`` of ``target`` become the person ``new_id``), ``rename`` (``target`` is called
    ``name``); who made it and when."""

    action: Literal["merge", "split", "rename"]
    target: str
    editor: str
    at: str = ""
    other: str | None = None
    forms: list[str] = field(default_factory=list)
    name: str | None = None
    new_id: str | None = None

    def to_json(self) -> dict[str, Any]:
        """Give the correction as a JSON object."""
        return {"action": self.action, "target": self.target, "other": self.other, "forms": list(self.forms),
                "name": self.name, "new_id": self.new_id, "editor": self.editor, "at": self.at}


@dataclass
class Stamp:
    """When a letter's record last changed: its place in the change sequence, its id, the time
    (UTC, ISO 8601 to the second, as ``changes.at`` keeps it), whether it was withdrawn, and the
    title of its collection. What OAI-PMH calls a record's datestamp."""

    sequence: int
    id: str
    at: str
    withdrawn: bool
    collection: str | None = None



#: The phases of listing every live letter in an order: (condition, order, key) where key says
#: what the next page starts after: the row number, or the date and the row number.
_LISTINGS: dict[str, list[tuple[str, str, str]]] = {
    "id": [("", "l.num", "num")],
    "date": [("l.date_sort IS NOT NULL", "l.date_sort, l.num", "date"), ("l.date_sort IS NULL", "l.num", "num")],
    "-date": [("l.date_sort IS NOT NULL", "l.date_sort DESC, l.num DESC", "-date"),
              ("l.date_sort IS NULL", "l.num DESC", "-num")],
}
_AFTER = {"num": "l.num > ?", "-num": "l.num < ?", "date": "(l.date_sort, l.num) > (?, ?)",
          "-date": "(l.date_sort, l.num) < (?, ?)"}


def keyset_letters(load: Callable[[str, Sequence[Any]], list[Letter]],
                   position: Callable[[str], tuple[str | None, int]], *, sort: Sort, limit: int | None,
                   offset: int, size: int = 500) -> Iterator[Letter]:
    """Give the live letters in the order ``sort`` names (by date: undated last), a page at a time.

    ``load(where, params)`` gives the letters of a condition on the letters' table ``l`` (with its
    ORDER BY and LIMIT); ``position(id)`` gives a letter's date key and row number. Each page starts
    where the last ended (keyset paging), so a million letters cost a million rows read, not the
    quadratic rescans of OFFSET paging."""
    if sort not in _LISTINGS:
        raise ValueError(f"unknown sort {sort!r}")
    skip, given = offset, 0
    for condition, order, key in _LISTINGS[sort]:
        base = "l.withdrawn_at IS NULL" + (f" AND {condition}" if condition else "")
        after: tuple[Any, ...] | None = None
        while True:
            where = base if after is None else f"{base} AND {_AFTER[key]}"
            page = load(f"{where} ORDER BY {order} LIMIT ?", (*(after or ()), size))
            if page:
                date_key, num = position(page[-1].id or "")
                after = (num,) if key.endswith("num") else (date_key, num)
            full = len(page) == size
            if skip:
                dropped = min(skip, len(page))
                page, skip = page[dropped:], skip - dropped
            if limit is not None and given + len(page) >= limit:
                yield from page[:limit - given]
                return
            yield from page
            given += len(page)
            if not full:
                break


class Store(ABC):
    """Where the archive keeps its letters. Every method raises ``LetterbookError`` subclasses only."""

    url: str
    read_only: bool
    #: True when the search index is a copy each machine keeps of a store on a server: then even
    #: a read-only archive brings its copy up to the store's changes when it opens.
    index_is_local_copy: bool = False

    # -- schema ---------------------------------------------------------------------------------

    @abstractmethod
    def schema_version(self) -> int:
        """Give the schema version the store is at (the number of the last migration applied)."""

    # -- files and ingest -----------------------------------------------------------------------

    @staticmethod
    def prepare(letter: Letter, file: str, file_sha256: str | None) -> Any:
        """Give what ``write`` needs of a letter read from ``file`` (whose checksum is
        ``file_sha256``), made ahead in a worker process, so it must be picklable: by default the
        letter itself."""
        return letter

    @abstractmethod
    def files(self, paths: Sequence[str]) -> dict[str, FileRecord]:
        """Give the records of those files (absolute paths) the store has read before."""

    @abstractmethod
    def write(self, batch: Batch) -> BatchResult:
        """Give what writing one batch changed; the batch is written in one transaction.

        A letter is matched to the one stored before by its own id when its source gave one (the
        ``id`` of a JSON Lines record), else by its source path and part; a matched letter keeps
        its id. A letter whose reading is the same as the one stored is not written at all. Fields
        a person set are never overwritten: the new reading is kept beside them. Letters of a
        finished file that were not seen in this reading are withdrawn (kept, but no longer shown).
        """

    @abstractmethod
    def start_file(self, path: str) -> None:
        """Begin a new reading of a file: forget which of its letters were seen before."""

    # -- letters --------------------------------------------------------------------------------

    @abstractmethod
    def get(self, id: str) -> Letter:
        """Give the letter with this id; raise ``LetterNotFound`` when there is none (or it was
        withdrawn)."""

    @abstractmethod
    def get_many(self, ids: Sequence[str]) -> dict[str, Letter]:
        """Give the live letters among these ids, by id (missing ids are left out)."""

    @abstractmethod
    def iter_letters(self, *, sort: Sort = "id", limit: int | None = None,
                     offset: int = 0) -> Iterator[Letter]:
        """Give the live letters in the order asked, a page at a time under the hood."""

    @abstractmethod
    def count(self) -> int:
        """Give the number of live letters."""

    @abstractmethod
    def stats(self) -> dict[str, Any]:
        """Give counts of what the store holds: letters, people, organisations, places, files,
        failed files, withdrawn letters, edits, and the span of dates."""

    # -- provenance and corrections -------------------------------------------------------------

    @abstractmethod
    def edit(self, id: str, field: str, value: Any, *, editor: str) -> Change:
        """Give the change made by setting one field of a letter to ``value`` (the field's JSON
        form, see ``letterbook.fields``) on behalf of ``editor``; the field is from now on the
        person's, and no later reading overwrites it."""

    @abstractmethod
    def history(self, id: str) -> list[Change]:
        """Give a letter's history, oldest first: the readings of its file and every correction."""

    @abstractmethod
    def provenance(self, id: str) -> dict[str, FieldSource]:
        """Give, for each field a person set, who set it and when; other fields were read."""

    # -- the change sequence the search index follows -------------------------------------------

    @abstractmethod
    def sequence(self) -> int:
        """Give the number of the store's latest change (0 when nothing was ever written)."""

    @abstractmethod
    def pending(self, after: int, *, limit: int = 5000) -> list[Pending]:
        """Give the letters changed after sequence ``after``, oldest change first, each letter once
        (at its latest change), at most ``limit`` of them."""

    # -- people, places and threads (what enrichment stores) -------------------------------------

    @abstractmethod
    def store_enrichment(self, rows: EnrichmentRows, *, keys: dict[str, str]) -> list[str]:
        """Give the ids of the letters whose mentions or links changed, after storing what an
        enrichment run found in one transaction: the person and place records and the letter rows
        replace the run before's, written only where they differ; ``keys`` gives each name form its
        folded key (what ``find_persons`` compares). Each letter whose mentions or links changed
        gets an ``enriched`` change in the change sequence (the search index and harvesters follow
        it); its history does not show it."""

    @abstractmethod
    def iter_letter_heads(self, *, size: int = 2000) -> Iterator[Letter]:
        """Give the live letters in the order of ``iter_letters(sort="id")`` with what enrichment
        reads of them but their texts: id, title, parties, date, place, destination, collection,
        dateline, language (no salutation, body, postscript, notes, links, mentions, raw text)."""

    @abstractmethod
    def letter_texts(self, ids: Sequence[str]) -> dict[str, tuple[str | None, list[str], str | None]]:
        """Give the salutation, body paragraphs and postscript of the live letters among these ids."""

    @abstractmethod
    def person_forms(self) -> list[tuple[str, str]]:
        """Give every (form, person id) stored, for keeping ids stable across runs."""

    @abstractmethod
    def find_persons(self, keys: Sequence[str]) -> list[str]:
        """Give the ids of persons who have a form (or id) with one of these folded keys, or a
        form whose last word is one of them ("stalin" finds the person written "J. V. Stalin")."""

    @abstractmethod
    def forms_of(self, person_ids: Sequence[str]) -> list[str]:
        """Give every name form of these persons, most written first."""

    @abstractmethod
    def list_persons(self, *, query_key: str | None, sort: Literal["letters", "name"], limit: int,
                     offset: int) -> tuple[int, list[dict[str, Any]]]:
        """Give how many persons match and one page of them: dicts with id, name, kind, authority
        (a list), letters_from, letters_to, mentioned_in (counts of live letters). ``query_key``
        (folded) keeps those with a form containing it; ``sort``: most letters first, or by name."""

    @abstractmethod
    def get_person(self, id: str) -> dict[str, Any] | None:
        """Give a person as a dict (id, name, kind, authority, confidence, reason, forms: a list
        of (form, count)), None when there is no such person."""

    @abstractmethod
    def person_letters(self, id: str) -> list[tuple[str, str]]:
        """Give (letter id, role) for every live letter the person is a party to or named in,
        by date (undated last)."""

    @abstractmethod
    def correspondents(self, id: str) -> list[tuple[str, str, int]]:
        """Give (person id, name, letters) for the persons who wrote to or received letters from
        this one, most letters first."""

    @abstractmethod
    def list_places(self, *, query_key: str | None, limit: int, offset: int) -> tuple[int, list[dict[str, Any]]]:
        """Give how many places match and one page: dicts with id, name, lat, lon, authority,
        letters_from, mentioned_in, most letters first."""

    @abstractmethod
    def get_place(self, id: str) -> dict[str, Any] | None:
        """Give a place record as a dict (id, name, lat, lon, authority, names), None when unknown."""

    @abstractmethod
    def place_letters(self, id: str) -> list[tuple[str, str]]:
        """Give (letter id, role) for every live letter written at or naming the place, by date."""

    @abstractmethod
    def network(self, *, min_letters: int, limit: int) -> list[tuple[str, str, int]]:
        """Give (sender id, recipient id, letters) for the pairs with at least ``min_letters``
        live letters, most letters first, at most ``limit``."""

    @abstractmethod
    def person_names(self, ids: Sequence[str]) -> dict[str, tuple[str, int]]:
        """Give, by person id, the person's name and the live letters they sent or received."""

    @abstractmethod
    def add_people_correction(self, correction: PeopleCorrection) -> PeopleCorrection:
        """Give the correction as kept (stamped with the time), recording it for every later run."""

    @abstractmethod
    def people_corrections(self) -> list[PeopleCorrection]:
        """Give the corrections of the people, oldest first."""

    # -- datestamps: when each letter's record last changed (OAI-PMH) ---------------------------
    # Not abstract: a store that cannot tell yet says so when asked (the SQLite store can).

    def stamps(self, *, after: int = 0, since: str | None = None, until: str | None = None,
               collections: Sequence[str] | None = None, limit: int = 100) -> list[Stamp]:
        """Give the letters, live and withdrawn, each once at its latest change, in the order of
        the change sequence from after ``after``: only those whose latest change is at or after
        ``since`` and at or before ``until`` (UTC, ``YYYY-MM-DDThh:mm:ss``) and, when
        ``collections`` is given, whose collection title is one of them; at most ``limit``."""
        raise self._cannot("list when its letters changed")

    def count_stamps(self, *, since: str | None = None, until: str | None = None,
                     collections: Sequence[str] | None = None) -> int:
        """Give the number of letters ``stamps`` gives with these bounds, from the start."""
        raise self._cannot("count when its letters changed")

    def stamp(self, id: str) -> Stamp:
        """Give the latest change of a letter, live or withdrawn; raise ``LetterNotFound`` when
        no letter ever had the id."""
        raise self._cannot("tell when a letter changed")

    def first_change(self) -> str | None:
        """Give the time of the store's first change (UTC, ISO 8601), None when nothing was written."""
        raise self._cannot("tell when it was first written")

    def collection_titles(self) -> list[str]:
        """Give the titles of the collections the live letters belong to, sorted."""
        raise self._cannot("list its collections")

    def _cannot(self, what: str) -> ArchiveError:
        return ArchiveError(f"this kind of archive ({type(self).__name__}) cannot {what} yet")

    # -- settings and the search index's place -------------------------------------------------

    @abstractmethod
    def setting(self, key: str) -> str | None:
        """Give a setting of the archive (the kind of search index it uses), None when unset."""

    @abstractmethod
    def set_setting(self, key: str, value: str) -> None:
        """Record a setting of the archive."""

    @abstractmethod
    def index_home(self) -> str | None:
        """Give the folder where a search index kept in files lives (beside the store), or None
        when the store is in memory and so should the index be."""

    @property
    def sqlite_connection(self) -> Any:
        """Give the SQLite connection, for an index kept inside the store (None: not SQLite)."""
        return None

    # -- housekeeping ---------------------------------------------------------------------------

    @abstractmethod
    def writes(self) -> int:
        """Give the number of rows this connection has written since it was opened (for tests
        that prove an operation wrote nothing)."""

    @abstractmethod
    def close(self) -> None:
        """Release the connection; later calls fail."""

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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ..model import Letter

Sort = Literal["date", "-date", "id"]
ChangeKind = Literal["new", "updated", "withdrawn", "restored", "edited"]
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
    new: bool = False  # a letter the store did not hold before


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


class Store(ABC):
    """Where the archive keeps its letters. Every method raises ``LetterbookError`` subclasses only."""

    url: str
    read_only: bool

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

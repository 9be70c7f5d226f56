"""The letters of an archive as enrichment reads them, in bounded memory: every letter's heading
(id, title, parties, date, places, collection, dateline) kept, its texts (salutation, body,
postscript) read from the store when a pass asks for them, a chunk at a time, and let go again.

    >>> shelf = LetterShelf(store.iter_letter_heads(), store.letter_texts)
    >>> result = enrich(shelf)       # a Sequence[Letter]: the passes read it as they read a list

A pass that walks the letters in order reads each chunk's texts once; the memory held is the
headings of all letters and the texts of the last ``keep`` chunks, however long the letters are.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, overload

from ..model import Agent, Collection, Letter, Link, Place, Source, When

__all__ = ["LetterShelf", "ShelvedLetter", "TextLoader", "Texts"]

#: A letter's texts: salutation, body paragraphs, postscript.
Texts = tuple[str | None, list[str], str | None]
#: Gives the texts of letters by id (ids the store no longer holds left out).
TextLoader = Callable[[Sequence[str]], dict[str, Texts]]

_NO_TEXTS: Texts = (None, [], None)
_NO_SOURCE = Source("")
_NONE: list[Any] = []


class ShelvedLetter:
    """A letter's heading, with its texts read from the shelf when asked for: what every pass of
    enrichment reads of a ``Letter`` (the attributes below), in a fraction of its memory."""

    __slots__ = ("source", "id", "title", "sender", "co_senders", "recipients", "date", "place", "destination",
                 "collection", "dateline", "language", "mentions_persons", "mentions_places", "links",
                 "_shelf", "_position")

    def __init__(self, letter: Letter, shelf: LetterShelf, position: int) -> None:
        self.source: Source = letter.source if letter.id is None else _NO_SOURCE  # an id is what is asked for
        self.id: str | None = letter.id
        self.title: str | None = letter.title
        self.sender: Agent | None = letter.sender
        self.co_senders: list[Agent] = letter.co_senders
        self.recipients: list[Agent] = letter.recipients
        self.date: When | None = letter.date
        self.place: Place | None = letter.place
        self.destination: Place | None = letter.destination
        self.collection: Collection | None = letter.collection
        self.dateline: str | None = letter.dateline
        self.language: str | None = letter.language
        # A heading's mentions and links are not read: one empty list stands for all.
        self.mentions_persons: list[Agent] = letter.mentions_persons or _NONE
        self.mentions_places: list[Place] = letter.mentions_places or _NONE  # type: ignore[assignment]
        self.links: list[Link] = letter.links or _NONE  # type: ignore[assignment]
        self._shelf = shelf
        self._position = position

    @property
    def salutation(self) -> str | None:
        return self._shelf.texts(self._position)[0]

    @property
    def body(self) -> list[str]:
        return self._shelf.texts(self._position)[1]

    @property
    def postscript(self) -> str | None:
        return self._shelf.texts(self._position)[2]

    def whole(self) -> Letter:
        """Give the letter as a ``Letter`` of its heading and texts (no notes, links, mentions or raw text)."""
        salutation, body, postscript = self._shelf.texts(self._position)
        return Letter(source=self.source, id=self.id, title=self.title, sender=self.sender,
                      co_senders=self.co_senders, recipients=self.recipients, date=self.date, place=self.place,
                      destination=self.destination, collection=self.collection, salutation=salutation, body=body,
                      dateline=self.dateline, postscript=postscript, language=self.language)

    def __repr__(self) -> str:
        return f"ShelvedLetter(id={self.id!r}, title={self.title!r})"


class LetterShelf(Sequence[Letter]):
    """The archive's letters in the order given, each a ``ShelvedLetter``; their texts come from
    ``load`` ``chunk`` letters at a time, the last ``keep`` chunks kept. ``reopen`` gives a loader
    of the same texts over a new connection, for a process forked to help read them."""

    def __init__(self, heads: Iterable[Letter], load: TextLoader, *, chunk: int = 1000, keep: int = 2,
                 reopen: Callable[[], TextLoader] | None = None) -> None:
        self._load = load
        self._reopen = reopen
        self._chunk = max(1, chunk)
        self._keep = max(1, keep)
        self._letters: list[ShelvedLetter] = [ShelvedLetter(head, self, n) for n, head in enumerate(heads)]
        self._texts: OrderedDict[int, list[Texts]] = OrderedDict()
        self._positions: dict[str, int] | None = None
        self.reads = 0  # chunks read from the store, for tests and measurements

    def __len__(self) -> int:
        return len(self._letters)

    if TYPE_CHECKING:
        @overload
        def __getitem__(self, index: int) -> Letter: ...

        @overload
        def __getitem__(self, index: slice) -> Sequence[Letter]: ...

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return self._letters[index]
        return self._letters[index]

    def __iter__(self) -> Iterator[Letter]:
        return iter(self._letters)  # type: ignore[arg-type]  # duck-typed: what the passes read of a Letter

    @property
    def forkable(self) -> bool:
        """Tell whether a forked process can read the texts too (``in_forked_process``)."""
        return self._reopen is not None

    def in_forked_process(self) -> None:
        """Read the texts over a connection of this process's own, in a process forked from the
        one that made the shelf (a connection must not cross a fork)."""
        if self._reopen is None:
            raise RuntimeError("this shelf's texts cannot be read from another process")
        self._load = self._reopen()

    def position(self, id: str) -> int | None:
        """Give the place of the letter with this id on the shelf, None when it is not on it."""
        if self._positions is None:
            self._positions = {letter.id: n for n, letter in enumerate(self._letters) if letter.id is not None}
        return self._positions.get(id)

    def shelved(self, position: int) -> ShelvedLetter:
        """Give the letter at ``position`` as the shelf keeps it."""
        return self._letters[position]

    def texts(self, position: int) -> Texts:
        """Give the texts of the letter at ``position``, reading its chunk when it is not kept."""
        number, offset = divmod(position, self._chunk)
        kept = self._texts.get(number)
        if kept is None:
            letters = self._letters[number * self._chunk:(number + 1) * self._chunk]
            found = self._load([letter.id for letter in letters if letter.id is not None])
            kept = [found.get(letter.id or "", _NO_TEXTS) for letter in letters]
            self._texts[number] = kept
            self.reads += 1
            while len(self._texts) > self._keep:
                self._texts.popitem(last=False)
        else:
            self._texts.move_to_end(number)
        return kept[offset]

    def forget_texts(self) -> None:
        """Let go of the texts kept."""
        self._texts.clear()

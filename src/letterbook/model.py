"""The letter and its parts: plain dataclasses, no I/O, with a lossless JSON round trip.

The JSON shape is the ``letterbook extract --jsonl`` contract (see ../shared/eval/README.md):
``source`` is the path string, ``part`` numbers the letters of one file, and every other part of
the letter sits under its own key.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal

Certainty = Literal["high", "medium", "low", "unknown"]
AgentKind = Literal["person", "organisation"]

__all__ = [
    "Agent",
    "Collection",
    "Letter",
    "Link",
    "Note",
    "Place",
    "Source",
    "When",
]


def _drop_empty(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value is not None}


@dataclass
class Agent:
    """A person or an organisation who sends, receives or is named in a letter."""

    name: str
    as_written: str | None = None
    role: str | None = None
    ref: str | None = None
    kind: AgentKind = "person"

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["ref"] = self.ref  # the scorer and CMIF users expect the key even when empty
        return {k: v for k, v in data.items() if v is not None or k == "ref"}

    @classmethod
    def from_json(cls, data: dict[str, Any] | str) -> Agent:
        if isinstance(data, str):
            return cls(name=data, as_written=data)
        return cls(**{f.name: data[f.name] for f in fields(cls) if f.name in data})


@dataclass
class Place:
    """A place a letter was written at or sent to: the name, as written, and an authority ref."""

    name: str
    as_written: str | None = None
    ref: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "as_written": self.as_written, "ref": self.ref}

    @classmethod
    def from_json(cls, data: dict[str, Any] | str) -> Place:
        if isinstance(data, str):
            return cls(name=data, as_written=data)
        return cls(**{f.name: data[f.name] for f in fields(cls) if f.name in data})


@dataclass
class When:
    """A date as written and as an interval.

    ``when`` is an ISO date exactly as precise as the source (``1945-12-23``, ``1856-07`` or
    ``1946``), never more. ``not_before``/``not_after`` bound the interval a partial, approximate
    or ranged date stands for. ``certainty`` follows TEI's ``@cert``.
    """

    when: str | None = None
    not_before: str | None = None
    not_after: str | None = None
    as_written: str | None = None
    certainty: Certainty = "high"
    calendar: str = "gregorian"

    @property
    def earliest(self) -> str | None:
        """The first day the date can stand for, as an ISO string, for sorting."""
        return self.not_before or self.when

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any] | str) -> When:
        if isinstance(data, str):
            return cls(when=data, as_written=data)
        return cls(**{f.name: data[f.name] for f in fields(cls) if f.name in data})


@dataclass
class Collection:
    """Where a letter stands in a printed or digital edition: title, volume and number."""

    title: str | None = None
    volume: str | None = None
    number: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Collection:
        return cls(**{f.name: data[f.name] for f in fields(cls) if f.name in data})


@dataclass
class Link:
    """A link from a letter: source-page navigation (``series``, ``notes``, ``archive``) or a
    relation to another letter (``reply-to``, ``refers-to``, ``prev-in-correspondence`` ...)."""

    rel: str
    target: str | None = None
    label: str | None = None
    evidence: str | None = None
    confidence: float | None = None

    def to_json(self) -> dict[str, Any]:
        return _drop_empty(asdict(self)) | {"rel": self.rel}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Link:
        return cls(**{f.name: data[f.name] for f in fields(cls) if f.name in data})


@dataclass
class Note:
    """A footnote or an editorial note; ``label`` is its mark in the text ("1", "*")."""

    text: str
    label: str | None = None
    kind: str = "footnote"

    def to_json(self) -> dict[str, Any]:
        return _drop_empty(asdict(self)) | {"text": self.text}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Note:
        return cls(**{f.name: data[f.name] for f in fields(cls) if f.name in data})


@dataclass
class Source:
    """Where a letter was read from: the file, which letter of it, its format and checksum,
    and the archival reference the document itself gives ("AA:A1838/238, 306/1/1, ii")."""

    path: str
    part: int = 0
    format: str | None = None
    sha256: str | None = None
    reference: str | None = None


@dataclass
class Letter:
    """One letter, read into its parts."""

    source: Source
    title: str | None = None
    sender: Agent | None = None
    co_senders: list[Agent] = field(default_factory=list)
    recipients: list[Agent] = field(default_factory=list)
    date: When | None = None
    place: Place | None = None
    destination: Place | None = None
    collection: Collection | None = None
    series: str | None = None
    classification: str | None = None
    salutation: str | None = None
    body: list[str] = field(default_factory=list)
    closing: str | None = None
    signature: str | None = None
    dateline: str | None = None
    postscript: str | None = None
    address: str | None = None
    notes: list[Note] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    mentions_persons: list[Agent] = field(default_factory=list)
    mentions_places: list[Place] = field(default_factory=list)
    language: str | None = None
    kind: str | None = None
    id: str | None = None
    raw_text: str | None = None

    def to_json(self, *, raw: bool = True) -> dict[str, Any]:
        """Give the letter as the ``extract --jsonl`` object; ``raw=False`` leaves out the raw text."""
        data: dict[str, Any] = {
            "id": self.id,
            "source": self.source.path,
            "part": self.source.part,
            "format": self.source.format,
            "sha256": self.source.sha256,
            "source_reference": self.source.reference,
            "title": self.title,
            "kind": self.kind,
            "sender": self.sender.to_json() if self.sender else None,
            "co_senders": [agent.to_json() for agent in self.co_senders],
            "recipients": [agent.to_json() for agent in self.recipients],
            "date": self.date.to_json() if self.date else None,
            "place": self.place.to_json() if self.place else None,
            "destination": self.destination.to_json() if self.destination else None,
            "collection": self.collection.to_json() if self.collection else None,
            "series": self.series,
            "classification": self.classification,
            "salutation": self.salutation,
            "body": list(self.body),
            "closing": self.closing,
            "signature": self.signature,
            "dateline": self.dateline,
            "postscript": self.postscript,
            "address": self.address,
            "notes": [note.to_json() for note in self.notes],
            "links": [link.to_json() for link in self.links],
            "mentions_persons": [agent.to_json() for agent in self.mentions_persons],
            "mentions_places": [place.to_json() for place in self.mentions_places],
            "language": self.language,
        }
        if raw:
            data["raw_text"] = self.raw_text
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Letter:
        """Read a letter back from its JSON object (``to_json``'s inverse)."""
        source = data.get("source")
        if isinstance(source, dict):  # tolerate a nested source object
            src = Source(**{f.name: source[f.name] for f in fields(Source) if f.name in source})
        else:
            src = Source(
                path=str(source or ""),
                part=int(data.get("part") or 0),
                format=data.get("format"),
                sha256=data.get("sha256"),
                reference=data.get("source_reference"),
            )

        def opt(key: str, maker: Any) -> Any:
            value = data.get(key)
            return maker(value) if value is not None else None

        return cls(
            source=src,
            id=data.get("id"),
            title=data.get("title"),
            kind=data.get("kind"),
            sender=opt("sender", Agent.from_json),
            co_senders=[Agent.from_json(a) for a in data.get("co_senders") or []],
            recipients=[Agent.from_json(r) for r in data.get("recipients") or []],
            date=opt("date", When.from_json),
            place=opt("place", Place.from_json),
            destination=opt("destination", Place.from_json),
            collection=opt("collection", Collection.from_json),
            series=data.get("series"),
            classification=data.get("classification"),
            salutation=data.get("salutation"),
            body=list(data.get("body") or []),
            closing=data.get("closing"),
            signature=data.get("signature"),
            dateline=data.get("dateline"),
            postscript=data.get("postscript"),
            address=data.get("address"),
            notes=[Note.from_json(n) for n in data.get("notes") or []],
            links=[Link.from_json(link) for link in data.get("links") or []],
            mentions_persons=[Agent.from_json(a) for a in data.get("mentions_persons") or []],
            mentions_places=[Place.from_json(p) for p in data.get("mentions_places") or []],
            language=data.get("language"),
            raw_text=data.get("raw_text"),
        )

"""A letter as rows of the SQLite schema, and back: the mapping that makes the store lossless.

Three things are normalised on the way, as they carry nothing: an empty authority ref or checksum
is kept as none, and a collection without title, volume or number as no collection.

``flatten`` turns a ``Letter`` into the values of its ``letters`` row and of its child rows
(agents, mentioned places, links, notes) with names in place of ids, and a digest of all of them;
``assemble`` builds the ``Letter`` again from rows read back.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from typing import Any, NamedTuple

from ..model import Agent, Collection, Letter, Link, Note, Place, Source, When

#: The columns of ``letters`` that ``flatten`` fills, in order (num, id, id_given, file,
#: withdrawn_at and digest are set by the store).
CORE_COLUMNS = (
    "source_path", "part", "source_format", "source_sha256", "source_reference", "title", "kind",
    "date_when", "date_not_before", "date_not_after", "date_as_written", "date_certainty",
    "date_calendar", "date_sort", "place_as_written", "destination_as_written",
    "collection_title", "collection_volume", "collection_number", "series", "classification",
    "salutation", "body", "body_json", "closing", "signature", "dateline", "postscript", "address",
    "language", "raw_text_zlib",
)

#: Roles of ``letter_agents`` and the Letter attribute each is read into.
AGENT_ROLES = (("sender", "sender"), ("co_sender", "co_senders"), ("recipient", "recipients"),
               ("mentioned", "mentions_persons"))

AgentRow = tuple[str, int, str, str, str, str | None, str | None]  # role, position, kind, name, ref, as_written, office
PlaceRow = tuple[int, str, str, str | None]  # position, name, ref, as_written
LinkRow = tuple[int, str, str | None, str | None, str | None, float | None]
NoteRow = tuple[int, str, str | None, str]


class Flat(NamedTuple):
    """A letter as row values: ``core`` follows ``CORE_COLUMNS``; places are (name, ref) pairs.

    A tuple, so that it travels cheaply from the worker process that read the letter.
    """

    core: tuple[Any, ...]
    place: tuple[str, str] | None
    destination: tuple[str, str] | None
    agents: list[AgentRow]
    places: list[PlaceRow]
    links: list[LinkRow]
    notes: list[NoteRow]
    digest: bytes


def _paragraphs_join(body: list[str]) -> tuple[str | None, str | None]:
    """Give the body as text with paragraphs separated by a blank line, and, when that text
    cannot be split back into the same paragraphs, the paragraphs as JSON as well."""
    if not body:
        return None, None
    text = "\n\n".join(body)
    if not any("\n" in paragraph for paragraph in body):  # the common case, decided without splitting
        return text, None
    return text, None if text.split("\n\n") == body else json.dumps(body, ensure_ascii=False)


def flatten(letter: Letter, *, source_path: str | None, source_sha256: bool = True) -> Flat:
    """Give a letter's row values.

    ``source_path`` is None when the letter's source is the file it is stored under, and
    ``source_sha256`` False when its checksum is that file's: both are then kept once, on the
    file, so that a change elsewhere in a file does not change its other letters.
    """
    date = letter.date
    place = letter.place
    destination = letter.destination
    collection = letter.collection or Collection()
    body, body_json = _paragraphs_join(letter.body)
    core = (
        # "" stands for a letter without a checksum, NULL for one whose checksum is its file's
        source_path, letter.source.part, letter.source.format,
        (letter.source.sha256 or "") if source_sha256 else None,
        letter.source.reference, letter.title, letter.kind,
        date.when if date else None, date.not_before if date else None, date.not_after if date else None,
        date.as_written if date else None, date.certainty if date else None,
        date.calendar if date else None, date.earliest if date else None,
        place.as_written if place else None, destination.as_written if destination else None,
        collection.title, collection.volume, collection.number, letter.series, letter.classification,
        letter.salutation, body, body_json, letter.closing, letter.signature, letter.dateline,
        letter.postscript, letter.address, letter.language, letter.raw_text,
    )
    agents: list[AgentRow] = []
    for role, attribute in AGENT_ROLES:
        value = getattr(letter, attribute)
        group = [value] if isinstance(value, Agent) else (value or [])
        for position, agent in enumerate(group):
            agents.append((role, position, agent.kind, agent.name, agent.ref or "", agent.as_written, agent.role))
    places = [(i, p.name, p.ref or "", p.as_written) for i, p in enumerate(letter.mentions_places)]
    links = [(i, k.rel, k.target, k.label, k.evidence, k.confidence) for i, k in enumerate(letter.links)]
    notes = [(i, n.text, n.label, n.kind) for i, n in enumerate(letter.notes)]
    place_key = (place.name, place.ref or "") if place else None
    destination_key = (destination.name, destination.ref or "") if destination else None
    # The long texts are joined, not repr()'d or JSON-encoded: both scan every character and cost
    # more than the rest of the ingest of a letter; the short child rows are repr()'d.
    text = "\x1f".join([v if isinstance(v, str) else "\x00" if v is None else str(v) for v in core])
    children = repr((place_key, destination_key, agents, places, links, notes))
    digest = hashlib.blake2b((text + "\x1e" + children).encode("utf-8", "surrogatepass"), digest_size=16).digest()
    if letter.raw_text is not None:  # compressed after the digest is made of the text itself
        core = (*core[:-1], zlib.compress(letter.raw_text.encode("utf-8", "surrogatepass"), 6))
    return Flat(core, place_key, destination_key, agents, places, links, notes, digest)


def unflatten(flat: Flat, *, id: str | None, file_path: str, file_sha256: str | None) -> Letter:
    """Give the letter a ``Flat`` stands for (``flatten``'s inverse)."""
    row: dict[str, Any] = dict(zip(CORE_COLUMNS, flat.core, strict=True))
    row["id"] = id
    row["place_name"], row["place_ref"] = flat.place or (None, None)
    row["destination_name"], row["destination_ref"] = flat.destination or (None, None)
    return assemble(row, file_path, file_sha256, list(flat.agents), list(flat.places), list(flat.links),
                    list(flat.notes))


def _ref(value: str) -> str | None:
    return value or None


def assemble(row: dict[str, Any], file_path: str, file_sha256: str | None, agents: list[tuple[Any, ...]],
             places: list[tuple[Any, ...]], links: list[tuple[Any, ...]],
             notes: list[tuple[Any, ...]]) -> Letter:
    """Give the letter stored in a ``letters`` row (as a dict by column) and its child rows.

    ``file_path`` and ``file_sha256`` stand in for a source path and checksum kept on the file.
    ``agents`` rows are (role, position, kind, name, ref, as_written, office); ``places`` rows
    (position, name, ref, as_written); ``links`` and ``notes`` rows as in ``flatten``. The place
    and destination come in the row as ``place_name``/``place_ref`` and ``destination_name``/
    ``destination_ref``.
    """
    date = None
    if row["date_certainty"] is not None:
        date = When(row["date_when"], row["date_not_before"], row["date_not_after"], row["date_as_written"],
                    row["date_certainty"], row["date_calendar"])
    collection = None
    if any(row[c] is not None for c in ("collection_title", "collection_volume", "collection_number")):
        collection = Collection(row["collection_title"], row["collection_volume"], row["collection_number"])
    if row["body_json"] is not None:
        body = json.loads(row["body_json"])
    else:
        body = row["body"].split("\n\n") if row["body"] is not None else []
    letter = Letter(
        source=Source(row["source_path"] if row["source_path"] is not None else file_path, row["part"],
                      row["source_format"],
                      file_sha256 if row["source_sha256"] is None else (row["source_sha256"] or None),
                      row["source_reference"]),
        id=row["id"], title=row["title"], kind=row["kind"], date=date,
        place=Place(row["place_name"], row["place_as_written"], _ref(row["place_ref"]))
        if row["place_name"] is not None else None,
        destination=Place(row["destination_name"], row["destination_as_written"], _ref(row["destination_ref"]))
        if row["destination_name"] is not None else None,
        collection=collection, series=row["series"], classification=row["classification"],
        salutation=row["salutation"], body=body, closing=row["closing"], signature=row["signature"],
        dateline=row["dateline"], postscript=row["postscript"], address=row["address"],
        language=row["language"],
        raw_text=zlib.decompress(row["raw_text_zlib"]).decode("utf-8", "surrogatepass")
        if row["raw_text_zlib"] is not None else None,
    )
    for role, _position, kind, name, ref, as_written, office in sorted(agents, key=lambda a: (a[0], a[1])):
        agent = Agent(name=name, as_written=as_written, role=office, ref=_ref(ref), kind=kind)
        if role == "sender":
            letter.sender = agent
        elif role == "co_sender":
            letter.co_senders.append(agent)
        elif role == "recipient":
            letter.recipients.append(agent)
        else:
            letter.mentions_persons.append(agent)
    letter.mentions_places = [Place(name, as_written, _ref(ref)) for _p, name, ref, as_written in sorted(places)]
    letter.links = [Link(rel, target, label, evidence, confidence)
                    for _p, rel, target, label, evidence, confidence in sorted(links, key=lambda r: r[0])]
    letter.notes = [Note(text, label, kind) for _p, text, label, kind in sorted(notes, key=lambda r: r[0])]
    return letter

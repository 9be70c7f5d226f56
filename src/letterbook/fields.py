"""The fields of a letter a person may correct: how a typed value is read, kept and shown.

Each field has three forms: the model's value (an ``Agent``, a ``When``, a string ...), its JSON
form (how the store keeps a correction and its history), and the text a person types and reads.
``letterbook edit ID FIELD VALUE`` and ``Archive.edit`` take the typed text; an empty text clears
the field.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .errors import LetterbookError
from .model import Agent, Letter, Place, When
from .parse.dates import parse_date


class UnknownField(LetterbookError):
    """A field name that is not one of the fields a person may set."""

    def __init__(self, name: str) -> None:
        super().__init__(f"there is no field {name!r} to edit; the fields are: {', '.join(EDITABLE)}")
        self.name = name


@dataclass(frozen=True)
class Field:
    """One editable field: its name, what it holds, and its three forms."""

    name: str
    help: str
    parse: Callable[[str], Any]
    to_json: Callable[[Any], Any]
    from_json: Callable[[Any], Any]
    show: Callable[[Any], str]

    def get(self, letter: Letter) -> Any:
        """Give the field's value in a letter."""
        return getattr(letter, self.name)

    def set(self, letter: Letter, value: Any) -> None:
        """Set the field's value in a letter."""
        setattr(letter, self.name, value)


def _text(value: str) -> str | None:
    return value.strip() or None


def _same(value: Any) -> Any:
    return value


def _show_text(value: Any) -> str:
    return "" if value is None else str(value)


def _agent(value: str) -> Agent | None:
    name = " ".join(value.split())
    return Agent(name=name, as_written=name) if name else None


def _agents(value: str) -> list[Agent]:
    return [agent for agent in (_agent(part) for part in value.split(";")) if agent]


def _agent_json(value: Agent | None) -> Any:
    return value.to_json() if value else None


def _agent_from_json(data: Any) -> Agent | None:
    return Agent.from_json(data) if data is not None else None


def _show_agent(value: Agent | None) -> str:
    return value.name if value else ""


def _place(value: str) -> Place | None:
    name = " ".join(value.split())
    return Place(name=name, as_written=name) if name else None


def _date(value: str) -> When | None:
    text = " ".join(value.split())
    if not text:
        return None
    # A date the grammar cannot read is still kept as the person wrote it ("Sunday evening").
    when = parse_date(text) or When(as_written=text, certainty="unknown")
    when.as_written = text
    return when


def _show_date(value: When | None) -> str:
    if value is None:
        return ""
    shown = value.when or " – ".join(x for x in (value.not_before, value.not_after) if x) or "undated"
    if value.as_written and value.as_written != shown:
        shown += f' ("{value.as_written}")'
    return shown


def _text_field(name: str, help: str) -> Field:
    return Field(name, help, _text, _same, _same, _show_text)


_FIELDS = [
    _text_field("title", "the letter's title or heading"),
    Field("sender", "who wrote it (one name)", _agent, _agent_json, _agent_from_json, _show_agent),
    Field("co_senders", "who else signed it (names separated by semicolons)", _agents,
          lambda agents: [a.to_json() for a in agents], lambda data: [Agent.from_json(a) for a in data or []],
          lambda agents: "; ".join(a.name for a in agents)),
    Field("recipients", "to whom (names separated by semicolons)", _agents,
          lambda agents: [a.to_json() for a in agents], lambda data: [Agent.from_json(a) for a in data or []],
          lambda agents: "; ".join(a.name for a in agents)),
    Field("date", 'when, as written ("23 December 1945", "1945-12-23", "c. 1810")', _date,
          lambda when: when.to_json() if when else None,
          lambda data: When.from_json(data) if data is not None else None, _show_date),
    Field("place", "where it was written", _place, lambda p: p.to_json() if p else None,
          lambda data: Place.from_json(data) if data is not None else None,
          lambda p: p.name if p else ""),
    Field("destination", "where it was sent", _place, lambda p: p.to_json() if p else None,
          lambda data: Place.from_json(data) if data is not None else None,
          lambda p: p.name if p else ""),
    _text_field("language", "the language, as a code (en, de, fr)"),
    _text_field("classification", "a security or filing classification (SECRET)"),
    _text_field("series", "the series it belongs to"),
    _text_field("kind", "what it is (letter, cablegram, memorandum)"),
    _text_field("salutation", "the opening words (My dear Mr President,)"),
    _text_field("closing", "the closing words (Yours sincerely,)"),
    _text_field("signature", "the signature"),
    _text_field("dateline", "the date line as written"),
    _text_field("postscript", "the postscript"),
    _text_field("address", "the address"),
]

#: The fields a person may set, by name, in the order ``letterbook edit --help`` lists them.
EDITABLE: dict[str, Field] = {f.name: f for f in _FIELDS}


def field_named(name: str) -> Field:
    """Give the editable field of that name; raise ``UnknownField`` listing the known ones."""
    try:
        return EDITABLE[name]
    except KeyError:
        raise UnknownField(name) from None

"""The evaluation floors in benchmarks/floors.toml are never lowered silently."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

FLOORS = Path(__file__).parents[1] / "benchmarks" / "floors.toml"

SEED_FIELDS = ("title", "sender", "recipients", "date", "collection", "series", "salutation",
               "signature", "paragraphs")

#: The floors issue #2 ("Read letters as they really come") set. A floor below one of these
#: needs a `lowered_because` in floors.toml.
ISSUE_FLOORS: dict[str, dict[str, float]] = {
    "seed": dict.fromkeys(SEED_FIELDS, 1.0),
    "dfat": {"sender": 0.98, "recipients": 0.98, "date": 0.99, "place": 0.97},
    "aprilfools": {"sender": 0.95, "recipients": 0.95, "date": 0.97, "place": 0.93},
}


def load() -> dict[str, dict[str, dict[str, object]]]:
    with FLOORS.open("rb") as handle:
        return tomllib.load(handle)


def entries() -> list[tuple[str, str, dict[str, object]]]:
    return [(name, field, entry) for name, fields in load().items() for field, entry in fields.items()]


@pytest.mark.parametrize(("gold_set", "field"),
                         [(s, f) for s, fields in ISSUE_FLOORS.items() for f in fields])
def test_every_issue_floor_is_pinned(gold_set: str, field: str) -> None:
    assert field in load().get(gold_set, {}), f"floors.toml has no [{gold_set}.{field}]"


@pytest.mark.parametrize(("gold_set", "field", "entry"), entries(),
                         ids=[f"{s}.{f}" for s, f, _ in entries()])
def test_floor_is_well_formed(gold_set: str, field: str, entry: dict[str, object]) -> None:
    assert set(entry) <= {"value", "reason", "lowered_because"}, f"unknown keys in [{gold_set}.{field}]"
    value = entry.get("value")
    assert isinstance(value, int | float) and 0.0 <= value <= 1.0, f"[{gold_set}.{field}] value {value!r}"
    assert isinstance(entry.get("reason"), str) and entry["reason"].strip(), \
        f"[{gold_set}.{field}] needs a reason"


@pytest.mark.parametrize(("gold_set", "field", "entry"), entries(),
                         ids=[f"{s}.{f}" for s, f, _ in entries()])
def test_floor_is_not_lowered_silently(gold_set: str, field: str, entry: dict[str, object]) -> None:
    issue_floor = ISSUE_FLOORS.get(gold_set, {}).get(field)
    if issue_floor is None:
        return
    value = entry["value"]
    assert isinstance(value, int | float)
    if value < issue_floor:
        because = entry.get("lowered_because")
        assert isinstance(because, str) and because.strip(), (
            f"[{gold_set}.{field}] = {value} is below issue #2's floor {issue_floor}; "
            "say why in `lowered_because`, or restore the floor"
        )

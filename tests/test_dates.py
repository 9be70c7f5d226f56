"""Date expressions -> When: precision as written, ranges and uncertainty kept."""

from __future__ import annotations

import pytest

from letterbook.parse.dates import find_date, from_bounds, parse_date, parse_iso


@pytest.mark.parametrize(
    ("text", "when"),
    [
        ("December 23, 1945", "1945-12-23"),
        ("23 December 1945", "1945-12-23"),
        ("15th May, 1929", "1929-05-15"),
        ("07. August 1866", "1866-08-07"),
        ("Dienstag, 7. August 1866", "1866-08-07"),
        ("le 3 mars 1896", "1896-03-03"),
        ("1er mars 1896", "1896-03-01"),
        ("1533 Januar 6", "1533-01-06"),
        ("March 28 1884", "1884-03-28"),
        ("22, November 1937", "1937-11-22"),
        ("Wien, 12. Jänner 1901", "1901-01-12"),
        ("1945-12-23", "1945-12-23"),
    ],
)
def test_full_dates(text: str, when: str) -> None:
    date = parse_date(text)
    assert date is not None
    assert date.when == when
    assert date.not_before is None and date.not_after is None
    assert date.certainty == "high"


@pytest.mark.parametrize(
    ("text", "when", "not_before", "not_after", "certainty"),
    [
        ("July 1856", "1856-07", "1856-07-01", "1856-07-31", "high"),
        ("1946", "1946", "1946-01-01", "1946-12-31", "high"),
        ("[July 1856]", "1856-07", "1856-07-01", "1856-07-31", "medium"),
        ("c. 1810", "1810", "1810-01-01", "1810-12-31", "low"),
        ("1810?", "1810", "1810-01-01", "1810-12-31", "low"),
        ("February 1900", "1900-02", "1900-02-01", "1900-02-28", "high"),
    ],
)
def test_partial_dates_are_intervals_never_a_made_up_day(
        text: str, when: str, not_before: str, not_after: str, certainty: str) -> None:
    date = parse_date(text)
    assert date is not None
    assert (date.when, date.not_before, date.not_after, date.certainty) == (when, not_before, not_after, certainty)
    assert date.as_written == text


@pytest.mark.parametrize(
    ("text", "not_before", "not_after"),
    [
        ("between 11 and 18 July 1810", "1810-07-11", "1810-07-18"),
        ("11-18 July 1810", "1810-07-11", "1810-07-18"),
        ("11 July - 18 August 1810", "1810-07-11", "1810-08-18"),
        ("July-August 1856", "1856-07-01", "1856-08-31"),
        ("after 10 February 1937", "1937-02-10", None),
        ("before 9 February 1937", None, "1937-02-09"),
        ("1810-1812", "1810-01-01", "1812-12-31"),
    ],
)
def test_ranges_keep_both_ends_and_no_single_day(text: str, not_before: str | None,
                                                 not_after: str | None) -> None:
    date = parse_date(text)
    assert date is not None
    assert date.when is None
    assert (date.not_before, date.not_after) == (not_before, not_after)


def test_undated_is_kept_as_written_with_unknown_certainty() -> None:
    date = parse_date("n.d.")
    assert date is not None
    assert (date.when, date.not_before, date.not_after, date.certainty) == (None, None, None, "unknown")


@pytest.mark.parametrize("text", ["", "no date here", "page 12", "1 2 3"])
def test_non_dates_give_nothing(text: str) -> None:
    assert parse_date(text) is None


def test_an_impossible_day_keeps_only_the_month_in_doubt() -> None:
    date = parse_date("31 June 1900")
    assert date is not None
    assert (date.when, date.certainty) == ("1900-06", "low")


def test_find_date_inside_a_cable_line() -> None:
    match = find_date("Cablegram 532 [1] LONDON, 24 July 1942, 10.12 p.m.")
    assert match is not None
    assert match.when.when == "1942-07-24"
    assert match.when.as_written == "24 July 1942"


def test_find_date_reads_a_bracketed_conjecture() -> None:
    match = find_date("Extract n.d. [after 10 February 1937]")
    assert match is not None
    assert match.when.not_before == "1937-02-10"
    assert match.when.certainty == "medium"


@pytest.mark.parametrize(
    ("value", "when", "not_before", "not_after", "certainty"),
    [
        ("1945-12-23", "1945-12-23", None, None, "high"),
        ("1856-07", "1856-07", "1856-07-01", "1856-07-31", "high"),
        ("1866-00-00", "1866", "1866-01-01", "1866-12-31", "high"),
        ("1810?", "1810", "1810-01-01", "1810-12-31", "low"),
        ("1810-07-11/1810-07-18", None, "1810-07-11", "1810-07-18", "high"),
    ],
)
def test_iso_and_edtf(value: str, when: str | None, not_before: str | None, not_after: str | None,
                      certainty: str) -> None:
    date = parse_iso(value)
    assert date is not None
    assert (date.when, date.not_before, date.not_after, date.certainty) == (when, not_before, not_after, certainty)


def test_bounds_as_an_edition_gives_them() -> None:
    date = from_bounds(not_before="1856-07", not_after="1856-08", as_written="Sommer 1856")
    assert date is not None
    assert (date.when, date.not_before, date.not_after) == (None, "1856-07-01", "1856-08-31")
    assert date.as_written == "Sommer 1856"

"""Date expressions -> When: ranges and uncertainty kept, never a made-up day.

English, German and French forms: "December 23, 1945", "23 December 1945", "15th May, 1929",
"07. August 1866", "Dienstag, 7. August 1866", "le 3 mars 1896", "1533 Januar 6"; partial dates
("July 1856", "1946"); conjectures ("[July 1856]", "c. 1810", "1810?"); ranges ("between 11 and
18 July 1810", "11-18 July 1810", "after 10 February 1937").
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from ..model import Certainty, When

MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    [
        "january jan janv januar jänner jaenner janvier ianuarii januarii",
        "february feb febr februar feber février fevrier februarii",
        "march mar märz maerz marz mars martii",
        "april apr avril aprilis aprilis",
        "may mai maii",
        "june jun juni juin junii iunii",
        "july jul juli juillet juil julii iulii",
        "august aug août aout augusti",
        "september sep sept septembre septembris 7bre 7ber",
        "october oct okt oktober octobre octobris 8bre 8ber",
        "november nov novembre novembris 9bre 9ber",
        "december dec dez dezember décembre decembre decembris xbre 10bre 10ber",
    ],
    start=1,
):
    for _name in _names.split():
        MONTHS[_name] = _number

_MONTH_ALT = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
#: A regular-expression alternation of every month name and abbreviation the grammar knows.
MONTH_NAMES = _MONTH_ALT
MONTH = rf"(?P<{{g}}>(?:{_MONTH_ALT}))\.?"
WEEKDAYS = (
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    "mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|"
    "montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonnabend|sonntag|"
    "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
)


def _m(group: str) -> str:
    return MONTH.format(g=group)


DAY = r"(?P<{g}>[0-3]?\d)(?:st|nd|rd|th|er|e|\.)?"


def _d(group: str) -> str:
    return DAY.format(g=group)


YEAR = r"(?P<{g}>1[0-9]\d\d|20\d\d)"


def _y(group: str) -> str:
    return YEAR.format(g=group)


_SEP = r"[\s,]*"
# The forms of one calendar day, most specific first; each names its groups d, m, y.
_DAY_FORMS = [
    rf"{_d('d')}\s*(?:of\s+|de\s+)?{_m('m')}{_SEP}{_y('y')}",          # 23 December 1945, 7. August 1866
    rf"{_d('d')},\s{_m('m')}\s{_y('y')}",                              # 22, November 1937
    rf"{_m('m')}\s+{_d('d')}(?:{_SEP}){_y('y')}",                      # December 23, 1945
    rf"{_y('y')}\s+{_m('m')}\s+{_d('d')}(?![\d.])",                    # 1533 Januar 6
    rf"{_y('y')}-(?P<mn>[01]\d)-{_d('d')}(?!\d)",                      # 1945-12-23
    rf"{_d('d')}\s?[./]\s?(?P<mn>[01]?\d)\s?[./]\s?{_y('y')}",          # 7.8.1866, 7/8/1866 (day first)
]
_MONTH_FORMS = [
    rf"{_m('m')}{_SEP}{_y('y')}",                                      # July 1856
    rf"{_y('y')}-(?P<mn>[01]\d)(?![-\d])",                             # 1856-07
]

_QUALIFIER = (
    r"(?P<q>c\.|ca\.?|circa|about|around|approx\.?|um|etwa|gegen|vers|env\.|environ"
    r"|after|before|not before|not after|nach dem|nach|vor dem|vor|après le|après|avant le|avant"
    r"|early|late|mid|anfang|ende|mitte|début|fin)?\s*"
)


def _compile(forms: list[str]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w])(?:" + "|".join(f"(?:{f})" for f in forms) + r")(?![\w])",
                      re.IGNORECASE)


def _numbered(forms: list[str]) -> list[re.Pattern[str]]:
    return [re.compile(rf"(?<![\w-]){f}(?![\w])", re.IGNORECASE) for f in forms]


_DAY_RES = _numbered(_DAY_FORMS)
_MONTH_RES = _numbered(_MONTH_FORMS)

# Ranges within one month or year: "between 11 and 18 July 1810", "11-18 July 1810",
# "11 July - 18 August 1810", "July-August 1856".
_RANGE_RES = [
    re.compile(
        rf"(?:between\s+|zwischen\s+(?:dem\s+)?|entre\s+le\s+)?{_d('d1')}\s*(?:and|und|et|-|–|—|to|bis)\s*"
        rf"(?:dem\s+|le\s+)?{_d('d2')}\s+{_m('m')}{_SEP}{_y('y')}(?![\w])",
        re.IGNORECASE,
    ),
    re.compile(
        rf"(?:between\s+|zwischen\s+(?:dem\s+)?)?{_d('d1')}\s+{_m('m1')}\s*(?:and|und|et|-|–|—|to|bis)\s*"
        rf"(?:dem\s+)?{_d('d2')}\s+{_m('m2')}{_SEP}{_y('y')}(?![\w])",
        re.IGNORECASE,
    ),
    re.compile(
        rf"(?:between\s+|zwischen\s+)?{_m('m1')}\s*(?:and|und|et|-|–|—|to|bis)\s*{_m('m2')}{_SEP}{_y('y')}(?![\w])",
        re.IGNORECASE,
    ),
]


# Every form the grammar reads holds a four-digit year: texts without one are passed over at once.
_DIGIT = re.compile(r"(?<!\d)(?:1\d|20)\d\d(?!\d)")


@dataclass
class DateMatch:
    """A date found inside a longer text, with where it stands."""

    when: When
    start: int
    end: int


def _valid(year: int, month: int, day: int | None = None) -> bool:
    if not 1 <= month <= 12 or not 1000 <= year <= 2099:
        return False
    return day is None or 1 <= day <= calendar.monthrange(year, month)[1]


def _month_of(match: re.Match[str], group: str = "m") -> int | None:
    groups = match.groupdict()
    if groups.get("mn"):
        return int(groups["mn"])
    name = groups.get(group)
    return MONTHS.get(name.lower().rstrip(".")) if name else None


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def day_interval(year: int, month: int | None = None) -> tuple[str, str]:
    """Give the first and last day of a year or a month as ISO strings."""
    if month is None:
        return f"{year:04d}-01-01", f"{year:04d}-12-31"
    return f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{_last_day(year, month):02d}"


def _qualify(when: When, qualifier: str | None, bracketed: bool, doubtful: bool) -> When:
    q = (qualifier or "").lower().strip()
    start = when.not_before or when.when
    end = when.not_after or when.when
    if start and len(start) < 10:
        start, end = _bounds_of(start)[0], _bounds_of(end or start)[1]
    if q in ("after", "not before", "nach dem", "nach", "après le", "après"):
        when = When(None, start, None, when.as_written, when.certainty)
    elif q in ("before", "not after", "vor dem", "vor", "avant le", "avant"):
        when = When(None, None, end, when.as_written, when.certainty)
    elif q in ("c.", "ca", "ca.", "circa", "about", "around", "approx", "approx.", "um", "etwa",
               "gegen", "vers", "env.", "environ"):
        when.certainty = "low"
    elif q and when.when and len(when.when) <= 7:
        when = _part_of(when, q)
    if doubtful:
        when.certainty = "low"
    elif bracketed and when.certainty == "high":
        when.certainty = "medium"
    return when


def _part_of(when: When, q: str) -> When:
    """Narrow "early/mid/late 1856" or "Anfang Juli 1856" to a third of the span, kept uncertain."""
    start, end = _bounds_of(when.when or "")
    from datetime import date

    a, b = date.fromisoformat(start), date.fromisoformat(end)
    third = (b - a) / 3
    if q in ("early", "anfang", "début"):
        a, b = a, a + third
    elif q in ("mid", "mitte"):
        a, b = a + third, b - third
    else:
        a = b - third
    return When(when.when, a.isoformat(), b.isoformat(), when.as_written, "medium")


def _bounds_of(iso: str) -> tuple[str, str]:
    parts = [int(p) for p in iso.split("-")]
    if len(parts) == 1:
        return day_interval(parts[0])
    if len(parts) == 2:
        return day_interval(parts[0], parts[1])
    return iso, iso


def _span_around(text: str, start: int, end: int) -> tuple[int, int, str | None, bool, bool]:
    """Widen a match over a qualifier before it, and over brackets or a question mark around it."""
    before = text[max(0, start - 16):start]
    qualifier = None
    qm = re.search(_QUALIFIER.replace("?\\s*", "\\s*$"), before, re.IGNORECASE)
    if qm and qm.group("q"):
        qualifier = qm.group("q")
        start -= len(before) - qm.start()
    bracketed = False
    while start > 0 and text[start - 1] in " [(" and "[" in text[max(0, start - 2):start]:
        start -= 1
        bracketed = bracketed or text[start] == "["
    after = text[end:end + 3]
    doubtful = after.startswith("?") or after.startswith(" ?") or after.startswith("]?")
    if after.startswith("]") or after.startswith("?]"):
        bracketed = True
    return start, end, qualifier, bracketed, doubtful


def find_dates(text: str) -> list[DateMatch]:
    """Give every date expression in ``text`` (days, months and ranges; no bare years), in order."""
    found: list[DateMatch] = []
    if not _DIGIT.search(text):
        return found
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    for pattern in _RANGE_RES:
        for match in pattern.finditer(text):
            when = _range_when(match)
            if when and free(match.start(), match.end()):
                _add(found, taken, text, match, when)
    for pattern in _DAY_RES:
        for match in pattern.finditer(text):
            if not free(match.start(), match.end()):
                continue
            year, month, day = int(match.group("y")), _month_of(match), int(match.group("d"))
            if month and _valid(year, month, day):
                iso = f"{year:04d}-{month:02d}-{day:02d}"
                _add(found, taken, text, match, When(iso, None, None, None, "high"))
    for pattern in _MONTH_RES:
        for match in pattern.finditer(text):
            if not free(match.start(), match.end()):
                continue
            year, month = int(match.group("y")), _month_of(match)
            if month and _valid(year, month):
                nb, na = day_interval(year, month)
                # "31 June 1900": a day the month does not have; the month stands, in doubt.
                bad_day = re.search(r"\d{1,2}(?:st|nd|rd|th|\.)?,?\s*$", text[: match.start()])
                _add(found, taken, text, match,
                     When(f"{year:04d}-{month:02d}", nb, na, None, "low" if bad_day else "high"))
    found.sort(key=lambda m: m.start)
    return found


def _range_when(match: re.Match[str]) -> When | None:
    groups = match.groupdict()
    year = int(groups["y"])
    if "m1" in groups and groups.get("m1"):
        m1, m2 = _month_of(match, "m1"), _month_of(match, "m2")
    else:
        m1 = m2 = _month_of(match, "m")
    if not m1 or not m2:
        return None
    d1 = int(groups["d1"]) if groups.get("d1") else None
    d2 = int(groups["d2"]) if groups.get("d2") else None
    if d1 is None:
        if not (_valid(year, m1) and _valid(year, m2)) or m2 < m1:
            return None
        return When(None, day_interval(year, m1)[0], day_interval(year, m2)[1], None, "high")
    if not (_valid(year, m1, d1) and _valid(year, m2, d2)):
        return None
    start, end = f"{year:04d}-{m1:02d}-{d1:02d}", f"{year:04d}-{m2:02d}-{d2:02d}"
    if end < start:
        return None
    return When(None, start, end, None, "high")


def _add(found: list[DateMatch], taken: list[tuple[int, int]], text: str, match: re.Match[str],
         when: When) -> None:
    start, end, qualifier, bracketed, doubtful = _span_around(text, match.start(), match.end())
    if bracketed and end < len(text) and text[end:end + 1] == "]":
        end += 1
    when = _qualify(when, qualifier, bracketed, doubtful)
    when.as_written = text[start:end].strip()
    found.append(DateMatch(when, start, end))
    taken.append((match.start(), match.end()))


def find_date(text: str) -> DateMatch | None:
    """Give the first date expression in ``text``, or None."""
    dates = find_dates(text)
    return dates[0] if dates else None


_YEAR_ONLY = re.compile(
    r"^\s*(?P<open>\[)?\s*" + _QUALIFIER + r"(?P<y>1[0-9]\d\d|20\d\d)\s*(?P<q2>\?)?\s*(?P<close>\])?\s*$",
    re.IGNORECASE,
)
_YEAR_RANGE = re.compile(
    r"^\s*\[?\s*(?:between\s+|zwischen\s+)?(?P<a>1[0-9]\d\d|20\d\d)\s*(?:-|–|—|and|und|to|bis|/)\s*"
    r"(?P<b>1[0-9]\d\d|20\d\d)\s*\]?\s*$",
    re.IGNORECASE,
)
_UNDATED = re.compile(r"^\s*\[?\s*(n\.\s?d\.?|s\.\s?d\.?|o\.\s?d\.?|undated|no date|ohne datum|sans date)"
                      r"(?:\s+letter)?\s*\]?\s*$", re.IGNORECASE)


def parse_date(text: str | None) -> When | None:
    """Give the date a whole string stands for, or None when it holds none.

    Unlike ``find_date`` this also reads bare years ("1946", "c. 1810", "1810?") and year ranges,
    which inside running text would be too often something else.
    """
    if not text or not text.strip():
        return None
    text = " ".join(text.split())
    if _UNDATED.match(text):
        return When(None, None, None, text, "unknown")
    iso = parse_iso(text)
    if iso:
        return iso
    match = find_date(text)
    if match:
        return match.when
    year = _YEAR_ONLY.match(text)
    if year:
        y = int(year.group("y"))
        nb, na = day_interval(y)
        when = When(f"{y:04d}", nb, na, None, "high")
        when = _qualify(when, year.group("q"), bool(year.group("open")), bool(year.group("q2")))
        when.as_written = text
        return when
    years = _YEAR_RANGE.match(text)
    if years and int(years.group("a")) <= int(years.group("b")):
        return When(None, f"{years.group('a')}-01-01", f"{years.group('b')}-12-31", text,
                    "medium" if "[" in text else "high")
    return None


_ISO = re.compile(r"^\s*(?P<open>\[)?(?P<y>\d{4})(?:-(?P<m>\d\d)(?:-(?P<d>\d\d))?)?"
                  r"(?:T[\d:.]+Z?)?(?P<q>[?~%])?(?P<close>\])?\s*$")


def parse_iso(value: str | None, *, as_written: str | None = None,
              certainty: Certainty = "high") -> When | None:
    """Give the When for an ISO 8601 or EDTF date ("1945-12-23", "1856-07", "1810?",
    "1810-07-11/1810-07-18", "[..1810]"); None when ``value`` is not one."""
    if not value:
        return None
    value = value.strip()
    if "/" in value:
        left, _, right = value.partition("/")
        a = parse_iso(left) if left and left != ".." else None
        b = parse_iso(right) if right and right != ".." else None
        if a is None and b is None:
            return None
        cert: Certainty = "low" if (a and a.certainty == "low") or (b and b.certainty == "low") else certainty
        return When(None, a.earliest if a else None, (b.not_after or b.when) if b else None,
                    as_written or value, cert)
    match = _ISO.match(value)
    if not match:
        return None
    year = int(match.group("y"))
    month = int(match.group("m")) if match.group("m") else None
    day = int(match.group("d")) if match.group("d") else None
    if month == 0:  # "1866-00-00": the register's way of saying the month is unknown
        month, day = None, None
    if day == 0:
        day = None
    if month is not None and not _valid(year, month, day):
        return None
    if day is not None and month is not None:
        when = When(f"{year:04d}-{month:02d}-{day:02d}", None, None, as_written or value, certainty)
    else:
        nb, na = day_interval(year, month)
        iso = f"{year:04d}" if month is None else f"{year:04d}-{month:02d}"
        when = When(iso, nb, na, as_written or value, certainty)
    q = match.group("q")
    if q in ("?", "%"):
        when.certainty = "low"
    elif q == "~":
        when.certainty = "low"
    elif match.group("open") and certainty == "high":
        when.certainty = "medium"
    return when


def from_bounds(*, when: str | None = None, not_before: str | None = None,
                not_after: str | None = None, as_written: str | None = None,
                certainty: Certainty | None = None) -> When | None:
    """Give a When from the attributes an edition gives (TEI ``@when``/``@notBefore``/``@notAfter``,
    ``@from``/``@to``, CSV columns); None when none is set. Partial values keep their precision."""
    base = parse_iso(when) if when else None
    nb = parse_iso(not_before) if not_before else None
    na = parse_iso(not_after) if not_after else None
    if base is None and nb is None and na is None:
        written = parse_date(as_written) if as_written else None
        if written and certainty:
            written.certainty = certainty
        return written
    result = base or When(None, None, None, None, "high")
    if nb:
        result.not_before = nb.earliest
    if na:
        result.not_after = na.not_after or na.when
    result.as_written = as_written or (when if base else None)
    if certainty:
        result.certainty = certainty
    return result

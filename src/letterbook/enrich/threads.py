"""Letters in sequence and in conversation: for each letter the previous and next letter of the
same correspondence (the same two parties, by date) and of its collection (by number), and the
letters it answers or refers to ("your telegram 225", "my 532 of 24 July", "Ihr Schreiben vom 5.
d. M.", "the letter which I recently received from you concerning ...").

Nothing here reads the links a source already carries (an edition's ``correspContext``): the
order is computed from the letters' parties, dates and numbers alone. A letter without a date
has no place in a correspondence's order and gets no previous or next link there; it keeps its
collection links and its reply links.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from ..model import Letter, Link
from ..parse.dates import MONTHS
from .ids import letter_key, natural_key
from .people import PersonIndex

__all__ = ["LetterReferences", "Reference", "cable_number", "find_references", "letter_references", "thread_links"]

THREAD_RELS = ("reply-to", "replied-by", "refers-to", "prev-in-correspondence", "next-in-correspondence",
               "prev-in-collection", "next-in-collection")

_MONTH = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
_DAY_MONTH = (rf"(?:the\s+)?(?P<d>\d{{1,2}})(?:st|nd|rd|th|\.)?\s*(?:of\s+)?(?P<m>{_MONTH})\.?(?:,?\s*(?P<y>1\d{{3}}))?"
              rf"|(?P<m2>{_MONTH})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s*(?P<y2>1\d{{3}}))?"
              r"|(?P<d3>\d{1,2})(?:st|nd|rd|th|\.)?\s*(?P<rel>instant|inst\.?|ultimo|ult\.?|d\.\s*M\.?|dieses|"
              r"v\.\s*M\.?|vorigen\s+Monats|courant|ct\.?)")
_DAY_MONTH_RE = re.compile(_DAY_MONTH, re.IGNORECASE)
_DM = re.sub(r"\(\?P<\w+>", "(?:", _DAY_MONTH)  # the same, without named groups, to use several times
_DOCS_EN = (r"(?:tele(?:gram|printer\s+message)|cablegram|cable|message|letter|despatch|dispatch|memorandum|note|"
            r"minute|wire|savingram|communication)s?")
_QUAL = (r"(?:(?:personal|secret|most\s+secret|top\s+secret|immediately\s+preceding|following|preceding|last|"
         r"circular|saving|private|confidential|long|kind|recent|official|further)\s+)*")
# A cable's number: "225", "D.227", "M. 40", "UN.796", "P.M.S. 14", "S.W.27"; its letters are
# capitals whatever the case of the words around ("of 12th" is not "OF12").
# A bracketed number after the words is an edition's footnote mark ("your telegram [1]"), not one.
_NUMBER = (r"(?P<num>(?-i:(?:[A-Z]{1,4}\.?\s?){0,3})\d{1,5}(?-i:[A-Z])?)(?![\d/\]])"
           rf"(?!(?:st|nd|rd|th|\.)?\s*(?:of\s+)?(?:{_MONTH})\b)")  # "your telegram 25th May" is a date
_DATED = rf"(?:\s*,?\s+(?:(?:of|dated|du|vom|v\.)\s+)?(?P<date>{_DM}))?"
_REFERENCE = re.compile(
    rf"\b(?P<whose>your|my|our|votre|vos|ma|mon|notre|nos)\s+{_QUAL}(?:{_DOCS_EN}|lettre|dépêche|télégramme)"
    rf"(?:\s+(?:No\.?|Nos?\.?|number|n°)?\s*{_NUMBER})?{_DATED}"
    rf"|\b(?P<whose2>your|my|our)\s+(?:No\.?\s*)?(?P<num2>(?-i:(?:[A-Z]{{1,4}}\.?\s?){{0,3}})\d{{1,5}}(?-i:[A-Z])?)\b"
    rf"(?:\s+(?:of|dated)\s+(?P<date2>{_DM}))?"
    rf"|\b(?P<whose3>Ihr|Ihre|Ihren|Ihrem|Ihres|Ihrer|Dein|Deine|Deinen|Deinem|Deines|Deiner|Euer|Eure|Euren|"
    rf"mein|meine|meinen|meinem|meines|unser|unsere|unseren)\s+(?:[a-zäöü]+(?:e[nmrs]?)\s+)?"
    rf"(?:Brief|Briefe|Briefes|Schreiben|Schreibens|Zuschrift|Telegramm|Depesche|Geehrtes|Werthes|Wertes|"
    rf"Verehrliches|Schätzbares|Letztes|Billet|Zeilen|Mittheilung|Mitteilung)"
    rf"(?:\s+(?:vom|v\.|von)\s+(?P<date3>{_DM}|gestern|gestrigen|heute|heutigen))?"
    r"|(?P<recent>the\s+(?:letter|message)\s+(?:which|that)\s+I\s+(?:have\s+)?(?:recently\s+|just\s+)?"
    r"received\s+from\s+you)",
    re.IGNORECASE)
# Where a reference can start: scanning for these first and trying the full pattern only there is
# what makes the pass fast (the full pattern tried at every position is slow).
# German "ihr" and "dein" address the reader only written with a capital (a letter's "Ihr", "Dein").
# The lookahead of first letters lets the engine skip most positions without trying each word.
_ANCHOR = re.compile(r"(?=[YyMmOoVvNnIDdEUut])"
                     r"\b(?:[Yy]our|[Mm]y|[Oo]ur|[Vv]otre|[Vv]os|[Mm]a|[Mm]on|[Nn]otre|[Nn]os|Ihr|Ihre[nmrs]?|Dein|"
                     r"Deine[nmrs]?|dein|deine[nmrs]?|Euer|Eure[nm]?|[Mm]ein|[Mm]eine[nmrs]?|[Uu]nser|[Uu]nsere[nm]?|"
                     r"the\s+(?:letter|message))\b")
_REPLY_CUES = re.compile(r"\b(?:reply|replying|answer|acknowledg|thank|receiv|Beantwortung|Antwort|erhalten|"
                         r"empfangen|danke|réponse|reçu)", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?;])\s+(?=[A-Z0-9\[(\"'„])")
_CABLE = re.compile(rf"^\W*(?:[\w-]+\s+){{0,3}}?{_DOCS_EN}\s+(?:No\.?\s*)?\[?"
                    rf"(?P<num>(?-i:(?:[A-Z]{{1,4}}\.?\s?){{0,3}})\d{{1,5}}(?-i:[A-Z])?)(?![\w/])", re.IGNORECASE)


@dataclass(frozen=True)
class Reference:
    """A letter's words about another letter: whose it is ("your": the addressee's; "my": the
    writer's own), its number and date where said, whether the words answer it, and the sentence."""

    whose: str  # "theirs" or "own"
    number: str | None
    day: date | None
    reply: bool
    evidence: str
    start: int


def _norm_number(text: str | None) -> str | None:
    if not text:
        return None
    return re.sub(r"[\s.\[\]]", "", text).upper() or None


def cable_number(letter: Letter) -> str | None:
    """Give the number a letter carries as a cable, dispatch or letter of a numbered series: the
    "296" of "Cablegram 296 LONDON, 1 May 1940", "D27" of "Circular cablegram D27"."""
    for text in (letter.dateline, letter.body[0] if letter.body else None):
        if text:
            match = _CABLE.match(text)
            if match:
                return _norm_number(match.group("num"))
    return None


def _iso_date(value: str | None) -> date | None:
    if not value or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _letter_day(letter: Letter) -> date | None:
    when = letter.date
    if when is None:
        return None
    return _iso_date(when.when) or _iso_date(when.not_before)


def _reference_day(match: re.Match[str], group: str, written: date | None) -> date | None:
    """Give the day a reference names, its year taken from the letter: the latest such day not
    after the letter ("your telegram of 22nd April" in a letter of 2 May 1940 -> 1940-04-22)."""
    text = match.group(group)
    if not text or written is None:
        return None
    low = text.lower()
    if low.startswith("gestern") or low.startswith("gestrig"):
        return written - timedelta(days=1)
    if low.startswith("heut"):
        return written
    inner = _DAY_MONTH_RE.match(text)
    if inner is None:
        return None
    day_text = inner.group("d") or inner.group("d2") or inner.group("d3")
    if not day_text:
        return None
    day = int(day_text)
    rel = (inner.group("rel") or "").lower()
    if rel:
        month, year = written.month, written.year
        if rel.startswith(("ult", "v")):
            month, year = (12, year - 1) if month == 1 else (month - 1, year)
        return _safe_date(year, month, day)
    month_name = (inner.group("m") or inner.group("m2") or "").lower().rstrip(".")
    month = MONTHS.get(month_name)
    if month is None:
        return None
    year_text = inner.group("y") or inner.group("y2")
    if year_text:
        return _safe_date(int(year_text), month, day)
    found = _safe_date(written.year, month, day)
    if found is not None and found > written:
        found = _safe_date(written.year - 1, month, day)
    return found


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _sentence(text: str, start: int, end: int) -> str:
    begin = 0
    for match in _SENTENCE.finditer(text, 0, start):
        begin = match.end()
    after = _SENTENCE.search(text, end)
    stop = after.start() if after else len(text)
    sentence = text[begin:stop].strip()
    if len(sentence) > 320:
        sentence = text[max(begin, start - 150):min(stop, end + 150)].strip()
    return sentence


def find_references(letter: Letter) -> list[Reference]:
    """Give the references a letter's text makes to other letters, in order."""
    written = _letter_day(letter)
    found: list[Reference] = []
    offset = 0
    for text in letter.body + ([letter.postscript] if letter.postscript else []):
        for anchor in _ANCHOR.finditer(text):
            match = _REFERENCE.match(text, anchor.start())
            if match is None:
                continue
            whose_word = (match.group("whose") or match.group("whose2") or match.group("whose3") or "").lower()
            recent = match.group("recent")
            own = whose_word in ("my", "our", "ma", "mon", "notre", "nos") or whose_word.startswith(("mein", "unser"))
            number = _norm_number(match.group("num") or match.group("num2"))
            if match.group("whose2") and not re.search(r"\d", match.group("num2") or ""):
                continue
            day = None
            for group in ("date", "date2", "date3"):
                day = day or _reference_day(match, group, written)
            if not (recent or number or day):
                continue  # "your telegram" alone: which one, the words do not say
            sentence = _sentence(text, match.start(), match.end())
            reply = bool(recent) or (not own and bool(_REPLY_CUES.search(sentence)))
            found.append(Reference("own" if own else "theirs", number, day, reply, sentence, offset + match.start()))
        offset += len(text) + 2
    return found


#: What threading reads of a letter's texts: the number it carries as a cable, and its references
#: to other letters.
LetterReferences = tuple[str | None, list[Reference]]


def letter_references(letter: Letter) -> LetterReferences:
    """Give what threading reads of a letter's texts: its cable number and, when it is dated, its
    references to other letters (an undated letter cannot be placed after the letter it names)."""
    return cable_number(letter), find_references(letter) if _letter_day(letter) is not None else []


@dataclass
class _Facts:
    key: str
    senders: set[str]
    recipients: set[str]
    day: date | None
    number: str | None
    organisations: set[str]
    references: list[Reference]


def thread_links(letters: Sequence[Letter], people: PersonIndex, *,
                 read: Mapping[str, LetterReferences] | None = None) -> dict[str, list[Link]]:
    """Give, by letter key, the links each letter gains: previous and next in its correspondences
    and in its collection, and what it answers, is answered by, and refers to.

    The letters' texts are read once, in order (for their numbers and references to other
    letters: ``letter_references``), unless ``read`` gives what they say already (by letter key,
    found in another process); the rest of the pass reads their headings only."""
    facts = []
    for letter in letters:
        senders: set[str] = set()
        recipients: set[str] = set()
        organisations: set[str] = set()
        for position, ref in people.party_refs(letter):
            (recipients if position == "recipient" else senders).add(ref.id)
            if ref.kind == "organisation":
                organisations.add(ref.id)
        key = letter_key(letter)
        given = read.get(key) if read is not None else None
        number, references = given if given is not None else letter_references(letter)
        facts.append(_Facts(key, senders, recipients, _letter_day(letter), number, organisations, references))
    links: dict[str, list[Link]] = defaultdict(list)
    replies = _reply_links(letters, facts, links)
    _correspondence_links(letters, facts, people, replies, links)
    _collection_links(letters, links)
    return dict(links)


def _order_key(letter: Letter, fact: _Facts) -> tuple[object, ...]:
    when = letter.date
    last = (when.not_after or when.when or "") if when else ""
    number = letter.collection.number if letter.collection and letter.collection.number else ""
    return (fact.day or date.min, last, natural_key(number), fact.key)


def _correspondence_links(letters: Sequence[Letter], facts: list[_Facts], people: PersonIndex,
                          replies: dict[str, set[str]], links: dict[str, list[Link]]) -> None:
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, fact in enumerate(facts):
        if fact.day is None:
            continue  # an undated letter cannot be placed in a correspondence's order
        parties = sorted(fact.senders | fact.recipients)
        if len(parties) > 6:
            continue  # a circular is not a correspondence between each two of its addressees
        for i, a in enumerate(parties):
            for b in parties[i + 1:]:
                groups[(a, b)].append(index)
    for (a, b), members in groups.items():
        if len(members) < 2:
            continue
        members.sort(key=lambda i: _order_key(letters[i], facts[i]))
        _replies_after(members, facts, replies)
        label = " – ".join(people.persons[p].name if p in people.persons else p for p in (a, b))
        for before, after in zip(members, members[1:], strict=False):
            # As sure as the two dates: a conjectured or partial date may stand in the wrong place.
            sure = min(_date_confidence(letters[before]), _date_confidence(letters[after]))
            links[facts[before].key].append(Link("next-in-correspondence", facts[after].key, label, None, sure))
            links[facts[after].key].append(Link("prev-in-correspondence", facts[before].key, label, None, sure))


def _date_confidence(letter: Letter) -> float:
    when = letter.date
    if when is None:
        return 0.5
    precise = bool(when.when and len(when.when) == 10)
    return {"high": 1.0, "medium": 0.8, "low": 0.6}.get(when.certainty, 0.5) * (1.0 if precise else 0.8)


def _replies_after(members: list[int], facts: list[_Facts], replies: dict[str, set[str]]) -> None:
    """Put a letter written the same day as the one it answers after it (the date cannot tell)."""
    for i in range(len(members) - 1):
        a, b = members[i], members[i + 1]
        if facts[a].day == facts[b].day and facts[b].key in replies.get(facts[a].key, set()):
            members[i], members[i + 1] = b, a


def _collection_links(letters: Sequence[Letter], links: dict[str, list[Link]]) -> None:
    groups: dict[tuple[str, str], list[Letter]] = defaultdict(list)
    for letter in letters:
        collection = letter.collection
        if collection is not None and collection.number:
            groups[(collection.title or "", collection.volume or "")].append(letter)
    for (title, volume), members in groups.items():
        members.sort(key=lambda lt: natural_key(lt.collection.number or "") if lt.collection else ())
        label = ", ".join(p for p in (title, f"vol. {volume}" if volume else "") if p) or None
        for before, after in zip(members, members[1:], strict=False):
            links[letter_key(before)].append(Link("next-in-collection", letter_key(after), label, None, 1.0))
            links[letter_key(after)].append(Link("prev-in-collection", letter_key(before), label, None, 1.0))


def _reply_links(letters: Sequence[Letter], facts: list[_Facts], links: dict[str, list[Link]]) -> dict[str, set[str]]:
    """Give, for each letter, the letters it answers, after adding the reply and reference
    links; each link carries the sentence that is its evidence and a confidence."""
    by_number: dict[str, list[int]] = defaultdict(list)
    by_day: dict[date, list[int]] = defaultdict(list)
    by_pair: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, fact in enumerate(facts):
        if fact.number:
            by_number[fact.number].append(index)
        if fact.day:
            by_day[fact.day].append(index)
            for s in fact.senders:
                for r in fact.recipients:
                    by_pair[(s, r)].append(index)
    for members in by_pair.values():  # by date, so a window of days is found by bisection
        members.sort(key=lambda i: (facts[i].day or date.min, i))
    answers: dict[str, set[str]] = defaultdict(set)
    for index, letter in enumerate(letters):
        fact = facts[index]
        if fact.day is None:
            continue
        seen: set[str] = set()
        first_reply = True
        for ref in fact.references:
            found = _target(ref, index, facts, by_number, by_day, by_pair)
            if found is None:
                continue
            target, confidence = found
            tkey = facts[target].key
            if tkey in seen or tkey == fact.key:
                continue
            seen.add(tkey)
            if ref.whose == "theirs" and (ref.reply or first_reply):
                first_reply = False
                links[fact.key].append(Link("reply-to", tkey, letters[target].title, ref.evidence, confidence))
                links[tkey].append(Link("replied-by", fact.key, letter.title, ref.evidence, confidence))
                answers[fact.key].add(tkey)
            else:
                links[fact.key].append(Link("refers-to", tkey, letters[target].title, ref.evidence, confidence))
    return answers


def _target(ref: Reference, index: int, facts: list[_Facts], by_number: dict[str, list[int]],
            by_day: dict[date, list[int]], by_pair: dict[tuple[str, str], list[int]]) -> tuple[int, float] | None:
    """Give the letter a reference means and how sure: its number and date where given, written
    between the same parties the other way round ("your") or the same way ("my"), before this one."""
    fact = facts[index]
    day = fact.day
    if day is None:
        return None
    theirs = ref.whose == "theirs"
    writers, readers = (fact.recipients, fact.senders) if theirs else (fact.senders, fact.recipients)

    def parties(i: int) -> float:
        """Count the sides on which the letter's parties are the reference's: its writer, its
        addressee. A side where one of the two is an organisation (a department cabling for its
        minister, a government for its prime minister) counts half."""
        other = facts[i]
        count = 0.0
        for mine, theirs in ((writers, other.senders), (readers, other.recipients)):
            if mine & theirs:
                count += 1
            elif (mine | theirs) & (fact.organisations | other.organisations):
                count += 0.5
        return count

    def earlier(i: int) -> bool:
        other = facts[i].day
        return other is not None and other <= day and (day - other).days <= 400 and i != index

    if ref.number:
        found = [i for i in by_number.get(ref.number, ()) if earlier(i)]
        if ref.day:
            exact = [i for i in found if abs(((facts[i].day or date.min) - ref.day).days) <= 1]
            exact = [i for i in exact if parties(i) >= 1]
            if exact:
                best = max(exact, key=lambda i: (parties(i), facts[i].day or date.min))
                return best, 0.95 if parties(best) == 2 else 0.85
        found = [i for i in found if (day - (facts[i].day or date.min)).days <= 120]
        if found:
            best = max(found, key=lambda i: (parties(i), facts[i].day or date.min))
            if parties(best) == 2:
                return best, 0.9
            if parties(best) >= 1:
                return best, 0.8
        return None  # a number between other parties is another series' number
    if ref.day:
        # A date alone says less than a number: both sides must be the reference's (an
        # organisation may stand for its head on one of them).
        found = [i for i in by_day.get(ref.day, ()) if earlier(i) and parties(i) >= 1.5]
        if found:
            best = max(found, key=lambda i: parties(i))
            return best, 0.9 if parties(best) == 2 else 0.75
        return None
    # "your letter", "the letter which I recently received from you": the last letter the other
    # party wrote to this one before, within two months.
    recent: list[int] = []
    first, last = (day - timedelta(days=60), -1), (day, len(facts))
    for w in writers:
        for r in readers:
            members = by_pair.get((w, r), [])
            start = bisect_left(members, first, key=lambda i: (facts[i].day or date.min, i))
            end = bisect_right(members, last, key=lambda i: (facts[i].day or date.min, i))
            recent.extend(i for i in members[start:end] if earlier(i))
    if not recent:
        return None
    best = max(recent, key=lambda i: (facts[i].day or date.min, i))
    return best, 0.6

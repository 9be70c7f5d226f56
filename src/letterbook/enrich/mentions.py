"""Who and where a letter speaks of: persons, organisations and places named in its body, each
linked to its record in the people and place indexes.

The matcher looks only at capitalised words (one regular expression pass over the text) and
checks each against a table of the archive's name forms keyed by their first word: full names
("Harry S. Truman", "Meyer von Knonau"), surnames ("Byrnes"), a title before a name not yet known
("Mr Chandor", "Herrn Ginsberg"), and places (the registers' and the gazetteer's names, with older
spellings and other languages). Words are matched whole, never inside another word; a genitive
("Escher's", "Eschers") or a German demonym ("Pariser") is read back to its name.

A surname that several persons share is settled after the whole archive has been read: by a
fuller form of the name in the same letter, then by who is otherwise named across the archive,
whom the letter's writer and addressee correspond with, and whether the person was alive then.
What stays doubtful is left out rather than guessed.

The letter's addressee counts as mentioned when the body speaks to them in the second person
("your message", "Ihr Schreiben"): the seed letter's Truman is mentioned so ("I was glad to
receive your message", "the steps taken by you and Mr Byrnes"). Such mentions carry
``how="addressed"``; the writer's own signature is never a mention.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from ..model import Agent, Letter, Place
from .forms import PARTICLES, TITLES, fold, is_role_word, name_key, skeleton
from .historical import COMMON_WORDS
from .ids import letter_key
from .people import PersonIndex
from .places import _AREA_KINDS, PlaceIndex

__all__ = ["Mention", "MentionFinder", "letter_text", "to_agents"]

How = Literal["name", "surname", "title", "variant", "addressed", "place", "demonym"]

# A capitalised word, with the apostrophe of "O'Connor" or "Escher's" and the hyphen of
# "Feer-Herzog" or "Saint-Gothard" inside it.
_CAP = re.compile(r"(?<![\w'’])[A-ZÀ-ÖØ-ÞĀ-Ž][^\W_]*(?:['’][^\W\d_]+|-[A-ZÀ-ÖØ-ÞĀ-Ž][^\W_]*)*")
_NORM = re.compile(r"[\s.]+")
_DETERMINERS = frozenset("""der die das den dem des ein eine einen einem einer eines im am vom zum zur beim ins the a an
le la les un une du au aux il lo""".split())
_LOCATIVES = frozenset("in nach aus von bei bis über ueber gen at to from via near à a en vers da per".split())
_NUMBER_WORDS = frozenset("""million millionen tausend hundert zwei drei vier fünf zehn zwanzig fünfzig einige viele
mehrere hundred thousand millions mille""".split())
_GAP = re.compile(r"^(?:\.?\s+|\.|\s*-\s*|\s+(?:(?:von|vom|van|de|der|den|du|des|di|da|del|della|le|la|zu|zur|ten|ter|"
                  r"y|of|and|for|the|on|und|für|et)\s+)+)$")
_SECOND_PERSON = re.compile(
    r"\b(?:you|your|yours|yourself|du|dich|dir|dein|deine|deinen|deinem|deiner|deines|vous|votre|vos|tu|toi|ton|"
    r"ta|tes)\b|(?<=\w )(?:Sie|Ihnen|Ihr|Ihre|Ihren|Ihrem|Ihrer|Ihres|Du|Dich|Dir|Dein|Deine|Deinen|Deinem|Deiner)\b")
_SUFFIXES = ("'s", "’s", "'", "’", "'schen", "’schen", "'sche", "'schen", "s", "ens", "n")
# Words that open sentences and that some gazetteer lists as a place's other name ("The", "I").
_STOP = frozenset("""i a an the we he she it they you my our his her its their this that these those in on at to of
and or but if as so no not nor all any may can will one two new old here there then when what who which how why
der die das den dem des ein eine einer einen und oder aber ich wir er sie es ihr du im am an auf aus bei mit nach
von zu zur zum so da wie was wer wo le la les un une et ou je nous il elle ils en au aux de du ce cette""".split())
# Titles that put a name after them even when the name is not yet known ("Mr Chandor").
# "H." and "HH." are German letters' Herr and Herren ("H. Koller"), not initials.
_NAME_TITLES = ({t for t in TITLES if len(t) > 1} | {"h", "hh"}) - {
    "the", "his", "her", "right", "field", "air", "vice", "rear", "secretary", "minister", "ambassador",
    "chancellor", "house"}
# Words that follow a title and are offices or kin, not names ("Herr Präsident", "Hr. Dir.").
_NOT_NAMES = frozenset("""präsident president présidente président vater sohn bruder onkel neffe vetter schwager
direktor dir ing ingenieur reg regierungsrat regierungsrath oberst major hauptmann pfarrer doktor professor
kantonsrat redaktor redactor sekretär secretär secretaire secrétaire general général oberrichter richter
bundesrat bundesrath landammann stadtrat stadtrath ministre minister consul konsul gesandter""".split())


@dataclass(frozen=True)
class Mention:
    """A person, organisation or place a letter names: the record it was linked to, the words
    as written, where they stand (``block`` numbers the body's paragraphs, then the postscript),
    how it was found, how sure, and why."""

    kind: Literal["person", "organisation", "place"]
    id: str
    name: str
    as_written: str
    block: int
    start: int
    end: int
    how: How
    confidence: float
    reason: str


@dataclass
class _WordUse:
    total: int = 0
    determiner: int = 0
    lower: int = 0
    counted: int = 0
    titled: int = 0


@dataclass(frozen=True)
class _Entry:
    kind: Literal["person", "organisation", "place", "surname"]
    target: str  # a person or place id; for "surname", the surname key
    follow: int  # how many capitalised words follow the first
    norm: str  # the whole form, normalised
    how: How
    source: int  # 0 register, 1 archive, 2 gazetteer: the lower wins a tie
    alias: bool = False  # a name the gazetteer gave a register place ("Florence" for Florenz)
    tokens: tuple[str, ...] = ()  # the folded capitalised words after the first


@dataclass
class _Hit:
    letter: int
    block: int
    start: int
    end: int
    written: str
    entry: _Entry | None
    surname: str | None = None
    title: bool = False
    determiner: bool = False  # "der", "the", "le" just before: a common noun, or an area
    preposition: bool = False  # "in", "nach", "at" just before: a location, a town
    counted: bool = False  # "1000 Franken": a number before
    lower: bool = False  # the same word written in lower case elsewhere in the letter

    @property
    def word(self) -> str:
        return fold(self.written)


def _norm(text: str) -> str:
    return _NORM.sub(" ", fold(text)).strip()


def letter_text(letter: Letter) -> list[str]:
    """Give the blocks of a letter that speak of people and places: its paragraphs and its
    postscript (not its heading, salutation, closing or signature)."""
    blocks = list(letter.body)
    if letter.postscript:
        blocks.append(letter.postscript)
    return blocks


@dataclass
class MentionFinder:
    """The name table of an archive and the mentions found with it, letter by letter."""

    people: PersonIndex
    places: PlaceIndex
    gazetteer_mentions: bool = True
    addressee_mentions: bool = True
    min_population: int = 100_000
    first: dict[str, list[_Entry]] = field(default_factory=lambda: defaultdict(list))
    loose: dict[str, list[_Entry]] = field(default_factory=lambda: defaultdict(list))
    surnames: dict[str, dict[str, float]] = field(default_factory=lambda: defaultdict(dict))
    _full_names: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self._build_persons()
        self._build_places()
        for entries in (*self.first.values(), *self.loose.values()):
            # The longest form first; of equal length a full name or a place before a surname.
            entries.sort(key=lambda e: (-e.follow, e.kind == "surname", e.source))
        # Inflected one-word forms, looked up as they are: a genitive or a family's plural
        # ("Escher's", "Eschers"), a German demonym ("Pariser"); not for names the gazetteer lent.
        self.inflected: dict[str, list[_Entry]] = defaultdict(list)
        for key, entries in self.first.items():
            for entry in entries:
                if entry.follow or entry.alias or entry.source == 2:
                    continue
                for suffix in _SUFFIXES + ("er",):
                    if suffix == "er" and entry.kind != "place":
                        continue
                    how: How = "demonym" if suffix == "er" else entry.how
                    self.inflected[key + suffix].append(_Entry(entry.kind, entry.target, 0, entry.norm, how,
                                                               entry.source))
        self.keys = set(self.first) | set(self.inflected) | _NAME_TITLES

    # ------------------------------------------------------------ the name table

    def _entry(self, form: str, entry_kind: Literal["person", "organisation", "place", "surname"], target: str,
               how: How, source: int, *, loose: bool = False, alias: bool = False) -> None:
        caps = [m.group() for m in _CAP.finditer(form)]
        if not caps or (len(caps) == 1 and (len(caps[0]) < (4 if alias else 3) or fold(caps[0]) in _STOP)):
            return
        # A form written with lower-case particles first ("von Bleichröder") starts at its first capital.
        start = form.find(caps[0])
        norm = _norm(form[start:])
        entry = _Entry(entry_kind, target, len(caps) - 1, norm, how, source, alias, tuple(fold(c) for c in caps[1:]))
        table = self.loose if loose else self.first
        key = skeleton(caps[0]) if loose else fold(caps[0])
        if entry not in table[key]:
            table[key].append(entry)

    def _build_persons(self) -> None:
        for person in self.people:
            forms = list(person.forms)
            if person.record is not None:
                forms.extend(person.record.forms)
            if person.kind == "organisation":
                for form in forms:
                    if " " in form.strip():
                        self._entry(form, "organisation", person.id, "name", 1)
                continue
            key = person.key
            if key is None or not key.personal:
                continue
            source = 0 if person.record is not None else 1
            written: set[str] = set()
            for form in forms:
                if "," in form:
                    continue  # an index's inverted form ("Escher, Alfred") is not how letters write
                if len(_CAP.findall(form)) >= 2:
                    written.add(form)
            record = person.record
            given = (record.forenames or "").split() if record and record.forenames else []
            surname = re.sub(r"\s*\([^)]*\)", "", record.surname) if record and record.surname else None
            if given and surname:
                written.add(f"{given[0]} {surname}")
                written.add(f"{' '.join(g[0] + '.' for g in given)} {surname}")
                written.add(f"{given[0][0]}. {surname}")
            for form in written:
                self._entry(form, "person", person.id, "name", source)
            # The surname alone, and the shorter ways letters write it: without its particle, the
            # first part of an alliance name ("Hirzel" of "Hirzel-Lampe").
            sur_forms: dict[str, float] = {}
            if surname:
                sur_forms[surname] = 1.0
                bare = " ".join(w for w in surname.split() if w.lower() not in PARTICLES)
                sur_forms.setdefault(bare, 1.0)
                if "-" in bare:
                    sur_forms.setdefault(bare.split("-")[0], 0.5)
            for form in person.forms:
                if "," not in form and name_key(form).surname == key.surname:
                    words = form.split()
                    sur_forms.setdefault(words[-1], 1.0)
            for form, weight in sur_forms.items():
                skey = fold(form)
                if not skey or len(skey) < 2 or not form[:1].isupper() and " " not in form:
                    continue
                self.surnames[skey][person.id] = max(weight, self.surnames[skey].get(person.id, 0.0))
                self._entry(form, "surname", skey, "surname", source)
                if len(skey) >= 5 and " " not in skey:
                    self._entry(form, "surname", skey, "variant", source, loose=True)

    def _build_places(self) -> None:
        for record in self.places.records.values():
            own = set(self.places.own_forms(record))
            for form in record.forms:
                if form[:1].isupper():
                    self._entry(form, "place", record.id, "place", 0, alias=form not in own)
            if record.kind in _AREA_KINDS:
                # "St. Gotthard" is "der Gotthard", "le Saint-Gothard" the Gotthard.
                for form in own:
                    short = re.sub(r"^(?:St\.?|Sankt|Saint|San|Santa)[\s-]+", "", form)
                    if short != form and len(short) >= 5:
                        self._entry(short, "place", record.id, "place", 0)
        gaz = self.places.gazetteer
        if gaz is None or not self.gazetteer_mentions:
            return
        for record in gaz.records.values():
            big = record.kind != "city" or (record.population or 0) >= self.min_population or \
                record.id in self.places.used
            if not big:
                continue
            for form in record.forms:
                if form[:1].isupper() and fold(form) not in COMMON_WORDS:
                    self._entry(form, "place", record.id, "place", 2)

    # ------------------------------------------------------------ scanning

    def scan(self, letter: Letter, number: int = 0) -> list[_Hit]:
        """Give the raw hits of one letter's text: every capitalised word or run of words that
        the name table knows, or that a title puts a name after."""
        hits: list[_Hit] = []
        keys = self.keys
        for block, text in enumerate(letter_text(letter)):
            words = list(map(fold, _CAP.findall(text)))
            # Most capitalised words are no name: one set look-up each passes them, and a block
            # without any candidate is not looked at again.
            todo = [i for i, word in enumerate(words) if word in keys or "-" in word]
            if not todo:
                continue
            caps = list(_CAP.finditer(text))
            until = 0
            for i in todo:
                if i < until:
                    continue
                hit, used = self._match(text, caps, words, i, number, block)
                if hit is not None:
                    hits.append(hit)
                until = i + max(used, 1)
        return hits

    def _match(self, text: str, caps: list[re.Match[str]], words: list[str], i: int, number: int,
               block: int) -> tuple[_Hit | None, int]:
        folded = words[i]
        count = len(caps)
        if folded in _NAME_TITLES and i + 1 < count:
            gap = text[caps[i].end():caps[i + 1].start()]
            # A title's full stop is an abbreviation's ("Hr. Koller"); a word's, a sentence's end.
            if _GAP.match(gap) and ("." not in gap or len(folded) <= 4):
                titled = self._titled(text, caps, words, i, number, block)
                if titled is not None:
                    return titled
        for entry in self.first.get(folded, ()):
            j = i + entry.follow
            if j >= count:
                continue
            if entry.follow and (tuple(words[i + 1:j + 1]) != entry.tokens or not all(
                    _GAP.match(text[caps[k].end():caps[k + 1].start()]) for k in range(i, j))):
                continue
            return self._hit(text, caps[i].start(), caps[j].end(), entry, number, block), entry.follow + 1
        for entry in self.inflected.get(folded, ()):
            return self._hit(text, caps[i].start(), caps[i].end(), entry, number, block), 1
        if "-" in folded:  # "Gotthard-Bahn": the name of the first part
            head = caps[i].group().split("-")[0]
            for entry in self.first.get(fold(head), ()):
                if entry.follow == 0:
                    return self._hit(text, caps[i].start(), caps[i].start() + len(head), entry, number, block), 1
        return None, 1

    def _titled(self, text: str, caps: list[re.Match[str]], words: list[str], i: int, number: int,
                block: int) -> tuple[_Hit, int] | None:
        """Give the hit of a name after a title ("Mr Byrnes", "Herrn Oberstl. Ginsberg",
        "Sir George Sansom"), known or not; None when what follows is an office or a place."""
        j = i + 1
        while j < len(caps) and words[j] in _NAME_TITLES and j + 1 < len(caps) and \
                _GAP.match(text[caps[j].end():caps[j + 1].start()]):
            j += 1
        last = j
        while last + 1 < len(caps) and last - j < 3 and _name_gap(caps[last].group(),
                                                                  text[caps[last].end():caps[last + 1].start()]):
            nxt = caps[last + 1].group()
            if is_role_word(nxt) or fold(nxt) in self._place_words(nxt):
                break
            last += 1
        words = [caps[k].group() for k in range(j, last + 1)]
        if any(is_role_word(w) or fold(w).rstrip(".") in _NOT_NAMES for w in words) or \
                fold(words[-1]) in self._place_words(words[-1]) or len(words[-1].rstrip(".")) < 3 or \
                words[-1].isupper():
            return None
        start, end = caps[j].start(), caps[last].end()
        written = text[start:end]
        surname = name_key(written).surname
        hit = _Hit(number, block, start, end, written, None, surname=surname, title=True)
        full = self.first.get(fold(words[0]), ())
        for entry in full:
            if entry.kind == "person" and entry.norm == _norm(written):
                hit.entry = entry
        return hit, last - i + 1

    def _place_words(self, word: str) -> set[str]:
        folded = fold(word)
        return {folded} if any(e.kind == "place" and e.follow == 0 for e in self.first.get(folded, ())) else set()

    def _hit(self, text: str, start: int, end: int, entry: _Entry, number: int, block: int) -> _Hit:
        before = text[max(0, start - 14):start]
        # The word just before: an article, a preposition of place, a number.
        last = before.rsplit(None, 1)[-1].lower() if before[-1:].isspace() and before.strip() else ""
        written = text[start:end]
        return _Hit(number, block, start, end, written, entry,
                    surname=entry.target if entry.kind == "surname" else None,
                    determiner=last in _DETERMINERS, preposition=last in _LOCATIVES,
                    counted=last[:1].isdigit() or last in _NUMBER_WORDS,
                    lower=entry.follow == 0 and _seen_lower(text, written))

    # ------------------------------------------------------------ resolving

    def find(self, letters: Sequence[Letter]) -> dict[str, list[Mention]]:
        """Give the mentions of every letter, by letter key, in the order the text names them."""
        scanned = [self.scan(letter, number) for number, letter in enumerate(letters)]
        words = self._words(scanned)
        self._full_names = Counter(self._surname_of(h.entry.target) for hits in scanned for h in hits
                                   if h.entry is not None and h.entry.kind == "person")
        resolved: list[list[Mention]] = [[] for _ in letters]
        pending: list[tuple[int, _Hit]] = []
        named: Counter[str] = Counter()  # person id -> letters naming the person unambiguously
        for number, (letter, hits) in enumerate(zip(letters, scanned, strict=True)):
            full_in_letter = {self._surname_of(h.entry.target): h.entry.target for h in hits
                              if h.entry is not None and h.entry.kind == "person"}
            for hit in hits:
                if not self._name_like(hit, words):
                    continue
                mention = self._direct(letter, hit, full_in_letter)
                if mention is not None:
                    resolved[number].append(mention)
                    if mention.kind == "person":
                        named[mention.id] += 1
                elif hit.surname:
                    pending.append((number, hit))
        for number, hit in pending:
            mention = self._in_archive(letters[number], hit, named)
            if mention is not None:
                resolved[number].append(mention)
        result: dict[str, list[Mention]] = {}
        for number, letter in enumerate(letters):
            mentions = self._without_signature(letter, resolved[number])
            mentions.sort(key=lambda m: (m.block, m.start))
            if self.addressee_mentions:
                mentions.extend(self._addressed(letter, mentions))
            result[letter_key(letter)] = mentions
        return result

    @staticmethod
    def _words(scanned: list[list[_Hit]]) -> dict[str, _WordUse]:
        """Give, for each one-word name the texts contain, how the archive uses the word."""
        words: dict[str, _WordUse] = defaultdict(_WordUse)
        for hits in scanned:
            for hit in hits:
                if hit.entry is not None and hit.entry.follow > 0:
                    continue
                use = words[hit.word]
                use.total += 1
                use.determiner += hit.determiner
                use.lower += hit.lower
                use.counted += hit.counted
                use.titled += hit.title
        return words

    def _name_like(self, hit: _Hit, words: dict[str, _WordUse]) -> bool:
        """Tell whether a one-word hit is used as a name here: a word that this archive's
        letters also write in lower case ("Seine"/"seine"), after an article ("der Zweifel",
        "den Boden"), after a number ("1000 Franken"), or often and never with a title or a
        given name, is a word of the language that happens to be a name too."""
        entry = hit.entry
        if hit.title or (entry is not None and (entry.follow > 0 or entry.kind in ("person", "organisation"))):
            return True
        use = words.get(hit.word)
        if use is None or hit.counted:
            return False
        if use.lower >= 2 and use.lower >= 0.2 * use.total:
            return False
        if entry is not None and entry.kind == "place" and not (entry.alias or entry.source == 2):
            record = self.places.records.get(entry.target)
            if record is not None and record.kind in _AREA_KINDS:
                return True  # a country, canton, pass or lake takes an article ("die Schweiz")
        if hit.determiner or (use.determiner >= 3 and use.determiner >= 0.15 * use.total):
            return False  # "der Zweifel", "den Boden", "eine Rolle": a noun
        if entry is not None and entry.kind == "surname" and use.total >= 15 and \
                use.titled + self._full_names.get(hit.surname or "", 0) < 0.02 * use.total:
            return False  # written often, and never as "Herr X" or with a given name: a word
        return True

    def _surname_of(self, person_id: str) -> str:
        person = self.people.persons.get(person_id)
        return person.key.surname if person is not None and person.key is not None else ""

    def _mention(self, hit: _Hit, kind: Literal["person", "organisation", "place"], ident: str, name: str,
                 how: How, confidence: float, reason: str) -> Mention:
        return Mention(kind, ident, name, hit.written, hit.block, hit.start, hit.end, how, confidence, reason)

    def _direct(self, letter: Letter, hit: _Hit, full_in_letter: dict[str, str]) -> Mention | None:
        """Give the mention a hit makes by itself: a full name, a place, a surname only one
        person of the archive bears or that a fuller form in the same letter settles."""
        entry = hit.entry
        if entry is not None and entry.kind in ("person", "organisation"):
            person = self.people.persons.get(entry.target)
            if person is None:
                return None
            return self._mention(hit, entry.kind, person.id, person.name, "name", 0.95, "the full name")
        if entry is not None and entry.kind == "place":
            return self._place(letter, hit, entry)
        surname = hit.surname
        if not surname:
            return None
        if surname in full_in_letter:
            person = self.people.persons[full_in_letter[surname]]
            return self._mention(hit, "person", person.id, person.name, "title" if hit.title else "surname", 0.9,
                                 "the letter names the person in full")
        candidates = self.surnames.get(surname) or {}
        if not candidates and hit.title and len(surname) >= 5:
            # A name after a title spelled the old way ("Hr. Bekh" for Beckh, "Göthe"): the one
            # person whose surname is spelled alike.
            loose = {e.target for e in self.loose.get(skeleton(surname), ()) if e.kind == "surname"}
            near = {p for key in loose for p in self.surnames.get(key, {})}
            if len(near) == 1:
                person = self.people.persons[near.pop()]
                return self._mention(hit, "person", person.id, person.name, "variant", 0.6,
                                     "a name after a title, spelled as this person's name is spelled elsewhere")
        if not candidates and hit.title:
            # A name after a title that no register or letter knows: a person of its own.
            person = self.people.add(hit.written, reason="named with a title in a letter")
            self.surnames[person.key.surname if person.key else surname][person.id] = 1.0
            return self._mention(hit, "person", person.id, person.name, "title", 0.8, "a name after a title")
        strong = [p for p, w in candidates.items() if w >= 1.0]
        if len(strong) == 1 and len(candidates) == 1:
            person = self.people.persons[strong[0]]
            how: How = "title" if hit.title else (entry.how if entry is not None else "surname")
            return self._mention(hit, "person", person.id, person.name, how, 0.85 if how != "variant" else 0.6,
                                 "the only person of this name in the archive")
        return None

    def _place(self, letter: Letter, hit: _Hit, entry: _Entry) -> Mention | None:
        record = self.places.get(entry.target)
        if record is None:
            return None
        if entry.source == 2 and record.kind == "city" and hit.determiner:
            return None  # "das Essen", "the Reading": a word, not the town
        confidence, reason = 0.9, "the place's name"
        if entry.source == 0:
            # Several register places of one name ("Zürich" the town and the canton): after "in",
            # "nach", "at" a letter speaks of the town; otherwise, of the canton, the country or
            # the pass that bears the name more often than of the town.
            found = self.places.candidates(record.name if entry.alias else hit.written) or [record]
            if len(found) > 1:
                towns = [r for r in found if r.kind not in _AREA_KINDS]
                areas = [r for r in found if r.kind in _AREA_KINDS]
                record = (towns or found)[0] if hit.preposition else (areas or found)[0]
                confidence, reason = 0.65, f"1 of {len(found)} places so named, by the words before it"
        elif entry.source == 2:
            records = self.places.gazetteer.lookup(hit.written) if self.places.gazetteer else []
            if records and records[0].id != record.id:
                record = records[0]
            confidence, reason = (0.85, "the gazetteer's name") if len(records) <= 1 else \
                (0.7, f"the gazetteer's most populous of {len(records)} so named")
        how: How = entry.how if entry.how in ("demonym", "variant") else "place"
        if how != "place":
            confidence -= 0.15
        return self._mention(hit, "place", record.id, record.name, how, confidence, reason)

    def _in_archive(self, letter: Letter, hit: _Hit, named: Counter[str]) -> Mention | None:
        """Give the mention of a surname several persons bear, settled by who the archive names
        most, whom the letter's parties write with, and who was alive; None when no one stands out."""
        candidates = self.surnames.get(hit.surname or "") or {}
        if not candidates:
            return None
        year = _letter_year(letter)
        parties = {ref.id for _, ref in self.people.party_refs(letter)}
        scored: list[tuple[float, str]] = []
        for ident, weight in candidates.items():
            person = self.people.persons.get(ident)
            if person is None or ident in parties:
                continue
            score = 0.5 * math.log1p(named[ident]) + math.log(weight)
            if parties & set(person.correspondents):
                score += 1.5
            if year is not None:
                if (person.born and year < person.born) or (person.died and year > person.died + 30):
                    score -= 2.0
                elif person.born or person.died:
                    score += 0.5
            if person.record is not None and person.record.note == "correspondent":
                score += 0.3
            scored.append((score, ident))
        if not scored:
            return None
        scored.sort(reverse=True)
        best, ident = scored[0]
        margin = best - scored[1][0] if len(scored) > 1 else 9.0
        if margin < 0.5:
            return None
        person = self.people.persons[ident]
        confidence = 0.75 if margin >= 1.5 else 0.6
        return self._mention(hit, "person", person.id, person.name, "title" if hit.title else "surname", confidence,
                             f"of {len(candidates)} persons named {hit.written}, the one the archive and this "
                             "letter's correspondents point to")

    def _without_signature(self, letter: Letter, mentions: list[Mention]) -> list[Mention]:
        """Give the mentions without the writer's name where a signature stands: at the very end
        of the last block (a signature the reader left in the text)."""
        if letter.sender is None:
            return mentions
        blocks = letter_text(letter)
        if not blocks:
            return mentions
        sender = self.people.resolve(letter.sender, letter)
        last = len(blocks) - 1
        tail = len(blocks[last]) - 80
        return [m for m in mentions
                if not (sender is not None and m.id == sender.id and m.block == last and m.start >= tail)]

    def _addressed(self, letter: Letter, mentions: list[Mention]) -> list[Mention]:
        """Give the addressees the body speaks to in the second person, not already named."""
        blocks = letter_text(letter)
        found: list[Mention] = []
        named = {m.id for m in mentions}
        for block, text in enumerate(blocks):
            match = _SECOND_PERSON.search(text)
            if match is None:
                continue
            for agent in letter.recipients:
                if agent.kind != "person":
                    continue
                ref = self.people.resolve(agent, letter)
                if ref is None or ref.id in named:
                    continue
                named.add(ref.id)
                found.append(Mention("person", ref.id, ref.name, match.group(), block, match.start(), match.end(),
                                     "addressed", 0.8, "the addressee, spoken to in the second person"))
            break
        return found


def _seen_lower(text: str, word: str) -> bool:
    """Tell whether ``word`` stands in ``text`` in lower case too ("Seine" and "seine"): a word
    of the language, not only a name."""
    low = word.lower()
    if low == word:
        return False
    at = text.find(low)
    while at >= 0:
        end = at + len(low)
        if (at == 0 or not text[at - 1].isalpha()) and (end == len(text) or not text[end].isalpha()):
            return True
        at = text.find(low, end)
    return False


def _name_gap(word: str, gap: str) -> bool:
    """Tell whether the text between two words of a name can stand inside a name: a space, a
    particle, or the full stop of an initial ("J. V."), not the full stop of a sentence."""
    if gap == " " or re.fullmatch(r"\s+(?:von|van|de|vom|zu|der|la|le)\s+", gap):
        return True
    return bool(re.fullmatch(r"\.\s*", gap)) and len(word) <= 2


def _letter_year(letter: Letter) -> int | None:
    date = letter.date
    value = (date.when or date.not_before or date.not_after) if date else None
    return int(value[:4]) if value and value[:4].isdigit() else None


def to_agents(mentions: list[Mention]) -> tuple[list[Agent], list[Place]]:
    """Give a letter's mentions as the model's lists: persons and organisations, and places,
    each once, in the order the text names them; ``ref`` is the record's id."""
    persons: dict[str, Agent] = {}
    places: dict[str, Place] = {}
    for mention in mentions:
        if mention.kind == "place":
            places.setdefault(mention.id, Place(name=mention.name, as_written=mention.as_written, ref=mention.id))
        else:
            persons.setdefault(mention.id, Agent(name=mention.name, as_written=mention.as_written, ref=mention.id,
                                                 kind="organisation" if mention.kind == "organisation" else "person"))
    return list(persons.values()), list(places.values())




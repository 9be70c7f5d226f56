"""Who and where a letter speaks of: persons, organisations and places named in its body, each
linked to its record in the people and place indexes.

The name table (matcher.py) holds the archive's name forms and the forms derived from them by
rule: full names, surnames with and without particles, inflected and adjectival forms
("Eschers", "die Rohmersche Schrift"), a place's demonyms ("Berner") and adjectives
("die italienischen Bahnen"), older spellings, a place as the first part of a compound
("Gotthardbahn"). Offices between a title and a name are passed over ("Herrn Oberbaurath Bekh",
"Hr. Statth. Müller"). A name after a title that no register knows ("Mr Chandor") makes a person
of its own, unless the word is a noun of the language (after an article elsewhere, a noun's
ending) or stands so only once after an abbreviation or an office.

A surname that several persons share is settled after the whole archive has been read: by a
fuller form of the name in the same letter, else by weighing each bearer (bearers.py): whom the
writer names in full elsewhere, who corresponds with the letter's parties, who is active in the
archive, who was alive and grown up at the letter's date, and whether a title's gender ("Herr",
"Frau") fits; a surname one of the letter's parties bears is the party's, who is never counted
as mentioned by name. What stays doubtful is left out rather than guessed.

The letter's addressee counts as mentioned when the body speaks to them in the second person
("your message", "Ihr Schreiben"): the seed letter's Truman is mentioned so ("I was glad to
receive your message", "the steps taken by you and Mr Byrnes"). Such mentions carry
``how="addressed"``; the writer's own signature is never a mention.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from itertools import compress
from operator import itemgetter
from typing import Literal, NamedTuple

from ..collector import no_collections
from ..model import Agent, Letter, Place
from ..parse.names import ORG_WORDS, ROLE_WORDS
from ..sharing import helpers_for, share
from .bearers import Evidence, LetterContext, best_bearer
from .forms import fold, given_compatible, is_name_suffix, is_role_word, name_key
from .historical import COMMON_WORDS
from .ids import letter_key
from .matcher import CAP, GAP, Entry, Lex, NameTable, loose, norm, particle_free
from .people import Person, PersonIndex, PersonRef
from .places import _AREA_KINDS, PlaceIndex
from .registers import PlaceRecord
from .vocabulary import (
    ADJECTIVE_END,
    AREA_AFTER,
    AREA_BEFORE,
    ATTRIBUTE_BEFORE,
    CAPITAL_NOUNS,
    DETERMINERS,
    DOCUMENT_WORDS,
    FEMALE_TITLES,
    FRENCH_ADJECTIVES,
    GIVEN_NAME_TITLES,
    GIVEN_NAMES,
    INFLECTED,
    IRREGULAR_DEMONYMS,
    LOCATIVES,
    MALE_TITLES,
    MINOR_AREA,
    NAME_TITLES,
    NOT_ATTRIBUTES,
    NOUN_ENDINGS,
    NOUN_MARKERS,
    NUMBER_ENDS,
    NUMBER_WORDS,
    OFFICES,
    PEER_TITLES,
    PERSONAL_TITLES,
    PLACE_ENDINGS,
    QUALIFIED,
    SECOND_PERSON,
    SENTENCE_STARTS,
    STOP,
    TITLE_GAP,
    TOWN_BEFORE,
    TOWN_PART,
    TOWN_WORD,
    WORD_TITLES,
    name_gap,
    not_name,
    office_word,
    place_adjectives,
    seen_lower,
)

__all__ = ["SCAN_CHUNK", "Mention", "MentionFinder", "letter_text", "to_agents"]

#: Letters scanned together: the work a helper process claims at a time, and the letters over
#: which a word seen after a title is counted where else it stands (``MentionFinder._scan_chunk``).
SCAN_CHUNK = 1000

How = Literal["name", "surname", "title", "variant", "addressed", "place", "demonym", "adjective", "forename"]

_GROUP = re.Match.group
_PLACE_IN_TEXT = itemgetter(4, 5)  # a mention's block and start


class Mention(NamedTuple):
    """A person, organisation or place a letter names: the record it was linked to, the words
    as written, where they stand (``block`` numbers the body's paragraphs, then the postscript),
    how it was found, how sure, and why. (A named tuple: an archive makes millions of them.)"""

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


@dataclass(slots=True)
class _WordUse:
    total: int = 0
    determiner: int = 0
    lower: int = 0
    counted: int = 0
    titled: int = 0
    marked: int = 0  # after an article or a possessive: "der Kaiser", "meinen Keller"
    attributed: int = 0  # after an inflected adjective that follows an article: "dem besten Willen"
    preposition: int = 0  # after a preposition of place: "in Belvoir"
    initial: int = 0  # the first word of a sentence
    at: int = 0  # after "in", "at", "nach": where, never whom


@dataclass(slots=True)
class _Hit:
    letter: int
    block: int
    start: int
    end: int
    written: str
    entry: Entry | None
    surname: str | None = None
    title: str | None = None  # the title before the name, folded
    determiner: bool = False  # "der", "the", "le" just before: a common noun, or an area
    preposition: bool = False  # "in", "nach", "at" just before: a location, a town
    at: bool = False  # "in", "at", "nach" just before: where someone is or goes, never whom ("to", "from")
    area: bool | None = None  # the words beside a place's name say the area (True) or the town (False)
    counted: bool = False  # "1000 Franken": a number before
    marked: bool = False  # an article or a possessive before: a noun
    attributed: bool = False  # an inflected adjective after an article or a preposition before: a noun
    initial: bool = False  # the first word of a sentence
    lower: bool = False  # the same word written in lower case elsewhere in the letter
    persons: tuple[str, ...] = ()  # the persons a full form may name when several share it ("J. Escher")
    given: bool = False  # a given name alone after Sir or Dame ("Sir John")
    rest: str = ""  # what follows a place's name inside one word ("bahn" of "Gotthardbahn")
    forename: str = ""  # a given name written before a surname, whole or cut short ("Ludw. Meier")
    name_before: bool = False  # a given name or "de" before a gazetteer town's name: a surname ("Antonio Moro")

    @property
    def word(self) -> str:
        return fold(self.written)


_INITIAL = re.compile(r"[A-Z]\.")  # "R." of "Mr R. Campbell"
_SAINT = re.compile(r"(?:^|\s)(?:S|St|Ste|Sta|San)\.$")  # "le S. Gothard": no sentence ends there
_AT = frozenset("in at near nach à au aux im".split())  # where a town is or one goes; not "to", "from"
# A dash between two places' names: a route, from town to town ("die Linie Zürich – Baden").
_ROUTE_BEFORE = re.compile(r"[A-Za-zÀ-ÿ.]\s?[–—-]\s?$")
_ROUTE_AFTER = re.compile(r"\s?[–—-]\s?[A-ZÀ-Þ]")
_WORD_BEFORE = re.compile(r"([A-ZÀ-ÖØ-Þ][^\W\d_]*\.?)\s+$")  # "St." of "St. Gallische"
# The words in lower case a place's name may have between its capitalised ones ("Frankfurt am
# Main", "Côte d'Ivoire", "Stratford-upon-Avon").
_NAME_PARTICLES = frozenset("""von vom van de der den du des di da del della le la les zu zur ten ter im am an y of
and for the on und für et en sur sous upon""".split())
_LETTERS = re.compile(r"[^\W\d_][\w'’]*")  # a word
_CUT_GIVEN = re.compile(r"[A-ZÀ-ÖØ-Þ][a-zß-ÿ]{1,4}\.")  # "Ludw.", "Alfr.", "Ed.", "Hch."
_LANGUAGE_BEFORE = re.compile(r"(?:^|\W)(?:en|du|le)\s+$", re.IGNORECASE)  # "en français", "du latin"
# A word in lower case cut short after a consonant, before a full stop: German's abbreviated
# adjectives ("die franz. Regierung", "engl. Kohle", "östr. Truppen"). Looked for before each
# full stop (a third of the time a pass over the whole text takes).
_CUT_WORD = re.compile(r"(?<![\w'’.-])[a-zß-ÿ]{3,}(?<![aeiouyäöüéèà])$")


def letter_text(letter: Letter) -> list[str]:
    """Give the blocks of a letter that speak of people and places: its paragraphs and its
    postscript (not its heading, salutation, closing or signature)."""
    blocks = list(letter.body)
    if letter.postscript:
        blocks.append(letter.postscript)
    return blocks


class MentionFinder:
    """The name table of an archive and the mentions found with it, letter by letter."""

    def __init__(self, people: PersonIndex, places: PlaceIndex, *, gazetteer_mentions: bool = True,
                 addressee_mentions: bool = True, min_population: int = 100_000, workers: int = 1) -> None:
        self.people = people
        self.helpers = helpers_for(workers)  # processes forked to scan the texts beside this one
        self.places = places
        self.gazetteer_mentions = gazetteer_mentions
        self.addressee_mentions = addressee_mentions
        self.min_population = min_population
        self.table = NameTable(NAME_TITLES, OFFICES)
        self.surnames: dict[str, dict[str, float]] = defaultdict(dict)
        self.adjectives: dict[str, str] = {}  # "italienisch" -> place id
        self.adjective_cuts: dict[str, str] = {}  # "franz" -> the place "französisch" is of
        self._written_cuts: dict[str, str] = {}  # ... of the adjectives the letters write in full
        self.french_adjectives: dict[str, str] = {}  # "italien" -> place id
        self._french_adjective: re.Pattern[str] | None = None  # them, as French declines them
        self._towns: dict[str, list[PlaceRecord]] = defaultdict(list)  # "basel" -> Basel-Stadt
        self._nouns: Counter[str] = Counter()  # words after a title that stand after an article too
        self._given: Counter[str] = Counter()  # folded given names -> persons bearing them
        self._given_names: set[str] = set()  # the given names the archive's people are written with
        self._given_starts: set[str] = set()  # their first two to five letters: "ludw" of "ludwig"
        self._knights: set[str] = set()  # words the texts write alone after Sir or Dame: given names
        # Words alone after a title that a letter naming them also writes in lower case ("General
        # Electric ... electric power"): words of the language, wherever they stand after a title.
        self._lower_after_title: set[str] = set()
        self._bodies_after_title: set[str] = set()  # "Electric" of "General Electric Company"
        self._blocks: list[str] = []
        self._capital_nouns = True  # the letter being scanned writes nouns with a capital (German)
        self._articles_a = True  # ... and "a", "an" are its articles (English, or a language unknown)
        self._german = False  # ... and is in German (its adjectives are cut short: "franz.")
        self._full_names: Counter[str] = Counter()
        self._place_choice: dict[tuple[str, bool], tuple[PlaceRecord, float, str]] = {}
        self._gazetteer_choice: dict[str, tuple[PlaceRecord, float, str]] = {}
        self._unknown: dict[str, Person] = {}  # persons known only by a name after a title
        self._watch: set[str] = set()  # words after a title that no table knows
        # The blocks of the chunk being scanned, as read: each one's text and capitalised words.
        self._read: list[tuple[str, list[str]]] = []
        self._titled_unknown: Counter[str] = Counter()  # how often each such name stands after a title
        self._uses: Counter[str] = Counter()  # how often such words stand anywhere
        self._capitalised: set[str] = set()  # every capitalised word the texts write (after scanning)
        self._rests: dict[tuple[str, str], bool] = {}  # what follows a place's name in a word: a compound's
        self._scores: dict[tuple[object, ...], tuple[float, str, float] | None] = {}
        self._off_by_one: dict[str, set[str]] | None = None  # a surname with a letter left out -> surnames
        self._demonyms: dict[tuple[str, str], bool] = {}  # (word, place id) -> a demonym (_demonym)
        self._gazetteer_towns: set[str] = set()  # the ids of the gazetteer's towns the texts are searched for
        with no_collections():  # see find()
            self._build_persons()
            self._given_starts = {g[:n] for g in self._given_names for n in range(2, min(len(g), 5) + 1)}
            self._build_places()
            self.table.finish()

    # ------------------------------------------------------------ the name table

    def _build_persons(self) -> None:
        table = self.table
        for person in self.people:
            forms = list(person.forms)
            if person.record is not None:
                forms.extend(person.record.forms)
            if person.kind == "organisation":
                for form in forms:
                    if " " in form.strip():
                        table.add(form, "organisation", person.id, "name", 1)
                continue
            key = person.key
            if key is None or not key.personal:
                continue
            source = 0 if person.record is not None else 1
            self._given_names.update(fold(g) for g in key.given if len(g.rstrip(".")) > 1)
            written: set[str] = {f for f in forms if "," not in f and len(CAP.findall(f)) >= 2
                                 and (person.record is not None or not self._country(f))}
            record = person.record
            given = (record.forenames or "").split() if record and record.forenames else []
            surname = re.sub(r"\s*\([^)]*\)", "", record.surname).strip() if record and record.surname else None
            if given and surname:
                table.name_words.update(fold(g.rstrip(".")) for g in given)
                self._given.update({fold(g) for g in given if len(g.rstrip(".")) > 1})
                bare = particle_free(surname)
                for sur in {surname, bare}:
                    written.add(f"{' '.join(given)} {sur}")
                    written.add(f"{' '.join(g[0] + '.' for g in given)} {sur}")
                    for name in given:
                        if len(name.rstrip(".")) > 1:
                            written.add(f"{name} {sur}")  # the name a person is called by
                        written.add(f"{name[0]}. {sur}")
            for form in written:
                table.add(form, "person", person.id, "name", source)
            # The surname alone, and the shorter ways letters write it: without its particle, the
            # first part of an alliance name ("Hirzel" of "Hirzel-Lampe", "Peyer" of "Peyer im Hof").
            sur_forms: dict[str, float] = {}
            if surname:
                sur_forms[surname] = 1.0
                bare = particle_free(surname)
                sur_forms.setdefault(bare, 1.0)
                if "-" in bare:
                    sur_forms.setdefault(bare.split("-")[0], 0.5)
                if " " in bare:
                    sur_forms.setdefault(bare.split()[0], 0.5)
            for form in person.forms:
                if "," not in form and name_key(form).surname == key.surname:
                    sur_forms.setdefault(form.split()[-1], 1.0)
            for form, weight in sur_forms.items():
                skey = fold(form)
                if not skey or len(skey) < 2 or not form[:1].isupper() and " " not in form:
                    continue
                if person.record is None and self._country(form):
                    # "Japan" as the writer of a memorandum, "Australia" of "French Colony in
                    # Australia": a country named alone in a text is the country.
                    continue
                table.name_words.update(fold(w) for w in form.split())
                self.surnames[skey][person.id] = max(weight, self.surnames[skey].get(person.id, 0.0))
                table.add(form, "surname", skey, "surname", source)

    def _country(self, name: str) -> bool:
        """Tell whether the gazetteer knows a name as a country's, a former state's or a continent's."""
        gazetteer = self.places.gazetteer
        return gazetteer is not None and any(r.kind in ("country", "former state", "continent")
                                             for r in gazetteer.lookup(name))

    def _build_places(self) -> None:
        table = self.table
        for record in self.places.records.values():
            own = set(self.places.own_forms(record))
            for form in record.forms:
                if form[:1].isupper():
                    table.add(form, "place", record.id, "place", 0, alias=form not in own, stop=STOP,
                              min_length=4 if form not in own else 3)
            for form in own:
                # "Oron-la-Ville", "Affoltern am Albis" are "Oron", "Affoltern" too; "Basel-Stadt"
                # (the town's half-canton) is the town of Basel.
                head = QUALIFIED.match(form)
                if head is not None:
                    table.add(head.group(1), "place", record.id, "place", 0, alias=True)
                town = TOWN_PART.match(form)
                if town is not None:
                    self._towns[fold(town.group(1))].append(record)
            if record.kind in _AREA_KINDS:
                # "St. Gotthard" is "der Gotthard", "le Saint-Gothard" the Gotthard.
                for form in own:
                    short = re.sub(r"^(?:St\.?|S\.|Sankt|Saint|San|Santa)[\s-]+", "", form)
                    if short != form and len(short) >= 5:
                        table.add(short, "place", record.id, "place", 0)
                    words = form.split()
                    if len(words) == 1 and form[:1].isupper():
                        for adjective in place_adjectives(fold(form)):
                            self.adjectives.setdefault(adjective, record.id)
                        for people in IRREGULAR_DEMONYMS.get(fold(form), ()):
                            table.add(people, "place", record.id, "demonym", 0)
                    elif len(words) == 2 and words[1][:1].isupper():
                        # "St. Gallen": "die St. Gallischen Gesetze" (not Gaul's: "gallisch" alone)
                        for adjective in place_adjectives(fold(words[1])):
                            self.adjectives.setdefault(f"{norm(words[0])} {adjective}", record.id)
        self.adjective_cuts = _adjective_cuts(self.adjectives)
        areas: dict[str, str] = {}  # a country's, canton's or region's names, folded -> its id
        for record in self.places.records.values():
            if record.kind in _AREA_KINDS:
                for form in record.forms:
                    areas.setdefault(fold(form), record.id)
        for adjective, names in FRENCH_ADJECTIVES.items():
            ident = next((areas[name] for name in names if name in areas), None)
            if ident is not None:
                self.french_adjectives[adjective] = ident
        if self.french_adjectives:
            stems = "|".join(sorted(self.french_adjectives, key=len, reverse=True))
            self._french_adjective = re.compile(rf"(?<![\w'’-])({stems})(?:e|es|s|ne|nes)?(?![\w'’-])")
        gaz = self.places.gazetteer
        if gaz is None or not self.gazetteer_mentions:
            return
        towns = self._gazetteer_towns
        for record in gaz.records.values():
            big = record.kind != "city" or (record.population or 0) >= self.min_population or \
                record.id in self.places.used
            if not big:
                continue
            for form in record.forms:
                if form[:1].isupper() and fold(form) not in COMMON_WORDS and self._looked_for(record, form):
                    table.add(form, "place", record.id, "place", 2, stop=STOP, alias=not gaz.is_name_of(form, record))
                    if record.kind == "city":
                        towns.add(record.id)

    def _looked_for(self, record: PlaceRecord, form: str) -> bool:
        """Tell whether a letter's text is searched for a gazetteer's town by this name. Not by
        a given name ("Mary", "George", "Winston"), and of the many other names geonames gives a
        town (other languages', older ones, transliterations) not by a name of a person the
        archive knows ("Stalin" of Donetsk, "Molotov" of Perm), not by a short one of a town
        under a million people ("Pye" of Pyay, "Rest" of Rasht: words and names of many
        languages) unless it has four letters and begins as the town's name does ("Genf",
        "Bâle"). No place is looked for by a name that goes on in lower case ("Che-juean", "Mary
        shaary", "Union soviétique"): the table would hold its capitalised words alone."""
        if _cut_short(form):
            return False
        if record.kind != "city":
            return True
        key = fold(form)
        if key in GIVEN_NAMES:
            return False
        gazetteer = self.places.gazetteer
        if gazetteer is None or gazetteer.is_name_of(form, record):
            return True
        if any(fold(word) in GIVEN_NAMES for word in form.split()):
            return False  # "Saint James" of Vũng Tàu (Cap Saint-Jacques): the saint
        short = len(key) < 5 and not (len(key) == 4 and key[:2] == fold(record.name)[:2])
        return key not in self.surnames and key not in self._given_names and \
            (not short or (record.population or 0) >= 1_000_000)

    # ------------------------------------------------------------ scanning

    def scan(self, letter: Letter, number: int = 0) -> list[_Hit]:
        """Give the raw hits of one letter's text: every capitalised word or run of words that
        the name table knows, or that a title puts a name after."""
        hits = self._scan(letter_text(letter), number, letter.language)
        self._count_watched()
        return hits

    def _scan(self, blocks: list[str], number: int, language: str | None = None) -> list[_Hit]:
        hits: list[_Hit] = []
        self._blocks = blocks  # the letter's other paragraphs, for _titled
        # German writes its nouns with a capital: elsewhere a capitalised word after a title's
        # first word is the rest of the name ("Mr. Vincent Massey"), known as a given name or not.
        self._capital_nouns = language is None or language.split("-")[0].lower() in CAPITAL_NOUNS
        # English's articles "a" and "an" are prepositions elsewhere ("an Sillar", "a Milano").
        self._articles_a = language is None or language.split("-")[0].lower() == "en"
        # French names a canton "le canton de Berne" and a town alone, without an article: "Berne"
        # is the town there ("le Splugen" the pass).
        self._bare_town = language is not None and language.split("-")[0].lower() == "fr"
        self._german = language is not None and language.split("-")[0].lower() == "de"
        french = self._bare_town and self._french_adjective is not None
        adjectives = self.adjectives
        lookup = self.table.lexicon.__getitem__
        seconds = self.table.seconds
        match = self._match
        read = self._read
        for block, text in enumerate(blocks):
            caps = list(CAP.finditer(text))
            words = list(map(_GROUP, caps))
            lexes = list(map(lookup, words))
            read.append((text, words))
            last = len(lexes) - 1
            until = 0
            # Only the words the table knows: most capitalised words of a text are no name.
            for i in compress(range(len(lexes)), lexes):
                if i < until:
                    continue
                lex = lexes[i]
                if not lex.starts:
                    following = lexes[i + 1] if lex.head and i < last else None
                    if following is None or following.word not in seconds[lex.word]:
                        continue
                hit, used = match(text, caps, lexes, i, number, block)
                if hit is not None:
                    hits.append(hit)
                until = i + used  # used >= 1
            if adjectives or french:
                found = self._adjectives(text, number, block)
                if found:
                    # Not inside a place's name found whole ("des Norddeutschen Bundes").
                    spans = [(h.start, h.end) for h in hits if h.block == block and h.entry is not None
                             and h.entry.kind == "place" and h.entry.follow]
                    hits.extend(h for h in found if not any(a <= h.start < b for a, b in spans))
        return hits

    def _count_watched(self) -> None:
        """Count the words after a title that no table knows where they stand in the blocks read
        since the last count, and how often after an article or a possessive (a noun's place)."""
        watch = self._watch
        lexicon = self.table.lexicon
        uses, nouns = self._uses, self._nouns
        for text, words in self._read:
            if watch.isdisjoint(words):
                continue
            for word in watch.intersection(words):
                if lexicon[word] is not None:
                    continue  # a word the table knows where it stands alone
                uses[word] += words.count(word)
                at = text.find(word)
                while at >= 0:
                    before = text[max(0, at - 10):at].split()
                    if before and before[-1].lower() in NOUN_MARKERS and (at == 0 or not text[at - 1].isalnum()):
                        nouns[word] += 1
                    at = text.find(word, at + len(word))
        self._read = []

    def _adjectives(self, text: str, number: int, block: int) -> list[_Hit]:
        """Give the adjectives made of places' names ("die italienischen Bahnen", "deutsche")."""
        found = []
        for match in ADJECTIVE_END.finditer(text):
            start = match.start()
            while start > 0 and text[start - 1].isalpha():
                start -= 1
            stem = fold(text[start:match.start() + 3])
            head = _WORD_BEFORE.search(text, max(0, start - 12), start)
            ident = self.adjectives.get(f"{norm(head.group(1))} {stem}") if head is not None else None
            if ident is not None:
                start = head.start(1)
            else:
                ident = self.adjectives.get(stem)
            if ident is not None and (start == 0 or text[start - 1] not in "-'’"):
                entry = Entry("place", ident, (stem,), "demonym", 0)
                found.append(_Hit(number, block, start, match.end(), text[start:match.end()], entry))
        if self._bare_town and self._french_adjective is not None:  # a letter in French
            for match in self._french_adjective.finditer(text):
                if _LANGUAGE_BEFORE.search(text, max(0, match.start() - 8), match.start()):
                    continue  # "écrit en allemand", "le texte en français": the language
                ident = self.french_adjectives[match.group(1)]
                entry = Entry("place", ident, (fold(match.group(1)),), "demonym", 0)
                found.append(_Hit(number, block, match.start(), match.end(), match.group(), entry))
        if self._german and self.adjective_cuts:
            cuts, find, search = self.adjective_cuts, text.find, _CUT_WORD.search
            stop = find(".")
            while stop >= 0:
                match = search(text, stop - 32 if stop > 32 else 0, stop) if stop > 3 else None
                if match is not None:
                    stem = fold(match.group())
                    ident = cuts.get(stem)
                    if ident is not None:
                        entry = Entry("place", ident, (stem,), "demonym", 0)
                        found.append(_Hit(number, block, match.start(), stop + 1, text[match.start():stop + 1], entry))
                stop = find(".", stop + 1)
        return found

    def _match(self, text: str, caps: list[re.Match[str]], lexes: list[Lex | None], i: int, number: int,
               block: int) -> tuple[_Hit | None, int]:
        lex = lexes[i]
        assert lex is not None
        count = len(caps)
        cap = caps[i]
        if lex.title and i + 1 < count:
            gap = text[cap.end():caps[i + 1].start()]
            # A title's full stop is an abbreviation's ("Hr. Koller"); a word's, a sentence's end.
            if GAP.match(gap) and ("." not in gap or (len(lex.word) <= 4 and lex.word not in WORD_TITLES)):
                titled = self._titled(text, caps, lexes, i, number, block)
                if titled is not None:
                    return titled
        if lex.head and i + 1 < count:
            following = lexes[i + 1]
            # Every longer form has a second word the table lists: without it, none can match.
            if following is not None and following.word in self.table.seconds[lex.word]:
                phrases = self.table.phrases
                lengths = self.table.lengths[lex.word]
                words = [lex.word]
                for following in lexes[i + 1:i + lengths[0]]:
                    if following is None:
                        break
                    words.append(following.word)
                for n in lengths:
                    if n > len(words):
                        continue
                    entries = phrases.get(tuple(words[:n]))
                    if entries and all(GAP.match(text[caps[k].end():caps[k + 1].start()]) for k in range(i, i + n - 1)):
                        hit = self._hit(text, cap.start(), caps[i + n - 1].end(), entries[0], number, block)
                        hit.persons = _persons(entries) if len(entries) > 1 else ()
                        return hit, n
        if lex.entries:
            start = cap.start()
            if not lex.cover:
                hit = self._hit(text, start, cap.end(), lex.entries[0], number, block)
                if lex.entries[0].source == 2 and not hit.at and len(lex.entries) > 1:
                    surname = next((e for e in lex.entries if e.kind == "surname"), None)
                    if surname is not None and self._writes_letters(surname.target):
                        # "Henderson said": a correspondent of the archive, not the town in
                        # Nevada ("in Henderson" is the town).
                        return self._hit(text, start, cap.end(), surname, number, block), 1
                if len(lex.entries) > 1 and lex.entries[-1].how == "demonym" and lex.entries[0].kind == "surname" and (
                        hit.determiner or hit.marked or hit.attributed or hit.counted or
                        self._capital_nouns and self._before_noun(text, caps, i)):
                    # "die Zürcher", "der Basler Zeitung", "einige Berner": a place's people, not
                    # the person of that surname ("Herr Zürcher", "Zürcher schreibt").
                    hit = self._hit(text, start, cap.end(), lex.entries[-1], number, block)
                return hit, 1
            rest = cap.group()[lex.cover:]
            if rest[:1].islower() and not self._capital_nouns and not PLACE_ENDINGS.fullmatch(rest):
                return None, 1  # "Maintenant": only German joins a name and a noun in one word ("Gotthardbahn")
            hit = self._hit(text, start, start + lex.cover, lex.entries[0], number, block)
            hit.rest = rest
            return hit, 1
        return None, 1

    def _titled(self, text: str, caps: list[re.Match[str]], lexes: list[Lex | None], i: int, number: int,
                block: int) -> tuple[_Hit, int] | None:
        """Give the hit of a name after a title ("Mr Byrnes", "Herrn Oberstl. Ginsberg",
        "Sir George Sansom", "Hr. Oberbaurath Bekh"), known or not; None when what follows is an
        office, a noun or a place."""
        table = self.table
        j = i + 1
        while j + 1 < len(caps) and TITLE_GAP.match(text[caps[j].end():caps[j + 1].start()]) and \
                self._title_like(text, caps, lexes, j):
            j += 1
        if not TITLE_GAP.match(text[caps[j - 1].end():caps[j].start()]):
            return None
        last = self._name_end(text, caps, lexes, j)
        if self._body_follows(text, caps, last):
            # And the same words alone after a title name the body too ("General Electric shares").
            self._bodies_after_title.update(caps[k].group() for k in range(j, last + 1))
            return None
        words = [caps[k].group() for k in range(j, last + 1)]
        lex, end = lexes[last], caps[last].end()
        head, dash, tail = words[-1].rpartition("-")
        if dash and head and fold(tail) in DOCUMENT_WORDS:
            # "Mr Bruce-Annexure 'B'": a dash typed as a hyphen, then a part of the document.
            words[-1], lex, end = head, table.lexicon[head], end - len(tail) - 1
        elif words[-1][-2:] in ("'s", "’s") and len(words[-1]) > 4:
            # "Herr Hitler's speech": the name without its possessive.
            words[-1] = words[-1][:-2]
            lex, end = table.lexicon[words[-1]], end - 2
        if any(is_role_word(w) or _office_plural(w) or not_name(fold(w).rstrip(".")) or table.is_office(fold(w))
               for w in words) or \
                self._is_place_word(lex) and not self._person_town(text, caps, lex, j, last) or \
                len(words[-1].rstrip(".")) < 3 or words[-1].isupper():
            return None
        start = caps[j].start()
        written = text[start:end]
        # The name as the table knows it, whole or by its surname (inflected, spelled the old way).
        entry: Entry | None = None
        tokens = tuple(map(fold, words))
        persons: tuple[str, ...] = ()
        if len(tokens) > 1:
            entry = next((e for e in table.phrases.get(tokens, ()) if e.kind == "person"), None)
            persons = _persons(table.phrases.get(tokens, []))
        surname: str | None = None
        if lex is not None:
            surname = next((e.target for e in lex.entries if e.kind == "surname" and not lex.cover), None)
            if surname is None and len(tokens) == 1 and lex.entries and lex.entries[0].kind == "person":
                entry = lex.entries[0]
        if surname is None and entry is None:
            # Spelled the old way or with its particle apart ("Näf" for Naeff, "Du Coster" for Ducoster).
            for form in (tokens[-1], "".join(tokens)):
                found = table.single.get(form) or table.loose.get(loose(form)) or []
                surname = next((e.target for e in found if e.kind == "surname"), None)
                if surname:
                    break
            if surname is None and len(tokens) == 1 and not office_word(tokens[0]) and not table.is_office(tokens[0]):
                surname = self._one_letter_off(tokens[0])  # "Stehelin" for Stehlin, "Wägelin" for Wegelin
        if surname is None and entry is None:
            after = text[end:end + 3]
            if after[:1] == "." and after[2:3].islower():
                return None  # "Hr. Präs. hat": an abbreviated office, not a name
            if office_word(tokens[-1]):
                return None  # "Hr. Statthalter", "die Herren Ständeräthe": an office no register names
            self._watch.add(words[-1])
            surname = name_key(written).surname
            self._titled_unknown[surname] += 1
        if surname is None:
            surname = name_key(written).surname
        title = fold(caps[i].group().rstrip("."))
        # "Sir Charles", "Admiral Sir Charles": one word after Sir or Dame is a given name.
        knighted = fold(caps[j - 1].group().rstrip(".")) in GIVEN_NAME_TITLES
        given = len(words) == 1 and knighted
        if knighted and len(tokens[0].rstrip(".")) > 2:
            self._knights.add(tokens[0])  # "Sir Edward Harding": Edward is a given name
        lower = seen_lower(text, words[-1])
        if entry is None and len(words) == 1 and (
                lower or any(seen_lower(other, words[0]) for other in self._blocks if other is not text)):
            self._lower_after_title.add(words[0])
        hit = _Hit(number, block, start, end, written, entry, surname=surname, title=title,
                   lower=lower, persons=persons, given=given)
        return hit, last - i + 1

    def _title_like(self, text: str, caps: list[re.Match[str]], lexes: list[Lex | None], j: int) -> bool:
        """Tell whether word ``j`` after a title is a further title or office ("Herrn Oberst",
        "Hr. Statth. Müller", "H. Prf. Flegler", "Herrn Seminar Direktor Zollinger")."""
        lex = lexes[j]
        if lex is not None and lex.title:
            return True
        word = caps[j].group()
        folded = fold(word)
        if not_name(folded) or (folded in OFFICES and len(folded) >= 4 and not (
                lex is not None and any(e.kind == "surname" for e in lex.entries))):
            return True  # "Herrn Statthalter Abegg", "Hr. Notar Dietrich" (but "Hr. Meister" is a name)
        # An abbreviation that no name table knows, before another capitalised word; not a name
        # whose full stop ends the sentence, before a title or a sentence's first word ("Lord
        # Cecil. Mr Campbell", "Mr Dunk. He").
        if lex is None and len(word) <= 6 and text[caps[j].end():caps[j].end() + 1] == ".":
            following = fold(caps[j + 1].group().rstrip(".")) if j + 1 < len(caps) else ""
            return not (following in DETERMINERS or following in SENTENCE_STARTS or self.table.is_title(following))
        return False

    def _name_end(self, text: str, caps: list[re.Match[str]], lexes: list[Lex | None], j: int) -> int:
        """Give the index of the last word of a name that starts at word ``j`` after a title: a
        form the table knows, else given names and initials up to the surname ("Salomon
        Vögeli", "J. J. Rüttimann"), never a noun after a name ("Köllikers Berichte")."""
        lex = lexes[j]
        if lex is not None and lex.head:
            for n in self.table.lengths[lex.word]:
                if j + n <= len(caps):
                    tokens = tuple(fold(caps[k].group()) for k in range(j, j + n))
                    if tokens in self.table.phrases and all(
                            GAP.match(text[caps[k].end():caps[k + 1].start()]) for k in range(j, j + n - 1)):
                        return j + n - 1
        last = j
        # "Sir Hugh Denison": the word after Sir or Dame is a given name, whoever bears it.
        knighted = j > 0 and fold(caps[j - 1].group().rstrip(".")) in GIVEN_NAME_TITLES
        while last + 1 < len(caps) and last - j < 3:
            word = caps[last].group()
            gap = text[caps[last].end():caps[last + 1].start()]
            folded = fold(word)
            given = len(word.rstrip(".")) <= 2 or folded in self._given or folded in self._given_names or \
                (knighted and last == j) or (not self._capital_nouns and self._untold_given(text, caps, last))
            if not (given and name_gap(word, gap)):
                break
            nxt = caps[last + 1].group()
            lex = lexes[last + 1]
            if is_role_word(nxt) or is_name_suffix(nxt) or self._is_place_word(lex) and not self._gazetteer_town(lex) \
                    or self.table.is_title(fold(nxt)):
                break
            last += 1
        return last

    @staticmethod
    def _untold_given(text: str, caps: list[re.Match[str]], k: int) -> bool:
        """Tell whether word ``k`` of a name after a title is a given name no table knows, in a
        language that writes its nouns in lower case: a word, not an initial or capitals, with a
        further capitalised word of the name or an initial right after it ("Mr. Jawaharlal Nehru",
        "Mr Saml L. Clemens")."""
        word, following = caps[k].group(), caps[k + 1].group()
        initial = len(following) == 1 and text[caps[k + 1].end():caps[k + 1].end() + 1] == "."  # "Saml L. Clemens"
        return word.isalpha() and len(word) >= 3 and not word.isupper() and following[:1].isupper() and \
            (initial or not following.isupper()) and fold(following) not in SENTENCE_STARTS and \
            text[caps[k].end():caps[k + 1].start()] == " "

    @staticmethod
    def _body_follows(text: str, caps: list[re.Match[str]], k: int) -> bool:
        """Tell whether the capitalised words right after word ``k`` run on to a body's word, so
        that the words after the title are a body's name ("Commander Allied Land Forces",
        "General Electric Company", "General Securities Ltd."), not a person's."""
        for m in range(k + 1, min(k + 4, len(caps))):
            if text[caps[m - 1].end():caps[m].start()] != " ":
                return False
            if caps[m].group().lower().rstrip(".") in ORG_WORDS:
                return True
        return False

    def _one_letter_off(self, word: str) -> str | None:
        """Give the one register surname a long word after a title differs from by a letter
        more, less or another (a name the register spells otherwise); None for none or several."""
        if not 6 <= len(word) <= 40 or word in self._given_names or not_name(word):
            return None  # "Herr Albert", "Herr Kanzler": no surname misspelt (nor a run of letters)
        if self._off_by_one is None:
            self._off_by_one = defaultdict(set)
            for form, entries in self.table.single.items():
                if len(form) >= 5 and any(e.kind == "surname" and e.source == 0 for e in entries):
                    for variant in _deletions(form):
                        self._off_by_one[variant].add(form)
        near = {form for variant in _deletions(word) for form in self._off_by_one.get(variant, ())
                if _one_edit(word, form)}
        if len(near) != 1:
            return None
        return next((e.target for e in self.table.single[near.pop()] if e.kind == "surname"), None)

    @staticmethod
    def _before_noun(text: str, caps: list[re.Match[str]], i: int) -> bool:
        """Tell whether word ``i`` stands before a capitalised word, one space apart, in German:
        an uninflected adjective before its noun ("Zürcher Freunde")."""
        return i + 1 < len(caps) and caps[i].end() + 1 == caps[i + 1].start() and text[caps[i].end()] == " "

    @staticmethod
    def _is_place_word(lex: Lex | None) -> bool:
        return lex is not None and not lex.cover and bool(lex.entries) and \
            any(e.kind == "place" and e.follow == 0 for e in lex.entries) and \
            not any(e.kind == "surname" for e in lex.entries)

    def _person_town(self, text: str, caps: list[re.Match[str]], lex: Lex | None, j: int, last: int) -> bool:
        """Tell whether a gazetteer town's name ending a name after a title is a person's: after a
        personal title ("Lord Halifax"); not after an office, where it is the body's seat
        ("Regierungsrath Zürich": the government of Zürich), nor after a particle, where it says
        where one comes from ("Herr Escher von Zürich")."""
        return self._gazetteer_town(lex) and not self.table.is_office(fold(caps[j - 1].group().rstrip("."))) \
            and not text[caps[last - 1].end():caps[last].start()].strip(" .")

    def _gazetteer_town(self, lex: Lex | None) -> bool:
        """Tell whether the places a word names are all gazetteer towns: after a title it is a
        person's name ("Lord Halifax", "Field Marshal Montgomery", "General MacArthur")."""
        return lex is not None and all(e.target in self._gazetteer_towns for e in lex.entries if e.kind == "place")

    def _hit(self, text: str, start: int, end: int, entry: Entry, number: int, block: int) -> _Hit:
        before = text[start - 14 if start > 14 else 0:start]
        # The word just before: an article, a preposition of place, a number.
        stripped = before.rstrip()
        word = stripped.rsplit(None, 1)[-1] if stripped and len(stripped) < len(before) else ""
        last = word.lower()
        article = last in DETERMINERS and (self._articles_a or last not in ("a", "an"))
        # "dem besten Willen", "mit gutem Willen": an inflected adjective after an article or a preposition.
        attributed = self._capital_nouns and last.endswith(INFLECTED) and len(word) > 3 and word.isalpha() and \
            word.islower() and last not in NOT_ATTRIBUTES and \
            _word_before(text, start, len(before) - len(stripped) + len(word)) in ATTRIBUTE_BEFORE
        written = text[start:end]
        kind = entry.kind
        if kind != "place" and text[end:end + 1] == "-" and text[end + 1:end + 2].isalpha():
            # "der Sillar-Konzession", "die Escher-Bahn": the article is the compound's, not the name's.
            article = attributed = False
            last = ""
        forename = word if kind == "surname" and self._forename(word) else ""
        # "Antonio Moro", and in English "de Valera", "von Papen": a surname, not the town.
        name_before = kind == "place" and entry.source == 2 and before[-2:-1] != " " and (
            self._name_before(word) or self._articles_a and word in ("de", "von", "van"))
        area: bool | None = None
        if kind == "place" and entry.source == 0:  # a register's town or area of one name
            after = text[end:end + 16].split(None, 1)
            following = after[0].strip(".,;:'’").lower() if after and text[end:end + 1].isspace() else ""
            word = last.rstrip(".")
            area = True if word in AREA_BEFORE or following in AREA_AFTER else \
                False if word in TOWN_BEFORE or last in LOCATIVES or _ROUTE_BEFORE.search(before) or \
                _ROUTE_AFTER.match(text, end) or self._bare_town and not article else None
        return _Hit(number, block, start, end, written, entry, area=area,
                    surname=entry.target if kind == "surname" else None,
                    determiner=article, preposition=last in LOCATIVES, at=last in _AT,
                    counted=last[:1].isdigit() or last in NUMBER_WORDS or last.endswith(NUMBER_ENDS),
                    marked=last in NOUN_MARKERS and (article or last not in DETERMINERS),
                    attributed=attributed, forename=forename, name_before=name_before,
                    initial=not stripped or stripped[-1] in ".!?:;«»\"\n" and not _SAINT.search(stripped),
                    lower=entry.follow == 0 and seen_lower(text, written))

    # ------------------------------------------------------------ resolving

    def find(self, letters: Sequence[Letter]) -> dict[str, list[Mention]]:
        """Give the mentions of every letter, by letter key, in the order the text names them."""
        # Millions of small objects and no cycles among them: the cyclic collector's passes over
        # the growing heap would cost more than the matching itself.
        with no_collections():
            return self._find(letters)

    def _find(self, letters: Sequence[Letter]) -> dict[str, list[Mention]]:
        # The texts are read once, a chunk of letters at a time, shared with helper processes
        # where the letters can be read there too: what resolving needs of them is kept as a layout.
        helpers = self.helpers if getattr(letters, "forkable", True) else 0
        known = set(self.table.lexicon)
        chunks = share(-(-len(letters) // SCAN_CHUNK), partial(self._scan_chunk, letters), helpers=helpers,
                       start=getattr(letters, "in_forked_process", None))
        scanned = [hits for chunk in chunks for hits in chunk.hits]
        layouts = [layout for chunk in chunks for layout in chunk.layouts]
        self._learnt(chunks)
        # Each chunk gives the words its process read first, which depends on how the chunks were
        # shared; their union, every capitalised word of the texts, does not.
        self._capitalised = known.union(*(chunk.added for chunk in chunks))
        del chunks  # their hits are let go letter by letter below, as each letter is resolved
        words = self._words(scanned)
        self._written_cuts = _adjective_cuts({h.entry.tokens[0]: h.entry.target for hits in scanned for h in hits
                                              if h.entry is not None and h.entry.how == "demonym"
                                              and h.written[:1].islower() and not h.written.endswith(".")})
        self._demonyms = {}  # what _demonym decided, for these words' uses
        self._full_names = Counter(self._surname_of(h.entry.target) for hits in scanned for h in hits
                                   if h.entry is not None and h.entry.kind == "person")
        contexts = [self._context(letter) for letter in letters]
        resolved: list[list[Mention]] = [[] for _ in letters]
        pending: list[tuple[int, _Hit]] = []
        evidence = Evidence()
        name_like, direct = self._name_like, self._direct
        for number, letter in enumerate(letters):
            # A letter's hits are let go once resolved (those left to decide are kept in ``pending``),
            # their room reused (100,000 letters: the run's peak 1,584 -> 1,517 MB).
            hits, scanned[number] = scanned[number], []
            # The persons named in full: not by a form several share ("J. Escher"), which settles nothing.
            full_in_letter = {self._surname_of(h.entry.target): h.entry.target for h in hits
                              if h.entry is not None and h.entry.kind == "person" and len(h.persons) < 2}
            seen: set[str] = set()
            knights: list[_Hit] = []
            for hit in hits:
                if not name_like(hit, words):
                    continue
                if hit.given:
                    knights.append(hit)  # "Sir Hugh": never a surname; the knight of the letter, if any
                    continue
                mention = direct(letter, hit, full_in_letter, contexts[number])
                if mention is not None:
                    resolved[number].append(mention)
                    if mention.kind == "person" and mention.id not in seen:
                        seen.add(mention.id)
                        evidence.add(mention.id, contexts[number])
                elif hit.surname or len(hit.persons) > 1:
                    pending.append((number, hit))
            for hit in knights:
                mention = self._knight(hit, resolved[number])
                if mention is not None:
                    resolved[number].append(mention)
            if seen:
                contexts[number].named = frozenset(seen)
                evidence.together(seen)
        for number, hit in pending:
            mention = self._in_archive(hit, contexts[number], evidence)
            if mention is not None:
                resolved[number].append(mention)
        result: dict[str, list[Mention]] = {}
        for number, letter in enumerate(letters):
            mentions = self._without_signature(layouts[number], resolved[number], contexts[number].writer)
            mentions.sort(key=_PLACE_IN_TEXT)
            if self.addressee_mentions:
                mentions.extend(self._addressed(letter, mentions, layouts[number].spoken_to))
            result[letter_key(letter)] = mentions
        return result

    def _scan_chunk(self, letters: Sequence[Letter], chunk: int) -> _Chunk:
        """Scan the letters of one chunk (``SCAN_CHUNK`` letters) from nothing another chunk
        taught: what it learns of the words after titles is given with its hits, to be added up
        (``_learnt``), so that the findings are the same whichever process scans which chunk."""
        self._watch, self._knights, self._lower_after_title, self._bodies_after_title = set(), set(), set(), set()
        self._read = []
        self._uses, self._nouns, self._titled_unknown = Counter(), Counter(), Counter()
        self.table.lexicon.added = []
        hits: list[list[_Hit]] = []
        layouts: list[_Layout] = []
        for number in range(chunk * SCAN_CHUNK, min(len(letters), (chunk + 1) * SCAN_CHUNK)):
            letter = letters[number]
            blocks = letter_text(letter)
            hits.append(self._scan(blocks, number, letter.language))
            layouts.append(self._layout(letter, blocks))
        self._count_watched()  # in every block of the chunk: before the word stood after a title as after
        return _Chunk(hits, layouts, self._uses, self._nouns, self._titled_unknown, self._knights,
                      self._lower_after_title, self._bodies_after_title, self.table.lexicon.added)

    def _learnt(self, chunks: list[_Chunk]) -> None:
        """Add up what the chunks learnt of the words after titles."""
        self._uses, self._nouns, self._titled_unknown = Counter(), Counter(), Counter()
        self._knights, self._lower_after_title, self._bodies_after_title = set(), set(), set()
        for chunk in chunks:
            self._uses.update(chunk.uses)
            self._nouns.update(chunk.nouns)
            self._titled_unknown.update(chunk.titled_unknown)
            self._knights |= chunk.knights
            self._lower_after_title |= chunk.lower_after_title
            self._bodies_after_title |= chunk.bodies_after_title

    def _context(self, letter: Letter) -> LetterContext:
        parties = self.people.party_refs(letter)
        writer = next((ref.id for position, ref in parties if position == "sender"), None)
        return LetterContext(frozenset(ref.id for _, ref in parties), writer, _letter_year(letter))

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
                use.titled += hit.title is not None
                use.marked += hit.marked
                use.attributed += hit.attributed
                use.preposition += hit.preposition
                use.initial += hit.initial
                use.at += hit.at
        return words

    def _name_like(self, hit: _Hit, words: dict[str, _WordUse]) -> bool:
        """Tell whether a one-word hit is used as a name here: a word that this archive's
        letters also write in lower case ("Seine"/"seine"), after an article ("der Zweifel",
        "den Boden"), after a number ("1000 Franken"), or often and never with a title or a
        given name, is a word of the language that happens to be a name too."""
        entry = hit.entry
        if hit.rest and not self._compound_rest(hit):
            return False  # "Andenken", "Orientirung", "Wesentliches": a word that starts like a place
        if entry is not None and entry.how == "demonym" and not hit.written[:1].isupper():
            if hit.written.endswith("."):
                # "die franz. Regierung": the cut of an adjective the letters write in full too,
                # not "thun.", "mich.", "sein." (no letter writes "michiganisch", "seineisch").
                return self._written_cuts.get(entry.tokens[0]) == entry.target
            return True  # "die italienischen Bahnen": an adjective made of a place's name
        if entry is not None and entry.how in ("demonym", "variant") and entry.follow == 0 and (
                hit.initial or hit.lower or (entry.how == "variant" and (hit.determiner or hit.marked)
                                             and not self._is_area(entry))):
            return False  # "Leider," "den Willen": a word of the language, not a name spelled otherwise
            # (but "der Gotthardt", "le Gothard": a pass, a country, a canton take an article)
        if hit.title is not None:
            return entry is not None or self._unknown_name_like(hit)
        if entry is not None and entry.how == "demonym" and entry.follow == 0 and entry.source == 0 and \
                self._demonym(hit.written, entry.target, words):
            # "die Berner", "alten Zürcher", "die Basler Zeitung": a place's people are a noun by
            # nature, and its demonym stands before nouns.
            return True
        if entry is not None and (entry.follow > 0 or entry.kind in ("person", "organisation")):
            return True
        if hit.marked and not hit.determiner and entry is not None and entry.kind == "surname":
            return False  # "ihren Kern", "meinen Keller": a noun (after an article, see below)
        use = words.get(hit.word)
        if use is None or hit.counted:
            return False
        if entry is not None and entry.source == 2 and entry.alias and (
                use.initial >= max(2.0, 0.5 * use.total) or use.total >= 5 and not use.at):
            # "Dabei", "Landen": a word that opens sentences, not another name of Dubai, London;
            # "Molotov" (of Perm), written five times or more and never "in" or "at" it: a name.
            return False
        if use.counted >= max(3.0, 0.25 * use.total) and entry is not None and entry.kind == "place":
            return False  # "18 Mill. Franken", "hunderttausende von Franken": a currency, not Franconia
        if entry is not None and entry.how == "variant" and use.marked + use.attributed >= max(3.0, 0.2 * use.total) \
                and not self._is_area(entry):
            return False  # "dem besten Willen", "das innerste Wesen": a noun that reads like a name spelled otherwise
        if hit.attributed and entry is not None and entry.kind == "surname" and entry.how != "adjective" and \
                use.marked >= max(2.0, 0.05 * use.total):
            return False  # "einen gesunden Kern", "hochverehrter Gönner": a surname the letters write as a noun too
        if use.lower >= 2 and use.lower >= 0.2 * use.total:
            return False
        if entry is not None and entry.kind == "place" and entry.source != 2 and (
                not entry.alias or entry.how == "place" and " ".join(entry.tokens) in self.places.lent_country_names):
            record = self.places.records.get(entry.target)
            if record is not None and record.kind in _AREA_KINDS:
                return True  # a country, canton, pass or lake takes an article ("die Schweiz")
        if entry is not None and entry.how == "adjective":
            return not (use.lower >= 2 and use.lower >= 0.2 * use.total)  # "die Escher'sche Bahn"
        noun_here = hit.determiner or hit.marked and not hit.preposition  # not "zum Belvoir"
        if noun_here and not (entry is not None and entry.kind == "surname"):
            return False  # "der Zweifel", "den Boden", "eine Rolle", "meinem Leiden": a noun
        nouns = max(use.determiner, use.marked + use.attributed)  # "der X", "meinem X", "ein entzündliches X"
        if nouns >= 3 and nouns >= 0.15 * use.total and not (
                entry is not None and entry.kind == "place" and entry.source == 0 and use.preposition > nouns):
            return False  # a noun, unless a register place and more often "in X" than "der X"
        if entry is not None and entry.kind == "surname":
            if use.total >= 15 and use.titled + self._full_names.get(hit.surname or "", 0) < 0.02 * use.total and \
                    use.determiner + use.marked + use.lower > 0.05 * use.total and \
                    not (use.lower == 0 and self._writes_letters(hit.surname or "")):
                return False  # written often, and never as "Herr X" or with a given name: a word
            if use.marked >= max(2.0, 0.2 * use.total):
                return False  # "der Kaiser", "meinen Keller": a noun that is a surname too
            if self._given.get(hit.word, 0) > len(self.surnames.get(hit.surname or "", ())):
                return False  # "Ernst", "Ludwig": a given name more often than a surname
        return True

    def _demonym(self, written: str, target: str, words: dict[str, _WordUse]) -> bool:
        """Tell whether a word made like a place's demonym is one, however it is used: not when
        it is a person's or organisation's name too, is written in lower case too, is written
        more often than the place's name, and more than twice ("Wasser" of Wassen, "Minder" of
        Minden: a word of the language), or the place's name is itself a noun the letters use
        ("Wälder" of the village Wald). A surname too ("Zürcher") is a demonym only where the
        words before or after it say so (``_match``)."""
        key = (written, target)
        known = self._demonyms.get(key)
        if known is None:
            lex = self.table.lexicon.get(written)
            use = words.get(fold(written))
            record = self.places.get(target)
            names = [words.get(fold(f)) for f in (record.forms if record is not None else ()) if " " not in f]
            named = sum(u.total for u in names if u is not None)
            nouns = max((max(u.determiner, u.marked + u.attributed) for u in names if u is not None), default=0)
            known = not (lex is not None and any(e.kind not in ("place", "surname") for e in lex.entries)) and \
                (use is None or not (use.lower >= 2 and use.lower >= 0.2 * use.total)) and \
                (use is None or use.total <= max(named, 2)) and \
                not (record is not None and record.kind not in _AREA_KINDS and nouns >= 3 and nouns >= 0.15 * named)
            self._demonyms[key] = known
        return known

    def _compound_rest(self, hit: _Hit) -> bool:
        """Tell whether what follows a place's name inside a word makes a compound of it: a word
        the archive writes on its own ("Gotthard|bahn", "Alpen|bahnfrage"), also with the name's
        last letter ("Gotthards|ubvention": "Subvention"), or an adjective's ending
        ("Italien|ische"); not the rest of another word ("Anden|ken", "Orient|irung", "Para|graph")."""
        rest = hit.rest
        if not rest[:1].islower():
            return True  # "Gotthard-Bahn", "GotthardtBahn"
        key = (hit.written[-1:], rest)
        found = self._rests.get(key)
        if found is None:
            capitalised = self._capitalised
            # A word of three letters only when it is all the rest ("Splügen|paß"), not a start ("Main|tenant").
            found = bool(PLACE_ENDINGS.fullmatch(rest)) or any(
                word[:1].upper() + word[1:n] in capitalised and word[:n] not in SENTENCE_STARTS
                for word in (rest, hit.written[-1:] + rest) for n in range(len(word), 3, -1)) or \
                len(rest) == 3 and rest.capitalize() in capitalised
            self._rests[key] = found
        return found

    def _writes_letters(self, surname: str) -> bool:
        """Tell whether a bearer of a surname writes or receives letters of the archive: "der Sinz"
        of Escher's friends is the correspondent Sinz, not a noun (where the letters never write the
        word in lower case: "an officer" is no F. K. Officer)."""
        return any(person is not None and person.letters >= 3
                   for person in map(self.people.persons.get, self.surnames.get(surname, ())))

    def _is_area(self, entry: Entry) -> bool:
        """Tell whether an entry names a register's country, canton, pass or lake (which take an article)."""
        if entry.kind != "place" or entry.source != 0:
            return False
        record = self.places.records.get(entry.target)
        return record is not None and record.kind in _AREA_KINDS

    def _unknown_name_like(self, hit: _Hit) -> bool:
        """Tell whether words after a title are a name the table does not know, rather than a
        noun of the language ("Herrn Collegen", "Hr. Direction")."""
        if hit.surname and hit.surname in self.surnames:
            return True
        last = hit.written.split()[-1].rstrip(".")
        word = fold(last)
        nouns = self._nouns.get(last, 0)
        # "General Electric", not "Sir Josiah Stamp": a word, or a body's name, alone after a title.
        alone = " " not in hit.written.strip() and (last in self._lower_after_title or last in self._bodies_after_title)
        return not (hit.lower or alone or word.endswith(NOUN_ENDINGS) or word in COMMON_WORDS
                    or nouns >= max(2.0, 0.1 * self._uses.get(last, 0)))

    def _surname_of(self, person_id: str) -> str:
        person = self.people.persons.get(person_id)
        return person.key.surname if person is not None and person.key is not None else ""

    def _mention(self, hit: _Hit, kind: Literal["person", "organisation", "place"], ident: str, name: str,
                 how: How, confidence: float, reason: str) -> Mention:
        return Mention(kind, ident, name, hit.written, hit.block, hit.start, hit.end, how, confidence, reason)

    def _direct(self, letter: Letter, hit: _Hit, full_in_letter: dict[str, str],
                context: LetterContext) -> Mention | None:
        """Give the mention a hit makes by itself: a full name, a place, a surname only one
        person of the archive bears or that a fuller form in the same letter settles."""
        entry = hit.entry
        if len(hit.persons) > 1:
            return None  # a full form several persons share ("J. Escher"): weighed with the rest
        if entry is not None and entry.kind in ("person", "organisation"):
            person = self.people.persons.get(entry.target)
            if person is None or person.id in context.parties:
                return None
            return self._mention(hit, entry.kind, person.id, person.name, "name", 0.95, "the full name")
        if entry is not None and entry.kind == "place":
            return self._place(hit, entry)
        surname = hit.surname
        if not surname:
            return None
        given = self._given_of(hit)
        if surname in full_in_letter and full_in_letter[surname] not in context.parties and \
                self._may_be(full_in_letter[surname], given):
            person = self.people.persons[full_in_letter[surname]]
            return self._mention(hit, "person", person.id, person.name, "title" if hit.title else "surname", 0.9,
                                 "the letter names the person in full")
        candidates = self._bearers(surname, given)
        if not candidates and surname in self.surnames and any(_INITIAL.fullmatch(w) for w in hit.written.split()):
            return None  # "Mr R. Campbell" is not Janet Campbell; an initial alone makes no person
        given_alone = hit.given or hit.word in self._given_names or \
            (hit.word in self._knights and hit.title not in PEER_TITLES)  # "Dr. Hugh", not "Lord Cecil"
        if not candidates and hit.title and not given_alone and (
                self._titled_unknown[surname] >= 2 or hit.title in PERSONAL_TITLES):
            # A name after a title that no register or letter knows: a person of its own, when
            # the archive writes it so twice or more, or once after a title only persons bear
            # ("Mr Chandor"); once after an abbreviation or an office it is too often a noun. Not
            # a given name alone ("Sir John", "Sir Hugh": a knight is called by his given name).
            person = self._unknown.get(hit.written)
            if person is None:
                person = self._unknown[hit.written] = self.people.add(hit.written,
                                                                      reason="named with a title in a letter")
                self.surnames[person.key.surname if person.key else surname][person.id] = 1.0
            return self._mention(hit, "person", person.id, person.name, "title", 0.8, "a name after a title")
        if len(candidates) == 1:
            ident, weight = next(iter(candidates.items()))
            if weight >= 1.0 and ident not in context.parties:
                person = self.people.persons[ident]
                how: How = "title" if hit.title else (entry.how if entry is not None else "surname")
                return self._mention(hit, "person", person.id, person.name, how,
                                     0.85 if how != "variant" else 0.6, "the only person of this name in the archive")
        return None

    def _bearers(self, surname: str, given: tuple[str, ...]) -> dict[str, float]:
        """Give the persons of the archive a surname may name (with their weights), less those
        whose given names contradict the ``given`` names written with it (``_given_of``: "Sir John
        Anderson" is not Alan Anderson)."""
        candidates = self.surnames.get(surname) or {}
        if not candidates or not given:
            return candidates
        return {ident: weight for ident, weight in candidates.items() if self._may_be(ident, given)}

    def _given_of(self, hit: _Hit) -> tuple[str, ...]:
        """Give the given names a hit after a title writes before its surname ("John" of "Sir John
        Anderson", "R." of "Mr R. Campbell"); none when a word may be something else: an office's
        abbreviation ("R.R. Jauch", "Pr. Schmid", "RR Bollier"), a particle ("Peyer im Hof"), a surname of a
        double name ("Feer Herzog", "Escher Bodmer")."""
        if hit.title is None:  # "Ludw. Meier" is no Heinrich Eduard Meier
            return name_key(f"{hit.forename} {hit.written}").given[:1] if hit.forename else ()
        if " " not in hit.written.strip():
            return ()
        *given, last = hit.written.split()
        if any(not _INITIAL.fullmatch(w) and (len(w) < 3 or not w.isalpha() or not w[0].isupper()
                                              or self._surname_not_given(fold(w))) for w in given):
            return ()
        key = name_key(hit.written)
        return key.given if key.surname == hit.surname and fold(last) == key.surname else ()

    def _forename(self, word: str) -> bool:
        """Tell whether the word before a surname is a given name the archive's people bear, whole
        or cut short ("Ludw.", "Alfr.", "Ed."); not a title ("Dr.", "Hr."), an office, "St." (Sankt)
        or a noun that ends a sentence ("Lage. Meier")."""
        if not word[:1].isupper():
            return False
        folded = fold(word.rstrip("."))
        if self.table.is_title(folded) or not_name(folded) or folded in STOP or folded == "st":
            return False
        if word.endswith("."):
            return bool(_CUT_GIVEN.fullmatch(word)) and folded in self._given_starts
        return folded in self._given_names

    def _name_before(self, word: str) -> bool:
        """Tell whether the word before a gazetteer town's name, one space apart, is a given
        name, which makes a person's name of the two ("Antonio Moro", "George Washington",
        "Charles Darwin"). (Any capitalised word no table knows would take "Ambassador
        Washington", "Domei Sydney" from telegrams' addresses.)"""
        if not word[:1].isupper() or not word.isalpha():
            return False
        folded = fold(word)
        return folded in GIVEN_NAMES or folded in self._given_names and folded not in STOP

    def _surname_not_given(self, word: str) -> bool:
        """Tell whether a folded word is a surname of the archive's people and not one of the
        given names they or knights are written with ("Feer" of "Feer Herzog", not "Geoffrey")."""
        return word in self.surnames and word not in self._given_names and word not in self._knights

    def _may_be(self, ident: str, given: tuple[str, ...]) -> bool:
        """Tell whether the given names written with a surname (``_given_of``) can be those of the
        person ``ident``: in order, or one name the person's first or a later one ("Baptist" of
        Johann Baptista, "Keith" of F. K. Officer), spelled alike ("Carl" and "Karl")."""
        person = self.people.persons.get(ident)
        if not given or person is None or person.key is None or not person.key.given:
            return True
        if given_compatible(person.key.given, given)[0]:
            return True
        return len(given) == 1 and any(given_compatible((theirs,), given)[0] or loose(theirs) == loose(given[0])
                                       for theirs in person.key.given)

    def _knight(self, hit: _Hit, mentions: list[Mention]) -> Mention | None:
        """Give the mention of a given name alone after Sir or Dame ("Sir Hugh makes no secret"):
        the one person the same letter names whose first given name it is ("Sir Hugh Denison")."""
        found: set[str] = set()
        for mention in mentions:
            person = self.people.persons.get(mention.id) if mention.kind == "person" else None
            if person is not None and person.key is not None and person.key.given and \
                    fold(person.key.given[0]) == hit.word:
                found.add(person.id)
        if len(found) != 1:
            return None
        person = self.people.persons[found.pop()]
        return self._mention(hit, "person", person.id, person.name, "title", 0.85,
                             "the knight the letter names in full")

    def _place(self, hit: _Hit, entry: Entry) -> Mention | None:
        record = self.places.get(entry.target)
        if record is None:
            return None
        if entry.source == 2 and record.kind == "city":
            if hit.determiner or hit.name_before:
                return None  # "das Essen", "the Reading": a word; "Antonio Moro": a person's name
            # A town's name the letters write after a title is a person's too ("Lord Halifax",
            # "Mr. Molotov"): the town only after "in", "at", "nach"; never by another of its names.
            titled = self._titled_unknown.get(fold(hit.written), 0) if " " not in hit.written else 0
            if titled and (entry.alias or titled >= 2 and not hit.at):
                return None
        confidence, reason = 0.9, "the place's name"
        if entry.source == 0:
            prefer = "area" if entry.how == "demonym" or hit.area else "town" if hit.area is False else "bare"
            record, confidence, reason = self._register_place(record, prefer)
        elif entry.source == 2:
            record, confidence, reason = self._gazetteer_place(record, hit.written)
        how: How = entry.how if entry.how in ("demonym", "variant") else "place"
        if how != "place":
            confidence -= 0.15
        return self._mention(hit, "place", record.id, record.name, how, confidence, reason)

    def _register_place(self, record: PlaceRecord, prefer: str) -> tuple[PlaceRecord, float, str]:
        """Give the register place a name means, how sure, and why. Of several register places
        of one name ("Zürich" the town and the canton), after "in", "nach", "at" or "Stadt" a
        letter speaks of the town (the one its register calls the town, "Zürich (Stadt)",
        "Basel-Stadt"); otherwise, after "Kanton" or before "Regierung", and by a demonym or an
        adjective ("die Zürcher Regierung", "die bernische Bahn"), of the canton, the country or
        the pass that bears the name; the name alone (``prefer`` "bare") is a canton's, a
        country's or a pass's, but the town's rather than a province's or a district's ("pour
        Florence": the town, not the province of Florence)."""
        key = (record.id, prefer)
        if key not in self._place_choice:
            found = list(dict.fromkeys([*self.places.candidates(record.name),
                                        *self._towns.get(fold(re.sub(r"\s*\(.*", "", record.name)), ())])) or [record]
            choice = (record, 0.9, "the place's name")
            if len(found) > 1:
                def rank(r: PlaceRecord) -> int:
                    area, town = r.kind in _AREA_KINDS, _is_town(r)
                    if prefer == "bare" and area and MINOR_AREA.search(r.note or ""):
                        return 3
                    return (0 if area else 1 if town else 2) if prefer != "town" else (0 if town else 2 if area else 1)
                best = min(found, key=rank)
                choice = (best, 0.65, f"1 of {len(found)} places so named, by the words before it")
            self._place_choice[key] = choice
        return self._place_choice[key]

    def _gazetteer_place(self, record: PlaceRecord, written: str) -> tuple[PlaceRecord, float, str]:
        """Give the gazetteer's place of a name: the most populous of those so named."""
        if written not in self._gazetteer_choice:
            records = self.places.gazetteer.lookup(written) if self.places.gazetteer else []
            if records and records[0].id != record.id:
                record = records[0]
            self._gazetteer_choice[written] = (record, 0.85, "the gazetteer's name") if len(records) <= 1 else \
                (record, 0.7, f"the gazetteer's most populous of {len(records)} so named")
        return self._gazetteer_choice[written]

    def _in_archive(self, hit: _Hit, context: LetterContext, evidence: Evidence) -> Mention | None:
        """Give the mention of a surname several persons bear, settled by weighing each; None
        when no one stands out."""
        surname = hit.surname or ""
        gender = "m" if hit.title in MALE_TITLES else "f" if hit.title in FEMALE_TITLES else None
        given = self._given_of(hit)
        key = (surname, given, hit.persons, context.parties, context.writer, context.year, gender, context.named)
        if key not in self._scores:
            candidates = dict.fromkeys(hit.persons, 1.0) if len(hit.persons) > 1 else self._bearers(surname, given)
            self._scores[key] = best_bearer(self.people, candidates, context, gender, evidence)
        best = self._scores[key]
        if best is None:
            return None
        margin, ident, _ = best
        person = self.people.persons[ident]
        count = len(self.surnames.get(surname) or ())
        return self._mention(hit, "person", person.id, person.name, "title" if hit.title else "surname",
                             0.75 if margin >= 1.5 else 0.6,
                             f"of {count} persons named {hit.written}, the one the writer, the correspondents "
                             "and the dates point to")

    def _layout(self, letter: Letter, blocks: list[str]) -> _Layout:
        """Give what resolving needs of a letter's texts: where a signature would stand, and the
        first words that speak to the addressee (looked for only when a person is addressed)."""
        tail = (len(blocks) - 1, len(blocks[-1]) - 80) if blocks else None
        spoken_to: _SpokenTo | None = None
        if self.addressee_mentions and any(agent.kind == "person" for agent in letter.recipients):
            for block, text in enumerate(blocks):
                match = SECOND_PERSON.search(text)
                if match is not None:
                    spoken_to = _SpokenTo(match.group(), block, match.start(), match.end())
                    break
        return _Layout(tail, spoken_to)

    @staticmethod
    def _without_signature(layout: _Layout, mentions: list[Mention], writer: str | None) -> list[Mention]:
        """Give the mentions without the writer's name where a signature stands: at the very end
        of the last block (a signature the reader left in the text)."""
        if writer is None or not mentions or layout.tail is None:
            return mentions
        last, tail = layout.tail
        return [m for m in mentions if not (m.id == writer and m.block == last and m.start >= tail)]

    def _addressed(self, letter: Letter, mentions: list[Mention], spoken_to: _SpokenTo | None) -> list[Mention]:
        """Give the addressees the body speaks to in the second person (``spoken_to``), not already named."""
        if spoken_to is None:
            return []
        named = {m.id for m in mentions}
        addressees: list[PersonRef] = []
        for agent in letter.recipients:
            ref = self.people.resolve(agent, letter) if agent.kind == "person" else None
            if ref is not None and ref.id not in named:
                named.add(ref.id)
                addressees.append(ref)
        reason = "the addressee, spoken to in the second person"
        return [Mention("person", ref.id, ref.name, spoken_to.written, spoken_to.block, spoken_to.start,
                        spoken_to.end, "addressed", 0.8, reason) for ref in addressees]


class _Chunk(NamedTuple):
    """What scanning a chunk of letters gives: each letter's hits and layout, and what it learnt
    of the words after titles (see ``MentionFinder._scan_chunk``)."""

    hits: list[list[_Hit]]
    layouts: list[_Layout]
    uses: Counter[str]
    nouns: Counter[str]
    titled_unknown: Counter[str]
    knights: set[str]
    lower_after_title: set[str]
    bodies_after_title: set[str]
    added: list[str]  # the capitalised words first read in this chunk by the process that scanned it


class _SpokenTo(NamedTuple):
    """The first words of a letter that speak to the addressee ("your message", "Ihr Schreiben")."""

    written: str
    block: int
    start: int
    end: int


class _Layout(NamedTuple):
    """What resolving needs of a letter's texts, kept so that they are not read again: the last
    block and where a signature in it would start, and the words that speak to the addressee."""

    tail: tuple[int, int] | None
    spoken_to: _SpokenTo | None


def _cut_short(name: str) -> bool:
    """Tell whether a name has a word in lower case that is no particle: the name table, which
    keeps a name's capitalised words, would hold "Men" of "Men-t'ou-kou", "Union" of "Union soviétique"."""
    return any(word not in _NAME_PARTICLES and word[:2] not in ("d'", "d’", "l'", "l’")
               for word in _LETTERS.findall(CAP.sub(" ", name)))


def _adjective_cuts(adjectives: dict[str, str]) -> dict[str, str]:
    """Give the abbreviations of the places' adjectives, each the place of the one adjective it
    can cut short: "franz" of "französisch", "engl" of "englisch", "ostr" of "östreichisch"; of
    four letters or more, ending before the adjective's "isch", and none two places' adjectives share."""
    cuts: dict[str, str | None] = {}
    for adjective, ident in adjectives.items():
        if " " in adjective or not adjective.endswith("isch"):
            continue
        for end in range(4, len(adjective) - 3):
            cut = adjective[:end]
            cuts[cut] = ident if cuts.get(cut, ident) == ident else None
    return {cut: ident for cut, ident in cuts.items() if ident is not None}


def _deletions(word: str) -> set[str]:
    """Give the word and the words it makes with one letter left out."""
    return {word, *(word[:i] + word[i + 1:] for i in range(len(word)))}


def _one_edit(a: str, b: str) -> bool:
    """Tell whether two different words differ by one letter more, less or another."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def _word_before(text: str, start: int, skip: int) -> str:
    """Give the word before the one that ends ``skip`` characters before ``start``, in lower case."""
    before = text[max(0, start - skip - 24):start - skip].split()
    return before[-1].lower() if before and (len(before) > 1 or start - skip <= 24) else ""


def _office_plural(word: str) -> bool:
    """Tell whether a word is the plural of an office ("Honourable Members", "Private Secretaries")."""
    low = word.lower()
    return (low.endswith("ies") and low[:-3] + "y" in ROLE_WORDS) or (
        low.endswith("s") and len(low) > 4 and low[:-1] in ROLE_WORDS)  # not "Sir Joseph Banks"


def _is_town(record: PlaceRecord) -> bool:
    """Tell whether a register says a place is the town of its name ("Zürich (Stadt)", "Basel-Stadt")."""
    return bool(TOWN_WORD.search(record.note or "") or TOWN_PART.match(record.name))


def _persons(entries: list[Entry]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(e.target for e in entries if e.kind == "person"))


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

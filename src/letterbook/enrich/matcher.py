"""The name table of an archive and the scan of a text against it: which capitalised words, or
runs of them, are names of the archive's persons, organisations and places.

Every form is derived from the registers and the letters by general rules of the languages
letters are written in, never listed by hand:

- full names as the registers and the letters write them, each given name with the surname
  ("Emil Welti" of "Friedrich Emil Welti"), initials ("J. Stehlin", "J. J. Stehlin");
- the surname alone, with and without its particle ("v. Gonzenbach", "Gonzenbach"), the first
  part of an alliance or compound surname ("Hirzel" of "Hirzel-Lampe", "Peyer" of "Peyer im Hof");
- inflected forms: the genitive ("Eschers", "Escher's", "Bismarcks"), the German adjective of a
  name ("die Rohmersche Schrift", "Wetli'sche Bahn"), a demonym of a place ("Berner",
  "Basler", "Zürcher", "St. Galler");
- older spellings read by their sound ("Bekh" for Beckh, "Zwicki" for Zwicky, "Gothard" for
  Gotthard), for forms of five letters and more;
- a place as the first part of a German compound ("Gotthardbahn", "Alpenbahnfrage").

Each distinct word is classified once per archive (the lexicon is a cache), so that a text is
scanned with one regular expression pass and one dictionary look-up per capitalised word.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Literal

from .forms import PARTICLES, fold

__all__ = ["CAP", "Entry", "Lex", "NameTable", "loose", "norm"]

How = Literal["name", "surname", "title", "variant", "addressed", "place", "demonym", "adjective", "forename"]
EntryKind = Literal["person", "organisation", "place", "surname"]

# A capitalised word, with the apostrophe of "O'Connor" or "Escher's" and the hyphen of
# "Feer-Herzog" or "Saint-Gothard" inside it; after an elided article or preposition too,
# "l'Italie", "d'Escher", "dell'Italia" (an apostrophe after a lower-case letter), not inside
# "O'Connor". The capital comes first and the characters before it are checked after it: the
# regular expression engine then skips to the next capital letter instead of trying the pattern
# at every position (twice as fast over a letter's text).
CAP = re.compile(r"[A-ZÀ-ÖØ-ÞĀ-Ž](?<!\w.)(?<![^a-zß-ÿ]['’].)[^\W_]*(?:['’][^\W\d_]+|-[A-ZÀ-ÖØ-ÞĀ-Ž][^\W_]*)*")
_NORM = re.compile(r"[\s.]+")
# What may stand between two words of one name: a space, the full stop of an initial, a hyphen,
# or particles ("Meyer von Knonau", "Peyer im Hof").
GAP = re.compile(r"^(?:\.?\s+|\.|\s*-\s*|\s+(?:(?:von|vom|van|de|der|den|du|des|di|da|del|della|le|la|zu|zur|ten|ter|"
                 r"im|am|y|of|and|for|the|on|und|für|et)\s+)+)$")
# The first word of a place's name that is a declined adjective ("Norddeutscher", "Deutsches").
_DECLINED = re.compile(r"(.{3,}(?:isch|sch|ig|lich|er))(?:e|en|er|es|em)")
# Endings of a name inflected as a word: the genitive, the German adjective made of a name.
_GENITIVE = ("s", "'s", "'")  # folded: "’" is "'"
_ADJECTIVE = tuple(f"{apo}sch{end}" for apo in ("", "'") for end in ("e", "en", "er", "es", "em"))
# A demonym of a place, with its declension: "Berner", "Bernern", "Basler", "Zürcher".
_DEMONYM_ENDS = ("er", "ern", "ers")


def norm(text: str) -> str:
    """Give a form folded, with its full stops and spaces made one space."""
    return _NORM.sub(" ", fold(text)).strip()


_DOUBLE = re.compile(r"(.)\1+")
_HARD_C = re.compile(r"c(?=[aou]|[^eiyh\W])")
# A word of two parts: "Gotthard-Bahn", "GotthardtBahn".
_PARTS = re.compile(r"^([A-ZÀ-ÖØ-Þ][^\W\d_]+?)(?:-|(?=[A-ZÀ-ÖØ-Þ][a-zß-ÿ]))")


@lru_cache(maxsize=500_000)
def loose(word: str) -> str:
    """Give a word's spelling key, for the spelling variants of older letters: "Göthe"/"Goethe",
    "Näff"/"Naeff", "Zwicki"/"Zwicky"/"Zwickj", "Bekh"/"Beckh", "Gotthardt"/"Gothard", "Graubündten"/"Graubünden",
    "Altorf"/"Altdorf", "Schmiedlin"/"Schmidlin", "Jaccini"/"Jacini", "Wädenschweil"/"Wädenswil" share one."""
    text = word.casefold()
    for a, b in (("ä", "a"), ("ae", "a"), ("ö", "o"), ("oe", "o"), ("ü", "u"), ("ue", "u")):
        if a in text:
            text = text.replace(a, b)
    text = fold(text)
    for a, b in (("y", "i"), ("ck", "k"), ("cc", "c"), ("q", "k"), ("dt", "d"), ("td", "t"), ("th", "t"), ("ph", "f"),
                 ("tz", "z"), ("ie", "i")):
        if a in text:
            text = text.replace(a, b)
    if "c" in text:
        text = _HARD_C.sub("k", text)
    text = _DOUBLE.sub(r"\1", text)
    # The Swiss places' "-wil", written "-weil", "-wyl", "-schwyl" ("Hinweil", "Rapperschwyl").
    if text.endswith("weil"):
        text = text[:-4] + "wil"
    if text.endswith("schwil"):
        text = text[:-6] + "swil"
    if text.endswith("j"):
        return text[:-1] + "i"  # "Weltj", "Grattonj": an older hand's final i
    return text[:-1] + "t" if text.endswith("d") else text


@dataclass(frozen=True)
class Entry:
    """A form of the name table: what it names (a person, organisation or place id, or a
    surname key that several persons may share), its folded words, how it is derived, and
    where the name came from (0 a register, 1 the archive's letters, 2 the gazetteer)."""

    kind: EntryKind
    target: str
    tokens: tuple[str, ...]
    how: How
    source: int
    alias: bool = False  # a name the gazetteer gave a register place ("Florence" for Florenz)

    @cached_property
    def follow(self) -> int:  # asked for hundreds of thousands of times a run: kept once computed
        return len(self.tokens) - 1


@dataclass(frozen=True)
class Lex:
    """What one capitalised word (as written) is to the name table: its folded form, the
    one-word entries it matches (with how much of the word they cover: a compound's first part),
    whether a longer form starts with it, and whether it is a title."""

    word: str
    entries: tuple[Entry, ...] = ()
    cover: int = 0  # characters of the word the entries cover (0: all)
    head: bool = False
    title: bool = False
    starts: bool = False  # the word alone can start a hit: a name or a title (else only a longer form)


class _Lexicon(dict[str, "Lex | None"]):
    def __init__(self, table: NameTable) -> None:
        super().__init__()
        self.table = table
        self.added: list[str] = []  # the words classified since the list was last emptied

    def __missing__(self, word: str) -> Lex | None:
        found = self.table.classify(word)
        self[word] = found
        self.added.append(word)
        return found


class NameTable:
    """The forms of an archive's names, looked up by their first word."""

    def __init__(self, titles: frozenset[str], offices: tuple[str, ...]) -> None:
        self.titles = titles
        self.offices = offices  # endings of German office words ("Oberbaurath", "Regierungspräsident")
        self.single: dict[str, list[Entry]] = defaultdict(list)  # one-word forms, folded
        self.phrases: dict[tuple[str, ...], list[Entry]] = defaultdict(list)
        self.lengths: dict[str, list[int]] = {}  # first word -> the numbers of words of forms starting with it
        self.inner: set[str] = set()  # words of longer forms after their first
        self.seconds: dict[str, set[str]] = defaultdict(set)  # first word -> the words after it
        self.inflected: dict[str, list[Entry]] = defaultdict(list)
        # Demonyms that are surnames too ("Zürcher", "Basler"): which one a use is, its words decide.
        self.surname_demonyms: dict[str, list[Entry]] = defaultdict(list)
        self.loose: dict[str, list[Entry]] = defaultdict(list)
        self.name_words: set[str] = set()  # given names and surnames: never split as compounds
        self._prefixes: set[str] = set()
        self._offices: dict[str, bool] = {}
        self._seen: set[tuple[str, str, str, str, int]] = set()
        self.lexicon = _Lexicon(self)

    # ------------------------------------------------------------ building

    def add(self, form: str, kind: EntryKind, target: str, how: How, source: int, *, alias: bool = False,
            min_length: int = 3, stop: frozenset[str] = frozenset(), variants: bool = True) -> Entry | None:
        """Add a form; give its entry, or None when the form is too short or a common word."""
        caps = CAP.findall(form)
        if not caps:
            return None
        if not variants:
            pass
        elif any("-" in c for c in caps) and len(caps) <= 3:
            # "Mont-Cenis" is written "Mont Cenis" too, and "Mont Cenis" "Mont-Cenis".
            split = " ".join(c.replace("-", " ") for c in caps)
            if split.count(" ") >= 1:
                self.add(split, kind, target, how, source, alias=alias, min_length=min_length, stop=stop,
                         variants=False)
        elif 2 <= len(caps) <= 3 and kind == "place" and " ".join(caps) == form.strip():
            self.add("-".join(caps), kind, target, how, source, alias=alias, min_length=min_length, stop=stop,
                     variants=False)
        tokens = tuple(fold(c) for c in caps)
        if len(tokens) == 1 and (len(tokens[0]) < min_length or tokens[0] in stop):
            return None
        entry = Entry(kind, target, tokens, how, source, alias)
        if len(tokens) == 1:
            bucket = self.single[tokens[0]]
        else:
            bucket = self.phrases[tokens]
        if entry not in bucket:
            bucket.append(entry)
        return entry

    def finish(self) -> None:
        """Derive the inflected and loosely spelled forms, once every form is in."""
        for bucket in (*self.single.values(), *self.phrases.values()):
            bucket.sort(key=lambda e: (e.kind == "surname", e.source, e.alias))
        for word, entries in list(self.single.items()):
            own = [e for e in entries if not e.alias and e.source < 2]
            if not own:
                continue
            endings: list[tuple[str, How | None]] = [(s, None) for s in _GENITIVE] + [(s, "adjective")
                                                                                     for s in _ADJECTIVE]
            for ending, how in endings:
                for entry in own:
                    self._inflect(word + ending, entry, how)
            for entry in own:
                if entry.kind == "place":
                    for stem in _demonym_stems(word):
                        for ending in _DEMONYM_ENDS:
                            self._inflect(stem + ending, entry, "demonym")
                            self._surname_demonym(stem + ending, entry)
                if len(word) >= 4:
                    key = loose(word)
                    seen = (key, entry.kind, entry.target, "variant", entry.source)
                    if seen not in self._seen:
                        self._seen.add(seen)
                        self.loose[key].append(Entry(entry.kind, entry.target, entry.tokens, "variant", entry.source))
                if entry.kind == "place" and entry.source == 0 and len(word) >= 4:
                    self._prefixes.add(word[:4])
        self._seen.clear()
        # A place of several words named with its last word inflected ("St. Galler", "des Mont Cenis'").
        for tokens, entries in list(self.phrases.items()):
            places = [e for e in entries if e.kind == "place" and not e.alias and e.source < 2]
            for entry in places:
                last = tokens[-1]
                for stem in _demonym_stems(last):
                    for ending in _DEMONYM_ENDS:
                        self._phrase_variant((*tokens[:-1], stem + ending), entry, "demonym")
                for ending in ("s",):
                    self._phrase_variant((*tokens[:-1], last + ending), entry, entry.how)
                # A name that starts with an adjective, declined: "des Norddeutschen Bundes", "dem Deutschen Reiche".
                first = _DECLINED.fullmatch(tokens[0])
                if first is not None and len(tokens) == 2:
                    for ending in ("e", "en", "er", "es", "em"):
                        for noun in (last, last + "s", last + "es", last + "e"):
                            self._phrase_variant((first.group(1) + ending, noun), entry, entry.how)
        lengths: dict[str, set[int]] = defaultdict(set)
        for tokens in self.phrases:
            lengths[tokens[0]].add(len(tokens))
            self.seconds[tokens[0]].add(tokens[1])
            self.inner.update(tokens[1:])
        self.lengths = {word: sorted(found, reverse=True) for word, found in lengths.items()}

    def _inflect(self, form: str, entry: Entry, how: How | None) -> None:
        if form in self.single:
            return  # a name in its own right ("Bernhard" is no inflection of Bern)
        seen = (form, entry.kind, entry.target, how or entry.how, entry.source)
        if seen not in self._seen:
            self._seen.add(seen)
            self.inflected[form].append(Entry(entry.kind, entry.target, (form,), how or entry.how, entry.source))

    def _surname_demonym(self, form: str, entry: Entry) -> None:
        """Keep a demonym that is also the surname of a register's person ("Zürcher", "Basler")
        beside the surname, where ``_inflect`` leaves it out for a name in its own right."""
        found = self.single.get(form)
        if found and all(e.kind == "surname" for e in found):
            bucket = self.surname_demonyms[form]
            if not any(e.target == entry.target for e in bucket):
                bucket.append(Entry(entry.kind, entry.target, (form,), "demonym", entry.source))

    def _phrase_variant(self, tokens: tuple[str, ...], entry: Entry, how: How) -> None:
        if tokens in self.phrases:
            return
        self.phrases[tokens].append(Entry(entry.kind, entry.target, tokens, how, entry.source))

    # ------------------------------------------------------------ classifying words

    def classify(self, written: str) -> Lex | None:
        """Give what a capitalised word is to the table; None for the many words that are no name."""
        word = fold(written)
        head = word in self.lengths
        title = word in self.titles or self.is_office(word)
        entries = self._known(word, loosely=len(word) >= 5)
        cover = 0
        if not entries:
            # "Gotthard-Bahn", "GotthardtBahn": the name of the first part.
            parts = _PARTS.match(written)
            if parts is not None:
                first = parts.group(1)
                entries = [e for e in self._known(fold(first), loosely=len(first) >= 5) if e.kind != "surname" or
                           "-" in written]
                cover = len(first) if entries else 0
        if not entries and len(word) >= 7 and word[:4] in self._prefixes and word not in self.name_words:
            entries, cover = self._compound(written)
        if not entries and not head and not title and word not in self.inner:
            return None
        if entries and not cover and word in self.surname_demonyms:
            entries = [*entries, *self.surname_demonyms[word]]  # the surname first: see ``MentionFinder._match``
        return Lex(word, tuple(entries or ()), cover, head, title, bool(entries) or title)

    def _known(self, word: str, *, loosely: bool) -> list[Entry]:
        """Give the one-word entries of a folded word: as written, inflected, or spelled alike."""
        found = self.single.get(word) or self.inflected.get(word)
        if not found and word[:1] == "c" and len(word) == 4:
            # A short name of a register or the letters with an older hand's C: "Cöln".
            found = [e for e in self.single.get("k" + word[1:], ()) if e.source < 2]
        if found or not loosely:
            return found or []
        return self.loose.get(loose(word)) or self._loose_inflected(word)

    def _loose_inflected(self, word: str) -> list[Entry]:
        for ending in ("s", "'s", "sche", "schen", "'sche", "'schen"):
            if word.endswith(ending) and len(word) - len(ending) >= 5:
                found = self.loose.get(loose(word[: -len(ending)]))
                if found:
                    return found
        return []

    def _compound(self, written: str) -> tuple[list[Entry], int]:
        """Give the register place a German compound starts with ("Gotthardbahn",
        "Gotthardtkommißion"), and how many characters it takes."""
        for cut in range(len(written) - 3, 3, -1):
            rest = written[cut:]
            if not rest.isalpha() or not rest.islower():
                continue
            part = fold(written[:cut])
            found = [e for e in self._known(part, loosely=cut >= 5)
                     if e.kind == "place" and e.source == 0 and not e.alias]
            if found:
                return found, cut
        return [], 0

    def is_office(self, word: str) -> bool:
        """Tell whether a folded word is a German compound naming an office ("Oberbaurath",
        "Regierungspräsident"); the bare word may be a surname too ("Meister", "Richter")."""
        found = self._offices.get(word)
        if found is None:
            found = self._offices[word] = self._office(word)
        return found

    def _office(self, word: str) -> bool:
        for ending in ("", "en", "n", "s", "in", "inn"):  # "Bundespräsidenten", "Regierungsräthin"
            if ending and not word.endswith(ending):
                continue
            stem = word[: len(word) - len(ending)]
            if stem.endswith(self.offices) and not any(len(stem) - len(o) < 3 for o in self.offices
                                                       if stem.endswith(o)):
                return True
        return False

    def is_title(self, word: str) -> bool:
        return word in self.titles or self.is_office(word)


def _demonym_stems(word: str) -> list[str]:
    """Give the stems a demonym of a place is made from: "bern" -> "bern" (Berner), "basel" ->
    "basl" (Basler), "zurich" -> "zur" (Zürcher), "st gallen" -> "gall" (Galler), "baden" ->
    "baden" (Badener), "dresden" -> "dresdn" (Dresdner), "glarus" -> "glarn" (Glarner), "uri" ->
    "urn" (Urner)."""
    stems = [word]
    if word.endswith("el"):
        stems.append(word[:-2] + "l")
    if word.endswith("en"):
        stems.append(word[:-2])
        stems.append(word[:-2] + "n")  # + "er": "dresdner", "unterwaldner"
    if word.endswith("us"):
        stems.append(word[:-2] + "n")  # "glarner"
    if word.endswith("i"):
        stems.append(word[:-1] + "n")  # "urner"
    if word.endswith("ich"):
        stems.append(word[:-3] + "ch")  # + "er": "zurcher"
    if word.endswith(("a", "e")):
        stems.append(word[:-1])
    return [s for s in stems if len(s) >= 4]


def particle_free(surname: str) -> str:
    """Give a surname without its lower-case particles ("von Gonzenbach" -> "Gonzenbach")."""
    return " ".join(w for w in surname.split() if w.lower() not in PARTICLES and w.lower() not in ("im", "am"))

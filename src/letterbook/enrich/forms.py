"""Name forms -> comparable keys: "Premier J. V. Stalin" and "Stalin, Joseph" give the surname key
``stalin`` and the given names (J, V) and (Joseph); "Escher (vom Glas) Alfred" and "von
Bleichröder" lose what only an index writes. The keys are what people, mentions and places
compare; the names themselves stay as written elsewhere.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ..parse.names import HONORIFICS, ORG_WORDS, ROLE_WORDS, is_organisation

__all__ = [
    "PARTICLES",
    "NameKey",
    "fold",
    "given_compatible",
    "is_initial",
    "is_name_suffix",
    "name_key",
    "skeleton",
    "slug",
]

# Lower-case words that belong to a surname: "von Bleichröder", "de Gaulle", "van Mater".
PARTICLES = {"von", "vom", "van", "de", "der", "den", "du", "des", "di", "da", "del", "della", "le", "la",
             "zu", "zur", "ten", "ter", "d'", "y", "af", "av", "dos", "das"}
# Words after a name that are not part of it: "Jr.", "II", "(senior)".
_SUFFIXES = {"jr", "jr.", "jun", "jun.", "junr", "junr.", "sen", "sen.", "senr", "senr.", "senior", "junior", "sr",
             "sr.", "ii", "iii", "iv", "fils", "père",
             "esq", "esq.", "kc", "k.c.", "mp", "m.p.", "bart", "bart.", "the", "elder", "younger"}
# Honorifics that parse/names does not list but letters use before names (German abbreviations).
_MORE_TITLES = {"herrn", "hrn", "hrn.", "hr", "hr.", "fr", "fr.", "oberst", "oberstl", "oberstl.", "pfr",
                "pfr.", "pfarrer", "bundesrat", "bundesrath", "regierungsrat", "regierungsrath", "landammann",
                "stadtpräsident", "nationalrat", "nationalrath", "ständerat", "ständerath", "ingenieur",
                "direktor", "director", "consul", "konsul", "mr", "mrs", "dr", "mm", "mm."}
# A single letter is an initial, never a title ("M. Akiyama", "Mr S. M. Bruce").
TITLES = {t.rstrip(".") for t in HONORIFICS | _MORE_TITLES if len(t.rstrip(".")) > 1}

_PAREN = re.compile(r"\s*[(\[][^)\]]*[)\]]\s*")
_WORD = re.compile(r"[^\W\d_]+(?:['’.-][^\W\d_]+)*\.?", re.UNICODE)
_FOLD_TABLE = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ı": "i",
                             "’": "'", "‘": "'", "ʼ": "'"})


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Give ``text`` case-folded and without accents: "Zürich" -> "zurich", "Straße" -> "strasse"."""
    text = text.casefold().translate(_FOLD_TABLE)
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_SKELETON_RULES = [(re.compile(p), r) for p, r in (
    (r"ae|ä", "a"), (r"oe|ö", "o"), (r"ue|ü", "u"), (r"y", "i"), (r"ck|c(?=[aou])|q", "k"), (r"dt|th", "t"),
    (r"ph", "f"), (r"tz", "z"), (r"(.)\1+", r"\1"))]


@lru_cache(maxsize=200_000)
def skeleton(word: str) -> str:
    """Give a loose spelling key of one word, for the spelling variants of older letters:
    "Göthe"/"Goethe", "Näff"/"Naeff", "Mommsen"/"Momsen", "Geigy"/"Geigi" share one."""
    text = word.casefold()
    for pattern, repl in _SKELETON_RULES[:3]:  # umlauts first: "ö" and "oe" are one letter
        text = pattern.sub(repl, text)
    text = fold(text)
    for pattern, repl in _SKELETON_RULES[3:]:
        text = pattern.sub(repl, text)
    return text


def slug(text: str) -> str:
    """Give an identifier-safe form of ``text``: "Escher (vom Glas) Alfred" -> "escher-vom-glas-alfred"."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "x"


def is_initial(word: str) -> bool:
    """Tell whether a given-name word is an initial ("J.", "J", "Ch.", "Wm.")."""
    bare = word.rstrip(".")
    return len(bare) == 1 or (word.endswith(".") and len(bare) <= 3)


#: Articles an organisation's name may be written with or without ("the Foreign Office").
_ARTICLES = frozenset("the der die das le la les".split())
_DEPARTMENT = re.compile(r"^(?:department|dept\.?|ministry) of (?=\w)")


@dataclass(frozen=True)
class NameKey:
    """What two forms of a person's name are compared by: the folded surname, the given names as
    written (initials or full), and whether the form is a person's name at all."""

    surname: str
    given: tuple[str, ...] = ()
    personal: bool = True  # False for offices and organisations: compared whole
    generation: str = ""  # "jr" or "sr", "ii", "iii": father and son are two persons

    @property
    def initials(self) -> tuple[str, ...]:
        return tuple(g[0] for g in self.given)

    @property
    def bare(self) -> bool:
        return not self.given

    def specificity(self) -> int:
        """Give how much the form says: full given names weigh more than initials, and the generation."""
        return sum(1 if is_initial(g) else 2 for g in self.given) + bool(self.generation)

    def same_generation(self, other: NameKey) -> bool:
        """Tell whether two forms may name one generation: not "Jr." and "Sr." (either may be unsaid)."""
        return not (self.generation and other.generation and self.generation != other.generation)

    def label(self) -> str:
        return " ".join([*self.given, self.surname])


def is_name_suffix(word: str) -> bool:
    """Tell whether a word after a name is a generation or an honour, no part of the name ("Jr.", "Esq")."""
    low = word.lower().strip(",.")
    return low in _SUFFIXES and low not in ("the", "elder", "younger")  # "Sir James Elder": a surname


def _strip_titles(words: list[str]) -> list[str]:
    while len(words) > 1 and words[0].lower().rstrip(".,") in TITLES:
        words = words[1:]
    while len(words) > 1 and words[-1].lower().strip(",") in _SUFFIXES:
        words = words[:-1]
    return words


@lru_cache(maxsize=100_000)
def name_key(name: str, kind: str = "person") -> NameKey:
    """Give the key of a name: "Premier J. V. Stalin" -> stalin (j., v.); "Escher, Alfred" (an
    index's inverted form) and "Alfred Escher (vom Glas)" -> escher (alfred). The surname key is the
    last word that is not a particle ("Gerold Meyer von Knonau" -> knonau, given gerold, meyer).

    Offices and organisations ("Department of External Affairs", "Prime Minister") are keyed whole."""
    text = _PAREN.sub(" ", name).strip(" ,;")
    if kind == "organisation" or (is_organisation(text) and "," not in text):
        words = text.split()
        if len(words) > 1 and words[0].lower() in _ARTICLES:  # "the Department of External Affairs"
            words = words[1:]
        key = " ".join(fold(w) for w in words)
        # A department is written with or without the word: telegrams go "to External Affairs".
        return NameKey(_DEPARTMENT.sub("", key) or key, (), False)
    generation = _generation(text)
    given_part = ""
    if "," in text:  # "Escher, Alfred": an index's inverted form
        text, given_part = (p.strip() for p in text.split(",", 1))
        if given_part.lower().rstrip(".") in _SUFFIXES or any(w.lower().rstrip(".") in ROLE_WORDS
                                                             for w in given_part.split()):
            given_part = ""  # "Smith, Jr." or "Bruce, High Commissioner": not given names
    words = _strip_titles([w for w in _WORD.findall(text)])
    if not words:
        return NameKey(fold(name.strip()) or "?", (), False)
    if all(w.lower().rstrip(".") in ROLE_WORDS or w.lower().rstrip(".") in TITLES or w.islower()
           for w in words):
        return NameKey(" ".join(fold(w) for w in words), (), False)  # "the Prime Minister": an office
    if given_part:
        given = [w for w in _WORD.findall(given_part)]
        surname_words = words
    else:
        # The surname is the last word with the particles before it; the rest are given names.
        cut = len(words) - 1
        while cut > 0 and words[cut - 1].lower() in PARTICLES:
            cut -= 1
        given, surname_words = words[:cut], words[cut:]
    core = [w for w in surname_words if w.lower() not in PARTICLES] or surname_words
    given = [g for g in given if g.lower() not in PARTICLES]
    return NameKey(fold(" ".join(core)).rstrip("."), tuple(fold(g) for g in given), generation=generation)


_GENERATIONS = {"jr": "jr", "jun": "jr", "junr": "jr", "junior": "jr", "fils": "jr", "sr": "sr", "sen": "sr",
                "senr": "sr", "senior": "sr", "pere": "sr", "ii": "ii", "iii": "iii", "iv": "iv"}


def _generation(name: str) -> str:
    """Give the generation a name's last word says ("Jr.", "Senior", "fils", "III"), folded."""
    words = name.replace(",", " ").split()
    return _GENERATIONS.get(fold(words[-1]).rstrip("."), "") if len(words) > 1 else ""


def given_compatible(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[bool, int]:
    """Give whether two lists of given names can name one person, and how many agree.

    "J. V." and "Joseph" agree (J = Joseph, the second is unknown); "R. G." and "R. C." do not;
    "Harry S." and "H." agree. An initial matches a name starting with it; two full names must
    be equal, or one the other's start ("Fred"/"Frederick") or contraction ("Saml"/"Samuel")."""
    agreed = 0
    for x, y in zip(a, b, strict=False):
        xi, yi = is_initial(x), is_initial(y)
        xs, ys = x.rstrip("."), y.rstrip(".")
        if xi or yi:
            if xs[0] != ys[0]:
                return False, agreed
            if xi and yi and len(xs) > 1 and len(ys) > 1 and xs != ys:
                return False, agreed
        elif not (xs == ys or (min(len(xs), len(ys)) >= 3 and (xs.startswith(ys) or ys.startswith(xs)))
                  or _contraction(xs, ys) or _contraction(ys, xs)):
            return False, agreed
        agreed += 1
    return True, agreed


def _contraction(short: str, full: str) -> bool:
    """Tell whether a given name is written as older hands contract it: its first and last
    letters and some between, two or more left out ("Saml" Samuel, "Chas" Charles, "Thos"
    Thomas, "Robt" Robert; not "Carl" for Carol)."""
    if not 2 <= len(short) <= len(full) - 2 or short[0] != full[0] or short[-1] != full[-1]:
        return False
    rest = iter(full[1:-1])
    return all(letter in rest for letter in short[1:-1])


def is_role_word(word: str) -> bool:
    """Tell whether a word names an office or a title rather than a person."""
    low = word.lower().rstrip(".")
    return low in ROLE_WORDS or low in TITLES or low in ORG_WORDS

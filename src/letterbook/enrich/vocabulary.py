"""The words of the languages letters are written in that tell a name from what is not one:
articles and prepositions before a name, titles and offices before a person's, the words
beside a place's name that say the town or the area is meant, the endings of nouns and
adjectives, and the pronouns that speak to the addressee. Small lists, read from the letters'
grammar, never from one archive.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .forms import TITLES, fold
from .matcher import loose

__all__ = [
    "ADJECTIVE_END",
    "AREA_AFTER",
    "AREA_BEFORE",
    "CAPITAL_NOUNS",
    "DETERMINERS",
    "DOCUMENT_WORDS",
    "FEMALE_TITLES",
    "GIVEN_NAMES",
    "GIVEN_NAME_TITLES",
    "LOCATIVES",
    "MALE_TITLES",
    "NAME_TITLES",
    "NOT_NAMES",
    "NOUN_ENDINGS",
    "NOUN_MARKERS",
    "NUMBER_WORDS",
    "OFFICES",
    "PERSONAL_TITLES",
    "QUALIFIED",
    "SECOND_PERSON",
    "STOP",
    "TITLE_GAP",
    "TOWN_BEFORE",
    "TOWN_PART",
    "TOWN_WORD",
    "WORD_TITLES",
    "name_gap",
    "not_name",
    "office_word",
    "IRREGULAR_DEMONYMS",
    "FRENCH_ADJECTIVES",
    "MINOR_AREA",
    "place_adjectives",
    "seen_lower",
]

DETERMINERS = frozenset("""der die das den dem des ein eine einen einem einer eines the a an le la les un une du au aux
il lo""".split())
# Prepositions of place, with German's contracted articles ("im Belvoir", "zum Gotthard").
LOCATIVES = frozenset("""in nach aus von bei bis über ueber gen at to from via near à a en vers da per im am vom zum
zur beim ins""".split())
NUMBER_WORDS = frozenset("""million millionen tausend hundert zwei drei vier fünf zehn zwanzig fünfzig einige viele
mehrere hundred thousand millions mille mill. mio. milliarden""".split())
# How German number words end when written as one word ("fünfhunderttausend", "siebenhundertzehn").
NUMBER_ENDS = ("tausend", "hundert", "zehn", "zig", "ßig", "ssig")
# Words before a noun, not before a name: a capitalised word after them is a noun.
NOUN_MARKERS = frozenset("""der die das den dem des ein eine einen einem einer eines zum zur vom beim dieser diese
diesen diesem dieses jeder jede jeden jedem kein keine keinen keinem keiner unser unsere unseren unserem unserer mein
meine meinen meinem meiner meines sein seine seinen seinem seiner seines ihre ihren ihrem welche welchen welcher
solche solchen the a an le la les un une""".split())
# Words after which an inflected adjective stands before a noun, not before a name ("dem besten
# Willen", "mit gutem Willen", "im innersten Wesen"): articles, possessives, prepositions.
ATTRIBUTE_BEFORE = NOUN_MARKERS | LOCATIVES | frozenset("""mit ohne für durch gegen um zu auf an unter vor hinter
neben zwischen wegen trotz ihr ihres ihrer dein deine deinen deinem deiner euer eure euren eurem eurer alle allen
aller alles viele vielen manche manchen""".split())
# The endings of an inflected German adjective ("guten", "bestem", "wahre"), and the words of
# those endings that are no adjective but a pronoun or a quantifier ("unter welchen Bismarck",
# "die beiden Escher").
INFLECTED = ("e", "en", "em", "er", "es")
NOT_ATTRIBUTES = ATTRIBUTE_BEFORE | frozenset("""ihnen denen deren dessen jene jenen jener jenes jenem derselbe
dieselbe dasselbe dieselben derselben demselben desselben denselben derjenige diejenige diejenigen demjenigen
denjenigen einige einigen einiger allem andere anderen andern anderer beide beiden mehrere wenige wenigen welches
jedes jener solcher solches irgendeine""".split())
# What may follow a place's name inside one word in any language: the ending of an adjective or a
# demonym made of it ("Italienische", "Tessinois", "Piémontaise", "Bernese").
PLACE_ENDINGS = re.compile(r"isch(?:e[nrsm]?)?|(?:ois|ais)(?:es?)?|(?:ese|esi)")
# What stands between a title and the name: a space, the title's full stop, a particle ("Herr von Planta").
TITLE_GAP = re.compile(r"^(?:\.?\s+|\.|\s+(?:von|v\.|vom|van|de|zu)\s+)$")
# A place name with its qualifier: "Oron-la-Ville", "Affoltern am Albis", "Freiburg im Breisgau".
QUALIFIED = re.compile(r"^([A-ZÀ-Þ][^\W\d_]{3,})(?:-| )(?:la|le|les|sur|sous|en|am|an der|an|im|ob|bei|near|upon|"
                        r"on|di|del|della)(?:-| )\S")
TOWN_PART = re.compile(r"^(.+?)[- ](?:Stadt|Ville|City)$")
TOWN_WORD = re.compile(r"\b(?:Stadt|Ville|City|Town|Città)\b")
# A register's note that an area is a province or a district, which a name alone seldom means.
MINOR_AREA = re.compile(r"\b(?:Provinz|Province|Provincia|Bezirk|District|Distrikt|Kreis|Amt|Département|"
                        r"Arrondissement)\b")
# Words beside a name that say the area of that name is meant, not its town: "im Kanton Zürich",
# "die Regierung von Bern", "Luzern's Regierung", "the State of New York".
AREA_BEFORE = frozenset("""kanton kantons canton cantons kt ct stand standes state province provinz land landes
departement département""".split())
AREA_AFTER = frozenset("""regierung regierungen government gouvernement regierungsrat regierungsrath kantonsrat
kantonsrath grossrat grossrath großrat großrath""".split())
# Words before a name that say the town is meant: "die Stadt Bern", "the City of London", "der
# Bahnhof Luzern", "die Linie Zürich" (railways run from town to town).
TOWN_BEFORE = frozenset("""stadt ville city town gemeinde universität university université bahnhof bahnhofs
bahnhofes station gare linie eisenbahn""".split())
# Written out by their letters, "you|your|yours|yourself|du|dich|...", which the regular expression
# engine would try one by one at every position. Each pronoun starts with its first letter, the
# word's start checked after it ("(?<!\w.)", "(?<=\w .)": a capital "Sie" inside a sentence), so
# that the engine skips to the next y, d, v, t, S, I or D instead of trying every position.
SECOND_PERSON = re.compile(
    r"y(?<!\w.)ou(?:rs?(?:elf)?)?\b|d(?<!\w.)(?:u|i(?:ch|r)|ein(?:e[nmrs]?)?)\b|v(?<!\w.)o(?:us|tre|s)\b"
    r"|t(?<!\w.)(?:u|oi|on|a|es)\b"
    r"|S(?<=\w .)ie\b|I(?<=\w .)(?:hnen|hr(?:e[nmrs]?)?)\b|D(?<=\w .)(?:u|ich|ir|ein(?:e[nmr]?)?)\b")
# The parts of a document a letter points to ("Annexure 'B'", "Beilage 3"): after a name and a dash
# typed as a hyphen ("Mr Bruce-Annexure 'B'"), not the second half of a double name.
DOCUMENT_WORDS = frozenset("""annex annexe annexure appendix enclosure attachment schedule memorandum telegram cable
despatch dispatch minute paragraph section page copy anlage beilage beil piece""".split())
# Words that open sentences and that some gazetteer lists as a place's other name ("The", "I").
STOP = frozenset("""i a an the we he she it they you my our his her its their this that these those in on at to of
and or but if as so no not nor all any may can will one two new old here there then when what who which how why
der die das den dem des ein eine einer einen und oder aber ich wir er sie es ihr du im am an auf aus bei mit nach
von zu zur zum so da wie was wer wo le la les un une et ou je nous il elle ils en au aux de du ce cette""".split())
# Titles that put a name after them even when the name is not yet known ("Mr Chandor").
# "H." and "HH." are German letters' Herr and Herren ("H. Koller"), not initials.
NAME_TITLES = frozenset(({t for t in TITLES if len(t) > 1} | {"h", "hh", "hhr", "hrn", "sig", "sgr"}) - {
    "the", "his", "her", "right", "field", "air", "vice", "rear", "secretary", "minister", "ambassador",
    "chancellor", "house"})
PERSONAL_TITLES = frozenset("mr mrs ms miss messrs sir herr herrn frau monsieur madame mme signor signora".split())
MALE_TITLES = frozenset("herr herrn hr hrn h hh hhr monsieur m mr messrs signor sig sgr don sir lord graf".split())
FEMALE_TITLES = frozenset("""frau fr fraulein frl madame mme mlle mademoiselle mrs miss signora dame lady grafin
jungfer jungfrau witwe wwe""".split())
# Words that follow a title and are offices or kin, not names ("Herr Präsident", "Hr. Dir.").
NOT_NAMES = frozenset("""präsident president présidente président vater sohn bruder onkel neffe vetter schwager
direktor dir ing ingenieur reg regierungsrat regierungsrath oberst major hauptmann pfarrer doktor professor
kantonsrat redaktor redactor sekretär secretär secretaire secrétaire general général oberrichter richter
bundesrat bundesrath landammann stadtrat stadtrath ministre minister consul konsul gesandter papa mama mamma
mutter tochter gemahl gemahlin gattin gatte schwester tante collega college collegen kollege kollegen freund
freunde doctor dr rath rat schultheiß antistes rektor rector dekan oberstlt oberstleutnant kanzler pastor""".split())
_LOOSE_NOT_NAMES = frozenset(loose(w) for w in NOT_NAMES if len(w) >= 5)
# A lengthening h, which older hands write or leave out ("Gemahlin", "Gemalinn").
_LENGTHENING_H = re.compile(r"(?<=[aeiouy])h(?![aeiouy])")
_NO_H_NOT_NAMES = frozenset(_LENGTHENING_H.sub("", key) for key in _LOOSE_NOT_NAMES)
# Endings of German compounds that name an office: "Oberbaurath", "Regierungspräsident".
OFFICES = tuple(fold(w) for w in """rath rth srat baurat hofrat heimrat nalrat nderat adtrat präsident president
direktor director ingenieur inspektor inspector meister schreiber sekretär secretär secretair kommandant commandant
pfarrer professor richter minister konsul consul gesandte gesandter oberst hauptmann verwalter kassier cassier
doktor ammann amann statthalter vorsteher herr herrn kommissar kommissär commissär commissair kommissair maler notar
erzieher bruder kläger lehrer arzt wirth händler advokat fürsprech vikar dekan decan leutnant lieutenant ingr mstr
kassier postmeister präs""".split())
PLAIN_OFFICES = frozenset(o.replace("th", "t") for o in OFFICES)
_LONG_OFFICES = tuple(o for o in PLAIN_OFFICES if len(o) >= 5)  # the endings of a compound ("Oberstatthalter")
# Titles followed by a given name when one word follows ("Sir John", "Dame Nellie").
# Given names common in the letters' languages (folded): a town that geonames calls so is, in a
# letter's text, far more often a person ("Mary", "George", "Elizabeth", "Winston", "Juliet").
GIVEN_NAMES = frozenset(fold(w) for w in """
    Adam Adolf Adolph Agnes Albert Alexander Alexandra Alfred Alice Amalie Amelia Andreas Andrew Angela Anna
    Anne Annie Anthony Antoine Antoinette Anton Antonio Arnold Arthur August Augustin Barbara Beatrice Benjamin
    Bernard Bernhard Bertha Carl Caroline Catherine Cecil Cecilia Charles Christian Christine Clara Claude
    Clement Constance Daniel David Dorothea Dorothy Edith Edmund Edward Eleanor Elisabeth Elise Eliza Elizabeth
    Ellen Emil Emile Emilie Emily Emma Ernest Ernst Eugen Eugene Eugenie Fanny Felix Ferdinand Florence Francis
    Franklin Franz Frederick Friedrich Gabriel Georg George Georges Gertrude Gottfried Gustav Hannah Harold
    Harriet Harry Heinrich Helen Helene Henri Henriette Henry Herbert Hermann Hugh Hugo Irving Isaac Isabella
    Jacob Jacques James Jane Jean Jeanne Johann Johanna Johannes John Joseph Josephine Julia Julie Juliet Julius
    Karl Katharina Laura Lawrence Leon Leonard Leopold Louis Louisa Louise Lucy Ludwig Luise Margaret Margarethe
    Maria Marie Mark Martha Mary Matthew Max Michael Minna Nicholas Oliver Orlando Oscar Otto Paul Pauline Peter
    Philip Philipp Pierre Ralph Richard Robert Roger Rosa Rudolf Samuel Sarah Sidney Simon Sophie Stephen Susan
    Theodor Theodore Thomas Victor Vincent Walter Warren William Wilhelm Winston
""".split())

GIVEN_NAME_TITLES = frozenset("sir dame".split())
# Words that start a sentence rather than continue a name: after "Lord Cecil." or "Hr. Koch."
# they say the full stop ended the sentence ("Lord Cecil. He said", "Hr. Koch. Ich").
SENTENCE_STARTS = frozenset("""i he she it we they you this that these those there then but and his her its our
their my your er sie es wir ich ihr du dies diese dieser dieses aber und je il elle nous vous ils on mais""".split())
# Languages that write their nouns with a capital (ISO 639-1): a capitalised word there may be a
# noun after a name ("Herrn Müller Berichte"), elsewhere it is part of the name.
CAPITAL_NOUNS = frozenset({"de", "lb"})
# Titles a peer or a peer's wife is called by, with the title's or family's name ("Lord Cecil").
PEER_TITLES = frozenset("lord lady".split())
# Titles that are whole words: a full stop after them ends a sentence ("meine Frau. Meine ..."),
# unlike an abbreviation's ("Hr. Koller").
WORD_TITLES = frozenset("herr herrn frau monsieur madame signor signora sir lord graf dame lady".split())
# Endings of German nouns, never of a name after a title ("Herrn Collegen" aside).
NOUN_ENDINGS = ("ung", "heit", "keit", "schaft", "tion", "ismus", "ment", "tät", "nis", "thum", "tum", "lich",
                 "isch", "ungen", "heiten", "keiten", "schaften", "tionen", "chen", "lein")
# German adjectives of places: "italienisch", "englisch", "bernisch", with their endings.
ADJECTIVE_END = re.compile(r"sch(?:e[nrsm]?)?\b")


def place_adjectives(name: str) -> set[str]:
    """Give the German adjectives a place's folded name makes: "italien" -> "italienisch",
    "england" -> "englisch", "deutschland" -> "deutsch", "preussen" -> "preussisch", "bern" ->
    "bernisch", "spanien" -> "spanisch", "amerika" -> "amerikanisch"."""
    found = {name + "isch", name + "erisch"}
    if name.endswith("land"):
        stem = name[:-4]
        found |= {stem, stem + "isch"} if stem.endswith("sch") else {stem + "isch", stem + "lisch"}
    for ending in ("ien", "en", "n", "e", "a"):
        if name.endswith(ending) and len(name) - len(ending) >= 3:
            found.add(name[: -len(ending)] + "isch")
            break
    if name.endswith("a") and len(name) >= 5:
        found.add(name + "nisch")  # "amerika" -> "amerikanisch", "afrika" -> "afrikanisch"
    found |= IRREGULAR_ADJECTIVES.get(name, set())
    return {f for f in found if len(f) >= 6}


# The German adjectives of countries that no rule makes from the name, by the name folded.
IRREGULAR_ADJECTIVES = {"frankreich": {"franzosisch"}, "danemark": {"danisch"}, "turkei": {"turkisch"},
                        "griechenland": {"griechisch"}, "polen": {"polnisch"}, "lombardei": {"lombardisch"}}
# And the nouns for their people: "die Franzosen" speak of France.
IRREGULAR_DEMONYMS = {"frankreich": ("Franzose", "Franzosen"), "danemark": ("Däne", "Dänen"),
                      "griechenland": ("Grieche", "Griechen")}
# The French adjectives of countries and regions (masculine, singular: "italienne", "italiens"
# are read with them), by the places' names in French, German and English, folded, the first
# the place an archive holds stands for. French writes them in lower case: "le gouvernement
# italien", "la note anglaise".
FRENCH_ADJECTIVES: dict[str, tuple[str, ...]] = {
    "français": ("france", "frankreich"), "françois": ("france", "frankreich"),
    "allemand": ("allemagne", "deutschland", "germany"), "italien": ("italie", "italien", "italy"),
    "anglais": ("angleterre", "england"), "britannique": ("grande-bretagne", "grossbritannien", "great britain"),
    "espagnol": ("espagne", "spanien", "spain"), "portugais": ("portugal",),
    "autrichien": ("autriche", "osterreich", "austria"), "prussien": ("prusse", "preussen", "prussia"),
    "bavarois": ("baviere", "bayern", "bavaria"), "russe": ("russie", "russland", "russia"),
    "belge": ("belgique", "belgien", "belgium"), "hollandais": ("hollande", "holland", "netherlands"),
    "américain": ("amerique", "amerika", "america", "united states"), "grec": ("grece", "griechenland", "greece"),
    "turc": ("turquie", "turkei", "turkey"), "suédois": ("suede", "schweden", "sweden"),
    "danois": ("danemark", "denmark"), "polonais": ("pologne", "polen", "poland"),
    "hongrois": ("hongrie", "ungarn", "hungary"), "piémontais": ("piemont", "piedmont"),
    "sarde": ("sardaigne", "sardinien", "sardinia"), "savoyard": ("savoie", "savoyen", "savoy"),
    "lombard": ("lombardie", "lombardei", "lombardy"), "vaudois": ("vaud", "waadt"),
    "tessinois": ("tessin", "ticino"), "valaisan": ("valais", "wallis"), "genevois": ("geneve", "genf"),
}


@lru_cache(maxsize=50_000)
def not_name(word: str) -> bool:
    """Tell whether a folded word after a title is an office or kin, inflected or not ("Vaters",
    "Collegen", "Pfarrerin")."""
    if word in NOT_NAMES:
        return True
    if any(word.endswith(end) and word[: -len(end)] in NOT_NAMES for end in _NOT_NAME_ENDS):
        return True
    if len(word) < 5:
        return False
    key = loose(word)  # spelled the old way: "Praesident", "Landamman"
    if key in _LOOSE_NOT_NAMES or any(key.endswith(end) and key[: -len(end)] in _LOOSE_NOT_NAMES
                                      for end in _NOT_NAME_ENDS):
        return True
    # And with or without a lengthening h ("Gemalinn", "Gemahlin"); not for short words, where
    # the h tells a name from a word ("Kuhn").
    key = _LENGTHENING_H.sub("", key)
    return len(word) >= 6 and (key in _NO_H_NOT_NAMES or any(
        key.endswith(end) and key[: -len(end)] in _NO_H_NOT_NAMES for end in _NOT_NAME_ENDS))


_NOT_NAME_ENDS = ("s", "n", "en", "es", "e", "in", "inn")  # "Vaters", "Collegen", "Bundesräthe", "Pfarrerin"


@lru_cache(maxsize=50_000)
def office_word(word: str) -> bool:
    """Tell whether a folded word is an office by itself, inflected, plural or in an older spelling
    ("Statthalters", "Ständeräthe", "Stadtrath")."""
    plain = word.replace("th", "t")
    for end in ("", "s", "n", "en", "e", "es", "in", "inn"):
        if end and not plain.endswith(end):
            continue
        stem = plain[: len(plain) - len(end)]
        if stem in PLAIN_OFFICES or (stem.endswith(_LONG_OFFICES) and any(
                stem.endswith(o) and len(stem) - len(o) <= 3 for o in _LONG_OFFICES)):
            return True
    return False


def seen_lower(text: str, word: str) -> bool:
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


def name_gap(word: str, gap: str) -> bool:
    """Tell whether the text between two words of a name can stand inside a name: a space, a
    particle, or the full stop of an initial ("J. V."), not the full stop of a sentence."""
    if gap == " " or re.fullmatch(r"\s+(?:von|van|de|vom|zu|der|la|le|im|v\.)\s*", gap):
        return True
    return bool(re.fullmatch(r"\.\s*", gap)) and len(word) <= 2

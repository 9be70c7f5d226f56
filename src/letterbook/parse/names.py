"""Names as letters write them -> Agents: honorifics and offices split from the name
("Mr R. G. Menzies, Prime Minister" -> name R. G. Menzies, role Prime Minister), organisations told
from people, joint parties ("Forde and Evatt") split, short forms completed from fuller ones."""

from __future__ import annotations

import re

from ..model import Agent

# Titles that stand before a name; "Lt Col", "Rt Hon" and the like are runs of these.
HONORIFICS = {
    "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "miss", "messrs", "messrs.", "sir", "dame", "lord", "lady",
    "dr", "dr.", "prof", "prof.", "professor", "rev", "rev.", "revd", "reverend", "hon", "hon.", "rt",
    "rt.", "right", "honourable", "honorable", "the", "his", "her", "excellency", "majesty",
    "general", "gen", "gen.", "lt", "lt.", "lieut", "lieut.", "col", "col.", "colonel", "major", "maj",
    "captain", "capt", "capt.", "admiral", "adm", "commander", "cdr", "brigadier", "marshal",
    "field", "air", "vice", "rear", "sergeant", "sgt", "private", "premier", "president", "senator",
    "chancellor", "count", "countess", "baron", "baroness", "duke", "duchess", "prince", "princess",
    "king", "queen", "emperor", "empress", "pope", "cardinal", "bishop", "archbishop", "father",
    "brother", "sister", "mother", "herr", "frau", "fräulein", "frl", "frl.", "hr", "hr.", "hrn",
    "hrn.", "dr.phil", "graf", "gräfin", "freiherr", "fürst", "monsieur", "madame", "mademoiselle",
    "m.", "mme", "mme.", "mlle", "mlle.", "monseigneur", "abbé", "don", "doña", "señor", "signor",
    "comrade", "generalissimo", "ambassador", "secretary", "minister", "justice",
}
# Titles that, starting a phrase after a comma or "and", begin a new person rather than an office.
PERSONAL_TITLES = {
    "mr", "mrs", "ms", "miss", "messrs", "sir", "dame", "lord", "lady", "dr", "prof", "professor",
    "rev", "revd", "reverend", "hon", "rt", "lt", "lieut", "col", "colonel", "major", "maj", "captain",
    "capt", "admiral", "brigadier", "senator", "herr", "frau", "fräulein", "frl", "monsieur",
    "madame", "mademoiselle", "mme", "mlle", "m", "count", "countess", "baron", "baroness", "graf",
    "gräfin", "freiherr", "father", "comrade",
}
# Words that make a phrase an office rather than a person's name.
ROLE_WORDS = {
    "minister", "secretary", "commissioner", "ambassador", "president", "premier", "chancellor",
    "consul", "consul-general", "counsellor", "officer", "delegate", "representative", "governor",
    "governor-general", "chairman", "chief", "director", "head", "leader", "member", "envoy",
    "attaché", "attache", "adviser", "advisor", "agent", "clerk", "deputy", "acting", "assistant",
    "under-secretary", "treasurer", "commander", "commanders", "commander-in-chief", "lord",
    "high", "prime", "special", "first", "official", "editor", "professor", "king", "queen",
    "general", "marshal", "admiral", "mayor", "judge", "justice", "bishop", "librarian", "publisher",
    "author", "staff", "privy", "sekretär", "minister-president", "bürgermeister", "speaker", "registrar",
}
ORG_WORDS = {
    "department", "government", "office", "delegation", "legation", "embassy", "consulate",
    "council", "cabinet", "ministry", "committee", "commission", "conference", "board", "secretariat",
    "headquarters", "mission", "league", "company", "bank", "society", "association", "university",
    "college", "church", "parliament", "house", "senate", "assembly", "club", "institute", "museum",
    "library", "press", "agency", "bureau", "corporation", "firm", "publishers", "brothers",
    "chiefs", "staff", "command", "forces", "powers", "army", "navy", "admiralty", "court", "ltd", "limited", "inc",
    "regierung", "ministerium", "gesellschaft", "verlag", "direktion", "rat", "bundesrat",
    "stadtrat", "kommission", "gouvernement", "ministère", "société", "ambassade",
    "governments", "dominions", "nations", "states", "affairs", "treasury", "colony",
}
# Nouns that follow "and" inside an organisation's name ("Department of Trade and Customs").
_ORG_TAILS = {"customs", "development", "commerce", "industry", "trade", "supply", "agriculture",
              "health", "information", "shipping", "transport", "munitions", "production",
              "labour", "national", "service", "works", "railways", "post", "telegraphs",
              "defence", "navy", "air", "army", "fisheries", "forests", "mines", "industries"}

# What follows a name after a comma and belongs to it: the generation, which tells father from
# son ("George E. Waring, Jr."), and honours, which the name is read without ("John Smith, Esq.").
_GENERATION = re.compile(r"(?:Jr|Jun|Junr|Sr|Sen|Senr)\.?|Junior|Senior|II|III|IV|fils|père|d\.\s?[JÄ]\.")
_HONOURS = re.compile(r"(?:Esq|Bart|Bt)\.?|K\.\s?C\.|M\.\s?P\.")
_FOOTNOTE_MARK = re.compile(r"\s*\[\s*\d{1,3}\s*\]")
_SPACE = re.compile(r"\s+")


def clean(text: str) -> str:
    """Give a name phrase without footnote marks, stray punctuation and doubled spaces."""
    text = _FOOTNOTE_MARK.sub("", text)
    text = _SPACE.sub(" ", text).strip(" ,;:")
    return text


def _words(text: str) -> list[str]:
    return re.findall(r"[\w'’.-]+", text.lower())


def is_organisation(text: str) -> bool:
    """Tell whether a name phrase names an organisation (a department, government, legation...)."""
    words = [w.strip(".") for w in _words(text)]
    return any(w in ORG_WORDS for w in words)


def is_role(text: str) -> bool:
    """Tell whether a phrase reads as an office ("High Commissioner in London")."""
    words = [w.strip(".") for w in _words(text)]
    if not words:
        return False
    return words[0] in ROLE_WORDS or words[0] in {"u.k", "n.z", "u.s", "canadian", "british",
                                                  "australian", "french", "german", "soviet"} \
        or (len(words) > 1 and any(w in ROLE_WORDS for w in words) and not starts_with_honorific(text))


def starts_with_honorific(text: str) -> bool:
    """Tell whether a phrase starts with a personal title such as Mr, Sir, Dr or Lt Col."""
    first = text.strip().split(" ", 1)[0].lower() if text.strip() else ""
    return first.rstrip(".") in PERSONAL_TITLES


def split_honorific(text: str) -> tuple[str, str]:
    """Give (honorific, name): "Lt Col W. R. Hodgson" -> ("Lt Col", "W. R. Hodgson")."""
    tokens = text.split()
    taken = 0
    # Keep at least one token as the name, and keep a title that is all there is ("the Prime Minister").
    while taken < len(tokens) - 1 and tokens[taken].lower().rstrip(",") in HONORIFICS:
        if tokens[taken].lower() == "m." and taken > 0:  # "Mr M. de A. Ferreira": an initial here
            break
        taken += 1
    return " ".join(tokens[:taken]), " ".join(tokens[taken:])


def _top_level_split(text: str) -> list[tuple[str, str]]:
    """Give (separator, piece) pairs split at commas and "and"s outside brackets."""
    pieces: list[tuple[str, str]] = []
    depth = 0
    start = 0
    sep = ""
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif depth == 0:
            match = re.match(r",\s+and\s+|,\s*|\s+and\s+|\s+&\s+|\s+und\s+|\s+et\s+", text[i:])
            if match and (ch == "," or match.group().strip() in ("and", "&", "und", "et")):
                pieces.append((sep, text[start:i]))
                sep = match.group()
                i += len(match.group())
                start = i
                continue
        i += 1
    pieces.append((sep, text[start:]))
    return [(s, p.strip()) for s, p in pieces if p.strip()]


def _looks_like_new_party(piece: str, in_role: bool) -> bool:
    if starts_with_honorific(piece):
        return True
    words = piece.split()
    if in_role or is_role(piece):
        return False
    if is_organisation(piece):
        return True
    # A surname or an initialled name: "Makin", "R. G. Casey", "Olivier-Georges Destrée".
    return 1 <= len(words) <= 5 and all(w[:1].isupper() or w[:1] in "dvl" for w in words)


def parse_party(text: str) -> list[Agent]:
    """Give the agents a heading names on one side: "Chifley and Makin" -> two agents;
    "Lord Chatfield, First Sea Lord and Chief of Naval Staff" -> one agent with an office.

    Each agent's ``as_written`` is the whole phrase as the source writes it, so that what the
    document says stays next to what was read from it.
    """
    written = clean(text)
    if not written:
        return []
    # "Smuts, ..., and to Mr W. L. Mackenzie King": an "and to" joins a second addressee.
    pieces: list[tuple[str, str]] = []
    for sep, piece in _top_level_split(written):
        if pieces and sep.strip() == "," and (_GENERATION.fullmatch(piece) or _HONOURS.fullmatch(piece)):
            if _GENERATION.fullmatch(piece):
                pieces[-1] = (pieces[-1][0], f"{pieces[-1][1]} {piece}")  # "George E. Waring Jr.": one person
            continue
        pieces.append((sep, re.sub(r"^(?:to|an|à)\s+(?=[A-Z])", "", piece) if sep else piece))
    groups: list[list[tuple[str, str]]] = []
    for sep, piece in pieces:
        if groups and len(groups[-1]) == 1 and is_organisation(groups[-1][0][1]) \
                and "and" in sep and piece.lower().strip(".") in _ORG_TAILS:
            # "Department of Trade and Customs": one organisation's name, not two parties.
            first_sep, head = groups[-1][0]
            groups[-1][0] = (first_sep, head + sep + piece)
            continue
        if groups and len(groups[-1]) == 1 and is_organisation(groups[-1][0][1]) \
                and sep.strip() == "," and not starts_with_honorific(piece):
            # "Australian Delegation, United Nations": the organisation's seat or parent body.
            first_sep, head = groups[-1][0]
            groups[-1][0] = (first_sep, head + sep + piece)
            continue
        in_role = bool(groups) and len(groups[-1]) > 1
        if not groups or _looks_like_new_party(piece, in_role):
            groups.append([(sep, piece)])
        else:
            groups[-1].append((sep, piece))
    # "the Prime Minister, Mr W. Churchill": an office named first, then the person who holds it.
    merged: list[list[tuple[str, str]]] = []
    for group in groups:
        if merged and len(merged[-1]) == 1 and group[0][0].strip() == "," and starts_with_honorific(group[0][1]):
            office = re.sub(r"^the\s+", "", merged[-1][0][1], flags=re.IGNORECASE)
            if is_role(office) and not is_organisation(office):
                merged[-1] = [(merged[-1][0][0], group[0][1]), (", ", office), *group[1:]]
                continue
        merged.append(group)
    groups = merged
    agents = []
    for group in groups:
        head = group[0][1]
        role = "".join(sep + piece for sep, piece in group[1:]).strip(" ,") or None
        if role:
            role = re.sub(r"(,\s*\d+)+$", "", role).strip(" ,") or None  # a stray file number
        agents.append(make_agent(head, role=role, as_written=written))
    return agents


def make_agent(text: str, *, role: str | None = None, as_written: str | None = None) -> Agent:
    """Give the Agent for one name phrase, honorific split off, organisation recognised."""
    text = clean(text)
    paren = re.search(r"\s*\(([^)]*)\)\s*$", text)
    if paren and not role:
        role = paren.group(1)
        text = text[: paren.start()].strip()
    if is_organisation(text) and not starts_with_honorific(text):
        return Agent(name=text, as_written=as_written or text, role=role, kind="organisation")
    _, name = split_honorific(text)
    return Agent(name=name or text, as_written=as_written or text, role=role)


_INITIALS = re.compile(r"^((?:[A-Z][a-z]?\.\s?)+)")


def surname(name: str) -> str:
    """Give the last word of a name, the one indexes sort by."""
    words = [w for w in re.split(r"\s+", name.strip()) if w]
    return words[-1].strip(".,") if words else ""


def complete_name(short: str, fuller_forms: list[str]) -> str | None:
    """Give a fuller form of ``short`` found among ``fuller_forms``: "H. Truman" completed to
    "Harry S. Truman" when the same page spells that out; None when no form fits."""
    short = short.strip()
    tokens = short.replace(".", ". ").split()
    if not tokens:
        return None
    last = tokens[-1].lower()
    initials = [t[0].lower() for t in tokens[:-1]]
    for form in fuller_forms:
        words = form.replace(".", ". ").split()
        if len(words) < 2 or words[-1].lower().strip(".,") != last or form.strip() == short:
            continue
        firsts = [w[0].lower() for w in words[:-1]]
        if firsts[: len(initials)] == initials and len(form) > len(short):
            return " ".join(form.split())
    return None

"""The parts of a letter's text: navigation debris, document lines, classification, salutation,
closing, signature, postscript, footnotes and archival references, and hard line breaks."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Certainty, Link, Note, Place, When
from .dates import MONTH_NAMES, DateMatch, find_dates, parse_date
from .names import HONORIFICS

# ---------------------------------------------------------------------------------------------
# Hard line breaks

_TERMINAL = re.compile(r"""([.!?:;…]|[.!?]["'’”)\]]|: ?-|--|—|\]|\))\s*$""")
_FUNCTION_WORDS = {
    "the", "a", "an", "of", "to", "and", "or", "in", "for", "with", "by", "on", "at", "from", "that",
    "which", "who", "his", "her", "our", "their", "my", "your", "its", "this", "these", "those",
    "be", "is", "are", "was", "were", "has", "have", "had", "not", "as", "but", "if", "than",
    "der", "die", "das", "und", "zu", "mit", "von", "den", "dem", "des", "ein", "eine", "le", "la",
    "les", "de", "du", "et", "à", "un", "une",
}
_ITEM_START = re.compile(r"^(\(?[0-9]{1,3}[.)]|\(?[a-zA-Z][.)]\s|\([ivx]+\)|[-*•]\s)")


def ends_sentence(text: str) -> bool:
    """Tell whether a block of text ends where a sentence or a heading can end."""
    return bool(_TERMINAL.search(text))


def _is_shouting(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.8


def rejoin_broken(blocks: list[str]) -> list[str]:
    """Give blocks with sentences that a hard line break or an export split across blocks put
    back together, without gluing real paragraphs, headings or numbered items to each other."""
    if len(blocks) < 2:
        return blocks
    long_blocks = [b for b in blocks if len(b) >= 40]
    open_ended = sum(1 for b in long_blocks if not ends_sentence(b))
    wrapped = len(long_blocks) >= 4 and open_ended / len(long_blocks) >= 0.4
    out = [blocks[0]]
    for block in blocks[1:]:
        prev = out[-1]
        if _should_join(prev, block, wrapped):
            out[-1] = prev.rstrip() + " " + block.lstrip()
        else:
            out.append(block)
    return out


def _should_join(prev: str, nxt: str, wrapped: bool) -> bool:
    prev_s, nxt_s = prev.rstrip(), nxt.lstrip()
    if not prev_s or not nxt_s or ends_sentence(prev_s) or _is_shouting(prev_s) or _is_shouting(nxt_s):
        return False
    if _ITEM_START.match(nxt_s) or _stands_alone(nxt_s):
        return False
    first = nxt_s[0]
    last_word = prev_s.rsplit(None, 1)[-1].lower()
    if first.islower() and len(prev_s) >= 25:
        return True
    if last_word in _FUNCTION_WORDS and len(prev_s) >= 25 and not prev_s.endswith(","):
        return True
    if prev_s.endswith(",") and len(prev_s) >= 40 and (first.islower() or wrapped):
        return True
    # A long line that stops mid-sentence goes on in the next block ("... to the British" /
    # "Ambassador, Kuibyshev."): real paragraphs here end with punctuation, headings are short.
    return len(prev_s) >= (40 if wrapped else 50) and (first.isalnum() or first in "'\"‘“(")


def _stands_alone(block: str) -> bool:
    """Tell whether a block is a line of its own kind (a dateline, salutation, signature or marking)
    that a broken sentence never runs into."""
    return len(block) <= 120 and (block[:1].isupper() and document_line(block) is not None or is_salutation(block)
                                  or is_signature(block) or classification_of(block) is not None)


# ---------------------------------------------------------------------------------------------
# Navigation debris from web-archive pages

_NAV_WORDS = re.compile(
    r"^(?:click|here|click here|next|previous|prev|back|home|index|contents|top|top of page|"
    r"up|menu|search|print|share|\||»|«|<<|>>|next letter|previous letter)\W*$",
    re.IGNORECASE,
)
_NAV_PHRASE = re.compile(
    r"^(?:click(?: here)?\s+)?(?:to\s+)?(?:continue with|return to|go to|go back to|back to|"
    r"return to the|see also|next:|previous:|up to|zurück zu|retour à|suite:)\b",
    re.IGNORECASE,
)
_NAV_TARGET = re.compile(
    r"(?:continue with|return to|go to|go back to|back to|up to|see also|zurück zu|retour à)\s+"
    r"(?P<label>.+?)(?=\s+click\b|\s+here\b|$)",
    re.IGNORECASE,
)


def is_navigation(block: str) -> bool:
    """Tell whether a block is a web archive's navigation ("Click here to return to ...")."""
    text = " ".join(block.split())
    if not text or len(text) > 300:
        return False
    return bool(_NAV_WORDS.match(text) or _NAV_PHRASE.match(text))


def navigation_links(blocks: list[str]) -> list[Link]:
    """Give the links that navigation debris names: the series, a notes page and the archive."""
    text = " ".join(" ".join(blocks).split())
    links: list[Link] = []
    for match in _NAV_TARGET.finditer(text):
        label = match.group("label").strip(" ,.;")
        verb = match.group(0).split()[0].lower()
        parts = [p.strip() for p in re.split(r",\s*(?=Notes\b|Index\b|Contents\b)", label)]
        for part in parts:
            if not part:
                continue
            links.append(Link(rel=_nav_rel(part, verb), label=part))
    return links


def _nav_rel(label: str, verb: str) -> str:
    low = label.lower()
    if low in ("notes", "note", "anmerkungen", "notes and references") or low.startswith("notes "):
        return "notes"
    if verb in ("return", "back", "go", "up", "zurück", "retour") or any(
            w in low for w in ("archive", "archiv", "home", "index", "library", "bibliothek")):
        return "archive"
    return "series"


# ---------------------------------------------------------------------------------------------
# The document line of a cable or letter: "Cablegram 532 [1] LONDON, 24 July 1942, 10.12 p.m."

CLASSIFICATIONS = (
    "most secret", "top secret", "secret", "confidential", "personal", "private", "immediate",
    "most immediate", "important", "urgent", "restricted", "priority", "clear the line",
    "strictly confidential", "streng vertraulich", "vertraulich", "geheim", "persönlich",
    "confidentiel", "secret et personnel", "personnel",
)
_CLASS_RE = re.compile(
    r"^(?:(?:" + "|".join(sorted(map(re.escape, CLASSIFICATIONS), key=len, reverse=True))
    + r")(?:\s*(?:and|,|&|und|et)?\s*))+$",
    re.IGNORECASE,
)
_TIME = re.compile(r"^,?\s*\d{1,2}[.:]\d{2}\s*(?:a\.\s?m\.|p\.\s?m\.|am|pm|hrs?|uhr)?\.?", re.IGNORECASE)


def classification_of(block: str) -> str | None:
    """Give a security marking when the block is one ("MOST SECRET", "PERSONAL AND SECRET")."""
    text = " ".join(block.split()).strip(" .[]")
    if 0 < len(text) <= 60 and _CLASS_RE.match(text):
        return text
    return None


@dataclass
class DocumentLine:
    """What the first line of a cable or letter says: its kind and number, place, date, time
    and security marking."""

    text: str
    kind: str | None
    number: str | None
    place: Place | None
    date: When | None
    classification: str | None


_DOC_KIND = re.compile(
    r"^(?P<kind>(?:circular\s+|draft\s+|personal\s+|secret\s+)?(?:cablegrams?|telegrams?|"
    r"despatch(?:es)?|dispatch|letters?|memorandum|memo|minute|note|savingram|teleprinter message|"
    r"message|telegram|record|extract|report|aide[- ]m[ée]moire|brief))\b(?P<rest>.*)$",
    re.IGNORECASE,
)
_PLACE_BEFORE = re.compile(
    r"(?P<open>\[)?(?P<place>(?:[A-Z][A-Z'’.\-]+)(?:\s+[A-Z][A-Z'’.\-]+){0,3})(?P<close>\])?\s*,?\s*$"
)
_MIXED_PLACE = re.compile(r"(?:^|[,;]\s*|\s{2,})(?P<place>[A-ZÄÖÜ][\w'’.\-]+(?:[ -][A-ZÄÖÜa-z][\w'’.\-]+){0,3}"
                          r"(?:\s*\([^()]{1,40}\))?)[\s,]*$")


_MARK = re.compile(r"\s*\[\d{1,3}\]")
_BRACKETED_WORD = re.compile(r"\[([^\[\]]{1,40})\]")
_PREAMBLE = re.compile(
    r"^(?:repeated to|repeated|copies to|copy to|also sent to|sent to|addressed to|received|"
    r"\(?extract\)?|\(?paraphrase\)?|\(?en clair\)?|subject:|ref(?:erence)?[:.]|via\b|for\b.{0,40}\bfrom\b)",
    re.IGNORECASE,
)


def is_preamble(block: str) -> bool:
    """Tell whether a block is a cable's routing line ("Repeated to ...", "Received 25 May 1940")."""
    text = " ".join(block.split())
    return len(text) <= 240 and bool(_PREAMBLE.match(text))


def starts_document_line(block: str) -> bool:
    """Tell whether a block opens a document line that goes on in the next ("Cablegram 66,")."""
    text = " ".join(block.split())
    bare = _MARK.sub("", re.sub(r"\[[^\]]*\]", "", text)).rstrip(" ,")
    return len(text.split()) <= 12 and bool(_DOC_KIND.match(text)) and not ends_sentence(bare)


def document_line(block: str) -> DocumentLine | None:
    """Give the parts of a cable's or letter's first line, or None when the block is not one.

    The block must be short, hold a date, and not read as a sentence of the letter. Footnote marks
    ("[1]") are passed over; words an editor supplied in brackets ("3 July [1941]") are read, and
    make the date conjectural.
    """
    text = " ".join(block.split())
    if not text or len(text) > 220:
        return None
    normal, doubt = _normalise_line(text)
    unmarked = _MARK.sub("", normal)
    supplied = _BRACKETED_WORD.sub(r"\1", unmarked)
    if doubt:
        line = _document_line(supplied)
        if line is not None and line.date is not None:
            line.text = text
            line.date.certainty = doubt
        return line
    if supplied != unmarked:
        line = _document_line(supplied)
        original = _document_line(unmarked)
        if line is not None and line.date is not None and (original is None or original.date is None
                                                              or original.date.when is None):
            if line.date.certainty == "high":
                line.date.certainty = "medium"
            line.text = text
            if line.place and original is not None and original.place is None:
                line.place.as_written = f"[{line.place.as_written}]"
            return line
        if original is not None:
            original.text = text
            return original
        return line
    line = _document_line(unmarked)
    if line is not None:
        line.text = text
    return line


_DAY_MONTH_ONLY = re.compile(rf"(?<![\w\[])[0-3]?\d(?:st|nd|rd|th)?\s+(?:{MONTH_NAMES})\b\.?(?![\s,]*\d)",
                             re.IGNORECASE)
_DOUBTED_DAY = re.compile(r"\[\?\s*(\d{1,2})\]\s*(?:\[\d{1,3}\]\s*)?")
_SUPPLIED_DAY = re.compile(rf"\[(\d{{1,2}})\]\s*(?:\[\d{{1,3}}\]\s*)?(?=(?:{MONTH_NAMES})\b)", re.IGNORECASE)
_SUPPLIED_DIGIT = re.compile(r"(?<=\d)\[(\d)\]")
_GLUED_NUMBER = re.compile(r"(?<=[a-z])(?=\d{1,2}\s+(?:" + MONTH_NAMES + r")\b)", re.IGNORECASE)


def _normalise_line(text: str) -> tuple[str, Certainty | None]:
    """Give a document line with an editor's supplied or doubted day read as a day ("[24] [1] May",
    "[?27] May", "2[3] October", "unnumbered6 December"), and the certainty that leaves."""
    doubt: Certainty | None = None
    text = _GLUED_NUMBER.sub(" ", text)
    if _DOUBTED_DAY.search(text):
        text, doubt = _DOUBTED_DAY.sub(r"\1 ", text), "low"
    if _SUPPLIED_DAY.search(text):
        text, doubt = _SUPPLIED_DAY.sub(r"\1 ", text), doubt or "medium"
    if _SUPPLIED_DIGIT.search(text):
        text, doubt = _SUPPLIED_DIGIT.sub(r"\1", text), doubt or "medium"
    return text, doubt


def _document_line(text: str) -> DocumentLine | None:
    dates = find_dates(text)
    date_only = parse_date(text) if not dates else None
    if not dates and not (date_only and date_only.as_written and "n.d" in text.lower()):
        kind = _DOC_KIND.match(text)
        if kind and re.search(r"\bn\.\s?d\.", text):
            return DocumentLine(text, kind.group("kind").lower(), None, None,
                                When(None, None, None, "n.d.", "unknown"), None)
        day_month = _DAY_MONTH_ONLY.search(text)
        if kind and day_month and text[:1].isupper() and len(text[day_month.end():].split()) <= 4:
            # "Cablegram 5 TOKYO, 13 August": the year is left to the context (see parse.letter).
            found = DateMatch(When(None), day_month.start(), day_month.end())
            return _parts_around(text, found, None)
        return None
    return _parts_around(text, dates[0] if dates else None, date_only)


def _parts_around(text: str, found: DateMatch | None, date_only: When | None) -> DocumentLine | None:
    before = text[: found.start].strip() if found else text
    after = text[found.end:].strip() if found else ""
    if found and len(before.split()) > 10:
        return None  # a sentence that happens to hold a date
    if after and len(after.split()) > 12:
        return None
    kind_match = _DOC_KIND.match(before)
    kind = kind_match.group("kind").lower() if kind_match else None
    rest = kind_match.group("rest") if kind_match else before
    rest = re.sub(r"\bn\.\s?d\.\s*", "", rest).strip(" ,")
    place = None
    place_match = _PLACE_BEFORE.search(rest)
    if place_match and _ABBREVIATION.fullmatch(place_match.group("place")) and not kind:
        place_match = None  # "Brooklyn N.Y.": a state's abbreviation ends a place, it is not one
    if place_match and len(place_match.group("place")) > 2 and not classification_of(place_match.group("place")):
        written = place_match.group("place")
        place = Place(name=_place_name(written), as_written=(place_match.group(0) or "").strip(" ,"))
        rest = rest[: place_match.start()].strip()
    elif rest and not kind and len(rest.split()) <= 6:
        rest = re.sub(r"[,\s]+(?:den|am|le|ce|the|il|el)\s*$", "", rest, flags=re.IGNORECASE)
        mixed = _MIXED_PLACE.search(rest) or _CAPITALISED_RUN.search(rest)
        if mixed and not any(w.lower().rstrip(".") in HONORIFICS for w in mixed.group("place").split()):
            written = mixed.group("place")
            start = mixed.start("place")
            town = re.search(r"(?P<town>[A-ZÄÖÜ][\w'’\-]+(?:\s[A-ZÄÖÜ][\w'’\-]+)?),\s*$", rest[:start])
            if _ABBREVIATION.fullmatch(written.strip()) and town:
                # "Hartford, Conn.": the town before its state's abbreviation.
                start = town.start("town")
                written = rest[start:].strip(" ,")
            place = Place(name=_place_name(written), as_written=written)
            rest = rest[:start].strip(" ,")
    number = None
    if kind:
        number = rest.strip(" ,") or None
    classification = None
    tail = _TIME.sub("", after).strip(" ,.")
    tail = re.sub(r"\s*\[\d{1,3}\]", "", tail).strip(" ,.")
    if tail:
        classification = classification_of(tail)
    # A day and month without a year (When(None)) leaves the date to the context.
    date = found.when if found and found.when != When(None) else date_only
    return DocumentLine(text, kind, number, place, date, classification)


_ABBREVIATION = re.compile(r"(?:[A-Z]\.){1,3}|[A-Z][a-z]{1,3}\.")
_CAPITALISED_RUN = re.compile(r"(?:^|\s)(?P<place>[A-ZÄÖÜ][\w'’\-]+\.?(?:\s+[A-ZÄÖÜ][\w'’.\-]*){0,3})[\s,]*$")
_SMALL = {"of", "the", "de", "la", "le", "du", "am", "an", "der", "upon", "on", "sur", "en", "y", "and"}


def _place_name(written: str) -> str:
    """Give a place name in its ordinary case: "NEW YORK" -> "New York"; "[BATAVIA]" -> "Batavia"."""
    name = written.strip(" ,[]")
    if name.isupper():
        words = []
        for i, word in enumerate(name.lower().split()):
            words.append(word if i and word in _SMALL else "-".join(w.capitalize() for w in word.split("-")))
        name = " ".join(words)
    return name


# ---------------------------------------------------------------------------------------------
# Salutation, closing, signature, postscript

_SALUTATION = re.compile(
    r"^(?:(?:my\s+)?(?:very\s+)?(?:dear(?:est)?|beloved|darling)\b|sir\b|madam\b|gentlemen\b|"
    r"dear sirs?\b|hon(?:ou)?red\b|respected\b|"
    r"(?:sehr\s+)?(?:geehrte[rs]?|verehrte[rs]?|hochverehrte[rs]?|hochgeehrte[rs]?|lieber?|liebste[rs]?|"
    r"theure[rs]?|teure[rs]?|werthe[rs]?|werte[rs]?)\b|"
    r"(?:mon|ma|mes)\s+(?:cher|chère|chers|bien|très)|cher\b|chère\b|monsieur\b|madame\b|messieurs\b)",
    re.IGNORECASE,
)


def is_salutation(block: str) -> bool:
    """Tell whether a block is a letter's salutation ("My dear Mr President,", "Lieber Freund!")."""
    text = " ".join(block.split())
    return 0 < len(text) <= 80 and bool(_SALUTATION.match(text)) and (
        text[-1] in ",:!;." or len(text.split()) <= 6)


_CLOSING = re.compile(
    r"(?P<closing>(?:(?:I\s+(?:am|remain),?\s+)?(?:(?:my\s+)?dear\s+\w+,\s+)?(?:with\s+(?:kind|best|warm)\w*\s+"
    r"regards,?\s+)?(?:yours|your)\s+(?:very\s+)?(?:sincerely|faithfully|truly|ever|affectionately|"
    r"respectfully|obediently|cordially|most\s+sincerely|very\s+truly|obedient\s+servant|"
    r"affectionate\s+\w+|loving\s+\w+|friend)[\w ,]*?|"
    r"(?:ever\s+)?yours(?:\s+ever)?|sincerely(?:\s+yours)?|faithfully(?:\s+yours)?|"
    r"(?:with\s+)?(?:kind(?:est)?|best|warm(?:est)?)\s+regards|"
    r"(?:mit\s+)?(?:herzlich\w*|freundlich\w*|best\w*|hochachtungsvoll\w*|innig\w*)\s+gr[üu](?:ss|ß)(?:en?|e)?|"
    r"hochachtungsvoll|ihr\s+(?:ergebener|ergebenster|getreuer|dankbarer)|dein(?:\s+treuer)?|"
    r"(?:votre|ton|bien)\s+(?:dévoué|affectionné|sincèrement)|agréez[^.]*)[,.!]?)\s*$",
    re.IGNORECASE,
)
_CLOSING_WORD = re.compile(
    r"\b(?:yours|sincerely|faithfully|truly|regards|wishes|affectionately|respectfully|servant|"
    r"gr[üu](?:ss|ß)\w*|ergeben\w*|hochachtungsvoll|dévoué\w*|affectionné\w*|amitiés)\b[\w ,]*[,.!\-]?$",
    re.IGNORECASE,
)
_SIG_NAME = (
    r"(?:(?:[A-ZÄÖÜ]\.\s?){1,3}[A-ZÄÖÜ][\w'’\-]+(?:\s[A-ZÄÖÜ][\w'’\-]+)?|"  # J. Stalin, J. Hyatt Smith
    r"(?:[A-ZÄÖÜ][a-zäöüéè'’\-]+\s){1,2}(?:[A-ZÄÖÜ]\.\s)?[A-ZÄÖÜ][\w'’\-]+|"  # Alfred Stirling
    r"[A-ZÄÖÜ]{3,}(?:\s[A-ZÄÖÜ]{2,})?|"                                   # EVATT, ALFRED STIRLING
    r"(?:[A-Z]\.\s?){2,4})"                                               # G.F.P.
)
_SIGNATURE = re.compile(rf"^(?:{_SIG_NAME})\.?$")
_TRAILING_SIGNATURE = re.compile(r"(?<=[.!?])\s+(?P<sig>(?:[A-ZÄÖÜ]\.\s?){1,3}[A-ZÄÖÜ][\w'’\-]+|"
                                 r"[A-ZÄÖÜ]{3,}(?:\s[A-ZÄÖÜ]{2,})?)\.?$")
_POSTSCRIPT = re.compile(r"^(?:P\.\s?S\.|PS\b|P\.P\.S\.|N\.\s?B\.|Nachschrift|Postscript)", re.IGNORECASE)


def split_closing(block: str) -> tuple[str | None, str | None]:
    """Give (closing, signature) when a block ends the letter ("Yours sincerely, R. G. CASEY")."""
    text = " ".join(block.split())
    if len(text) > 160:
        return None, None
    match = re.match(rf"^(?P<closing>.+?[,.!\-]?)\s+(?P<sig>{_SIG_NAME})\.?$", text)
    if match and _CLOSING_WORD.search(match.group("closing")[-45:]) and len(match.group("closing")) <= 100:
        return match.group("closing"), match.group("sig")
    if _CLOSING.match(text):
        return text, None
    return None, None


def is_signature(block: str) -> bool:
    """Tell whether a block is a signature: a name or initials standing alone."""
    text = " ".join(block.split()).strip()
    if not text or len(text) > 60 or is_salutation(text) or classification_of(text):
        return False
    words = text.replace(".", ". ").split()
    if any(w.lower().strip(".,") in {"the", "and", "of", "to", "in", "a", "enclosure", "attachment"}
           for w in words):
        return False
    return bool(_SIGNATURE.match(text))


def trailing_signature(block: str) -> tuple[str, str] | None:
    """Give (paragraph, signature) when a paragraph ends with the writer's name
    ("... in this instance. J. Stalin")."""
    text = block.rstrip()
    match = _TRAILING_SIGNATURE.search(text)
    if not match or len(text) < 40:
        return None
    sig = match.group("sig")
    if sig.lower().strip(".") in {"i", "ok", "usa", "ussr", "uk"} or len(sig) < 4:
        return None
    return text[: match.start()].rstrip(), sig


def is_postscript(block: str) -> bool:
    """Tell whether a block opens a postscript ("P.S.", "N.B.")."""
    return bool(_POSTSCRIPT.match(block.lstrip()))


# ---------------------------------------------------------------------------------------------
# Footnotes and archival references

_FOOTNOTE = re.compile(r"^_?(?P<label>\d{1,3}|\*{1,3}|[a-z])\s+(?P<text>\S.*)$", re.S)
_SEPARATOR = re.compile(r"^\s*(?:_+|-{3,}|\*{3,}|={3,})\s*$")
_ARCHIVE_REF = re.compile(r"^_?\[\s*(?P<ref>(?:AA|NAA|PRO|TNA|FO|NLA|AWM|[A-Z]{2,5})\s?:\s?[^\]]+)\]_?\s*$")


def is_separator(block: str) -> bool:
    """Tell whether a block only separates the text from its notes ("_", "---")."""
    return bool(_SEPARATOR.match(block))


def archival_reference(block: str) -> str | None:
    """Give the archival reference a block holds ("[AA:A1838/238, 306/1/1, ii]")."""
    match = _ARCHIVE_REF.match(block.strip())
    return " ".join(match.group("ref").split()) if match else None


def footnote(block: str) -> Note | None:
    """Give the note a block holds when it reads as one ("1 Copies of the memorandum ...")."""
    match = _FOOTNOTE.match(block.strip())
    if not match:
        return None
    text = " ".join(match.group("text").split())
    if not text[:1].isupper() and text[:1] not in "[('\"‘“" and not text[:1].isdigit():
        return None
    return Note(text=text, label=match.group("label"))


def footnote_marks(text: str) -> set[str]:
    """Give the footnote marks a text calls ("[1]", "[2]")."""
    return set(re.findall(r"\[(\d{1,3})\]", text))

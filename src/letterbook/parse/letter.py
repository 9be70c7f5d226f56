"""A letter's text -> its parts, shared by the text, Markdown and HTML readers.

The text arrives as blocks (paragraphs). The top of a letter holds its heading, the document line
of a cable, a security marking and the salutation; the bottom its closing, signature, postscript and
a dateline; after it come footnotes and an archival reference, and on pages copied from web archives
the site's navigation. What is left is the body.
"""

from __future__ import annotations

import re

from ..model import Agent, Collection, Letter, Link, Note, Place, Source, When
from .dates import MONTH_NAMES, find_dates, parse_date
from .heading import Heading, parse_heading
from .language import detect_language
from .names import clean, complete_name, make_agent, parse_party, starts_with_honorific, surname
from .parts import (
    archival_reference,
    classification_of,
    document_line,
    footnote,
    footnote_marks,
    is_navigation,
    is_postscript,
    is_preamble,
    is_salutation,
    is_separator,
    is_signature,
    navigation_links,
    rejoin_broken,
    split_closing,
    starts_document_line,
    trailing_signature,
)

_ENCLOSURE = re.compile(r"^(?:enclosures?|attachments?|annex(?:ure)?|appendix|beilagen?|anlagen?|"
                        r"pièces? jointes?)\b.{0,80}$", re.IGNORECASE)


def looks_like_heading(block: str) -> bool:
    """Tell whether a first line is a heading: short, no sentence, naming parties or an edition."""
    text = " ".join(block.split())
    if not text or len(text) > 250 or "\n" in block.strip():
        return False
    if is_salutation(text) or classification_of(text):
        return False
    heading = parse_heading(text)
    return heading.names_parties or heading.collection is not None or (
        heading.kind is not None and not text.endswith("."))


def read_letter(blocks: list[str], source: Source, *, heading: str | None = None,
                folder: str | None = None, links: list[Link] | None = None,
                raw_text: str | None = None) -> Letter:
    """Give the letter that a sequence of text blocks holds, its parts told apart.

    ``heading`` is a title the page gives apart from the text (a Markdown ``#`` line, an HTML
    heading); ``folder`` the name of the folder the file sits in, which may name the
    correspondence ("letters-from-s-m-bruce-to-r-g-casey").
    """
    blocks = [b.strip() for b in blocks if b and b.strip()]
    letter = Letter(source=source, raw_text=raw_text, links=list(links or []))
    if heading is None and blocks and looks_like_heading(blocks[0]):
        heading = " ".join(blocks.pop(0).split())
    parsed = parse_heading(heading) if heading else None

    blocks = _take_navigation(letter, blocks)
    blocks, notes, references, trailing = _take_notes(blocks)
    letter.notes = notes
    if references:
        letter.source.reference = "; ".join(references)
    blocks, enclosure = _split_enclosure(blocks)
    top = _take_top(letter, blocks)
    blocks = blocks[top:]
    blocks = _take_bottom(letter, blocks)
    for block in trailing:
        line = document_line(block)
        if line is not None and letter.dateline is None:
            letter.dateline = " ".join(block.split())
            letter.date = letter.date or line.date
            letter.place = letter.place or line.place
        else:
            letter.notes.append(Note(text=" ".join(block.split()), kind="editorial"))
    body = rejoin_broken(blocks) + rejoin_broken(enclosure)
    letter.body = [" ".join(b.split()) for b in body]

    if letter.date is None and letter.dateline and folder:
        letter.date = _date_from_folder_year(letter.dateline, folder)
    _apply_heading(letter, parsed, heading)
    _fill_parties(letter, folder, raw_text or "\n".join(blocks))
    letter.language = detect_language(" ".join(letter.body))
    return letter


def _take_navigation(letter: Letter, blocks: list[str]) -> list[str]:
    nav: list[str] = []
    while blocks and is_navigation(blocks[-1]):
        nav.insert(0, blocks.pop())
    lead: list[str] = []
    while blocks and is_navigation(blocks[0]):
        lead.append(blocks.pop(0))
    found = navigation_links(lead + nav)
    known = {(link.rel, link.label) for link in letter.links}
    letter.links.extend(link for link in found if (link.rel, link.label) not in known)
    series = next((link.label for link in letter.links if link.rel == "series"), None)
    letter.series = letter.series or series
    return blocks


def _take_notes(blocks: list[str]) -> tuple[list[str], list[Note], list[str], list[str]]:
    """Take footnotes, separators and archival references out of the text; give the blocks kept,
    the notes, the references and datelines found after the notes."""
    kept: list[str] = []
    trailing: list[str] = []
    notes: list[Note] = []
    references: list[str] = []
    after_separator = False
    called: set[str] = set()
    for block in blocks:
        if is_separator(block):
            after_separator = True
            continue
        reference = archival_reference(block)
        if reference:
            if reference not in references:
                references.append(reference)
            continue
        note = footnote(block)
        if note and kept and (after_separator or note.label in called) and len(note.text) > 2:
            notes.append(note)
            after_separator = after_separator or block.startswith("_")
            continue
        if after_separator and len(block) <= 220 and document_line(block) is not None:
            trailing.append(block)  # a dateline printed after the notes ("[MELBOURNE], 6 November 1946")
            continue
        if after_separator and notes:
            # A note's text broken over several blocks, as exports with hard line breaks leave it.
            notes[-1].text = f"{notes[-1].text} {' '.join(block.split())}"
            continue
        called |= footnote_marks(block)
        kept.append(block)
    return kept, notes, references, trailing


def _split_enclosure(blocks: list[str]) -> tuple[list[str], list[str]]:
    for index, block in enumerate(blocks):
        if index > 1 and _ENCLOSURE.match(" ".join(block.split())):
            return blocks[:index], blocks[index:]
    return blocks, []


def _take_top(letter: Letter, blocks: list[str]) -> int:
    """Read the document line, routing, marking, address and salutation at the top; give how many
    blocks they took."""
    index = 0
    pending: list[str] = []
    while index < len(blocks) and index < 10:
        text = " ".join(blocks[index].split())
        if letter.salutation is None and is_salutation(text):
            letter.salutation = text
            if pending:
                letter.address = "\n".join(pending)
                pending = []
            index += 1
            break
        taken = _document_line_at(letter, blocks, index) if letter.dateline is None else 0
        if taken:
            index += taken
            continue
        if is_preamble(text):
            letter.notes.append(Note(text=text, kind="transmission"))
            index += 1
            continue
        marking = classification_of(text)
        if marking:
            letter.classification = ", ".join(x for x in (letter.classification, marking) if x)
            index += 1
            continue
        ahead = next((line for b in blocks[index + 1:index + 4] if len(b) <= 220
                      for line in [document_line(b)] if line is not None), None) \
            if _is_short_line(text) and letter.dateline is None else None
        if ahead is not None:
            if ahead.kind and ahead.kind.split()[-1].rstrip("s") in _TRANSMITTED:
                # Routing above a cable's document line ("McCarthy, Cutler").
                letter.notes.append(Note(text=text, kind="transmission"))
            else:
                # A sender's address above the date line of a letter ("95 Hart st.").
                letter.address = f"{letter.address}\n{text}" if letter.address else text
            index += 1
            continue
        if _is_short_line(text) and any(is_salutation(b) for b in blocks[index + 1:index + 4]):
            pending.append(text)  # an address or a place line above the salutation
            index += 1
            continue
        break
    return index - len(pending)


_TRANSMITTED = {"cablegram", "telegram", "cable", "savingram", "message", "despatche", "despatch", "dispatch"}


def _is_short_line(text: str) -> bool:
    # A period after an abbreviation ("95 Hart st.", "Brooklyn N.Y.") does not end a sentence.
    return len(text) <= 120 and len(text.split()) <= 14 and not re.search(r"[a-z]{4,}\.$", text)


def _document_line_at(letter: Letter, blocks: list[str], index: int) -> int:
    """Read a document line starting at ``blocks[index]``; give how many blocks it took (0: none)."""
    text = " ".join(blocks[index].split())
    taken = 1
    line = document_line(text)
    if line is None and starts_document_line(text) and index + 1 < len(blocks):
        # "Cablegram 66," / "LONDON, 28 April 1938": one document line over two blocks, perhaps
        # with the security marking between them.
        for gap in (1, 2):
            if index + gap >= len(blocks):
                break
            following = " ".join(blocks[index + gap].split())
            if gap == 2 and not classification_of(" ".join(blocks[index + 1].split())):
                break
            line = document_line(f"{text} {following}")
            if line is not None:
                if gap == 2:
                    marking = classification_of(" ".join(blocks[index + 1].split()))
                    letter.classification = marking
                text = f"{text} {following}"
                taken = gap + 1
                break
    if line is None:
        return 0
    letter.dateline = text
    letter.date = letter.date or line.date
    letter.place = letter.place or line.place
    letter.kind = letter.kind or line.kind
    if line.classification:
        letter.classification = ", ".join(x for x in (letter.classification, line.classification) if x)
    return taken


def _take_bottom(letter: Letter, blocks: list[str]) -> list[str]:
    """Read the dateline, closing, signature and postscript at the end; give the body left."""
    blocks = list(blocks)
    # A dateline after the signature ("December 23, 1945").
    if blocks:
        line = document_line(blocks[-1])
        if line is not None and line.date is not None and len(blocks[-1]) <= 80:
            if letter.dateline is None:
                letter.dateline = " ".join(blocks[-1].split())
            letter.date = letter.date or line.date
            letter.place = letter.place or line.place
            blocks.pop()
    # Where does the letter sign off? The last signature or closing within the last blocks.
    sign_at = None
    for index in range(len(blocks) - 1, max(-1, len(blocks) - 6), -1):
        block = blocks[index]
        if split_closing(block)[0] is not None or (is_signature(block) and not _section_heading(blocks, index)):
            sign_at = index
            break
        if is_postscript(block):
            continue
    if sign_at is not None:
        tail = blocks[sign_at + 1:]
        block = blocks[sign_at]
        closing, signature = split_closing(block)
        if closing is None:
            signature = " ".join(block.split())
        # "G.F.PEARCE / I leave Melbourne ... / G.F.P.": the last initials sign a postscript.
        earlier = _earlier_signature(blocks, sign_at)
        if earlier is not None and signature and _is_initials(signature):
            letter.postscript = "\n\n".join(" ".join(b.split()) for b in blocks[earlier + 1:sign_at])
            letter.postscript += f"\n\n{signature}"
            block = blocks[earlier]
            closing, signature = split_closing(block)
            if closing is None:
                signature = " ".join(block.split())
            sign_at = earlier
        letter.signature = signature
        letter.closing = closing
        if closing is None and sign_at > 0:
            before_closing, _ = split_closing(blocks[sign_at - 1])
            if before_closing and not letter.closing:
                letter.closing = before_closing
                sign_at -= 1
        if tail:
            extra = "\n\n".join(" ".join(b.split()) for b in tail)
            letter.postscript = f"{letter.postscript}\n\n{extra}" if letter.postscript else extra
        blocks = blocks[:sign_at]
    elif blocks:
        split = trailing_signature(blocks[-1])
        if split:
            blocks[-1], letter.signature = split
    # A postscript that stands after the body without a second signature.
    for index, block in enumerate(blocks):
        if index > 0 and is_postscript(block):
            ps = "\n\n".join(" ".join(b.split()) for b in blocks[index:])
            letter.postscript = f"{ps}\n\n{letter.postscript}" if letter.postscript else ps
            blocks = blocks[:index]
            break
    return blocks


_DAY_MONTH = re.compile(rf"(?<![\w\[])(?P<d>[0-3]?\d)(?:st|nd|rd|th|\.)?\s+(?P<m>{MONTH_NAMES})\b\.?(?![\s,]*\d)",
                        re.IGNORECASE)


def _date_from_folder_year(dateline: str, folder: str) -> When | None:
    """Give the date of a dateline without a year ("TOKYO, 13 August") when the folder's name
    gives the one year its letters are from ("volume-10-1946-july-december"); kept uncertain."""
    years = set(re.findall(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)", folder))
    match = _DAY_MONTH.search(dateline)
    if len(years) != 1 or not match:
        return None
    written = match.group(0)
    when = parse_date(f"{written} {years.pop()}")
    if when is None or when.when is None:
        return None
    when.as_written = written
    when.certainty = "medium"
    return when


_NUMBERED = re.compile(r"^\s*(?:\(?[0-9]{1,3}[.)]|\([a-z]{1,3}\)|[0-9]{1,3}\\\.)\s")


def _section_heading(blocks: list[str], at: int) -> bool:
    """Tell whether a line in capitals with text after it heads a section rather than signs the
    letter: a word opening the body ("PRESENT" over the minutes' list), introducing what follows
    ("CONCLUSION / It was agreed:-"), before numbered paragraphs, or one of the document's
    headings in capitals, others standing after its first paragraph ("GERMANY ... ITALY ...
    JAPAN / 7. The settlement ...")."""
    block = " ".join(blocks[at].split())
    tail = blocks[at + 1:]
    if not tail or not block.isupper():
        return False
    following = " ".join(tail[0].split())
    if (at == 0 and "." not in block) or any(_NUMBERED.match(b) for b in tail) or (
            following.endswith((":", ":-", ":—")) and not following.startswith("[")):  # not an editor's note
        return True
    # Not the office under a signature ("ARCHDALE PARKHILL / Minister for Defence"): a paragraph.
    return len(following.split()) >= 6 and any(_capital_line(b) for b in [*blocks[1:at], *tail[1:]])


def _capital_line(block: str) -> bool:
    """Tell whether a block is a line in capitals: a heading, a name; not a security marking."""
    text = " ".join(block.split())
    return text.isupper() and len(text.split()) <= 8 and classification_of(text) is None


def _is_initials(text: str) -> bool:
    return bool(re.fullmatch(r"(?:[A-Z]\.\s?){1,4}", text.strip()))


def _earlier_signature(blocks: list[str], before: int) -> int | None:
    for index in range(before - 1, max(-1, before - 5), -1):
        if is_signature(blocks[index]) or split_closing(blocks[index])[0] is not None:
            return index
    return None


def _apply_heading(letter: Letter, parsed: Heading | None, heading: str | None) -> None:
    if parsed is None or heading is None:
        return
    title = heading
    if parsed.collection and parsed.collection.volume:
        title = re.sub(r"\s*\([^()]*\b(?:Vol|Volume|Bd|Band)\b[^()]*\)\s*", " ", heading).strip()
    letter.title = " ".join(title.split())
    letter.kind = parsed.kind or letter.kind
    if parsed.sender:
        letter.sender = parsed.sender
        letter.co_senders = parsed.co_senders
    if parsed.recipients:
        letter.recipients = parsed.recipients
    if parsed.date and (letter.date is None or letter.date.when is None):
        letter.date = parsed.date
    if parsed.place and letter.place is None:
        letter.place = parsed.place
    if parsed.collection:
        letter.collection = parsed.collection


_SALUTE_NAME = re.compile(
    r"^(?:my\s+)?(?:very\s+)?(?:dear(?:est)?|lieber?|liebe|cher|chère|sehr geehrter?|verehrter?)\s+"
    r"(?P<name>(?:(?:Mr|Mrs|Miss|Ms|Dr|Sir|Lord|Lady|Herr|Frau|Prof|Professor|Monsieur|Madame)\.?\s+)?"
    r"[A-ZÄÖÜ][\w.'’\- ]*?)\s*[,:!.]?$",
    re.IGNORECASE,
)
_NOT_A_NAME = {"sir", "madam", "sirs", "friend", "friends", "colleague", "father", "mother",
               "brother", "sister", "son", "daughter", "mr president", "president", "prime minister",
               "p.m.", "p.m", "p m.", "chief", "boss", "freund", "freundin", "ami", "amie",
               "monsieur", "madame", "excellency", "your excellency"}


def _fill_parties(letter: Letter, folder: str | None, page_text: str) -> None:
    """Fill sender and recipients the heading did not give: from the signature, the salutation and
    the folder's name; complete short forms from fuller ones on the same page."""
    if letter.sender is None and letter.signature:
        sig = _normal_case(letter.signature)
        if not _is_initials(letter.signature):
            letter.sender = Agent(name=sig, as_written=letter.signature)
    if not letter.recipients and letter.salutation:
        match = _SALUTE_NAME.match(letter.salutation)
        if match:
            name = match.group("name").strip(" ,")
            if name.lower().strip() not in _NOT_A_NAME and len(name.split()) <= 4 and len(name) > 2:
                agent = make_agent(name, as_written=letter.salutation)
                if agent.name.lower() not in _NOT_A_NAME:
                    letter.recipients = [agent]
    if not letter.recipients and letter.address:
        # An inside address above the salutation: "To the Rt Hon. W. M. Hughes", "Mr S. M. Bruce".
        for line in letter.address.split("\n"):
            candidate = re.sub(r"^(?:(?:to|an|à)\s+)?(?:the\s+)?", "", line.strip(), flags=re.IGNORECASE)
            if starts_with_honorific(candidate) and not find_dates(candidate):
                letter.recipients = [make_agent(candidate.split(",")[0], as_written=line.strip())]
                break
    parties = parties_from_folder(folder) if folder else []
    if parties:
        _fill_from_parties(letter, parties)
    fuller = _name_forms(page_text)
    for agent in [a for a in [letter.sender, *letter.recipients] if a is not None]:
        if re.search(r"\b[A-Z]\.", agent.name):
            full = complete_name(agent.name, fuller)
            if full:
                agent.name = full
    if letter.title is None and (letter.sender or letter.recipients):
        parts = [letter.sender.name if letter.sender else "Unknown", "to",
                 ", ".join(a.name for a in letter.recipients) or "unknown"]
        title = " ".join(parts)
        if letter.date and letter.date.as_written:
            title += f", {letter.date.as_written}"
        letter.title = title


def _fill_from_parties(letter: Letter, parties: list[str]) -> None:
    def matches(agent: Agent | None, party: str) -> bool:
        return agent is not None and surname(agent.name).lower() == surname(party).lower()

    if letter.sender and not letter.recipients:
        others = [p for p in parties if not matches(letter.sender, p)]
        if len(others) == 1 and len(others) < len(parties):
            letter.recipients = [Agent(name=others[0], as_written=letter.salutation or others[0])]
    elif letter.recipients and letter.sender is None:
        others = [p for p in parties if not any(matches(r, p) for r in letter.recipients)]
        if len(others) == 1 and len(others) < len(parties):
            letter.sender = Agent(name=others[0], as_written=others[0])
    # A party named more fully by the folder than by the letter ("Bruce" -> "S. M. Bruce").
    for agent in [letter.sender, *letter.recipients]:
        for party in parties:
            if agent is not None and matches(agent, party) and len(party) > len(agent.name):
                agent.name = party


_FOLDER_PARTIES = re.compile(
    r"(?:letters?|correspondence|briefe|briefwechsel|lettres)[-_ ]+(?:from[-_ ]+|of[-_ ]+|von[-_ ]+|de[-_ ]+)?"
    r"(?P<a>[a-z][a-z\-_ ]*?)[-_ ]+(?:to|and|an|und|à|et|with|mit|avec)[-_ ]+(?P<b>[a-z][a-z\-_ ]*?)$",
    re.IGNORECASE,
)


def parties_from_folder(folder: str) -> list[str]:
    """Give the two correspondents a folder's name gives ("volume-17-...-letters-from-s-m-bruce-to-
    r-g-casey" -> ["S. M. Bruce", "R. G. Casey"]); empty when it names none."""
    match = _FOLDER_PARTIES.search(folder.strip("/"))
    if not match:
        return []
    return [_slug_name(match.group("a")), _slug_name(match.group("b"))]


def _slug_name(slug: str) -> str:
    words = [w for w in re.split(r"[-_ ]+", slug) if w]
    out = []
    for word in words:
        out.append(word.upper() + "." if len(word) == 1 else _normal_case(word.capitalize()))
    return " ".join(out)


def _normal_case(name: str) -> str:
    """Give a name written in capitals in its ordinary case, initials spaced:
    "R.G. CASEY" -> "R. G. Casey", "F. L. McDOUGALL" -> "F. L. McDougall"."""
    name = " ".join(name.split())
    name = re.sub(r"\b([A-ZÄÖÜ])\.(?=[A-ZÄÖÜ])", r"\1. ", name)
    words = []
    for word in re.split(r"(\s+|\.)", name):
        letters = [c for c in word if c.isalpha()]
        if len(letters) > 2 and sum(c.isupper() for c in letters) >= len(letters) - 1:
            prefix = "Mc" if word[:2].lower() == "mc" else ""
            rest = word[len(prefix):]
            word = prefix + "-".join(part.capitalize() for part in rest.split("-"))
            word = re.sub(r"(?<=[’'])([a-z])", lambda m: m.group(1).upper(), word)  # O'Brien
        words.append(word)
    return "".join(words)


_NAME_FORM = re.compile(r"\b(?:[A-Z][a-z]+|[A-Z]\.)(?:[^\S\n]+(?:[A-Z][a-z]+|[A-Z]\.)){1,3}")


def _name_forms(text: str) -> list[str]:
    return sorted({m.group(0) for m in _NAME_FORM.finditer(text)}, key=len, reverse=True)


__all__ = ["looks_like_heading", "parties_from_folder", "read_letter"]

# Names used by readers that build letters from parts they found themselves.
_ = (Collection, Place, When, clean, parse_party, find_dates)

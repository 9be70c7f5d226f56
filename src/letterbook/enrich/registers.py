"""Authority registers -> person and place records: TEI ``listPerson``/``listPlace`` (an edition's
people and places files), CSV registers (name, forms, ref columns), and the authority URIs (GND,
VIAF, Wikidata, GeoNames, Library of Congress) that CMIF files and TEI ``@ref`` carry.

Records are what the people and place indexes anchor on: a name, the forms it is written in, its
authority URIs and, for places, coordinates. XML is parsed as the TEI reader parses it: no
entities resolved, no DTD loaded, no network.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..errors import UnreadableFile
from ..model import AgentKind
from .forms import slug

__all__ = [
    "PersonRecord",
    "PlaceRecord",
    "Registers",
    "authority",
    "authority_id",
    "read_csv_register",
    "read_register",
    "read_tei_register",
]

Element = etree._Element
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


@dataclass(frozen=True)
class PersonRecord:
    """A person or organisation an authority register knows: its id there, the name to show, the
    forms it is written in, its authority URIs, life dates (years) and where the record came from."""

    id: str
    name: str
    forms: tuple[str, ...] = ()
    refs: tuple[str, ...] = ()
    kind: AgentKind = "person"
    surname: str | None = None
    forenames: str | None = None
    born: int | None = None
    died: int | None = None
    keys: tuple[str, ...] = ()  # what an edition's markup points with (``@key``, ``@n``)
    note: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class PlaceRecord:
    """A place: its id, name, the forms it is written in (other languages, older spellings), its
    authority URIs, coordinates where known, what kind of place, country code and population."""

    id: str
    name: str
    forms: tuple[str, ...] = ()
    refs: tuple[str, ...] = ()
    lat: float | None = None
    lon: float | None = None
    kind: str | None = None  # "city", "country", "region", ... where the source says
    country: str | None = None
    population: int | None = None
    keys: tuple[str, ...] = ()
    note: str | None = None
    source: str | None = None


@dataclass
class Registers:
    """The authority records an archive holds: persons (and organisations) and places."""

    persons: list[PersonRecord] = field(default_factory=list)
    places: list[PlaceRecord] = field(default_factory=list)

    def extend(self, other: Registers) -> Registers:
        """Give this register with ``other``'s records added (for chaining)."""
        self.persons.extend(other.persons)
        self.places.extend(other.places)
        return self

    @classmethod
    def load(cls, *paths: str | os.PathLike[str]) -> Registers:
        """Give the records of every register file named: TEI (listPerson/listPlace) or CSV."""
        registers = cls()
        for path in paths:
            registers.extend(read_register(path))
        return registers


# ---------------------------------------------------------------- authority URIs

_AUTHORITIES: list[tuple[re.Pattern[str], str, str]] = [
    (re.compile(r"^(?:gnd:|https?://d-nb\.info/gnd/)([0-9X-]+)/?$", re.I), "https://d-nb.info/gnd/{}", "gnd-{}"),
    (re.compile(r"^(?:viaf:|https?://(?:www\.)?viaf\.org/viaf/)(\d+)/?$", re.I), "https://viaf.org/viaf/{}", "viaf-{}"),
    (re.compile(r"^(?:wd:|wikidata:|https?://(?:www\.)?wikidata\.org/(?:wiki|entity)/)?(Q\d+)$", re.I),
     "http://www.wikidata.org/entity/{}", "wikidata-{}"),
    (re.compile(r"^(?:geonames:|https?://(?:sws\.|www\.)?geonames\.org/)(\d+)(?:/.*)?$", re.I),
     "https://sws.geonames.org/{}/", "geonames-{}"),
    (re.compile(r"^(?:lc:|lccn:|https?://id\.loc\.gov/authorities/(?:names|subjects)/)([a-z]{1,3}\d+)(?:\.html)?$",
                re.I), "http://id.loc.gov/authorities/names/{}", "lc-{}"),
]


def authority(ref: str | None) -> str | None:
    """Give an authority reference as its canonical URI ("gnd:118642499" ->
    "https://d-nb.info/gnd/118642499", "Q855" -> Wikidata's entity URI); other URIs as they are;
    None for what is not a reference (a bare name, an edition's internal key)."""
    if not ref:
        return None
    ref = ref.strip()
    for pattern, uri, _ in _AUTHORITIES:
        match = pattern.match(ref)
        if match:
            value = match.group(1)
            return uri.format(value.upper() if value[0] in "qQ" else value)
    if re.match(r"^https?://\S+$", ref):
        return ref
    return None


def authority_id(uri: str) -> str | None:
    """Give a short id for an authority URI: "gnd-118642499", "geonames-2657896"; None for others."""
    for pattern, _, short in _AUTHORITIES:
        match = pattern.match(uri)
        if match:
            value = match.group(1)
            return short.format(value.upper() if value[0] in "qQ" else value)
    return None


def _idno_uri(kind: str, value: str) -> str | None:
    kind = kind.lower()
    value = value.strip()
    if not value:
        return None
    if kind in ("gnd", "viaf", "geonames", "wikidata", "lc", "lccn"):
        return authority(f"{kind}:{value}") or authority(value)
    return authority(value)


# ---------------------------------------------------------------- TEI listPerson / listPlace


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                           remove_comments=True)


def _local(el: Element) -> str:
    tag = el.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _text(el: Element | None, *, skip: tuple[str, ...] = ("note", "add", "bibl")) -> str:
    """Give an element's words without the parts named in ``skip`` (an index's additions)."""
    if el is None:
        return ""
    out: list[str] = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and _local(child) not in skip:
            out.append(_text(child, skip=skip))
            if _local(child) in ("forename", "surname", "addName", "roleName", "nameLink"):
                out.append(" ")
        if child.tail:
            out.append(child.tail)
    return " ".join("".join(out).split())


def _children(el: Element, name: str) -> list[Element]:
    return [c for c in el if isinstance(c.tag, str) and _local(c) == name]


def _year(text: str | None) -> int | None:
    if not text:
        return None
    match = re.search(r"(?<!\d)(\d{3,4})(?!\d)", text)
    if not match or re.search(r"v\.\s*Chr|BC|B\.C\.", text):
        return None
    return int(match.group(1))


def _date_year(el: Element | None) -> int | None:
    if el is None:
        return None
    for attr in ("when", "notBefore", "notAfter", "from", "to"):
        if el.get(attr):
            return _year(el.get(attr))
    return _year(_text(el))


def _refs(el: Element) -> list[str]:
    refs: list[str] = []
    for idno in el.iter():
        if _local(idno) == "idno":
            uri = _idno_uri(idno.get("type") or "", idno.text or "")
            if uri:
                refs.append(uri)
    for attr in ("ref", "sameAs", "corresp"):
        for value in (el.get(attr) or "").split():
            uri = authority(value)
            if uri:
                refs.append(uri)
    return list(dict.fromkeys(refs))


def _person(el: Element, source: str) -> PersonRecord | None:
    names = _children(el, "persName") or _children(el, "orgName") or _children(el, "name")
    if not names:
        return None
    forms: list[str] = []
    surname = forenames = None
    for name in names:
        sur = " ".join(_text(s) for s in _children(name, "surname")) or None
        fore = " ".join(_text(f) for f in _children(name, "forename")) or None
        if sur or fore:
            full = " ".join(p for p in (fore, sur) if p)
            forms.append(full)
            if sur and fore:
                forms.append(f"{sur}, {fore}")
            if surname is None:
                surname, forenames = sur, fore
        written = _text(name)
        if written:
            forms.append(written)
    forms = [f for f in forms if f]
    if not forms:
        return None
    ident = el.get(XML_ID) or el.get("n") or slug(forms[0])
    keys = tuple(k for k in (el.get("n"), el.get("key")) if k)
    kind: AgentKind = "organisation" if _local(el) == "org" or _local(names[0]) == "orgName" else "person"
    refs = _refs(el)
    for name in names:
        refs.extend(r for r in _refs(name) if r not in refs)
    birth = next(iter(_children(el, "birth")), None)
    born, died = _date_year(birth), _date_year(next(iter(_children(el, "death")), None))
    if birth is not None and re.search(r"\b(?:gest|died|d)\.|†", _text(birth)):
        born, died = None, died or born  # "<birth>gest. 1836</birth>": a death date in the wrong place
    return PersonRecord(
        id=ident, name=forms[0], forms=tuple(dict.fromkeys(f for f in forms if f)), refs=tuple(refs),
        kind=kind, surname=surname, forenames=forenames, born=born, died=died,
        keys=keys, note=el.get("type"), source=source,
    )


#: A country's or canton's code written after a place's name in a register ("Paris (F)").
_CODE_AFTER = re.compile(r"\s*\([A-Z]{1,3}\)$")


def _place(el: Element, source: str) -> PlaceRecord | None:
    names = _children(el, "placeName") or _children(el, "settlement") or _children(el, "name")
    main = next((n for n in names if (n.get("type") or "main") == "main"), names[0] if names else None)
    if main is None:
        return None
    name = _text(main)
    forms = [name] + [_text(n) for n in names if n is not main and (n.get("type") or "") not in ("add",)]
    # "Paris (F)", "Münster (LU)": a country's or canton's code after the name is no part of it.
    forms += [f[:m.start()] for f in forms if (m := _CODE_AFTER.search(f)) is not None and m.start() >= 2]
    lat = lon = None
    for geo in el.iter():
        if _local(geo) == "geo" and geo.text:
            numbers = re.findall(r"-?\d+(?:\.\d+)?", geo.text)
            if len(numbers) >= 2:
                lat, lon = float(numbers[0]), float(numbers[1])
                break
    refs = _refs(el)
    for desc in _children(el, "desc"):
        for ref in desc.iter():
            if _local(ref) == "ref" and ref.get("target", "").startswith("http"):
                refs.append(ref.get("target", ""))
    keys = tuple(k for k in (el.get("n"), el.get("key")) if k)
    return PlaceRecord(
        id=el.get(XML_ID) or el.get("n") or slug(name), name=name,
        forms=tuple(dict.fromkeys(f for f in forms if f)), refs=tuple(dict.fromkeys(refs)), lat=lat, lon=lon,
        kind=el.get("type") if el.get("type") not in (None, "approximate") else None,
        keys=keys, note=_text(next(iter(_children(main, "add")), None)) or None, source=source,
    )


def read_tei_register(data: bytes | str | os.PathLike[str], *, source: str | None = None) -> Registers:
    """Give the persons (``listPerson``, ``listOrg``) and places (``listPlace``) of a TEI file,
    from a path or from the file's bytes."""
    if isinstance(data, bytes):
        raw, name = data, source or "register"
    else:
        path = Path(data)
        raw, name = path.read_bytes(), source or path.name
    try:
        root = etree.fromstring(raw, _parser())
    except etree.XMLSyntaxError as exc:
        raise UnreadableFile(name, f"broken XML: {exc.msg or exc}") from None
    registers = Registers()
    for el in root.iter():
        tag = _local(el)
        if tag in ("person", "org") and any(_local(a) in ("listPerson", "listOrg") for a in el.iterancestors()):
            record = _person(el, name)
            if record:
                registers.persons.append(record)
        elif tag == "place" and any(_local(a) == "listPlace" for a in el.iterancestors()):
            place = _place(el, name)
            if place:
                registers.places.append(place)
    return registers


# ---------------------------------------------------------------- CSV registers

_SPLIT = re.compile(r"\s*[|;]\s*")


def _column(row: dict[str, str], *names: str) -> str:
    for name in names:
        for key, value in row.items():
            if key and key.strip().lower() == name and value:
                return value.strip()
    return ""


def _float(text: str) -> float | None:
    try:
        return float(text) if text else None
    except ValueError:
        return None


def read_csv_register(data: str | os.PathLike[str] | io.TextIOBase, *, kind: str | None = None,
                      source: str | None = None) -> Registers:
    """Give the records of a CSV register: one row a person, organisation or place, with the
    columns ``name`` (required), ``forms`` (other forms, separated by ``|`` or ``;``), ``ref``
    (authority URIs, separated the same way), and optionally ``id``, ``kind`` (person,
    organisation, place), ``lat``/``lon``, ``born``/``died``, ``country``, ``population``.

    ``kind`` sets what every row is when the file has no kind column; a file with ``lat``/``lon``
    columns and no kind is a place register."""
    if isinstance(data, io.TextIOBase):
        handle: Iterable[str] = data
        name = source or "register.csv"
        rows = list(csv.DictReader(handle))
    else:
        path = Path(data)
        name = source or path.name
        with path.open(encoding="utf-8-sig", newline="") as file:
            sample = file.read(4096)
            file.seek(0)
            dialect = csv.Sniffer().sniff(sample, delimiters=",;\t") if sample else csv.excel
            rows = list(csv.DictReader(file, dialect=dialect))
    registers = Registers()
    for number, row in enumerate(rows, start=1):
        title = _column(row, "name", "label", "title")
        if not title:
            continue
        forms = tuple(dict.fromkeys([title, *(f for f in _SPLIT.split(_column(row, "forms", "variants",
                                                                              "alternatives")) if f)]))
        refs = tuple(dict.fromkeys(u for u in (authority(r) for r in _SPLIT.split(
            _column(row, "ref", "refs", "uri", "uris", "authority", "gnd", "viaf", "wikidata", "geonames"))) if u))
        what = (_column(row, "kind", "type") or kind or "").lower()
        lat, lon = _float(_column(row, "lat", "latitude")), _float(_column(row, "lon", "lng", "longitude"))
        ident = _column(row, "id", "key") or (authority_id(refs[0]) if refs else None) or f"{slug(title)}"
        if what in ("place", "places", "ort") or (not what and (lat is not None or lon is not None)):
            population = _column(row, "population")
            registers.places.append(PlaceRecord(
                id=ident, name=title, forms=forms, refs=refs, lat=lat, lon=lon,
                kind=_column(row, "feature", "place_type") or None, country=_column(row, "country") or None,
                population=int(population) if population.isdigit() else None, source=f"{name}:{number}"))
        else:
            registers.persons.append(PersonRecord(
                id=ident, name=title, forms=forms, refs=refs,
                kind="organisation" if what in ("organisation", "organization", "org") else "person",
                born=_year(_column(row, "born", "birth")), died=_year(_column(row, "died", "death")),
                note=_column(row, "note", "description") or None, source=f"{name}:{number}"))
    return registers


def read_register(path: str | os.PathLike[str]) -> Registers:
    """Give the records of a register file, TEI or CSV, told apart by content."""
    path = Path(path)
    head = path.read_bytes()[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return read_tei_register(path)
    return read_csv_register(path)


def iter_refs(refs: Iterable[str | None]) -> Iterator[str]:
    """Give the authority URIs among ``refs``, canonical and without repeats."""
    seen: set[str] = set()
    for ref in refs:
        for part in (ref or "").split():
            uri = authority(part)
            if uri and uri not in seen:
                seen.add(uri)
                yield uri

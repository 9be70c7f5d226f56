"""The TEI reader: whole real editions from ../shared/corpora, checked against each file's own
metadata, and small inline files for the encodings and the failures those editions do not show."""

from __future__ import annotations

import re
import time
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from letterbook import UnreadableFile
from letterbook.read import read_path

TEI = "{http://www.tei-c.org/ns/1.0}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def words(el: etree._Element | None) -> str:
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def reading(el: etree._Element) -> str:
    """The text as read: without struck-out words, the uncorrected spelling, expansions and notes."""
    texts = el.xpath(".//text()[not(ancestor::t:del or ancestor::t:sic or ancestor::t:expan "
                     "or ancestor::t:note)]", namespaces={"t": TEI[1:-1]})
    return " ".join("".join(texts).split())


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def tei(header: str = "", body: str = "<p>Text of the letter.</p>", *, title: str = "A letter",
        text_attrs: str = "") -> str:
    return (f'<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt>'
            f"<title>{title}</title></titleStmt><publicationStmt><p>Test edition</p></publicationStmt>"
            f"<sourceDesc><p/></sourceDesc></fileDesc>{header}</teiHeader>"
            f"<text{text_attrs}><body>{body}</body></text></TEI>")


# ---------------------------------------------------------------- Escher: 5,019 letters


def _escher_expected(path: Path) -> dict[str, object]:
    """What one Escher file says of its letter, read simply: the parties typed in its one
    correspDesc action, put on the side of "an" where its title puts them; the date from the file
    name (00 = not known); the places from correspDesc."""
    root = etree.parse(str(path)).getroot()
    title = words(root.find(f".//{TEI}titleStmt/{TEI}title"))
    sent = root.find(f".//{TEI}correspDesc/{TEI}correspAction[@type='sent']")
    received = root.find(f".//{TEI}correspDesc/{TEI}correspAction[@type='received']")
    typed = [words(el) for el in sent if el.get("type") in ("sender", "addressee")]
    writers = title.split(" an ", 1)[0]
    senders = sorted((n for n in typed if n in writers), key=writers.find)
    recipients = [n for n in typed if n not in senders]
    stamps = re.findall(r"(\d{4})[-.](\d\d)[-.](\d\d)", path.stem)
    if len(stamps) == 1:
        year, month, day = stamps[0]
        # 00 is not known; a day of an unknown month tells only the year
        parts = [year] if month == "00" else [year, month] if day == "00" else [year, month, day]
        date = ("when", "-".join(parts) if year != "0000" else None)
    else:
        date = ("range", "-".join(stamps[0]), "-".join(stamps[-1]))
    place = sent.find(f"{TEI}placeName")
    destination = received.find(f"{TEI}placeName") if received is not None else None
    return {"senders": senders, "recipients": recipients, "date": date,
            "place": words(place) or None, "destination": words(destination) or None}


@pytest.mark.shared
def test_escher_whole_edition_matches_its_own_metadata(shared_path):
    folder = shared_path("corpora", "escher-briefedition", "briefe")
    files = sorted(folder.glob("*.xml"))
    assert len(files) == 5019
    started = time.monotonic()
    counts: Counter[str] = Counter()
    misses: dict[str, list[str]] = {}

    def miss(field: str, path: Path, got: object, want: object) -> None:
        misses.setdefault(field, []).append(f"{path.name}: got {got!r}, want {want!r}")

    for path in files:
        letters = read_path(path)
        assert len(letters) == 1, path.name
        letter = letters[0]
        want = _escher_expected(path)
        got_senders = [a.name for a in [letter.sender, *letter.co_senders] if a]
        if got_senders[:1] == want["senders"][:1] and set(got_senders) == set(want["senders"]):
            counts["sender"] += 1
        else:
            miss("sender", path, got_senders, want["senders"])
        got_recipients = [a.name for a in letter.recipients]
        if got_recipients == want["recipients"]:
            counts["recipients"] += 1
        else:
            miss("recipients", path, got_recipients, want["recipients"])
        date = letter.date
        kind, *values = want["date"]
        got_date: tuple[str | None, ...] = (None,)
        if date is not None:
            got_date = (date.when,) if kind == "when" else (date.not_before, date.not_after)
        if got_date == tuple(values):
            counts["date"] += 1
        else:
            miss("date", path, date, values)
        got_place = letter.place.name if letter.place else None
        counts["place"] += got_place == want["place"]
        if got_place != want["place"]:
            miss("place", path, got_place, want["place"])
        got_destination = letter.destination.name if letter.destination else None
        counts["destination"] += got_destination == want["destination"]
        counts["with place"] += want["place"] is not None
        counts["body"] += bool(letter.body)
    took = time.monotonic() - started
    print(f"\nescher: {len(files)} letters in {took:.1f}s, sender {counts['sender']}/{len(files)}, "
          f"recipients {counts['recipients']}/{len(files)}, date {counts['date']}/{len(files)}, "
          f"place {counts['place']}/{len(files)} ({counts['with place']} have one), "
          f"destination {counts['destination']}/{len(files)}, with body text {counts['body']}")
    shown = {field: found[:5] for field, found in misses.items()}
    assert not misses, f"letters that differ from their file's metadata: {shown}"
    # A few letters are all opener and closer (a two-line note): no body paragraph to read.
    assert counts["body"] >= len(files) - 20


@pytest.mark.shared
def test_escher_letter_parts(shared_path):
    path = shared_path("corpora", "escher-briefedition", "briefe",
                       "K_0027_Escher-Hess_Martin_an_Escher_1852-10-00.xml")
    letter = read_path(path)[0]
    assert letter.sender is not None and letter.sender.name == "Martin Escher-Hess"
    assert letter.salutation == "Hochgeachteter Herr Regierungs Präsident!"
    assert letter.closing == "Genehmigen Sie die Versicherung meiner vorzüglichen Hochachtung"
    assert letter.signature == "M. Escher Heß"
    assert letter.postscript and letter.postscript.startswith("Mit dem Artikel 1.")
    assert letter.postscript.count("\n\n") == 2  # three paragraphs
    # <del>r</del> is dropped: the writer struck it out
    assert "deßen Politische Farben" in " ".join(letter.body)
    assert letter.date is not None and letter.date.when == "1852-10"
    assert letter.collection is not None and letter.collection.number == "K_0027"
    assert letter.collection.title == "Digitale Briefedition Alfred Escher"
    assert letter.source.reference == "BAR, CH-BAR#J1.67#1000/1363#194*, J I.67"
    assert [n.kind for n in letter.notes] == ["addendum"]
    assert {link.rel for link in letter.links} >= {"prev-in-collection", "next-in-collection",
                                                   "prev-in-correspondence", "next-in-correspondence"}


# ---------------------------------------------------------------- Whitman–Heyde: no correspDesc


def _title_parties(title: str) -> tuple[str, str]:
    match = re.match(r"(.+?) [Tt]o (.+?)(?:,|\s+\[|\s+(?:January|February|March|April|May|June|July|"
                     r"August|September|October|November|December)\b|$)", title)
    assert match, title
    return match.group(1), match.group(2)


@pytest.mark.shared
def test_whitman_heyde_read_from_title_and_dateline(shared_path):
    folder = shared_path("corpora", "scholarly-editing-letters", "whitman-heyde")
    files = sorted(p for p in folder.glob("*.xml") if not p.name.startswith("intro"))
    assert len(files) == 20
    counts: Counter[str] = Counter()
    unsplit: list[str] = []
    for path in files:
        root = etree.parse(str(path)).getroot()
        title = words(root.find(f".//{TEI}titleStmt/{TEI}title"))
        author = words(root.find(f".//{TEI}titleStmt/{TEI}author"))
        bibl_date = root.find(f".//{TEI}sourceDesc/{TEI}bibl/{TEI}date")
        names = [el for el in root.iterfind(f".//{TEI}opener/{TEI}dateline//*")
                 if el.tag in (f"{TEI}name", f"{TEI}placeName") and words(el)]
        sender, recipient = _title_parties(title)

        [letter] = read_path(path)
        assert letter.title == title
        assert letter.sender is not None and letter.sender.name == sender == author, path.name
        if [r.name for r in letter.recipients] == [recipient]:
            counts["recipient"] += 1
        else:
            unsplit.append(f"{title!r} gave {[r.name for r in letter.recipients]}")
        assert letter.date is not None and letter.date.when == bibl_date.get("when"), path.name
        if bibl_date.get("cert"):
            assert letter.date.certainty == bibl_date.get("cert")
        elif "[" in words(bibl_date):
            assert letter.date.certainty == "medium"  # the editors' conjecture
        if names:
            counts["place"] += 1
            assert letter.place is not None and letter.place.as_written == reading(names[0])
            assert letter.place.name and letter.place.name in reading(names[0])
        else:
            assert letter.place is None
        greeting = root.xpath(".//t:body//t:salute[not(ancestor::t:closer)]", namespaces={"t": TEI[1:-1]})
        assert letter.salutation == (reading(greeting[0]) if greeting else None), path.name
        assert letter.body and letter.notes
        assert all(n.text not in " ".join(letter.body) for n in letter.notes)
        counts["letters"] += 1
    print(f"\nwhitman-heyde: {counts['letters']} letters, "
          f"recipient {counts['recipient']}/{counts['letters']}, "
          f"place from the dateline in {counts['place']}")
    assert not unsplit, f"parse_heading did not read the recipient of: {unsplit}"
    # The edition's introduction is not a letter.
    with pytest.raises(UnreadableFile, match="no letter found"):
        read_path(folder / "intro.mullinswhitmanheyde.xml")


@pytest.mark.shared
def test_whitman_heyde_parts(shared_path):
    path = shared_path("corpora", "scholarly-editing-letters", "whitman-heyde", "DUKE008hwhlvvw71856.xml")
    [letter] = read_path(path)
    assert letter.salutation == "Dear Mother,"
    assert letter.closing == "Good Bye Mamy"
    assert letter.signature == "Han"
    assert letter.place is not None and letter.place.name == "Burlington"
    assert letter.postscript == ("Mother I do not complain because I want sympathy. "
                                 "I have not misrepresented anything.")
    text = " ".join(letter.body)
    assert "can't help" in text and "cant help" not in text  # <choice><sic>/<corr>: corr
    assert "Jeffy has got well" in text  # the note after "Jeffy" is a note, not text
    assert letter.notes[1].text.startswith("Thomas Jefferson Whitman")
    assert letter.date is not None and (letter.date.when, letter.date.certainty) == ("1856-07", "medium")


# ---------------------------------------------------------------- Binyon–Destrée: an anthology


@pytest.mark.shared
def test_binyon_destree_anthology(shared_path):
    path = shared_path("corpora", "scholarly-editing-letters", "binyon-destree", "BinyonDestree.original.xml")
    root = etree.parse(str(path)).getroot()
    divs = [d for d in root.iter(f"{TEI}div") if d.get("type") == "letter"]
    letters = read_path(path)
    assert len(letters) == len(divs) == 107
    languages: Counter[str] = Counter()
    for index, (letter, div) in enumerate(zip(letters, divs, strict=True)):
        head = words(div.find(f"{TEI}head"))
        match = re.fullmatch(r"Letter (\d+): (.+) to (.+)", head)
        assert match, head
        assert letter.source.part == index
        assert letter.collection is not None and letter.collection.number == match.group(1) == div.get("n")
        assert letter.sender is not None and letter.sender.name == match.group(2)
        assert [r.name for r in letter.recipients] == [match.group(3)]
        lang = {"eng": "en"}.get(div.get(XML_LANG), div.get(XML_LANG))
        assert letter.language == lang
        languages[lang] += 1
        paragraphs = [p for p in div.iter(f"{TEI}p") if words(p)]
        assert len(letter.body) == len(paragraphs)  # <s> sentences joined back into paragraphs
        first_date = div.find(f".//{TEI}date")
        # A date the letter opens with is its dateline ("Undated : <date>..." is not opened by it).
        opener = div.find(f"{TEI}opener")
        opening = opener if opener is not None else div.find(f"{TEI}p")
        if first_date is not None and reading(opening).startswith(reading(first_date)):
            assert letter.dateline == reading(first_date)
            assert letter.date is not None and letter.date.as_written
            assert not letter.body or not letter.body[0].startswith(reading(first_date))
            languages["with dateline"] += 1
        else:
            assert letter.dateline is None
    datelines = languages.pop("with dateline")
    print(f"\nbinyon-destree: {len(letters)} letters, languages {dict(languages)}, "
          f"{datelines} open with a dated dateline")
    assert letters[0].notes[0].label == "1" and letters[0].notes[0].text.startswith("Ernest Renan")
    assert letters[0].date is not None and letters[0].date.when == "1896-01-12"
    assert letters[1].date is not None and letters[1].date.certainty == "unknown"  # "Undated letter"


# ---------------------------------------------------------------- encodings, inline


def test_correspaction_sent_and_received(tmp_path):
    header = """<profileDesc><correspDesc>
      <correspAction type="sent">
        <persName ref="http://d-nb.info/gnd/118540238">Goethe, Johann Wolfgang von</persName>
        <persName>Christiane Vulpius</persName>
        <placeName ref="http://www.geonames.org/2812482">Weimar</placeName>
        <date notBefore="1799-03" notAfter="1799-04-15" cert="low">Frühjahr 1799</date>
      </correspAction>
      <correspAction type="received">
        <orgName ref="http://d-nb.info/gnd/2024831-6">Cotta'sche Buchhandlung</orgName>
        <placeName>Tübingen</placeName>
      </correspAction></correspDesc></profileDesc>"""
    [letter] = read_path(write(tmp_path, "a.xml", tei(header)))
    assert letter.sender is not None and letter.sender.ref == "http://d-nb.info/gnd/118540238"
    assert [a.name for a in letter.co_senders] == ["Christiane Vulpius"]
    assert letter.recipients[0].kind == "organisation"
    assert letter.recipients[0].ref == "http://d-nb.info/gnd/2024831-6"
    assert letter.place is not None and (letter.place.name, letter.place.ref) == ("Weimar", "http://www.geonames.org/2812482")
    assert letter.destination is not None and letter.destination.name == "Tübingen"
    date = letter.date
    assert date is not None
    assert (date.when, date.not_before, date.not_after) == (None, "1799-03-01", "1799-04-15")
    assert (date.as_written, date.certainty) == ("Frühjahr 1799", "low")
    assert letter.body == ["Text of the letter."]


def test_a_letter_whose_edition_names_no_language_is_told_its_language_by_its_words(tmp_path):
    german = ("<p>Ich habe Ihren Brief erhalten und danke Ihnen für die Nachricht, die Sie mir von der "
              "Sitzung gaben.</p>")
    title = "Alfred Escher an Jakob Escher"
    [letter] = read_path(write(tmp_path, "de.xml", tei(body=german, title=title)))
    assert letter.language == "de"
    said = '<profileDesc><langUsage><language ident="fr">français</language></langUsage></profileDesc>'
    [letter] = read_path(write(tmp_path, "fr.xml", tei(said, body=german, title=title)))
    assert letter.language == "fr"  # what the edition says stands
    [letter] = read_path(write(tmp_path, "short.xml", tei(title=title)))
    assert letter.language is None  # four words tell nothing


def test_older_sending_receiving_and_no_received_action(tmp_path):
    header = """<profileDesc><correspDesc><sending><sender><persName>Ada Lovelace</persName></sender>
      <placeName>London</placeName><date when="1843-07">July 1843</date></sending>
      <receiving><addressee><persName>Charles Babbage</persName></addressee></receiving>
      </correspDesc></profileDesc>"""
    [letter] = read_path(write(tmp_path, "a.xml", tei(header)))
    assert letter.sender is not None and letter.sender.name == "Ada Lovelace"
    assert [r.name for r in letter.recipients] == ["Charles Babbage"]
    assert letter.date is not None
    assert (letter.date.when, letter.date.not_before, letter.date.not_after) == \
        ("1843-07", "1843-07-01", "1843-07-31")
    only_sent = """<profileDesc><correspDesc><correspAction type="sent"><orgName>Royal Society</orgName>
      <date from="1843-07-01" to="1843-07-03"/></correspAction></correspDesc></profileDesc>"""
    [letter] = read_path(write(tmp_path, "b.xml", tei(only_sent)))
    assert letter.sender is not None and letter.sender.kind == "organisation"
    assert letter.recipients == [] and letter.destination is None
    assert letter.date is not None
    assert (letter.date.not_before, letter.date.not_after) == ("1843-07-01", "1843-07-03")


def test_typed_names_in_one_action_follow_the_title(tmp_path):
    # As in the Escher edition: both parties in the "sent" action, labelled the other way round
    # from what the title (and the letter) says.
    header = """<profileDesc><correspDesc><correspAction type="sent">
      <persName type="addressee">Oswald Heer</persName><persName type="sender">Alfred Escher</persName>
      <placeName>Zürich</placeName><date when="1866-08-07">07. August 1866</date>
      </correspAction></correspDesc></profileDesc>"""
    title = "Oswald Heer an Alfred Escher, Zürich, Dienstag, 07. August 1866"
    [letter] = read_path(write(tmp_path, "a.xml", tei(header, title=title)))
    assert letter.sender is not None and letter.sender.name == "Oswald Heer"
    assert [r.name for r in letter.recipients] == ["Alfred Escher"]
    # Labels that agree with the title are taken as they are.
    [letter] = read_path(write(tmp_path, "b.xml", tei(header, title="Alfred Escher an Oswald Heer")))
    assert letter.sender is not None and letter.sender.name == "Alfred Escher"
    # With no title to say otherwise, the labels are believed.
    [letter] = read_path(write(tmp_path, "c.xml", tei(header, title="")))
    assert letter.sender is not None and letter.sender.name == "Alfred Escher"


def test_padded_and_partial_dates(tmp_path):
    def date_of(element: str) -> tuple[str | None, str | None, str | None, str]:
        header = (f'<profileDesc><correspDesc><correspAction type="sent"><persName>A</persName>'
                  f"{element}</correspAction></correspDesc></profileDesc>")
        [letter] = read_path(write(tmp_path, "d.xml", tei(header)))
        d = letter.date
        assert d is not None
        return d.when, d.not_before, d.not_after, d.certainty

    # An edition that must give a day pads the unknown one with 01: the written form says no day.
    assert date_of('<date when="1877-02-01">[Februar 1877?]</date>')[:2] == ("1877-02", "1877-02-01")
    assert date_of('<date when="1845-01-01">[1845]</date>')[0] == "1845"
    assert date_of('<date when="1866-08-01">1. August 1866</date>')[0] == "1866-08-01"
    assert date_of('<date when="1856-07"/>')[:3] == ("1856-07", "1856-07-01", "1856-07-31")
    assert date_of('<date when="1856-07">[July 1856]</date>')[3] == "medium"
    # The year 1000 standing for "year unknown" is not a date.
    assert date_of('<date when="1000-04-05">05. April</date>') == (None, None, None, "unknown")
    # Two dates (a letter written over two days): the interval.
    assert date_of('<date when="1876-04-09">9. April</date><date when="1876-04-10">10. April</date>')[:3] \
        == (None, "1876-04-09", "1876-04-10")


def test_text_parts_and_transcription_markup(tmp_path):
    body = """<opener><dateline><placeName>Bern</placeName>,
      <date when="1850-05-01">1. Mai 1850</date></dateline>
      <salute>Lieber Freund!</salute></opener>
      <p>Ich schreibe <choice><abbr>z. B.</abbr><expan>zum Beispiel</expan></choice> heute
      <choice><sic>nich</sic><corr>nicht</corr></choice> viel, <del>gestern</del><add>morgen</add>
      mehr.<note n="1">Eine Anmerkung.</note> Ein Wort über zwei Zei-<lb break="no"/>len.</p>
      <p>Zweiter Absatz.<pb n="2"/></p>
      <closer><salute>Dein</salute><signed>Hans</signed></closer>
      <postscript><p>PS. Gruss an alle.</p></postscript>"""
    [letter] = read_path(write(tmp_path, "a.xml", tei(body=body, title="Hans an Fritz")))
    assert letter.salutation == "Lieber Freund!"
    assert letter.dateline == "Bern, 1. Mai 1850"
    assert letter.place is not None and letter.place.name == "Bern"
    assert letter.body == ["Ich schreibe z. B. heute nicht viel, morgen mehr. Ein Wort über zwei Zei-len.",
                           "Zweiter Absatz."]
    assert [(n.label, n.text) for n in letter.notes] == [("1", "Eine Anmerkung.")]
    assert (letter.closing, letter.signature) == ("Dein", "Hans")
    assert letter.postscript == "PS. Gruss an alle."
    assert letter.sender is not None and letter.sender.name == "Hans"
    assert [r.name for r in letter.recipients] == ["Fritz"]
    assert letter.date is not None and letter.date.when == "1850-05-01"


def test_anthology_with_letter_divs(tmp_path):
    body = """<div type="letter" n="7" xml:lang="fr"><head>Letter 7: Marie Curie to Pierre Curie</head>
        <p><s><date>3 mai 1894 Paris</date></s><s>Mon ami,</s>
           <s>je pars demain<ptr target="#n1" n="1"/>.</s></p>
        <p><s>Marie</s></p></div>
      <div type="letter" n="8"><head>Letter 8: Pierre Curie to Marie Curie</head><p>Dear Marie.</p></div>"""
    back = '</body><back><div type="notes"><note xml:id="n1">To Warsaw.</note></div></back><body>'
    text = tei(body=body + back, title="The Curie letters").replace("<body></body>", "")
    letters = read_path(write(tmp_path, "a.xml", text))
    assert [letter.source.part for letter in letters] == [0, 1]
    first, second = letters
    assert first.sender is not None and first.sender.name == "Marie Curie"
    assert first.collection is not None
    assert (first.collection.title, first.collection.number) == ("The Curie letters", "7")
    assert first.language == "fr" and second.language is None
    assert first.dateline == "3 mai 1894 Paris"
    assert first.date is not None and first.date.when == "1894-05-03"
    assert first.body == ["Mon ami, je pars demain.", "Marie"]
    assert [(n.label, n.text) for n in first.notes] == [("1", "To Warsaw.")]
    assert second.notes == []


def test_cmif_file_is_read_as_cmif(tmp_path):
    descs = "".join(f"""<correspDesc key="{n}"><correspAction type="sent"><persName>A{n}</persName>
      <date when="1900-01-0{n}"/></correspAction><correspAction type="received"><persName>B</persName>
      </correspAction></correspDesc>""" for n in (1, 2, 3))
    letters = read_path(write(tmp_path, "index.xml", tei(f"<profileDesc>{descs}</profileDesc>", body="<p/>")))
    assert [(x.source.format, x.source.part, x.sender.name if x.sender else None) for x in letters] == \
        [("cmif", 0, "A1"), ("cmif", 1, "A2"), ("cmif", 2, "A3")]
    assert [x.collection.number if x.collection else None for x in letters] == ["1", "2", "3"]


def test_tei_without_namespace_and_not_tei(tmp_path):
    plain = tei(title="Jane Austen to Cassandra Austen").replace(' xmlns="http://www.tei-c.org/ns/1.0"', "")
    [letter] = read_path(write(tmp_path, "a.xml", plain))
    assert letter.sender is not None and letter.sender.name == "Jane Austen"
    assert letter.body == ["Text of the letter."]
    with pytest.raises(UnreadableFile, match=r"XML, but not TEI \(its root element is <catalog>\)"):
        read_path(write(tmp_path, "b.xml", "<catalog><book/></catalog>"))


# ---------------------------------------------------------------- broken and hostile files


def test_truncated_tei_names_the_file_and_the_line(tmp_path):
    whole = tei(body="<p>One.</p>\n<p>Two.</p>\n<p>Three.</p>")
    path = write(tmp_path, "cut.xml", whole[: len(whole) // 2 + 40])
    with pytest.raises(UnreadableFile) as caught:
        read_path(path)
    assert caught.value.path == str(path)
    assert caught.value.reason.startswith("broken XML: ")
    assert "line" in caught.value.reason


@pytest.mark.shared
def test_truncated_real_letter(shared_path, tmp_path):
    real = shared_path("corpora", "escher-briefedition", "briefe", "K_0002_Anonym_an_Escher_1877-02-00.xml")
    data = real.read_bytes()
    path = tmp_path / "truncated.xml"
    path.write_bytes(data[: len(data) * 2 // 3])
    with pytest.raises(UnreadableFile, match=r"truncated\.xml: broken XML: .*line \d+"):
        read_path(path)


def test_entity_bomb_neither_hangs_nor_expands(tmp_path):
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    bomb = (f'<?xml version="1.0"?><!DOCTYPE TEI [{entities}]>'
            + tei(body="<p>&lol9;</p>", title="Bomb to Reader"))
    path = write(tmp_path, "bomb.xml", bomb)
    started = time.monotonic()
    try:
        letters = read_path(path)
    except UnreadableFile as exc:
        assert "broken XML" in exc.reason and "entit" in exc.reason
    else:
        assert "lollol" not in " ".join(letters[0].body)
    assert time.monotonic() - started < 2


def test_external_entities_are_not_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    text = (f'<?xml version="1.0"?><!DOCTYPE TEI [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
            + tei(body="<p>Before &x; after.</p>", title="A to B"))
    [letter] = read_path(write(tmp_path, "xxe.xml", text))
    assert "TOP SECRET" not in " ".join(letter.body)
    assert letter.body == ["Before after."]

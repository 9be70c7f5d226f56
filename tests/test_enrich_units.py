"""Enrichment on small hand-made letters: name keys, registers, people, places, mentions, threads."""

from __future__ import annotations

import io

from letterbook.enrich import Correction, Enrichment, EnrichOptions, Registers, enrich
from letterbook.enrich.forms import given_compatible, name_key, skeleton
from letterbook.enrich.ids import letter_key, natural_key
from letterbook.enrich.mentions import MentionFinder
from letterbook.enrich.people import PersonIndex
from letterbook.enrich.places import PlaceIndex
from letterbook.enrich.registers import PersonRecord, authority, read_csv_register, read_tei_register
from letterbook.enrich.threads import cable_number, find_references
from letterbook.model import Agent, Collection, Letter, Link, Place, Source, When
from letterbook.parse.names import is_organisation


def _letter(path: str, sender: str, recipient: str, when: str | None, body: str = "", *,
            number: str | None = None, dateline: str | None = None, role: str | None = None,
            language: str | None = None) -> Letter:
    return Letter(source=Source(path=path), sender=Agent(name=sender, role=role), recipients=[Agent(name=recipient)],
                  date=When(when=when) if when else None, body=[body] if body else [], dateline=dateline,
                  collection=Collection(title="Letters", number=number) if number else None, language=language)


def _persons_named(result: Enrichment, letter: Letter) -> list[tuple[str, str]]:
    """Give the persons a letter's text names, as written and as the archive's records name them."""
    return [(m.as_written, m.name) for m in result.mentions[letter_key(letter)] if m.kind == "person"]


# ---------------------------------------------------------------- names and registers


def test_name_keys() -> None:
    assert name_key("Premier J. V. Stalin") == name_key("J. V. Stalin")
    assert name_key("Marshal Stalin").surname == "stalin" and name_key("Marshal Stalin").bare
    assert name_key("Mr S. M. Bruce").given == ("s.", "m.")
    assert name_key("Escher, Alfred").given == ("alfred",)
    assert name_key("Department of External Affairs").personal is False
    assert given_compatible(("r.", "g."), ("richard", "gardiner"))[0]
    assert not given_compatible(("r.", "g."), ("r.", "c."))[0]
    # Older hands' contractions: first and last letters kept, two or more left out.
    assert all(given_compatible((short,), (full,))[0] for short, full in
               [("saml", "samuel"), ("chas", "charles"), ("thos", "thomas"), ("robt", "robert")])
    assert not given_compatible(("carl",), ("carol",))[0] and not given_compatible(("ann",), ("agnes",))[0]
    assert skeleton("Göthe") == skeleton("Goethe") and skeleton("Mommsen") == skeleton("Momsen")
    assert sorted(["18a", "19", "18", "2"], key=natural_key) == ["2", "18", "18a", "19"]


def test_authorities() -> None:
    assert authority("gnd:118642499") == "https://d-nb.info/gnd/118642499"
    assert authority("http://d-nb.info/gnd/118642499") == "https://d-nb.info/gnd/118642499"
    assert authority("Q855") == "http://www.wikidata.org/entity/Q855"
    assert authority("http://www.geonames.org/2657896/zurich.html") == "https://sws.geonames.org/2657896/"
    assert authority("https://id.loc.gov/authorities/names/n79021164") == \
        "http://id.loc.gov/authorities/names/n79021164"
    assert authority("Stalin") is None


TEI = b"""<TEI xmlns="http://www.tei-c.org/ns/1.0"><standOff>
<listPerson><person xml:id="Escher-Alfred" n="Escher (vom Glas) Alfred" type="correspondent">
 <persName><forename>Alfred</forename><surname>Escher (vom Glas)</surname></persName>
 <birth>1819</birth><death>1882</death><idno type="gnd">118530887</idno></person></listPerson>
<listPlace><place xml:id="Wien_A" n="Wien (A)"><placeName type="main">Wien <add>(A)</add></placeName>
 <location><geo>48.2 16.37</geo></location></place>
<place xml:id="Paris_F" n="Paris (F)"><placeName type="main">Paris (F)</placeName></place>
<place xml:id="Bern_Stadt" n="Bern (Stadt)"><placeName type="main">Bern (Stadt)</placeName></place>
</listPlace></standOff></TEI>"""


def test_tei_and_csv_registers() -> None:
    registers = read_tei_register(TEI)
    person = registers.persons[0]
    assert person.name.startswith("Alfred Escher") and person.refs == ("https://d-nb.info/gnd/118530887",)
    assert person.born == 1819 and person.keys == ("Escher (vom Glas) Alfred",)
    assert registers.places[0].name == "Wien" and registers.places[0].lat == 48.2
    # A country's code after the name is no part of it; a word in brackets may be ("Bern (Stadt)").
    assert registers.places[1].forms == ("Paris (F)", "Paris") and registers.places[2].forms == ("Bern (Stadt)",)
    csv = read_csv_register(io.StringIO("name,forms,ref\nS. M. Bruce,Bruce|Stanley Melbourne Bruce,Q1305024\n"))
    assert csv.persons[0].forms == ("S. M. Bruce", "Bruce", "Stanley Melbourne Bruce")
    assert csv.persons[0].refs == ("http://www.wikidata.org/entity/Q1305024",)


# ---------------------------------------------------------------- people


STALIN = [
    _letter("a.txt", "J. Stalin", "Harry S. Truman", "1945-12-23"),
    _letter("b.txt", "Premier J. V. Stalin", "W. S. Churchill", "1944-01-02"),
    _letter("c.txt", "Marshal Stalin", "Harry S. Truman", "1945-06-01"),
    _letter("d.txt", "Stalin", "H. Truman", "1945-07-01"),
]


def test_forms_of_one_person_cluster() -> None:
    index = PersonIndex.build(STALIN)
    refs = {index.resolve(lt.sender, lt).id for lt in STALIN}  # type: ignore[union-attr]
    assert len(refs) == 1
    person = index.persons[refs.pop()]
    assert person.name == "J. V. Stalin"
    assert {"J. Stalin", "Stalin", "Premier J. V. Stalin", "Marshal Stalin"} <= set(person.forms)
    assert all(m.reason and 0 < m.confidence <= 1 for m in person.merges)
    truman = {index.resolve(lt.recipients[0], lt).id for lt in (STALIN[0], STALIN[2], STALIN[3])}  # type: ignore
    assert len(truman) == 1


def test_two_people_sharing_a_surname_stay_apart_and_context_decides() -> None:
    letters = [
        _letter("1.txt", "John Smith", "Anne Brown", "1900-01-01"),
        _letter("2.txt", "James Smith", "Carl White", "1930-01-01"),
        _letter("3.txt", "Smith", "Carl White", "1930-05-01"),
        _letter("4.txt", "J. Smith", "Anne Brown", "1900-03-01"),
    ]
    index = PersonIndex.build(letters)
    john = index.resolve(letters[0].sender, letters[0])
    james = index.resolve(letters[1].sender, letters[1])
    assert john is not None and james is not None and john.id != james.id
    assert index.resolve(letters[2].sender, letters[2]).id == james.id  # type: ignore[union-attr]
    assert index.resolve(letters[3].sender, letters[3]).id == john.id  # type: ignore[union-attr]


def test_father_and_son_stay_two_persons() -> None:
    letters = [
        _letter("w1.txt", "George E. Waring Jr.", "Samuel L. Clemens", "1884-03-30"),
        _letter("w2.txt", "George E. Waring Sr.", "Samuel L. Clemens", "1860-01-01"),
        _letter("w3.txt", "G. E. Waring Jr.", "Samuel L. Clemens", "1885-01-01"),
    ]
    index = PersonIndex.build(letters)
    son, father, again = (index.resolve(letter.sender, letter) for letter in letters)
    assert son is not None and father is not None and again is not None
    assert son.id != father.id and again.id == son.id
    assert (son.name, father.name) == ("George E. Waring Jr.", "George E. Waring Sr.")


def test_a_register_person_named_exactly_so_is_not_taken_for_one_whose_names_only_fit() -> None:
    # Johannes Kern (1803-1848) and Johann Konrad Kern (1808-1888), both in the Escher register:
    # "Johannes" fits "Johann Konrad" too, and the letters' correspondent would have decided.
    registers = Registers(persons=[
        PersonRecord("Kern-Johannes", "Kern Johannes", ("Johannes Kern",), surname="Kern", forenames="Johannes",
                     born=1803, died=1848),
        PersonRecord("Kern-Johann-Konrad", "Kern Johann Konrad", ("Johann Konrad Kern",), surname="Kern",
                     forenames="Johann Konrad", born=1808, died=1888)])
    letters = [_letter("1.xml", "Alfred Escher", "Johann Konrad Kern", "1845-02-08"),
               _letter("2.xml", "Johannes Kern", "Alfred Escher", "1846-02-28"),
               _letter("3.xml", "J. Kern", "Alfred Escher", "1846-03-01")]
    index = PersonIndex.build(letters, registers=registers)
    konrad = index.resolve(letters[0].recipients[0], letters[0])
    johannes = index.resolve(letters[1].sender, letters[1])
    assert konrad is not None and index.persons[konrad.id].record.id == "Kern-Johann-Konrad"  # type: ignore[union-attr]
    assert johannes is not None and index.persons[johannes.id].record.id == "Kern-Johannes"  # type: ignore[union-attr]
    assert "the only one named so" in johannes.reason
    # Initials alone name neither exactly: context decides, as before.
    assert "the only one named so" not in index.resolve(letters[2].sender, letters[2]).reason  # type: ignore[union-attr]


def test_corrections_and_stable_ids() -> None:
    first = PersonIndex.build(STALIN)
    stalin = first.resolve(STALIN[0].sender, STALIN[0])
    assert stalin is not None
    known = {form.casefold(): stalin.id for form in first.persons[stalin.id].forms}
    known = {k: "person-42" for k in known}
    again = PersonIndex.build(STALIN, known_ids=known,
                              corrections=[Correction.rename("J. Stalin", "Joseph Stalin"),
                                           Correction.split("J. Stalin", "Marshal Stalin", "Stalin", name="A Stalin")])
    ref = again.resolve(STALIN[0].sender, STALIN[0])
    assert ref is not None and ref.id == "person-42" and ref.name == "Joseph Stalin"
    split = again.resolve(STALIN[3].sender, STALIN[3])
    assert split is not None and split.id != "person-42" and split.name == "A Stalin"
    merged = PersonIndex.build(STALIN, corrections=[Correction.merge("J. Stalin", "W. S. Churchill")])
    assert merged.resolve(STALIN[1].recipients[0], STALIN[1]).id == \
        merged.resolve(STALIN[0].sender, STALIN[0]).id  # type: ignore[union-attr]
    assert Correction.from_json(Correction.merge("a", "b").to_json()) == Correction.merge("a", "b")


def test_registers_anchor_people_and_unknown_names_are_nobody() -> None:
    letters = [_letter("e.xml", "Alfred Escher", "Oswald Heer", "1850-01-01"),
               _letter("f.xml", "Anonym", "Alfred Escher", "1851-01-01")]
    index = PersonIndex.build(letters, registers=read_tei_register(TEI))
    ref = index.resolve(letters[0].sender, letters[0])
    assert ref is not None and ref.id == "gnd-118530887"
    assert index.resolve(letters[1].sender, letters[1]) is None


# ---------------------------------------------------------------- places


def test_places_historical_and_other_languages() -> None:
    index = PlaceIndex.build()
    expected = {"Kuibyshev": "Samara", "Chungking": "Chongqing", "Batavia": "Jakarta", "Dilli": "Dili",
                "Wien": "Vienna", "Zürich": "Zürich", "Peking": "Beijing", "Soviet Union": "Soviet Union",
                "LONDON": "London", "Oestreich": "Austria"}
    for written, name in expected.items():
        ref = index.resolve(written)
        assert ref is not None and ref.name == name, written
    assert index.resolve("Moscow").lat is not None  # type: ignore[union-attr]
    # Countries stand where the reading room's map draws them (the centre of their largest land),
    # across the antimeridian too; those too small for its outlines at their capital; former
    # states at their successor's centre or a point inside them.
    boxes = {"France": (42, 51, -5, 8), "Australia": (-39, -11, 113, 154), "Russia": (50, 75, 40, 140),
             "Fiji": (-20, -15, 176, 180), "Singapore": (1.2, 1.5, 103.6, 104.1), "Japan": (30, 41, 130, 142),
             "Soviet Union": (50, 75, 40, 140), "Prussia": (50, 56, 9, 23)}
    for name, (south, north, west, east) in boxes.items():
        ref = index.resolve(name)
        assert ref is not None and ref.lat is not None and ref.lon is not None, name
        assert south <= ref.lat <= north and west <= ref.lon <= east, (name, ref.lat, ref.lon)
    with_register = PlaceIndex.build(registers=read_tei_register(TEI))
    vienna = with_register.resolve(Place(name="Vienna"))
    assert vienna is not None and vienna.id == "Wien_A"  # the register first, its gazetteer names joined


def test_a_towns_own_name_outranks_another_towns_other_name_unless_that_one_is_far_larger() -> None:
    index = PlaceIndex.build()
    # "Venice" is only another name of Dayton, Ohio (larger than Venice), in geonames; "Newton"
    # of Tallahassee; "Westminster" is the City of Westminster's own, and the name of Westminster, Colorado.
    expected = {"Venice": "Venice", "Newton": "Newton", "Westminster": "City of Westminster",
                "Canton": "Guangzhou", "Odessa": "Odesa", "Calcutta": "Kolkata", "Brunswick": "Braunschweig",
                "Frankfurt": "Frankfurt am Main", "Batavia": "Jakarta"}
    for written, name in expected.items():
        ref = index.resolve(written)
        assert ref is not None and ref.name == name, written


def test_countries_without_readable_outlines_stay_without_a_point(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from letterbook.enrich import centres

    broken = tmp_path / "letterbook"
    (broken / "web" / "static" / "vendor" / "world-atlas").mkdir(parents=True)
    (broken / "web" / "static" / "vendor" / "world-atlas" / "countries-110m.json").write_text('{"arcs": []}')
    monkeypatch.setattr(centres, "files", lambda package: broken)
    centres.country_centres.cache_clear()
    try:
        assert centres.country_centres() == {}
    finally:
        monkeypatch.undo()
        centres.country_centres.cache_clear()
    assert centres.country_centres()[36][0] < -20  # Australia, read again from the shipped outlines


# ---------------------------------------------------------------- mentions


def test_mentions_never_inside_words_and_not_the_signature() -> None:
    letters = [
        _letter("m1.txt", "S. M. Bruce", "R. G. Casey", "1928-01-01",
                "Mr Bruce saw Mr Hodgson in London. Brucewood is a house. Germany and Normandy. "
                "I am, Yours, S. M. BRUCE"),
        _letter("m2.txt", "R. G. Casey", "S. M. Bruce", "1928-02-01", "Thank you for your letter about Hodgson."),
    ]
    result = enrich(letters)
    first = result.mentions[letter_key(letters[0])]
    written = [m.as_written for m in first]
    assert "Brucewood" not in written and "Man" not in written
    assert "Hodgson" in written and "London" in written and "Germany" in written
    sender = result.people.resolve(letters[0].sender, letters[0])
    assert sender is not None
    assert [m for m in first if m.id == sender.id and m.start > 40] == []  # the signature is skipped
    second = result.mentions[letter_key(letters[1])]
    assert any(m.how == "addressed" for m in second)
    off = enrich(letters, options=EnrichOptions(addressee_mentions=False, gazetteer_mentions=False))
    assert not any(m.how == "addressed" for m in off.mentions[letter_key(letters[1])])
    assert not any(m.kind == "place" for m in off.mentions[letter_key(letters[0])])


def _places_named(result: Enrichment, letter: Letter) -> list[tuple[str, str]]:
    return [(m.as_written, m.name) for m in result.mentions[letter_key(letter)] if m.kind == "place"]


def test_a_towns_other_names_are_looked_for_only_where_they_can_be_nothing_else() -> None:
    # geonames gives towns the names of people they were named after, other languages' words,
    # the first syllables of transliterations, and given names.
    letters = [
        _letter("g1.txt", "S. M. Bruce", "R. G. Casey", "1945-05-01",
                "Mr. Stalin and Mr. Molotov saw General MacArthur. I told MacArthur and Stalin so, and General "
                "MacArthur agreed. "
                "Winston and Anthony agreed. Rest assured that the Three Wise Men will come. "
                "The Song of Roland. Mary Campbell and Saint James. A portrait by Antonio Moro, "
                "and George Washington, and de Valera. We met at Batavia, then flew to Bombay and Chungking. "
                "Tel. No. 386, by Western Union."),
    ]
    result = enrich(letters)
    places = _places_named(result, letters[0])
    assert [written for written, _ in places] == ["Batavia", "Bombay", "Chungking"]
    assert [name for _, name in places] == ["Jakarta", "Mumbai", "Chongqing"]
    persons = [written for written, _ in _persons_named(result, letters[0])]
    assert "MacArthur" in persons and "Molotov" in persons  # after a title: persons, not Ormoc and Perm


def test_another_name_of_a_town_that_mostly_opens_sentences_is_a_word() -> None:
    # geonames gives Dubai the name "Dabei", a German adverb that opens sentences.
    letters = [
        _letter("d1.txt", "Alfred Escher", "Jakob Dubs", "1860-01-01",
                "Ich war in Wien. Dabei blieb es. Dabei hatte ich gehofft, nach Mailand zu reisen.", language="de"),
        _letter("d2.txt", "Alfred Escher", "Jakob Dubs", "1860-02-01", "Dabei denke ich an Wien.", language="de"),
    ]
    result = enrich(letters)
    assert _places_named(result, letters[0]) == [("Wien", "Vienna"), ("Mailand", "Milan")]
    assert _places_named(result, letters[1]) == [("Wien", "Vienna")]


def test_a_towns_name_in_a_persons_name_after_a_title_and_not_after_an_office() -> None:
    letters = [
        _letter("n1.txt", "S. M. Bruce", "R. G. Casey", "1938-09-01", "Sir Nevile Henderson saw Hitler.",
                language="en"),
        _letter("n2.txt", "S. M. Bruce", "R. G. Casey", "1938-09-02", "Sir Nevile Henderson is clear-headed.",
                language="en"),
        _letter("n3.txt", "S. M. Bruce", "R. G. Casey", "1938-09-03", "I have written to Henderson today.",
                language="en"),
        _letter("z1.txt", "Alfred Escher", "Jakob Dubs", "1860-01-01",
                "Der Regierungsrath Zürich hat beschlossen. Herr Escher von Zürich kam nach Genf.", language="de"),
        _letter("z2.txt", "Alfred Escher", "Jakob Dubs", "1860-01-02", "Der Regierungsrath Zürich schrieb.",
                language="de"),
    ]
    result = enrich(letters)
    assert _persons_named(result, letters[0]) == [("Nevile Henderson", "Nevile Henderson")]
    assert _places_named(result, letters[0]) == [] and _places_named(result, letters[2]) == []
    assert _places_named(result, letters[3]) == [("Zürich", "Zürich"), ("Zürich", "Zürich"), ("Genf", "Geneva")]
    assert not any(p.name == "Zürich" for p in result.people)


def test_another_name_of_a_town_never_written_in_or_at_it_is_a_persons() -> None:
    sentences = ["Then Molotov spoke at length.", "He said Molotov would not accept it.", "We sat next to Molotov.",
                 "I talked with Molotov.", "Clearly Molotov was rugged.", "We flew to Batavia and stayed in Batavia."]
    letters = [_letter(f"m{i}.txt", "S. M. Bruce", "R. G. Casey", f"1945-05-0{i + 1}", text, language="en")
               for i, text in enumerate(sentences)]
    result = enrich(letters)
    assert not any(_places_named(result, letter) for letter in letters[:5])
    assert _places_named(result, letters[5]) == [("Batavia", "Jakarta"), ("Batavia", "Jakarta")]


def test_a_towns_name_the_letters_write_after_a_title_is_the_town_only_after_in_or_at() -> None:
    letters = [
        _letter("h1.txt", "S. M. Bruce", "R. G. Casey", "1940-01-01", "I saw Lord Halifax today."),
        _letter("h2.txt", "S. M. Bruce", "R. G. Casey", "1940-01-02", "Lord Halifax agreed. Halifax said no."),
        _letter("h3.txt", "S. M. Bruce", "R. G. Casey", "1940-01-03", "The convoy waits at Halifax."),
    ]
    result = enrich(letters)
    assert _places_named(result, letters[1]) == []
    assert _places_named(result, letters[2]) == [("Halifax", "Halifax")]
    assert ("Halifax", "Halifax") in _persons_named(result, letters[0])


def test_a_dash_typed_as_a_hyphen_before_a_document_part_ends_the_name() -> None:
    letters = [
        _letter("d1.txt", "S. M. Bruce", "R. G. Casey", "1928-01-01", "Dear Casey, I have seen Mr Feer-Herzog."),
        _letter("d2.txt", "W. M. Hughes", "R. G. Casey", "1938-08-17",
                "See, however, the telegram of the 4th August from Mr Bruce-Annexure 'B'-in which the opinion "
                "is expressed that the Covenant stands."),
    ]
    result = enrich(letters, options=EnrichOptions(gazetteer=False))
    bruce = result.people.resolve(letters[0].sender, letters[0])
    assert bruce is not None
    named = result.mentions[letter_key(letters[1])]
    assert [(m.as_written, m.id) for m in named if m.kind == "person"] == [("Bruce", bruce.id)]
    assert not any("Annexure" in p.name for p in result.people)
    # A double name stays whole.
    assert "Feer-Herzog" in [m.as_written for m in result.mentions[letter_key(letters[0])]]


def test_a_department_is_one_organisation_and_a_country_named_alone_is_the_country() -> None:
    assert is_organisation("External Affairs") and is_organisation("French Colony in Australia")
    assert not is_organisation("S. M. Bruce")

    def to_department(path: str, sender: str, department: str, when: str, body: str) -> Letter:
        letter = _letter(path, sender, department, when, body)
        letter.recipients = [Agent(name=department, kind="organisation")]
        return letter

    letters = [
        to_department("o1.txt", "John Curtin", "External Affairs", "1941-12-08",
                      "The Minister for External Affairs will see the Japanese Ambassador."),
        to_department("o2.txt", "John Curtin", "the Department of External Affairs", "1941-12-09", "Please advise."),
        to_department("o3.txt", "S. M. Bruce", "Department of External Affairs", "1941-12-10", "Noted."),
        _letter("o4.txt", "Japan", "S. M. Bruce", "1937-05-11",
                "Japan has left the League. Australia and Japan trade in wool."),
    ]
    result = enrich(letters)
    departments = {result.people.resolve(lt.recipients[0], lt).id for lt in letters[:3]}  # type: ignore[union-attr]
    assert len(departments) == 1  # "External Affairs", "the Department of ...", "Department of ...": one
    named = result.mentions[letter_key(letters[0])]
    assert not any(m.kind == "person" and m.as_written == "Affairs" for m in named)
    japan = [m for m in result.mentions[letter_key(letters[3])] if m.as_written == "Japan"]
    assert japan and all(m.kind == "place" for m in japan)
    # "Japan" wrote a memorandum: the word alone in a text stays the country's, never his surname.
    finder = MentionFinder(result.people, result.places)
    assert "japan" not in finder.surnames and "bruce" in finder.surnames


def test_a_possessive_is_not_part_of_a_name_and_a_knight_is_called_by_his_given_name() -> None:
    letters = [
        _letter("k1.txt", "R. G. Casey", "S. M. Bruce", "1925-06-25",
                "Mr Chandor's report came today. Admiral Sir Charles spoke to me of it, and Sir Hugh agreed."),
        _letter("k2.txt", "S. M. Bruce", "R. G. Casey", "1925-07-02", "I have read the report of Mr Chandor."),
    ]
    result = enrich(letters, options=EnrichOptions(gazetteer=False))
    named = result.mentions[letter_key(letters[0])]
    assert [m.as_written for m in named if m.kind == "person" and "Chandor" in m.as_written] == ["Chandor"]
    chandor = {m.id for lt in letters for m in result.mentions[letter_key(lt)] if m.as_written == "Chandor"}
    assert len(chandor) == 1  # "Mr Chandor's" and "Mr Chandor" are one person
    assert not {"Charles", "Hugh"} & {p.name for p in result.people}


def test_a_contracted_given_name_and_an_initial_after_a_title_run_on_to_the_surname() -> None:
    letters = [
        _letter("c1.txt", "George Carey Eggleston", "Samuel L. Clemens", "1884-03-31", "Mr Clemens, I am yours."),
        _letter("c2.txt", "George Carey Eggleston", "John Hay", "1884-04-02",
                "I wrote to Mr Saml L. Clemens Esq of Hartford.", language="en"),
    ]
    result = enrich(letters, options=EnrichOptions(gazetteer=False))
    clemens = result.people.resolve(letters[0].recipients[0], letters[0])
    assert clemens is not None
    assert [(m.as_written, m.id) for m in result.mentions[letter_key(letters[1])] if m.kind == "person"] == \
        [("Saml L. Clemens", clemens.id)]
    assert not any(p.name == "Saml" for p in result.people)


def test_an_office_after_a_title_is_no_person() -> None:
    letters = [_letter("s1.txt", "O. G. Destrée", "L. Binyon", "1897-01-22",
                       "I have no more influence on him than Mr Speaker on a member of the House.", language="en")]
    result = enrich(letters, options=EnrichOptions(gazetteer=False))
    assert _persons_named(result, letters[0]) == []
    assert not any(p.name == "Speaker" for p in result.people)


def test_a_name_after_a_title_runs_on_over_given_names_the_archive_knows() -> None:
    letters = [
        _letter("g1.txt", "John Curtin", "Ronald Lindsay", "1941-03-01",
                "Sir John Anderson agrees."),
        _letter("g2.txt", "Charles Hughes", "John Curtin", "1941-03-02", "Noted."),
    ]
    result = enrich(letters, options=EnrichOptions(gazetteer=False))
    named = dict(_persons_named(result, letters[0]))
    assert named.get("John Anderson") == "John Anderson"  # "John" is a given name here: the name runs on


def test_a_knight_is_named_by_his_given_name_and_surname_whoever_he_is() -> None:
    letters = [
        _letter("h1.txt", "R. G. Casey", "S. M. Bruce", "1925-06-11",
                "He had two talks to Sir Hugh Denison, who has gone north. Sir Hugh makes no secret of his hope."),
        _letter("h2.txt", "R. G. Casey", "S. M. Bruce", "1925-06-18",
                "Dr. Hugh came to lunch. Sir Alan Anderson and Sir John Anderson were there, and Lord Cecil; "
                "Sir Cecil Hurst was not."),
        _letter("h3.txt", "S. M. Bruce", "R. G. Casey", "1925-06-25",
                "Dame Janet Campbell has written to Lord Cecil about it. Mr R. Campbell has not."),
    ]
    result = enrich(letters, options=EnrichOptions(gazetteer=False))

    # The word after Sir is a given name: the name runs on to the surname nobody knew, and "Sir
    # Hugh" alone is the knight the letter names in full.
    assert _persons_named(result, letters[0]) == [("Hugh Denison", "Hugh Denison"), ("Hugh", "Hugh Denison")]
    people = {p.name for p in result.people}
    assert "Hugh" not in people  # nor after another title ("Dr. Hugh"): the texts call knights so
    # Two knights of one surname are two persons; a peer is called by his title's name.
    assert _persons_named(result, letters[1]) == [("Alan Anderson", "Alan Anderson"),
                                                  ("John Anderson", "John Anderson"),
                                                  ("Cecil", "Cecil"), ("Cecil Hurst", "Cecil Hurst")]
    # An initial that is not the one person's of that surname names nobody the archive knows.
    assert _persons_named(result, letters[2]) == [("Janet Campbell", "Janet Campbell"), ("Cecil", "Cecil")]


def test_a_name_after_a_title_runs_on_over_given_names_nobody_knows_where_nouns_are_lower_case() -> None:
    offices = ("General Blamey is Commander Allied Land Forces, and Supreme Commander Allied Powers wrote; so "
               "did Corporation and General Securities Ltd. in London. The Lord Privy Seal agrees. The General "
               "Electric Company has bought General Electric shares. General Schilling Head of the Mission came. "
               "He said 'I am able to inform Honourable Members that a considerable proportion of them "
               "agree.' He had one of Sir Alfred Mond's Private Secretaries with him.")
    letters = [
        _letter("n1.txt", "R. G. Casey", "S. M. Bruce", "1946-08-26",
                "I called upon Mr. Jawaharlal Nehru, and Mrs. Jessie Street was there.", language="en"),
        _letter("n2.txt", "Alfred Escher", "Jakob Dubs", "1866-08-07",
                "Ich habe Herrn Müller Berichte geschickt.", language="de"),
        _letter("n3.txt", "R. G. Casey", "S. M. Bruce", "1946-08-27", offices, language="en"),
        _letter("n4.txt", "R. G. Casey", "S. M. Bruce", "1946-08-28", offices, language="en"),
    ]
    result = enrich(letters, options=EnrichOptions(gazetteer=False))
    # English writes its nouns in lower case: a capitalised word after the first is the surname.
    assert _persons_named(result, letters[0]) == [("Jawaharlal Nehru", "Jawaharlal Nehru"),
                                                  ("Jessie Street", "Jessie Street")]
    # German writes them with a capital: the noun after a name is not part of it.
    assert _persons_named(result, letters[1]) == [("Müller", "Müller")]
    # Capitals after a title that run on to an office or a body, or an office's plural, name no one.
    assert _persons_named(result, letters[2]) == [("Blamey", "Blamey"), ("Schilling", "Schilling"),
                                                  ("Alfred Mond", "Alfred Mond")]


def test_a_full_stop_after_a_name_that_ends_the_sentence_is_no_abbreviation() -> None:
    letters = [
        _letter("s1.txt", "R. G. Casey", "S. M. Bruce", "1938-09-01",
                "Mr Dunk has seen Herr Hitler. He was calm. Later he wrote to Lord Cecil. Mr Dunk agreed."),
        _letter("s2.txt", "S. M. Bruce", "R. G. Casey", "1938-09-08", "Lord Cecil and Herr Hitler."),
    ]
    result = enrich(letters, options=EnrichOptions(gazetteer=False))
    named = _persons_named(result, letters[0])
    # "Hitler." and "Cecil." end their sentences: the words after them start the next one.
    assert named == [("Dunk", "Dunk"), ("Hitler", "Hitler"), ("Cecil", "Cecil"), ("Dunk", "Dunk")]


def test_a_word_after_a_title_that_stands_after_an_article_elsewhere_is_a_noun_in_any_order() -> None:
    # However the letters are ordered: the word's other uses count before the title and after it.
    nouns = _letter("a.txt", "Alfred Escher", "Jakob Dubs", "1866-08-07",
                    "Der Kuckuck ruft im Wald. Den Kuckuck hört man oft. Ein Kuckuck sang.", language="de")
    titled = _letter("b.txt", "Jakob Dubs", "Alfred Escher", "1866-08-09", "Ich sah Herrn Kuckuck gestern.",
                     language="de")
    for letters in ([nouns, titled], [titled, nouns]):
        result = enrich(letters, options=EnrichOptions(gazetteer=False))
        assert _persons_named(result, titled) == []


def test_a_word_after_a_title_that_the_letters_write_in_lower_case_is_no_name() -> None:
    letters = [
        _letter("w1.txt", "R. G. Casey", "S. M. Bruce", "1928-01-05",
                "He is chairman of General Electric.\n\nThe electric power is cheap. Sir Josiah Stamp "
                "will put a stamp on it."),
        _letter("w2.txt", "R. G. Casey", "S. M. Bruce", "1928-01-12",
                "General Electric has agreed, and so has General Patch. Sir Josiah Stamp too."),
        _letter("w3.txt", "S. M. Bruce", "R. G. Casey", "1928-01-19", "General Patch is here."),
    ]
    result = enrich(letters, options=EnrichOptions(gazetteer=False))
    people = {p.name for p in result.people}
    # "electric" is a word of these letters: "General Electric" names nobody, in either letter.
    assert "Electric" not in people
    assert {"Patch", "Josiah Stamp"} <= people  # a name, and a name with its given name
    named = [name for _, name in _persons_named(result, letters[1])]
    assert named == ["Patch", "Josiah Stamp"]


# ---------------------------------------------------------------- threads


def test_references_are_read() -> None:
    letter = _letter("r.txt", "A", "B", "1940-05-02",
                     "Your telegram 225. My 532 of 24 July. With further reference your cablegram 22nd April, "
                     "Circular D. 145. Ihr Schreiben vom 5. d. M. erhalten.")
    refs = find_references(letter)
    assert [(r.whose, r.number) for r in refs[:2]] == [("theirs", "225"), ("own", "532")]
    assert str(refs[1].day) == "1939-07-24" and str(refs[2].day) == "1940-04-22"
    assert str(refs[-1].day) == "1940-05-05" or refs[-1].day is None
    assert cable_number(_letter("c.txt", "A", "B", None, dateline="Circular cablegram D27 LONDON, 1 May 1940")) == "D27"
    assert cable_number(_letter("c.txt", "A", "B", None, dateline="Cablegram unnumbered 1 May 1940")) is None


def test_threads_prev_next_collection_and_replies() -> None:
    letters = [
        _letter("t1.md", "Evatt", "Bruce", "1945-05-01", "Please report.", number="18",
                dateline="Cablegram 225 CANBERRA, 1 May 1945"),
        _letter("t2.md", "Bruce", "Evatt", "1945-05-03", "Your telegram 225. Done as asked.", number="18a"),
        _letter("t3.md", "Evatt", "Bruce", None, "An undated note.", number="19"),
        _letter("t4.md", "Evatt", "Bruce", "1945-05-02", "More.", number="2"),
    ]
    letters[0].links.append(Link("prev-in-correspondence", "B0001"))  # a source's own link is kept
    result = enrich(letters)
    links = result.links
    k1, k2, k3, k4 = (letter_key(lt) for lt in letters)
    rel = {(link.rel, link.target) for link in links[k1]}
    assert ("next-in-correspondence", k4) in rel and ("replied-by", k2) in rel
    assert ("reply-to", k1) in {(link.rel, link.target) for link in links[k2]}
    reply = next(link for link in links[k2] if link.rel == "reply-to")
    assert reply.evidence == "Your telegram 225." and reply.confidence and reply.confidence >= 0.8
    assert not any(link.rel.endswith("correspondence") for link in links.get(k3, []))  # undated
    assert ("next-in-collection", k2) in rel  # "18" then "18a"
    assert ("prev-in-collection", k1) in {(link.rel, link.target) for link in links[k2]}
    result.apply(letters)
    assert Link("prev-in-correspondence", "B0001") in letters[0].links
    assert any(link.rel == "replied-by" for link in letters[0].links)


def test_registers_load_from_files(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "people.xml"
    path.write_bytes(TEI)
    csv = tmp_path / "places.csv"
    csv.write_text("name,forms,ref,lat,lon\nKuibyshev,Samara,geonames:499099,53.2,50.15\n", encoding="utf-8")
    registers = Registers.load(path, csv)
    assert len(registers.persons) == 1 and registers.places[-1].name == "Kuibyshev"
    assert registers.places[-1].refs == ("https://sws.geonames.org/499099/",)

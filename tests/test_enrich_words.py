"""Words that look like names and are not, and names that look alike and are not one person:
the rules that keep mentions precise. Each test reads a small archive with a register (as an
edition's registers serve as its gazetteer) and asserts what the letters are found to name."""

from __future__ import annotations

import tracemalloc

from letterbook.enrich import Enrichment, EnrichOptions, enrich
from letterbook.enrich.ids import letter_key
from letterbook.enrich.matcher import loose
from letterbook.enrich.registers import read_tei_register
from letterbook.enrich.vocabulary import not_name
from letterbook.model import Agent, Letter, Place, Source, When

REGISTER = """<TEI xmlns="http://www.tei-c.org/ns/1.0"><standOff><listPerson>
<person xml:id="meier-heinrich-eduard"><persName><forename>Heinrich Eduard</forename><surname>Meier</surname></persName>
 <birth>1800</birth></person>
<person xml:id="goenner-johann"><persName><forename>Johann</forename><surname>Gönner</surname></persName></person>
<person xml:id="Escher-Johann"><persName><forename>Johann</forename><surname>Escher</surname></persName></person>
<person xml:id="Escher-Jakob"><persName><forename>Jakob</forename><surname>Escher</surname></persName></person>
<person xml:id="welti-emil"><persName><forename>Emil</forename><surname>Welti</surname></persName></person>
<person xml:id="Basler-Rudolf"><persName><forename>Rudolf</forename><surname>Basler</surname></persName></person>
<person xml:id="Stehlin-Karl"><persName><forename>Karl</forename><surname>Stehlin</surname></persName></person>
<person xml:id="Sillar-Robert"><persName><forename>Robert</forename><surname>Sillar</surname></persName></person>
</listPerson><listPlace>
<place xml:id="Anden" type="mountain"><placeName>Anden</placeName></place>
<place xml:id="Gotthard" type="pass"><placeName>Gotthard</placeName></place>
<place xml:id="Main" type="water"><placeName>Main</placeName></place>
<place xml:id="Wilen"><placeName>Wilen</placeName></place>
<place xml:id="Leiden"><placeName>Leiden</placeName></place>
<place xml:id="Franken" type="region"><placeName>Franken</placeName></place>
<place xml:id="St_Gallen" type="canton"><placeName>St. Gallen</placeName></place>
<place xml:id="Gallien" type="country"><placeName>Gallien</placeName></place>
<place xml:id="Koeln"><placeName>Köln</placeName></place>
<place xml:id="Genf"><placeName>Genf</placeName></place>
<place xml:id="Basel"><placeName>Basel</placeName></place>
<place xml:id="Zug_Stadt" n="Zug (Stadt)" type="approximate"><placeName type="main">Zug <add>(Stadt)</add>
 </placeName></place>
<place xml:id="Zug" n="Zug" type="area"><placeName type="main">Zug</placeName></place>
<place xml:id="Arth"><placeName>Arth</placeName></place>
<place xml:id="Waedenswil"><placeName>Wädenswil</placeName></place>
<place xml:id="Rapperswil"><placeName>Rapperswil</placeName></place>
<place xml:id="Glarus" type="canton"><placeName>Glarus</placeName></place>
<place xml:id="Dresden"><placeName>Dresden</placeName></place>
<place xml:id="Wassen"><placeName>Wassen</placeName></place>
<place xml:id="Wald"><placeName>Wald</placeName></place>
<place xml:id="Mailand_I"><placeName>Milano</placeName></place>
<place xml:id="Frankreich" type="country"><placeName>Frankreich</placeName></place>
<place xml:id="England" type="country"><placeName>England</placeName></place>
<place xml:id="Amerika" type="area"><placeName>Amerika</placeName></place>
<place xml:id="Thunersee" type="water"><placeName>Thunersee</placeName></place>
<place xml:id="Norddeutschland" type="region"><placeName>Norddeutschland</placeName></place>
<place xml:id="Norddeutscher_Bund" type="state"><placeName>Norddeutscher Bund</placeName></place>
<place xml:id="Florenz_Provinz_I" n="Florenz (Provinz, I)" type="area"><placeName type="main">Florenz
 <add>(Provinz, I)</add></placeName><location><geo>43.73 11.24</geo></location></place>
<place xml:id="Florenz_I" n="Florenz (I)" type="approximate"><placeName type="main">Florenz <add>(I)</add></placeName>
 <location><geo>43.77 11.25</geo></location></place>
<place xml:id="Baden_A" n="Baden (A)" type="approximate"><placeName type="main">Baden <add>(A)</add></placeName>
 <location><geo>48.00 16.23</geo></location></place>
<place xml:id="Baden_AG" n="Baden (AG)" type="approximate"><placeName type="main">Baden <add>(AG)</add></placeName>
 <location><geo>47.47 8.30</geo></location></place>
<place xml:id="Zuerich_Stadt" n="Zürich (Stadt)" type="approximate"><placeName type="main">Zürich
 <add>(Stadt)</add></placeName><location><geo>47.37 8.54</geo></location></place>
</listPlace></standOff></TEI>"""


def _letter(n: int, body: str, *, language: str | None = "de", sender: str = "Rudolf Sinz") -> Letter:
    return Letter(source=Source(path=f"{n}.xml"), sender=Agent(name=sender), recipients=[Agent(name="Alfred Escher")],
                  date=When(when=f"1850-01-{n % 28 + 1:02d}"), body=[body], language=language)


def _read(*bodies: str, language: str | None = "de", sender: str = "Rudolf Sinz") -> tuple[list[Letter], Enrichment]:
    letters = [_letter(n, body, language=language, sender=sender) for n, body in enumerate(bodies)]
    result = enrich(letters, registers=read_tei_register(REGISTER.encode()),
                    options=EnrichOptions(gazetteer=False, threads=False, addressee_mentions=False))
    return letters, result


def _named(result: Enrichment, letter: Letter, kind: str = "place") -> list[tuple[str, str]]:
    return [(m.as_written, m.id) for m in result.mentions[letter_key(letter)] if m.kind == kind]


def test_a_place_starts_a_compound_only_before_a_word_of_the_archive() -> None:
    letters, result = _read("Die Gotthardbahn wird gebaut.", "Die Bahn ist teuer.",
                            "Ich danke für Ihr freundliches Andenken.", "Zu Ihrer Orientirung: die Anden sind hoch.")
    assert _named(result, letters[0]) == [("Gotthard", "Gotthard")]  # "Bahn" stands alone in another letter
    assert _named(result, letters[2]) == []  # "Anden|ken": no word "Ken" anywhere
    assert _named(result, letters[3]) == [("Anden", "Anden")]


def test_only_german_joins_a_name_and_a_noun_in_one_word() -> None:
    letters, result = _read("Maintenant je pars. Le Main est beau.", "Tenant compte de cela.", language="fr")
    assert _named(result, letters[0]) == [("Main", "Main")]


def test_a_word_written_after_an_adjective_and_an_article_is_a_noun_not_an_old_spelling() -> None:
    letters, result = _read("Mit dem besten Willen geht es nicht.", "Am guten Willen fehlt es nicht.",
                            "Er zeigt den redlichsten Willen.", "Ich war gestern in Wilen.")
    assert all(_named(result, letter) == [] for letter in letters[:3])
    assert _named(result, letters[3]) == [("Wilen", "Wilen")]


def test_a_place_the_letters_write_as_a_noun_is_not_named_by_the_noun() -> None:
    # A place the letters name more often after "in" or "nach" than as a noun: the noun is no place where it stands.
    letters, result = _read("Von meinem Leiden weiß niemand.", "Das Leiden dauert an.",
                            "Ich reise nach Leiden zur Universität.", "Er lebt in Leiden.", "Sie kommt aus Leiden.")
    assert all(_named(result, letter) == [] for letter in letters[:2])
    assert all(_named(result, letter) == [("Leiden", "Leiden")] for letter in letters[2:])
    # More often a noun than a place: a noun, wherever it stands.
    letters, result = _read("Er leidet an einem entzündlichen Leiden.", "Von meinem Leiden weiß niemand.",
                            "Das Leiden dauert an.", "Sein Leiden ist schwer.", "Ich lebe in Leiden.")
    assert all(_named(result, letter) == [] for letter in letters)


def test_a_currency_after_numbers_is_no_region() -> None:
    letters, result = _read("Die Bahn kostet 18 Mill. Franken.", "Es fehlen fünfhunderttausend Franken.",
                            "Man verlangt 300 Franken.", "Hunderttausende von Franken gehen verloren.")
    assert all(_named(result, letter) == [] for letter in letters)


def test_the_adjective_of_a_place_of_two_words_is_that_place() -> None:
    letters, result = _read("Die St. Gallischen Gesetze sind streng.", "Die gallischen Krieger.")
    assert _named(result, letters[0]) == [("St. Gallischen", "St_Gallen")]
    assert _named(result, letters[1]) == [("gallischen", "Gallien")]


def test_an_adjective_of_a_place_ending_in_a_ends_in_anisch() -> None:
    letters, result = _read("Die amerikanischen Eisenbahnen zahlen gut.")
    assert _named(result, letters[0]) == [("amerikanischen", "Amerika")]


def test_an_adjective_cut_short_is_its_place_where_the_letters_write_it_whole_too() -> None:
    letters, result = _read("Die franz. Regierung und die engl. Flotte sind bereit.",
                            "Die französische Note ist da.", "Der englische Gesandte kommt.",
                            # "thun." would cut "thunerseeisch", a word no letter writes.
                            "Ich werde es thun.", "Es grüßt Sie Ihr Franz.")
    assert _named(result, letters[0]) == [("franz.", "Frankreich"), ("engl.", "England")]
    assert _named(result, letters[3]) == [] and _named(result, letters[4]) == []
    # An adjective no letter writes whole is not read from its cut: "die engl. Flotte" alone.
    letters, result = _read("Die engl. Flotte ist bereit.", "Nach England!")
    assert _named(result, letters[0]) == []
    # French does not cut its adjectives so: "franz." there is no France.
    letters, result = _read("La franz. note.", "La note französische.", language="fr")
    assert _named(result, letters[0]) == []


def test_a_french_letters_adjective_of_a_country_is_that_country_not_its_language() -> None:
    body = "Le gouvernement français hésite; la flotte anglaise et les vaisseaux anglais attendent."
    letters, result = _read(body, "Il a écrit en français, puis en anglais.", language="fr")
    assert _named(result, letters[0]) == [("français", "Frankreich"), ("anglaise", "England"), ("anglais", "England")]
    assert _named(result, letters[1]) == []
    letters, result = _read(body)  # a letter in German: no French adjective
    assert _named(result, letters[0]) == []


def test_an_article_before_a_compound_a_name_begins_is_the_compounds_not_the_names() -> None:
    # "der Sillar-Konzession": the article goes with "Konzession"; Sillar is no common noun for it.
    letters, result = _read(*["Die Annullirung der Sillar-Konzession wäre gut."] * 4, "Schreiben Sie an Sillar.")
    assert _named(result, letters[4], "person") == [("Sillar", "sillar-robert")]
    assert _named(result, letters[0], "person") == [("Sillar", "sillar-robert")]


def test_a_name_after_an_elided_article_or_preposition_is_read() -> None:
    letters, result = _read("J'ai reçu la lettre d'Emil Welti sur le chemin de fer d'Arth.", language="fr")
    assert _named(result, letters[0], "person") == [("Emil Welti", "welti-emil")]
    assert _named(result, letters[0]) == [("Arth", "Arth")]


def test_a_surname_the_letters_also_write_as_a_noun_is_no_person_after_an_adjective() -> None:
    # Mostly the person's name ("Gönner und Koller"), now and then the noun after an article.
    letters, result = _read("Herr Gönner schreibt aus Mailand.", "Mein hochverehrter Gönner und Freund!",
                            "Der Gönner der Wissenschaft.", "Dem Gönner sei Dank.",
                            *["Gönner und Koller sprachen lange."] * 20)
    assert _named(result, letters[0], "person") == [("Gönner", "goenner-johann")]
    assert _named(result, letters[1], "person") == []
    assert _named(result, letters[4], "person") == [("Gönner", "goenner-johann")]


def test_a_given_name_cut_short_before_a_surname_must_fit_the_person() -> None:
    # A given name cut short is read as one where the archive's people bear a name that starts so.
    letters, result = _read("Ludw. Meier war auch da.", "Ed. Meier war auch da.", "Heinr. Meier kam.",
                            sender="Ludwig Keller")
    assert _named(result, letters[0], "person") == []  # a Ludwig Meier the register does not know
    assert _named(result, letters[1], "person") == [("Meier", "meier-heinrich-eduard")]
    assert _named(result, letters[2], "person") == [("Meier", "meier-heinrich-eduard")]


def test_a_full_form_several_persons_share_settles_no_surname() -> None:
    letters, result = _read("J. Escher kam. Escher sagte nichts.")
    assert all(m.id not in ("escher-johann", "escher-jakob") or m.reason != "the letter names the person in full"
               for m in result.mentions[letter_key(letters[0])])


def test_offices_spelled_the_old_way_are_no_names() -> None:
    assert not_name("praesident") and not_name("landamman") and not_name("bundesrathe")
    assert not not_name("koller") and not not_name("welti")
    # Kin too, with or without a lengthening h; not a short surname the h tells apart.
    assert not_name("gemalinn") and not not_name("stahel") and not not_name("kuhn")
    letters, result = _read("Herr Praesident hat geschrieben.", "Herr Landamman kam gestern.",
                            "Ihre Frau Gemalinn läßt grüßen.")
    assert all(_named(result, letter, "person") == [] for letter in letters)


def test_a_final_j_is_an_older_hands_i_and_ie_and_cc_are_spellings_of_i_and_c() -> None:
    assert loose("Weltj") == loose("Welti")
    assert loose("Schmiedlin") == loose("Schmidlin") and loose("Jaccini") == loose("Jacini")
    letters, result = _read("Herr Weltj schreibt.")
    assert _named(result, letters[0], "person") == [("Weltj", "welti-emil")]


def test_a_surname_after_a_title_spelled_a_letter_off_is_the_registers_one() -> None:
    letters, result = _read("Herr Stehelin schreibt mir.", "Herr Kanzler hat entschieden.")
    assert _named(result, letters[0], "person") == [("Stehelin", "stehlin-karl")]
    assert _named(result, letters[1], "person") == []  # an office, no surname misspelt


def test_a_run_of_letters_after_a_title_is_not_compared_letter_by_letter() -> None:
    # A hostile or broken text: a name of 80,000 letters after a title. Comparing it with every
    # surname one letter off would take memory by the square of its length (about 6 GB).
    tracemalloc.start()
    try:
        letters, result = _read("Herr " + "Stehelin" * 10_000 + " schreibt.")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 50_000_000
    assert [ident for _, ident in _named(result, letters[0], "person")] != ["stehlin-karl"]


def test_the_swiss_wil_is_written_weil_and_wyl_by_older_hands() -> None:
    assert loose("Hinweil") == loose("Hinwil") and loose("Rapperschwyl") == loose("Rapperswil")
    letters, result = _read("Ich war gestern in Wädenschweil.", "Er kommt aus Rapperschwyl.")
    assert _named(result, letters[0]) == [("Wädenschweil", "Waedenswil")]
    assert _named(result, letters[1]) == [("Rapperschwyl", "Rapperswil")]


def test_older_hands_and_abbreviations_of_places() -> None:
    letters, result = _read("Le tunnel du S. Gothard sera percé.", language="fr")
    assert _named(result, letters[0]) == [("Gothard", "Gotthard")]  # "S." ends no sentence
    letters, result = _read("Er reist nach Cöln.")
    assert _named(result, letters[0]) == [("Cöln", "Koeln")]


def test_the_french_are_france() -> None:
    letters, result = _read("Die Franzosen rücken vor.", "Die französische Regierung zögert.")
    assert _named(result, letters[0]) == [("Franzosen", "Frankreich")]
    assert _named(result, letters[1]) == [("französische", "Frankreich")]


def test_a_places_people_are_the_place_though_a_noun_is_what_they_are() -> None:
    letters, result = _read("Die Genfer haben gewählt.", "Grüßen Sie die alten Genfer Freunde.", "Er lebt in Genf.",
                            "Das Wasser ist kalt.", "Im Wasser schwimmt er.", "Sie trinkt Wasser.",
                            "Ich fuhr nach Wassen.", "Die Wälder sind dunkel.", "Der Wald ist dunkel.",
                            "Den Wald liebt er.", "Er geht durch den Wald.", "Ich wohne in Wald.")
    assert _named(result, letters[0]) == [("Genfer", "Genf")]
    assert _named(result, letters[1]) == [("Genfer", "Genf")]
    # A word the letters write more often than the place's name is a word of the language, a noun
    # after an article as any other ("das Wasser", not Wassen's people); so is the plural of a
    # place's name that the letters use as a noun ("die Wälder", not the people of Wald).
    assert _named(result, letters[3]) == []
    assert _named(result, letters[7]) == []


def test_demonyms_made_the_ways_german_makes_them() -> None:
    letters, result = _read("Die Glarner Landsgemeinde tagt.", "Die Dresdner Bank zahlt.", "Er reist nach Dresden.")
    assert _named(result, letters[0]) == [("Glarner", "Glarus")]
    assert _named(result, letters[1]) == [("Dresdner", "Dresden")]


def test_a_route_and_a_railway_station_are_towns_a_name_alone_the_canton_but_in_french() -> None:
    letters, result = _read("Die Linie Arth – Zug wird gebaut.", "Die Strecke Zug-Arth ist fertig.",
                            "Der Bahnhof Zug ist klein.", "Zug hat die Verfassung angenommen.")
    assert ("Zug", "Zug_Stadt") in _named(result, letters[0]) and ("Zug", "Zug_Stadt") in _named(result, letters[1])
    assert _named(result, letters[2]) == [("Zug", "Zug_Stadt")]
    assert _named(result, letters[3]) == [("Zug", "Zug")]
    # French names the canton "le canton de Zoug": the name alone is the town there.
    letters, result = _read("Le conseil de Zug hésite encore.", language="fr")
    assert _named(result, letters[0]) == [("Zug", "Zug_Stadt")]


def test_a_demonym_that_is_a_surname_too_is_the_place_where_its_words_say_so() -> None:
    letters, result = _read("Die Basler Zeitung schreibt.", "Die Basler haben gewählt.", "Herr Basler schreibt mir.",
                            "Er lebt in Basel.", "Ich fahre nach Basel.", "Basel ist schön.",
                            "Es kamen einige Basler.", "Basel liegt am Rhein.")
    assert _named(result, letters[0]) == [("Basler", "Basel")]
    assert _named(result, letters[6]) == [("Basler", "Basel")]
    assert _named(result, letters[1]) == [("Basler", "Basel")]
    assert _named(result, letters[0], "person") == [] and _named(result, letters[2]) == []
    assert _named(result, letters[2], "person") == [("Basler", "basler-rudolf")]


def test_a_countrys_name_in_another_language_takes_an_article_as_its_own_does() -> None:
    # "France" is the shipped tables' name of the register's Frankreich: "la France" is no noun.
    letters = [_letter(n, body, language="fr") for n, body in enumerate(
        ["La France est forte.", "La France hésite.", "Je pense que la France attend."])]
    result = enrich(letters, registers=read_tei_register(REGISTER.encode()),
                    options=EnrichOptions(gazetteer_mentions=False, threads=False, addressee_mentions=False))
    assert all(_named(result, letter) == [("France", "Frankreich")] for letter in letters)


def test_a_name_that_starts_with_an_adjective_is_found_declined_and_whole() -> None:
    letters, result = _read("Der Beitritt des Norddeutschen Bundes ist sicher.", "Die norddeutschen Bahnen.")
    assert _named(result, letters[0]) == [("Norddeutschen Bundes", "Norddeutscher_Bund")]
    assert _named(result, letters[1]) == [("norddeutschen", "Norddeutschland")]


def test_a_name_alone_is_the_town_rather_than_a_province_of_that_name() -> None:
    letters, result = _read("Je pars demain pour Florence, puis pour Florenz.", language="fr")
    assert {ident for _, ident in _named(result, letters[0])} == {"Florenz_I"}


def test_of_two_towns_of_one_name_the_one_near_where_the_letters_are_written() -> None:
    # Three letters written in Zürich, one at Baden near Vienna: "Baden" in a text is Baden in Aargau.
    letters = [_letter(n, "Morgen fahre ich nach Baden.") for n in range(4)]
    for n, letter in enumerate(letters):
        letter.place = Place(name="Baden", ref="Baden (A)") if n == 0 else Place(name="Zürich", ref="Zürich (Stadt)")
    result = enrich(letters, registers=read_tei_register(REGISTER.encode()),
                    options=EnrichOptions(gazetteer=False, threads=False, addressee_mentions=False))
    assert _named(result, letters[1]) == [("Baden", "Baden_AG")]


def test_a_word_of_the_language_is_not_read_as_a_gazetteer_name_with_c_for_k() -> None:
    letter = _letter(0, "Can you also ascertain the views of the Committee? Reference your CAB.210.",
                     language="en", sender="S. M. Bruce")
    result = enrich([letter], options=EnrichOptions(threads=False, addressee_mentions=False))
    assert _named(result, letter) == []


def test_a_correspondent_named_after_an_article_now_and_then_is_still_a_person() -> None:
    # "der Sinz": Swiss letters put an article before a friend's name; Sinz writes letters of the archive.
    own = [_letter(n, "Ich grüße Dich herzlich.", sender="Carl Rudolf Sinz") for n in range(3)]
    others = [_letter(n + 3, "Sinz und ich waren gestern in der Stadt.", sender="Johann Jakob Blumer")
              for n in range(14)]
    others += [_letter(n + 17, "Der Sinz hat mir geschrieben.", sender="Johann Jakob Blumer") for n in range(2)]
    result = enrich(own + others, options=EnrichOptions(gazetteer=False, threads=False, addressee_mentions=False))
    assert [name for _, name in _persons(result, others[0])] == ["Carl Rudolf Sinz"]
    # But a word the letters also write in lower case stays a word, whoever bears it as a name.
    own = [_letter(n, "I have the honour to report.", sender="F. K. Officer", language="en") for n in range(3)]
    others = [_letter(n + 3, "The Trade Officer will call.", sender="S. M. Bruce", language="en")
              for n in range(16)]
    others.append(_letter(19, "The Trade Officer is an able officer.", sender="S. M. Bruce", language="en"))
    result = enrich(own + others, options=EnrichOptions(gazetteer=False, threads=False, addressee_mentions=False))
    assert _persons(result, others[0]) == []


def _persons(result: Enrichment, letter: Letter) -> list[tuple[str, str]]:
    return [(m.as_written, m.name) for m in result.mentions[letter_key(letter)] if m.kind == "person"]


def test_a_and_an_are_articles_only_in_english() -> None:
    # German "an Sillar" (to Sillar) and Italian "a Milano" (to Milan) put no article before the name.
    letters, result = _read(*["Ich schrieb gestern an Sillar."] * 4, *["Sillar antwortet nicht."] * 4)
    assert _named(result, letters[0], "person") == [("Sillar", "sillar-robert")]
    letters, result = _read(*["Domani vado a Milano."] * 4, language="it")
    assert _named(result, letters[0]) == [("Milano", "Mailand_I")]

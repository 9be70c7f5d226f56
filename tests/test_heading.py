"""Headings -> kind, parties, date, place and edition number."""

from __future__ import annotations

import pytest

from letterbook.parse.heading import parse_heading


def names(agents):  # type: ignore[no-untyped-def]
    return [(a.name, a.role) for a in agents]


def test_message_with_edition_number() -> None:
    h = parse_heading("Message to H. Truman (Correspondence Vol. 2, No. 384)")
    assert h.kind == "message"
    assert h.sender is None
    assert names(h.recipients) == [("H. Truman", None)]
    assert h.collection is not None
    assert (h.collection.title, h.collection.volume, h.collection.number) == ("Correspondence", "2", "384")


def test_surnames() -> None:
    h = parse_heading("Churchill to Curtin")
    assert h.sender is not None and h.sender.name == "Churchill"
    assert names(h.recipients) == [("Curtin", None)]


def test_honorifics_and_offices_split_from_names() -> None:
    h = parse_heading("Mr S. M. Bruce, High Commissioner in London, to Mr R. G. Menzies, Prime Minister")
    assert h.sender is not None
    assert (h.sender.name, h.sender.role) == ("S. M. Bruce", "High Commissioner in London")
    assert names(h.recipients) == [("R. G. Menzies", "Prime Minister")]
    assert h.recipients[0].as_written == "Mr R. G. Menzies, Prime Minister"
    # A judge's title is no part of the name; a department of justice stays an organisation.
    h = parse_heading("Mr Justice Felix Frankfurter, U.S. Supreme Court, to Dr H. V. Evatt, Minister for "
                      "External Affairs")
    assert h.sender is not None and (h.sender.name, h.sender.role) == ("Felix Frankfurter", "U.S. Supreme Court")
    h = parse_heading("Department of Justice to Mr R. G. Casey")
    assert h.sender is not None and (h.sender.name, h.sender.kind) == ("Department of Justice", "organisation")


def test_a_generation_after_a_comma_is_part_of_the_name_and_honours_are_left_out() -> None:
    h = parse_heading("George E. Waring, Jr. to Samuel L. Clemens")
    assert h.sender is not None and h.sender.name == "George E. Waring Jr." and h.co_senders == []
    h = parse_heading("John Smith, Esq., and Sir Robert Peel, Bart., to W. M. Hughes, M.P.")
    assert h.sender is not None and h.sender.name == "John Smith"
    assert [a.name for a in h.co_senders] == ["Robert Peel"] and names(h.recipients) == [("W. M. Hughes", None)]


def test_numbered_letter_in_an_anthology() -> None:
    h = parse_heading("Letter 12: Laurence Binyon to Olivier-Georges Destrée")
    assert h.sender is not None and h.sender.name == "Laurence Binyon"
    assert names(h.recipients) == [("Olivier-Georges Destrée", None)]
    assert h.collection is not None and h.collection.number == "12"


def test_german_heading_with_place_and_date() -> None:
    h = parse_heading("Oswald Heer an Alfred Escher, Zürich, Dienstag, 07. August 1866")
    assert h.sender is not None and h.sender.name == "Oswald Heer"
    assert names(h.recipients) == [("Alfred Escher", None)]
    assert h.place is not None and h.place.name == "Zürich"
    assert h.date is not None and h.date.when == "1866-08-07"


def test_conjectured_date_in_brackets() -> None:
    h = parse_heading("Hannah Whitman Heyde to Louisa Van Velsor Whitman [July 1856]")
    assert h.sender is not None and h.sender.name == "Hannah Whitman Heyde"
    assert names(h.recipients) == [("Louisa Van Velsor Whitman", None)]
    assert h.date is not None
    assert (h.date.when, h.date.certainty) == ("1856-07", "medium")


@pytest.mark.parametrize(
    ("heading", "sender", "recipients"),
    [
        ("Mr R. G. Casey, Minister to the United States, to Department of External Affairs",
         ("R. G. Casey", "Minister to the United States"), [("Department of External Affairs", None)]),
        ("Mr John Curtin, Prime Minister to Sir Earle Page, Special Representative in the United Kingdom",
         ("John Curtin", "Prime Minister"), [("Earle Page", "Special Representative in the United Kingdom")]),
        ("Department of Trade and Customs to Mr L. R. Macgregor, Government Trade Commissioner in North America",
         ("Department of Trade and Customs", None),
         [("L. R. Macgregor", "Government Trade Commissioner in North America")]),
        ("Lord Chatfield, First Sea Lord and Chief of Naval Staff, to Sir Earle Page, Minister for Commerce",
         ("Chatfield", "First Sea Lord and Chief of Naval Staff"), [("Earle Page", "Minister for Commerce")]),
        ("United States Embassy to Department of External Affairs",
         ("United States Embassy", None), [("Department of External Affairs", None)]),
        ("Evatt to Chifley and Makin", ("Evatt", None), [("Chifley", None), ("Makin", None)]),
        ("Mr R. G. Casey, Minister to the United States, to Mr John Curtin, Prime Minister, and "
         "Dr H. V. Evatt, Minister for External Affairs", ("R. G. Casey", "Minister to the United States"),
         [("John Curtin", "Prime Minister"), ("H. V. Evatt", "Minister for External Affairs")]),
    ],
)
def test_dfat_headings(heading: str, sender: tuple[str, str | None],
                       recipients: list[tuple[str, str | None]]) -> None:
    h = parse_heading(heading)
    assert h.sender is not None
    assert (h.sender.name, h.sender.role) == sender
    assert names(h.recipients) == recipients


def test_joint_senders() -> None:
    h = parse_heading("Forde and Evatt to Chifley")
    assert h.sender is not None and h.sender.name == "Forde"
    assert [a.name for a in h.co_senders] == ["Evatt"]
    assert h.sender.as_written == "Forde and Evatt"


def test_organisations_are_marked() -> None:
    h = parse_heading("Department of External Affairs to Legation in The Hague and Ballard")
    assert h.sender is not None and h.sender.kind == "organisation"
    assert [(a.name, a.kind) for a in h.recipients] == [("Legation in The Hague", "organisation"),
                                                         ("Ballard", "person")]


@pytest.mark.parametrize("heading", [
    "Minutes of Eleventh Meeting of Principal Delegates to Imperial Conference",
    "Memorandum prepared for Delegation to Imperial Conference",
    "Notes on U.K. Chiefs of Staff Answers to Questions raised by Australian Delegation",
])
def test_records_that_are_not_letters_name_no_parties(heading: str) -> None:
    h = parse_heading(heading)
    assert h.sender is None and h.recipients == []
    assert h.kind is not None


def test_author_of_a_record() -> None:
    h = parse_heading("Cabinet Submission by Chifley")
    assert h.kind == "cabinet submission"
    assert h.sender is not None and h.sender.name == "Chifley"


@pytest.mark.parametrize(("heading", "name", "as_written"), [
    ("Report by Chiefs of Staff Sub-committee of Committee of Imperial Defence on Questions raised by Delegations",
     "Chiefs of Staff Sub-committee of Committee of Imperial Defence",
     "Chiefs of Staff Sub-committee of Committee of Imperial Defence"),
    ("Memorandum by Department of Trade and Customs for the Cabinet", "Department of Trade and Customs",
     "Department of Trade and Customs"),
    ("Memorandum by Mr J. K. Waller, Department of External Affairs", "J. K. Waller",
     "Mr J. K. Waller, Department of External Affairs"),
    ("Note by Mr S. M. Bruce of Conversation with Mr Eden", "S. M. Bruce", "Mr S. M. Bruce"),
])
def test_a_body_that_wrote_a_record_is_named_whole(heading: str, name: str, as_written: str) -> None:
    # "of" continues a body's name ("Chiefs of Staff"); after a person's, it says what the record is of.
    h = parse_heading(heading)
    assert h.sender is not None and (h.sender.name, h.sender.as_written) == (name, as_written)


def test_a_date_alone() -> None:
    h = parse_heading("Thursday, 27th November 1924")
    assert h.sender is None and h.recipients == []
    assert h.date is not None and h.date.when == "1924-11-27"


@pytest.mark.parametrize(
    ("heading", "sender", "recipients", "place"),
    [
        ("From John Adams to Thomas Jefferson, 1 January 1812", "John Adams", ["Thomas Jefferson"], None),
        ("To Thomas Jefferson from John Adams", "John Adams", ["Thomas Jefferson"], None),
        ("To Theo van Gogh. Etten, 3 April 1881", None, ["Theo van Gogh"], "Etten"),
        ("Von Goethe an Schiller, Weimar, 3. März 1796", "Goethe", ["Schiller"], "Weimar"),
        ("de Valera to Chifley", "de Valera", ["Chifley"], None),
    ],
)
def test_parties_named_by_direction(heading: str, sender: str | None, recipients: list[str],
                                    place: str | None) -> None:
    h = parse_heading(heading)
    assert (h.sender.name if h.sender else None) == sender
    assert [a.name for a in h.recipients] == recipients
    assert (h.place.name if h.place else None) == place


def test_an_office_then_the_person_who_holds_it() -> None:
    h = parse_heading("Mr Bruce to the Prime Minister, Mr. W. Churchill")
    assert [(a.name, a.role) for a in h.recipients] == [("W. Churchill", "Prime Minister")]

"""Small rules of the mention finder: old spellings, bare offices after a title, the second person."""

from __future__ import annotations

from letterbook.enrich.matcher import loose
from letterbook.enrich.vocabulary import SECOND_PERSON, office_word


def test_old_spellings_share_a_key() -> None:
    assert loose("Gotthardt") == loose("Gothard") == loose("Gotthard")
    assert loose("Graubündten") == loose("Graubünden")
    assert loose("Altorf") == loose("Altdorf")


def test_a_bare_office_is_no_name() -> None:
    assert office_word("statthalter")
    assert office_word("standerathe")
    assert not office_word("koller")


def test_the_second_person_is_found_where_it_stands() -> None:
    match = SECOND_PERSON.search("Ich danke Ihnen für Ihr Schreiben")
    assert match is not None and match.group() == "Ihnen"
    match = SECOND_PERSON.search("I was glad to receive your message")
    assert match is not None and match.group() == "your"
    assert SECOND_PERSON.search("Sie kam gestern") is None  # "Sie" opening a sentence is "she"

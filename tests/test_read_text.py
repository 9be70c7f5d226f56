"""Plain text and Markdown letters read into their parts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import letterbook
from letterbook.parse.letter import parties_from_folder

CABLE = """# Mr S. M. Bruce, High Commissioner in London, to Mr J. A. Lyons, Prime Minister

Cablegram 141 [1] LONDON, 22 November 1937, 6.00 p.m.

MOST SECRET

Your telegram No. 23. [2] The meeting today followed the lines indicated in
yesterday's cablegram and the draft was accepted.

The Ambassador was asked to transmit the text to the British

Ambassador, Kuibyshev, at once.

BRUCE

_

1 Repeated to Washington.

2 Document 87.

_

_[AA:A1838/238, 306/1/1, ii]_
"""

PRIVATE = """# Thursday, 29th November 1928

29th November, 1928

My dear P.M.,

I write this private note to tell you that I have arrived.

There is nothing much more to say at this stage.

With best wishes, I am, Yours sincerely, R. G. CASEY

P.S. I would be glad to know your decision soon. [1]

_

1 See Letter 7.
"""


def read_one(tmp_path: Path, name: str, text: str):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    letters = letterbook.read(path)
    assert len(letters) == 1
    return letters[0]


def test_cable_parts(tmp_path: Path) -> None:
    letter = read_one(tmp_path, "cable.md", CABLE)
    assert letter.source.format == "markdown"
    assert letter.sender is not None and letter.sender.name == "S. M. Bruce"
    assert letter.sender.role == "High Commissioner in London"
    assert [r.name for r in letter.recipients] == ["J. A. Lyons"]
    assert letter.date is not None and letter.date.when == "1937-11-22"
    assert letter.place is not None and (letter.place.name, letter.place.as_written) == ("London", "LONDON")
    assert letter.kind == "cablegram"
    assert letter.classification == "MOST SECRET"
    assert letter.dateline == "Cablegram 141 [1] LONDON, 22 November 1937, 6.00 p.m."
    assert letter.signature == "BRUCE"
    assert letter.source.reference == "AA:A1838/238, 306/1/1, ii"
    assert [(n.label, n.text) for n in letter.notes] == [("1", "Repeated to Washington."), ("2", "Document 87.")]


def test_hard_breaks_rejoined_without_gluing_paragraphs(tmp_path: Path) -> None:
    letter = read_one(tmp_path, "cable.md", CABLE)
    assert letter.body == [
        "Your telegram No. 23. [2] The meeting today followed the lines indicated in yesterday's "
        "cablegram and the draft was accepted.",
        "The Ambassador was asked to transmit the text to the British Ambassador, Kuibyshev, at once.",
    ]


def test_private_letter_parties_from_signature_and_folder(tmp_path: Path) -> None:
    letter = read_one(tmp_path, "volume-17-letters-from-s-m-bruce-to-r-g-casey/12.md", PRIVATE)
    assert letter.salutation == "My dear P.M.,"
    assert letter.closing == "With best wishes, I am, Yours sincerely,"
    assert letter.signature == "R. G. CASEY"
    assert letter.sender is not None and letter.sender.name == "R. G. Casey"
    # "P.M." names an office, not a person: the folder names the other correspondent.
    assert [r.name for r in letter.recipients] == ["S. M. Bruce"]
    assert letter.postscript == "P.S. I would be glad to know your decision soon. [1]"
    assert letter.date is not None and letter.date.when == "1928-11-29"
    assert [n.text for n in letter.notes] == ["See Letter 7."]
    assert len(letter.body) == 2


def test_without_a_folder_an_office_is_not_made_a_person(tmp_path: Path) -> None:
    letter = read_one(tmp_path, "12.md", PRIVATE)
    assert letter.recipients == []


def test_folder_parties() -> None:
    assert parties_from_folder("volume-17-1923-1929-letters-from-s-m-bruce-to-r-g-casey") == [
        "S. M. Bruce", "R. G. Casey"]
    assert parties_from_folder("briefwechsel-heer-und-escher") == ["Heer", "Escher"]
    assert parties_from_folder("volume-8-1945") == []


def test_postscript_with_its_own_initials(tmp_path: Path) -> None:
    text = ("# Sir George Pearce to Mr J. A. Lyons\n\nLetter MELBOURNE, 26 January 1937, PERSONAL AND SECRET\n\n"
            "Herewith I forward three copies of a memorandum.\n\nG.F.PEARCE\n\n"
            "I leave Melbourne for WA on Feb 3rd.\n\nG.F.P.\n")
    letter = read_one(tmp_path, "p.md", text)
    assert letter.signature == "G.F.PEARCE"
    assert letter.postscript == "I leave Melbourne for WA on Feb 3rd.\n\nG.F.P."
    assert letter.body == ["Herewith I forward three copies of a memorandum."]
    assert letter.classification == "PERSONAL AND SECRET"
    assert letter.place is not None and letter.place.name == "Melbourne"


def test_german_letter(tmp_path: Path) -> None:
    text = ("Zürich, den 7. August 1866\n\nHochgeehrter Herr Präsident!\n\n"
            "Ich habe Ihren Brief erhalten und danke Ihnen für die freundlichen Worte, die Sie mir "
            "geschrieben haben.\n\nMit herzlichem Gruss\n\nOswald Heer\n")
    letter = read_one(tmp_path, "heer.txt", text)
    assert letter.date is not None and letter.date.when == "1866-08-07"
    assert letter.place is not None and letter.place.name == "Zürich"
    assert letter.salutation == "Hochgeehrter Herr Präsident!"
    assert letter.closing == "Mit herzlichem Gruss"
    assert letter.signature == "Oswald Heer"
    assert letter.sender is not None and letter.sender.name == "Oswald Heer"
    assert letter.language == "de"


def test_french_letter(tmp_path: Path) -> None:
    text = ("Bruxelles, le 3 mars 1896\n\nMon cher ami,\n\nJe vous remercie de votre lettre et des "
            "poèmes que vous m'avez envoyés, qui sont très beaux.\n\nVotre dévoué\n\nO. G. Destrée\n")
    letter = read_one(tmp_path, "destree.txt", text)
    assert letter.date is not None and letter.date.when == "1896-03-03"
    assert letter.place is not None and letter.place.name == "Bruxelles"
    assert letter.salutation == "Mon cher ami,"
    assert letter.signature == "O. G. Destrée"
    assert letter.language == "fr"


def test_mojibake_repaired(tmp_path: Path) -> None:
    text = "Dear Sir,\n\nThe list â€¢ first â€¢ second is enclosed, and Iâ€™m glad of it.\n\nJohn Smith\n"
    letter = read_one(tmp_path, "m.txt", text)
    assert letter.body == ["The list • first • second is enclosed, and I’m glad of it."]


def test_enclosure_kept_in_the_body(tmp_path: Path) -> None:
    text = ("# Pearce to Lyons\n\nHerewith the memorandum.\n\nG.F.PEARCE\n\nEnclosure\n\n"
            "Memorandum by Sir George Pearce\n\nThe proposal in brief is a capital ship.\n")
    letter = read_one(tmp_path, "e.md", text)
    assert letter.signature == "G.F.PEARCE"
    assert letter.body == ["Herewith the memorandum.", "Enclosure", "Memorandum by Sir George Pearce",
                           "The proposal in brief is a capital ship."]


def test_json_round_trip_of_a_read_letter(tmp_path: Path) -> None:
    letter = read_one(tmp_path, "cable.md", CABLE)
    again = letterbook.Letter.from_json(json.loads(json.dumps(letter.to_json())))
    assert again == letter


def test_dfat_broken_lines_rejoined(shared_path) -> None:  # type: ignore[no-untyped-def]
    folder = shared_path("eval", "dfat", "volume-5-1941-july-1942-june")
    letter = letterbook.read(next(folder.glob("1-mr-r-g-menzies-*.md")))[0]
    # The export broke every line of this cable into a paragraph of its own.
    assert letter.body[0] == ("I have been much exercised about the relations of the Dominions to the "
                              "important matter of central control of war policy.")
    numbered = [p for p in letter.body if p[:2] in ("1.", "2.", "3.", "4.", "5.")]
    assert len(numbered) == 5
    assert "TO FIELD MARSHAL SMUTS ONLY:" in letter.body  # a heading stays a paragraph of its own


def test_no_sentence_left_broken_across_paragraphs(shared_path) -> None:  # type: ignore[no-untyped-def]
    broken = []
    files = sorted(shared_path("eval", "dfat").rglob("*.md"))
    for path in files:
        body = letterbook.read(path)[0].body
        for first, second in zip(body, body[1:], strict=False):
            if first[-1:].isalpha() and second[:1].islower():
                broken.append((path.name, first[-40:], second[:40]))
    print(f"{len(files)} DFAT documents, {len(broken)} sentences left broken")
    assert broken == []


def test_dfat_gold_floors(shared_path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    gold = shared_path("eval", "dfat.gold.jsonl")
    out = tmp_path / "dfat.jsonl"
    with out.open("w") as handle:
        subprocess.run([sys.executable, "-m", "letterbook.cli", "extract", str(shared_path("eval", "dfat")),
                        "--recursive", "--jsonl", "--no-raw"], stdout=handle, check=True)
    result = subprocess.run([sys.executable, str(shared_path("eval", "score.py")), str(gold), str(out),
                             "--min", "sender=0.98", "--min", "recipients=0.98", "--min", "date=0.99",
                             "--min", "place=0.97"], capture_output=True, text=True)
    print(result.stdout)
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize("name", ["a.txt", "b.md"])
def test_a_file_of_prose_without_parts_is_still_a_letter(tmp_path: Path, name: str) -> None:
    letter = read_one(tmp_path, name, "Some words that are only a paragraph of text.\n")
    assert letter.body == ["Some words that are only a paragraph of text."]
    assert letter.sender is None


def test_a_letter_the_other_way_in_a_folder_named_for_both(tmp_path: Path) -> None:
    text = ("# Thursday, 1st March 1928\n\n1st March, 1928\n\nDear Mr. Bruce,\n\n"
            "I enclose a memorandum on the marketing of dried fruits in the United Kingdom.\n\n"
            "Yours sincerely,\n\nF. L. McDOUGALL\n")
    letter = read_one(tmp_path, "volume-18-1923-1929-letters-from-s-m-bruce-to-mcdougall/5.md", text)
    assert letter.sender is not None and letter.sender.name == "F. L. McDougall"
    assert letter.sender.as_written == "F. L. McDOUGALL"
    assert [r.name for r in letter.recipients] == ["S. M. Bruce"]
    assert letter.closing == "Yours sincerely,"
    assert letter.date is not None and letter.date.when == "1928-03-01"


def test_recipient_from_the_inside_address(tmp_path: Path) -> None:
    text = ("London, 3 May 1927\n\nThe Rt Hon. S. M. Bruce\n\nMy dear Prime Minister,\n\n"
            "I have your letter of the 5th and shall reply to it at length by the next mail.\n\n"
            "Yours sincerely,\n\nR. G. Casey\n")
    letter = read_one(tmp_path, "a.txt", text)
    assert letter.address == "The Rt Hon. S. M. Bruce"
    assert [r.name for r in letter.recipients] == ["S. M. Bruce"]
    assert letter.sender is not None and letter.sender.name == "R. G. Casey"
    assert letter.place is not None and letter.place.name == "London"


def test_address_and_date_line_above_the_salutation(tmp_path: Path) -> None:
    text = ("95 Hart st.\nBrooklyn N.Y. March 28 1884\nMy dear Sir,\n"
            "I have not had the honor of a personal acquaintance with you, but I write all the same.\n"
            "Yours truly,\nJ. Hyatt Smith\n")
    letter = read_one(tmp_path, "smith.txt", text)
    assert letter.address == "95 Hart st."
    assert letter.place is not None and letter.place.name == "Brooklyn N.Y."
    assert letter.date is not None and letter.date.when == "1884-03-28"
    assert (letter.salutation, letter.closing, letter.signature) == ("My dear Sir,", "Yours truly,", "J. Hyatt Smith")
    assert letter.sender is not None and letter.sender.name == "J. Hyatt Smith"
    assert letter.body == ["I have not had the honor of a personal acquaintance with you, but I write all the same."]


MINUTES = """# Minutes of Meeting to discuss Defence Questions

2 WHITEHALL GARDENS, LONDON, 1 June 1937, 9.30 a.m.

SECRET

PRESENT

Sir Thomas Inskip, Minister for Co-ordination of Defence (in the Chair); Mr M. J. Savage.

SIR THOMAS INSKIP, in opening the proceedings, said that defence was the question before them.

RESPONSIBILITIES OF IMPERIAL DEFENCE

The responsibilities of Imperial defence were fourfold, and he described each in turn.

CONCLUSION

It was agreed:-

(a) To invite the Chiefs of Staff to issue their replies by Friday.

(b) That a further meeting should be held on Monday.
"""


def test_a_heading_in_capitals_is_not_a_signature(tmp_path: Path) -> None:
    # "CONCLUSION" heads the last section of the minutes: no one signed them so.
    letter = read_one(tmp_path, "minutes.md", MINUTES)
    assert letter.signature is None and letter.sender is None and letter.postscript is None
    assert letter.body[0] == "PRESENT"
    assert letter.body[-4:] == ["CONCLUSION", "It was agreed:-", "(a) To invite the Chiefs of Staff to issue their "
                                "replies by Friday.", "(b) That a further meeting should be held on Monday."]
    # Headings in capitals above, a paragraph after: a section ("GERMANY ... JAPAN / 7. ...").
    memo = ("# Memorandum prepared for Delegation to Imperial Conference\n\nLONDON, 10 May 1937\n\n"
            "1. The position in Europe has not changed in any way that matters to the Delegation.\n\n"
            "GERMANY\n\nThe interval has thrown no new light of importance upon German policy at all.\n\n"
            "JAPAN\n\nThe settlement of the incident has been followed by a marked improvement in relations.\n")
    letter = read_one(tmp_path, "memo.md", memo)
    assert letter.signature is None and letter.sender is None
    assert letter.body[-2:] == ["JAPAN", "The settlement of the incident has been followed by a marked "
                                         "improvement in relations."]
    # The opening line of a meeting's note, over the list of those present.
    note = ("# Note of Meeting of U.K. and Dominions Representatives\n\nLONDON, 17 September 1938\n\n"
            "PRESENT\n\nMalcolm MacDonald; S. M. Bruce, High Commissioner for Australia.\n\n"
            "MR BRUCE asked whether the question of future guarantees had been raised.\n")
    letter = read_one(tmp_path, "note.md", note)
    assert letter.sender is None and letter.signature is None


def test_a_signature_in_capitals_with_headings_above_it_still_signs(tmp_path: Path) -> None:
    # A signature's office under it is no paragraph of a section.
    text = MINUTES.replace("(b) That a further meeting should be held on Monday.\n",
                           "(b) That a further meeting should be held on Monday.\n\nARCHDALE PARKHILL\n\n"
                           "Minister for Defence\n")
    letter = read_one(tmp_path, "signed.md", text)
    assert letter.signature == "ARCHDALE PARKHILL"
    assert letter.sender is not None and letter.sender.name == "Archdale Parkhill"
    cable = CABLE.replace("MOST SECRET", "IMMEDIATE SECRET\n\nTRADE TALKS")
    letter = read_one(tmp_path, "cable.md", cable)
    assert letter.signature == "BRUCE"


@pytest.mark.parametrize("marking", ["IMMEDIATE SECRET", "MOST IMMEDIATE MOST SECRET", "SECRET PERSONAL",
                                     "PERSONAL AND SECRET"])
def test_security_markings_written_one_after_another(tmp_path: Path, marking: str) -> None:
    letter = read_one(tmp_path, "cable.md", CABLE.replace("MOST SECRET", marking))
    assert letter.classification == marking
    assert letter.body[0].startswith("Your telegram No. 23.")

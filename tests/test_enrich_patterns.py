"""The faster forms of the mentions pass's regular expressions find what the plain forms found."""

import re

import pytest

from letterbook.enrich.matcher import CAP
from letterbook.enrich.vocabulary import SECOND_PERSON

# The patterns as first written: the engine tried them at every position of a text.
PLAIN_CAP = re.compile(r"(?<![\w'’])[A-ZÀ-ÖØ-ÞĀ-Ž][^\W_]*(?:['’][^\W\d_]+|-[A-ZÀ-ÖØ-ÞĀ-Ž][^\W_]*)*")
PLAIN_SECOND_PERSON = re.compile(
    r"\b(?:yo(?:u(?:rs?(?:elf)?)?)|d(?:u|i(?:ch|r)|ein(?:e[nmrs]?)?)|vo(?:us|tre|s)|t(?:u|oi|on|a|es))\b"
    r"|(?<=\w )(?:Sie|Ihnen|Ihr(?:e[nmrs]?)?|D(?:u|ich|ir|ein(?:e[nmr]?)?))\b")

TEXTS = [
    "",
    "Zürich",
    "Herrn Oberbaurath Bekh und Hr. Statth. Müller in St. Gallen",
    "O'Connor's letter; Escher’s Bahn, die Feer-Herzog'sche Sache, Saint-Gothard, xAbc, 'Abc, ’Abc, _Abc, 1Abc",
    "Ärger über Øresund, Ŝ and Ž; ÆØÅ×÷Þ",
    "Sie kam gestern. Ich danke Ihnen für Ihr Schreiben und Ihre Güte; wie geht es Dir und Deiner Frau?",
    "I was glad to receive your message; yours truly, you yourself, youth, layout, du, dich, dein, deines",
    "Je vous remercie de votre lettre et de vos mots; toi, ton, ta, tes, tu, tuer, votre.\nSie\nIhr",
    "A.B. C-D e-F G’h I'j Kl-Mn-Op",
]


@pytest.mark.parametrize("text", TEXTS)
def test_capitalised_words_are_those_the_plain_pattern_finds(text: str) -> None:
    assert [m.span() for m in CAP.finditer(text)] == [m.span() for m in PLAIN_CAP.finditer(text)]


@pytest.mark.parametrize("text", TEXTS)
def test_second_person_words_are_those_the_plain_pattern_finds(text: str) -> None:
    assert [m.span() for m in SECOND_PERSON.finditer(text)] == \
        [m.span() for m in PLAIN_SECOND_PERSON.finditer(text)]

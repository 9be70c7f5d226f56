"""Which language a letter is written in, told by its commonest short words."""

from __future__ import annotations

import re

_STOPWORDS = {
    "en": "the and of to in that is was for it with as his on be at by this have from not are but "
          "which you were had my we our your would will been has they their shall should",
    "de": "der die und das ist nicht ich zu den von mit sich des auf für ein eine dem im sie es "
          "auch wie aber wir sind war haben hat ihr mir mich dass daß bei nach wenn noch",
    "fr": "le la les et des est une que qui dans pour pas sur vous nous avec sont mais ce cette "
          "du au aux je mon ma mes votre vos été être avoir fait",
    "it": "il di che la per non una sono con del della gli le nel mi ho questo ma come anche",
    "la": "et in est non ad cum quod sed ut qui quae per ab ex tibi mihi nos vos enim esse",
}
# Each short word with the languages it is common in: a text's words are looked up once each.
_LANGUAGES_OF: dict[str, tuple[str, ...]] = {}
for _lang, _words in _STOPWORDS.items():
    for _word in _words.split():
        _LANGUAGES_OF[_word] = (*_LANGUAGES_OF.get(_word, ()), _lang)
_WORD = re.compile(r"[^\W\d_]+")


def detect_language(text: str) -> str | None:
    """Give the ISO 639-1 code of the text's language, or None when the text is too short to tell."""
    words = _WORD.findall(text[:6000].lower())
    if len(words) < 8:
        return None
    scores = dict.fromkeys(_STOPWORDS, 0)
    for languages in filter(None, map(_LANGUAGES_OF.get, words)):
        for lang in languages:
            scores[lang] += 1
    best = max(scores, key=lambda lang: scores[lang])
    if scores[best] < max(2, len(words) * 0.05):
        return None
    return best

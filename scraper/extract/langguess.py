"""A cheap guess of a page's language from its paragraphs, for pages that never declare one.

Dates need a language (which month names, which order for 03/04/2019) even when neither
<html lang>, meta tags nor JSON-LD give one. The writing system settles most non-Latin scripts;
for Latin ones the commonest short words do: they are frequent, and each language has its own.
No dependency and no model: a few hundred words and one pass over at most MAX_CHARS characters.
"""

from __future__ import annotations

import re
from collections import Counter

from selectolax.lexbor import LexborHTMLParser

# fmt: off
# The most frequent function words of each language. Shared words ("de", "a", "la") count for
# every language that has them; the words a language alone uses decide.
STOP_WORDS: dict[str, frozenset[str]] = {
    lang: frozenset(text.split())
    for lang, text in {
        "en": "the and of to is that for was with on are this have from by at be it his her "
              "they has were which but not will would been said",
        "de": "der die und das ist nicht ein eine mit sich auf dem den des für von zu im auch "
              "wird wurde sind bei nach noch oder aber wie hat",
        "fr": "le la les et des est une dans pour que qui sur pas du au avec ce il elle sont "
              "ont été mais aux cette plus",
        "es": "el la los las y que en un una por con para del se es al lo como pero más sus "
              "fue han está",
        "it": "il la di che e un una per non con sono del della alla gli le è anche nel dei "
              "delle ha stato più",
        "pt": "o a os as de que em um uma para com não do da dos das é ao no na pelo pela "
              "foi mais também",
        "nl": "de het een en van is dat op te in niet met voor zijn er aan ook als bij naar "
              "maar werd heeft",
        "pl": "i w na z się nie do to że jest o jak po za od przez dla oraz był jego",
        "cs": "a v se na je že to s z do o ve jako pro by jsou byl také jeho která",
        "sv": "och i att det som en på är av för med till den har inte ett om var",
        "da": "og i at det er en til på for med af som den har ikke et om var",
        "no": "og i det er en til på for med av som at ikke har et om var",
        "fi": "ja on ei se että hän oli mutta kun tai myös ovat joka",
        "tr": "ve bir bu da de için ile olarak daha çok ne gibi olan",
        "ro": "și în de la cu a pe care nu că din o un fost este mai",
        "hu": "a az és hogy nem is egy meg van de volt már csak",
        "id": "dan yang di ini itu dengan untuk dari dalam tidak akan pada adalah",
    }.items()
}
# Letters that only some Cyrillic alphabets use.
_UKRAINIAN = frozenset("іїєґ")
_RUSSIAN = frozenset("ыэё")
_SERBIAN = frozenset("ђћџљњј")
# (first, last code point, language) for scripts that name their language outright.
_SCRIPTS: tuple[tuple[int, int, str], ...] = (
    (0x0370, 0x03FF, "el"), (0x0590, 0x05FF, "he"), (0x0600, 0x06FF, "ar"),
    (0x0900, 0x097F, "hi"), (0x0E00, 0x0E7F, "th"), (0x3040, 0x30FF, "ja"),
    (0xAC00, 0xD7AF, "ko"), (0x4E00, 0x9FFF, "zh"),
)
MAX_CHARS = 4000
MAX_PARAGRAPHS = 40
MIN_HITS = 8  # fewer stop words than this: too little text to tell
_WORD = re.compile(r"[^\W\d_]+")
# fmt: on


def sample_text(tree: LexborHTMLParser) -> str:
    """The first paragraphs' text: story text, unlike menus and scripts."""
    parts: list[str] = []
    size = 0
    for node in tree.css("p")[:MAX_PARAGRAPHS]:
        text = node.text(deep=True)
        parts.append(text)
        size += len(text)
        if size >= MAX_CHARS:
            break
    return " ".join(parts)[:MAX_CHARS]


def guess_language(text: str) -> str | None:
    """The ISO 639-1 code of the language text is most likely in, or None when unsure."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 40:
        return None
    cyrillic = sum(1 for c in letters if "\u0400" <= c <= "\u04ff")
    if cyrillic * 2 > len(letters):
        return _cyrillic(text.lower())
    if (other := _script(letters)) is not None:
        return other
    counts: Counter[str] = Counter()
    for word in _WORD.findall(text.lower()):
        for lang, stop in STOP_WORDS.items():
            if word in stop:
                counts[lang] += 1
    ranked = counts.most_common(2)
    if not ranked or ranked[0][1] < MIN_HITS:
        return None
    if len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
        return None  # a tie: nothing to go on
    return ranked[0][0]


def _cyrillic(text: str) -> str:
    letters = set(text)
    if letters & _UKRAINIAN and not letters & _RUSSIAN:
        return "uk"
    if letters & _SERBIAN:
        return "sr"
    if not letters & _RUSSIAN and "ъ" in letters:
        return "bg"
    return "ru"


def _script(letters: list[str]) -> str | None:
    """The language a non-Latin script names when most letters are in it ("ja" for kana)."""
    counts: Counter[str] = Counter()
    for c in letters:
        point = ord(c)
        if point < 0x0370:
            continue
        for first, last, lang in _SCRIPTS:
            if first <= point <= last:
                counts[lang] += 1
                break
    if not counts:
        return None
    lang, count = counts.most_common(1)[0]
    if counts.get("ja") and lang == "zh":
        lang, count = "ja", counts["ja"] + counts["zh"]  # Japanese mixes kanji with kana
    return lang if count * 2 > len(letters) else None

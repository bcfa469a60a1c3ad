"""A cheap guess of a page's language from its paragraphs, for pages that never declare one.

Dates need a language (which month names, which order for 03/04/2019) even when neither
<html lang>, meta tags nor JSON-LD give one. The writing system settles most non-Latin scripts;
for Latin ones the commonest short words do: they are frequent, and each language has its own.
No dependency and no model: a few hundred words and one pass over at most MAX_CHARS characters.
"""

from __future__ import annotations

import re

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
# Each stop word and the languages that use it: one look-up per word of the sample.
_LANGS_OF: dict[str, tuple[str, ...]] = {
    word: tuple(lang for lang, stop in STOP_WORDS.items() if word in stop)
    for word in frozenset().union(*STOP_WORDS.values())
}
# Letters that only some Cyrillic alphabets use.
_UKRAINIAN = frozenset("іїєґ")
_RUSSIAN = frozenset("ыэё")
_SERBIAN = frozenset("ђћџљњј")
# Scripts that name their language outright.
_SCRIPTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("el", re.compile(r"[\u0370-\u03ff]")), ("he", re.compile(r"[\u0590-\u05ff]")),
    ("ar", re.compile(r"[\u0600-\u06ff]")), ("hi", re.compile(r"[\u0900-\u097f]")),
    ("th", re.compile(r"[\u0e00-\u0e7f]")), ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("ko", re.compile(r"[\uac00-\ud7af]")), ("zh", re.compile(r"[\u4e00-\u9fff]")),
)
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_NOT_LATIN = re.compile(r"[\u0370-\uffff]")
_PUNCTUATION = ".,;:!?\"'()[]«»“”„‘’…-–—"
MAX_CHARS = 4000
MAX_PARAGRAPHS = 40
MIN_HITS = 8  # fewer stop words than this: too little text to tell
# fmt: on


def sample_text(tree: LexborHTMLParser) -> str:
    """The first paragraphs' text: story text, unlike menus and scripts."""
    parts: list[str] = []
    size = 0
    for node in tree.tags("p")[:MAX_PARAGRAPHS]:
        text = node.text(deep=True)
        parts.append(text)
        size += len(text)
        if size >= MAX_CHARS:
            break
    return " ".join(parts)[:MAX_CHARS]


def guess_language(text: str) -> str | None:
    """The ISO 639-1 code of the language text is most likely in, or None when unsure."""
    if len(text) < 60:
        return None
    other = len(_NOT_LATIN.findall(text))
    if other * 5 > len(text) * 2:  # mostly another script: it names the language
        return _by_script(text, other)
    counts: dict[str, int] = {}
    for token in text.lower().split():
        for lang in _LANGS_OF.get(token.strip(_PUNCTUATION), ()):
            counts[lang] = counts.get(lang, 0) + 1
    ranked = sorted(counts.items(), key=lambda item: item[1], reverse=True)[:2]
    if not ranked or ranked[0][1] < MIN_HITS:
        return None
    if len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
        return None  # a tie: nothing to go on
    return ranked[0][0]


def _by_script(text: str, letters: int) -> str | None:
    """The language a script names when most of the letters outside Latin are in it."""
    if len(_CYRILLIC.findall(text)) * 2 > letters:
        return _cyrillic(set(text.lower()))
    counts = {lang: len(pattern.findall(text)) for lang, pattern in _SCRIPTS}
    if counts["ja"]:  # Japanese mixes kanji with kana
        counts["ja"] += counts.pop("zh")
    lang = max(counts, key=lambda k: counts[k])
    return lang if counts[lang] * 2 > letters else None


def _cyrillic(letters: set[str]) -> str:
    if letters & _UKRAINIAN and not letters & _RUSSIAN:
        return "uk"
    if letters & _SERBIAN:
        return "sr"
    if not letters & _RUSSIAN and "ъ" in letters:
        return "bg"
    return "ru"

"""Which part of a page title is the headline: "Storm closes schools - Yahoo! Eurosport UK".

A <title> (and often og:title) joins the headline with the site's name, a section or a date.
The visible heading, when one of the title's segments repeats it, says which part is the
headline; otherwise the segment that names the site (og:site_name or the domain) is cut off
together with the short furniture segments on its far side."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from urllib.parse import urlsplit

from scraper.extract.document import clean_text
from scraper.extract.sitehost import host_spells

# fmt: off
# Separators between a headline and the site name in <title> and og:title. A hyphen, colon,
# slash or tilde separates only with spaces around it, as headlines use them within words;
# CJK titles use the full-width bar ("｜") without spaces.
SITE_SEPARATOR = re.compile(r"\s+(?:[|\-–—:·•»«/~]|::)\s+|\s*[|｜–—·•]\s*")
# Separators that also join words of a headline ("Ukraine war: oil falls"), so they cut off only
# a segment that is exactly the site's name ("Reuters: Oil falls"); "：" is the full-width colon.
_WEAK_SEPARATOR = re.compile(r":\s+|\s*：\s*|,\s+")
# Separators of navigation trails ("Story | Europe | DW"), after which a short segment is a
# section; dashes and colons are left alone because headlines use them.
_TRAIL_SEPARATOR = re.compile(r"^\s*[|·•»/]\s*$")
# A segment that is only a date or a number ("28.04.2023", "2024-05-01").
_DATE_ONLY = re.compile(r"^[\d\s./\-:]+$")
_ALNUM = re.compile(r"[\W_]+")
_WORD = re.compile(r"[^\W_]+")
# Host labels that say nothing about the site (registries' second levels).
_GENERIC_LABELS = frozenset({"www", "m", "amp", "co", "com", "org", "net", "gov", "ac", "news"})
# A site key this long may sit inside a longer segment ("Yahoo! Eurosport UK" holds "eurosport").
_MIN_PARTIAL_KEY = 4
# Share of a segment's letters that site keys must cover for the segment to be the site's name
# ("DER SPIEGEL" on spiegel.de; not "Reuters reporter freed" on reuters.com).
_MIN_SITE_SHARE = 0.5
# How domains spell letters with diacritics ("Süddeutsche" on sueddeutsche.de).
_ASCII_SPELLING = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "æ": "ae", "ø": "oe"})
# A headline segment has at least this many words; a site name or section, fewer.
_MIN_HEADLINE_WORDS = 4
# Words a section or a short tagline has at most ("Wirtschaft", "Europe News").
_MAX_SECTION_WORDS = 2
# fmt: on


def key(text: str) -> str:
    """Letters and digits only, case-folded: how two spellings of one title are compared."""
    return _ALNUM.sub("", text.casefold())


def _site_key(text: str) -> str:
    """key() spelled as a domain would: umlauts written out, other accents dropped."""
    folded = text.casefold()
    if folded.isascii():
        return _ALNUM.sub("", folded)
    plain = unicodedata.normalize("NFKD", folded.translate(_ASCII_SPELLING))
    return _ALNUM.sub("", "".join(c for c in plain if not unicodedata.combining(c)))


def site_keys(site_name: str | None, url: str | None) -> set[str]:
    """Spellings of the site's name to recognise it in a title: "kyivindependent"."""
    keys = set()
    if site_name:
        name = _site_key(site_name)
        keys.add(name)
        if name.startswith("the"):
            keys.add(name[3:])
        for suffix in ("com", "de", "net", "org"):  # "DW.COM" is DW
            if name.endswith(suffix) and "." in site_name:
                keys.add(name.removesuffix(suffix))
    host = urlsplit(url).hostname if url else None
    if host:
        labels = host.lower().split(".")[:-1]  # without the top-level domain
        keys.update(
            _site_key(lab) for lab in labels if len(lab) >= 2 and lab not in _GENERIC_LABELS
        )
        keys.add(_site_key(host.lower().removeprefix("www.")))
    keys.discard("")
    return keys


def is_site(part: str, keys: set[str], partial: bool = True) -> bool:
    """True when part names the site: one of its keys, or mostly made of keys when partial."""
    k = _site_key(part)
    if not k:
        return False
    if k in keys or k.removeprefix("the") in keys:
        return True
    if not partial or len(part.split()) > 4:
        return False
    covered = sum(len(s) for s in keys if len(s) >= _MIN_PARTIAL_KEY and s in k and s != k)
    if covered >= _MIN_SITE_SHARE * len(k):
        return True
    return host_spells(tuple(_site_key(w) for w in _WORD.findall(part)), keys)


def _spans(title: str, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    """(start, end) of the title's segments between separators, empty ones left out."""
    spans, start = [], 0
    for sep in pattern.finditer(title):
        spans.append((start, sep.start()))
        start = sep.end()
    spans.append((start, len(title)))
    return [(a, b) for a, b in spans if title[a:b].strip()]


def segment_matching(title: str, refs: list[str], leading: bool = False) -> str | None:
    """The run of the title's segments that repeats one of refs (a visible heading); with
    `leading`, only a run that starts the title (a kicker before a heading is the headline's)."""
    wanted = {k for r in refs if len(k := key(r)) >= 6}
    if not wanted or key(title) in wanted:
        return None
    spans = _spans(title, SITE_SEPARATOR)[:8]
    for i in range(1 if leading else len(spans)):
        for j in range(len(spans) - 1, i - 1, -1):
            part = title[spans[i][0] : spans[j][1]]
            if key(part) in wanted:
                return clean_text(part)
    return None


def strip_site_name(title: str, site_name: str | None, url: str | None) -> str:
    """The title without the site's name before or after a separator ("X | Reuters"), and
    without the sections and dates on the far side of that name ("X | Europe | DW | 28.04.2023")."""
    keys = site_keys(site_name, url)
    if not keys:
        return title
    spans = _spans(title, SITE_SEPARATOR)
    while len(spans) > 1 and _DATE_ONLY.match(title[spans[-1][0] : spans[-1][1]]):
        spans.pop()
    if len(spans) > 1:
        edges = (0, len(spans) - 1)
        sites = [
            i
            for i, (a, b) in enumerate(spans)
            if is_site(title[a:b], keys) or (i in edges and _site_led(title[a:b], keys))
        ]
        if sites:
            first, last = sites[0], sites[-1]
            if first > 0 and _short_trail(title, spans[last + 1 :]):
                return _trim_sections(title, spans[:first])
            if last < len(spans) - 1 and _short_trail(title, spans[:first]):
                return _trim_sections(title, spans[last + 1 :], trailing=False)
        return title
    return _strip_weak(title, keys)


def _site_led(part: str, keys: set[str]) -> bool:
    """True for a short segment opening with the site's name: the site and a section or a
    word for news ("NTV Haber", "RT World News", "CNNPolitics") at a title's end."""
    first, *rest = part.split() or [""]
    if len(rest) > _MAX_SECTION_WORDS or not first[:1].isupper():
        return False
    word = _site_key(first)
    if word in keys:
        return bool(rest)
    # "CNNPolitics": the site's name run into a capitalised section name.
    return any(
        len(k) >= 3 and word.startswith(k) and first[len(k) : len(k) + 1].isupper() for k in keys
    )


def _short_trail(title: str, spans: list[tuple[int, int]]) -> bool:
    return all(len(title[a:b].split()) <= _MAX_SECTION_WORDS + 1 for a, b in spans)


def _trim_sections(title: str, spans: list[tuple[int, int]], trailing: bool = True) -> str:
    """The headline's segments without the short sections beside it, away from the site's
    name ("X | Europe" before "| DW"), when trail separators join them."""

    def words(a: int, b: int) -> int:
        return len(title[a:b].split())

    while len(spans) > 1:
        section, rest = (spans[-1], spans[:-1]) if trailing else (spans[0], spans[1:])
        sep = title[rest[-1][1] : section[0]] if trailing else title[section[1] : rest[0][0]]
        short = words(*section) <= _MAX_SECTION_WORDS
        if not (short and _TRAIL_SEPARATOR.match(sep) and words(rest[0][0], rest[-1][1]) >= 3):
            break
        spans = rest
    return clean_text(title[spans[0][0] : spans[-1][1]])


def _strip_weak(title: str, keys: set[str]) -> str:
    """The title without a site name joined by a colon or comma at either end."""
    seps = list(_WEAK_SEPARATOR.finditer(title))
    if not seps:
        return title
    last, first = seps[-1], seps[0]
    if last.start() > 0 and is_site(title[last.end() :], keys, partial=False):
        return clean_text(title[: last.start()])
    if first.end() < len(title) and is_site(title[: first.start()], keys, partial=False):
        return clean_text(title[first.end() :])
    return title


def headline_segment(title: str) -> str:
    """The one segment of a title with a headline's length when the others are short (a site's
    name or a section nobody recognised: "Valley Courier | Storm closes the schools")."""
    spans = _spans(title, SITE_SEPARATOR)
    if len(spans) < 2:
        return title
    long = [(a, b) for a, b in spans if len(title[a:b].split()) >= _MIN_HEADLINE_WORDS]
    if len(long) != 1:
        return title
    a, b = long[0]
    short = [len(title[x:y].split()) <= _MAX_SECTION_WORDS for x, y in spans if x != a]
    return clean_text(title[a:b]) if all(short) else title


# Segments of a title looked at: the runs grow with the square of their number.
_MAX_RUN_SEGMENTS = 8


def _runs(title: str) -> Iterator[tuple[int, int, list[tuple[int, int]]]]:
    """(i, j, spans) for every run of consecutive segments i..j of the title (its spans)."""
    spans = _spans(title, SITE_SEPARATOR)[:_MAX_RUN_SEGMENTS]
    for i in range(len(spans)):
        for j in range(i, len(spans)):
            yield i, j, spans


def segment_runs(title: str) -> dict[str, str]:
    """{key: text} of every run of consecutive segments of the title, the whole title too:
    the texts a block showing the headline, with or without a kicker, may repeat."""
    runs: dict[str, str] = {}
    for i, j, spans in _runs(title):
        text = clean_text(title[spans[i][0] : spans[j][1]])
        runs.setdefault(key(text), text)
    runs.pop("", None)
    return runs


def held_beside_name(text: str, title: str, keys: set[str]) -> bool:
    """True when the title holds the text beside the site's name and nothing else ("Weather |
    Ledger"): the title alone already gives that text, a block repeating it adds nothing."""
    wanted = key(text)
    for i, j, spans in _runs(title):
        if key(title[spans[i][0] : spans[j][1]]) == wanted:
            rest = spans[:i] + spans[j + 1 :]
            return bool(rest) and all(is_site(title[a:b], keys) for a, b in rest)
    return False

"""When the story was published and last modified, as ISO 8601.

Sources, best first: JSON-LD, article:published_time, microdata, other meta tags, <time datetime>
near the headline, visible date text near the byline (dateparser), the URL. Dates in the masthead,
related-story lists and comments are never read: only the headline's neighbourhood counts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Any

from selectolax.lexbor import LexborNode

from scraper.extract.byline import DATE_WORDS
from scraper.extract.candidate import Candidate
from scraper.extract.document import Doc, attr
from scraper.extract.fields import language, site_name
from scraper.extract.headline import Header, ancestors, find_header, node_text
from scraper.extract.structured import text_values
from scraper.extract.vocab import class_id, words

# A value of either kind: a date alone when the source gives no time of day.
When = datetime | date


@dataclass(frozen=True)
class _Kind:
    """Where one of the two dates is written: keys and vocabularies, best first."""

    jsonld: tuple[str, ...]
    first_meta: tuple[str, ...]  # read before microdata: the de-facto standard tags
    itemprops: tuple[str, ...]
    meta: tuple[str, ...]
    updated: bool  # True for the modified date: only "updated" elements and labels count


# fmt: off
PUBLISHED = _Kind(
    jsonld=("datePublished", "dateCreated", "uploadDate"),
    first_meta=("article:published_time", "og:article:published_time", "og:published_time"),
    itemprops=("datePublished", "dateCreated"),
    meta=(
        "parsely-pub-date", "sailthru.date", "dc.date.issued", "dcterms.issued", "dc.date",
        "dcterms.date", "dcterms.created", "dc.date.created", "pubdate", "publishdate",
        "publish-date", "published-date", "publish_date", "article.published", "article:published",
        "date", "cxenseparse:recs:publishtime", "citation_publication_date",
        "originalpublicationdate", "displaydate",
    ),
    updated=False,
)
MODIFIED = _Kind(
    jsonld=("dateModified",),
    first_meta=("article:modified_time", "og:updated_time", "article:updated_time"),
    itemprops=("dateModified",),
    meta=(
        "dc.date.modified", "dcterms.modified", "last-modified", "lastmod", "article.updated",
        "article:modified", "modified-date", "updated-date", "revision_date",
    ),
    updated=True,
)
# Class/id words of elements that hold the update time rather than the publication time.
UPDATED_WORDS: frozenset[str] = frozenset({
    "updated", "modified", "update", "lastmod", "last-modified", "date-modified", "dateupdated",
    "aktualisiert", "actualizado", "aggiornato", "atualizado", "bijgewerkt",
})
# Labels in front of an update date ("Updated 3 hours ago"), in several languages.
UPDATED_LABEL = re.compile(
    r"\b(?:updated|last updated|modified|aktualisiert|geändert|actualizado|actualización|"
    r"mis à jour|aggiornato|atualizado|bijgewerkt|оновлено|обновлено|zaktualizowano)\b",
    re.IGNORECASE,
)
# Words of relative dates ("3 hours ago", "vor 3 Stunden", "2 дні тому", "yesterday").
RELATIVE = re.compile(
    r"\b(?:ago|vor|тому|назад|hace|il y a|fa|atrás|geleden|sedan|siden|temu|yesterday|today|"
    r"gestern|heute|вчора|сьогодні|вчера|сегодня|ayer|hoy|hier|aujourd'hui|ieri|oggi|ontem|hoje)\b",
    re.IGNORECASE,
)
# Units finer than a day: the relative date then has a meaningful time of day.
FINE_UNITS = re.compile(
    r"\b(?:sec|second|min|minute|hour|hr|stunde|minute|sekunde|годин|хвилин|секунд|час|минут|"
    r"hora|minuto|heure|ora|minut|godzin|uur|timm)\w*",
    re.IGNORECASE,
)
_TIME_OF_DAY = re.compile(
    r"\b\d{1,2}:\d{2}\b|\b\d{1,2}\s*(?:am|pm|a\.m\.|p\.m\.)|\b\d{1,2}h\d{2}\b|\b\d{1,2}\.\d{2}\s*Uhr",
    re.IGNORECASE,
)
_ISO = re.compile(
    r"^(\d{4})-?(\d{2})-?(\d{2})(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,]\d+)?\s*"
    r"(Z|[+-]\d{2}(?::?\d{2})?|UTC|GMT)?)?$",
    re.IGNORECASE,
)
_SLASHED = re.compile(
    r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$"
)
# A year in a written date: four digits, or the two of "18.11.19" and "11/18/19".
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)|\d{1,2}[./-]\d{1,2}[./-]\d\d(?!\d)")
_EPOCH = re.compile(r"^\d{10}(?:\d{3})?$")
_URL_DATES: tuple[re.Pattern[str], ...] = (
    re.compile(r"/((?:19|20)\d\d)/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])(?:/|$|[-_.])"),
    re.compile(r"[/_-]((?:19|20)\d\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?=[/_.-]|$)"),
    re.compile(r"[/_-]((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=[/_.-]|$)"),
)
# Class/id words of elements that show a date as text near the byline.
DATE_TEXT_WORDS: frozenset[str] = (
    DATE_WORDS | UPDATED_WORDS | {"byline", "meta", "info", "posted-on", "entry-meta"}
)
NOT_DATE_WORDS: frozenset[str] = frozenset({"candidate", "validate", "accommodate"})
# Class substrings that select those elements (the words above decide).
DATE_TEXT_CLASSES: tuple[str, ...] = (
    "date", "time", "byl", "meta", "posted", "publish", "updated", "modified", "datum", "fecha",
    "aktualis", "actualiz", "aggiorn", "atualiz",
)
MIN_YEAR = 1990
FUTURE_SLACK = timedelta(days=2)
_MAX_TEXT_CHARS = 120
_MAX_DISTANCE = 5
_MAX_NODES = 200
_MAX_TEXT_TRIES = 12
# fmt: on


def _tz(value: str | None) -> timezone | None:
    if not value:
        return None
    if value.upper() in ("Z", "UTC", "GMT"):
        return UTC
    sign = -1 if value[0] == "-" else 1
    digits = value[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    if hours > 14 or minutes > 59:
        return None
    offset = timedelta(hours=hours, minutes=minutes)
    return UTC if not offset else timezone(sign * offset)


def parse_structured(value: Any) -> When | None:
    """A machine-written date (ISO 8601, RFC 2822, 2022/02/01, epoch seconds) or None."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(int(value))
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > 64:
        return None
    try:
        if m := _ISO.match(text):
            y, mo, d, h, mi, s, zone = m.groups()
            if h is None:
                return date(int(y), int(mo), int(d))
            return datetime(int(y), int(mo), int(d), int(h), int(mi), int(s or 0), tzinfo=_tz(zone))
        if m := _SLASHED.match(text):
            y, mo, d, h, mi, s = m.groups()
            if h is None:
                return date(int(y), int(mo), int(d))
            return datetime(int(y), int(mo), int(d), int(h), int(mi), int(s or 0))
        if _EPOCH.match(text):
            seconds = int(text) / (1000 if len(text) == 13 else 1)
            return datetime.fromtimestamp(seconds, UTC)
        if re.search(r"[A-Za-z]{3}", text) and re.search(r"\d{1,2}:\d{2}", text):
            return parsedate_to_datetime(text)
    except (ValueError, TypeError, OverflowError, IndexError):
        return None
    return None


def _plausible(when: When, now: datetime) -> bool:
    """Not before 1990 and not more than two days ahead of now."""
    if when.year < MIN_YEAR:
        return False
    limit = now + FUTURE_SLACK
    if isinstance(when, datetime):
        aware = when if when.tzinfo else when.replace(tzinfo=UTC)
        return aware <= (limit if limit.tzinfo else limit.replace(tzinfo=UTC))
    return when <= limit.date()


def iso(when: When) -> str:
    """ISO 8601 with seconds, the offset when known ("+00:00" for Z); a date alone as such."""
    if isinstance(when, datetime):
        return when.replace(microsecond=0).isoformat(timespec="seconds")
    return when.isoformat()


def _valid(value: Any, now: datetime) -> When | None:
    when = parse_structured(value)
    return when if when is not None and _plausible(when, now) else None


def _jsonld(doc: Doc, kind: _Kind, now: datetime) -> When | None:
    objects = [doc.jsonld.article] if doc.jsonld.article else list(doc.jsonld.of_type("WebPage"))
    for obj in objects:
        for key in kind.jsonld:
            for value in text_values(obj.get(key)):
                if when := _valid(value, now):
                    return when
    return None


def _meta(doc: Doc, names: tuple[str, ...], now: datetime) -> tuple[str, When] | None:
    for name in names:
        for value in doc.meta.get(name, ()):
            if when := _valid(value, now):
                return name, when
    return None


def _microdata(doc: Doc, kind: _Kind, header: Header, now: datetime) -> When | None:
    selector = ", ".join(f"[itemprop~={p}]" for p in kind.itemprops)
    for node in doc.tree.css(selector)[:_MAX_NODES]:
        if _comment_scope(node) or header.place(node)[0]:
            continue
        for value in (attr(node, "content"), attr(node, "datetime"), node_text(node, limit=64)):
            if when := _valid(value, now):
                return when
    return None


def _comment_scope(node: LexborNode) -> bool:
    scope = next((a for a in ancestors(node) if "itemscope" in a.attributes), None)
    kind = (scope.attributes.get("itemtype") or "").lower() if scope is not None else ""
    return "comment" in kind or "review" in kind or "answer" in kind


def _is_updated(node: LexborNode) -> bool:
    """True for an element that holds the update time: its class, or an "Updated" label."""
    value = class_id(node)
    if words(value) & UPDATED_WORDS or (node.attributes.get("itemprop") or "") == "dateModified":
        return True
    prev = node.prev
    while prev is not None and prev.is_text_node and not (prev.text_content or "").strip():
        prev = prev.prev
    if prev is not None:
        label = (prev.text_content if prev.is_text_node else node_text(prev, limit=40)) or ""
        return 0 < len(label) < 40 and bool(UPDATED_LABEL.search(label))
    return False


def _near(doc: Doc, header: Header, selector: str) -> Iterator[LexborNode]:
    """Elements outside furniture near the headline, nearest first, then in page order."""
    ranked: list[tuple[int, int, LexborNode]] = []
    for order, node in enumerate(doc.tree.css(selector)[:_MAX_NODES]):
        furniture, distance = header.place(node)
        if furniture or _in_quote(node):
            continue
        if header.h1 is not None and (distance is None or distance > _MAX_DISTANCE):
            continue
        ranked.append((distance or 0, order, node))
    ranked.sort(key=lambda item: (item[0], item[1]))
    return (node for _, _, node in ranked)


def _in_quote(node: LexborNode) -> bool:
    return any(
        a.tag in ("blockquote", "figure", "figcaption") for a in ancestors(node, include_self=True)
    )


def _time_elements(doc: Doc, kind: _Kind, header: Header, now: datetime) -> When | None:
    """<time datetime> (or time[pubdate]) in the article's header area."""
    for node in _near(doc, header, "time"):
        if _is_updated(node) != kind.updated:
            continue
        when = _valid(attr(node, "datetime"), now)
        if when is None:
            continue
        if not isinstance(when, datetime):  # a date alone: the visible text may add the time
            shown = _parse_text(node_text(node, limit=_MAX_TEXT_CHARS), doc, now)
            if isinstance(shown, datetime) and shown.date() == when:
                return shown
        return when
    return None


@lru_cache(maxsize=16)
def _parser(languages: tuple[str, ...], base: datetime) -> Any:
    """A dateparser parser for these languages and this "now"; building one costs more than
    parsing, so they are kept."""
    from dateparser.date import DateDataParser

    settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past", "PREFER_DAY_OF_MONTH": "first"}
    try:
        return DateDataParser(languages=list(languages), settings=settings)
    except ValueError:  # a language dateparser does not know
        return DateDataParser(languages=["en"], settings=settings)


def _languages(doc: Doc) -> tuple[str, ...]:
    lang = language(doc)
    return (lang, "en") if lang and lang != "en" else ("en",)


def _parse_text(text: str, doc: Doc, now: datetime) -> When | None:
    """A date a person wrote ("February 1, 2022 11:46 pm", "vor 3 Stunden"), or None.

    Tries the few word windows that start just before the first number, so names and labels
    before the date do not hide it; dateparser only ever sees short strings."""
    text = text.strip()
    if not text or len(text) > _MAX_TEXT_CHARS:
        return None
    tokens = text.split()
    relative = RELATIVE.search(text)
    digit_at = next((i for i, t in enumerate(tokens) if any(c.isdigit() for c in t)), None)
    if digit_at is None and not (relative and len(tokens) <= 4):
        return None
    if not relative and not (_YEAR.search(text) and _has_day(text)):
        return None  # "February 2022" has no day, "13 Aug" no year: too vague to report
    base = now.astimezone(UTC).replace(tzinfo=None) if now.tzinfo else now
    parser = _parser(_languages(doc), base)
    starts = [0] if digit_at is None else range(max(0, digit_at - 3), digit_at + 1)
    for start in starts:
        window = " ".join(tokens[start : start + 9])
        try:
            found: datetime | None = parser.get_date_data(window).date_obj
        except (ValueError, TypeError, OverflowError, AttributeError):  # dateparser edge cases
            continue
        if found is None:
            continue
        if relative:
            if FINE_UNITS.search(window):
                return found.replace(tzinfo=UTC, microsecond=0) if found.tzinfo is None else found
            return found.date()
        when: When = found if _TIME_OF_DAY.search(window) else found.date()
        return when if _plausible(when, now) else None
    return None


def _has_day(text: str) -> bool:
    """True when a number that can be a day of the month stands apart from a year."""
    return any(1 <= int(n) <= 31 for n in re.findall(r"(?<!\d)\d{1,2}(?!\d)", text))


def _dated(found: AbstractSet[str]) -> bool:
    """True for class words that name a date element, run-together ones ("postdate") too."""
    return bool(found & DATE_TEXT_WORDS) or any(
        w.endswith("date") and w not in NOT_DATE_WORDS for w in found
    )


def _visible_text(doc: Doc, kind: _Kind, header: Header, now: datetime) -> When | None:
    """Dates written as text in elements near the byline or headline."""
    selector = "time:not([datetime]), " + ", ".join(f"[class*={w} i]" for w in DATE_TEXT_CLASSES)
    tries = 0
    for node in _near(doc, header, selector):
        value = class_id(node)
        if node.tag != "time" and not _dated(words(value)):
            continue
        text = node_text(node, limit=_MAX_TEXT_CHARS)
        if not text or len(text) > _MAX_TEXT_CHARS:
            continue
        updated = _is_updated(node) or bool(UPDATED_LABEL.search(text))
        if updated != kind.updated:
            continue
        if kind.updated and (label := UPDATED_LABEL.search(text)):
            text = text[label.end() :]
        tries += 1
        if when := _parse_text(text, doc, now):
            return when
        if tries >= _MAX_TEXT_TRIES:
            break
    return None


def _from_url(url: str | None, now: datetime) -> When | None:
    if not url:
        return None
    path = url.split("?", 1)[0].split("#", 1)[0]
    for pattern in _URL_DATES:
        if m := pattern.search(path):
            try:
                when = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                continue
            if _plausible(when, now):
                return when
    return None


def _find(doc: Doc, kind: _Kind, now: datetime) -> Candidate[str] | None:
    if when := _jsonld(doc, kind, now):
        return Candidate(iso(when), "jsonld")
    if found := _meta(doc, kind.first_meta, now):
        return Candidate(iso(found[1]), f"meta:{found[0]}")
    header = find_header(doc, site_name(doc))  # the same header the byline reads
    if when := _microdata(doc, kind, header, now):
        return Candidate(iso(when), "microdata")
    if found := _meta(doc, kind.meta, now):
        return Candidate(iso(found[1]), f"meta:{found[0]}")
    if when := _time_elements(doc, kind, header, now):
        return Candidate(iso(when), "time[datetime]")
    if when := _visible_text(doc, kind, header, now):
        return Candidate(iso(when), "text")
    if not kind.updated and (when := _from_url(doc.url, now)):
        return Candidate(iso(when), "url")
    return None


def published(doc: Doc, now: datetime) -> Candidate[str] | None:
    """The publication date, from the best source that gives a plausible one."""
    return _find(doc, PUBLISHED, now)


def modified(doc: Doc, now: datetime) -> Candidate[str] | None:
    """The last-modified date, from the best source that gives a plausible one."""
    return _find(doc, MODIFIED, now)

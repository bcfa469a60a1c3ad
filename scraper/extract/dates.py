"""When the story was published and last modified, as ISO 8601.

Sources, best first: JSON-LD, article:published_time, microdata and RDFa, other meta tags (their
names compared without case or separators: "article:published:time"), JSON-LD media and WebPage
objects; then what the page shows (datevisible.py): <time datetime>, a date element's
machine-readable attribute (hAtom's <abbr class="published" title>, data-date) and date text near
the headline, a labelled date line anywhere in the story ("Veröffentlicht am 12.03.2019"), a
short line near the headline, a date alone on its own line in the story (datelone.py), the
dateline opening the first paragraph (dateline.py), the app state a script holds
(scriptdates.py: "firstPublicationDate" in a JavaScript app's data); last, a date element
anywhere in the story. A full date in the URL ("/2019/11/18/") is the publication day: a date
read from the page's text or scripts on another day gives way to it, and it comes before the
story's date elements. A page that shows only its update time gives that
as published. A UTC value the header shows as local time is written in that time's offset.
Numeric dates are read by our own regex (dots day first, slashes by the page's locale);
dateparser only sees short strings with words."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from selectolax.lexbor import LexborNode

from scraper.extract.candidate import Candidate
from scraper.extract.dateline import dateline, title_anchor
from scraper.extract.datelone import lone_line
from scraper.extract.datetext import MAX_TEXT_CHARS, When, iso, parse_value, plausible
from scraper.extract.datevisible import (
    MAX_NODES,
    attr_near,
    header_line,
    labelled_line,
    read_date,
    shown,
    story_element,
    text_near,
    time_near,
)
from scraper.extract.document import Doc, attr
from scraper.extract.fields import site_name
from scraper.extract.headline import Header, ancestors, find_header, node_text
from scraper.extract.scriptdates import script_date
from scraper.extract.structured import text_values


@dataclass(frozen=True)
class _Kind:
    """Where one of the two dates is written: keys and vocabularies, best first."""

    jsonld: tuple[str, ...]
    first_meta: tuple[str, ...]  # read before microdata: the de-facto standard tags
    itemprops: tuple[str, ...]  # best first: a page's datePublished beats an embed's uploadDate
    meta: tuple[str, ...]
    updated: bool  # True for the modified date: only "updated" elements and labels count


# fmt: off
PUBLISHED = _Kind(
    jsonld=("datePublished", "dateCreated", "uploadDate"),
    first_meta=("article:published_time", "og:article:published_time", "og:published_time"),
    itemprops=("datePublished", "dateCreated", "uploadDate"),
    # Compared without case or separators, so "publish-date" also finds "publish_date" and
    # "publishDate". schema.org property names count as meta names too (<meta itemprop>).
    meta=(
        "datepublished", "parsely-pub-date", "sailthru.date", "dc.date.issued", "dcterms.issued",
        "dc.date", "dcterms.date", "dcterms.created", "dc.date.created", "pubdate", "publishdate",
        "published-date", "publication-date", "published-time", "publish-time", "article.published",
        "article:published", "date", "cxenseparse:publishtime", "cxenseparse:recs:publishtime",
        "citation_publication_date", "citation_date", "originalpublicationdate", "displaydate",
        "datecreated", "created-date", "creation-date", "uploaddate", "release-date", "og:pubdate",
        "dc.date.published", "article-date-original", "article.created",
    ),
    updated=False,
)
MODIFIED = _Kind(
    jsonld=("dateModified",),
    first_meta=("article:modified_time", "og:updated_time", "article:updated_time"),
    itemprops=("dateModified",),
    meta=(
        "datemodified", "dc.date.modified", "dcterms.modified", "last-modified", "lastmod",
        "article.updated", "article:modified", "modified-date", "updated-date", "revision_date",
        "modified-time", "updated-time", "cxenseparse:recs:modifiedtime",
    ),
    updated=True,
)
# JSON-LD objects whose dates stand for the page when no article object gives one: a video or
# podcast page describes its story as the media object ("uploadDate").
MEDIA_TYPES: tuple[str, ...] = (
    "WebPage", "VideoObject", "AudioObject", "PodcastEpisode", "Episode", "Clip", "MediaObject",
)
_SEPARATORS = re.compile(r"[^a-z0-9]")
_URL_DATES: tuple[re.Pattern[str], ...] = (
    re.compile(r"/((?:19|20)\d\d)/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])(?:/|$|[-_.])"),
    re.compile(r"[/_-]((?:19|20)\d\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?=[/_.-]|$)"),
    re.compile(r"[/_-]((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=[/_.-]|$)"),
)
# A time of day a page shows: "11:03 PM", "23:03", "14.05 Uhr", "14h05"; hour, minute, a or p.
_CLOCK = re.compile(
    r"(?<![\d:.])(\d{1,2})(?::|h|\.(?=\d\d\s*Uhr))(\d\d)(?![\d:])(?:\s*([ap])\.?\s?m\b\.?)?",
    re.IGNORECASE,
)
# A time of day whose minutes an offset in use may turn into the minutes given (index: the
# minutes modulo 15): a cheap test of whether a page shows a UTC time in local time at all.
_CLUES: tuple[re.Pattern[str], ...] = tuple(
    re.compile(r"\d(?::|h|\.)(?:" + "|".join(f"{m:02d}" for m in range(r, 60, 15)) + r")(?!\d)")
    for r in range(15)
)
_NUMBER = re.compile(r"(?<!\d)\d{1,2}(?!\d)")
# Time zones pages name beside a time, as UTC offsets in hours; "ET" is either of two.
_ZONE = re.compile(r"\b([A-Z]{2,4})\b")
_ZONES: dict[str, tuple[float, ...]] = {
    "utc": (0,), "gmt": (0,), "z": (0,), "bst": (1,), "cet": (1,), "mez": (1,), "cest": (2,),
    "mesz": (2,), "eet": (2,), "eest": (3,), "msk": (3,), "ist": (5.5, 1), "hkt": (8,),
    "jst": (9,), "kst": (9,), "aest": (10,), "aedt": (11,), "nzst": (12,), "nzdt": (13,),
    "est": (-5,), "edt": (-4,), "et": (-5, -4), "cst": (-6,), "cdt": (-5,), "ct": (-6, -5),
    "mst": (-7,), "mdt": (-6,), "mt": (-7, -6), "pst": (-8,), "pdt": (-7,), "pt": (-8, -7),
    "akst": (-9,), "akdt": (-8,), "hst": (-10,), "ast": (-4, 3), "adt": (-3,),
}
# The UTC offsets in use, in minutes: whole hours from -12 to +14 and the few others.
_OFFSETS: frozenset[float] = frozenset(
    [60.0 * h for h in range(-12, 15)]
    + [-570.0, -210.0, 210.0, 270.0, 330.0, 345.0, 390.0, 525.0, 570.0, 630.0, 765.0, 825.0]
)
# fmt: on


def _jsonld(doc: Doc, kind: _Kind, now: datetime, objects: list[dict[str, Any]]) -> When | None:
    for obj in objects:
        for key in kind.jsonld:
            for value in text_values(obj.get(key)):
                if when := parse_value(value, now):
                    return when
    return None


def _key(name: str) -> str:
    """A meta name without case or separators: "article:published:time" is
    "article_published_time" and "articlePublishedTime"."""
    return _SEPARATORS.sub("", name.lower())


def _meta(doc: Doc, names: tuple[str, ...], now: datetime) -> tuple[str, When] | None:
    """The first meta name, best first, whose content is a plausible date; names match as
    written first, then without case or separators."""
    by_key: dict[str, list[str]] | None = doc.memo.get("meta-keys")
    if by_key is None:
        by_key = {}
        for name, values in doc.meta.items():
            by_key.setdefault(_key(name), []).extend(values)
        doc.memo["meta-keys"] = by_key
    for name in names:
        for value in doc.meta.get(name) or by_key.get(_key(name)) or ():
            if when := parse_value(value, now):
                return name, when
    return None


def _microdata(doc: Doc, kind: _Kind, header: Header, now: datetime) -> When | None:
    """itemprop dates (<meta itemprop content>, <time itemprop datetime>, or the element's
    text), and RDFa's property="schema:datePublished", property by property, outside comments,
    reviews and furniture."""
    by_prop = _properties(doc)
    for prop in kind.itemprops:
        for node in by_prop.get(prop.lower(), ()):
            if _comment_scope(node) or header.place(node)[0]:
                continue
            for value in (attr(node, "content"), attr(node, "datetime")):
                if when := parse_value(value, now):
                    return when
            text = node_text(node, limit=MAX_TEXT_CHARS) if node.tag != "meta" else ""
            if not text or len(text) > MAX_TEXT_CHARS:
                continue
            if when := parse_value(text, now) or read_date(doc, text, now):
                return when
    return None


def _properties(doc: Doc) -> dict[str, list[LexborNode]]:
    """Elements by lower-cased microdata or RDFa property name ("schema:datePublished" is
    "datepublished"), in page order; one query for both dates."""
    if "properties" not in doc.memo:
        by_prop: dict[str, list[LexborNode]] = {}
        for node in doc.tree.css("[itemprop], [property]")[: 4 * MAX_NODES]:
            attrs = node.attributes
            names = (attrs.get("itemprop") or "").split()
            names += [p.rsplit(":", 1)[-1] for p in (attrs.get("property") or "").split()]
            for name in names:
                by_prop.setdefault(name.lower(), []).append(node)
        doc.memo["properties"] = by_prop
    found: dict[str, list[LexborNode]] = doc.memo["properties"]
    return found


def _comment_scope(node: LexborNode) -> bool:
    scope = next((a for a in ancestors(node) if "itemscope" in a.attributes), None)
    kind = (scope.attributes.get("itemtype") or "").lower() if scope is not None else ""
    return "comment" in kind or "review" in kind or "answer" in kind


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
            if plausible(when, now):
                return when
    return None


def _find(doc: Doc, kind: _Kind, now: datetime) -> Candidate[str] | None:
    header = find_header(doc, site_name(doc))  # the same header the byline reads
    if header.h1 is None:  # no heading element: the block that shows the title, if any
        if "title-anchor" not in doc.memo:
            anchor = title_anchor(doc)
            doc.memo["title-anchor"] = Header(anchor) if anchor is not None else header
        header = doc.memo["title-anchor"]
    if found := _structured(doc, kind, header, now):
        return Candidate(iso(_as_shown(doc, kind, header, found[1], now)), found[0])
    published = not kind.updated
    url_day = _from_url(doc.url, now) if published else None
    readers: list[tuple[str, Callable[[], When | None]]] = [
        ("text", lambda: text_near(doc, kind.updated, header, now)),
        ("text:label", lambda: labelled_line(doc, kind.updated, header, now)),
        ("text:header", lambda: header_line(doc, kind.updated, header, now)),
    ]
    if published:
        readers += [
            ("text:lone", lambda: lone_line(doc, header, now)),
            ("text:dateline", lambda: dateline(doc, header, now)),
            ("script", lambda: script_date(doc, now)),
        ]
    if url_day is None:  # the address's date beats a date element met anywhere in the story
        readers.append(("text:story", lambda: story_element(doc, kind.updated, header, now)))
    for source, read in readers:
        if when := read():
            # A full date in the address is the publisher's stamp of the day the story went
            # out: a date read elsewhere on another day is an update's or another story's.
            if url_day is not None and _day(when) != url_day:
                break
            return Candidate(iso(when), source)
    return Candidate(iso(url_day), "url") if url_day is not None else None


def _day(when: When) -> date:
    return when.date() if isinstance(when, datetime) else when


def _structured(doc: Doc, kind: _Kind, header: Header, now: datetime) -> tuple[str, When] | None:
    """(source, date) from the machine-written sources, best first."""
    article = doc.jsonld.article
    if when := _jsonld(
        doc, kind, now, [article] if article else list(doc.jsonld.of_type("WebPage"))
    ):
        return "jsonld", when
    if found := _meta(doc, kind.first_meta, now):
        return f"meta:{found[0]}", found[1]
    if when := _microdata(doc, kind, header, now):
        return "microdata", when
    if found := _meta(doc, kind.meta, now):
        return f"meta:{found[0]}", found[1]
    if when := _jsonld(doc, kind, now, list(doc.jsonld.of_type(*MEDIA_TYPES))):
        return "jsonld", when
    if when := time_near(doc, kind.updated, header, now):
        return "time[datetime]", when
    if when := attr_near(doc, kind.updated, header, now):
        return "attr", when
    return None


def _as_shown(doc: Doc, kind: _Kind, header: Header, when: When, now: datetime) -> When:
    """A UTC time as the page shows it to its readers: when the header shows the same instant
    as a local wall-clock time ("November 18, 2019 11:03 PM" for 07:03Z on the 19th), that time
    with the offset the difference gives. The instant is unchanged, but the calendar day is the
    one the publisher and its readers call the publication day."""
    if not isinstance(when, datetime) or when.utcoffset() != timedelta(0):
        return when
    base = when.replace(tzinfo=None, second=0, microsecond=0)  # pages show minutes
    clue = _CLUES[when.minute % 15]
    for text in shown(doc, kind.updated, header, clue):
        offset = local_offset(text, base)
        if offset is not None:  # the first time that shows this instant decides
            return when.astimezone(timezone(offset)) if offset else when
    return when


def local_offset(text: str, utc: datetime) -> timedelta | None:
    """The UTC offset in use under which text shows the naive UTC time utc: a time of day with
    utc's minutes, and the number of the local day beside it ("Nov 18, 11:03 PM" shows
    2019-11-19 07:03 at -08:00); timedelta(0) when it shows utc itself. Read without a date
    parser, so a line without a year counts too."""
    for m in _CLOCK.finditer(text):
        hour, minute, noon = int(m.group(1)), int(m.group(2)), (m.group(3) or "").lower()
        if noon:
            if not 1 <= hour <= 12:
                continue
            hour = hour % 12 + (12 if noon == "p" else 0)
        if hour > 23 or minute > 59:
            continue
        rest = text[: m.start()] + " " + text[m.end() :]
        days = {int(n) for n in _NUMBER.findall(rest)}
        named = {_ZONES[z.lower()] for z in _ZONE.findall(text) if z.lower() in _ZONES}
        for shift in (0, -1, 1):
            local = datetime.combine(utc.date() + timedelta(days=shift), time(hour, minute))
            hours = (local - utc).total_seconds() / 3600
            if local.day not in days or hours * 60 not in _OFFSETS:
                continue
            if named and not any(hours in zone for zone in named):
                continue  # "7:45 am PST" is not this instant at -03:00
            return local - utc
    return None


def published(doc: Doc, now: datetime) -> Candidate[str] | None:
    """The publication date, from the best source that gives a plausible one; on a page that
    shows only when it was updated ("Aktualisiert am ..."), that date, with its source named
    "modified:...": the story was published that day or before, and most stories the same day."""
    if found := _find(doc, PUBLISHED, now):
        return found
    if shown := modified(doc, now):
        return Candidate(shown.value, f"modified:{shown.source}")
    return None


def modified(doc: Doc, now: datetime) -> Candidate[str] | None:
    """The last-modified date, from the best source that gives a plausible one; found once per
    page and "now", as published() may ask for it too."""
    key = ("modified", now)
    if key not in doc.memo:
        doc.memo[key] = _find(doc, MODIFIED, now)
    found: Candidate[str] | None = doc.memo[key]
    return found

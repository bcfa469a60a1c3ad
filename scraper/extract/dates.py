"""When the story was published and last modified, as ISO 8601.

Sources, best first: JSON-LD, article:published_time, microdata, other meta tags (their names
compared without case or separators: "article:published:time"), JSON-LD media and WebPage
objects, <time datetime> near the headline, visible date text near the byline, a labelled date
line anywhere in the story ("Veröffentlicht am 12.03.2019"), the URL. Dates in the masthead,
related-story lists and comments are never read. Numeric dates are read by our own regex (dots
day first, slashes by the page's locale); dateparser only sees short strings with words."""

from __future__ import annotations

import re
from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from selectolax.lexbor import LexborNode

from scraper.extract.byline import DATE_WORDS
from scraper.extract.candidate import Candidate
from scraper.extract.datelabels import UPDATED_LABEL, in_teaser, labelled, segment, story_place
from scraper.extract.datetext import (
    MAX_TEXT_CHARS,
    When,
    iso,
    parse_numeric,
    parse_structured,
    parse_text,
    plausible,
)
from scraper.extract.document import Doc, attr
from scraper.extract.fields import LANGUAGE_META, language, site_name
from scraper.extract.headline import Header, ancestors, find_header, node_text
from scraper.extract.structured import text_values
from scraper.extract.vocab import class_id, words


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
        "datecreated", "created-date", "creation-date", "uploaddate", "release-date",
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
# Class/id words of elements that hold the update time rather than the publication time.
UPDATED_WORDS: frozenset[str] = frozenset({
    "updated", "modified", "update", "lastmod", "last-modified", "date-modified", "dateupdated",
    "aktualisiert", "actualizado", "aggiornato", "atualizado", "bijgewerkt",
})
# Class words of elements that hold the publication time, even when also marked "updated".
PUBLISHED_WORDS: frozenset[str] = frozenset({"published", "pubdate", "datepublished"})
# JSON-LD objects whose dates stand for the page when no article object gives one: a video or
# podcast page describes its story as the media object ("uploadDate").
MEDIA_TYPES: tuple[str, ...] = (
    "WebPage", "VideoObject", "AudioObject", "PodcastEpisode", "Episode", "Clip", "MediaObject",
)
# English-speaking countries that write the day first, by web domain, for pages whose language
# tag names no region ("en"): 03/04/2019 is 3 April there.
DAY_FIRST_TLDS: frozenset[str] = frozenset(
    "uk au nz ie in za ng ke gh pk sg my mt cy jm tt zw zm ug tz bw lk bd".split()
)
# Regions of English that write the month first.
MONTH_FIRST_REGIONS: frozenset[str] = frozenset({"us", "ph", "fm", "mh", "pw"})
_SEPARATORS = re.compile(r"[^a-z0-9]")
_REGION = re.compile(r"^[a-z]{2,3}[-_]([a-z]{2})\b")
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
_MAX_DISTANCE = 5
_MAX_NODES = 200
_MAX_TEXT_TRIES = 12
# fmt: on


def _valid(value: Any, now: datetime) -> When | None:
    """A plausible machine-written date; a numeric one as people write it ("12.03.2019") too,
    since some CMSs put the visible form in structured data."""
    when = parse_structured(value)
    if when is None and isinstance(value, str) and len(value) <= 40:
        when = parse_numeric(value)
    return when if when is not None and plausible(when, now) else None


def _jsonld(doc: Doc, kind: _Kind, now: datetime, objects: list[dict[str, Any]]) -> When | None:
    for obj in objects:
        for key in kind.jsonld:
            for value in text_values(obj.get(key)):
                if when := _valid(value, now):
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
            if when := _valid(value, now):
                return name, when
    return None


def _microdata(doc: Doc, kind: _Kind, header: Header, now: datetime) -> When | None:
    """itemprop dates (<meta itemprop content>, <time itemprop datetime>, or the element's
    text), and RDFa's property="schema:datePublished", property by property, outside comments,
    reviews and furniture."""
    for prop in kind.itemprops:
        selector = f"[itemprop~={prop} i], [property$=':{prop}' i], [property={prop} i]"
        for node in doc.tree.css(selector)[:_MAX_NODES]:
            if _comment_scope(node) or header.place(node)[0]:
                continue
            for value in (attr(node, "content"), attr(node, "datetime")):
                if when := _valid(value, now):
                    return when
            text = node_text(node, limit=MAX_TEXT_CHARS) if node.tag != "meta" else ""
            if not text or len(text) > MAX_TEXT_CHARS:
                continue
            if when := _valid(text, now) or parse_text(text, _languages(doc), now, _mdy(doc)):
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


def _holds(node: LexborNode, kind: _Kind) -> bool:
    """True when the element holds this kind of date. WordPress marks a never-edited post's one
    date "published updated": it is both."""
    if _is_updated(node):
        return kind.updated or bool(words(class_id(node)) & PUBLISHED_WORDS)
    return not kind.updated


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
        if _holds(node, kind) and (when := _time_value(doc, node, now)):
            return when
    return None


def _time_value(doc: Doc, node: LexborNode, now: datetime) -> When | None:
    """A <time>'s datetime attribute; when it is a date alone, the text may add the time."""
    when = _valid(attr(node, "datetime"), now)
    if when is not None and not isinstance(when, datetime):
        text = node_text(node, limit=MAX_TEXT_CHARS)
        shown = parse_text(text, _languages(doc), now, _mdy(doc))
        if isinstance(shown, datetime) and shown.date() == when:
            return shown
    return when


def _languages(doc: Doc) -> tuple[str, ...]:
    lang = language(doc)
    return (lang, "en") if lang and lang != "en" else ("en",)


def _mdy(doc: Doc) -> bool:
    """True when the page's locale writes numeric dates month first (en-US): the region of its
    language tag, else, for English without one, its country's web domain."""
    if "month-first" in doc.memo:
        return bool(doc.memo["month-first"])
    result = False
    if language(doc) == "en":
        tags = [doc.lang or ""] + [v for k in LANGUAGE_META for v in doc.meta.get(k, ())]
        regions = [m.group(1) for t in tags if (m := _REGION.match(t.strip().lower()))]
        if regions:
            result = regions[0] in MONTH_FIRST_REGIONS
        else:
            host = (doc.url or "").split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
            result = host.rsplit(".", 1)[-1].lower() not in DAY_FIRST_TLDS
    doc.memo["month-first"] = result
    return result


def _dated(found: AbstractSet[str]) -> bool:
    """True for class words that name a date element, run-together ones ("postdate") too."""
    return bool(found & DATE_TEXT_WORDS) or any(
        w.endswith("date") and w not in NOT_DATE_WORDS for w in found
    )


def _visible_text(doc: Doc, kind: _Kind, header: Header, now: datetime) -> When | None:
    """Dates written as text in elements near the byline or headline."""
    tries = 0
    for node in _near(doc, header, _date_selector()):
        value = class_id(node)
        if node.tag != "time" and not _dated(words(value)):
            continue
        text = node_text(node, limit=MAX_TEXT_CHARS)
        if not text or len(text) > MAX_TEXT_CHARS:
            continue
        if _is_updated(node):  # the whole element is the update time
            part: str | None = text if _holds(node, kind) else None
        else:  # a line may hold both: "Published 3 March, updated 4 March"
            part = segment(text, kind.updated)
        if not part:
            continue
        tries += 1
        if when := parse_text(part, _languages(doc), now, _mdy(doc)):
            return when
        if tries >= _MAX_TEXT_TRIES:
            break
    return None


def _story_dates(doc: Doc, kind: _Kind, header: Header, now: datetime) -> When | None:
    """A date element anywhere in the story, however far from the headline (a date line at its
    end, in its own footer), never in another story's card."""
    ranked: list[tuple[int, int, LexborNode]] = []
    for order, node in enumerate(doc.tree.css("time, " + _date_selector())[:_MAX_NODES]):
        found = words(class_id(node))
        if node.tag != "time" and not _dated(found):
            continue
        marked = bool(found & PUBLISHED_WORDS or found & UPDATED_WORDS)
        own, distance = story_place(node, header, marked)
        if own and not in_teaser(node, header):
            ranked.append((distance, order, node))
    ranked.sort(key=lambda item: (item[0], item[1]))
    for _, _, node in ranked[:_MAX_TEXT_TRIES]:
        if node.tag == "time" and "datetime" in node.attributes:
            if _holds(node, kind) and (when := _time_value(doc, node, now)):
                return when
            continue
        text = node_text(node, limit=MAX_TEXT_CHARS)
        if not text or len(text) > MAX_TEXT_CHARS or _in_quote(node):
            continue
        part = (
            (text if _holds(node, kind) else None)
            if _is_updated(node)
            else segment(text, kind.updated)
        )
        if part and (when := parse_text(part, _languages(doc), now, _mdy(doc))):
            return when
    return None


def _date_selector() -> str:
    return "time:not([datetime]), " + ", ".join(f"[class*={w} i]" for w in DATE_TEXT_CLASSES)


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


def _labelled(doc: Doc, kind: _Kind, header: Header, now: datetime) -> When | None:
    """A labelled date line anywhere in the story: its meta bar, footer or info box."""
    for text, lang in labelled(doc.tree.body, header, kind.updated):
        languages = _languages(doc)
        if lang and lang not in languages:  # the label's language is the date's
            languages = (lang, *languages)
        if when := parse_text(text[:MAX_TEXT_CHARS], languages, now, _mdy(doc)):
            return when
    return None


def _find(doc: Doc, kind: _Kind, now: datetime) -> Candidate[str] | None:
    article = doc.jsonld.article
    if when := _jsonld(
        doc, kind, now, [article] if article else list(doc.jsonld.of_type("WebPage"))
    ):
        return Candidate(iso(when), "jsonld")
    if found := _meta(doc, kind.first_meta, now):
        return Candidate(iso(found[1]), f"meta:{found[0]}")
    header = find_header(doc, site_name(doc))  # the same header the byline reads
    if when := _microdata(doc, kind, header, now):
        return Candidate(iso(when), "microdata")
    if found := _meta(doc, kind.meta, now):
        return Candidate(iso(found[1]), f"meta:{found[0]}")
    if when := _jsonld(doc, kind, now, list(doc.jsonld.of_type(*MEDIA_TYPES))):
        return Candidate(iso(when), "jsonld")
    if when := _time_elements(doc, kind, header, now):
        return Candidate(iso(when), "time[datetime]")
    if when := _visible_text(doc, kind, header, now):
        return Candidate(iso(when), "text")
    if when := _labelled(doc, kind, header, now):
        return Candidate(iso(when), "text:label")
    if not kind.updated and (when := _from_url(doc.url, now)):
        return Candidate(iso(when), "url")
    if when := _story_dates(doc, kind, header, now):
        return Candidate(iso(when), "text:story")
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
    """The last-modified date, from the best source that gives a plausible one."""
    return _find(doc, MODIFIED, now)

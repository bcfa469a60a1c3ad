"""When the story was published and last modified, as ISO 8601.

Sources, best first: JSON-LD, article:published_time, microdata, other meta tags, <time datetime>
near the headline, visible date text near the byline (dateparser), the URL. Dates in the masthead,
related-story lists and comments are never read: only the headline's neighbourhood counts."""

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
from scraper.extract.datetext import (
    MAX_TEXT_CHARS,
    When,
    iso,
    parse_structured,
    parse_text,
    plausible,
)
from scraper.extract.document import Doc, attr
from scraper.extract.fields import language, site_name
from scraper.extract.headline import Header, ancestors, find_header, node_text
from scraper.extract.structured import text_values
from scraper.extract.vocab import class_id, words


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
    when = parse_structured(value)
    return when if when is not None and plausible(when, now) else None


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
            shown = parse_text(node_text(node, limit=MAX_TEXT_CHARS), _languages(doc), now)
            if isinstance(shown, datetime) and shown.date() == when:
                return shown
        return when
    return None


def _languages(doc: Doc) -> tuple[str, ...]:
    lang = language(doc)
    return (lang, "en") if lang and lang != "en" else ("en",)


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
        text = node_text(node, limit=MAX_TEXT_CHARS)
        if not text or len(text) > MAX_TEXT_CHARS:
            continue
        updated = _is_updated(node) or bool(UPDATED_LABEL.search(text))
        if updated != kind.updated:
            continue
        if kind.updated and (label := UPDATED_LABEL.search(text)):
            text = text[label.end() :]
        tries += 1
        if when := parse_text(text, _languages(doc), now):
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
            if plausible(when, now):
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

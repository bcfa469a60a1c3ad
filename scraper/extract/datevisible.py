"""Dates the page shows: <time> elements and date text near the headline, labelled date lines
and date elements anywhere in the story, read in the page's language and locale.

dates.py reads the structured sources and decides the order; this module reads what a person
sees. Nothing here is read in the masthead, related stories, comments or quotes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from datetime import datetime
from itertools import islice

from selectolax.lexbor import LexborNode

from scraper.extract.byline import DATE_WORDS
from scraper.extract.datelabels import (
    UPDATED_LABEL,
    in_page_footer,
    in_teaser,
    labelled,
    segment,
    story_place,
)
from scraper.extract.datetext import MAX_TEXT_CHARS, When, parse_text, parse_value
from scraper.extract.document import Doc, attr
from scraper.extract.fields import LANGUAGE_META, language
from scraper.extract.headline import Header, ancestors, node_text
from scraper.extract.named import DATE_CLASSES, date_nodes
from scraper.extract.vocab import class_id, words

# fmt: off
# Class/id words of elements that hold the update time rather than the publication time.
UPDATED_WORDS: frozenset[str] = frozenset({
    "updated", "modified", "update", "lastmod", "last-modified", "date-modified", "dateupdated",
    "aktualisiert", "actualizado", "aggiornato", "atualizado", "bijgewerkt",
})
# Class words of elements that hold the publication time, even when also marked "updated".
PUBLISHED_WORDS: frozenset[str] = frozenset({"published", "pubdate", "datepublished"})
# English-speaking countries that write the day first, by web domain, for pages whose language
# tag names no region ("en"): 03/04/2019 is 3 April there.
DAY_FIRST_TLDS: frozenset[str] = frozenset(
    "uk au nz ie in za ng ke gh pk sg my mt cy jm tt zw zm ug tz bw lk bd".split()
)
# Regions of English that write the month first.
MONTH_FIRST_REGIONS: frozenset[str] = frozenset({"us", "ph", "fm", "mh", "pw"})
_REGION = re.compile(r"^[a-z]{2,3}[-_]([a-z]{2})\b")
# Class/id words of elements that show a date as text near the byline.
DATE_TEXT_WORDS: frozenset[str] = (
    DATE_WORDS | UPDATED_WORDS | {"byline", "meta", "info", "posted-on", "entry-meta"}
)
# Attributes that hold a date element's machine-readable value (<time> has datetime).
DATE_ATTRIBUTES: tuple[str, ...] = (
    "datetime", "title", "data-date", "data-datetime", "data-published", "data-publish-date",
    "data-time", "data-timestamp", "data-updated",
)
NOT_DATE_WORDS: frozenset[str] = frozenset({"candidate", "validate", "accommodate"})
# Class substrings that select those elements (the words above decide).
DATE_TEXT_CLASSES: tuple[str, ...] = DATE_CLASSES
_MAX_DISTANCE = 5
MAX_NODES = 200
# Date elements read per page: a sports or TV banner can list hundreds before the story.
_MAX_DATE_NODES = 2000
_MAX_TEXT_TRIES = 12
# How far around the headline a classless date line may stand (levels up from the h1), how many
# nodes of that block are read, and how long such a line may be.
_HEADER_LEVELS = 3
_MAX_HEADER_NODES = 400
_MAX_LINE = 60
# A year, or a numeric date with a two-digit year: the cheap test before any parsing.
_YEARISH = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)|\d\.\s?\d{1,2}\.\s?\d\d(?!\d)")
_DIGIT = re.compile(r"\d")
_LABEL_COLON = re.compile(r"(?<!\d):|:(?!\d)")
_WORD = re.compile(r"[^\W\d_]{2,}")
# fmt: on


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


def _holds(node: LexborNode, updated: bool) -> bool:
    """True when the element holds this kind of date. WordPress marks a never-edited post's one
    date "published updated": it is both."""
    if _is_updated(node):
        return updated or bool(words(class_id(node)) & PUBLISHED_WORDS)
    return not updated


def _date_nodes(doc: Doc) -> list[LexborNode]:
    """Every <time> and every element whose class may name a date, in page order: found once
    per page (named.py), which every visible source and both dates filter."""
    if "date-nodes" not in doc.memo:
        doc.memo["date-nodes"] = date_nodes(doc, _MAX_DATE_NODES)
    nodes: list[LexborNode] = doc.memo["date-nodes"]
    return nodes


def _classed(node: LexborNode) -> bool:
    """True for an element the date-class selector picks: a <time> without datetime, or a
    class naming a date."""
    if node.tag == "time" and "datetime" not in node.attributes:
        return True
    value = (node.attributes.get("class") or "").lower()
    return any(w in value for w in DATE_TEXT_CLASSES)


def _header_key(header: Header) -> int | None:
    """What a Header's answers depend on besides the tree: its h1."""
    return header.h1.mem_id if header.h1 is not None else None


def _near(doc: Doc, header: Header, times: bool) -> Iterator[LexborNode]:
    """<time> elements (times) or date-classed elements outside furniture near the headline,
    nearest first, then in page order; ranked once per page for both dates."""
    key = ("near", times, _header_key(header))
    if key not in doc.memo:
        doc.memo[key] = _rank_near(doc, header, times)
    return iter(doc.memo[key])


def _rank_near(doc: Doc, header: Header, times: bool) -> list[LexborNode]:
    ranked: list[tuple[int, int, LexborNode]] = []
    nodes = [n for n in _date_nodes(doc) if (n.tag == "time" if times else _classed(n))]
    for order, node in enumerate(nodes[:MAX_NODES]):
        furniture, distance = header.place(node)
        if furniture or _in_quote(node):
            continue
        if header.h1 is not None and (distance is None or distance > _MAX_DISTANCE):
            continue
        ranked.append((distance or 0, order, node))
    ranked.sort(key=lambda item: (item[0], item[1]))
    return [node for _, _, node in ranked]


def _in_quote(node: LexborNode) -> bool:
    return any(
        a.tag in ("blockquote", "figure", "figcaption") for a in ancestors(node, include_self=True)
    )


def time_near(doc: Doc, updated: bool, header: Header, now: datetime) -> When | None:
    """<time datetime> (or time[pubdate]) in the article's header area."""
    for node in _near(doc, header, times=True):
        if _holds(node, updated) and (when := _time_value(doc, node, now)):
            return when
    return None


def attr_near(doc: Doc, updated: bool, header: Header, now: datetime) -> When | None:
    """A machine date in an attribute of a date element near the headline: hAtom's
    <abbr class="published" title="2019-03-12T10:00:00+01:00">, data-date="2019-03-12". The
    text beside it may be vague ("12.3.", "5 years ago") or missing."""
    for node in _near(doc, header, times=False):
        if node.tag == "time" or not _holds(node, updated):
            continue
        attrs = node.attributes
        for name in DATE_ATTRIBUTES:
            if (value := attrs.get(name)) and (when := parse_value(value, now)):
                return when
    return None


def _time_value(doc: Doc, node: LexborNode, now: datetime) -> When | None:
    """A <time>'s datetime attribute; when it is a date alone, the text may add the time."""
    when = parse_value(attr(node, "datetime"), now)
    if when is not None and not isinstance(when, datetime):
        text = node_text(node, limit=MAX_TEXT_CHARS)
        shown = read_date(doc, text, now)
        if isinstance(shown, datetime) and shown.date() == when:
            return shown
    return when


def read_date(
    doc: Doc, text: str, now: datetime, langs: tuple[str, ...] | None = None
) -> When | None:
    """parse_text in the page's languages and locale, once per text and page: both dates, and
    several sources, read the same date lines (dateparser is the costly part)."""
    langs = languages(doc) if langs is None else langs
    key = ("date-text", text, langs, now)
    if key not in doc.memo:
        doc.memo[key] = parse_text(text, langs, now, month_first(doc))
    found: When | None = doc.memo[key]
    return found


def languages(doc: Doc) -> tuple[str, ...]:
    lang = language(doc)
    return (lang, "en") if lang and lang != "en" else ("en",)


def month_first(doc: Doc) -> bool:
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


def text_near(doc: Doc, updated: bool, header: Header, now: datetime) -> When | None:
    """Dates written as text in elements near the byline or headline."""
    for part in islice(_texts_near(doc, updated, header), _MAX_TEXT_TRIES):
        if when := read_date(doc, part, now):
            return when
    return None


def _texts_near(doc: Doc, updated: bool, header: Header) -> Iterator[str]:
    for node in _near(doc, header, times=False):
        value = class_id(node)
        if node.tag != "time" and not _dated(words(value)):
            continue
        text = node_text(node, limit=MAX_TEXT_CHARS)
        if not text or len(text) > MAX_TEXT_CHARS:
            continue
        if _is_updated(node):  # the whole element is the update time
            part: str | None = text if _holds(node, updated) else None
        else:  # a line may hold both: "Published 3 March, updated 4 March"
            part = segment(text, updated)
        if part:
            yield part


def shown(doc: Doc, updated: bool, header: Header, clue: re.Pattern[str]) -> Iterator[str]:
    """The date texts the header area shows, best first, unparsed: <time> elements' text
    (their datetime attribute aside), date-classed elements, short date lines; none unless a
    date element holds the clue (most pages show no time of day, and ranking costs)."""
    if not any(clue.search(n.text()) for n in _date_nodes(doc)[:MAX_NODES]):
        return
    for node in _near(doc, header, times=True):
        if _holds(node, updated):
            text = node_text(node, limit=MAX_TEXT_CHARS)
            if text and len(text) <= MAX_TEXT_CHARS:
                yield text
    yield from islice(_texts_near(doc, updated, header), _MAX_TEXT_TRIES)
    yield from _header_lines(doc, updated, header)


def story_element(doc: Doc, updated: bool, header: Header, now: datetime) -> When | None:
    """A date element anywhere in the story, however far from the headline (a date line at its
    end, in its own footer), never in another story's card."""
    key = ("story-dates", _header_key(header))
    if key not in doc.memo:  # the same elements for both dates
        doc.memo[key] = _story_dates(doc, header)
    nodes: list[LexborNode] = doc.memo[key]
    for node in nodes:
        if node.tag == "time" and "datetime" in node.attributes:
            if _holds(node, updated) and (when := _time_value(doc, node, now)):
                return when
            continue
        text = node_text(node, limit=MAX_TEXT_CHARS)
        if not text or len(text) > MAX_TEXT_CHARS or _in_quote(node):
            continue
        part = (
            (text if _holds(node, updated) else None)
            if _is_updated(node)
            else segment(text, updated)
        )
        if part and (when := read_date(doc, part, now)):
            return when
    return None


def _story_dates(doc: Doc, header: Header) -> list[LexborNode]:
    """The story's own date elements, nearest the headline first, at most _MAX_TEXT_TRIES."""
    ranked: list[tuple[int, int, LexborNode]] = []
    for order, node in enumerate(_date_nodes(doc)):
        if "datetime" not in node.attributes:
            shown = node.text()  # no date in it: cheap to tell before placing it
            if len(shown) > 2 * MAX_TEXT_CHARS or not _DIGIT.search(shown):
                continue
        found = words(class_id(node))
        if node.tag != "time" and not _dated(found):
            continue
        marked = bool(found & PUBLISHED_WORDS or found & UPDATED_WORDS)
        own, distance = story_place(node, header, marked)
        if own and not in_teaser(node, header):
            ranked.append((distance, order, node))
    ranked.sort(key=lambda item: (item[0], item[1]))
    return [node for _, _, node in ranked[:_MAX_TEXT_TRIES]]


def labelled_line(doc: Doc, updated: bool, header: Header, now: datetime) -> When | None:
    """A labelled date line anywhere in the story: its meta bar, footer or info box."""
    for text, lang in labelled(doc, header, updated):
        langs = languages(doc)
        if lang and lang not in langs:  # the label's language is the date's
            langs = (lang, *langs)
        if when := read_date(doc, text[:MAX_TEXT_CHARS], now, langs):
            return when
    return None


def header_block(header: Header) -> LexborNode | None:
    """The h1's wrapper a few levels up, no wider than the story's <article>: never <main> or
    the page, where other stories' lists sit."""
    block = None
    if header.h1 is None:
        return None
    for level, el in enumerate(ancestors(header.h1)):
        if level >= _HEADER_LEVELS or el.tag in ("main", "body", "html"):
            break
        block = el
        if el.tag == "article" or el.attributes.get("role") == "main":
            break
    return block


def header_line(doc: Doc, updated: bool, header: Header, now: datetime) -> When | None:
    """A short line near the headline that is a date whatever its class or tag ("Friday 22
    November 2024 08:49 GMT", "10.11.2025 17:59"): many CMSs name their classes by hash."""
    for part in _header_lines(doc, updated, header):
        if when := read_date(doc, part, now):
            return when
    return None


def _date_link(link: LexborNode, text: str) -> bool:
    """True for a link whose whole text is this date line: blogs link the post's date to the
    post or the day's archive ("<a href="/2019/03/12/">12. März 2019</a>"). A link with more
    text, or a label ("Archive: 10 November 2025"), is a link to other stories."""
    if node_text(link, limit=_MAX_LINE + 10) != text or _LABEL_COLON.search(text):
        return False
    return len(_WORD.findall(text)) <= 4  # "Tuesday, March 12, 2019 at 9:30 am"


def _header_lines(doc: Doc, updated: bool, header: Header) -> Iterator[str]:
    block = header_block(header)
    if block is None:
        return
    ranked: list[tuple[int, int, str]] = []
    seen: set[int] = set()
    # The headline's own wrapper first: the whole block may open with a long menu column.
    inner = header.h1.parent if header.h1 is not None else None
    walks = [inner, block] if inner is not None and inner.mem_id != block.mem_id else [block]
    nodes = (
        n for walk in walks for n in islice(walk.traverse(include_text=True), _MAX_HEADER_NODES)
    )
    for order, node in enumerate(nodes):
        if not node.is_text_node or node.mem_id in seen:
            continue
        seen.add(node.mem_id)
        text = (node.text_content or "").strip()
        parent = node.parent
        if not 6 <= len(text) <= _MAX_LINE or parent is None or not _YEARISH.search(text):
            continue
        if any(a.tag in ("h1", "script", "style", "figure", "blockquote") for a in ancestors(node)):
            continue
        link = next((a for a in ancestors(node) if a.tag == "a"), None)
        if link is not None:
            if not _date_link(link, text) or link.parent is None:
                continue
            parent = link.parent  # placed as the line the link stands in
        if parent.is_element_node and _is_updated(parent) and not _holds(parent, updated):
            return  # the page marks its one date as the other kind: other lines are not it
        furniture, distance = header.place(parent)
        if furniture or distance is None or in_teaser(parent, header) or in_page_footer(parent):
            continue
        if distance <= _HEADER_LEVELS:
            ranked.append((distance, order, text))
    ranked.sort(key=lambda item: (item[0], item[1]))
    for _, _, text in ranked[:_MAX_TEXT_TRIES]:
        if part := segment(text, updated):
            yield part

"""A date standing alone on its own line in the story: an element whose whole text is a date,
maybe with a weekday and a time ("25.10.2025 - 15:26 Uhr", "Friday, 22 November 2024", "March
3, 2019 at 4:15 pm"), under the headline or at the story's end, whatever its class or tag.

Many CMSs give the meta bar's date no telling class (or a hashed one), and a headline read in
the wrong block (a breadcrumb's h1) puts it beyond header_line's reach. A line that is nothing
but a date is evidence enough inside the story; masthead, footer, other stories' cards, quotes
and comments are never read. One regex over the page's short text lines (the walk datelabels.py
makes anyway) finds the candidates; only those few are placed in the tree and parsed."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from datetime import datetime

from selectolax.lexbor import LexborNode

from scraper.extract.datelabels import in_teaser, own_line, short_texts, story_place
from scraper.extract.datetext import When
from scraper.extract.datevisible import UPDATED_WORDS, read_date
from scraper.extract.document import Doc
from scraper.extract.headline import Header, ancestors, node_text
from scraper.extract.vocab import class_id, words

# fmt: off
# "25.10.2025", "25. 10. 25", "10/25/2025", "2025-10-25": dots day first, the rest as the locale.
_NUMERIC = (
    r"\d{1,2}\.\s?\d{1,2}\.\s?(?:19|20)?\d\d|\d{1,2}[/-]\d{1,2}[/-](?:19|20)\d\d"
    r"|(?:19|20)\d\d[-/.]\d{1,2}[-/.]\d{1,2}"
)
# "22 November 2024", "22. Nov. 2024", "November 22nd, 2024": a word for the month, which
# dateparser then reads in the page's language (or rejects).
_WORDS = (
    r"\d{1,2}(?:st|nd|rd|th|\.)?\s+(?:de\s+)?[^\W\d_]{3,12}\.?,?\s+(?:de\s+)?(?:19|20)\d\d"
    r"|[^\W\d_]{3,12}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d"
)
_WEEKDAY = r"(?:[^\W\d_]{2,12}\.?,?\s+)?"
_TIME = (
    r"(?:\s*(?:[,|·•/–—-]|\s(?:um|at|à|a las|alle|às|om|kl\.?|klo|в|o|godz\.?|saat))\s*|\s+)"
    r"\d{1,2}(?:[:.h]\d\d)(?::\d\d)?\s*(?:[ap]\.?\s?m\.?|uhr|h|[A-Z]{2,4})?"
)
# One line (a text node of the joined page text) that is a date and nothing else.
LONE_DATE = re.compile(
    rf"^{_WEEKDAY}(?:{_NUMERIC}|{_WORDS})(?:{_TIME})?\s*$", re.MULTILINE | re.IGNORECASE
)
# Class words of elements whose lone date is the update time, or someone else's.
_NOT_PUBLISHED = UPDATED_WORDS | {"comment", "comments", "reply", "event", "events"}
_MAX_LINES = 40  # lone date lines placed in the tree per page (a calendar page has hundreds)
MAX_TRIES = 4  # of those in the story, parsed nearest the headline first
_MAX_LINE = 60
# fmt: on


def lone_dates(doc: Doc, header: Header) -> Iterator[str]:
    """The story's lone date lines, nearest the headline first, at most MAX_TRIES."""
    key = ("lone-dates", header.h1.mem_id if header.h1 is not None else None)
    if key not in doc.memo:
        doc.memo[key] = _rank(doc, header)
    lines: list[str] = doc.memo[key]
    yield from lines


def _rank(doc: Doc, header: Header) -> list[str]:
    found = short_texts(doc)
    if found is None:
        return []
    joined, starts, nodes = found
    ranked: list[tuple[int, int, str]] = []
    for order, m in enumerate(LONE_DATE.finditer(joined)):
        if order >= _MAX_LINES:
            break
        text = " ".join(m.group().split())
        if len(text) > _MAX_LINE:
            continue
        node = nodes[bisect_right(starts, m.start()) - 1]
        line = _line(node, text)
        if line is None or _not_published(line):
            continue
        own, distance = story_place(line, header)
        if own and _beside_headline(line, header) and not in_teaser(line, header):
            ranked.append((distance, order, text))
    ranked.sort(key=lambda item: (item[0], item[1]))
    return [text for _, _, text in ranked[:MAX_TRIES]]


def _line(node: LexborNode, text: str) -> LexborNode | None:
    """The element that shows the date as a line of its own: the text node's parent (or an
    inline wrapper's parent) whose whole text is the date, or the parent of a text node set
    apart by <br> or blocks; None for a date inside a longer line."""
    el = node.parent
    if el is None or el.tag in ("h1", "a", "option", "title", "script"):
        return None
    if node.prev is not None or node.next is not None:  # beside other text: a line of its own?
        return el if own_line(node) else None
    for _ in range(3):
        if el is None or el.tag in ("body", "html"):
            return None
        if " ".join(node_text(el, limit=_MAX_LINE + 20).split()) != text:
            return None
        if el.tag not in ("span", "time", "strong", "b", "em", "i", "small", "font"):
            return el
        parent = el.parent
        if parent is None or " ".join(node_text(parent, limit=_MAX_LINE + 20).split()) != text:
            return el
        el = parent
    return el


def _beside_headline(line: LexborNode, header: Header) -> bool:
    """True when the line shares a wrapper with the headline below the page itself: a lone
    date in the masthead's top bar (today's date) shares only <body> with it."""
    for el in ancestors(line, include_self=True):
        if el.mem_id in header.levels:
            return el.tag not in ("body", "html")
    return False


def _not_published(line: LexborNode) -> bool:
    """True in an element its class marks as the update time, a comment or an event."""
    for level, el in enumerate(ancestors(line, include_self=True)):
        if level >= 3:
            return False
        if words(class_id(el)) & _NOT_PUBLISHED:
            return True
    return False


def lone_line(doc: Doc, header: Header, now: datetime) -> When | None:
    """The first of the story's lone date lines that reads as a plausible date."""
    for text in lone_dates(doc, header):
        if when := read_date(doc, text, now):
            return when
    return None

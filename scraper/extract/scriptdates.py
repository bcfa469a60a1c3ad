"""The publication date a page's own scripts hold, when it has no date in its metadata or text.

Pages built by JavaScript apps carry the article's record as app state in a script
(`window.__INITIAL_STATE__ = {...}`, Next.js data, a data layer for analytics), with a
publication date under a key named for it ("firstPublicationDate", "publishTime",
"article_published_time"). That is the publisher's own machine-written date, and on a page
whose JSON-LD and meta tags are missing and which shows only "3 hours ago" it is the only one
left. The key must name the publication itself: a video's, an image's or the last
publication's date, a request's timestamp or today's date are other things."""

from __future__ import annotations

import re
from datetime import datetime

from scraper.extract.datetext import When, parse_value
from scraper.extract.document import Doc

# A key with its value, quoted or not, in JSON or in JSON escaped inside a string (\"key\").
_PAIR = re.compile(
    r"""(?<![\w$])\\?["']?([A-Za-z_$][\w$.:-]{2,48}?)\\?["']?\s*:\s*\\?["']"""
    r"""(\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:\.\d{1,9})?)?(?:Z|[+-]\d\d:?\d\d)?)?)\\?["']"""
)
# Worth scanning only when it names a publication at all.
_HINT = re.compile(r"publi|pubdate", re.IGNORECASE)
_SEPARATORS = re.compile(r"[^a-z]")
# Words around the name that do not change what it dates ("article_published_time_utc").
_PREFIXES = ("article", "first", "original", "og")
_SUFFIXES = ("utc", "gmt", "iso", "string", "str")
# fmt: off
_NAMES: frozenset[str] = frozenset({
    "datepublished", "publishdate", "publisheddate", "publishedat", "publishtime",
    "publishedtime", "publicationdate", "publicationtime", "publicationdatetime",
    "publisheddatetime", "publishdatetime", "pubdate", "publishedon", "publish", "published",
})
# fmt: on
# Script text read per page, at most: app state can run to megabytes.
MAX_SCRIPT_CHARS = 2_000_000


def names_publication(key: str) -> bool:
    """True for a key naming the story's publication date, in any case and spelling."""
    name = _SEPARATORS.sub("", key.lower())
    prefix = next((p for p in _PREFIXES if name.startswith(p)), "")
    suffix = next((x for x in _SUFFIXES if name.endswith(x)), "")
    core = name[len(prefix) : len(name) - len(suffix)]
    return name in _NAMES or core in _NAMES


def script_date(doc: Doc, now: datetime) -> When | None:
    """The first plausible date under a publication key in the page's inline scripts (the
    JSON-LD blocks aside: they were read as such), in page order."""
    budget = MAX_SCRIPT_CHARS
    for script in doc.tree.css("script:not([src])"):
        if budget <= 0:
            break
        kind = (script.attributes.get("type") or "").lower()
        if "ld+json" in kind:
            continue
        text = script.text()[:budget]
        budget -= len(text)
        if not _HINT.search(text):
            continue
        for m in _PAIR.finditer(text):
            if names_publication(m.group(1)) and (when := parse_value(m.group(2), now)):
                return when
    return None

"""URL templates and their budgets: a site's URL families earn requests by yielding articles.

A crawler trap is a family of URLs that never ends (a calendar's next day, a filter's next
combination, page N+1), and a dead archive is a family that answers 404 or non-articles. Both
look the same from here: many URLs with one template and nothing new behind them. So every
new page is charged to its template (host, path with digits, dates, slugs and ids abstracted;
"?" for any query, whatever its names and values, since filters, views and sort orders
multiply names as well as values), and a template may only spend what it has earned (an
article of its own, or a new article found through one of its pages, so sections and tag pages
that lead to stories keep their budget while an archive of dead links does not):

    requests < base + GROWTH * articles     (base: PATH_BASE, or QUERY_BASE for "?" spaces)

and none after STOP_STREAK misses in a row. The counts live in the url_patterns table, so an
incremental run or a resume does not pay for the same trap again; a template that has yielded
articles gets a fresh streak each run (new stories arrive under old templates), a barren one
stays closed. Only first fetches of non-seed pages count: revisits and seeds are never charged.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from posixpath import splitext
from urllib.parse import unquote, urlsplit

PATH_BASE = 6  # requests a path template gets before it has yielded anything
QUERY_BASE = 3  # the same for a query space (calendars, filters, views, sort orders)
GROWTH = 3  # requests earned by each new article
STOP_STREAK = 6  # misses in a row that close a template (for this run, if it ever yielded)
YIELDS = frozenset({"new", "updated"})  # a new story: duplicates and aliases earn nothing
NEUTRAL = frozenset({"transient", "robots", "interrupted"})  # the template is not to blame

_DATE = re.compile(r"(?:19|20)\d\d-?[01]\d-?[0-3]\d")
_WORD_SPLIT = re.compile(r"[-_+.,~]+")
_DIGIT = re.compile(r"\d")
_PAGE_EXTENSIONS = frozenset({".html", ".htm", ".shtml", ".php", ".asp", ".aspx", ".jsp"})


def _segment(segment: str) -> str:
    """One path segment as a template part: numbers, dates, slugs and ids abstracted."""
    stem, ext = splitext(unquote(segment).lower())
    if ext not in _PAGE_EXTENSIONS:
        stem, ext = stem + ext, ""
    if stem.isdecimal():
        shape = "{n}"
    elif _DATE.fullmatch(stem):
        shape = "{date}"
    elif len(words := [w for w in _WORD_SPLIT.split(stem) if w]) >= 3:
        shape = "{slug}"
    elif _DIGIT.search(stem):  # story-12345, a1b2c3, politics-17: an id, whatever its word
        shape = "{id}"
    elif (len(words) == 2 and len(stem) >= 12) or len(stem) > 24:
        shape = "{slug}"
    else:
        shape = stem  # a section or a fixed word: a family of its own
    return shape + ext


def url_template(url: str, host: str) -> str:
    """The family a URL belongs to: host, abstracted path, and "?" when it has a query."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return host + "/"
    path = "/".join(_segment(s) for s in parts.path.split("/") if s)
    return f"{host}/{path}{'?' if parts.query else ''}"


@dataclass
class Budget:
    """What one template has spent and earned, over every run."""

    template: str
    requests: int = 0
    articles: int = 0
    misses: int = 0
    streak: int = 0  # misses since the last article

    @property
    def base(self) -> int:
        """Requests allowed before any article: small for query spaces."""
        return QUERY_BASE if self.template.endswith("?") else PATH_BASE

    def open(self) -> bool:
        """True while the template may spend another request."""
        if self.streak >= STOP_STREAK:
            return False
        return self.requests < self.base + GROWTH * self.articles

    def charge(self, verdict: str) -> None:
        """Count one request: 'article', 'miss' or a neutral verdict (retry later)."""
        self.requests += 1
        if verdict == "article":
            self.articles += 1
            self.streak = 0
        elif verdict == "miss":
            self.misses += 1
            self.streak += 1

    def credit(self) -> None:
        """A page of this template led to a new article: a listing earns like an article."""
        self.articles += 1
        self.streak = 0


def verdict(outcome: str, transient: bool = False) -> str:
    """How a page's outcome counts for its template: article, miss or neutral."""
    if outcome in YIELDS:
        return "article"
    if outcome in NEUTRAL or (outcome == "error" and transient):
        return "neutral"
    return "miss"  # 404 and other lasting errors, listings, copies, non-HTML


class Budgets:
    """The url_patterns table with a cache in front (main thread only, like the frontier)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._cache: dict[str, Budget] = {}

    def get(self, template: str) -> Budget:
        """The template's budget (a fresh one when never charged)."""
        if (budget := self._cache.get(template)) is None:
            found = self.conn.execute(
                "SELECT requests, articles, misses, streak FROM url_patterns WHERE pattern = ?",
                (template,),
            ).fetchone()
            budget = Budget(template, *found) if found else Budget(template)
            self._cache[template] = budget
        return budget

    def charge(self, template: str, verdict: str) -> Budget:
        """Count a request against the template and save it (in the caller's transaction)."""
        budget = self.get(template)
        budget.charge(verdict)
        return self._save(budget)

    def credit(self, template: str) -> Budget:
        """Credit the template whose page linked to a new article, and save it."""
        budget = self.get(template)
        budget.credit()
        return self._save(budget)

    def _save(self, budget: Budget) -> Budget:
        """Write one budget through to url_patterns."""
        self.conn.execute(
            "INSERT INTO url_patterns (pattern, requests, articles, misses, streak)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (pattern) DO UPDATE SET"
            " requests = excluded.requests, articles = excluded.articles,"
            " misses = excluded.misses, streak = excluded.streak",
            (budget.template, budget.requests, budget.articles, budget.misses, budget.streak),
        )
        return budget

    def new_run(self) -> None:
        """Templates that yielded articles get a fresh streak; barren ones stay closed."""
        self.conn.execute("UPDATE url_patterns SET streak = 0 WHERE articles > 0")
        self._cache.clear()

"""Which queued URL of a host goes next, so a request budget is spent on articles.

Strategy "articles" (the crawler's):
- Article-like URLs first, then the newest (news-sitemap date, lastmod, feed date, date in the
  URL; a link found on a page without a date counts as new as the day it was found), then the
  most article-like. Revisits come after new pages, seeds before them.
- Every new page is charged to its URL template (patterns.py); a template that has spent its
  budget is skipped, with all its queued URLs, until a later run judges them again.
- Fetch while reading: sitemaps and feeds alternate with pages, one each per politeness slot,
  so the first article of a site with a huge sitemap index arrives after a few requests, not
  after all of them. While a host's sitemaps are still being read, sitemap entries older than
  FRESH wait: the newest entry may be in the last file, and must win over the old ones that
  came first. Child sitemaps with the newest lastmod are read first.
- At most MAX_SITEMAPS sitemap files per host and run (the rest wait for the next run) and
  MAX_LISTED sitemap entries (the rest are dropped: child sitemaps with the newest lastmod
  are read first, so what a hostile or gigantic index loses is its oldest part).

Strategy "bfs": plain breadth-first (discovery first, then by depth and discovery order), no
budgets. Only bench/crawl.py uses it, as the baseline the articles strategy is measured against.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from scraper.crawl.patterns import Budgets, url_template

# Queue tiers: discovery (sitemaps, feeds), seeds, new pages, revisits of known ones.
TIER_DISCOVERY, TIER_SEED, TIER_NEW, TIER_REVISIT = 0, 1, 2, 3
STRATEGIES = ("articles", "bfs")
FRESH = timedelta(days=7)  # sitemap entries this recent may go before their index is read
MAX_SITEMAPS = 2_000  # sitemap files one host may have read per run
MAX_LISTED = 250_000  # sitemap entries of one host read per run; the rest are dropped
CANDIDATES = 16  # rows read per query: most are taken, a few skipped for their template
MAX_VIA = 200_000  # links (and templates) remembered; forgotten all at once when full
PAGE_ORDER = "tier, score > 0 DESC, coalesce(published, discovered_at) DESC, score DESC"
DISCOVERY_ORDER = "tier, coalesce(lastmod, '') DESC, id"
BFS_ORDER = "tier, depth, id"
# New pages of a host: the only rows a template budget applies to (seeds never; revisits of
# known pages never: their template has paid for them already).
_CHARGEABLE = "kind = 'page' AND page_type IS NULL AND source != 'seed'"


class Picker:
    """Picks a host's next row; remembers what each host did last (for the alternation)."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        columns: str,
        clock: Callable[[], datetime],
        strategy: str = "articles",
    ) -> None:
        if strategy not in STRATEGIES:
            raise ValueError(f"unknown frontier strategy {strategy!r}")
        self.conn, self.columns, self.clock, self.strategy = conn, columns, clock, strategy
        self.budgets = Budgets(conn)
        self._last: dict[str, str] = {}  # host -> kind of the row it was last given
        self._sitemaps: Counter[str] = Counter()  # host -> sitemap files claimed this run
        self._via: dict[str, str] = {}  # frontier key -> template of the page that found it
        self._listed: Counter[str] = Counter()  # host -> sitemap entries queued this run
        self.max_sitemaps, self.max_listed = MAX_SITEMAPS, MAX_LISTED
        self._templates: dict[str, str] = {}  # fetch_url -> its template, for the scans
        conn.create_function("url_template", 2, self.template, deterministic=True)

    def template(self, url: str, host: str) -> str:
        """url_template, remembered: closing a template scans the host's queue with it."""
        if (found := self._templates.get(url)) is None:
            if len(self._templates) >= MAX_VIA:
                self._templates.clear()
            found = self._templates[url] = url_template(url, host)
        return found

    def new_run(self) -> None:
        """A new run: fresh streaks for templates that yielded, fresh sitemap counts."""
        self.budgets.new_run()
        self._sitemaps.clear()
        self._listed.clear()
        self._last.clear()

    def claimed(self, host: str, kind: str) -> None:
        """A row of host is being fetched."""
        self._last[host] = kind
        self._sitemaps[host] += kind == "sitemap"

    def admit(self, entry: Any) -> bool:
        """Note which template's page first linked to a new entry (this run only); False
        for a sitemap entry past the host's cap."""
        if entry.via and not entry.skip:
            if len(self._via) >= MAX_VIA:
                self._via.clear()
            self._via.setdefault(entry.key, entry.via)
        if entry.kind == "page" and entry.source in ("sitemap", "news-sitemap"):
            self._listed[entry.host] += 1
            return self._listed[entry.host] <= self.max_listed
        return True

    def charge(self, row: Any, verdict: str) -> None:
        """Count a finished first fetch of a new page against its template; a new article
        also credits the template of the page that led to it."""
        if self.strategy != "articles" or row.kind != "page" or row.page_type is not None:
            return
        if row.source != "seed":
            self.budgets.charge(self.template(row.fetch_url, row.host), verdict)
        via = self._via.pop(row.url, None)
        if verdict == "article" and via is not None:
            self.budgets.credit(via)

    def next_for(self, host: str) -> tuple[Any, ...] | None:
        """The column values of host's next row, or None when it has nothing queued."""
        if self.strategy == "bfs":
            found = self._rows(host, "1", BFS_ORDER, 1)
            return found[0] if found else None
        discovery = self._discovery(host)
        if discovery is None:  # the index is read whole: every entry competes now
            return self._page(host, pending=False)
        if self._last.get(host) in ("sitemap", "feed"):
            page = self._page(host, pending=True)
            if page is not None:
                return page  # a page between two sitemaps
        return discovery

    # -- the queries ------------------------------------------------------------------------

    def _rows(self, host: str, where: str, order: str, limit: int, *args: Any) -> list[Any]:
        """Queued rows of host matching where, in order."""
        return self.conn.execute(
            f"SELECT {self.columns} FROM frontier WHERE host = ? AND state = 'queued'"
            f" AND {where} ORDER BY {order} LIMIT {limit}",
            (host, *args),
        ).fetchall()

    def _discovery(self, host: str) -> tuple[Any, ...] | None:
        """The host's next sitemap or feed, newest lastmod first, within the per-run cap."""
        if self._sitemaps[host] >= self.max_sitemaps:
            self.conn.execute(
                "UPDATE frontier SET state = 'skipped', outcome = 'sitemap-cap'"
                " WHERE host = ? AND state = 'queued' AND kind = 'sitemap'",
                (host,),
            )
        found = self._rows(host, f"tier = {TIER_DISCOVERY} AND kind != 'page'", DISCOVERY_ORDER, 1)
        return found[0] if found else None

    def _page(self, host: str, *, pending: bool) -> tuple[Any, ...] | None:
        """The host's best page whose template may still spend; closed templates skipped."""
        where, args = "kind = 'page'", []
        if pending:  # old sitemap entries wait until the whole index is known
            where += (
                " AND NOT (source IN ('sitemap', 'news-sitemap') AND coalesce(published, '') < ?)"
            )
            args.append((self.clock() - FRESH).date().isoformat())
        while rows := self._rows(host, where, PAGE_ORDER, CANDIDATES, *args):
            closed = set()
            for values in rows:
                row = dict(zip(self.columns.split(", "), values, strict=True))
                if row["page_type"] is not None or row["source"] == "seed":
                    return tuple(values)
                template = self.template(row["fetch_url"], host)
                if self.budgets.get(template).open():
                    return tuple(values)
                if template not in closed:
                    closed.add(template)
                    self._close(host, template)
            # every candidate was of a closed template: they are skipped now, read on
        return None

    def _close(self, host: str, template: str) -> None:
        """Skip every queued new page of a template that has spent its budget."""
        self.conn.execute(
            "UPDATE frontier SET state = 'skipped', outcome = 'pattern'"
            f" WHERE host = ? AND state = 'queued' AND {_CHARGEABLE}"
            " AND url_template(fetch_url, host) = ?",
            (host, template),
        )

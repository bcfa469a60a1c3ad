"""The workers' side of a crawl: fetch one task, read it, and say what enters the frontier.

Everything CPU-bound happens here, in worker threads, so the main thread (the only one
touching SQLite) is never busy with it: extraction, link discovery, scope checks,
article-likeness scores and URL normalisation for the frontier's entries.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
import signal
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from datetime import date

from scraper.article import Article
from scraper.crawl.discover import Link, PageLinks, discover_page, parse_feed, parse_sitemap
from scraper.crawl.frontier import Entry, Row, url_key
from scraper.crawl.patterns import url_template
from scraper.crawl.priority import TIER_DISCOVERY
from scraper.crawl.scope import Scope, article_score, url_date
from scraper.errors import FetchError, RobotsDisallowed, ScraperError
from scraper.fetch import Fetcher, FetchResult, Robots
from scraper.pipeline import extract_page
from scraper.store import Prepared, trust_canonical

log = logging.getLogger("scraper.crawl")
# Links handed to the frontier this run, remembered so the nav bar and related links that
# every page repeats are not scoped, normalised and upserted again; cleared when full.
SEEN_LINKS = 50_000
ACCEPT_XML = "application/xml,text/xml;q=0.9,application/rss+xml,application/atom+xml,*/*;q=0.5"


@dataclass(frozen=True)
class Task:
    """One unit of work for a worker: a frontier row, or the robots.txt of a host."""

    kind: str  # robots | page | sitemap | feed
    url: str
    host: str
    row: Row | None = None
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class Result:
    """What a worker brings back; everything the main thread needs to save it."""

    task: Task
    outcome: str  # fetched | not_modified | error | robots | interrupted | ok
    fetch: FetchResult | None = None
    article: Article | None = None
    entries: tuple[Entry, ...] = ()
    aliases: tuple[str, ...] = ()
    robots: Robots | None = None
    error: ScraperError | None = None
    requested: bool = True
    waited: float = 0.0  # seconds the fetch slept between retries
    prepared: Prepared | None = None  # the article's rows, computed in the worker


class _Stopped(Exception):
    """Raised in a worker's retry sleep when the crawl is stopping."""


class _Waits(threading.local):
    """Seconds this worker thread slept between retries during its current task."""

    total = 0.0


@dataclass(frozen=True)
class Plan:
    """What workers need to turn a page's links into frontier entries (read-only)."""

    scope: Scope
    since: date | None = None  # sitemap and feed entries dated before this are left out
    max_depth: int | None = None  # links deeper than this are stored as skipped

    def link_entries(
        self, links: Sequence[Link], row: Row, *, feeds: Sequence[str] = ()
    ) -> tuple[Entry, ...]:
        """Entries for the in-scope links of a page (depth + 1) and the feeds it advertises."""
        depth, limit = row.depth + 1, self.max_depth
        via = url_template(row.fetch_url, row.host)  # credited when a link proves an article
        skip = "depth" if limit is not None and row.kind == "page" and depth > limit else None
        out = []
        for link in links:
            if link.nofollow or not self.scope.allows(link.url):
                continue
            if row.kind != "page":
                if self.since and link.before(self.since):
                    continue
                score = article_score(link.url) + 1.0  # listed in a sitemap or feed
                published = link.published or link.lastmod or _url_day(link.url)
                out.append(Entry.of(link.url, source=link.source, depth=1, score=score,
                                    published=published, lastmod=link.lastmod))  # fmt: skip
            else:
                out.append(Entry.of(link.url, depth=depth, score=article_score(link.url),
                                    published=_url_day(link.url), skip=skip, via=via))  # fmt: skip
        for feed in feeds:
            if self.scope.allows(feed, page=False):
                out.append(Entry.of(feed, kind="feed", source="page", tier=TIER_DISCOVERY))
        return tuple(out)

    def sitemap_entries(
        self, refs: Sequence[tuple[str, str | None, int]], source: str
    ) -> tuple[Entry, ...]:
        """Entries for sitemaps (url, lastmod, nesting depth) in scope and not too old."""
        since = self.since.isoformat() if self.since else None
        out = []
        for url, lastmod, depth in refs:
            if self.scope.allows(url, page=False) and not (since and lastmod and lastmod < since):
                hints = {"source": source, "depth": depth, "lastmod": lastmod}
                out.append(Entry.of(url, kind="sitemap", tier=TIER_DISCOVERY, **hints))
        return tuple(out)


def _url_day(url: str) -> str | None:
    """The date in a URL's path as a sort hint."""
    day = url_date(url)
    return day.isoformat() if day else None


def read_page(got: FetchResult) -> tuple[Article, PageLinks, Prepared | None]:
    """The record, the links and the database rows of a fetched page: the CPU-heavy part,
    pure and picklable, so it runs in workers and the single writer only writes."""
    article = extract_page(got)
    prepared = (
        Prepared.of(article, got.url, got.final_url) if article.page_type == "article" else None
    )
    return article, discover_page(got.content, got.final_url), prepared


def _reader_child(parent: int) -> None:
    """In a pool process: leave Ctrl-C to the crawler, and exit when the crawler is gone
    (a pool worker never notices a killed parent by itself: it holds its queue's pipe)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="orphan-watch", daemon=True).start()


def reader_pool(processes: int) -> Executor | None:
    """Processes that read pages on other cores than the crawler's GIL (None for 0)."""
    if processes <= 0:
        return None
    context = multiprocessing.get_context("spawn")  # never fork a threaded process
    return ProcessPoolExecutor(
        processes, mp_context=context, initializer=_reader_child, initargs=(os.getpid(),)
    )


class Workers:
    """Worker threads (daemons: a stuck request never keeps the process alive) and queues."""

    def __init__(
        self,
        fetcher: Fetcher,
        plan: Plan,
        count: int,
        stop: threading.Event,
        pool: Executor | None = None,
    ) -> None:
        self.fetcher, self.plan, self.stop, self.pool = fetcher, plan, stop, pool
        self.tasks: queue.SimpleQueue[Task | None] = queue.SimpleQueue()
        self.results: queue.SimpleQueue[Result] = queue.SimpleQueue()
        self._waits = _Waits()
        self._seen: dict[str, int] = {}  # link URL -> the least depth it was handed over at
        self._threads = [
            threading.Thread(target=self._loop, name=f"crawl-{i}", daemon=True)
            for i in range(count)
        ]
        for thread in self._threads:
            thread.start()

    def sleep(self, seconds: float) -> None:
        """The Fetcher's retry sleep: counted, and cut short when the crawl stops."""
        self._waits.total += seconds
        if self.stop.wait(seconds):
            raise _Stopped

    def pause(self, seconds: float) -> None:
        """A wait for a host's turn (fetch.Gate): cut short when the crawl stops, and not
        counted as trouble as the retry sleeps are."""
        if self.stop.wait(seconds):
            raise _Stopped

    def close(self, timeout: float) -> None:
        """Let idle workers exit; busy ones are daemons and are left behind after timeout."""
        for _ in self._threads:
            self.tasks.put(None)
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))

    def _loop(self) -> None:
        while (task := self.tasks.get()) is not None:
            self._waits.total = 0.0
            try:
                result = self._run(task)
            except _Stopped:
                result = Result(task, "interrupted")
            except RobotsDisallowed as exc:  # a redirect led somewhere robots.txt forbids
                result = Result(task, "robots", error=exc)
            except FetchError as exc:
                result = Result(task, "skipped" if exc.skipped else "error", error=exc)
            except ScraperError as exc:
                result = Result(task, "error", error=exc)
            except Exception as exc:  # a bug must cost one page, not the crawl
                log.exception("internal error on %s", task.url)
                result = Result(
                    task, "error", error=FetchError(f"internal error: {exc!r}", url=task.url)
                )
            self.results.put(replace(result, waited=self._waits.total))

    def _run(self, task: Task) -> Result:
        """Fetch and read one task."""
        fetcher, plan = self.fetcher, self.plan
        if task.kind == "robots":
            return Result(task, "ok", robots=fetcher.robots(task.url))
        assert task.row is not None
        if task.kind == "page":
            if fetcher.config.respect_robots and not fetcher.robots(task.url).allowed(task.url):
                return Result(task, "robots", requested=False)
            got = fetcher.fetch(task.url, etag=task.etag, last_modified=task.last_modified)
            if got.not_modified:
                return Result(task, "not_modified", fetch=got)
            article, found, prepared = self._read(got)
            listing = article.page_type != "article" or task.row.source == "seed"
            links = self._unseen(found.links, task.row.depth + 1)
            entries = plan.link_entries(links, task.row, feeds=found.feeds if listing else ())
            aliases = self._aliases(task, got, article)
            return Result(task, "fetched", got, article, entries, aliases, prepared=prepared)
        got = fetcher.fetch_resource(
            task.url, accept=ACCEPT_XML, etag=task.etag, last_modified=task.last_modified
        )
        if got.not_modified:
            return Result(task, "not_modified", fetch=got)
        if task.kind == "feed":
            entries = plan.link_entries(parse_feed(got.content, got.final_url), task.row)
        else:
            sitemap = parse_sitemap(got.content, got.final_url, depth=task.row.depth)
            children = [(s.url, s.lastmod, s.depth) for s in sitemap.sitemaps]
            entries = plan.link_entries(sitemap.links, task.row)
            entries += plan.sitemap_entries(children, "sitemap")
        return Result(task, "ok", got, entries=entries)

    def _read(self, got: FetchResult) -> tuple[Article, PageLinks, Prepared | None]:
        """Read a page in the reader processes, or in this thread when there are none or they
        died (out of memory, a crash): the crawl goes on in threads rather than failing."""
        pool = self.pool
        if pool is not None:
            try:
                return pool.submit(read_page, got).result()
            except BrokenProcessPool:
                if self.pool is pool:
                    log.warning("page-reading processes died; reading pages in threads")
                    self.pool = None
        return read_page(got)

    def _unseen(self, links: Sequence[Link], depth: int) -> list[Link]:
        """The links not handed over yet at this depth or less (a race lets a few repeat)."""
        seen = self._seen
        if len(seen) > SEEN_LINKS:
            seen.clear()
        fresh = []
        for link in links:
            if seen.get(link.url, depth + 1) > depth:
                seen[link.url] = depth
                fresh.append(link)
        return fresh

    def _aliases(self, task: Task, got: FetchResult, article: Article) -> tuple[str, ...]:
        """Other URLs this page answers for: its redirect target and trusted canonical URL."""
        found = [got.final_url] if got.final_url != task.url else []
        canonical = article.canonical_url
        # Only an article-like canonical URL: a page must never stand in for a listing.
        if (
            article.page_type == "article"
            and canonical
            and article_score(canonical) > 0
            and trust_canonical(canonical, got.final_url)
        ):
            found.append(canonical)
        own = task.row.url if task.row else None
        return tuple(u for u in found if url_key(u) != own and self.plan.scope.allows(u))

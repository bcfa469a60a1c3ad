"""The crawler: worker threads fetch and read pages, the main thread schedules and saves.

Threads rather than asyncio because Fetcher is a synchronous, thread-safe httpx client.
N workers fetch, extract and turn links into frontier entries (all CPU work off the main
thread); the main thread alone touches SQLite (frontier and store), picking the next URL
for each host and saving what comes back. Politeness is per host:port: every request
(redirect hops, retries and robots.txt included) waits its turn at the fetch layer's Gate,
at least max(--delay, Crawl-delay) apart; a Slot (as scrapy's downloader has) keeps one task
at a time per host and schedules it when the Gate will be open, later after retries
(429/503 with Retry-After, 5xx, resets). SIGINT and SIGTERM stop a crawl within a few
seconds: in-flight pages get a short grace, the rest go back to the queue.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import os
import queue
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date, datetime

from scraper.crawl.frontier import Entry, Frontier, Row
from scraper.crawl.progress import CrawlSummary, Progress, degraded, summary_line
from scraper.crawl.scope import Scope
from scraper.crawl.tasks import Plan, Result, Task, Workers, reader_pool
from scraper.errors import FetchError, HTTPStatus, ScraperError, Unreachable
from scraper.fetch import RETRY_STATUSES, FetchConfig, Fetcher, Gate, utc_now
from scraper.store import Store
from scraper.urls import absolute_url, host_port

log = logging.getLogger(__name__)
MAX_PENALTY = 120.0  # seconds added to a host's delay at most, after repeated trouble


def default_processes() -> int:
    """Page-reading processes the command line starts: one less than the cores, at most 4, so
    extraction runs beside the fetching and the single writer instead of sharing one core."""
    return max(0, min(4, (os.cpu_count() or 1) - 1))


@dataclass(frozen=True)
class CrawlOptions:
    """What a crawl may do; the defaults suit a polite crawl of a few news sites."""

    concurrency: int = 8
    delay: float = 1.0  # minimum seconds between two requests to one host
    max_pages: int | None = None  # pages fetched by this run (sitemaps and feeds not counted)
    max_depth: int | None = None  # link hops from a seed
    since: date | None = None  # sitemap and feed entries dated before this are skipped
    allow: tuple[str, ...] = ()  # URL regexes brought into scope
    deny: tuple[str, ...] = ()  # URL regexes kept out of it
    grace: float = 3.0  # seconds in-flight pages may take to finish after a stop signal
    processes: int = 0  # processes reading pages beside the crawler's own (0: in its threads)
    frontier: str = "articles"  # queue order; "bfs" (plain breadth-first) is bench's baseline


@dataclass
class Slot:
    """Scheduling state of one host:port (the delay itself is the Gate's)."""

    next_at: float = 0.0  # monotonic time of the next task
    penalty: float = 0.0  # extra delay after trouble, halved by each clean answer
    busy: bool = False
    ready: bool = False  # robots.txt has been read
    blocked: bool = False  # robots.txt unreachable: nothing more from this host this run

    def release(self, ready_at: float, *, requested: bool, waited: float) -> None:
        """The host answered: its next task goes when the Gate opens (ready_at), later
        after trouble."""
        if waited:  # retried after 429/503 (waited >= Retry-After), 5xx or a reset
            self.penalty = min(max(self.penalty * 2, waited), MAX_PENALTY)
        else:
            self.penalty = self.penalty / 2 if self.penalty > 0.1 else 0.0
        self.busy = False
        self.next_at = ready_at + (self.penalty if requested else 0.0)


class Crawler:
    """One run: the scheduler loop over a frontier, a store and a pool of workers."""

    def __init__(
        self,
        seeds: Sequence[str],
        store: Store,
        fetcher_config: FetchConfig,
        options: CrawlOptions,
        *,
        stop: threading.Event | None = None,
        progress: Progress | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.seeds, self.store, self.options = list(seeds), store, options
        self.stop = stop or threading.Event()
        self.progress = progress or Progress()
        kwargs = {"clock": clock} if clock else {}
        self.frontier = Frontier(store.conn, strategy=options.frontier, **kwargs)
        today = self.frontier.clock().date()
        scope = Scope.from_seeds(self.seeds, today=today, allow=options.allow, deny=options.deny)
        self.plan = Plan(scope, options.since, options.max_depth)
        self.seed_hosts = frozenset(host_port(s) for s in self.seeds)
        self.fetcher_config = fetcher_config
        self.counts: Counter[str] = Counter()
        self.slots: dict[str, Slot] = {}
        self._heap: list[tuple[float, int, str]] = []
        self._in_heap: set[str] = set()
        self._seq = itertools.count()
        self.in_flight: dict[str, Task] = {}  # host -> its one task
        self.gate = Gate(options.delay)  # its sleep is set in run(), once workers exist
        self.pages_started = 0
        self.signal: int | None = None
        self.quit_now = False  # a second signal: no grace for pages in flight

    # -- the loop ---------------------------------------------------------------------------

    def run(self) -> CrawlSummary:
        """Crawl until nothing is due, --max-pages is reached, or a stop signal comes."""
        started = time.monotonic()
        options = {k: v for k, v in vars(self.options).items() if k != "grace"}
        run_id = self.frontier.start_run(self.seeds, options, self.options.max_depth)
        self.gate = Gate(self.options.delay, sleep=lambda s: workers.pause(s))
        fetcher = Fetcher(self.fetcher_config, sleep=lambda s: workers.sleep(s), gate=self.gate)
        pool = reader_pool(self.options.processes)
        workers = Workers(fetcher, self.plan, self.options.concurrency, self.stop, pool)
        status = "failed"
        try:
            for host, site, url in self.frontier.hosts_with_work():
                if site in self.plan.scope.sites or self.plan.scope.allows(url):
                    self._wake(host)
            self._loop(workers, started)
            status = "interrupted" if self.stop.is_set() else "finished"
        except KeyboardInterrupt:
            status = "interrupted"
            raise
        finally:
            self._drain(workers)
            workers.close(0.0 if self.quit_now else 0.5)
            if pool is not None:
                pool.shutdown(wait=not self.stop.is_set(), cancel_futures=True)
            fetcher.close()
            exit_code = self._exit_code(status)
            with suppress(Exception):  # a full disk must not hide the error that stopped us
                self.frontier.release_all()
                self.frontier.end_run(dict(self.counts), status, exit_code)
        summary = CrawlSummary(run_id, self.counts, time.monotonic() - started,
                               self.frontier.queued(), status, exit_code)  # fmt: skip
        self.progress.finish(summary_line(summary))
        return summary

    def _loop(self, workers: Workers, started: float) -> None:
        """Dispatch and save until there is nothing left to do."""
        last_save = time.monotonic()
        with self.frontier.batch():
            self._dispatch(workers)
        while not self.stop.is_set() and (self.in_flight or self._heap):
            wait = 0.25
            if self._heap and len(self.in_flight) < self.options.concurrency:
                wait = min(wait, max(0.0, self._heap[0][0] - time.monotonic()))
            batch = []
            with suppress(queue.Empty):
                batch.append(
                    workers.results.get(timeout=wait) if wait else workers.results.get_nowait()
                )
                while True:  # save everything that arrived, in a few transactions
                    batch.append(workers.results.get_nowait())
            self._save(batch, workers)
            now = time.monotonic()
            self.progress.update(self.counts, started, self.frontier.queued)
            if now - last_save > 2.0:
                self.frontier.update_counts(dict(self.counts))
                last_save = now

    def _save(self, batch: list[Result], workers: Workers | None) -> None:
        """Save results: their links first, then the pages, then their frontier rows (with the
        next claims), so a kill between any two steps loses nothing (see frontier._recover)."""
        if any(result.outcome == "fetched" for result in batch):
            with self.frontier.batch():
                for result in batch:
                    if result.outcome == "fetched":
                        self._enqueue(result.entries)
        outcomes = [self._store(result) for result in batch]
        with self.frontier.batch():
            for result, outcome in zip(batch, outcomes, strict=True):
                self._handle(result, outcome)
            if workers is not None:
                self._dispatch(workers)

    def _drain(self, workers: Workers) -> None:
        """After a stop: save the pages that finish within the grace period."""
        deadline = time.monotonic() + (self.options.grace if self.stop.is_set() else 0.0)
        while self.in_flight and not self.quit_now and (left := deadline - time.monotonic()) > 0:
            with suppress(queue.Empty):
                self._save([workers.results.get(timeout=min(left, 0.1))], None)

    def _exit_code(self, status: str) -> int:
        """0 the run completed (dead links are the sites' state, counted, not a failed run),
        1 it was degraded, 2 the crawl itself failed (disk full...), 128 + signal when
        interrupted."""
        if status == "interrupted":
            return 128 + (self.signal or signal.SIGINT)
        if status == "failed":
            return 2
        return 1 if degraded(self.counts) else 0

    # -- scheduling ---------------------------------------------------------------------------

    def _wake(self, host: str) -> None:
        """Put a host that may have work in line for its next allowed time."""
        slot = self.slots.setdefault(host, Slot())
        if slot.blocked or slot.busy or host in self._in_heap:
            return
        heapq.heappush(self._heap, (slot.next_at, next(self._seq), host))
        self._in_heap.add(host)

    def _dispatch(self, workers: Workers) -> None:
        """Hand due hosts' best rows to idle workers."""
        now = time.monotonic()
        while (
            len(self.in_flight) < self.options.concurrency
            and self._heap
            and self._heap[0][0] <= now
        ):
            host = heapq.heappop(self._heap)[2]
            self._in_heap.discard(host)
            slot = self.slots[host]
            if slot.blocked or slot.busy:
                continue
            if (opens := self.gate.ready_at(host)) > now:  # a redirect from elsewhere came in
                slot.next_at = opens
                self._wake(host)
                continue
            row = self._next_row(host)
            if row is None:
                continue
            if not slot.ready:
                task = Task("robots", row.fetch_url, host)
            elif row.kind == "page" and self._page_limit_reached():
                continue  # the host drops out of line; the run ends when the rest is done
            else:
                task = self._task(row)
                self.frontier.claim(row)
                self.pages_started += row.kind == "page"
            slot.busy = True
            self.in_flight[host] = task
            workers.tasks.put(task)

    def _page_limit_reached(self) -> bool:
        """True once this run has started --max-pages pages."""
        return self.options.max_pages is not None and self.pages_started >= self.options.max_pages

    def _next_row(self, host: str) -> Row | None:
        """The host's best queued row that this run may fetch (the others are skipped)."""
        limit = self.options.max_depth
        while (row := self.frontier.next_for(host)) is not None:
            if row.discovered_at >= self.frontier.started:  # scoped by this run's workers
                return row
            verdict = self.plan.scope.check(row.fetch_url, page=row.kind == "page")
            if not verdict:
                self.frontier.skip(row, f"scope:{verdict.reason}")
            elif row.kind == "page" and limit is not None and row.depth > limit:
                self.frontier.skip(row, "depth")
            else:
                return row
        return None

    def _task(self, row: Row) -> Task:
        """The task for a row, with the validators for a conditional GET."""
        if row.kind == "page":
            validators = self.store.validators(row.fetch_url)
            etag, last_modified = validators if validators else (None, None)
        else:
            etag, last_modified = row.etag, row.last_modified
        return Task(row.kind, row.fetch_url, row.host, row, etag, last_modified)

    # -- results ------------------------------------------------------------------------------

    def _store(self, result: Result) -> str:
        """Write a page's fetch to the store; returns its outcome."""
        task, error, got = result.task, result.error, result.fetch
        if task.kind != "page" or task.row is None:
            return result.outcome
        if result.outcome in ("error", "skipped") and isinstance(error, FetchError):
            self.store.record_fetch_error(task.url, error, utc_now())
        elif result.outcome == "not_modified" and got is not None:
            self.store.record_not_modified(got)
        elif result.outcome == "fetched" and got is not None and result.article is not None:
            return self.store.save(result.article, got, result.prepared).status
        return result.outcome

    def _handle(self, result: Result, outcome: str) -> None:
        """Record a result in the frontier and reschedule its host."""
        task = result.task
        self.in_flight.pop(task.host, None)
        slot = self.slots[task.host]
        slot.release(
            self.gate.ready_at(task.host), requested=result.requested, waited=result.waited
        )
        if task.kind == "robots":
            self._robots(task, result, slot)
        elif task.row is not None and outcome == "interrupted":
            self.frontier.release(task.row)
        elif task.row is not None and task.kind == "page":
            self._page(task.row, result, outcome)
        elif task.row is not None:
            self._resource(task.row, result)
        self._wake(task.host)

    def _robots(self, task: Task, result: Result, slot: Slot) -> None:
        """A host's robots.txt: its Crawl-delay, and for a seed's host its sitemaps."""
        slot.ready = True
        robots = result.robots
        if robots is None:
            return
        if self.fetcher_config.respect_robots and not robots.default_allow:
            slot.blocked = True
            self.counts["hosts_unreachable"] += 1
            self.counts["seeds_failed"] += task.host in self.seed_hosts
            log.warning("skipping %s this run: robots.txt %s", task.host, robots.reason)
            return
        if task.host in self.seed_hosts:
            guess = absolute_url("/sitemap.xml", task.url) or ""
            listed = [(url, None, 0) for url in robots.sitemaps]
            entries = self.plan.sitemap_entries(listed, "robots")
            entries += self.plan.sitemap_entries([(guess, None, 0)], "guess")
            self._enqueue(entries)

    def _page(self, row: Row, result: Result, outcome: str) -> None:
        """A page's frontier row after the store has it."""
        error = result.error
        if outcome == "robots":
            self.frontier.skip(row, "robots")
        elif outcome == "error":
            self.frontier.complete(row, outcome, transient=_transient(error))
            self.counts["seeds_failed"] += row.source == "seed"
            log.info("error %s: %s", row.fetch_url, error)
        else:
            if result.aliases:
                self.frontier.mark_done(result.aliases)
            self.frontier.complete(row, outcome)
        self.counts[outcome] += 1
        log.info("%s %s", outcome, row.fetch_url)

    def _resource(self, row: Row, result: Result) -> None:
        """Save a sitemap's or feed's outcome and queue what it lists."""
        got, error = result.fetch, result.error
        if result.outcome == "error":
            absent = row.source == "guess" and isinstance(error, HTTPStatus) and error.status == 404
            self.frontier.complete(
                row, "absent" if absent else "error", transient=_transient(error)
            )
            if not absent:
                self.counts["discovery_errors"] += 1
                log.warning("%s %s: %s", row.kind, row.fetch_url, error)
            return
        self._enqueue(result.entries)
        etag, modified = (got.etag, got.last_modified) if got else (None, None)
        self.frontier.complete(row, result.outcome, etag=etag, last_modified=modified)
        self.counts[f"{row.kind}s"] += 1

    def _enqueue(self, entries: Sequence[Entry]) -> None:
        """Add entries to the frontier and wake their hosts."""
        for host in self.frontier.enqueue(entries):
            self._wake(host)


def _transient(error: ScraperError | None) -> bool:
    """True for failures worth retrying soon: unreachable hosts, 429 and 5xx."""
    if isinstance(error, Unreachable):
        return True
    return isinstance(error, HTTPStatus) and error.status in RETRY_STATUSES


@contextmanager
def stop_on_signals(crawler: Crawler) -> Iterator[None]:
    """SIGINT/SIGTERM ask the crawler to stop; a second one drops the pages in flight."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: object) -> None:
        if crawler.quit_now:  # a third: the main thread must be stuck somewhere
            raise KeyboardInterrupt
        if crawler.stop.is_set():
            crawler.quit_now = True
            return
        crawler.signal = signum
        crawler.stop.set()
        log.warning("stopping: finishing pages in flight (again to quit at once)")

    previous = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


def crawl(
    seeds: Sequence[str],
    store: Store,
    options: CrawlOptions = CrawlOptions(),
    fetch_config: FetchConfig = FetchConfig(),  # noqa: B008 - frozen, so one default is safe
    *,
    progress: Progress | None = None,
    clock: Callable[[], datetime] | None = None,
) -> CrawlSummary:
    """Crawl from seeds into store, stopping cleanly on SIGINT/SIGTERM."""
    crawler = Crawler(seeds, store, fetch_config, options, progress=progress, clock=clock)
    with stop_on_signals(crawler):
        return crawler.run()

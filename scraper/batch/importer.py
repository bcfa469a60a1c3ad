"""`warc --db`: WARC files into the SQLite store on one machine, as a crawl would store them.

The main thread streams the records (cheap: FastWARC) and is the store's single writer;
reading a page (extraction, fingerprints, rows) runs in the crawler's page-reading processes
(scraper.crawl.reader_pool), a bounded window of pages ahead, so memory stays flat whatever
the file size. Pages are saved in file order. A capture already in the store (same URL,
same WARC-Date) is recognised before it is read, so importing a file again stores nothing
twice. At the end the duplicates of every story the run touched are decided again in
capture order (scraper.store.resolve_duplicates), so the earliest copy is the original
whatever the order of the files, as in the Dask path.
"""

from __future__ import annotations

import logging
from collections import Counter, deque
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

from scraper.article import Article
from scraper.batch.filters import Filters
from scraper.batch.warc import WarcPage, iter_pages, page_record, record_kinds
from scraper.crawl import reader_pool
from scraper.errors import ScraperError, StoreError
from scraper.store import Prepared, Store, imported_capture, resolve_duplicates

log = logging.getLogger(__name__)
# Save outcomes, then what was left out before saving, in summary order.
OUTCOMES = ("new", "updated", "unchanged", "duplicate", "not_article", "filtered", "imported")
# Pages read ahead per reading process: enough to keep them busy while the writer saves.
WINDOW_PER_PROCESS = 8


@dataclass
class ImportSummary:
    """What an import did: files read and failed, records by kind, pages by outcome."""

    files: int = 0
    failed: list[str] = field(default_factory=list)  # "SOURCE: reason", one per bad input
    records: Counter[str] = field(default_factory=Counter)  # WARC record kinds, skip reasons
    pages: Counter[str] = field(default_factory=Counter)  # OUTCOMES
    resolved: int = 0  # duplicate_of values changed by the capture-order pass

    @property
    def exit_code(self) -> int:
        """1 when some input failed (the others were imported), else 0."""
        return 1 if self.failed else 0

    def line(self) -> str:
        """The one-line summary for stderr."""
        order = [*record_kinds(), *sorted(set(self.records) - set(record_kinds()))]
        kinds = ", ".join(
            f"{self.records[k]} {k.replace('_', ' ')}" for k in order if self.records[k]
        )
        pages = ", ".join(
            f"{self.pages[k]} {k.replace('_', ' ')}" for k in OUTCOMES if self.pages[k]
        )
        failed = f", {len(self.failed)} failed" if self.failed else ""
        return (
            f"{self.files} files{failed}; records: {kinds or 'none'}; pages: {pages or 'none'}"
            f" (exit {self.exit_code})"
        )


def read_capture(page: WarcPage, filters: Filters) -> tuple[Article, Prepared | None] | None:
    """The record and database rows of a captured page, or None when the filters leave it
    out: the CPU-heavy part, pure and picklable, so it runs in the reading processes."""
    article = page_record(page)
    if filters.active and not filters.wants_record(article, page.fetched_at):
        return None
    if article.page_type != "article":
        return article, None
    return article, Prepared.of(article, page.url, page.final_url)


Read = tuple[Article, Prepared | None] | None


class Importer:
    """One run: sources in, pages saved by this (the only writing) thread."""

    def __init__(
        self,
        store: Store,
        *,
        processes: int = 0,
        filters: Filters | None = None,
        max_bytes: int = 10_000_000,
        on_error: Callable[[str], None] = log.error,
    ) -> None:
        self.store, self.filters, self.max_bytes = store, filters or Filters(), max_bytes
        self.processes, self.on_error = processes, on_error
        self.summary = ImportSummary()
        self.touched: set[int] = set()  # articles to decide duplicates for at the end
        self._pool: Executor | None = None

    def run(self, sources: Sequence[str]) -> ImportSummary:
        """Import every source (a bad one costs only itself), then resolve duplicates."""
        self._pool = reader_pool(self.processes)
        try:
            for source in sources:
                self.summary.files += 1
                try:
                    self._import(source)
                except StoreError:
                    raise  # the disk, not the input: nothing more can be saved
                except ScraperError as exc:
                    self.summary.failed.append(f"{source}: {exc.reason}")
                    self.on_error(f"error: {source}: {exc.reason}")
        finally:
            if self._pool is not None:
                self._pool.shutdown(cancel_futures=True)
        self.summary.resolved = resolve_duplicates(self.store, self.touched)
        return self.summary

    def _import(self, source: str) -> None:
        """One file: read ahead in the pool, save in order; the window drains even when the
        file turns out damaged, so the pages before the damage are kept."""
        window: deque[tuple[WarcPage, Future[Read] | Read]] = deque()
        limit = max(1, self.processes) * WINDOW_PER_PROCESS
        try:
            for page in iter_pages(
                source, self.summary.records, filters=self.filters, max_bytes=self.max_bytes
            ):
                seen, article_id = imported_capture(self.store, page.url, page.fetched_at)
                if seen:
                    self.summary.pages["imported"] += 1
                    if article_id is not None:
                        self.touched.add(article_id)
                    continue
                window.append((page, self._submit(page)))
                while len(window) >= limit:
                    self._save(*window.popleft())
        finally:
            while window:
                self._save(*window.popleft())

    def _submit(self, page: WarcPage) -> Future[Read] | Read:
        """Start reading a page in the pool, or read it here when there is none."""
        if self._pool is not None:
            try:
                return self._pool.submit(read_capture, page, self.filters)
            except BrokenProcessPool:
                self._pool_died()
        return read_capture(page, self.filters)

    def _save(self, page: WarcPage, pending: Future[Read] | Read) -> None:
        """Wait for a page's reading and save it like a fetched page."""
        if isinstance(pending, Future):
            try:
                pending = pending.result()
            except BrokenProcessPool:
                self._pool_died()
                pending = read_capture(page, self.filters)
        if pending is None:
            self.summary.pages["filtered"] += 1
            return
        article, prepared = pending
        outcome = self.store.save(article, page, prepared)
        self.summary.pages[outcome.status] += 1
        if outcome.article_id is not None:
            self.touched.add(outcome.article_id)

    def _pool_died(self) -> None:
        """The reading processes died (out of memory, a crash): go on in this thread."""
        if self._pool is not None:
            log.warning("page-reading processes died; reading pages in the main process")
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


def import_warcs(
    sources: Sequence[str],
    store: Store,
    *,
    processes: int = 0,
    filters: Filters | None = None,
    max_bytes: int = 10_000_000,
    on_error: Callable[[str], None] = log.error,
) -> ImportSummary:
    """Import WARC files or URLs into the store; see the module docstring."""
    importer = Importer(
        store, processes=processes, filters=filters, max_bytes=max_bytes, on_error=on_error
    )
    return importer.run(sources)

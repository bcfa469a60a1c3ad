"""What a crawl says while it runs: a progress bar on a terminal, one summary line otherwise.

Everything goes to stderr (stdout stays free for records). Under cron, with no terminal,
the only output is the summary line at the end, unless --verbose turned logging on.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import IO

from scraper.pipeline import OUTCOMES

_EXTRA = ("robots", "sitemaps", "feeds", "discovery_errors", "hosts_unreachable", "seeds_failed")
_LABELS = {"not_article": "listings", "robots": "disallowed by robots.txt"}
_WIDTH = 24  # characters of bar
PAGE_OUTCOMES = frozenset(OUTCOMES)
MAJORITY_FLOOR = 10  # fetches a run needs before "most of them failed" makes it degraded


@dataclass
class CrawlSummary:
    """What a run did."""

    run_id: int
    counts: Counter[str]
    elapsed: float
    queued: int
    status: str  # finished | interrupted
    exit_code: int

    @property
    def pages(self) -> int:
        """Pages with an outcome (sitemaps, feeds and robots.txt skips not counted)."""
        return sum(n for k, n in self.counts.items() if k in PAGE_OUTCOMES)


def degraded(counts: Mapping[str, int]) -> bool:
    """A run's counts say it was degraded (exit 1): a seed could not be crawled at all (its
    page failed, or its host's robots.txt was unreachable), or most fetches failed. Dead
    links alone are the sites' state, not a failed run."""
    failed = counts.get("error", 0) + counts.get("discovery_errors", 0)
    kinds = (*PAGE_OUTCOMES, "sitemaps", "feeds", "discovery_errors")
    tried = sum(counts.get(k, 0) for k in kinds)
    # A floor, so that a resume left with three pages, two of them dead links, is no alarm.
    return bool(counts.get("seeds_failed")) or (tried >= MAJORITY_FLOOR and 2 * failed > tried)


def _label(key: str) -> str:
    return _LABELS.get(key, key.replace("_", " "))


class Progress:
    """A redrawn status line on a terminal; silent otherwise until finish()."""

    def __init__(
        self, stream: IO[str] | None = None, *, tty: bool | None = None, interval: float = 0.25
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.interval = interval
        self._last = 0.0
        self._queued = 0

    def update(self, counts: Mapping[str, int], started: float, queued: Callable[[], int]) -> None:
        """Redraw the bar (at most every `interval` seconds): done, queued, errors, rate."""
        now = time.monotonic()
        if not self.tty or now - self._last < self.interval:
            return
        self._last = now
        self._queued = queued()
        done = sum(counts.get(k, 0) for k in OUTCOMES)
        total = done + self._queued
        filled = int(_WIDTH * done / total) if total else 0
        rate = done / max(now - started, 1e-6)
        bar = "#" * filled + "-" * (_WIDTH - filled)
        line = (
            f"[{bar}] {done} done, {self._queued} queued, {counts.get('error', 0)} errors,"
            f" {rate:.1f} pages/s"
        )
        self.stream.write("\r\x1b[K" + line)
        self.stream.flush()

    def finish(self, line: str) -> None:
        """Clear the bar and print the summary line."""
        if self.tty:
            self.stream.write("\r\x1b[K")
        self.stream.write(line + "\n")
        self.stream.flush()


def summary_line(summary: CrawlSummary) -> str:
    """One line saying what a run did, for a terminal, a log or a cron mail."""
    counts = summary.counts
    pages = summary.pages
    rate = pages / summary.elapsed if summary.elapsed > 0 else 0.0
    parts = [f"{counts[k]} {_label(k)}" for k in OUTCOMES if counts.get(k)]
    extra = [f"{counts[k]} {_label(k)}" for k in _EXTRA if counts.get(k)]
    outcome = f": {', '.join(parts)}" if parts else ""
    more = f"; {', '.join(extra)}" if extra else ""
    return (
        f"crawl run {summary.run_id} {summary.status} in {summary.elapsed:.1f} s:"
        f" {pages} pages ({rate:.1f}/s){outcome}{more}; {summary.queued} queued"
        f" (exit {summary.exit_code})"
    )

"""The crawl budget against the hostile web: traps, a giant sitemap index, odd links, resumes."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from scraper.crawl import CrawlOptions, Progress, crawl
from scraper.crawl.crawler import Crawler
from scraper.fetch import FetchConfig
from scraper.store import Store
from tests.hostile_web import TRAP_PREFIXES, HostileWeb, Measure

# The slow-drip page must hit the page deadline in a real crawl; keep that deadline short.
FAST = FetchConfig(
    connect_timeout=2, read_timeout=1, total_timeout=2, max_retries=1, backoff_max=0.05
)
SMALL = CrawlOptions(delay=0.0, concurrency=4, max_pages=60, max_depth=2)


@pytest.fixture(scope="module")
def web() -> Iterator[HostileWeb]:
    """20 sitemaps x 300 URLs: the giant index's shape, at a size a test can afford."""
    with HostileWeb(sitemaps=20, per_sitemap=300) as hostile:
        yield hostile


def crawl_hostile(
    web: HostileWeb, db: Path, options: CrawlOptions = SMALL, sites: tuple[str, ...] = ("hostile",)
) -> Measure:
    """One crawl of some of the web's sites into db; what the servers saw."""
    started = time.monotonic()
    with Store(db) as store:
        crawl([web.sites[s].seed for s in sites], store, options, FAST)
    return web.measure(started, sites)


def paths(web: HostileWeb, since: float) -> list[str]:
    """Paths the hostile site served since a moment."""
    return [h.path for h in web.sites["hostile"].host.hits() if h.time >= since]


def test_max_pages_60_go_to_articles_newest_first(web: HostileWeb, tmp_path: Path) -> None:
    started = time.monotonic()
    got = crawl_hostile(web, tmp_path / "a.db")
    served = paths(web, started)

    assert got.newest == 6  # sitemap-only, listed last of 6,000 URLs
    assert got.recall >= 0.95, got
    assert got.traps <= 12, got  # calendar, shop and archive: a handful each
    assert got.not_found <= 8, got  # the old URLs of the index stop after a few 404s
    assert got.off_site == 0
    assert not [p for p in served if p.startswith("/media/")]  # non-HTML never requested
    assert served.count("/") == 1 and "/private/" not in served
    # The newest stories came before any old URL of the index was tried.
    newest = [served.index(p) for p in web.sites["hostile"].newest]
    first_old = min(i for i, p in enumerate(served) if "old-story" in p)
    assert max(newest) < first_old


def test_the_baseline_breadth_first_frontier_spends_the_budget_on_junk(
    web: HostileWeb, tmp_path: Path
) -> None:
    """The same crawl with a plain breadth-first queue: the test above can fail."""
    got = crawl_hostile(
        web, tmp_path / "bfs.db", CrawlOptions(**{**vars(SMALL), "frontier": "bfs"})
    )
    assert got.newest == 0 and got.recall < 0.5 and got.not_found > 20, got


def test_incremental_run_pays_nothing_for_the_traps_again(web: HostileWeb, tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    first = crawl_hostile(web, db, CrawlOptions(delay=0.0, concurrency=4, max_depth=3))
    assert first.recall == 1.0 and 0 < first.traps <= 16, first

    started = time.monotonic()
    again = crawl_hostile(web, db, CrawlOptions(delay=0.0, concurrency=4, max_depth=3))
    assert again.traps == 0, [p for p in paths(web, started) if p.startswith(TRAP_PREFIXES)]
    assert again.not_found <= 6  # the old URLs' template yielded stories: one streak a run


class StopAfter(Progress):
    """Asks the crawl to stop once this many pages are done (a Ctrl-C mid-run)."""

    def __init__(self, pages: int, stop: threading.Event) -> None:
        super().__init__(tty=False)
        self.pages, self.stop = pages, stop

    def update(self, counts: Mapping[str, int], started: float, queued: Callable[[], int]) -> None:
        done = sum(v for k, v in counts.items() if k not in ("sitemaps", "feeds"))
        if done >= self.pages:
            self.stop.set()


def test_a_resumed_run_keeps_the_budgets_of_the_interrupted_one(
    web: HostileWeb, tmp_path: Path
) -> None:
    db = tmp_path / "news.db"
    options = CrawlOptions(delay=0.0, concurrency=4, max_depth=3, grace=1.0)
    started = time.monotonic()
    stop = threading.Event()
    with Store(db) as store:
        seeds = [web.sites["hostile"].seed]
        summary = Crawler(
            seeds, store, FAST, options, stop=stop, progress=StopAfter(40, stop)
        ).run()
    assert summary.status == "interrupted"
    with Store(db) as store:
        crawl([web.sites["hostile"].seed], store, options, FAST)
    both = web.measure(started, ["hostile"])
    # Interrupted and resumed, the traps cost what one whole run costs them.
    assert both.recall == 1.0 and both.traps <= 16, both
    served = [urlsplit(p) for p in paths(web, started)]
    calendar = [p for p in served if p.path == "/events/" and p.query]
    assert len(calendar) <= 3


def test_several_sites_at_once(web: HostileWeb, tmp_path: Path) -> None:
    options = CrawlOptions(delay=0.05, concurrency=4, max_pages=120, max_depth=3)
    got = crawl_hostile(web, tmp_path / "all.db", options, ("hostile", "daily", "weekly"))
    assert got.newest == 6 and got.recall >= 0.95, got
    assert got.off_site == 0


def test_an_index_with_nothing_fresh_is_read_whole_before_its_entries_compete(
    tmp_path: Path,
) -> None:
    """The site's newest story is two years old: no sitemap entry may jump the queue while
    the index is read, and once it is read the newest, listed last, still goes first."""
    with HostileWeb(sitemaps=20, per_sitemap=300, now=datetime(2025, 3, 1, tzinfo=UTC)) as old:
        got = crawl_hostile(old, tmp_path / "old.db")
    assert got.newest == 6 and got.recall >= 0.95 and got.not_found <= 8, got

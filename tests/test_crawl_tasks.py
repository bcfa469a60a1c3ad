"""The crawler's worker side: reading pages when the page-reading processes are gone, and
what of a sitemap enters the frontier."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future
from concurrent.futures.process import BrokenProcessPool
from datetime import date
from typing import Any

from scraper.crawl.discover import Link
from scraper.crawl.frontier import Row
from scraper.crawl.scope import Scope
from scraper.crawl.tasks import Plan, Workers
from scraper.fetch import Fetcher
from tests.conftest import make_fetch

PAGE = (
    b"<html><head><title>Bridge reopens</title></head><body><article><h1>Bridge reopens</h1>"
    b"<p>The old bridge over the river reopened on Monday after two years of repairs.</p>"
    b"<p>Engineers replaced the deck, the railings and the lights, the council said.</p>"
    b'<a href="/2024/05/02/next-story">Next</a></article></body></html>'
)


class DeadPool(Executor):
    """A process pool whose processes died: every submit fails as ProcessPoolExecutor's does."""

    def __init__(self) -> None:
        self.calls = 0

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        self.calls += 1
        future: Future[Any] = Future()
        future.set_exception(BrokenProcessPool("a child process terminated abruptly"))
        return future


def test_pages_are_read_in_threads_once_the_reader_processes_died() -> None:
    pool = DeadPool()
    with Fetcher() as fetcher:
        workers = Workers(fetcher, None, 0, threading.Event(), pool)  # type: ignore[arg-type]
        got = make_fetch(content=PAGE)
        article, links, prepared = workers._read(got)
        assert article.headline == "Bridge reopens" and prepared is not None
        assert any(link.url.endswith("/next-story") for link in links.links)
        workers._read(got)
    assert pool.calls == 1  # the dead pool is dropped, not asked again for every page
    assert workers.pool is None


def test_sitemap_entries_drop_non_html_and_off_site_urls_before_the_queue() -> None:
    site = "http://news.test"
    plan = Plan(Scope.from_seeds([site + "/"], today=date(2024, 5, 1)))
    row = Row(1, site + "/s.xml", site + "/s.xml", "news.test:80", "sitemap", "robots", 1,
              None, None, 0, None, None, "2024-05-01T00:00:00+00:00")  # fmt: skip
    listed = [
        Link(site + "/2024/05/01/a-story-in-the-sitemap", "sitemap", lastmod="2024-05-01"),
        Link(site + "/media/2019/photo.JPG", "sitemap"),
        Link(site + "/files/report.pdf", "sitemap"),
        Link(site + "/video/clip.mp4?autoplay=1", "sitemap"),
        Link("http://elsewhere.test/2024/05/01/not-ours", "sitemap"),
        Link("ftp://news.test/2024/05/01/other-scheme", "sitemap"),
    ]
    entries = plan.link_entries(listed, row)
    assert [e.url for e in entries] == [site + "/2024/05/01/a-story-in-the-sitemap"]
    assert entries[0].published == "2024-05-01" and entries[0].source == "sitemap"

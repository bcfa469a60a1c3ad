"""The crawler's worker side: reading pages when the page-reading processes are gone."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from scraper.crawl.tasks import Workers
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

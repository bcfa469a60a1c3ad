"""One page, end to end: conditional fetch, extract, store. Shared by `fetch` and `crawl`.

Fetch failures are recorded and returned, never raised: one bad page must not stop a batch.
A StoreError (disk full, read-only database) is raised: nothing more can be saved."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from scraper.article import Article
from scraper.errors import FetchError
from scraper.extract import extract
from scraper.fetch import Fetcher, FetchResult, utc_now
from scraper.store import SaveOutcome, Store

# Outcomes of one page, as counted in summaries and run records.
OUTCOMES: tuple[str, ...] = (
    "new", "updated", "unchanged", "duplicate", "not_article", "not_modified", "skipped", "error",
)  # fmt: skip


@dataclass(frozen=True)
class PageResult:
    """What happened to one URL."""

    url: str
    outcome: str  # one of OUTCOMES
    article: Article | None = None
    fetch: FetchResult | None = None
    saved: SaveOutcome | None = None
    error: FetchError | None = None


def process(
    url: str,
    fetcher: Fetcher,
    store: Store,
    *,
    now: datetime | None = None,
    extract_fn: Callable[..., Article] = extract,
) -> PageResult:
    """Fetch url (conditionally when the store knows it), extract it and save it."""
    validators = store.validators(url)
    etag, last_modified = validators if validators else (None, None)
    try:
        result = fetcher.fetch(url, etag=etag, last_modified=last_modified)
    except FetchError as exc:
        store.record_fetch_error(url, exc, utc_now())
        return PageResult(url, "skipped" if exc.skipped else "error", error=exc)
    if result.not_modified:
        store.record_not_modified(result)
        return PageResult(url, "not_modified", fetch=result)
    article = extract_page(result, now=now, extract_fn=extract_fn)
    saved = store.save(article, result)
    return PageResult(url, saved.status, article=article, fetch=result, saved=saved)


def extract_page(
    result: FetchResult,
    *,
    now: datetime | None = None,
    extract_fn: Callable[..., Article] = extract,
) -> Article:
    """The record of a fetched page, read with the charset its server declared."""
    return extract_fn(
        result.content, url=result.final_url, encoding=result.encoding, now=now, source=result.url
    )

"""extract(html, url) -> Article: pure, no I/O. Placeholder until the extractor lands."""

from __future__ import annotations

from datetime import datetime

from scraper.article import Article


def extract(
    html: bytes | str,
    url: str | None = None,
    *,
    encoding: str | None = None,
    now: datetime | None = None,
    source: str | None = None,
) -> Article:
    """Extract the article record from one page. Never raises; failures go in `error`."""
    return Article(source=source, url=url, error="not implemented yet")

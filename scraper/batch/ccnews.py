"""CC-NEWS: the WARC URLs of some months, from Common Crawl's listings.

Each month of CC-NEWS has a listing, crawl-data/CC-NEWS/YYYY/MM/warc.paths.gz: a gzip file
of paths relative to the data host, one WARC file a line (about 550 a month, ~1 GB each).
The listings are fetched with the project's Fetcher (timeouts, size cap, retries with
backoff and jitter, Retry-After honoured: the data host answers 503 SlowDown under load).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from scraper.errors import ScraperError
from scraper.fetch import Fetcher

DEFAULT_BASE = "https://data.commoncrawl.org/"
# A month's listing is ~30 KB compressed, ~60 KB of text; far above that is not a listing.
MAX_LISTING_BYTES = 5_000_000
FIRST_MONTH = (2016, 8)  # CC-NEWS starts in August 2016
_MONTH = re.compile(r"(\d{4})-(\d{2})")


class ListingError(ScraperError):
    """A month's listing could not be fetched or read."""


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month of CC-NEWS."""

    year: int
    month: int

    def next(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def parse_month(text: str) -> Month:
    """YYYY-MM as a Month; ValueError for anything else (or a month before CC-NEWS)."""
    match = _MONTH.fullmatch(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(f"not a month (YYYY-MM): {text!r}")
    month = Month(int(match.group(1)), int(match.group(2)))
    if (month.year, month.month) < FIRST_MONTH:
        raise ValueError(f"CC-NEWS starts in {Month(*FIRST_MONTH)}, not {month}")
    return month


def months(first: Month, last: Month) -> Iterator[Month]:
    """first to last, both included."""
    month = first
    while month <= last:
        yield month
        month = month.next()


def listing_url(base: str, month: Month) -> str:
    """Where a month's warc.paths.gz lives under the data host."""
    return f"{base.rstrip('/')}/crawl-data/CC-NEWS/{month.year:04d}/{month.month:02d}/warc.paths.gz"


def read_listing(data: bytes, base: str) -> list[str]:
    """The WARC URLs of a listing (gzip or plain text): paths made absolute under base."""
    if data[:2] == b"\x1f\x8b":
        inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            data = inflate.decompress(data, MAX_LISTING_BYTES)
        except zlib.error as exc:
            raise ListingError(f"listing is not readable gzip: {exc}") from exc
        if inflate.unconsumed_tail:
            raise ListingError(f"listing inflates past {MAX_LISTING_BYTES} bytes")
        if not inflate.eof:
            raise ListingError("listing is cut short (gzip stream incomplete)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ListingError("listing is not text") from exc
    root = base.rstrip("/") + "/"
    paths = [line.strip() for line in text.splitlines() if line.strip()]
    if not paths:
        raise ListingError("listing names no WARC files")
    return [p if p.startswith(("http://", "https://")) else root + p.lstrip("/") for p in paths]


def ccnews_urls(
    first: Month, last: Month, fetcher: Fetcher, base: str = DEFAULT_BASE
) -> Iterator[str | ListingError]:
    """The WARC URLs of the months first..last in order; a month whose listing fails
    yields its ListingError in its place, so the other months still come out."""
    for month in months(first, last):
        url = listing_url(base, month)
        try:
            got = fetcher.fetch_resource(url, max_bytes=MAX_LISTING_BYTES)
            found = read_listing(got.content, base)
        except ListingError as exc:
            yield ListingError(f"{month}: {exc.reason}", url=url)
            continue
        except ScraperError as exc:
            yield ListingError(f"{month}: {exc.reason}", url=url, status=exc.status)
            continue
        yield from found

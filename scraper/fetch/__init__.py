"""Fetching: the only network code. Other packages import from here, not from the modules.

fetcher.py    Fetcher: the API (pages, resources, robots.txt), retries around attempts
exchange.py   one attempt: redirects followed by hand, the body streamed under caps
transport.py  the httpx client, bounded decompression, the socket-level deadline
robots.py     robots.txt rules and their cache
politeness.py Gate: every request to a host waits its turn, the delay apart
"""

from scraper.fetch.exchange import (
    RETRY_STATUSES,
    looks_like_html,
    parse_content_type,
    parse_retry_after,
)
from scraper.fetch.fetcher import FetchConfig, Fetcher, FetchResult, utc_now
from scraper.fetch.politeness import Gate
from scraper.fetch.robots import Robots

__all__ = [
    "RETRY_STATUSES",
    "FetchConfig",
    "FetchResult",
    "Fetcher",
    "Gate",
    "Robots",
    "looks_like_html",
    "parse_content_type",
    "parse_retry_after",
    "utc_now",
]

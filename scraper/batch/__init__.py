"""Batch mode: WARC archives and CC-NEWS into the same records as a crawl. Import from here.

warc.py      WARC records in, pages (WarcPage, shaped like a fetch) out; page_record extracts
filters.py   which hosts, languages and dates a run keeps, checked as early as possible
sources.py   inputs: paths, http(s) URLs streamed with retries and resume, -i lists
"""

from scraper.batch.filters import Filters
from scraper.batch.sources import (
    HttpStream,
    StreamConfig,
    WarcError,
    expand_sources,
    is_url,
    open_source,
    read_list,
)
from scraper.batch.warc import WarcPage, iter_pages, page_record, record_kinds

__all__ = [
    "Filters",
    "HttpStream",
    "StreamConfig",
    "WarcError",
    "WarcPage",
    "expand_sources",
    "is_url",
    "iter_pages",
    "open_source",
    "page_record",
    "read_list",
    "record_kinds",
]

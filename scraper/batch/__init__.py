"""Batch mode: WARC archives and CC-NEWS into the same records as a crawl. Import from here.

warc.py      WARC records in, pages (WarcPage, shaped like a fetch) out; page_record extracts
filters.py   which hosts, languages and dates a run keeps, checked as early as possible
sources.py   inputs: paths, http(s) URLs streamed with retries and resume, -i lists
importer.py  `warc --db`: pages read in worker processes, saved by one writer, duplicates
             decided again in capture order
ccnews.py    the WARC URLs of CC-NEWS months, from Common Crawl's warc.paths.gz listings
engine.py    `warc --out`: the per-file task (task.py) mapped on Dask, then the dedup stages
             (dedup.py, clusters.py) over the Parquet parts (dataset.py)
load.py      `load`: such a dataset into the store
"""

from scraper.batch.ccnews import ccnews_urls, listing_url, parse_month
from scraper.batch.engine import DatasetSummary, run_dataset
from scraper.batch.filters import Filters
from scraper.batch.importer import ImportSummary, import_warcs
from scraper.batch.load import load_dataset
from scraper.batch.sources import (
    HttpStream,
    StreamConfig,
    is_url,
    open_source,
)
from scraper.batch.warc import WarcPage, iter_pages, page_record, record_kinds
from scraper.errors import WarcError

__all__ = [
    "DatasetSummary",
    "Filters",
    "HttpStream",
    "ImportSummary",
    "StreamConfig",
    "WarcError",
    "WarcPage",
    "ccnews_urls",
    "import_warcs",
    "is_url",
    "iter_pages",
    "listing_url",
    "load_dataset",
    "open_source",
    "page_record",
    "parse_month",
    "record_kinds",
    "run_dataset",
]

"""The unit of batch work: one WARC file in, one Parquet part and its success marker out.

A plain function that knows nothing of the engine, so it runs the same in a test, in a
process pool and on a Dask worker. Records are streamed from the reader and written in
batches, so a worker's memory does not grow with the file. The part is written under a
temporary name and renamed into place before the marker is written: a marker always
names a whole part, and a file without a marker (killed, lost worker) is redone.

A file that is damaged part way keeps the pages read before the damage (as the --db import
does) and gets a marker with status "failed", so a rerun tries it again.
"""

from __future__ import annotations

import logging
import os
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from scraper.batch.dataset import DONE, PARTS, SCHEMA, part_name, to_row, write_marker
from scraper.batch.filters import Filters
from scraper.batch.warc import WarcPage, iter_pages, page_record
from scraper.errors import ScraperError
from scraper.store import Prepared

log = logging.getLogger(__name__)
BATCH_ROWS = 256  # rows buffered before a Parquet row group is written
STAGES = ("read", "extract", "fingerprint", "write")


def process_file(
    source: str, out: Path, *, filters: Filters | None = None, max_bytes: int = 10_000_000
) -> dict[str, Any]:
    """Read one WARC file or URL into OUT/parts/NAME.parquet, then write OUT/done/NAME.json.

    Returns the marker: source, part name, status ("ok" or "failed"), error, the record
    counts and the seconds spent per stage (read, extract, fingerprint, write)."""
    name = part_name(source)
    final = out / PARTS / f"{name}.parquet"
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = final.with_name(f".{final.name}.{os.getpid()}.tmp")
    counts: Counter[str] = Counter()
    seconds = dict.fromkeys(STAGES, 0.0)
    error: str | None = None
    buffer: list[dict[str, Any]] = []
    with pq.ParquetWriter(tmp, SCHEMA, compression="zstd") as writer:
        pages = iter_pages(source, counts, filters=filters, max_bytes=max_bytes)
        try:
            while True:
                started = time.perf_counter()
                page = next(pages, None)
                seconds["read"] += time.perf_counter() - started
                if page is None:
                    break
                row = page_row(page, filters, counts, seconds)
                if row is not None:
                    buffer.append(row)
                if len(buffer) >= BATCH_ROWS:
                    _flush(writer, buffer, seconds)
        except ScraperError as exc:  # damaged or unreachable input: keep what was read
            error = str(exc)
        except Exception as exc:  # a bug must cost this file only, and be reported
            log.exception("batch: %s failed", source)
            error = f"{type(exc).__name__}: {exc}"
        _flush(writer, buffer, seconds)
    os.replace(tmp, final)
    marker = {
        "source": source,
        "part": final.name,
        "status": "failed" if error else "ok",
        "error": error,
        "counts": dict(counts),
        "seconds": {k: round(v, 4) for k, v in seconds.items()},
    }
    write_marker(out / DONE / f"{name}.json", marker)
    return marker


def page_row(
    page: WarcPage, filters: Filters | None, counts: Counter[str], seconds: dict[str, float]
) -> dict[str, Any] | None:
    """The Parquet row of one page, or None (counted) when it is no wanted article."""
    started = time.perf_counter()
    article = page_record(page)
    seconds["extract"] += time.perf_counter() - started
    if article.page_type != "article":
        counts["not_article"] += 1
        return None
    if filters and filters.active and not filters.wants_record(article, page.fetched_at):
        counts["filtered"] += 1
        return None
    started = time.perf_counter()
    prepared = Prepared.of(article, page.url, page.final_url)
    seconds["fingerprint"] += time.perf_counter() - started
    counts["articles"] += 1
    return to_row(
        {
            **article.to_dict(),
            "fetched_at": page.fetched_at,
            "key": prepared.key,
            "simhash": prepared.row["simhash"],
            "http_status": page.status,
            "content_type": page.content_type,
            "warc_file": page.warc_file,
            "warc_offset": page.offset,
            "warc_record_id": page.record_id,
        }
    )


def _flush(
    writer: pq.ParquetWriter, buffer: list[dict[str, Any]], seconds: dict[str, float]
) -> None:
    """Write the buffered rows as one row group and empty the buffer."""
    if not buffer:
        return
    started = time.perf_counter()
    writer.write_table(pa.Table.from_pylist(buffer, schema=SCHEMA))
    buffer.clear()
    seconds["write"] += time.perf_counter() - started

"""`load DIR --db`: a batch dataset into the SQLite store, with the dataset's duplicate_of.

Rows go through Store.save like fetched pages (aliases, revisions, authors, full text), file
by file, so memory holds one part at a time. A story captured more than once is saved in
(fetched_at, url) order after the others, so its latest capture is its stored version
and its revisions come in capture order, whatever the order of the files. Then each
loaded story gets the duplicate_of the dedup stage computed over the whole dataset (the
store's rule, replayed in the same order; see dedup.py). When the database held stories
before the load, the duplicates of the loaded stories are then decided again over the whole
database (scraper.store.resolve_duplicates), since the dataset's dedup did not see those.
A capture already in the database (same URL and capture time) is not saved again.

The dataset holds records, not raw pages: the fetches rows carry the WARC's HTTP status
and Content-Type, and the raw archive gets an empty body (warc_file and warc_offset in the
Parquet name the capture, for whoever needs its HTML).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from scraper.article import Article, AuthorBio
from scraper.batch.dataset import dataset_files, from_row, iter_rows
from scraper.batch.dedup import ORDER
from scraper.errors import ScraperError
from scraper.store import Store, imported_capture, resolve_duplicates


@dataclass(frozen=True)
class LoadedPage:
    """A dataset row as the store's FetchLike: the capture, without its raw HTML."""

    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    content: bytes
    content_type: str | None
    fetched_at: str
    etag: str | None = None
    last_modified: str | None = None
    elapsed: float = 0.0
    redirects: tuple[str, ...] = ()
    attempts: int = 1


def load_dataset(path: Path, store: Store) -> dict[str, int]:
    """Save every row of the dataset at path (a --out folder or a folder of Parquet files);
    returns counts by save status, plus "rows", "files" and "duplicate_of" (stories whose
    duplicate_of the dataset set)."""
    files = dataset_files(path)
    if not files:
        raise ScraperError(f"no Parquet files in {path} (expected a `warc --out` folder)")
    repeated = repeated_keys(files)
    counts: Counter[str] = Counter(files=len(files))
    loaded = _Loaded(store, counts, _max_id(store))
    later: dict[int, list[int]] = {}  # file number -> rows of stories captured repeatedly
    for number, file in enumerate(files):
        for i, row in enumerate(iter_rows(file)):
            if row["key"] in repeated:
                later.setdefault(number, []).append(i)
            else:
                loaded.save(row)
    if later:  # held as Arrow (compact), sorted into capture order, then saved
        taken = [
            pq.read_table(files[n]).take(pa.array(rows, pa.int64())) for n, rows in later.items()
        ]
        table = pa.concat_tables(taken)
        for row in _rows(table.take(pc.sort_indices(table, [(k, "ascending") for k in ORDER]))):
            loaded.save(row)
    counts["duplicate_of"] = apply_duplicates(store, loaded.story, loaded.dup_of, loaded.before)
    if loaded.before:  # the dataset's dedup did not see the stories stored before the load
        counts["resolved"] = resolve_duplicates(store, set(loaded.story.values()))
    return dict(counts)


class _Loaded:
    """The stories saved so far: story key -> article id, and the dataset's duplicate_of."""

    def __init__(self, store: Store, counts: Counter[str], before: int) -> None:
        self.store, self.counts, self.before = store, counts, before
        self.story: dict[str, int] = {}
        self.dup_of: dict[str, str | None] = {}

    def save(self, row: dict[str, Any]) -> None:
        """One row through Store.save, like a fetched page."""
        record = from_row(row)
        self.counts["rows"] += 1
        seen, article_id = imported_capture(self.store, record["source"], record["fetched_at"])
        if seen:  # this capture was loaded or imported before: nothing is stored twice
            self.counts["imported"] += 1
            if article_id is not None:
                self.story[record["key"]] = article_id
                self.dup_of[record["key"]] = record.get("duplicate_of")
            return
        page = LoadedPage(
            url=record["source"] or record["url"],
            final_url=record["url"] or record["source"],
            status=int(record.get("http_status") or 200),
            headers={"content-type": record["content_type"]} if record.get("content_type") else {},
            content=b"",
            content_type=record.get("content_type"),
            fetched_at=record["fetched_at"],
        )
        outcome = self.store.save(to_article(record), page)
        self.counts[outcome.status] += 1
        if outcome.article_id is not None:
            self.story[record["key"]] = outcome.article_id
            self.dup_of[record["key"]] = record.get("duplicate_of")


def _rows(table: pa.Table) -> Iterator[dict[str, Any]]:
    for batch in table.to_batches(max_chunksize=1024):
        yield from batch.to_pylist()


def repeated_keys(files: Sequence[Path]) -> set[str]:
    """Story keys with more than one capture in the dataset."""
    chunks = [
        chunk
        for f in files
        for chunk in pq.read_table(f, columns=["key"])["key"].cast(pa.string()).chunks
    ]
    keys = pa.chunked_array(chunks, type=pa.string())
    counts = pc.value_counts(keys)
    many = pc.filter(counts.field("values"), pc.greater(counts.field("counts"), 1))
    return {k for k in many.to_pylist() if k is not None}


def to_article(record: dict[str, Any]) -> Article:
    """The Article a dataset row was made from (body, word count and hash are derived)."""
    return Article(
        source=record["source"],
        url=record["url"],
        canonical_url=record["canonical_url"],
        page_type=record["page_type"] or "article",
        headline=record["headline"],
        byline=record["byline"],
        authors=tuple(record["authors"]),
        published=record["published"],
        modified=record["modified"],
        paragraphs=tuple(record["paragraphs"]),
        author_bios=tuple(AuthorBio(**bio) for bio in record["author_bios"]),
        language=record["language"],
        site_name=record["site_name"],
        description=record["description"],
        section=record["section"],
        tags=tuple(record["tags"]),
        image=record["image"],
        provenance=record["provenance"],
        error=record["error"],
    )


def _max_id(store: Store) -> int:
    """The largest article id before the load: stories above it are this load's."""
    return int(store.conn.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()[0])


def apply_duplicates(
    store: Store, story: dict[str, int], dup_of: dict[str, str | None], before: int
) -> int:
    """Set duplicate_of of every loaded story from the dataset; returns how many are copies."""
    updates: list[tuple[int | None, int]] = []
    for key, article_id in story.items():
        if article_id <= before:
            continue  # stored before the load: resolve_duplicates decides it
        target = dup_of.get(key)
        survivor = story.get(target) if target else None
        if target and survivor is None:
            survivor = store.article_id(target)
        updates.append((survivor, article_id))
    conn = store.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.executemany("UPDATE articles SET duplicate_of = ? WHERE id = ?", updates)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return sum(1 for s, _ in updates if s is not None)

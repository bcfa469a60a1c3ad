"""SQLite storage: one transaction per page, deduplicated, with revisions and the raw archive.

The schema lives in schema.sql (its header holds the design decisions); this module applies
it and is the only one importing sqlite-utils. rows.py turns records into rows,
writes.py holds the SQL of one page's writes, export.py reads them back out
(records, search, stats, the raw archive, WARC, diffs).
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from sqlite_utils import Database

from scraper.article import Article
from scraper.errors import FetchError, StoreError
from scraper.store import export as _export
from scraper.store import writes
from scraper.store.rows import FetchLike, Prepared, charset, host, raw_row, unique
from scraper.store.writes import Status
from scraper.urls import normalize_url

# scraper/schema.sql links to the top-level schema.sql, so a checkout and an installed wheel
# (which holds a copy) both find it.
SCHEMA_PATH = Path(__file__).parent / "schema.sql"
# version -> SQL bringing a file at version - 1 up to version (ALTER TABLE ...). schema.sql
# always describes the newest layout, so a new file never runs these.
# Version 2 added the crawl frontier and runs tables: new tables need no migration, since the
# whole of schema.sql (CREATE ... IF NOT EXISTS) runs after the migrations.
MIGRATIONS: dict[int, str] = {}
log = logging.getLogger(__name__)
BUSY_TIMEOUT = 30.0  # seconds a writer waits for another process's transaction


class Extractor(Protocol):
    """What reextract calls: scraper.extract.extract's signature."""

    def __call__(
        self, html: bytes, url: str, *, encoding: str | None, now: datetime, source: str
    ) -> Article: ...


@dataclass(frozen=True)
class SaveOutcome:
    """What save() did with a page, for the caller's summary."""

    article_id: int | None
    status: Status
    duplicate_of: int | None = None  # id of the first copy when status is "duplicate"
    fetch_id: int | None = None


@contextmanager
def store_errors() -> Iterator[None]:
    """Turn SQLite's operational failures into a StoreError that says what happened."""
    try:
        yield
    except sqlite3.IntegrityError:
        raise  # a bug in this package, not a condition of the disk
    except sqlite3.DatabaseError as exc:
        text = str(exc).lower()
        if "full" in text:
            message = "database or disk is full; nothing of this page was written"
        elif "readonly" in text or "read-only" in text:
            message = "database is read-only; nothing of this page was written"
        elif "locked" in text or "busy" in text:
            message = "database stayed locked by another writer past the busy timeout"
        else:
            message = f"database error: {exc}"
        raise StoreError(message) from exc


class Store:
    """The news database: save fetched pages, look stories up, read them out."""

    def __init__(
        self, path: str | Path | Database = "news.db", *, busy_timeout: float = BUSY_TIMEOUT
    ) -> None:
        with store_errors():
            self.db = path if isinstance(path, Database) else Database(path)
            self.conn = conn = self.db.conn
            conn.isolation_level = None  # transactions are explicit: BEGIN IMMEDIATE ... COMMIT
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
            conn.execute("PRAGMA foreign_keys = ON")
            self._apply_schema()
            if conn.execute("PRAGMA journal_mode").fetchone()[0] not in ("wal", "memory"):
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            # 64 MB of page cache (the default is 2 MB): the indexes an insert touches (URL
            # aliases, SimHash bands, full text) stay in memory as the database grows.
            conn.execute("PRAGMA cache_size = -65536")

    @classmethod
    def memory(cls) -> Store:
        """A throwaway in-memory store, for tests."""
        return cls(Database(memory=True))

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection (an unfinished transaction is rolled back by SQLite)."""
        self.db.close()

    def _apply_schema(self) -> None:
        """Create or upgrade the tables; write nothing when the file is current (read-only ok)."""
        script = SCHEMA_PATH.read_text(encoding="utf-8")
        match = re.search(r"PRAGMA\s+user_version\s*=\s*(\d+)", script)
        target = int(match.group(1)) if match else 0
        current = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if current == target:
            return
        if current > target:
            raise StoreError(f"database schema v{current} is newer than this program's v{target}")
        upgrades = "".join(MIGRATIONS.get(v, "") for v in range(current + 1, target + 1))
        # executescript commits first, so the transaction is part of the script itself.
        try:
            self.conn.executescript(
                f"BEGIN IMMEDIATE;\n{upgrades if current else ''}\n{script}\nCOMMIT;"
            )
        except sqlite3.OperationalError:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            # Another process may have upgraded the file while we waited: that is fine.
            if self.conn.execute("PRAGMA user_version").fetchone()[0] != target:
                raise

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, locked before the first read so two writers can't both
        decide a story is new."""
        conn = self.conn
        # Not sqlite-utils' db.atomic(): its plain BEGIN takes the write lock only at the
        # first write, and a reader that must upgrade to writer in WAL mode gets SQLITE_BUSY
        # at once, without waiting out busy_timeout.
        with store_errors():
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    # -- writing ---------------------------------------------------------------------------

    def save(
        self, article: Article, fetch: FetchLike, prepared: Prepared | None = None
    ) -> SaveOutcome:
        """Store a fetched page and its record: fetch, raw, story, authors, revision, indexes.

        prepared is Prepared.of(article, fetch.url, fetch.final_url) when the caller computed it
        already (the crawler does, in its workers, so the single writer only writes)."""
        raw = raw_row(fetch)
        if article.page_type != "article":
            prepared = None
        elif prepared is None:
            prepared = Prepared.of(article, fetch.url, fetch.final_url)
        with self._transaction() as conn:
            fetch_id = writes.insert_fetch(conn, fetch, "not_article")
            conn.execute(
                "INSERT INTO raw_responses (fetch_id, status, headers, body, size)"
                " VALUES (?, ?, ?, ?, ?)",
                (fetch_id, *raw),
            )
            if prepared is None:
                return SaveOutcome(None, "not_article", None, fetch_id)
            outcome = self._save_article(conn, prepared, fetch_id, fetch.fetched_at)
            conn.execute(
                "UPDATE fetches SET outcome = ?, article_id = ? WHERE id = ?",
                (outcome.status, outcome.article_id, fetch_id),
            )
        return outcome

    def record_not_modified(self, fetch: FetchLike) -> int | None:
        """A 304: log the fetch and move the story's last_seen; returns its id if known."""
        keys = unique([normalize_url(fetch.url), normalize_url(fetch.final_url or fetch.url)])
        with self._transaction() as conn:
            article_id = writes.find_alias(conn, keys)
            writes.insert_fetch(conn, fetch, "not_modified", article_id=article_id)
            if article_id is not None:
                conn.execute(
                    "UPDATE articles SET last_seen = max(last_seen, ?) WHERE id = ?",
                    (fetch.fetched_at, article_id),
                )
        return article_id

    def record_fetch_error(self, url: str, error: FetchError, fetched_at: str) -> int:
        """Log a failed fetch with its reason, so stats and later runs can see it; a page
        declined on purpose (not HTML, too large) is logged as skipped, not as an error."""
        reason = f"{type(error).__name__}: {error.reason}"
        outcome = "skipped" if error.skipped else "error"
        with self._transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO fetches (url, site, status, outcome, error, fetched_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (url, host(url), error.status, outcome, reason, fetched_at),
            )
            return int(cursor.lastrowid or 0)

    def _save_article(
        self, conn: sqlite3.Connection, p: Prepared, fetch_id: int, fetched_at: str
    ) -> SaveOutcome:
        """Insert a new story or update the known one; the caller holds the transaction."""
        article_id = writes.find_alias(conn, p.lookup_keys)
        if article_id is not None:
            status = writes.update_article(conn, article_id, p, fetch_id, fetched_at)
            known = conn.execute("SELECT duplicate_of FROM articles WHERE id = ?", (article_id,))
            return SaveOutcome(article_id, status, known.fetchone()[0], fetch_id)
        duplicate_of = writes.find_duplicate(conn, p)
        row = {
            **p.row,
            "canonical_url": p.key,
            "duplicate_of": duplicate_of,
            "first_seen": fetched_at,
            "last_seen": fetched_at,
            "fetched_at": fetched_at,
            "fetch_id": fetch_id,
        }
        cursor = conn.execute(
            f"INSERT INTO articles ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
            tuple(row.values()),
        )
        article_id = int(cursor.lastrowid or 0)
        writes.add_aliases(conn, article_id, p)
        writes.write_derived(conn, article_id, p)
        writes.add_revision(conn, article_id, p, fetch_id, fetched_at)
        return SaveOutcome(
            article_id, "duplicate" if duplicate_of else "new", duplicate_of, fetch_id
        )

    def reextract(self, extract_fn: Extractor) -> dict[str, int]:
        """Rebuild every record from the archived response it was made from with the given
        extractor (scraper.extract.extract fits), given the page's charset and its fetch time
        as "now"; pages that made no story are read again from their newest response.

        Stories are updated in place (their latest revision too: the page did not change,
        the extractor did); one transaction per page; a page that is no longer an article
        is counted, and its stored story kept, and so is a story loaded from a batch dataset
        (no raw HTML kept). With an unchanged extractor every record comes back as it was."""
        counts = dict.fromkeys(
            (
                "pages",
                "new",
                "duplicate",
                "updated",
                "unchanged",
                "not_article",
                "no_raw",
                "errors",
            ),
            0,
        )
        for fetch_id in _reextract_ids(self.conn):
            page = _export.raw_page(self.conn, fetch_id)
            if page is None:
                continue
            url, row, headers, body = page
            counts["pages"] += 1
            if not body:  # a record loaded from a dataset keeps no HTML: nothing to read again
                counts["no_raw"] += 1
                continue
            try:
                now = datetime.fromisoformat(row["fetched_at"].replace("Z", "+00:00"))
                article = extract_fn(
                    body, url, encoding=charset(headers), now=now, source=row["url"]
                )
            except Exception as exc:  # one bad page must not stop the rebuild of an archive
                log.warning("reextract: %s failed: %r", url, exc)
                counts["errors"] += 1
                continue
            if article.page_type != "article":
                counts["not_article"] += 1
                continue
            p = Prepared.of(article, row["url"], row["final_url"])
            with self._transaction() as conn:
                article_id = row["article_id"] or writes.find_alias(conn, p.lookup_keys)
                if article_id is None:
                    outcome = self._save_article(conn, p, fetch_id, row["fetched_at"])
                    article_id, status = outcome.article_id, outcome.status
                else:
                    writes.add_aliases(conn, article_id, p)
                    status = writes.replace_in_place(conn, article_id, p)
                conn.execute(
                    "UPDATE fetches SET article_id = ? WHERE id = ?", (article_id, fetch_id)
                )
            counts[status] += 1
        return counts

    # -- reading ---------------------------------------------------------------------------

    def validators(self, url: str) -> tuple[str | None, str | None] | None:
        """(ETag, Last-Modified) of the latest good fetch of url, for a conditional GET."""
        row = self.conn.execute(
            "SELECT etag, last_modified FROM fetches WHERE url = ? AND outcome != 'error'"
            " AND (status = 200 OR etag IS NOT NULL OR last_modified IS NOT NULL)"
            " ORDER BY id DESC LIMIT 1",
            (url,),
        ).fetchone()
        if row is None or (row[0] is None and row[1] is None):
            return None
        return row[0], row[1]

    def article_id(self, url: str) -> int | None:
        """The story a URL is known as (any alias, AMP or not), if stored."""
        keys = unique([normalize_url(url), normalize_url(url, drop_amp=True)])
        return writes.find_alias(self.conn, keys)

    def history(self, url: str) -> list[dict[str, Any]]:
        """Every stored version of the story at url, oldest first ([] when unknown)."""
        article_id = self.article_id(url)
        if article_id is None:
            return []
        cursor = self.conn.execute(
            "SELECT id, fetched_at, headline, body, content_hash FROM revisions"
            " WHERE article_id = ? ORDER BY id",
            (article_id,),
        )
        return list(_export.dicts(cursor))

    def export(
        self, since: str | None = None, site: str | None = None, include_duplicates: bool = False
    ) -> Iterator[dict[str, Any]]:
        """Records as extract prints them, plus fetched_at and duplicate_of (first copy's URL).

        since is compared with fetched_at (when the stored version was fetched), so a daily
        export with since=yesterday gets the new and the changed stories."""
        return _export.records(self.conn, since, site, include_duplicates)

    def search(
        self, query: str, limit: int = 20, include_duplicates: bool = False
    ) -> list[dict[str, Any]]:
        """Best full-text matches of headline and body, each with a snippet."""
        with store_errors():
            return _export.search(self.conn, query, limit, include_duplicates)

    def stats(self) -> dict[str, dict[str, Any]]:
        """Per site: stories, duplicates, field coverage, fetch errors."""
        return _export.stats(self.conn)

    def raw_pages(self) -> Iterator[tuple[str, dict[str, Any], dict[str, str], bytes]]:
        """Each page's newest archived response: (url, fetch row, headers, body)."""
        for fetch_id in _export.raw_fetch_ids(self.conn, latest_only=True):
            if (page := _export.raw_page(self.conn, fetch_id)) is not None:
                yield page

    def export_warc(self, path: str | Path) -> int:
        """Write every archived response to a WARC 1.1 file; returns the record count."""
        ids = _export.raw_fetch_ids(self.conn, latest_only=False)
        pages = (page for i in ids if (page := _export.raw_page(self.conn, i)) is not None)
        return _export.write_warc(pages, path)


def _reextract_ids(conn: sqlite3.Connection) -> list[int]:
    """Fetch ids to re-extract, oldest first: each story's own response (articles.fetch_id,
    the one its fields came from), and each page's newest response if no story came of it.

    Not simply each page's newest response: a later copy of a story under another URL (a
    tracking query, other letter case, a trailing slash) left the story as it was, so
    rebuilding from that copy would rewrite the story's url and source."""
    own = {
        row[0]
        for row in conn.execute(
            "SELECT a.fetch_id FROM articles a JOIN raw_responses r ON r.fetch_id = a.fetch_id"
        )
    }
    # SQLite takes a bare column (article_id) from the row holding the max().
    newest = conn.execute(
        "SELECT max(f.id), f.article_id FROM fetches f JOIN raw_responses r ON r.fetch_id = f.id"
        " GROUP BY coalesce(f.final_url, f.url)"
    )
    return sorted(own | {fetch_id for fetch_id, article_id in newest if article_id is None})

"""The crawl frontier and the run log, kept in the news database so a crawl survives kill -9.

Every URL the crawler knows is one row, keyed by its normalised spelling (tracking parameters
and the AMP suffix dropped, so copies meet), moving queued -> claimed -> done | failed |
skipped. A new run first puts back what a killed run left claimed (or marks it done when
the fetches table shows the page was saved), then requeues what has come due: known pages
on a revisit schedule, and the seeds, sitemaps and feeds unless this run resumes an
interrupted one. Which queued row of a host goes next is priority.py's to say (article-like
and newest first, URL-template budgets from patterns.py, sitemaps alternating with pages).
Main thread only: it shares the Store's single sqlite3 connection.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import UTC, datetime, timedelta
from typing import Any

from scraper.crawl.patterns import verdict
from scraper.crawl.priority import TIER_DISCOVERY, TIER_NEW, TIER_REVISIT, TIER_SEED, Picker
from scraper.crawl.scope import url_site
from scraper.store import dicts
from scraper.urls import host_port, is_amp_url, normalize_url, without_tracking

# Revisit schedule in days: from the first value, doubling while unchanged, up to the cap.
ARTICLE_DAYS = (1.0, 30.0)
LISTING_DAYS = (1 / 24, 0.5)  # listings change as stories are published
RETRY_DAYS = {True: 1 / 24, False: 1.0}  # after a transient / a lasting failure
MAX_FAILURES = 3  # consecutive failures before a URL is given up
# Seeds, sitemaps and feeds read longer ago than this are read again even by a resumed run.
DISCOVERY_MAX_AGE = timedelta(hours=1)
ARTICLE_OUTCOMES = frozenset({"new", "updated", "unchanged", "duplicate"})


def utc(moment: datetime) -> str:
    """A timestamp as the database keeps them: ISO 8601 UTC to the second."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def url_key(url: str) -> str:
    """The frontier's dedup key: tracking parameters, fragment and AMP suffix gone."""
    return normalize_url(url, drop_amp=True)


@dataclass(frozen=True)
class Entry:
    """A URL to put in the frontier, with what its source said about it. Built by workers
    with Entry.of, so the URL work (normalising, scoping) stays off the writer thread."""

    url: str
    key: str
    host: str
    site: str
    kind: str = "page"  # page | sitemap | feed
    source: str = "page"  # seed | page | sitemap | news-sitemap | feed | robots | guess
    depth: int = 0
    tier: int = TIER_NEW
    score: float = 0.0
    published: str | None = None
    lastmod: str | None = None
    skip: str | None = None  # stored as skipped for this reason (e.g. "depth")
    via: str | None = None  # URL template of the page that linked here (credited if article)

    @classmethod
    def of(cls, url: str, **hints: Any) -> Entry:
        """An entry for url with its key, host and site worked out."""
        url = without_tracking(url)
        return cls(url, url_key(url), host_port(url), url_site(url) or "", **hints)


@dataclass(frozen=True)
class Row:
    """A frontier row as the scheduler uses it."""

    id: int
    url: str
    fetch_url: str
    host: str
    kind: str
    source: str
    depth: int
    page_type: str | None
    interval: float | None
    failures: int
    etag: str | None
    last_modified: str | None
    discovered_at: str


_ROW_COLUMNS = ", ".join(f.name for f in fields(Row))


class RunBusy(Exception):
    """Another live crawl process is using this database."""


class Frontier:
    """Queue, schedule and run log of the crawler, over one sqlite3 connection."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        strategy: str = "articles",
    ) -> None:
        self.conn = conn
        self.clock = clock
        self.run_id: int | None = None
        self.started = utc(clock())
        conn.create_function("is_amp_url", 1, is_amp_url, deterministic=True)
        # The order of the queue and the URL-template budgets (priority.py, patterns.py).
        self.picker = Picker(conn, _ROW_COLUMNS, clock, strategy)

    @contextmanager
    def batch(self) -> Iterator[sqlite3.Connection]:
        """One write transaction around everything inside (nested calls join it)."""
        if self.conn.in_transaction:
            yield self.conn
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise

    # -- runs ---------------------------------------------------------------------------------

    def start_run(
        self, seeds: Iterable[str], options: dict[str, Any], max_depth: int | None = None
    ) -> int:
        """Record a new run and get the queue ready: recover, requeue what is due, add seeds."""
        seeds = list(seeds)
        now = utc(self.clock())
        self.started = now
        with self.batch() as conn:
            self._close_dead_runs(conn)
            resumed_after = conn.execute(
                "SELECT max(ended_at) FROM crawl_runs WHERE status = 'finished'"
            ).fetchone()[0]
            cursor = conn.execute(
                "INSERT INTO crawl_runs (started_at, status, pid, seeds, options)"
                " VALUES (?, 'running', ?, ?, ?)",
                (now, os.getpid(), json.dumps(seeds), json.dumps(options, default=str)),
            )
            self.run_id = int(cursor.lastrowid or 0)
            self.picker.new_run()
            self._recover(conn)
            conn.execute(
                "UPDATE frontier SET state = 'queued', tier = CASE WHEN page_type IS NULL"
                f" THEN {TIER_NEW} ELSE {TIER_REVISIT} END"
                " WHERE state IN ('done', 'failed') AND kind = 'page' AND due_at <= ?",
                (now,),
            )
            # Discovery roots come due after a finished run, or when read long enough ago.
            stale = utc(self.clock() - DISCOVERY_MAX_AGE)
            conn.execute(
                f"UPDATE frontier SET state = 'queued', tier = {TIER_DISCOVERY}"
                " WHERE state IN ('done', 'failed') AND failures < ?"
                " AND (kind = 'feed' OR (kind = 'sitemap' AND depth = 0))"
                " AND (fetched_at <= ? OR fetched_at < ?)",
                (MAX_FAILURES, resumed_after or "", stale),
            )
            # Skips are this run's to judge again: robots.txt and scope may have changed.
            conn.execute(
                "UPDATE frontier SET state = 'queued' WHERE state = 'skipped'"
                " AND (outcome != 'depth' OR ? IS NULL OR depth <= ?)",
                (max_depth, max_depth),
            )
        seed_entries = [Entry.of(s, source="seed", tier=TIER_SEED) for s in seeds]
        self.enqueue(seed_entries)
        with self.batch() as conn:
            keys = [url_key(s) for s in seeds]
            conn.executemany(
                f"UPDATE frontier SET state = 'queued', tier = {TIER_SEED}, source = 'seed'"
                " WHERE url = ? AND state IN ('done', 'failed') AND failures < ?"
                " AND (fetched_at <= ? OR fetched_at < ?)",
                [(k, MAX_FAILURES, resumed_after or "", stale) for k in keys],
            )
        return self.run_id

    def _close_dead_runs(self, conn: sqlite3.Connection) -> None:
        """Refuse to share the queue with a live crawl; mark the dead ones killed."""
        for run_id, pid in conn.execute(
            "SELECT id, pid FROM crawl_runs WHERE status = 'running'"
        ).fetchall():
            if pid and pid != os.getpid() and _alive(pid):
                raise RunBusy(f"crawl run {run_id} (pid {pid}) is still using this database")
            conn.execute("UPDATE crawl_runs SET status = 'killed' WHERE id = ?", (run_id,))

    def _recover(self, conn: sqlite3.Connection) -> None:
        """Rows a killed run left claimed: done if the store saved the page, else queued."""
        claimed = conn.execute(
            f"SELECT {_ROW_COLUMNS}, claimed_at FROM frontier WHERE state = 'claimed'"
        ).fetchall()
        for values in claimed:
            row, claimed_at = Row(*values[:-1]), values[-1]
            saved = None
            if row.kind == "page" and claimed_at:
                saved = conn.execute(
                    "SELECT outcome FROM fetches WHERE url = ? AND fetched_at >= ?"
                    " ORDER BY id DESC LIMIT 1",
                    (row.fetch_url, claimed_at),
                ).fetchone()
            if saved is None:
                conn.execute("UPDATE frontier SET state = 'queued' WHERE id = ?", (row.id,))
            else:
                self.complete(row, saved[0], transient=True)  # an error: retry soon

    def update_counts(self, counts: dict[str, int]) -> None:
        """Save the running counts, so even a killed run leaves them behind."""
        self.conn.execute(
            "UPDATE crawl_runs SET counts = ? WHERE id = ?", (json.dumps(counts), self.run_id)
        )

    def end_run(self, counts: dict[str, int], status: str, exit_code: int) -> None:
        """Close the run record: end time, counts by outcome, status and exit code."""
        self.conn.execute(
            "UPDATE crawl_runs SET ended_at = ?, counts = ?, status = ?, exit_code = ?"
            " WHERE id = ?",
            (utc(self.clock()), json.dumps(counts), status, exit_code, self.run_id),
        )

    # -- the queue ----------------------------------------------------------------------------

    def enqueue(self, entries: Iterable[Entry]) -> set[str]:
        """Add URLs (dedup by key, keeping the best hints); returns the hosts given work."""
        now = utc(self.clock())
        rows, hosts = [], set()
        for e in entries:
            if not self.picker.admit(e):
                continue
            state = "skipped" if e.skip else "queued"
            rows.append((e.key, e.url, e.host, e.site, e.kind, e.source, e.depth, e.tier,
                         e.score, e.published, e.lastmod, state, e.skip, now))  # fmt: skip
            if not e.skip:
                hosts.add(e.host)
        if not rows:
            return hosts
        with self.batch() as conn:
            conn.executemany(_UPSERT, [(*r, self.started) for r in rows])
        return hosts

    def mark_done(self, urls: Iterable[str], outcome: str = "alias") -> None:
        """URLs answered by a page already fetched (redirect source, canonical): never fetch."""
        now = utc(self.clock())
        rows = [(url_key(u), u, host_port(u), url_site(u) or "", outcome, now, now) for u in urls]
        with self.batch() as conn:
            conn.executemany(
                "INSERT INTO frontier (url, fetch_url, host, site, kind, source, depth, tier,"
                " score, state, outcome, fetched_at, discovered_at)"
                f" VALUES (?, ?, ?, ?, 'page', 'alias', 0, {TIER_NEW}, 0, 'done', ?, ?, ?)"
                " ON CONFLICT (url) DO UPDATE SET state = 'done', outcome = excluded.outcome"
                " WHERE state = 'queued'",
                rows,
            )

    def hosts_with_work(self) -> list[tuple[str, str, str]]:
        """(host, site, one of its queued URLs) of every host that has queued rows."""
        return self.conn.execute(
            "SELECT host, site, fetch_url FROM frontier WHERE state = 'queued' GROUP BY host"
        ).fetchall()

    def next_for(self, host: str) -> Row | None:
        """The best queued row of a host (see priority.py): article-like and newest first,
        templates within budget, sitemaps alternating with pages."""
        found = self.picker.next_for(host)
        return Row(*found) if found else None

    def claim(self, row: Row) -> None:
        """Mark a row in progress by this run."""
        self.picker.claimed(row.host, row.kind)
        self.conn.execute(
            "UPDATE frontier SET state = 'claimed', run_id = ?, claimed_at = ? WHERE id = ?",
            (self.run_id, utc(self.clock()), row.id),
        )

    def release(self, row: Row) -> None:
        """Put an unfinished row back in the queue (the run is stopping)."""
        self.conn.execute("UPDATE frontier SET state = 'queued' WHERE id = ?", (row.id,))

    def release_all(self) -> None:
        """Put every row this run still holds back in the queue."""
        self.conn.execute(
            "UPDATE frontier SET state = 'queued' WHERE state = 'claimed' AND run_id = ?",
            (self.run_id,),
        )

    def skip(self, row: Row, reason: str) -> None:
        """Not fetched this run (robots.txt, scope, depth); judged again by the next run."""
        self.conn.execute(
            "UPDATE frontier SET state = 'skipped', outcome = ? WHERE id = ?", (reason, row.id)
        )

    def complete(
        self,
        row: Row,
        outcome: str,
        *,
        transient: bool = False,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> None:
        """Record a fetch's outcome and schedule the next visit."""
        now = self.clock()
        state, failures, interval, page_type = "done", 0, row.interval, row.page_type
        if outcome == "skipped":  # declined for good (not HTML, too large): never again
            interval = None
        elif outcome == "error":
            failures = row.failures + 1
            state, interval = "failed", RETRY_DAYS[transient]
            if failures >= MAX_FAILURES:
                interval = None
        elif row.kind != "page":
            interval = None
        else:
            if outcome in ARTICLE_OUTCOMES:
                page_type = "article"
            elif outcome == "not_article":
                page_type = "listing"
            first, cap = ARTICLE_DAYS if page_type == "article" else LISTING_DAYS
            if outcome in ("unchanged", "not_modified") and interval:
                interval = min(max(interval * 2, first), cap)
            else:
                interval = first
        due = utc(now + timedelta(days=interval)) if interval else None
        with self.batch() as conn:
            self.picker.charge(row, verdict(outcome, transient))
            conn.execute(
                "UPDATE frontier SET state = ?, outcome = ?, fetched_at = ?, due_at = ?,"
                " interval = ?, failures = ?, page_type = ?, run_id = ?,"
                " etag = coalesce(?, etag), last_modified = coalesce(?, last_modified)"
                " WHERE id = ?",
                (state, outcome, utc(now), due, interval, failures, page_type, self.run_id,
                 etag, last_modified, row.id),
            )  # fmt: skip

    def queued(self) -> int:
        """How many rows wait in the queue (all sites)."""
        return int(
            self.conn.execute("SELECT count(*) FROM frontier WHERE state = 'queued'").fetchone()[0]
        )


# A row known already keeps its state, except: a page met again at a lesser depth may come
# out of a depth skip, and a child sitemap whose lastmod moved (or is unknown) is read again
# unless this run read it already. Hints only ever improve, and a queued row takes the clean
# spelling of its URL (no tracking parameters) or a non-AMP one when it turns up.
_UPSERT = f"""
INSERT INTO frontier (url, fetch_url, host, site, kind, source, depth, tier, score, published,
                      lastmod, state, outcome, discovered_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (url) DO UPDATE SET
    state = CASE
        WHEN state = 'skipped' AND outcome = 'depth' AND excluded.state = 'queued' THEN 'queued'
        WHEN kind = 'sitemap' AND depth > 0 AND state IN ('done', 'failed')
             AND fetched_at < ?15 AND failures < {MAX_FAILURES}
             AND (excluded.lastmod IS NULL OR lastmod IS NULL OR excluded.lastmod != lastmod)
             THEN 'queued'
        ELSE state END,
    depth = min(depth, excluded.depth),
    score = max(score, excluded.score),
    published = coalesce(published, excluded.published),
    lastmod = coalesce(excluded.lastmod, lastmod),
    fetch_url = CASE WHEN state = 'queued' AND (excluded.fetch_url = url OR
                      (is_amp_url(fetch_url) AND NOT is_amp_url(excluded.fetch_url)))
                      THEN excluded.fetch_url ELSE fetch_url END
"""


def _alive(pid: int) -> bool:
    """True when a process with this id exists on this machine."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def runs(conn: sqlite3.Connection, limit: int = 20) -> list[dict[str, Any]]:
    """The latest crawl runs, newest first, for `stats` ([] for a database never crawled)."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'crawl_runs'").fetchone():
        return []
    cursor = conn.execute(
        "SELECT id, started_at, ended_at, status, seeds, options, counts, exit_code"
        " FROM crawl_runs ORDER BY id DESC LIMIT ?",
        (limit,),
    )
    out = []
    for run in dicts(cursor):
        for key in ("seeds", "options", "counts"):
            run[key] = json.loads(run[key] or "null")
        out.append(run)
    return out

"""Crawls that stop and start again: kill -9, Ctrl-C and SIGTERM, and later incremental runs."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from scraper.crawl import CrawlOptions
from tests.test_crawl import (
    MakeWeb,
    articles,
    listing,
    make_web,
    page_hits,
    run,
    stored_paths,
    story,
)
from tests.web import Host, Reply

__all__ = ["make_web"]  # the fixture, imported for pytest
ROOT = Path(__file__).resolve().parents[1]


def crawl_command(seed: str, db: Path, *extra: str) -> list[str]:
    """The same command line every time, as a user or cron would repeat it."""
    return [sys.executable, str(ROOT / "scrape.py"), "crawl", seed, "--db", str(db),
            "--delay", "0", "--concurrency", "2", "--timeout", "5", *extra]  # fmt: skip


def children(pid: int) -> list[int]:
    """Live processes whose parent is pid (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def wait_for(condition: object, timeout: float = 20.0) -> None:
    """Poll until condition() is true."""
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def article_hits(host: Host) -> Counter[str]:
    """How often each article path was requested."""
    return Counter(p for p in page_hits(host) if p.startswith("/2024/"))


def query(db: Path, sql: str) -> list[tuple[object, ...]]:
    """Rows of sql on the database file."""
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


@pytest.mark.parametrize("processes", ["0", "1"])
def test_kill_9_then_the_same_command_finishes_without_fetching_twice(
    make_web: MakeWeb, tmp_path: Path, processes: str
) -> None:
    site = make_web("news")["news"]
    paths = articles(
        site, [f"/2024/05/01/story-number-{i}-of-many" for i in range(120)], delay=0.01
    )
    # Dead links (404) rank below the stories, so the resumed run is the one to meet them.
    dead = [f"/{word}/2024/05/01/a-dead-link" for word in ("one", "two", "three", "four")]
    site.page("/", listing([*paths[:60], *dead, *paths[60:]]))  # dead links: 404, both runs
    db = tmp_path / "news.db"
    command = crawl_command(site.url + "/", db, "--processes", processes)

    with subprocess.Popen(command, stderr=subprocess.PIPE) as proc:
        try:
            wait_for(lambda: sum(article_hits(site).values()) >= 30)
            helpers = children(proc.pid)  # with --processes 1: the page reader and its tracker
        finally:
            proc.kill()  # SIGKILL: no cleanup of any kind
        proc.wait(10)
    assert len(helpers) >= int(processes)
    # Nothing is left behind: the page readers notice their crawler is gone.
    wait_for(lambda: not any(Path(f"/proc/{pid}").exists() for pid in helpers), timeout=5)
    saved_before = {row[0] for row in query(db, "SELECT url FROM fetches")}
    assert 25 <= len(saved_before) < 120
    assert query(db, "SELECT status FROM crawl_runs") == [("running",)]

    again = subprocess.run(command, capture_output=True, text=True, timeout=60)

    assert again.returncode == 0, again.stderr  # completed, its dead links counted
    errors = query(db, "SELECT count(*) FROM fetches WHERE outcome = 'error'")
    assert errors == [(len(dead),)] and f"{len(dead)} error" in again.stderr, again.stderr
    assert stored_paths(db) == set(paths)
    twice = [p for p, n in article_hits(site).items() if n > 1]
    # Only pages in flight at the kill (never saved) were fetched again.
    assert len(twice) <= 2 and not {site.url + p for p in twice} & saved_before
    assert site.count("/") == 1  # a resumed run does not re-read the seed it already read
    assert query(db, "PRAGMA integrity_check") == [("ok",)]
    assert query(db, "SELECT status FROM crawl_runs ORDER BY id") == [("killed",), ("finished",)]
    assert query(db, "SELECT count(*) FROM frontier WHERE state = 'claimed'") == [(0,)]


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_and_sigterm_stop_within_seconds_with_work_saved(
    make_web: MakeWeb, tmp_path: Path, signum: int
) -> None:
    site = make_web("news")["news"]
    paths = articles(site, [f"/2024/05/01/slow-story-number-{i}" for i in range(40)], delay=0.2)
    site.page("/", listing(paths))
    db = tmp_path / "news.db"

    with subprocess.Popen(
        crawl_command(site.url + "/", db), stderr=subprocess.PIPE, text=True
    ) as proc:
        wait_for(lambda: sum(article_hits(site).values()) >= 3)
        proc.send_signal(signum)
        stopped = time.monotonic()
        _, err = proc.communicate(timeout=10)

    assert time.monotonic() - stopped < 4.0
    assert proc.returncode == 128 + signum, err
    assert "interrupted" in err
    # Every page the server answered was saved (in-flight ones finished within the grace).
    assert len(stored_paths(db)) == sum(article_hits(site).values()) < 40
    assert query(db, "SELECT status, exit_code FROM crawl_runs") == [("interrupted", 128 + signum)]
    assert query(db, "SELECT count(*) FROM frontier WHERE state = 'claimed'") == [(0,)]


def test_a_second_ctrl_c_quits_without_waiting_for_pages_in_flight(
    make_web: MakeWeb, tmp_path: Path
) -> None:
    site = make_web("news")["news"]
    # Pages far slower than the 3 s grace: only the second Ctrl-C can end the run before it.
    paths = articles(site, [f"/2024/05/01/very-slow-story-{i}" for i in range(4)], delay=20)
    site.page("/", listing(paths))
    db = tmp_path / "news.db"

    command = crawl_command(site.url + "/", db, "--timeout", "30")
    with subprocess.Popen(command, stderr=subprocess.PIPE) as proc:
        wait_for(
            lambda: sum(article_hits(site).values()) >= 1
        )  # a page is in flight (one per host)
        proc.send_signal(signal.SIGINT)
        time.sleep(0.3)
        proc.send_signal(signal.SIGINT)
        stopped = time.monotonic()
        proc.communicate(timeout=10)

    # Not the 3 s grace, nor the 20 s pages (a bound with room for a loaded machine).
    assert time.monotonic() - stopped < 2.8
    assert proc.returncode == 130
    assert query(db, "SELECT status, exit_code FROM crawl_runs") == [("interrupted", 130)]
    assert query(db, "SELECT count(*) FROM frontier WHERE state = 'claimed'") == [(0,)]


def test_a_run_days_later_fetches_new_stories_and_revalidates_known_ones(
    make_web: MakeWeb, tmp_path: Path
) -> None:
    site = make_web("news")["news"]
    known = [f"/2024/05/0{i}/known-story-number-{i}" for i in range(1, 5)]
    articles(site, known, etag='"v1"')
    head = '<link rel="alternate" type="application/rss+xml" href="/rss.xml">'
    site.feed("/rss.xml", known)
    site.page("/", listing(known[:1], head=head))
    db, start = tmp_path / "news.db", datetime.now(UTC)

    first = run([site.url + "/"], db, clock=lambda: start)
    assert first.counts["new"] == 4

    # Two days later: two new stories in the feed, and one known story corrected.
    fresh = articles(site, [f"/2024/05/0{i}/fresh-story-number-{i}" for i in (5, 6)], etag='"v1"')
    site.add(known[0], Reply(body=story("Corrected"), etag='"v2"'))
    site.feed("/rss.xml", fresh + known)
    second = run([site.url + "/"], db, clock=lambda: start + timedelta(days=2))

    assert {p: n for p, n in article_hits(site).items() if p in fresh} == dict.fromkeys(fresh, 1)
    assert (second.counts["new"], second.counts["updated"], second.counts["not_modified"]) == (
        2,
        1,
        3,
    )
    for path in known[1:]:
        revisit = site.hits(path)[-1]
        assert revisit.headers.get("if-none-match") == '"v1"' and revisit.status == 304
    (revisions,) = query(db, "SELECT count(*) FROM revisions r JOIN articles a"
                       f" ON a.id = r.article_id WHERE a.url LIKE '%{known[0]}'")  # fmt: skip
    assert revisions == (2,)  # the correction is kept beside the original

    # Two hours after that: the feed is read again, but no known story is due.
    before = article_hits(site)
    third = run([site.url + "/"], db, clock=lambda: start + timedelta(days=2, hours=2))
    assert article_hits(site) == before and third.pages == 1  # the seed page only
    assert third.counts["feeds"] == 1


def test_max_pages_stops_the_run_and_the_next_run_continues(
    make_web: MakeWeb, tmp_path: Path
) -> None:
    site = make_web("news")["news"]
    paths = articles(site, [f"/2024/05/01/paged-story-number-{i}" for i in range(10)])
    site.page("/", listing(paths))
    db = tmp_path / "news.db"

    first = run([site.url + "/"], db, CrawlOptions(delay=0.0, max_pages=4))
    assert first.pages == 4 and first.queued == 7 and first.exit_code == 0
    second = run([site.url + "/"], db, CrawlOptions(delay=0.0))
    assert stored_paths(db) == set(paths) and max(article_hits(site).values()) == 1
    assert second.counts["new"] == 7

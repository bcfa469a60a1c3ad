"""The frontier on its own: dedup keys, queue order, recovery, revisit schedule, the run log."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from scraper.crawl.frontier import (
    TIER_DISCOVERY,
    TIER_NEW,
    TIER_REVISIT,
    Entry,
    Frontier,
    Row,
    RunBusy,
    runs,
    url_key,
)
from scraper.store import Store
from tests.conftest import make_fetch

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
HOST = "http://news.test"


class Clock:
    """A settable clock."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def frontier(store: Store, clock: Clock) -> Iterator[Frontier]:
    f = Frontier(store.conn, clock=clock)
    f.start_run([], {})
    yield f


def state(f: Frontier, url: str) -> tuple[object, ...]:
    """(state, outcome, due_at, interval, failures) of a URL's row."""
    return f.conn.execute(
        "SELECT state, outcome, due_at, interval, failures FROM frontier WHERE url = ?",
        (url_key(url),),
    ).fetchone()


def take(f: Frontier, host: str = "news.test:80") -> Row:
    """Claim the host's next row."""
    row = f.next_for(host)
    assert row is not None
    f.claim(row)
    return row


def test_one_row_per_page_whatever_the_tracking_parameters_or_amp(frontier: Frontier) -> None:
    story = f"{HOST}/2024/05/01/story"
    frontier.enqueue([Entry.of(story + "/amp"), Entry.of(story + "?utm_source=x&fbclid=1")])
    frontier.enqueue([Entry.of(story + "#comments")])
    rows = frontier.conn.execute("SELECT url, fetch_url FROM frontier").fetchall()
    # The AMP copy was met first; the plain URL replaces it, fetched without the trackers.
    assert rows == [(story, story)]
    kept = Entry.of(f"{HOST}/search?q=x&utm_medium=y&page=2#top")
    assert kept.url == f"{HOST}/search?q=x&page=2"


def test_queue_order_tier_then_article_likeness_then_newest(frontier: Frontier) -> None:
    frontier.enqueue([
        Entry.of(f"{HOST}/world/", score=-2.0),
        Entry.of(f"{HOST}/a/old-story", score=3.0, published="2024-01-01"),
        Entry.of(f"{HOST}/a/new-story", score=3.0, published="2024-04-30T10:00:00+00:00"),
        Entry.of(f"{HOST}/feed.xml", kind="feed", tier=TIER_DISCOVERY),
        Entry.of(f"{HOST}/a/undated-story", score=3.0),
    ])  # fmt: skip
    order = [take(frontier).fetch_url.removeprefix(HOST) for _ in range(5)]
    # An undated link counts as new as the day it was found (NOW): after the feed, before
    # the dated stories; the listing, not article-like, comes last whatever its date.
    assert order == ["/feed.xml", "/a/undated-story", "/a/new-story", "/a/old-story", "/world/"]
    assert frontier.next_for("news.test:80") is None


def test_articles_revisit_after_a_day_doubling_while_unchanged_up_to_30_days(
    frontier: Frontier, clock: Clock
) -> None:
    url = f"{HOST}/2024/05/01/story"
    frontier.enqueue([Entry.of(url)])
    intervals = []
    for outcome in ["new", "not_modified", "unchanged", "not_modified", "not_modified",
                    "not_modified", "not_modified", "updated"]:  # fmt: skip
        frontier.complete(take(frontier), outcome)
        _, _, due, interval, _ = state(frontier, url)
        intervals.append(interval)
        assert due == (clock.now + timedelta(days=interval)).isoformat(timespec="seconds")
        clock.now += timedelta(days=interval)
        frontier.start_run([], {})  # the next run finds it due, behind new pages
        assert frontier.conn.execute("SELECT tier FROM frontier").fetchone() == (TIER_REVISIT,)
    assert intervals == [1, 2, 4, 8, 16, 30, 30, 1]


def test_listings_revisit_within_hours_and_failures_are_retried_then_given_up(
    frontier: Frontier, clock: Clock
) -> None:
    listing, broken = f"{HOST}/world/", f"{HOST}/2024/05/01/broken"
    frontier.enqueue([Entry.of(listing, score=-2), Entry.of(broken, score=3)])
    frontier.complete(take(frontier), "error", transient=True)
    frontier.complete(take(frontier), "not_article")
    assert state(frontier, listing)[3] == pytest.approx(1 / 24)
    assert state(frontier, broken)[:2] == ("failed", "error")
    clock.now += timedelta(hours=1)
    frontier.start_run([], {})
    frontier.complete(take(frontier), "error")  # a lasting failure: retried after a day
    assert state(frontier, broken)[3] == 1.0
    clock.now += timedelta(days=1)
    frontier.start_run([], {})
    frontier.complete(take(frontier), "error")
    assert state(frontier, broken)[1:] == ("error", None, None, 3)  # given up
    clock.now += timedelta(days=60)
    frontier.start_run([], {})
    assert state(frontier, broken)[0] == "failed"


def test_recovery_after_kill_requeues_unsaved_and_completes_saved(
    store: Store, clock: Clock
) -> None:
    killed = Frontier(store.conn, clock=clock)
    killed.start_run([], {})
    saved, unsaved = f"{HOST}/2024/05/01/saved", f"{HOST}/2024/05/01/unsaved"
    killed.enqueue([Entry.of(saved, score=2), Entry.of(unsaved)])
    take(killed), take(killed)
    # The store committed the first page; the kill came before the frontier heard of it.
    store.record_not_modified(make_fetch(saved, status=304, fetched_at=killed.started))
    store.conn.execute("UPDATE crawl_runs SET pid = 999999999")  # no such process

    Frontier(store.conn, clock=clock).start_run([], {})

    assert state(killed, saved)[:2] == ("done", "not_modified")
    assert state(killed, unsaved)[:2] == ("queued", None)
    assert [r["status"] for r in runs(store.conn)] == ["running", "killed"]


def test_a_live_crawl_keeps_a_second_one_out(store: Store) -> None:
    first = Frontier(store.conn)
    first.start_run([HOST + "/"], {"delay": 1})
    with subprocess.Popen(["sleep", "30"]) as other:
        try:
            store.conn.execute("UPDATE crawl_runs SET pid = ?", (other.pid,))
            with pytest.raises(RunBusy, match="still using this database"):
                Frontier(store.conn).start_run([HOST + "/"], {})
        finally:
            other.kill()
    (run,) = runs(store.conn)
    assert run["seeds"] == [HOST + "/"] and run["options"] == {"delay": 1}


def test_skips_are_judged_again_and_depth_is_the_least_seen(
    frontier: Frontier, clock: Clock
) -> None:
    deep = f"{HOST}/a/deep-story"
    frontier.enqueue([Entry.of(deep, depth=4, skip="depth")])
    assert frontier.next_for("news.test:80") is None
    frontier.start_run([], {}, max_depth=3)
    assert frontier.next_for("news.test:80") is None  # still too deep
    frontier.enqueue([Entry.of(deep, depth=2)])  # met again closer to a seed
    row = take(frontier)
    assert (row.fetch_url, row.depth) == (deep, 2)
    frontier.skip(row, "robots")
    frontier.start_run([], {})
    assert take(frontier).fetch_url == deep  # robots.txt may have changed since


def test_child_sitemaps_are_read_again_only_when_their_lastmod_moves(
    frontier: Frontier, clock: Clock
) -> None:
    child = f"{HOST}/sitemap-2024-05.xml"

    def listed(lastmod: str) -> None:
        frontier.enqueue([Entry.of(child, kind="sitemap", depth=1, lastmod=lastmod, tier=0)])

    listed("2024-05-01")
    frontier.complete(take(frontier), "ok")
    listed("2024-05-01")  # the same run reads the index again: nothing to do
    assert frontier.next_for("news.test:80") is None
    clock.now += timedelta(hours=2)
    frontier.start_run([], {})
    listed("2024-05-01")
    assert frontier.next_for("news.test:80") is None
    listed("2024-05-02")
    assert take(frontier).fetch_url == child


def test_seeds_feeds_and_root_sitemaps_come_due_after_a_finished_run(
    store: Store, clock: Clock
) -> None:
    f = Frontier(store.conn, clock=clock)
    f.start_run([HOST + "/"], {})
    f.enqueue([Entry.of(HOST + "/feed.xml", kind="feed", tier=TIER_DISCOVERY)])
    f.complete(take(f), "ok")
    f.complete(take(f), "not_article")
    f.end_run({"not_article": 1}, "interrupted", 130)
    f.start_run([HOST + "/"], {})  # resuming an interrupted run: already read, not due
    assert f.next_for("news.test:80") is None
    f.end_run({}, "finished", 0)
    f.start_run([HOST + "/"], {})
    assert [take(f).fetch_url for _ in range(2)] == [HOST + "/feed.xml", HOST + "/"]
    assert runs(store.conn)[1]["counts"] == {}
    assert [r["exit_code"] for r in runs(store.conn)] == [None, 0, 130]


def test_new_entries_report_their_hosts(frontier: Frontier) -> None:
    hosts = frontier.enqueue([Entry.of("https://a.test/x"), Entry.of("http://b.test:8080/y"),
                              Entry.of("http://c.test/z", skip="depth")])  # fmt: skip
    assert hosts == {"a.test:443", "b.test:8080"}
    assert frontier.next_for("a.test:443").depth + TIER_NEW == TIER_NEW  # type: ignore[union-attr]


# ---- the order that spends a budget on articles (priority.py, patterns.py) ------------------


def sitemap_entry(path: str, published: str | None = None) -> Entry:
    """A page listed in a sitemap, as tasks.Plan makes it."""
    return Entry.of(HOST + path, source="sitemap", depth=1, score=4.0, published=published)


def test_sitemaps_alternate_with_pages_and_old_entries_wait_for_the_whole_index(
    frontier: Frontier,
) -> None:
    children = [Entry.of(f"{HOST}/part-{i}.xml", kind="sitemap", depth=1, tier=TIER_DISCOVERY)
                for i in (1, 2, 3)]  # fmt: skip
    frontier.enqueue([*children, Entry.of(HOST + "/", source="seed", tier=1)])
    # What the first parts listed: old URLs, one fresh story, and a link found on a page.
    frontier.enqueue([sitemap_entry("/2009/01/01/old-story-gone", "2009-01-01"),
                      sitemap_entry("/2024/04/30/fresh-story-today", "2024-04-30"),
                      Entry.of(HOST + "/2024/04/20/linked-story-here", score=4.0)])  # fmt: skip
    order = []
    for _ in range(6):
        row = take(frontier)
        order.append(row.fetch_url.removeprefix(HOST))
        if row.fetch_url.endswith("part-3.xml"):  # the last part lists the newest story
            frontier.enqueue([sitemap_entry("/2024/05/01/newest-story-of-all", "2024-05-01")])
        frontier.complete(row, "ok" if row.kind == "sitemap" else "new")
    assert order == ["/part-1.xml", "/", "/part-2.xml", "/2024/04/20/linked-story-here",
                     "/part-3.xml", "/2024/05/01/newest-story-of-all"]  # fmt: skip
    # A fresh story may go while parts are unread; the old one waited, and comes last.
    assert [take(frontier).fetch_url.removeprefix(HOST) for _ in range(2)] == [
        "/2024/04/30/fresh-story-today", "/2009/01/01/old-story-gone"]  # fmt: skip


def test_a_template_that_spent_its_budget_is_skipped_in_this_run_and_the_next(
    frontier: Frontier,
) -> None:
    calendar = [Entry.of(f"{HOST}/events/?day={d}", score=-1.0) for d in range(10)]
    frontier.enqueue([*calendar, Entry.of(f"{HOST}/world/", score=-3.0)])
    fetched = []
    while (row := frontier.next_for("news.test:80")) is not None:
        frontier.claim(row)
        fetched.append(row.fetch_url.removeprefix(HOST))
        frontier.complete(row, "not_article")
    assert fetched == ["/events/?day=0", "/events/?day=1", "/events/?day=2", "/world/"]
    skipped = frontier.conn.execute(
        "SELECT count(*) FROM frontier WHERE state = 'skipped' AND outcome = 'pattern'"
    ).fetchone()[0]
    assert skipped == 7
    frontier.start_run([], {})  # skips are judged again: the budget still says no
    frontier.enqueue([Entry.of(f"{HOST}/events/?day=99&view=week", score=-1.0)])
    assert frontier.next_for("news.test:80") is None


def test_revisits_and_seeds_are_never_charged(frontier: Frontier, clock: Clock) -> None:
    seed = Entry.of(f"{HOST}/?edition=int", source="seed", tier=1)
    frontier.enqueue([seed])
    for _ in range(10):  # a seed with a query, read run after run
        frontier.complete(take(frontier), "not_article")
        clock.now += timedelta(days=1)
        frontier.start_run([seed.url], {})
    assert frontier.conn.execute("SELECT count(*) FROM url_patterns").fetchone()[0] == 0


def test_the_baseline_strategy_is_plain_breadth_first(store: Store, clock: Clock) -> None:
    bfs = Frontier(store.conn, clock=clock, strategy="bfs")
    bfs.start_run([], {})
    bfs.enqueue([Entry.of(f"{HOST}/events/?day={d}", depth=2) for d in range(5)])
    bfs.enqueue([Entry.of(f"{HOST}/2024/05/01/story-{d}", depth=1, score=5) for d in range(2)])
    order = []
    while (row := bfs.next_for("news.test:80")) is not None:
        bfs.claim(row)
        order.append(row.fetch_url.removeprefix(HOST))
        bfs.complete(row, "not_article")
    assert order[:2] == ["/2024/05/01/story-0", "/2024/05/01/story-1"] and len(order) == 7
    with pytest.raises(ValueError, match="strategy"):
        Frontier(store.conn, strategy="best-first")


def test_listings_that_lead_to_new_articles_keep_their_budget(frontier: Frontier) -> None:
    tags = [Entry.of(f"{HOST}/tag/topic-{w}", score=-2.0) for w in "abcdefghij"]
    frontier.enqueue(tags)
    fetched = []
    while (row := frontier.next_for("news.test:80")) is not None:
        frontier.claim(row)
        fetched.append(row.fetch_url)
        if "/tag/" in row.fetch_url:  # each tag page links to one story not seen before
            story = f"{HOST}/2024/04/30/story-behind-{row.fetch_url[-1]}"
            frontier.enqueue([Entry.of(story, score=4.0, via="news.test:80/tag/{id}")])
            frontier.complete(row, "not_article")
        else:
            frontier.complete(row, "new")
    assert len(fetched) == 20  # without the credit, the tag template stops after six


def test_a_host_reads_at_most_so_many_sitemap_files_a_run(frontier: Frontier) -> None:
    frontier.picker.max_sitemaps = 2
    frontier.enqueue([Entry.of(f"{HOST}/part-{i}.xml", kind="sitemap", depth=1, tier=0)
                      for i in range(5)])  # fmt: skip
    read = []
    while (row := frontier.next_for("news.test:80")) is not None:
        frontier.claim(row)
        read.append(row.fetch_url)
        frontier.complete(row, "ok")
    assert len(read) == 2
    assert state(frontier, f"{HOST}/part-4.xml")[:2] == ("skipped", "sitemap-cap")
    frontier.start_run([], {})  # the next run reads on
    assert frontier.next_for("news.test:80") is not None


def test_a_host_queues_at_most_so_many_sitemap_entries_a_run(frontier: Frontier) -> None:
    frontier.picker.max_listed = 3
    frontier.enqueue([sitemap_entry(f"/2024/04/2{i}/listed-story-{i}") for i in range(5)])
    frontier.enqueue([Entry.of(f"{HOST}/2024/04/30/linked-story", score=4.0)])  # links: no cap
    count = frontier.conn.execute("SELECT count(*) FROM frontier").fetchone()[0]
    assert count == 4
    frontier.start_run([], {})  # each run reads so many entries of the index, then drops them
    frontier.enqueue([sitemap_entry(f"/2024/04/2{i}/listed-story-{i}") for i in range(5)])
    assert frontier.conn.execute("SELECT count(*) FROM frontier").fetchone()[0] == 4

"""The crawler when sites misbehave: errors, throttling, stalls, resets, loops, odd bodies."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from scraper.crawl import CrawlOptions
from scraper.fetch import FetchConfig
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
from tests.web import Reply

__all__ = ["make_web"]  # the fixture, imported for pytest


def outcomes(db: Path) -> dict[str, str]:
    """Frontier path -> state/outcome after a crawl."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT fetch_url, state || '/' || outcome FROM frontier").fetchall()
    return {url.split("/", 3)[-1]: state for url, state in rows}


def errors(db: Path, outcome: str = "error") -> dict[str, str]:
    """Path -> error class recorded in the fetches table with this outcome."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT url, error FROM fetches WHERE outcome = ?", (outcome,)
        ).fetchall()
    return {url.split("/", 3)[-1]: error.split(":")[0] for url, error in rows}


def test_server_errors_stalls_resets_loops_and_odd_bodies(
    make_web: MakeWeb, tmp_path: Path
) -> None:
    site = make_web("news")["news"]
    flaky = "/2024/05/01/flaky-story-that-recovers"
    site.add(flaky, Reply(500), Reply(body=story("Flaky")))
    site.add("/2024/05/01/stalled-story-half-sent", Reply(body=story("Stalled"), stall=30))
    site.add("/2024/05/01/reset-story-never-answers", Reply(reset=True))
    site.redirect("/2024/05/01/loop-a", "/2024/05/01/loop-b")
    site.redirect("/2024/05/01/loop-b", "/2024/05/01/loop-a")
    site.add("/2024/05/01/huge-story-page", Reply(size=3 * 1024 * 1024))
    site.add(
        "/2024/05/01/a-pdf-without-extension",
        Reply(body=b"%PDF-1.4", content_type="application/pdf"),
    )
    site.add("/files/report.pdf", Reply(body=b"%PDF-1.4", content_type="application/pdf"))
    site.add("/2024/05/01/gone", Reply(404, body="<h1>Not here</h1>"))
    good = articles(site, ["/2024/05/01/a-story-that-just-works"])
    faulty = ["stalled-story-half-sent", "reset-story-never-answers", "loop-a", "huge-story-page",
              "a-pdf-without-extension", "gone"]  # fmt: skip
    links = [flaky, *(f"/2024/05/01/{p}" for p in faulty), "/files/report.pdf", *good]
    site.page("/", listing(links))
    config = FetchConfig(connect_timeout=1, read_timeout=0.3, total_timeout=2, max_retries=1,
                         backoff_max=0.05, max_bytes=1024 * 1024)  # fmt: skip
    db = tmp_path / "news.db"

    summary = run([site.url + "/"], db, config=config)

    assert stored_paths(db) == {flaky, *good}
    assert site.count(flaky) == 2  # the 500, then the retry
    assert site.count("/files/report.pdf") == 0  # non-HTML by extension: never requested
    assert errors(db) == {
        "2024/05/01/stalled-story-half-sent": "Unreachable",
        "2024/05/01/reset-story-never-answers": "Unreachable",
        "2024/05/01/loop-a": "TooManyRedirects",
        "2024/05/01/gone": "HTTPStatus",
    }
    # Declined on purpose, recorded with the reason, not failures (and never fetched again).
    assert errors(db, "skipped") == {
        "2024/05/01/huge-story-page": "TooLarge",
        "2024/05/01/a-pdf-without-extension": "NotHTML",
    }
    assert summary.counts["error"] == 4 and summary.counts["skipped"] == 2
    assert summary.exit_code == 0  # the seed was read and most pages were: a completed run
    states = outcomes(db)
    assert states["2024/05/01/gone"] == "failed/error"
    assert "files/report.pdf" not in states  # dropped when the links were read
    # Failed pages wait for a later run; the run itself ended.
    assert summary.status == "finished" and summary.queued == 0


def test_retry_after_on_503_and_429_is_honoured_and_slows_the_host(
    make_web: MakeWeb, tmp_path: Path
) -> None:
    web = make_web("busy", "throttled")
    busy, throttled = web["busy"], web["throttled"]
    for host, status in ((busy, 503), (throttled, 429)):
        first = f"/2024/05/01/{host.name}-first-story-here"
        host.add(first, Reply(status, headers={"Retry-After": "1"}), Reply(body=story("First")))
        rest = articles(host, [f"/2024/05/01/{host.name}-story-{i}-after" for i in range(2)])
        host.page("/", listing([first, *rest]))
    db = tmp_path / "news.db"

    summary = run([busy.url + "/", throttled.url + "/"], db)

    assert summary.counts["new"] == 6 and summary.exit_code == 0
    for host, status in ((busy, 503), (throttled, 429)):
        hits = host.hits()
        at = [h.status for h in hits].index(status)
        assert hits[at + 1].status == 200 and hits[at + 1].path == hits[at].path
        assert hits[at + 1].time - hits[at].time >= 0.95  # Retry-After: 1
        # The host's next request waits too: backoff after 429/503, halved by each answer.
        assert hits[at + 2].time - hits[at + 1].time >= 0.9


def test_a_slow_drip_page_hits_the_page_deadline_and_the_crawl_goes_on(
    make_web: MakeWeb, tmp_path: Path
) -> None:
    site = make_web("news")["news"]
    drip = "/2024/05/09/slow-drip-story-page"  # the newest, so the first page fetched
    # Headers at once, then a byte every 0.4 s: each read is inside read_timeout, for ever.
    site.add(drip, Reply(body=story("Drip"), drip=0.4))
    good = articles(site, [f"/2024/05/0{i}/a-story-after-the-drip-{i}" for i in range(2, 5)])
    site.page("/", listing([drip, *good]))
    config = FetchConfig(connect_timeout=1, read_timeout=1, total_timeout=1.5, max_retries=2,
                         backoff_max=0.05)  # fmt: skip
    db = tmp_path / "news.db"

    # One worker: the pages after the drip wait for it, so the deadline is what frees them.
    summary = run([site.url + "/"], db, CrawlOptions(delay=0.0, concurrency=1), config=config)

    assert next(p for p in page_hits(site) if p.startswith("/2024/")) == drip
    assert site.count(drip) == 1  # a page past its deadline is given up on, not retried
    with sqlite3.connect(db) as conn:
        (reason,) = conn.execute("SELECT error FROM fetches WHERE outcome = 'error'").fetchone()
    assert reason.startswith("Unreachable") and "deadline" in reason
    assert stored_paths(db) == set(good)
    assert summary.status == "finished" and summary.exit_code == 0

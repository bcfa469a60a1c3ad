"""The crawler against the local test web: discovery, robots.txt, politeness, dedup, the CLI."""

from __future__ import annotations

import io
import itertools
import socket
import time
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from scraper.cli import main
from scraper.crawl import CrawlOptions, CrawlSummary, Progress, crawl
from scraper.crawl.progress import degraded
from scraper.demo_site.feeds import Entry
from scraper.fetch import FetchConfig
from scraper.store import Store
from tests import web as test_web
from tests.conftest import story_paragraphs
from tests.web import Host, Reply, Web, article_html

MakeWeb = Callable[..., Web]
make_web = test_web.make_web  # the fixture
# Short timeouts and one quick retry: the faults under test take milliseconds, not minutes.
FAST = FetchConfig(
    connect_timeout=2, read_timeout=1, total_timeout=4, max_retries=1, backoff_max=0.05
)
NO_DELAY = CrawlOptions(delay=0.0, concurrency=4)
_stories = itertools.count(1000)


def story(headline: str, links: Iterable[str] = (), **kwargs: Any) -> str:
    """An article page with a body of its own (no two share 3-word runs)."""
    return article_html(
        headline, links=links, paragraphs=story_paragraphs(next(_stories)), **kwargs
    )


def listing(links: Iterable[str], head: str = "") -> str:
    """A listing page: a title and links, no story."""
    return article_html("Latest news", links=links, paragraphs=[], head=head)


def articles(host: Host, paths: Iterable[str], **reply: Any) -> list[str]:
    """Serve an article at each path; returns the paths."""
    paths = list(paths)
    for path in paths:
        host.add(path, Reply(body=story(path.rsplit("/", 1)[-1].replace("-", " ")), **reply))
    return paths


def run(seeds: list[str], db: Path, options: CrawlOptions = NO_DELAY, **kw: Any) -> CrawlSummary:
    """One crawl into the database file at db."""
    with Store(db) as store:
        return crawl(seeds, store, options, kw.pop("config", FAST), **kw)


def stored_paths(db: Path) -> set[str]:
    """Paths of the stories in the database (duplicates included)."""
    with Store(db) as store:
        return {urlsplit(r["url"]).path for r in store.export(include_duplicates=True)}


def page_hits(host: Host) -> list[str]:
    """Paths the host served, robots.txt left out."""
    return [urlsplit(h.path).path for h in host.hits() if h.path != "/robots.txt"]


# ---- discovery ---------------------------------------------------------------------------


def test_discovery_from_sitemap_index_news_sitemap_rss_atom_and_links(
    make_web: MakeWeb, tmp_path: Path
) -> None:
    site = make_web("news")["news"]
    site.robots(f"User-agent: *\nSitemap: {site.url}/sitemap_index.xml\n")
    site.sitemap_index("/sitemap_index.xml", ["/sitemap-pages.xml", "/sitemap-news.xml"])
    site.sitemap("/sitemap-pages.xml", ["/2024/05/01/only-in-the-plain-sitemap"])
    news = Entry("/2024/05/02/only-in-the-news-sitemap", "N", "2024-05-02T10:00:00+00:00")
    site.sitemap("/sitemap-news.xml", [news], news=True)
    site.feed("/rss.xml", ["/2024/05/03/only-in-the-rss-feed"])
    site.feed("/atom.xml", ["/2024/05/04/only-in-the-atom-feed"], atom=True)
    head = (
        '<link rel="alternate" type="application/rss+xml" href="/rss.xml">'
        '<link rel="alternate" type="application/atom+xml" href="/atom.xml">'
    )
    site.page("/", listing(["/2024/05/05/only-linked-from-home"], head=head))
    found = articles(site, [
        "/2024/05/01/only-in-the-plain-sitemap", "/2024/05/02/only-in-the-news-sitemap",
        "/2024/05/03/only-in-the-rss-feed", "/2024/05/04/only-in-the-atom-feed",
        "/2024/05/05/only-linked-from-home",
    ])  # fmt: skip

    summary = run([site.url + "/"], tmp_path / "news.db")

    assert stored_paths(tmp_path / "news.db") == set(found)
    assert all(site.count(p) == 1 for p in found)
    assert site.count("/sitemap.xml") == 1  # the conventional place is tried as well (404)
    assert summary.counts["new"] == 5 and summary.counts["sitemaps"] == 3
    assert summary.counts["feeds"] == 2 and summary.exit_code == 0


def test_sitemaps_and_feeds_come_first_and_articles_before_listings(
    make_web: MakeWeb, tmp_path: Path
) -> None:
    site = make_web("news")["news"]
    site.robots(f"User-agent: *\nSitemap: {site.url}/news.xml\n")
    dated = [
        Entry(f"/story-number-{i}-of-the-day-long", published=f"2024-05-0{i}") for i in (1, 3, 2)
    ]
    site.sitemap("/news.xml", dated, news=True)
    articles(site, [e.url for e in dated])
    site.page("/", listing(["/world/", "/tag/x/"]))
    site.page("/world/", listing([]))
    site.page("/tag/x/", listing([]))

    run([site.url + "/"], tmp_path / "news.db", CrawlOptions(delay=0.0, concurrency=1))

    order = [p for p in page_hits(site) if p not in ("/sitemap.xml",)]
    assert order[0] == "/news.xml"
    stories = [p for p in order if p.startswith("/story")]
    assert stories == ["/story-number-3-of-the-day-long", "/story-number-2-of-the-day-long",
                       "/story-number-1-of-the-day-long"]  # fmt: skip
    assert order.index("/story-number-1-of-the-day-long") < order.index("/world/")


def test_since_skips_older_sitemap_and_feed_entries(make_web: MakeWeb, tmp_path: Path) -> None:
    site = make_web("news")["news"]
    site.robots(f"User-agent: *\nSitemap: {site.url}/news.xml\n")
    old, new = "/old-story-from-last-year-here", "/new-story-from-this-week-here"
    site.sitemap("/news.xml", [Entry(old, lastmod="2023-12-31"), Entry(new, lastmod="2024-05-01")])
    articles(site, [old, new])
    site.page("/", listing([]))

    run([site.url + "/"], tmp_path / "news.db", CrawlOptions(delay=0.0, since=date(2024, 1, 1)))

    assert site.count(old) == 0 and site.count(new) == 1


def test_pages_read_in_a_process_pool_give_the_same_records(
    make_web: MakeWeb, tmp_path: Path
) -> None:
    site = make_web("news")["news"]
    paths = articles(site, [f"/2024/05/0{i}/pooled-story-number-{i}" for i in range(1, 5)])
    site.page("/", listing(paths))

    summary = run([site.url + "/"], tmp_path / "a.db", CrawlOptions(delay=0.0, processes=1))
    again = run([site.url + "/"], tmp_path / "b.db", CrawlOptions(delay=0.0))

    assert summary.counts == again.counts and summary.counts["new"] == 4
    with Store(tmp_path / "a.db") as a, Store(tmp_path / "b.db") as b:
        pooled, threaded = list(a.export()), list(b.export())
    strip = {"fetched_at", "url", "canonical_url", "source"}
    assert [{k: v for k, v in r.items() if k not in strip} for r in pooled] == [
        {k: v for k, v in r.items() if k not in strip} for r in threaded
    ]


def test_scope_depth_and_non_html_links(make_web: MakeWeb, tmp_path: Path) -> None:
    web = make_web("news", "elsewhere")
    site, other = web["news"], web["elsewhere"]
    site.page("/", listing(["/a-first-level-story-page", other.url + "/off-site", "/report.pdf"]))
    site.page("/a-first-level-story-page", story("First", links=["/second-level-story-page"]))
    articles(site, ["/second-level-story-page"])
    other.page("/off-site", story("Off site"))

    summary = run([site.url + "/"], tmp_path / "news.db", CrawlOptions(delay=0.0, max_depth=1))

    assert site.count("/a-first-level-story-page") == 1
    assert site.count("/second-level-story-page") == 0  # depth 2
    assert site.count("/report.pdf") == 0 and other.hits() == []
    assert summary.exit_code == 0
    # A deeper crawl later picks up what the depth limit held back.
    run([site.url + "/"], tmp_path / "news.db", CrawlOptions(delay=0.0, max_depth=3))
    assert site.count("/second-level-story-page") == 1


# ---- robots.txt and politeness -------------------------------------------------------------


def test_robots_disallow_is_never_fetched_and_crawl_delay_is_kept(
    make_web: MakeWeb, tmp_path: Path
) -> None:
    site = make_web("news")["news"]
    site.robots("User-agent: *\nCrawl-delay: 0.2\nDisallow: /private/\n")
    paths = articles(site, [f"/2024/05/0{i}/story-{i}-about-something" for i in range(1, 5)])
    site.page("/", listing([*paths, "/private/secret-story-of-the-staff"]))
    site.page("/private/secret-story-of-the-staff", story("Secret"))

    summary = run([site.url + "/"], tmp_path / "news.db")

    assert site.count("/private/secret-story-of-the-staff") == 0
    assert summary.counts["robots"] == 1 and summary.counts["new"] == 4
    gaps = site.intervals()
    assert len(gaps) >= 6 and min(gaps) >= 0.19, gaps


def test_one_request_at_a_time_per_host_and_hosts_in_parallel(
    make_web: MakeWeb, tmp_path: Path
) -> None:
    web = make_web("a", "b", "c")
    for host in web.hosts.values():
        host.robots("User-agent: *\nCrawl-delay: 0.1\n")
        paths = articles(host, [f"/2024/05/01/{host.name}-story-{i}-long-slug" for i in range(5)],
                         delay=0.05)  # fmt: skip
        host.page("/", listing(paths))
    started = time.monotonic()

    summary = run([h.url + "/" for h in web.hosts.values()], tmp_path / "news.db")

    assert summary.counts["new"] == 15
    # Sequential would take 3 hosts x 7 requests x >= 0.15 s; in parallel about a third.
    assert time.monotonic() - started < 2.5
    for host in web.hosts.values():
        hits = host.hits()
        for earlier, later in itertools.pairwise(hits):
            assert later.time - earlier.time >= 0.095  # the Crawl-delay, never overlapping


def test_every_request_to_a_host_waits_its_turn(make_web: MakeWeb, tmp_path: Path) -> None:
    """Pages, redirect hops (on the host and from another host), retries after 429 and 503,
    robots.txt, sitemaps and feeds: no two requests to one host closer than its delay."""
    web = make_web("news", "www")
    site, www = web["news"], web["www"]
    site.robots(f"User-agent: *\nCrawl-delay: 0.25\nSitemap: {site.url}/news.xml\n")
    paths = [f"/tech/2024/05/0{i}/story-number-{i}-today" for i in range(1, 7)]
    articles(site, paths[:2] + paths[4:])
    site.add(paths[2], Reply(429, headers={"Retry-After": "0"}), Reply(body=story("Throttled")))
    site.add(paths[3], Reply(503), Reply(body=story("Busy")))
    site.redirect(paths[0].replace("/tech/", "/Tech/"), paths[0])  # same host: a hop
    site.redirect(paths[1] + "/", paths[1])
    site.sitemap("/news.xml", [paths[0].replace("/tech/", "/Tech/"), paths[2]])
    site.feed("/rss.xml", [paths[3]])
    feed = '<link rel="alternate" type="application/rss+xml" href="/rss.xml">'
    site.page("/", listing([paths[1] + "/", paths[4]], head=feed))
    www.redirect("/moved", site.url + paths[5])  # another host's hop lands on news
    www.page("/", listing(["/moved"]))

    summary = run([site.url + "/", www.url + "/"], tmp_path / "news.db",
                  CrawlOptions(delay=0.1, concurrency=4))  # fmt: skip

    assert summary.counts["new"] == 6 and summary.counts["error"] == 0
    assert site.count("/robots.txt") == 1 and site.count("/rss.xml") == 1
    statuses = [h.status for h in site.hits()]
    assert {301, 429, 503} <= set(statuses) and statuses.count(404) >= 1  # /sitemap.xml
    for host, delay in ((site, 0.25), (www, 0.1)):
        gaps = host.intervals()
        assert gaps and min(gaps) >= delay, (host.name, [round(g, 3) for g in gaps])


def test_unreachable_robots_txt_skips_the_host_and_fails_the_run(
    make_web: MakeWeb, tmp_path: Path
) -> None:
    site = make_web("news")["news"]
    site.add("/robots.txt", Reply(503))
    site.page("/", listing([]))

    summary = run([site.url + "/"], tmp_path / "news.db")

    assert page_hits(site) == [] and summary.counts["hosts_unreachable"] == 1
    assert summary.exit_code == 1


# ---- duplicates ----------------------------------------------------------------------------


def test_tracking_parameters_amp_and_syndication_stored_once(
    make_web: MakeWeb, tmp_path: Path
) -> None:
    web = make_web("news", "wire")
    site, wire = web["news"], web["wire"]
    path = "/2024/05/01/council-approves-the-new-bridge"
    body = story_paragraphs(7)
    site.add(path, Reply(body=article_html("Council approves bridge", paragraphs=body)))
    site.page("/", listing([path + "?utm_source=x", path, path + "/amp", path + "?fbclid=1"]))
    wire.page("/", listing(["/syndicated/council-approves-the-new-bridge"]))
    wire.page("/syndicated/council-approves-the-new-bridge",
              article_html("Council approves bridge", paragraphs=body))  # fmt: skip

    run([site.url + "/", wire.url + "/"], tmp_path / "news.db")

    assert site.count(path) == 1 and site.count(path + "/amp") == 0
    with Store(tmp_path / "news.db") as store:
        records = list(store.export(include_duplicates=True))
    # Which copy comes first is a race between the hosts; the later one points at it.
    (first,) = [r for r in records if not r["duplicate_of"]]
    (copy,) = [r for r in records if r["duplicate_of"]]
    assert copy["duplicate_of"] == first["canonical_url"]
    assert {urlsplit(first["url"]).path, urlsplit(copy["url"]).path} == {
        path,
        "/syndicated/council-approves-the-new-bridge",
    }
    assert [h.path for h in site.hits(path)] == [path]  # fetched by its clean URL


def test_redirect_targets_are_not_fetched_again(make_web: MakeWeb, tmp_path: Path) -> None:
    site = make_web("news")["news"]
    target = "/2024/05/01/the-story-under-its-real-name"
    site.redirect("/s/123", target)
    articles(site, [target])
    site.page("/", listing(["/s/123"]))
    site.page("/2024/05/01/", listing([target]))  # links the target itself, found later

    run([site.url + "/"], tmp_path / "news.db", CrawlOptions(delay=0.0, concurrency=1))

    assert site.count(target) == 1


# ---- the command line ----------------------------------------------------------------------


def test_cli_without_a_terminal_prints_one_summary_line(
    make_web: MakeWeb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_web("news")["news"]
    paths = articles(site, ["/2024/05/01/a-story-for-the-cli-test"])
    site.page("/", listing(paths))
    db = str(tmp_path / "news.db")

    code = main(["crawl", site.url + "/", "--db", db, "--delay", "0"])

    out, err = capsys.readouterr()
    assert code == 0 and out == ""
    assert len(err.splitlines()) == 1 and err.startswith("crawl run 1 finished"), err
    assert "1 new" in err and "1 listings" in err

    assert main(["stats", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "run 1 finished" in out and "1 new" in out


def test_progress_bar_on_a_terminal_then_the_summary(make_web: MakeWeb, tmp_path: Path) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    site = make_web("news")["news"]
    paths = articles(site, [f"/2024/05/01/story-{i}-on-the-terminal-now" for i in range(6)],
                     delay=0.03)  # fmt: skip
    site.page("/", listing(paths))
    screen = Terminal()

    run([site.url + "/"], tmp_path / "news.db", progress=Progress(screen, interval=0.0))

    frames = screen.getvalue().split("\r\x1b[K")
    assert len(frames) > 3 and "] 3 done, " in screen.getvalue()
    assert all(" queued, 0 errors, " in f and f.endswith(" pages/s") for f in frames[1:-1])
    assert frames[-1].startswith("crawl run 1 finished") and frames[-1].endswith("(exit 0)\n")


def test_cli_exit_codes(
    make_web: MakeWeb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_web("news")["news"]
    site.page("/", listing(["/2024/05/01/a-story-that-is-gone", *articles(site, ["/2024/a-b-c"])]))
    db = str(tmp_path / "news.db")
    fast = ["--db", db, "--delay", "0", "--timeout", "3"]
    # A dead link is the site's state, not a failed run: 0, the error counted.
    assert main(["crawl", site.url + "/", *fast]) == 0
    summary = capsys.readouterr().err
    assert "1 new" in summary and "1 error" in summary and summary.endswith("(exit 0)\n")
    assert main(["stats", "--db", db]) == 0
    assert "exit 0: " in (out := capsys.readouterr().out) and "1 error" in out
    # Degraded: a seed that cannot be crawled (its page fails, or nothing answers there) ...
    assert main(["crawl", site.url + "/no-such-section/", *fast]) == 1
    assert "1 seeds failed" in capsys.readouterr().err
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))  # a port nobody listens on
        dead = f"http://127.0.0.1:{closed.getsockname()[1]}/"
        assert main(["crawl", dead, *fast]) == 1
    # Usage and setup errors: 2.
    assert main(["crawl", "news.example.com", "--db", db]) == 2
    assert main(["crawl", site.url + "/", "--db", db, "--deny", "("]) == 2
    assert main(["crawl", site.url + "/", "--db", db, "--since", "yesterday"]) == 2
    assert main(["crawl", "--db", db]) == 2
    assert "seeds must be http(s) URLs" in capsys.readouterr().err


def test_a_run_where_most_fetches_fail_is_degraded(make_web: MakeWeb, tmp_path: Path) -> None:
    site = make_web("news")["news"]
    sections = "alpha bravo delta gamma kilo lima mike oscar papa romeo".split()
    dead = [f"/{word}/2024/05/01/a-story-that-is-gone" for word in sections]  # 404s
    site.page("/", listing([*dead, *articles(site, ["/2024/05/20/the-one-that-works"])]))

    summary = run([site.url + "/"], tmp_path / "news.db")

    assert summary.counts["error"] == 10 and summary.counts["new"] == 1
    assert summary.exit_code == 1 and summary.status == "finished"


def test_degraded_means_a_seed_failed_or_most_of_enough_fetches() -> None:
    assert not degraded({"new": 5, "not_article": 2, "error": 3})  # dead links: the sites' state
    assert not degraded({"new": 1, "error": 2})  # too few fetches to call it "most"
    assert degraded({"new": 4, "error": 5, "sitemaps": 1, "discovery_errors": 1})
    assert degraded({"new": 40, "seeds_failed": 1})


def test_demo_command_crawls_the_bundled_site(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "news.db")
    assert main(["demo", "--db", db, "--port", "0"]) == 0
    out = capsys.readouterr().out
    assert "127.0.0.1" in out and "run 1 finished" in out
    with Store(db) as store:
        urls = [r["url"] for r in store.export()]
    assert sum("/2024/" in u for u in urls) == 30  # every demo article

"""The bundled demo site (scraper.demo) and the local multi-host test web (tests/web.py)."""

from __future__ import annotations

import itertools
import json
import re
import signal
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator
from datetime import date
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from scraper.crawl.discover import discover_page, parse_feed, parse_sitemap, robots_sitemaps
from scraper.crawl.scope import Scope, article_score
from scraper.demo_site.demo import demo_articles, render_site, serve_demo
from scraper.demo_site.feeds import Entry
from scraper.urls import normalize_url
from tests import web as test_web
from tests.web import Reply, Web, article_html

MakeWeb = Callable[..., Web]
ROOT = Path(__file__).resolve().parents[1]
make_web = test_web.make_web  # the fixture, for as long as conftest does not provide it


@pytest.fixture(scope="module")
def demo() -> Iterator[str]:
    with serve_demo() as base:
        yield base


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=5) as c:
        yield c


# ---- the demo site -----------------------------------------------------------------------


def test_demo_is_the_same_on_every_run_and_has_thirty_distinct_articles() -> None:
    articles = demo_articles()
    assert articles == demo_articles()
    assert len(articles) == 30 and len({a.path for a in articles}) == 30
    assert [a.published for a in articles] == sorted((a.published for a in articles), reverse=True)
    assert len({a.section for a in articles}) == 4 and any(len(a.authors) == 2 for a in articles)


def test_demo_bodies_are_not_near_copies_of_each_other() -> None:
    """Stories share sentence templates; the store must not take them for duplicates."""

    def shingles(a) -> set[tuple[str, ...]]:  # type: ignore[no-untyped-def]
        words = re.findall(r"\w+", " ".join(a.paragraphs).lower())
        return set(zip(words, words[1:], words[2:], strict=False))

    sets = [shingles(a) for a in demo_articles()]
    worst = max(len(x & y) / len(x | y) for x, y in itertools.combinations(sets, 2))
    assert worst < 0.35, worst


def test_robots_sitemaps_and_feeds(demo: str, client: httpx.Client) -> None:
    robots = client.get(demo + "/robots.txt").text
    assert "Disallow: /private/" in robots
    (index_url,) = robots_sitemaps(robots, demo + "/robots.txt")
    index = parse_sitemap(client.get(index_url).content, index_url)
    children = {urlsplit(s.url).path: s for s in index.sitemaps}
    assert set(children) == {"/sitemap-articles.xml", "/sitemap-news.xml"}
    articles = parse_sitemap(client.get(children["/sitemap-articles.xml"].url).content, demo)
    paths = {demo + a.path for a in demo_articles()}
    assert {link.url for link in articles.links} == paths
    news = parse_sitemap(client.get(children["/sitemap-news.xml"].url).content, demo).links
    assert len(news) == 10 and all(
        n.source == "news-sitemap" and n.title and n.published for n in news
    )
    feeds = discover_page(client.get(demo + "/").text, demo + "/").feeds
    assert [urlsplit(f).path for f in feeds] == ["/feed.xml", "/atom.xml"]
    for feed in feeds:
        links = parse_feed(client.get(feed).content, feed)
        assert len(links) == 15 and {normalize_url(x.url) for x in links} <= paths


def test_links_reach_every_article_from_the_home_page(demo: str, client: httpx.Client) -> None:
    scope = Scope.from_seeds([demo + "/"], today=date(2024, 6, 1))
    seen, queue, fetched = {demo + "/"}, deque([demo + "/"]), 0
    while queue:
        url = queue.popleft()
        response = client.get(url)
        assert response.status_code == 200, url
        fetched += 1
        for link in discover_page(response.text, url).links:
            key = normalize_url(link.url)
            if key not in seen and scope.allows(key) and "/private/" not in key:
                seen.add(key)
                queue.append(key)
    articles = {normalize_url(demo + a.path) for a in demo_articles()}
    assert articles <= seen
    assert demo + "/world/page/2" in seen  # paged sections are linked
    listings = seen - articles
    assert all(article_score(u) > 0 for u in articles)
    assert all(article_score(u) < 0 for u in listings), [
        u for u in listings if article_score(u) >= 0
    ]
    assert fetched == len(seen) < 120


def test_article_pages_carry_what_an_extractor_reads(demo: str, client: httpx.Client) -> None:
    article = demo_articles()[3]
    html = client.get(demo + article.path).text
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html)
    data = json.loads(block)
    assert data["headline"] == article.headline
    assert data["datePublished"] == article.published.isoformat()
    assert [a["name"] for a in data["author"]] == [name for _, name, _, _ in article.authors]
    assert f'<link rel="canonical" href="{demo}{article.path}">' in html
    assert all(escape(p) in html for p in article.paragraphs)
    assert 'class="newsletter"' in html and 'class="author-box"' in html


def test_server_answers_404_head_and_conditional_get(demo: str, client: httpx.Client) -> None:
    assert client.get(demo + "/no/such/page").status_code == 404
    first = client.get(demo + "/world/")
    assert first.headers["content-type"].startswith("text/html")
    again = client.get(demo + "/world", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    head = client.head(demo + "/feed.xml")
    assert head.status_code == 200 and int(head.headers["content-length"]) > 1000


def test_rendering_uses_the_base_url_it_is_given() -> None:
    pages = render_site("http://demo.test:9")
    assert b"Sitemap: http://demo.test:9/sitemap.xml" in pages["/robots.txt"][1]
    assert all(b"127.0.0.1" not in body for _, body in pages.values())


def test_every_listing_page_of_the_demo_reads_as_a_listing() -> None:
    """Home, section, author and tag pages (headline links with a summary each) are no
    articles and have no body to store (a last page of two teasers may read as "unknown"
    rather than "listing"); each story reads as an article."""
    import scraper

    base = "http://demo.test"
    stories = {a.path for a in demo_articles()}
    for path, (kind, body) in render_site(base).items():
        if not kind.startswith("text/html") or path in ("/about", "/private/staff-notes"):
            continue
        record = scraper.extract(body, url=base + path)
        story = path in stories
        assert (record.page_type == "article") == story, path
        assert (record.body is not None) == story, path
        if not story and len(re.findall(rb'class="teaser"', body)) >= 3:
            assert record.page_type == "listing", path


def test_python_m_scraper_demo_serves_until_interrupted() -> None:
    command = [sys.executable, "-m", "scraper.demo_site"]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as proc:
        try:
            line = proc.stdout.readline()  # type: ignore[union-attr]
            base = re.search(r"http://127\.0\.0\.1:\d+", line)
            assert base, line
            assert httpx.get(base.group(0) + "/").status_code == 200
            proc.send_signal(signal.SIGINT)
            _, err = proc.communicate(timeout=10)
            assert proc.returncode == 0, err
        finally:
            if proc.poll() is None:
                proc.kill()


# ---- the test web ------------------------------------------------------------------------


def test_hosts_are_separate_servers_with_their_own_logs(make_web: MakeWeb) -> None:
    web = make_web("news", "blog")
    news, blog = web["news"], web["blog"]
    assert news.port != blog.port
    news.page("/", article_html("Home", links=["/a"]))
    with httpx.Client() as c:
        assert "Home" in c.get(news.url + "/?x=1").text  # the query falls back to the path
        assert c.get(blog.url + "/").status_code == 404
    assert [h.path for h in news.hits()] == ["/?x=1"] and blog.count("/") == 1


def test_replies_run_in_order_and_the_last_repeats(make_web: MakeWeb) -> None:
    site = make_web()["site"]
    site.add("/flaky", Reply(500), Reply(body="ok"))
    site.add(
        "/busy", Reply(503, headers={"Retry-After": "2"}), Reply(429, headers={"Retry-After": "1"})
    )
    site.add("/doc.pdf", Reply(body=b"%PDF-1.4", content_type="application/pdf"))
    with httpx.Client() as c:
        assert [c.get(site.url + "/flaky").status_code for _ in range(3)] == [500, 200, 200]
        busy = [c.get(site.url + "/busy") for _ in range(2)]
        assert [(r.status_code, r.headers["retry-after"]) for r in busy] == [(503, "2"), (429, "1")]
        assert c.get(site.url + "/doc.pdf").headers["content-type"] == "application/pdf"
    assert [h.status for h in site.hits("/flaky")] == [500, 200, 200]


def test_redirect_loop_across_hosts(make_web: MakeWeb) -> None:
    web = make_web("a", "b")
    web["a"].redirect("/loop", web["b"].url + "/loop")
    web["b"].redirect("/loop", web["a"].url + "/loop", status=302)
    with (
        httpx.Client(follow_redirects=True, max_redirects=5) as c,
        pytest.raises(httpx.TooManyRedirects),
    ):
        c.get(web["a"].url + "/loop")
    assert web["a"].count("/loop") + web["b"].count("/loop") == 6


def test_reset_stall_and_oversized_faults(make_web: MakeWeb) -> None:
    site = make_web()["site"]
    site.add("/reset", Reply(reset=True))
    site.add("/stall", Reply(body="x" * 1000, stall=30))
    site.add(
        "/huge", Reply(size=20 * 1024 * 1024), Reply(size=3 * 1024 * 1024, content_length=False)
    )
    with httpx.Client(timeout=httpx.Timeout(5, read=0.3)) as c:
        with pytest.raises(httpx.TransportError):
            c.get(site.url + "/reset")
        with pytest.raises(httpx.ReadTimeout):
            c.get(site.url + "/stall")
        with c.stream("GET", site.url + "/huge") as r:
            assert r.headers["content-length"] == str(20 * 1024 * 1024)
            assert len(next(r.iter_raw(65536))) > 0  # then hang up, as a size cap does
        got = c.get(site.url + "/huge")
        assert "content-length" not in got.headers and len(got.content) == 3 * 1024 * 1024
    started = time.monotonic()
    site.close()  # wakes the stalled handler instead of waiting 30 s
    assert time.monotonic() - started < 3


def test_conditional_get_and_request_intervals(make_web: MakeWeb) -> None:
    site = make_web()["site"]
    site.add("/a", Reply(body="A", etag='"v1"', last_modified="Mon, 01 Jan 2024 00:00:00 GMT"))
    with httpx.Client() as c:
        assert c.get(site.url + "/a").status_code == 200
        time.sleep(0.15)
        assert c.get(site.url + "/a", headers={"If-None-Match": '"v1"'}).status_code == 304
        time.sleep(0.15)
        ims = {"If-Modified-Since": "Mon, 01 Jan 2024 00:00:00 GMT"}
        assert c.get(site.url + "/a", headers=ims).status_code == 304
    hits = site.hits("/a")
    assert [h.status for h in hits] == [200, 304, 304] and hits[1].headers[
        "if-none-match"
    ] == '"v1"'
    assert len(site.intervals()) == 2 and all(0.14 < gap < 1.5 for gap in site.intervals())


def test_sitemaps_and_feeds_built_by_the_web_read_back(make_web: MakeWeb) -> None:
    site = make_web("site")["site"]
    site.robots(f"User-agent: *\nCrawl-delay: 1\nSitemap: {site.url}/index.xml\n")
    site.sitemap_index("/index.xml", ["/news.xml"])
    site.sitemap(
        "/news.xml", [Entry("/a", title="A", published="2024-01-02T03:04:05+00:00")], news=True
    )
    site.feed("/atom", ["/b", Entry("/c", title="C")], atom=True)
    with httpx.Client() as c:
        (index,) = robots_sitemaps(c.get(site.url + "/robots.txt").text, site.url)
        (child,) = parse_sitemap(c.get(index).content, index).sitemaps
        (news,) = parse_sitemap(c.get(child.url).content, child.url).links
        feed = parse_feed(c.get(site.url + "/atom").content, site.url + "/atom")
    assert (news.url, news.title, news.published) == (
        site.url + "/a",
        "A",
        "2024-01-02T03:04:05+00:00",
    )
    assert [link.url for link in feed] == [site.url + "/b", site.url + "/c"]

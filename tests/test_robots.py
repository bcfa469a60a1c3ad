"""robots.txt: rules for our token, 4xx/5xx/unreachable policies, caching, limits."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import httpx
import pytest

from scraper.errors import RobotsDisallowed
from scraper.fetch import FetchConfig, Fetcher
from scraper.fetch.robots import (
    ROBOTS_MAX_BYTES,
    ROBOTS_RETRY_AFTER,
    ROBOTS_TTL,
    Robots,
    RobotsCache,
    agent_token,
    host_key,
    robots_url,
)

PAGE = httpx.Response(200, html="<html><p>ok</p></html>")
ROBOTS = """\
User-agent: *
Disallow: /private/
Crawl-delay: 9

User-agent: scraper
Disallow: /drafts/
Allow: /drafts/public
Crawl-delay: 2.5

User-agent: otherbot
Disallow: /

Sitemap: https://news.test/sitemap.xml
Sitemap: https://news.test/news-sitemap.xml
Sitemap: ftp://news.test/not-a-web-sitemap.xml
"""


class Host:
    """A MockTransport host whose robots.txt answer is a handler; counts robots requests."""

    def __init__(self, robots: Callable[[httpx.Request], httpx.Response]) -> None:
        self.robots = robots
        self.robots_requests = 0
        self.pages: list[str] = []
        self.now = 0.0
        self.waits: list[float] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            self.robots_requests += 1
            return self.robots(request)
        self.pages.append(str(request.url))
        return PAGE

    def fetcher(self, **config: object) -> Fetcher:
        client = httpx.Client(transport=httpx.MockTransport(self))
        return Fetcher(
            FetchConfig(**config),  # type: ignore[arg-type]
            client=client,
            sleep=self.waits.append,
            clock=lambda: self.now,
        )


def answer(code: int, text: str = "") -> Callable[[httpx.Request], httpx.Response]:
    """A robots.txt handler with a fixed answer."""
    return lambda request: httpx.Response(code, text=text)


def test_rules_for_our_token() -> None:
    host = Host(answer(200, ROBOTS))
    robots = host.fetcher().robots("https://news.test/any")
    assert not robots.allowed("https://news.test/drafts/x")
    assert robots.allowed("https://news.test/drafts/public")
    assert robots.allowed("https://news.test/private/x")  # our group replaces the * group
    assert robots.allowed("https://news.test/robots.txt")
    assert robots.crawl_delay == 2.5
    assert robots.sitemaps == (
        "https://news.test/sitemap.xml",
        "https://news.test/news-sitemap.xml",
    )


def test_star_group_applies_when_ours_is_absent() -> None:
    host = Host(answer(200, "User-agent: *\nDisallow: /private/\nCrawl-delay: 4\n"))
    fetcher = host.fetcher()
    with pytest.raises(RobotsDisallowed) as info:
        fetcher.fetch("https://news.test/private/a")
    assert info.value.url == "https://news.test/private/a"
    assert fetcher.fetch("https://news.test/public/a").status == 200
    assert host.pages == ["https://news.test/public/a"]
    assert fetcher.robots("https://news.test/").crawl_delay == 4.0


@pytest.mark.parametrize("code", [400, 401, 403, 404, 410])
def test_4xx_allows_everything(code: int) -> None:
    host = Host(answer(code, "User-agent: *\nDisallow: /\n"))
    robots = host.fetcher().robots("https://news.test/")
    assert robots.allowed("https://news.test/a") and str(code) in robots.reason
    assert robots.crawl_delay is None and robots.sitemaps == ()


@pytest.mark.parametrize("code", [429, 500, 502, 503])
def test_5xx_and_429_disallow_everything_for_now(code: int) -> None:
    host = Host(answer(code))
    fetcher = host.fetcher()
    with pytest.raises(RobotsDisallowed):
        fetcher.fetch("https://news.test/a")
    assert host.pages == [] and host.waits == []  # robots.txt is not retried in a loop
    fetcher.robots("https://news.test/b")
    assert host.robots_requests == 1  # the failure is cached for a while ...
    host.robots = answer(200, "")
    host.now += ROBOTS_RETRY_AFTER
    assert fetcher.fetch("https://news.test/a").status == 200  # ... then asked again
    assert host.robots_requests == 2


def test_unreachable_disallows_everything() -> None:
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused")

    robots = Host(down).fetcher().robots("https://news.test/")
    assert not robots.allowed("https://news.test/a") and "unreachable" in robots.reason


def test_fetched_once_per_scheme_host_port_and_refreshed_daily() -> None:
    host = Host(answer(200, ROBOTS))
    fetcher = host.fetcher()
    for url in ["https://news.test/a", "https://NEWS.test:443/b", "https://news.test/c?x"]:
        fetcher.fetch(url)
    assert host.robots_requests == 1
    fetcher.robots("http://news.test/a")
    fetcher.robots("https://news.test:8443/a")
    assert host.robots_requests == 3
    host.now += ROBOTS_TTL
    fetcher.robots("https://news.test/a")
    assert host.robots_requests == 4


def test_concurrent_callers_share_one_download() -> None:
    gate = threading.Event()

    def slow(request: httpx.Request) -> httpx.Response:
        gate.wait(2)
        return httpx.Response(200, text=ROBOTS)

    host = Host(slow)
    fetcher = host.fetcher()
    results: list[Robots] = []
    threads = [
        threading.Thread(target=lambda: results.append(fetcher.robots("https://news.test/x")))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    time.sleep(0.05)
    gate.set()
    for thread in threads:
        thread.join()
    assert host.robots_requests == 1 and len(results) == 8
    assert all(r is results[0] for r in results)


def test_respect_robots_off_never_asks() -> None:
    host = Host(answer(200, "User-agent: *\nDisallow: /\n"))
    assert host.fetcher(respect_robots=False).fetch("https://news.test/a").status == 200
    assert host.robots_requests == 0


def test_size_cap_truncates_without_reading_the_rest() -> None:
    pulled = []

    def body() -> Iterator[bytes]:
        yield b"User-agent: *\nDisallow: /early/\n"
        for _ in range(2000):  # 2 MB of comments, then a rule that must not be seen
            pulled.append(1)
            yield b"#" * 999 + b"\n"
        yield b"Disallow: /late/\n"

    host = Host(lambda request: httpx.Response(200, content=body()))
    robots = host.fetcher().robots("https://news.test/")
    assert not robots.allowed("https://news.test/early/a")
    assert robots.allowed("https://news.test/late/a")
    assert len(pulled) <= ROBOTS_MAX_BYTES // 1000 + 2


def test_redirects_followed_up_to_five() -> None:
    def hops(count: int) -> Callable[[httpx.Request], httpx.Response]:
        def handle(request: httpx.Request) -> httpx.Response:
            n = int(request.url.params.get("n", "0"))
            if n < count:
                return httpx.Response(301, headers={"location": f"/robots.txt?n={n + 1}"})
            return httpx.Response(200, text="User-agent: *\nDisallow: /\n")

        return handle

    five = Host(hops(5)).fetcher().robots("https://news.test/")
    assert not five.allowed("https://news.test/a")
    six = Host(hops(6)).fetcher().robots("https://news.test/")
    assert six.allowed("https://news.test/a") and "redirects" in six.reason


def test_agent_token_and_urls() -> None:
    assert agent_token("scraper/0.1 (+https://github.com/scraper-news/scraper)") == "scraper"
    assert agent_token("My_Bot-2/1.0") == "my_bot-"
    assert agent_token("") == "*"
    assert robots_url("https://u:p@news.test:8443/a/b?q=1#f") == "https://news.test:8443/robots.txt"
    assert host_key("http://News.Test/a") == ("http", "news.test", 80)


def test_hostile_crawl_delay_ignored() -> None:
    assert Robots.parse("User-agent: *\nCrawl-delay: nan\n", "scraper").crawl_delay is None
    assert Robots.parse("User-agent: *\nCrawl-delay: -3\n", "scraper").crawl_delay is None


def test_a_crawl_delay_of_hours_is_capped_at_a_minute() -> None:
    robots = Robots.parse("User-agent: *\nCrawl-delay: 86400\n", "scraper")
    assert robots.crawl_delay == 60.0


def test_cache_evicts_least_recently_used() -> None:
    loads: list[str] = []

    def load(url: str) -> Robots:
        loads.append(url)
        return Robots.allow_all("scraper")

    cache = RobotsCache(load, clock=lambda: 0.0, max_hosts=2)
    for host in ["a", "b", "a", "c", "a", "b"]:
        cache.get(f"https://{host}.test/")
    assert [u.split("//")[1][0] for u in loads] == ["a", "b", "c", "b"]

"""A hostile test web for the crawl budget: traps, a giant sitemap index, odd links, several sites.

    with HostileWeb(per_sitemap=2500) as web:        # as bench/crawl.py uses it
        crawl(web.seeds, store, CrawlOptions(...))
        print(web.measure(started))                  # requests, junk, recall, intervals...

The hostile site (`hostile`) has:
- an events calendar: /events/?day=N links days N-1, N+1, N+7, N+30, N+365, each also with
  &view=week and &view=month (a 7-way branching space no depth limit bounds);
- a shop whose filter pages link every other colour, size, sort order and view (a query space);
  links carrying session ids (?sid=...), and an archive paginated without end (/archive/page/N);
- robots.txt listing first a sitemap index of `sitemaps` child sitemaps x `per_sitemap` URLs,
  oldest first (2005 to 2024): 40 % images, PDFs and videos by extension, 25 % topic pages
  (listings), 35 % old URLs that answer 404, 3 off-site URLs per sitemap; the last sitemap ends
  with the site's current articles, then the 6 articles with the newest lastmod of the whole
  index, which nothing else links to;
- a slow-drip page (headers at once, then 1 byte a second), a page with 60 KB of headers, and
  links to other schemes (mailto:, javascript:, ftp:, tel:, data:) and to another host.
Two ordinary news sites (`daily`, `weekly`: home, sections, a sitemap) are crawled beside it.
Every host is a loopback server (tests/web.py); the calendar and the shop are generated per
request. Known articles are the recall's denominator; `measure` sorts every request into
articles, 404s, traps and other non-articles from the servers' own logs.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html import escape
from urllib.parse import parse_qsl, urlencode, urlsplit

from scraper.demo_site.feeds import Entry
from tests.conftest import story_paragraphs
from tests.web import Host, Reply, article_html

NON_HTML = (".jpg", ".png", ".pdf", ".mp4", ".webm")
TOPICS = "politics climate housing transport health schools farming energy courts".split()
COLOURS, SIZES = ("red", "blue", "green", "black"), ("s", "m", "l", "xl")
SORTS, VIEWS = ("price", "name", "new"), ("grid", "list")
# Where the traps live: any request under these is a trap request.
TRAP_PREFIXES = ("/events/", "/shop/", "/archive/page/")
_stories = itertools.count(7000)


def listing(title: str, links: Iterable[str]) -> str:
    """A listing page as sites make them: masthead, a heading and a list of links."""
    items = "".join(
        f'<li><a href="{escape(u)}">{escape(u.rstrip("/").rsplit("/", 1)[-1] or "Home")}</a></li>'
        for u in links
    )
    return (
        f'<!doctype html><html><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f'</head><body><header><a href="/">Home</a></header><main><h1>{escape(title)}</h1>'
        f'<ul>{items}</ul></main><footer><a href="/">Home</a></footer></body></html>'
    )


def story(path: str, published: datetime, links: Iterable[str] = ()) -> str:
    """An article page with a body of its own."""
    words = path.rstrip("/").rsplit("/", 1)[-1].replace("-", " ")
    return article_html(
        words.capitalize(),
        links=links,
        published=published.isoformat(timespec="seconds"),
        paragraphs=story_paragraphs(next(_stories)),
    )


class DynamicHost(Host):
    """A Host that also answers every path under some prefixes with a reply built from the
    request target (a calendar or a shop has no end, so it cannot be canned)."""

    def __init__(self, name: str, stopping: threading.Event) -> None:
        self._dynamic: dict[str, Callable[[str], Reply]] = {}  # set before the server starts
        super().__init__(name, stopping)

    def route(self, prefix: str, make: Callable[[str], Reply]) -> None:
        """Answer every request whose path starts with prefix with make(target)."""
        self._dynamic[prefix] = make

    def _next_reply(self, target: str) -> Reply | None:
        path = urlsplit(target).path
        for prefix in sorted(self._dynamic, key=len, reverse=True):
            if path.startswith(prefix):
                return self._dynamic[prefix](target)
        return super()._next_reply(target)


@dataclass
class Site:
    """One site of the web and what a perfect crawl would find there."""

    host: DynamicHost
    articles: set[str] = field(default_factory=set)  # paths of its real articles
    newest: list[str] = field(default_factory=list)  # sitemap-only, newest lastmod of all

    @property
    def seed(self) -> str:
        return self.host.url + "/"


def _day_path(day: datetime, slug: str) -> str:
    return f"/{day:%Y/%m/%d}/{slug}"


def _calendar(target: str) -> Reply:
    """/events/?day=N: days N-1, N+1, N+7, N+30, N+365, each in three views."""
    query = dict(parse_qsl(urlsplit(target).query))
    day = int(query.get("day", "0")) if query.get("day", "0").isdigit() else 0
    links = []
    for step in (-1, 1, 7, 30, 365):
        links.append(f"/events/?day={day + step}")
        links += [f"/events/?day={day + step}&view={v}" for v in ("week", "month")]
    return Reply(body=listing(f"Events on day {day}", links))


def _shop(target: str) -> Reply:
    """/shop/?colour=..&size=..&sort=..&view=..: links to every one-parameter change."""
    query = dict(parse_qsl(urlsplit(target).query))
    links = []
    for name, values in (("colour", COLOURS), ("size", SIZES), ("sort", SORTS), ("view", VIEWS)):
        for value in values:
            links.append("/shop/?" + urlencode(sorted({**query, name: value}.items())))
    return Reply(body=listing("Shop", links))


def _archive(target: str) -> Reply:
    """/archive/page/N: links to page N+1 and to two old stories that are gone (404)."""
    n = int(urlsplit(target).path.rstrip("/").rsplit("/", 1)[-1] or 1)
    return Reply(
        body=listing(
            f"Archive page {n}",
            [
                f"/archive/page/{n + 1}",
                f"/2006/01/0{n % 9 + 1}/gone-story-number-{n}-a",
                f"/2006/02/01/gone-{n}-b",
            ],
        )
    )


def build_hostile(
    site: Site, elsewhere: str, now: datetime, sitemaps: int, per_sitemap: int
) -> None:
    """Serve the hostile site on site.host."""
    host = site.host
    current = [
        _day_path(now - timedelta(days=1 + i), f"current-story-number-{i}-on-the-site")
        for i in range(8)
    ]
    newest = [
        _day_path(now - timedelta(hours=1 + i), f"newest-story-{i}-only-in-the-sitemap")
        for i in range(6)
    ]
    sections = {
        s: [
            _day_path(now - timedelta(days=10 + 3 * i + k), f"{s}-story-{i}-from-the-desk")
            for i in range(5)
        ]
        for k, s in enumerate(("world", "business"))
    }
    site.articles |= {*current, *newest, *sections["world"], *sections["business"]}
    site.newest[:] = newest
    for i, path in enumerate(current):
        host.page(path, story(path, now - timedelta(days=1 + i)))
    for i, path in enumerate(newest):
        host.page(path, story(path, now - timedelta(hours=1 + i)))
    for section, paths in sections.items():
        host.page(f"/{section}/", listing(section.title(), paths))
        for path in paths:
            host.page(path, story(path, now - timedelta(days=12)))
    odd = [
        "mailto:desk@example.org",
        "javascript:void(0)",
        "ftp://127.0.0.1/file",
        "tel:+15550100",
        "data:text/html,<p>hi</p>",
        f"{elsewhere}/2024/01/01/off-site-story",
        "https://127.0.0.1:1/nothing-listens-here",
    ]
    home = [
        *current,
        "/world/",
        "/business/",
        "/events/",
        "/shop/",
        "/archive/page/1",
        "/2024/01/02/slow-drip-story-page",
        "/2024/01/03/huge-headers-story-page",
        "/latest/?sid=4f9a0c2b7d",
        "/latest/?sid=88e1aa90c3",
        *odd,
    ]
    host.page("/", listing("The Hostile Herald", home))
    host.page("/latest/", listing("Latest", current))
    host.route("/events/", _calendar)
    host.route("/shop/", _shop)
    host.route("/archive/page/", _archive)
    host.add("/2024/01/02/slow-drip-story-page", Reply(body=story("slow-drip", now), drip=1.0))
    host.add(
        "/2024/01/03/huge-headers-story-page",
        Reply(body=story("huge-headers", now), headers={"X-Filler": "a" * 60_000}),
    )
    host.route("/topic/", lambda target: Reply(body=listing("Topic", ["/"])))
    host.robots(f"User-agent: *\nSitemap: {host.url}/sitemap-index.xml\nDisallow: /private/\n")
    _giant_index(host, elsewhere, now, sitemaps, per_sitemap, current, newest)


def _giant_index(
    host: Host,
    elsewhere: str,
    now: datetime,
    sitemaps: int,
    per_sitemap: int,
    current: list[str],
    newest: list[str],
) -> None:
    """The sitemap index: junk oldest first, the site's articles and the newest last."""
    total = sitemaps * per_sitemap
    start, end = datetime(2005, 1, 1, tzinfo=UTC), datetime(2024, 12, 31, tzinfo=UTC)
    step = (end - start) / total
    children = []
    for s in range(sitemaps):
        entries = []
        for j in range(per_sitemap):
            n = s * per_sitemap + j
            when = start + step * n
            kind = n % 20  # 8 of 20 non-HTML, 5 topic pages, 7 old URLs that are gone
            if kind < 8:
                path = f"/media/{when:%Y}/file-{n}{NON_HTML[n % len(NON_HTML)]}"
            elif kind < 13:
                path = f"/topic/{TOPICS[n % len(TOPICS)]}-{n}"
            else:
                path = _day_path(when, f"old-story-number-{n}-now-gone")
            entries.append(Entry(host.url + path, lastmod=when.date().isoformat()))
        for k in range(3):
            entries.append(Entry(f"{elsewhere}/2024/0{k + 1}/01/elsewhere-story-{s}"))
        if s == sitemaps - 1:
            entries += [
                Entry(host.url + p, lastmod=(now - timedelta(days=1 + i)).date().isoformat())
                for i, p in enumerate(current)
            ]
            entries += [
                Entry(
                    host.url + p,
                    lastmod=(now - timedelta(hours=1 + i)).isoformat(timespec="seconds"),
                )
                for i, p in enumerate(newest)
            ]
        path = f"/sitemaps/part-{s + 1}.xml"
        host.sitemap(path, entries)
        children.append(path)
    host.sitemap_index("/sitemap-index.xml", children)


def build_news(site: Site, now: datetime, articles: int = 24) -> None:
    """An ordinary news site: home, two sections, a sitemap with lastmod, no traps."""
    host = site.host
    paths = [
        _day_path(now - timedelta(hours=9 * i), f"{site.host.name}-report-number-{i}-today")
        for i in range(articles)
    ]
    site.articles |= set(paths)
    for i, path in enumerate(paths):
        host.page(path, story(path, now - timedelta(hours=9 * i), links=["/", paths[i - 1]]))
    host.page("/", listing(site.host.name.title(), [*paths[:8], "/news/", "/sport/", "/about"]))
    host.page("/news/", listing("News", paths[::2]))
    host.page("/sport/", listing("Sport", paths[1::2]))
    host.page("/about", listing("About us", []))
    host.sitemap(
        "/sitemap.xml",
        [
            Entry(host.url + p, lastmod=(now - timedelta(hours=9 * i)).date().isoformat())
            for i, p in enumerate(paths)
        ],
    )
    host.robots(f"User-agent: *\nSitemap: {host.url}/sitemap.xml\n")


@dataclass(frozen=True)
class Measure:
    """One crawl of the web, from the servers' logs: where the requests went."""

    requests: int  # every request, robots.txt and sitemaps included
    articles: int  # known articles fetched (distinct)
    known: int  # known articles in the web
    newest: int  # of the hostile site's sitemap-only newest articles, how many were fetched
    not_found: int  # requests answered 404
    traps: int  # requests into the calendar, the shop and the endless archive
    non_articles: int  # other pages that are not articles (listings, topic pages, odd pages)
    off_site: int  # requests to the host no seed names
    min_interval: dict[str, float]  # host name -> shortest gap between two of its requests
    first_article: float | None  # seconds from the start to the first known article

    @property
    def recall(self) -> float:
        return self.articles / self.known if self.known else 0.0

    @property
    def junk(self) -> int:
        return self.not_found + self.traps + self.non_articles


class HostileWeb:
    """The hostile site, two ordinary news sites and an unrelated host, all on loopback."""

    def __init__(
        self, *, sitemaps: int = 20, per_sitemap: int = 2_500, now: datetime | None = None
    ):
        self._stopping = threading.Event()
        self.now = now or datetime.now(UTC)
        self.hosts: list[DynamicHost] = []
        try:
            hostile, daily, weekly, self.elsewhere = (
                self._host(n) for n in ("hostile", "daily", "weekly", "elsewhere")
            )
            self.sites = {"hostile": Site(hostile), "daily": Site(daily), "weekly": Site(weekly)}
            build_hostile(
                self.sites["hostile"], self.elsewhere.url, self.now, sitemaps, per_sitemap
            )
            build_news(self.sites["daily"], self.now)
            build_news(self.sites["weekly"], self.now, articles=12)
        except BaseException:
            self.close()
            raise

    def _host(self, name: str) -> DynamicHost:
        host = DynamicHost(name, self._stopping)
        self.hosts.append(host)
        return host

    @property
    def seeds(self) -> list[str]:
        return [site.seed for site in self.sites.values()]

    def __enter__(self) -> HostileWeb:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Wake the slow pages and stop every host."""
        self._stopping.set()
        for host in self.hosts:
            host.close()

    def measure(self, started: float, sites: Iterable[str] | None = None) -> Measure:
        """Sort the requests the sites received since `started` (time.monotonic())."""
        chosen = [self.sites[n] for n in (sites or self.sites)]
        counts = dict.fromkeys(("requests", "not_found", "traps", "non_articles"), 0)
        fetched: set[tuple[str, str]] = set()
        firsts, gaps = [], {}
        for site in chosen:
            hits = [h for h in site.host.hits() if h.time >= started]
            times = [h.time for h in hits]
            gaps[site.host.name] = min((b - a for a, b in itertools.pairwise(times)), default=0.0)
            for hit in hits:
                path = urlsplit(hit.path).path
                counts["requests"] += 1
                if path.endswith((".xml", ".txt")):
                    continue  # robots.txt and sitemaps: requests, but neither junk nor found
                if path.startswith(TRAP_PREFIXES):
                    counts["traps"] += 1
                elif hit.status == 404:
                    counts["not_found"] += 1
                elif path in site.articles and hit.status == 200:
                    fetched.add((site.host.name, path))
                    firsts.append(hit.time - started)
                else:
                    counts["non_articles"] += 1
        hostile = self.sites["hostile"]
        newest = sum(("hostile", p) in fetched for p in hostile.newest)
        off_site = len([h for h in self.elsewhere.hits() if h.time >= started])
        known = sum(len(site.articles) for site in chosen)
        return Measure(
            counts["requests"],
            len(fetched),
            known,
            newest,
            counts["not_found"],
            counts["traps"],
            counts["non_articles"],
            off_site,
            gaps,
            min(firsts, default=None),
        )

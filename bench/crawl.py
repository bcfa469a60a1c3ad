"""Crawl benchmark: a local news web of 2,400 article pages on 24 hosts, crawled with --delay 0.

    python bench/crawl.py                      # 24 hosts x 100 articles, as `scrape.py crawl`
    python bench/crawl.py --processes 0        # pages read in the worker threads only
    python bench/crawl.py --hosts 60           # 6,000+ pages: RSS levels off at the cache cap
    python bench/crawl.py --cache-mb 2         # a small SQLite cache: RSS flat from the start
    python bench/crawl.py --profile main.prof  # cProfile of the main (scheduling, saving) thread
    python bench/crawl.py --hostile            # where the requests go on a hostile web (below)

The sites run in a child process, so serving costs the crawler no GIL time. Each host has
robots.txt with a Sitemap line, a sitemap of its articles, a home page, four section pages
and an about page; articles look like real ones (JSON-LD, OpenGraph, masthead and nav,
byline, 6 to 9 paragraphs, a newsletter box, related links, footer: about 5 KB each). The
crawl is the real thing: `scraper.crawl.crawl` into a fresh database file, with extraction,
dedup, full-text index and raw archive. At 500, 1,000 and 2,000 pages (and at the end) it
prints pages/s (overall and since the previous mark), the crawler's peak and current RSS
and its CPU (cores busy; page-reading processes are counted on the last line instead).
RSS grows while the store's SQLite page cache (64 MB) fills, then stays level.

--hostile crawls tests/hostile_web.py (a calendar trap, filter and view query spaces, an endless
archive, a 20 x 2,500-URL sitemap index oldest first with the 6 newest stories last, a slow-drip
page, huge headers, odd schemes; two ordinary news sites beside it) with the crawler's frontier
and with a plain breadth-first one, in the same run, each twice on one database (the second run
is the incremental one), and prints per frontier: requests, articles found, articles per
request, junk (404, other non-articles, traps), recall of the known articles, the 6 newest
found, time to the first article, the shortest interval between two requests to one origin.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import multiprocessing
import os
import random
import resource
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scraper.crawl import CrawlOptions, Progress, crawl, default_processes
from scraper.fetch import FetchConfig
from scraper.pipeline import OUTCOMES
from scraper.store import Store

MARKS = (500, 1_000, 2_000)
SECTIONS = ("world", "business", "science", "culture")
_WORDS = {
    "subject": "council ministry union hospital court airline university port regulator "
    "museum railway insurer bank committee cooperative utility school agency".split(),
    "verb": "approved delayed expanded reviewed rejected announced funded suspended "
    "challenged restored defended questioned relaunched cancelled".split(),
    "object": "the budget the bridge plan a new contract the merger the pension reform "
    "the flood defences the housing scheme the tram line the wage deal the harbour works "
    "the grant programme the safety rules the night trains the water tariff".split(" the "),
    "place": "Lakeside Northport Eastvale Millbrook Southfield Westmere Highcross Riverton "
    "Ashford Greywater Stonebridge Oakhurst Fairhaven Kingsmoor Larkhill".split(),
    "person": "Ana Ruiz|Tom Becker|Mei Lin|Omar Haddad|Ines Costa|Piet de Vries|Sara Nowak|"
    "Jonas Berg|Leila Amini|Kofi Mensah|Ruth Adler|Dmitri Orlov".split("|"),
    "tail": "after months of talks|despite objections from residents|on a narrow vote|"
    "ahead of the winter|citing rising costs|under pressure from investors|"
    "following an independent review|weeks before the election".split("|"),
}


def sentence(rng: random.Random) -> str:
    """A news-like sentence; the combinations make every story's text its own."""
    w = {k: rng.choice(v) for k, v in _WORDS.items()}
    forms = (
        "The {subject} in {place} {verb} {object} {tail}, officials said.",
        "{person}, who has followed the case for years, said the {subject} {verb} {object} {tail}.",
        "Figures seen by the paper show {n} households in {place} were affected, "
        "about {pct} percent more than last year.",
        "“We did not expect the {subject} to move this fast,” said {person} in {place}.",
        "Critics say the {subject} {verb} {object} without asking the people of {place}.",
    )
    text = rng.choice(forms).format(**w, n=rng.randint(40, 9000), pct=rng.randint(2, 60))
    return text[0].upper() + text[1:]


def article_page(rng: random.Random, base: str, i: int, related: list[str]) -> tuple[str, str]:
    """(path, html) of one article."""
    section = SECTIONS[i % len(SECTIONS)]
    day = datetime(2024, 5, 20, 9, tzinfo=UTC) - timedelta(hours=7 * i)
    words = [rng.choice(_WORDS["subject"]), rng.choice(_WORDS["verb"]), rng.choice(_WORDS["place"])]
    headline = f"{words[0].title()} {words[1]} plan in {words[2]} after long debate ({i})"
    path = f"/{section}/{day:%Y/%m/%d}/{'-'.join(headline.lower().split()[:7])}-{i}"
    author = rng.choice(_WORDS["person"])
    paragraphs = [
        " ".join(sentence(rng) for _ in range(rng.randint(3, 5))) for _ in range(rng.randint(6, 9))
    ]
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": headline,
          "datePublished": day.isoformat(), "author": [{"@type": "Person", "name": author}],
          "articleSection": section}  # fmt: skip
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs[:3])
    body += '<aside class="newsletter"><p>Get the morning briefing. Sign up now.</p></aside>'
    body += "".join(f"<p>{escape(p)}</p>" for p in paragraphs[3:])
    links = "".join(f'<li><a href="{r}">{escape(r.rsplit("/", 1)[-1])}</a></li>' for r in related)
    html = (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(headline)}'
        f'</title><meta name="description" content="{escape(paragraphs[0][:150])}">'
        f'<meta property="og:title" content="{escape(headline)}">'
        f'<meta property="og:type" content="article"><link rel="canonical" href="{base}{path}">'
        f'<script type="application/ld+json">{json.dumps(ld)}</script></head><body>'
        f"{_masthead()}<main><article><h1>{escape(headline)}</h1>"
        f'<p class="byline">By <a rel="author" href="/about">{escape(author)}</a></p>'
        f'<time datetime="{day.isoformat()}">{day:%d %B %Y}</time>{body}</article>'
        f'<section class="related"><h2>Related</h2><ul>{links}</ul></section></main>'
        f"{_footer()}</body></html>"
    )
    return path, html


def _masthead() -> str:
    nav = "".join(f'<a href="/{s}/">{s.title()}</a> ' for s in SECTIONS)
    return f'<header><a href="/">The Bench Gazette</a><nav>{nav}</nav></header>'


def _footer() -> str:
    return '<footer><a href="/about">About us</a> · <a href="/">Home</a></footer>'


def _listing(title: str, paths: list[str]) -> str:
    items = "".join(f'<li><a href="{p}">{escape(p.rsplit("/", 1)[-1])}</a></li>' for p in paths)
    return (
        f'<!doctype html><html><head><meta charset="utf-8"><title>{title}</title></head><body>'
        f"{_masthead()}<main><h1>{title}</h1><ul>{items}</ul></main>{_footer()}</body></html>"
    )


def render_host(base: str, seed: int, articles: int) -> dict[str, tuple[str, bytes]]:
    """Every page of one host: path -> (content type, body)."""
    rng = random.Random(seed)
    paths = [article_page(rng, base, i, [])[0] for i in range(articles)]
    rng = random.Random(seed)
    site: dict[str, tuple[str, bytes]] = {}
    html = "text/html; charset=utf-8"
    for i in range(articles):
        related = [paths[(i + k) % articles] for k in (1, 2, 3, 5, 8)]
        path, page = article_page(rng, base, i, related)
        site[path] = (html, page.encode())
    site["/"] = (html, _listing("Latest", paths[:20]).encode())
    for s in SECTIONS:
        site[f"/{s}"] = (
            html,
            _listing(s.title(), [p for p in paths if p.startswith(f"/{s}/")]).encode(),
        )
    site["/about"] = (html, _listing("About us", []).encode())
    urls = "".join(f"<url><loc>{base}{p}</loc></url>" for p in paths)
    xml = f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    site["/sitemap.xml"] = ("application/xml", xml.encode())
    site["/robots.txt"] = ("text/plain", f"User-agent: *\nSitemap: {base}/sitemap.xml\n".encode())
    return site


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self) -> None:
        kind, body = self.server.pages.get(self.path.rstrip("/") or "/", ("text/html", b"no"))
        self.send_response(200 if body != b"no" else 404)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128
    pages: dict[str, tuple[str, bytes]]


def serve(hosts: int, articles: int, ready: multiprocessing.connection.Connection) -> None:
    """Child process: one server per host on 127.0.0.1; sends back the base URLs and sizes."""
    servers, sizes = [], []
    for n in range(hosts):
        server = _Server(("127.0.0.1", 0), _Handler)
        base = f"http://127.0.0.1:{server.server_address[1]}"
        server.pages = render_host(base, n, articles)
        sizes += [len(b) for p, (k, b) in server.pages.items() if p.count("/") > 3]
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(base)
    ready.send((servers, sum(sizes) / len(sizes)))
    ready.recv()  # until the parent is done


def _status(key: str) -> float:
    """A VmHWM / VmRSS figure of this process in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


@dataclass(frozen=True)
class Mark:
    """The crawl as the page count passed a mark."""

    pages: int
    seconds: float
    peak_rss: float  # MB, VmHWM
    rss: float  # MB, VmRSS
    cpu: float  # seconds of this process's CPU since the start


class Marks(Progress):
    """A progress display that records a Mark as the page count passes each of MARKS."""

    def __init__(self) -> None:
        super().__init__(tty=False)
        self.rows: list[Mark] = []
        self._cpu0 = _cpu()

    def update(self, counts: Mapping[str, int], started: float, queued: Callable[[], int]) -> None:
        """Called by the crawler after each batch of results."""
        done = sum(counts.get(k, 0) for k in OUTCOMES)
        if len(self.rows) < len(MARKS) and done >= MARKS[len(self.rows)]:
            self.rows.append(self.mark(done, time.monotonic() - started))

    def mark(self, pages: int, seconds: float) -> Mark:
        """The figures now."""
        return Mark(pages, seconds, _status("VmHWM"), _status("VmRSS"), _cpu() - self._cpu0)


def _cpu() -> float:
    """CPU seconds of this process, all threads (child processes not included)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def table(rows: list[Mark]) -> str:
    """pages/s overall and since the previous row, peak and current RSS, cores busy."""
    lines = ["  pages  seconds  pages/s  stretch/s  peak RSS MB  RSS MB  cores"]
    before = Mark(0, 0.0, 0.0, 0.0, 0.0)
    for m in rows:
        span = max(m.seconds - before.seconds, 1e-9)
        stretch, cores = (m.pages - before.pages) / span, (m.cpu - before.cpu) / span
        lines.append(
            f"{m.pages:>7} {m.seconds:>8.1f} {m.pages / m.seconds:>8.0f} {stretch:>10.0f}"
            f" {m.peak_rss:>12.0f} {m.rss:>7.0f} {cores:>6.2f}"
        )
        before = m
    return "\n".join(lines)


def hostile(args: argparse.Namespace) -> int:
    """Crawl the hostile web with each frontier and print where the requests went: the hostile
    site alone in a small crawl, then all three sites in a big one and its incremental rerun."""
    from tests.hostile_web import HostileWeb

    config = FetchConfig(total_timeout=args.timeout)
    small = CrawlOptions(delay=0.2, concurrency=4, max_pages=60, max_depth=2)
    big = CrawlOptions(
        delay=args.delay, concurrency=args.concurrency, max_pages=args.max_pages,
        max_depth=args.max_depth, processes=args.processes,
    )  # fmt: skip
    print(
        f"hostile web: a {args.per_sitemap * 20:,}-URL sitemap index; page deadline"
        f" {args.timeout:g} s; load average {os.getloadavg()[0]:.1f}\n"
        f"  1 site:  --max-pages 60 --max-depth 2 --concurrency 4 --delay 0.2\n"
        f"  3 sites: --max-pages {big.max_pages} --max-depth {big.max_depth} --concurrency"
        f" {big.concurrency} --delay {big.delay:g}, then the same command again (incremental)"
    )
    print(
        "frontier sites    run requests articles art/req  404 non-art traps recall newest"
        "  first s min gap s"
    )
    scenarios = (
        (("hostile",), small, ("first",)),
        (("hostile", "daily", "weekly"), big, ("first", "again")),
    )
    for sites, base, runs in scenarios:
        for strategy in ("articles", "bfs"):
            options = CrawlOptions(**{**vars(base), "frontier": strategy})
            with (
                HostileWeb(per_sitemap=args.per_sitemap) as web,
                tempfile.TemporaryDirectory() as tmp,
            ):
                for run in runs:
                    started = time.monotonic()
                    with Store(Path(tmp) / "bench.db") as store:
                        seeds = [web.sites[s].seed for s in sites]
                        quiet = Progress(io.StringIO(), tty=False)
                        crawl(seeds, store, options, config, progress=quiet)
                    m = web.measure(started, sites)
                    first = f"{m.first_article:8.1f}" if m.first_article is not None else "       -"
                    print(
                        f"{strategy:<8} {len(sites):>5} {run:>6} {m.requests:>8} {m.articles:>8}"
                        f" {m.articles / max(m.requests, 1):>7.2f} {m.not_found:>4}"
                        f" {m.non_articles:>7} {m.traps:>5} {m.recall:>6.2f} {m.newest:>6}"
                        f" {first} {min(m.min_interval.values()):>9.3f}"
                    )
    return 0


def main(argv: list[str] | None = None) -> int:
    """Serve the web, crawl it, print the table."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--hostile", action="store_true", help="the crawl-budget benchmark")
    parser.add_argument("--per-sitemap", type=int, default=2_500, help="--hostile: URLs a sitemap")
    parser.add_argument("--max-pages", type=int, default=400, help="--hostile: per run")
    parser.add_argument("--timeout", type=float, default=10, help="--hostile: page deadline")
    parser.add_argument("--max-depth", type=int, default=5, help="--hostile")
    parser.add_argument("--delay", type=float, default=0.3, help="--hostile")
    parser.add_argument("--hosts", type=int, default=24)
    parser.add_argument("--per-host", type=int, default=100, help="articles per host")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument(
        "--processes",
        type=int,
        default=default_processes(),
        help="page-reading processes (default: the CLI's)",
    )
    parser.add_argument("--cache-mb", type=int, help="SQLite page cache (store default: 64)")
    parser.add_argument("--profile", metavar="FILE", help="cProfile of the main thread")
    args = parser.parse_args(argv)
    if args.hostile:
        return hostile(args)
    here, there = multiprocessing.Pipe()
    child = multiprocessing.get_context("spawn").Process(
        target=serve, args=(args.hosts, args.per_host, there), daemon=True
    )
    child.start()
    bases, mean_size = here.recv()
    seeds = [b + "/" for b in bases]
    marks = Marks()
    options = CrawlOptions(delay=0.0, concurrency=args.concurrency, processes=args.processes)
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.db") as store:
        if args.cache_mb is not None:
            store.conn.execute(f"PRAGMA cache_size = -{args.cache_mb * 1024}")
        started = time.monotonic()
        if args.profile:
            profiler = cProfile.Profile()
            summary = profiler.runcall(crawl, seeds, store, options, progress=marks)
            profiler.dump_stats(args.profile)
        else:
            summary = crawl(seeds, store, options, progress=marks)
        end = marks.mark(summary.pages, time.monotonic() - started)
    here.send("done")
    child.join(5)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cache = args.cache_mb if args.cache_mb is not None else "64 (default)"
    print(
        f"{args.hosts} hosts x {args.per_host} articles ({mean_size / 1024:.1f} KB each),"
        f" --concurrency {args.concurrency} --processes {args.processes} --delay 0,"
        f" SQLite cache {cache} MB, load average {os.getloadavg()[0]:.1f}"
    )
    print(table([*marks.rows, end]))
    child_cores = (children.ru_utime + children.ru_stime) / end.seconds
    print(f"child processes (sites, page readers): {child_cores:.2f} cores")
    print(dict(summary.counts))
    return 0 if summary.exit_code == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

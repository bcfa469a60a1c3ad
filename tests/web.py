"""A local multi-host test web for crawl tests: several servers on 127.0.0.1, one per "host".

Each Host is a ThreadingHTTPServer on its own port with canned pages, sitemaps, feeds and
robots.txt, plus the faults real sites produce: 500 then 200, 503 or 429 with Retry-After, a
stalled response, a connection reset, redirect loops, an oversized page, non-HTML. Every
request is logged with a monotonic timestamp so a test can measure the crawler's intervals.

    def test_crawl(make_web):
        web = make_web("news", "blog")
        news = web["news"]
        news.robots("User-agent: *\\nCrawl-delay: 0.2\\nDisallow: /private/\\n")
        news.page("/", article_html("Home", links=["/a", web["blog"].url + "/b"]))
        news.add("/a", Reply(500), Reply(body=article_html("A")))   # 500 once, then 200
        ...
        assert news.intervals() and min(news.intervals()) >= 0.2

Import the fixture in conftest (`from tests.web import make_web`).
"""

from __future__ import annotations

import contextlib
import itertools
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

from scraper.demo_site.feeds import Entry, atom_xml, rss_xml, sitemap_index_xml, urlset_xml

HTML = "text/html; charset=utf-8"
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Reply:
    """One canned response. A path's replies are served in order; the last one repeats."""

    status: int = 200
    body: bytes | str = b""
    content_type: str = HTML
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None  # sent as ETag; a matching If-None-Match gets a 304
    last_modified: str | None = None  # sent as Last-Modified; an equal If-Modified-Since: 304
    delay: float = 0.0  # seconds before anything is sent (slow first byte)
    stall: float = 0.0  # seconds of silence after the headers and half the body
    reset: bool = False  # no answer: the connection is reset (TCP RST)
    size: int | None = None  # stream this many filler bytes instead of body (oversized page)
    content_length: bool = True  # False: no Content-Length, the body ends at connection close
    drip: float = 0.0  # seconds between body bytes after the headers (a slow-drip page)


@dataclass(frozen=True)
class Hit:
    """One request as the server saw it."""

    time: float  # time.monotonic() when the request line was read
    method: str
    path: str  # with the query string
    headers: dict[str, str]
    status: int


def article_html(
    headline: str,
    *,
    links: Iterable[str] = (),
    published: str | None = None,
    paragraphs: Iterable[str] = (),
    canonical: str | None = None,
    head: str = "",
) -> str:
    """A plain article page: <h1>, <time>, paragraphs and a list of links."""
    paras = list(paragraphs) or [
        f"{headline}. This is the body of the story, paragraph {i}." for i in range(3)
    ]
    when = f'<time datetime="{escape(published)}">{escape(published)}</time>' if published else ""
    canon = f'<link rel="canonical" href="{escape(canonical)}">' if canonical else ""
    items = "".join(f'<li><a href="{escape(u)}">{escape(u)}</a></li>' for u in links)
    return (
        f'<!doctype html><html><head><meta charset="utf-8"><title>{escape(headline)}</title>'
        f"{canon}{head}</head><body><article><h1>{escape(headline)}</h1>{when}"
        f"{''.join(f'<p>{escape(p)}</p>' for p in paras)}</article><ul>{items}</ul></body></html>"
    )


class Host:
    """One site of the test web: routes, canned replies and a request log."""

    def __init__(self, name: str, stopping: threading.Event):
        self.name = name
        self._routes: dict[str, list[Reply]] = {}
        self._served: dict[str, int] = {}
        self._lock = threading.Lock()
        self.log: list[Hit] = []
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.host, self._server.stopping = self, stopping
        self.port: int = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name=f"web-{name}", daemon=True
        )
        self._thread.start()

    # -- routes --

    def add(self, path: str, *replies: Reply | str | bytes) -> Host:
        """Serve these replies at path (with or without its query), in order; the last repeats."""
        with self._lock:
            self._routes[path] = [r if isinstance(r, Reply) else Reply(body=r) for r in replies]
            self._served[path] = 0
        return self

    def page(self, path: str, html: str | bytes, **headers: str) -> Host:
        """An HTML page at path."""
        return self.add(path, Reply(body=html, headers=headers))

    def robots(self, text: str) -> Host:
        """/robots.txt."""
        return self.add("/robots.txt", Reply(body=text, content_type="text/plain"))

    def redirect(self, path: str, to: str, status: int = 301) -> Host:
        """A redirect from path to `to` (relative or absolute; two of these make a loop)."""
        return self.add(path, Reply(status, headers={"Location": to}))

    def sitemap(self, path: str, urls: Iterable[str | Entry], *, news: bool = False) -> Host:
        """A urlset (or a Google News sitemap) of urls; relative paths join this host."""
        entries = [self._entry(u) for u in urls]
        body = urlset_xml(entries, news_name=self.name if news else None)
        return self.add(path, Reply(body=body, content_type="application/xml"))

    def sitemap_index(self, path: str, sitemaps: Iterable[str | Entry]) -> Host:
        """A sitemap index naming child sitemaps."""
        body = sitemap_index_xml(self._entry(u) for u in sitemaps)
        return self.add(path, Reply(body=body, content_type="application/xml"))

    def feed(self, path: str, urls: Iterable[str | Entry], *, atom: bool = False) -> Host:
        """An RSS 2.0 (or Atom) feed of urls."""
        entries = [self._entry(u) for u in urls]
        make, kind = (
            (atom_xml, "application/atom+xml") if atom else (rss_xml, "application/rss+xml")
        )
        return self.add(
            path, Reply(body=make(self.name, self.url + "/", entries), content_type=kind)
        )

    def _entry(self, item: str | Entry) -> Entry:
        """An Entry with an absolute URL."""
        entry = item if isinstance(item, Entry) else Entry(item)
        if entry.url.startswith("/"):
            entry = Entry(
                self.url + entry.url, entry.title, entry.published, entry.lastmod, entry.summary
            )
        return entry

    def _next_reply(self, target: str) -> Reply | None:
        """The reply due for this request target, advancing its sequence."""
        with self._lock:
            key = target if target in self._routes else urlsplit(target).path
            replies = self._routes.get(key)
            if not replies:
                return None
            n = self._served[key]
            self._served[key] = n + 1
            return replies[min(n, len(replies) - 1)]

    # -- the log --

    def hits(self, path: str | None = None) -> list[Hit]:
        """Requests received, optionally only those for path (query ignored)."""
        with self._lock:
            log = list(self.log)
        return [h for h in log if path is None or urlsplit(h.path).path == path]

    def count(self, path: str) -> int:
        """How many times path was requested."""
        return len(self.hits(path))

    def intervals(self, *, skip: Iterable[str] = ()) -> list[float]:
        """Seconds between successive requests' arrival (paths in skip left out)."""
        times = [h.time for h in self.hits() if urlsplit(h.path).path not in set(skip)]
        return [b - a for a, b in itertools.pairwise(times)]

    def _record(self, hit: Hit) -> None:
        """Append to the log."""
        with self._lock:
            self.log.append(hit)

    def close(self) -> None:
        """Stop serving and drop open connections."""
        self._server.shutdown()
        self._server.drop_connections()
        self._server.server_close()
        self._thread.join(timeout=5)


class _Server(ThreadingHTTPServer):
    """One host's server; remembers its live connections so close() can drop them."""

    daemon_threads = True
    request_queue_size = 256
    host: Host
    stopping: threading.Event

    def __init__(self, *args: object, **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._live: set[socket.socket] = set()
        self._live_lock = threading.Lock()

    def process_request(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        """Track the connection, then serve it in a thread."""
        with self._live_lock:
            self._live.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request) -> None:  # type: ignore[no-untyped-def]
        """Forget the connection as it closes."""
        with self._live_lock:
            self._live.discard(request)
        super().shutdown_request(request)

    def drop_connections(self) -> None:
        """Close every open keep-alive connection so no handler thread outlives the web."""
        with self._live_lock:
            live, self._live = list(self._live), set()
        for sock in live:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        """Clients hanging up mid-response are expected here (caps, timeouts): stay quiet."""


class _Handler(BaseHTTPRequestHandler):
    """Answers from the host's routes, applying the reply's fault."""

    protocol_version = "HTTP/1.1"
    server: _Server
    timeout = 30  # an idle keep-alive connection closes eventually even if never dropped

    def setup(self) -> None:
        """No Nagle: headers and body go out in two writes, which would wait on delayed ACKs."""
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self) -> None:
        """Serve a GET."""
        self._serve(body=True)

    def do_HEAD(self) -> None:
        """Serve a HEAD."""
        self._serve(body=False)

    def _serve(self, *, body: bool) -> None:
        """Find the reply, log the hit, and send it (or the fault)."""
        arrived = time.monotonic()
        host = self.server.host
        reply = host._next_reply(self.path) or Reply(404, b"<h1>Not found</h1>")
        status = reply.status
        headers = {k.lower(): v for k, v in self.headers.items()}
        if status == 200 and (
            (reply.etag and headers.get("if-none-match") == reply.etag)
            or (reply.last_modified and headers.get("if-modified-since") == reply.last_modified)
        ):
            status = 304
        host._record(Hit(arrived, self.command, self.path, headers, 0 if reply.reset else status))
        if reply.delay and self.server.stopping.wait(reply.delay):
            return
        if reply.reset:
            self._reset()
            return
        data = reply.body.encode() if isinstance(reply.body, str) else reply.body
        length = reply.size if reply.size is not None else len(data)
        self.send_response(status)
        self.send_header("Content-Type", reply.content_type)
        for name, value in {"ETag": reply.etag, "Last-Modified": reply.last_modified}.items():
            if value:
                self.send_header(name, value)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if status == 304:
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if reply.content_length:
            self.send_header("Content-Length", str(length))
        else:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if body:
            self._send_body(reply, data, length)

    def _send_body(self, reply: Reply, data: bytes, length: int) -> None:
        """Write the body (the data, or filler for a sized reply), stalling once halfway."""
        if reply.drip:  # one byte at a time: every read succeeds, the page never ends
            chunks: Iterable[bytes] = (data[i : i + 1] for i in range(length))
        elif reply.size is not None:
            chunks = _filler(length)
        else:
            chunks = (data[: length // 2], data[length // 2 :])
        sent, stalled = 0, not reply.stall
        try:
            for chunk in chunks:
                if not stalled and sent >= length // 2:
                    stalled = True
                    self.wfile.flush()
                    if self.server.stopping.wait(reply.stall):
                        return
                self.wfile.write(chunk)
                sent += len(chunk)
                if reply.drip:
                    self.wfile.flush()
                    if self.server.stopping.wait(reply.drip):
                        return
        except OSError:  # the client hung up (size cap, timeout): that is its right
            self.close_connection = True

    def _reset(self) -> None:
        """Close the socket with SO_LINGER 0 so the client gets a TCP RST, not a clean EOF."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:
        """The request log is Host.log; nothing to stderr."""


def _filler(length: int) -> Iterator[bytes]:
    """length bytes of HTML-ish filler, in chunks."""
    block = b"<p>" + b"filler " * (_CHUNK // 7 - 2) + b"</p>\n"
    while length > 0:
        chunk = block[:length]
        yield chunk
        length -= len(chunk)


class Web:
    """Several Hosts, one port each, stopped together."""

    def __init__(self, names: Iterable[str]):
        self._stopping = threading.Event()
        self.hosts: dict[str, Host] = {}
        try:
            for name in names:
                self.hosts[name] = Host(name, self._stopping)
        except BaseException:
            self.close()
            raise

    def __getitem__(self, name: str) -> Host:
        return self.hosts[name]

    def __enter__(self) -> Web:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Wake stalled responses and stop every host."""
        self._stopping.set()
        for host in self.hosts.values():
            host.close()


@pytest.fixture
def make_web() -> Iterator[Callable[..., Web]]:
    """Factory fixture: make_web("a", "b", ...) starts a Web; all are stopped after the test."""
    webs: list[Web] = []

    def factory(*names: str) -> Web:
        web = Web(names or ("site",))
        webs.append(web)
        return web

    yield factory
    for web in webs:
        web.close()

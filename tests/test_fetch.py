"""Fetcher: retries, redirects, limits, types, conditional GET; a few cases on real sockets."""

from __future__ import annotations

import contextlib
import gzip
import itertools
import socket
import struct
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from email.utils import formatdate

import brotli
import httpx
import pytest

from scraper.errors import (
    FetchError,
    HTTPStatus,
    NotHTML,
    RobotsDisallowed,
    TooLarge,
    TooManyRedirects,
    Unreachable,
)
from scraper.fetch import FetchConfig, Fetcher, Gate
from scraper.fetch.exchange import looks_like_html, parse_content_type, parse_retry_after

HTML = b"<!doctype html><html><body><p>Hello</p></body></html>"
Handler = Callable[[httpx.Request], httpx.Response]


class Site:
    """A MockTransport site: routes by path, records requests and the waits of the retries."""

    def __init__(self, routes: dict[str, Handler | list[Handler]], robots: str = "") -> None:
        self.routes = routes
        self.robots = robots
        self.requests: list[httpx.Request] = []
        self.waits: list[float] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(200, text=self.robots)
        self.requests.append(request)
        route = self.routes.get(request.url.path)
        if route is None:
            return httpx.Response(404)
        if isinstance(route, list):  # one handler per call, the last one repeating
            route = route.pop(0) if len(route) > 1 else route[0]
        return route(request)

    def fetcher(self, **config: object) -> Fetcher:
        client = httpx.Client(transport=httpx.MockTransport(self))
        return Fetcher(FetchConfig(**config), client=client, sleep=self.waits.append)  # type: ignore[arg-type]


def html(status: int = 200, body: bytes = HTML, **headers: str) -> Handler:
    """A handler answering an HTML page."""
    hdrs = {"content-type": "text/html; charset=UTF-8", **headers}
    return lambda request: httpx.Response(status, content=body, headers=hdrs)


def status(code: int, **headers: str) -> Handler:
    """A handler answering a bare status."""
    return lambda request: httpx.Response(code, headers=headers)


def redirect(location: str, code: int = 302, **headers: str) -> Handler:
    """A handler answering a redirect."""
    return status(code, location=location, **headers)


def streamed(chunks: Iterator[bytes], **headers: str) -> Handler:
    """A handler whose body is a live stream (read through iter_raw, like the network)."""
    return lambda request: httpx.Response(200, content=chunks, headers=headers)


# -- a plain success ---------------------------------------------------------------------------


def test_html_page_result_fields() -> None:
    site = Site({"/a": html(etag='"v1"', **{"last-modified": "Tue, 01 Feb 2022 10:00:00 GMT"})})
    result = site.fetcher().fetch("http://news.test/a")
    assert result.status == 200 and result.content == HTML
    assert result.final_url == "http://news.test/a" and result.redirects == ()
    assert (result.content_type, result.encoding) == ("text/html", "utf-8")
    assert result.etag == '"v1"' and result.last_modified.startswith("Tue")
    assert result.headers["content-type"] == "text/html; charset=UTF-8"
    assert result.attempts == 1 and not result.not_modified
    assert result.fetched_at.endswith("+00:00")
    sent = site.requests[0].headers
    assert sent["user-agent"].startswith("scraper/0.1 (+https://")
    assert sent["accept-encoding"] == "gzip, deflate, br"
    assert "if-none-match" not in sent


# -- politeness: every request waits its turn at its host ------------------------------------


class FakeClock:
    """A monotonic clock that moves only when someone sleeps on it."""

    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_gate_spaces_requests_to_one_origin_only() -> None:
    clock = FakeClock()
    gate = Gate(0.5, clock=clock, sleep=clock.sleep)
    with gate.turn("http://a.test/one") as waited:
        assert waited == 0
    clock.now += 0.2
    with gate.turn("http://a.test/two?x=1") as waited:
        assert waited == pytest.approx(0.3)  # the rest of the delay, not all of it
    with gate.turn("http://b.test/") as waited, gate.turn("http://a.test:8080/") as other:
        assert waited == 0 and other == 0  # other hosts and ports are other origins
    assert gate.ready_at("a.test:80") == pytest.approx(clock.now + 0.5)
    gate.slow_down("http://a.test/robots.txt", 2.0)  # a Crawl-delay read after the request
    assert gate.ready_at("a.test:80") == pytest.approx(clock.now + 2.0)
    gate.slow_down("http://b.test/robots.txt", 0.1)  # shorter than the crawl's delay: ignored
    assert gate.ready_at("b.test:80") == pytest.approx(clock.now + 0.5)
    assert gate.ready_at("c.test:80") == 0.0


def test_gate_serialises_threads_and_a_failed_request_counts() -> None:
    gate = Gate(0.05)
    starts: list[float] = []

    def request() -> None:
        with contextlib.suppress(OSError), gate.turn("http://a.test/"):
            starts.append(time.monotonic())
            raise OSError("connection refused")  # a request all the same

    threads = [threading.Thread(target=request) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    starts.sort()
    assert all(b - a >= 0.05 for a, b in itertools.pairwise(starts))


def test_redirect_hops_retries_and_robots_each_wait_the_crawl_delay() -> None:
    clock = FakeClock()
    sent: list[tuple[str, float]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append((request.url.host + request.url.path, clock()))
        return site(request)

    site = Site(
        {
            "/a": [redirect("/b")],
            "/b": [redirect("http://other.test/c")],
            "/c": [status(503, **{"retry-after": "0"}), status(429), html()],
        },
        robots="User-agent: *\nCrawl-delay: 2\n",
    )
    client = httpx.Client(transport=httpx.MockTransport(handler))
    gate = Gate(0.5, clock=clock, sleep=clock.sleep)
    fetcher = Fetcher(FetchConfig(backoff_max=0.1), client=client, clock=clock,
                      sleep=lambda s: None, gate=gate)  # fmt: skip
    result = fetcher.fetch("http://news.test/a")
    assert result.status == 200 and result.attempts == 3
    # Each attempt follows the chain from the start: /a, /b, then /c on the other host.
    assert [p for p, _ in sent] == [
        "news.test/robots.txt", "news.test/a", "news.test/b", "other.test/robots.txt",
        "other.test/c", *["news.test/a", "news.test/b", "other.test/c"] * 2,
    ]  # fmt: skip
    for host in ("news.test", "other.test"):  # Crawl-delay: 2 on both, retries included
        times = [t for p, t in sent if p.startswith(host)]
        assert all(b - a >= 2.0 for a, b in itertools.pairwise(times)), times


# -- retries -----------------------------------------------------------------------------------


def test_500_then_200_retries_once() -> None:
    site = Site({"/a": [status(500), html()]})
    result = site.fetcher().fetch("http://news.test/a")
    assert result.status == 200 and result.attempts == 2
    assert len(site.waits) == 1 and 1 <= site.waits[0] <= 2  # 2**0 plus up to 1s of jitter


@pytest.mark.parametrize("code", [408, 429, 500, 502, 503, 504])
def test_retryable_statuses_exhaust_then_raise(code: int) -> None:
    site = Site({"/a": [status(code)]})
    with pytest.raises(HTTPStatus) as info:
        site.fetcher(max_retries=3, backoff_max=3).fetch("http://news.test/a")
    assert info.value.status == code and info.value.url == "http://news.test/a"
    assert len(site.requests) == 4 and len(site.waits) == 3
    assert all(w <= 3 for w in site.waits) and site.waits[0] < site.waits[1]


@pytest.mark.parametrize("code", [400, 401, 403, 404, 410, 451])
def test_other_4xx_never_retried(code: int) -> None:
    site = Site({"/a": [status(code)]})
    with pytest.raises(HTTPStatus) as info:
        site.fetcher().fetch("http://news.test/a")
    assert info.value.status == code
    assert len(site.requests) == 1 and site.waits == []


def test_503_retry_after_seconds() -> None:
    site = Site({"/a": [status(503, **{"retry-after": "7"}), html()]})
    result = site.fetcher().fetch("http://news.test/a")
    assert result.attempts == 2 and site.waits == [7.0]


def test_503_retry_after_http_date() -> None:
    later = formatdate(time.time() + 30, usegmt=True)
    site = Site({"/a": [status(503, **{"retry-after": later}), html()]})
    site.fetcher().fetch("http://news.test/a")
    assert 27 <= site.waits[0] <= 31


def test_429_retry_after_capped() -> None:
    site = Site({"/a": [status(429, **{"retry-after": "86400"}), html()]})
    site.fetcher(max_retry_after=120).fetch("http://news.test/a")
    assert site.waits == [120.0]


def test_retry_after_parsing() -> None:
    assert parse_retry_after("12") == 12.0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past


@pytest.mark.parametrize(
    "error",
    [httpx.ConnectError("refused"), httpx.ConnectTimeout("slow"), httpx.ReadTimeout("slow"),
     httpx.ReadError("reset by peer"), httpx.RemoteProtocolError("server disconnected")],
)  # fmt: skip
def test_transport_errors_retried_then_unreachable(error: Exception) -> None:
    def fail(request: httpx.Request) -> httpx.Response:
        raise error

    site = Site({"/a": [fail]})
    with pytest.raises(Unreachable) as info:
        site.fetcher(max_retries=2).fetch("http://news.test/a")
    assert len(site.requests) == 3 and len(site.waits) == 2
    assert type(error).__name__ in info.value.reason


def test_timeout_then_success() -> None:
    def fail(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow")

    site = Site({"/a": [fail, html()]})
    assert site.fetcher().fetch("http://news.test/a").attempts == 2


def test_deadline_is_not_retried() -> None:
    now = [0.0]

    def drip() -> Iterator[bytes]:
        for _ in range(1000):
            now[0] += 1.0  # each chunk arrives a second later
            yield b"<html>"

    site = Site({"/a": [streamed(drip(), **{"content-type": "text/html"})]})
    fetcher = Fetcher(
        FetchConfig(total_timeout=5),
        client=httpx.Client(transport=httpx.MockTransport(site)),
        sleep=site.waits.append,
        clock=lambda: now[0],
    )
    with pytest.raises(Unreachable, match="deadline"):
        fetcher.fetch("http://news.test/a")
    assert len(site.requests) == 1 and 5 <= now[0] <= 7


# -- redirects ---------------------------------------------------------------------------------


def test_redirect_chain_recorded() -> None:
    site = Site({"/a": [redirect("/b", 301)], "/b": [redirect("http://news.test/c#x", 308)],
                 "/c": [html()]})  # fmt: skip
    result = site.fetcher().fetch("http://news.test/a")
    assert result.final_url == "http://news.test/c"
    assert result.redirects == ("http://news.test/a", "http://news.test/b")


def test_redirect_loop_detected() -> None:
    site = Site({"/a": [redirect("/b")], "/b": [redirect("/a")]})
    with pytest.raises(TooManyRedirects, match="loop"):
        site.fetcher().fetch("http://news.test/a")
    assert len(site.requests) == 2  # stopped at the first repeat, not at the cap


def test_cookie_bounce_is_not_a_loop() -> None:
    def bounce(request: httpx.Request) -> httpx.Response:
        if "seen=1" in request.headers.get("cookie", ""):
            return html()(request)
        return redirect("/a", **{"set-cookie": "seen=1; Path=/"})(request)

    result = Site({"/a": [bounce]}).fetcher().fetch("http://news.test/a")
    assert result.status == 200 and result.redirects == ("http://news.test/a",)


def test_too_many_redirects() -> None:
    routes: dict[str, Handler | list[Handler]] = {
        f"/{i}": [redirect(f"/{i + 1}")] for i in range(12)
    }
    routes["/12"] = [html()]
    site = Site(routes)
    with pytest.raises(TooManyRedirects, match="more than 10"):
        site.fetcher(max_redirects=10).fetch("http://news.test/0")
    assert len(site.requests) == 11
    assert len(site.fetcher(max_redirects=12).fetch("http://news.test/0").redirects) == 12


@pytest.mark.parametrize("target", ["ftp://news.test/a", "file:///etc/passwd", "javascript:x"])
def test_redirect_to_other_scheme_refused(target: str) -> None:
    site = Site({"/a": [redirect(target)]})
    with pytest.raises(FetchError, match=r"unsupported URL|unusable URL"):
        site.fetcher().fetch("http://news.test/a")
    assert len(site.requests) == 1


def test_robots_checked_on_each_hop() -> None:
    site = Site({"/a": [redirect("/private/b")], "/private/b": [html()]},
                robots="User-agent: *\nDisallow: /private\n")  # fmt: skip
    with pytest.raises(RobotsDisallowed, match="redirect target"):
        site.fetcher().fetch("http://news.test/a")
    assert [r.url.path for r in site.requests] == ["/a"]


def test_non_http_url_refused() -> None:
    with pytest.raises(FetchError, match="scheme"):
        Site({}).fetcher().fetch("ftp://news.test/a")


# -- size and type -----------------------------------------------------------------------------


class Counting:
    """A body stream that counts how many chunks were pulled from it."""

    def __init__(self, chunk: bytes, count: int) -> None:
        self.chunk, self.count, self.pulled = chunk, count, 0

    def __iter__(self) -> Iterator[bytes]:
        for _ in range(self.count):
            self.pulled += 1
            yield self.chunk


def test_oversized_by_content_length_is_not_read() -> None:
    body = Counting(b"x" * 1000, 100)
    site = Site({"/a": [streamed(iter(body), **{"content-type": "text/html",
                                                "content-length": "100000"})]})  # fmt: skip
    with pytest.raises(TooLarge, match="Content-Length"):
        site.fetcher(max_bytes=50_000).fetch("http://news.test/a")
    assert body.pulled == 0


def test_oversized_stream_stops_at_cap() -> None:
    body = Counting(b"<html>" + b"x" * 994, 1000)
    site = Site({"/a": [streamed(iter(body), **{"content-type": "text/html"})]})
    with pytest.raises(TooLarge):
        site.fetcher(max_bytes=50_000).fetch("http://news.test/a")
    assert body.pulled == 51


def test_under_cap_is_whole() -> None:
    site = Site({"/a": [streamed(iter([b"<html>", b"abc"]), **{"content-type": "text/html"})]})
    assert site.fetcher().fetch("http://news.test/a").content == b"<html>abc"


@pytest.mark.parametrize("ctype", ["application/pdf", "image/jpeg", "application/json"])
def test_non_html_refused_without_reading(ctype: str) -> None:
    body = Counting(b"%PDF", 10)
    site = Site({"/a": [streamed(iter(body), **{"content-type": ctype})]})
    with pytest.raises(NotHTML, match=ctype) as info:
        site.fetcher().fetch("http://news.test/a")
    assert info.value.status == 200 and body.pulled == 0


def test_xhtml_accepted_and_resource_accepts_anything() -> None:
    xml = b"<?xml version='1.0'?><urlset/>"
    site = Site({"/x": [html(**{"content-type": "application/xhtml+xml"})],
                 "/s.xml": [html(body=xml, **{"content-type": "application/xml"})]})  # fmt: skip
    fetcher = site.fetcher()
    assert fetcher.fetch("http://news.test/x").content_type == "application/xhtml+xml"
    with pytest.raises(NotHTML):
        fetcher.fetch("http://news.test/s.xml")
    assert fetcher.fetch_resource("http://news.test/s.xml").content == xml
    with pytest.raises(TooLarge):
        fetcher.fetch_resource("http://news.test/s.xml", max_bytes=10)


def test_missing_content_type_is_sniffed() -> None:
    site = Site({"/h": [streamed(iter([b"\n  <!DOCTYPE html><p>x"]))],
                 "/b": [streamed(iter([b"\x89PNG\r\n\x1a\n"]))]})  # fmt: skip
    fetcher = site.fetcher()
    assert fetcher.fetch("http://news.test/h").content_type is None
    with pytest.raises(NotHTML, match="no Content-Type"):
        fetcher.fetch("http://news.test/b")


def test_content_type_parsing_and_sniffing() -> None:
    assert parse_content_type('Text/HTML; Charset="ISO-8859-1"') == ("text/html", "iso-8859-1")
    assert parse_content_type("text/html") == ("text/html", None)
    assert parse_content_type(None) == (None, None)
    assert looks_like_html(b"\xef\xbb\xbf<!-- x --><HTML lang=en>")
    assert not looks_like_html(b'{"html": 1}')


# -- content encodings -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("coding", "encode"),
    [("gzip", gzip.compress), ("deflate", zlib.compress),
     ("deflate", lambda b: zlib.compress(b, wbits=-15)), ("br", brotli.compress),
     ("gzip, br", lambda b: brotli.compress(gzip.compress(b)))],
)  # fmt: skip
def test_content_encodings_decoded(coding: str, encode: Callable[[bytes], bytes]) -> None:
    page = HTML * 5000
    data = encode(page)
    chunks = [data[i : i + 1000] for i in range(0, len(data), 1000)]
    site = Site({"/a": [streamed(iter(chunks), **{"content-type": "text/html",
                                                   "content-encoding": coding})]})  # fmt: skip
    assert site.fetcher().fetch("http://news.test/a").content == page


@pytest.mark.parametrize("coding", ["gzip", "br"])
def test_compression_bomb_stops_at_cap(coding: str) -> None:
    zeros = b"\0" * 50_000_000
    data = gzip.compress(zeros) if coding == "gzip" else brotli.compress(zeros, quality=1)
    site = Site({"/a": [streamed(iter([data]), **{"content-type": "text/html",
                                                  "content-encoding": coding})]})  # fmt: skip
    tracemalloc.start()
    try:
        with pytest.raises(TooLarge, match="decompressed"):
            site.fetcher(max_bytes=1_000_000).fetch("http://news.test/a")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4_000_000


def test_corrupt_gzip_is_a_fetch_error() -> None:
    site = Site({"/a": [streamed(iter([b"\x1f\x8b\x08garbage"]), **{
        "content-type": "text/html", "content-encoding": "gzip"})]})  # fmt: skip
    with pytest.raises(FetchError, match="corrupt"):
        site.fetcher().fetch("http://news.test/a")


# -- conditional GET ---------------------------------------------------------------------------


def test_304_not_modified() -> None:
    site = Site({"/a": [status(304)]})
    result = site.fetcher().fetch(
        "http://news.test/a", etag='"v1"', last_modified="Tue, 01 Feb 2022 10:00:00 GMT"
    )
    sent = site.requests[0].headers
    assert sent["if-none-match"] == '"v1"' and sent["if-modified-since"].startswith("Tue")
    assert result.not_modified and result.status == 304 and result.content == b""
    assert result.etag == '"v1"' and result.last_modified.startswith("Tue")


# -- real sockets ------------------------------------------------------------------------------


class RawServer:
    """A TCP server on 127.0.0.1 that hands each connection to a function, for misbehaviour."""

    def __init__(self, handle: Callable[[socket.socket, int], None]) -> None:
        self.handle = handle
        self.connections = 0
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.05)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/page"

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            self.connections += 1
            threading.Thread(target=self._run, args=(conn, self.connections), daemon=True).start()

    def _run(self, conn: socket.socket, number: int) -> None:
        with conn:
            conn.settimeout(5)
            data = b""
            while b"\r\n\r\n" not in data and (chunk := conn.recv(4096)):
                data += chunk
            with contextlib.suppress(OSError):  # the client hung up: what these tests provoke
                self.handle(conn, number)

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        self.sock.close()


@pytest.fixture
def raw_server() -> Iterator[Callable[[Callable[[socket.socket, int], None]], RawServer]]:
    servers: list[RawServer] = []

    def start(handle: Callable[[socket.socket, int], None]) -> RawServer:
        servers.append(RawServer(handle))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


OK = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n%s"


def real_fetcher(waits: list[float] | None = None, **config: object) -> Fetcher:
    """A Fetcher with its own network client, robots off (those tests live elsewhere)."""
    sleep = waits.append if waits is not None else lambda s: None
    return Fetcher(FetchConfig(respect_robots=False, **config), sleep=sleep)  # type: ignore[arg-type]


@pytest.mark.parametrize("part", ["body", "headers"])
def test_slow_drip_stopped_at_deadline(raw_server, part: str) -> None:  # type: ignore[no-untyped-def]
    def drip(conn: socket.socket, number: int) -> None:
        if part == "body":
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html>")
        else:
            conn.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
        for _ in range(100):  # a byte every 50 ms: every read is well under read_timeout
            time.sleep(0.05)
            conn.sendall(b"x")

    server = raw_server(drip)
    start = time.monotonic()
    with (
        real_fetcher(total_timeout=0.6, read_timeout=0.5) as fetcher,
        pytest.raises(Unreachable, match="deadline"),
    ):
        fetcher.fetch(server.url)
    assert 0.55 <= time.monotonic() - start < 0.9  # the deadline, not deadline + read_timeout
    assert server.connections == 1  # a server that drips is not asked again


def test_stalled_response_times_out_and_retries(raw_server) -> None:  # type: ignore[no-untyped-def]
    def stall(conn: socket.socket, number: int) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100\r\n\r\n")
        time.sleep(1)

    server = raw_server(stall)
    waits: list[float] = []
    with (
        real_fetcher(waits, read_timeout=0.2, max_retries=1) as fetcher,
        pytest.raises(Unreachable, match="ReadTimeout"),
    ):
        fetcher.fetch(server.url)
    assert server.connections == 2 and len(waits) == 1


def test_connection_reset_then_success(raw_server) -> None:  # type: ignore[no-untyped-def]
    def reset_once(conn: socket.socket, number: int) -> None:
        if number == 1:  # SO_LINGER 0: close sends RST, the peer sees "connection reset"
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            return
        conn.sendall(OK % (len(HTML), HTML))

    server = raw_server(reset_once)
    waits: list[float] = []
    with real_fetcher(waits) as fetcher:
        result = fetcher.fetch(server.url)
    assert result.content == HTML and result.attempts == 2 and len(waits) == 1


def test_huge_header_fails_cleanly(raw_server) -> None:  # type: ignore[no-untyped-def]
    def huge(conn: socket.socket, number: int) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nX-Junk: " + b"a" * 1_000_000 + b"\r\n\r\n")

    server = raw_server(huge)
    with real_fetcher(max_retries=0) as fetcher, pytest.raises(Unreachable, match="too long"):
        fetcher.fetch(server.url)


def test_gzip_bomb_over_real_socket(raw_server) -> None:  # type: ignore[no-untyped-def]
    bomb = gzip.compress(b"\0" * 100_000_000, compresslevel=9)
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n"
    server = raw_server(lambda conn, n: conn.sendall(head + b"\r\n" + bomb))
    # Built outside the trace (TLS setup is megabytes); a raw server, because werkzeug's
    # own allocations in this process would be traced too.
    fetcher = real_fetcher(max_bytes=2_000_000)
    tracemalloc.start()
    try:
        with fetcher, pytest.raises(TooLarge):
            fetcher.fetch(server.url)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(bomb) < 200_000 and peak < 4_000_000


def test_redirect_loop_over_real_socket(httpserver) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/a").respond_with_data("", 301, headers={"Location": "/b"})
    httpserver.expect_request("/b").respond_with_data("", 302, headers={"Location": "/a"})
    with real_fetcher() as fetcher, pytest.raises(TooManyRedirects, match="loop"):
        fetcher.fetch(httpserver.url_for("/a"))
    assert len(httpserver.log) == 2

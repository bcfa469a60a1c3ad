"""WARC files for the batch tests, written with warcio's writer from pages we have.

    captures = demo_captures()[:5] + [exact_copy(c, "https://mirror.test/a"), junk()...]
    path = write_warc(tmp_path / "a.warc.gz", captures)                 # gzip per record
    write_warc(tmp_path / "b.warc", captures, compress="none", version="1.0")
    write_warc(tmp_path / "c.warc.gz", captures, compress="file")       # one gzip stream

Sources: the bundled demo site's pages (render_site), the Zyte benchmark pages in
../shared/bench/zyte/html when present (zyte_captures skips the test otherwise) and
tests/fixtures/*.html. Planted copies go under another site's URL, so the page's own
rel=canonical (trusted on its own site only) does not merge them by URL: they must be
found by content.
"""

from __future__ import annotations

import gzip
import io
import json
import socket
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from uuid import uuid4

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from scraper.demo_site.pages import render_site

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
ZYTE = ROOT.parent / "shared" / "bench" / "zyte"
DEMO_BASE = "https://courier.test"
HTML = "text/html; charset=utf-8"
_START = datetime(2024, 5, 20, 8, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Capture:
    """One WARC record to write. kind: response, resource, request, revisit, metadata,
    conversion; http: the HTTP block written as-is (for broken headers) instead of one
    built from status, content_type and headers."""

    url: str
    body: bytes
    date: str = "2024-05-20T08:00:00Z"
    kind: str = "response"
    status: int = 200
    content_type: str | None = HTML
    headers: tuple[tuple[str, str], ...] = ()
    http: bytes | None = None


def warc_date(minutes: int) -> str:
    """A WARC-Date some minutes after a fixed start, so captures have a known order."""
    return (_START + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_warc(
    path: Path,
    captures: Iterable[Capture],
    *,
    compress: str = "record",
    version: str = "1.1",
) -> Path:
    """Write captures as a WARC: compress is record (gzip per record, as Common Crawl),
    file (one gzip stream over the whole file) or none."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=compress == "record", warc_version=version)
    for capture in captures:
        if capture.http is not None:
            raw = _raw_record(capture, version)
            buffer.write(gzip.compress(raw, mtime=0) if compress == "record" else raw)
        else:
            writer.write_record(_record(writer, capture))
    data = buffer.getvalue()
    path.write_bytes(gzip.compress(data, mtime=0) if compress == "file" else data)
    return path


def _raw_record(c: Capture, version: str) -> bytes:
    """A response record written by hand, its HTTP block as given (warcio would refuse a
    broken one)."""
    assert c.http is not None
    block = c.http + c.body
    head = (
        f"WARC/{version}\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{uuid4()}>\r\n"
        f"WARC-Target-URI: {c.url}\r\nWARC-Date: {c.date}\r\n"
        f"Content-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(block)}\r\n\r\n"
    )
    return head.encode() + block + b"\r\n\r\n"


def _record(writer: WARCWriter, c: Capture) -> object:
    """The warcio record for a capture."""
    warc_headers = {"WARC-Date": c.date}
    if c.kind == "response":
        fields = [("Content-Type", c.content_type)] if c.content_type else []
        fields += [*c.headers, ("Content-Length", str(len(c.body)))]
        reason = {200: "OK", 404: "Not Found", 301: "Moved Permanently"}.get(c.status, "Status")
        http = StatusAndHeaders(f"{c.status} {reason}", fields, protocol="HTTP/1.1")
        return writer.create_warc_record(
            c.url,
            "response",
            payload=io.BytesIO(c.body),
            length=len(c.body),
            http_headers=http,
            warc_headers_dict=warc_headers,
        )
    if c.kind == "request":
        block = f"GET {c.url} HTTP/1.1\r\nHost: x\r\n\r\n".encode()
        return writer.create_warc_record(
            c.url,
            "request",
            payload=io.BytesIO(block),
            length=len(block),
            warc_headers_dict=warc_headers,
            warc_content_type="application/http; msgtype=request",
        )
    if c.kind == "revisit":
        http = StatusAndHeaders("200 OK", [("Content-Type", HTML)], protocol="HTTP/1.1")
        warc_headers["WARC-Profile"] = (
            "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
        )
        return writer.create_warc_record(
            c.url,
            "revisit",
            payload=io.BytesIO(b""),
            length=0,
            http_headers=http,
            warc_headers_dict=warc_headers,
        )
    # resource, metadata, conversion: a block with a content type and no HTTP headers
    return writer.create_warc_record(
        c.url,
        c.kind,
        payload=io.BytesIO(c.body),
        length=len(c.body),
        warc_headers_dict=warc_headers,
        warc_content_type=c.content_type or "application/octet-stream",
    )


# -- pages ------------------------------------------------------------------------------------


def demo_captures(base: str = DEMO_BASE, *, articles_only: bool = True) -> list[Capture]:
    """The demo site's HTML pages (its articles by default), a minute apart, in path order."""
    site = render_site(base)
    paths = sorted(p for p, (ctype, _) in site.items() if ctype.startswith("text/html"))
    if articles_only:
        paths = [p for p in paths if p.count("/") >= 4]  # /section/yyyy/mm/dd/slug
    return [Capture(base + path, site[path][1], date=warc_date(i)) for i, path in enumerate(paths)]


def fixture_captures() -> list[Capture]:
    """tests/fixtures/*.html under the URL their golden record names (or a made-up one)."""
    out = []
    for i, page in enumerate(sorted(FIXTURES.glob("*.html"))):
        expected = page.with_suffix(".json")
        url = None
        if expected.is_file():
            url = json.loads(expected.read_text(encoding="utf-8")).get("url")
        out.append(
            Capture(url or f"https://fixtures.test/{page.stem}", page.read_bytes(), warc_date(i))
        )
    return out


def zyte_captures(limit: int | None = None) -> list[Capture]:
    """The Zyte benchmark pages under their own URLs; skips the test when they are absent."""
    truth_file = ZYTE / "ground-truth.json"
    if not truth_file.is_file():
        pytest.skip("Zyte benchmark pages not present (../shared/bench/zyte)")
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    out = []
    for i, key in enumerate(sorted(truth)[:limit]):
        page = ZYTE / "html" / f"{key}.html.gz"
        if page.is_file():
            out.append(Capture(truth[key]["url"], gzip.decompress(page.read_bytes()), warc_date(i)))
    return out


# -- planted copies and junk ------------------------------------------------------------------


def exact_copy(c: Capture, url: str, minutes: int) -> Capture:
    """The same page under another site's URL, captured at another time."""
    return replace(c, url=url, date=warc_date(minutes))


def near_copy(c: Capture, url: str, minutes: int) -> Capture:
    """The page with one sentence added to a paragraph in the middle of the page, inside the
    story (the last one may be furniture after it): a re-published copy, not an exact one.
    SimHash is coarse on short texts: one word more keeps a story of 140 words or so within the
    store's 7 bits (demo stories 3 and 14: 4 and 5 bits), not a story of 110 (9 bits)."""
    body = c.body
    ends = [i for i in range(len(body)) if body.startswith(b"</p>", i)]
    assert ends, "a near copy needs a page with paragraphs"
    cut = ends[len(ends) // 2]
    edited = body[:cut] + b" (agency)" + body[cut:]
    return replace(c, url=url, body=edited, date=warc_date(minutes))


def junk(base: str = "https://junk.test") -> list[Capture]:
    """Records that are never pages: one of each kind to count and skip."""
    return [
        Capture(f"{base}/req", b"", kind="request"),
        Capture(f"{base}/rev", b"", kind="revisit"),
        Capture(f"{base}/meta", b"fetchTimeMs: 12\r\n", kind="metadata", content_type="text/plain"),
        Capture(f"{base}/conv", b"plain text", kind="conversion", content_type="text/plain"),
        Capture(f"{base}/logo.png", b"\x89PNG\r\n\x1a\n", content_type="image/png"),
        Capture(f"{base}/gone", b"<html><body>Not found</body></html>", status=404),
        Capture(f"{base}/moved", b"", status=301, headers=(("Location", f"{base}/x"),)),
        Capture(f"{base}/broken", b"<html></html>", http=b"NOT HTTP AT ALL\r\n\r\n"),
    ]


def page_html(headline: str, paragraphs: Sequence[str], *, lang: str = "en") -> bytes:
    """A small article page with a headline, a date and paragraphs."""
    paras = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!doctype html><html lang="{lang}"><head><title>{headline}</title></head>'
        f"<body><article><h1>{headline}</h1>"
        f'<time datetime="2024-05-19T09:00:00+00:00">19 May 2024</time>{paras}'
        f"</article></body></html>"
    ).encode()


# -- a loopback file server (CC-NEWS-like trees, WARCs by URL) --------------------------------


class FileServer:
    """Serves files from memory on 127.0.0.1 with Range support, plus the faults of a busy
    data host: slowdown[path] = n answers 503 SlowDown n times first; cut[path] = n sends
    half the body and drops the connection n times first; redirects[path] answers 302.
    Every request is logged."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = dict(files)
        self.slowdown: dict[str, int] = {}
        self.cut: dict[str, int] = {}
        self.redirects: dict[str, str] = {}  # path -> Location
        self.log: list[tuple[str, str | None, int]] = []  # path, Range header, status
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                path, ranged = self.path.split("?")[0], self.headers.get("Range")
                if path in server.redirects:
                    location = {"Location": server.redirects[path]}
                    return self._send(302, b"", path, ranged, location)
                body = server.files.get(path)
                if body is None:
                    return self._send(404, b"no such key", path, ranged)
                if server.slowdown.get(path, 0) > 0:
                    server.slowdown[path] -= 1
                    extra = {"Retry-After": "0"}
                    return self._send(
                        503, b"<Error><Code>SlowDown</Code></Error>", path, ranged, extra
                    )
                status, start = 200, 0
                if ranged and ranged.startswith("bytes="):
                    start = int(ranged[6:].split("-")[0])
                    status = 206
                part = body[start:]
                if server.cut.get(path, 0) > 0:
                    server.cut[path] -= 1
                    server.log.append((path, ranged, status))
                    self.send_response(status)
                    self.send_header("Content-Length", str(len(part)))
                    self.end_headers()
                    self.wfile.write(part[: len(part) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return None
                extra = {"Content-Range": f"bytes {start}-{len(body) - 1}/{len(body)}"}
                return self._send(status, part, path, ranged, extra if status == 206 else {})

            def _send(
                self,
                status: int,
                body: bytes,
                path: str,
                ranged: str | None,
                extra: dict[str, str] | None = None,
            ) -> None:
                server.log.append((path, ranged, status))
                self.send_response(status)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(len(body)))
                for name, value in (extra or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

        return Handler


@pytest.fixture
def file_server() -> Iterator[FileServer]:
    """An empty FileServer; tests put files in .files."""
    server = FileServer({})
    yield server
    server.close()

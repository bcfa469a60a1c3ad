"""A small demo news site on 127.0.0.1, so the whole tool can be seen working offline.

The pages are synthetic (scraper/demo_site/): thirty articles with the furniture and traps
of real news pages, listings, robots.txt, a sitemap index, a news sitemap, RSS and Atom.
Synthetic rather than built from tests/fixtures: the fixtures are real publishers' pages
whose links point at their own domains, and a demo must not depend on which fixtures
happen to exist. `python -m scraper.demo_site` serves it until Ctrl-C.
"""

from __future__ import annotations

import argparse
import hashlib
import signal
import socket
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from scraper.demo_site.pages import HTML, NEWEST, DemoArticle, demo_articles, render_site

__all__ = ["DemoArticle", "demo_articles", "main", "render_site", "serve_demo"]
_NOT_FOUND = b"<!doctype html><title>Not found</title><h1>Not found</h1>"
_LAST_MODIFIED = format_datetime(NEWEST.astimezone(UTC), usegmt=True)


# ---- server ------------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    """Serves the rendered pages, with ETag / Last-Modified so re-crawls can revalidate."""

    protocol_version = "HTTP/1.1"  # keep-alive, as real servers do
    server: _DemoServer

    def setup(self) -> None:
        """No Nagle: headers and body go out in two writes, which would wait on delayed ACKs."""
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self) -> None:
        """Send the page, a 304 when the client's ETag matches, or a 404."""
        self._respond(body=True)

    def do_HEAD(self) -> None:
        """Headers only."""
        self._respond(body=False)

    def _respond(self, *, body: bool) -> None:
        """Look the path up (trailing slash and query ignored) and answer."""
        path = urlsplit(self.path).path.rstrip("/") or "/"
        found = self.server.pages.get(path)
        if found is None:
            kind, data, status = HTML, _NOT_FOUND, 404
        else:
            (kind, data), status = found, 200
        etag = '"' + hashlib.blake2b(data, digest_size=8).hexdigest() + '"'
        if status == 200 and self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", _LAST_MODIFIED)
        self.end_headers()
        if body:
            self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        """Access log to stderr only when asked for."""
        if self.server.verbose:
            sys.stderr.write(f"{self.address_string()} {format % args}\n")


class _DemoServer(ThreadingHTTPServer):
    """A threading HTTP server holding the rendered site."""

    daemon_threads = True
    request_queue_size = 128  # a crawler opens many connections at once
    pages: dict[str, tuple[str, bytes]]
    verbose: bool = False


@contextmanager
def serve_demo(host: str = "127.0.0.1", port: int = 0, *, verbose: bool = False) -> Iterator[str]:
    """Serve the demo site in a background thread; yields its base URL, stops on exit."""
    server = _DemoServer((host, port), _Handler)
    base = f"http://{host}:{server.server_address[1]}"
    server.pages, server.verbose = render_site(base), verbose
    # A short poll interval: shutdown() waits up to one interval.
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), name="demo", daemon=True)
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def main(argv: list[str] | None = None) -> int:
    """Serve the demo site until Ctrl-C."""
    parser = argparse.ArgumentParser(prog="python -m scraper.demo_site", description=main.__doc__)
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: any free)")
    parser.add_argument("--verbose", action="store_true", help="log each request to stderr")
    args = parser.parse_args(argv)
    with serve_demo(port=args.port, verbose=args.verbose) as base:
        print(
            f"Demo news site at {base}/  (try: scrape.py crawl {base}/)  Ctrl-C to stop", flush=True
        )
        # Installed explicitly: a process started in the background inherits SIGINT ignored.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.default_int_handler)
        with suppress(KeyboardInterrupt):
            threading.Event().wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())

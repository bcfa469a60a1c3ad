"""Bound what the network can make us do, below the level of one fetch.

Two attacks get past ordinary limits: a decompression bomb (a small body that inflates to
gigabytes) and a slow drip (a server sending a byte at a time, each read inside the read
timeout). So bodies are decoded in bounded pieces that the caller can stop at its cap, and
every socket read and write is cut to the running attempt's deadline. exchange.py decides the
limits; this module makes them hold.
"""

from __future__ import annotations

import http.cookiejar
import ssl
import threading
import time
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import brotli  # type: ignore[import-untyped]  # via httpx[brotli]
import httpcore
import httpx

from scraper.errors import FetchError

# brotli >= 1.2 can bound its output per call; with an older one a bomb could not be stopped.
_HAS_BROTLI = hasattr(brotli.Decompressor, "can_accept_more_data")
_DECODE_ERRORS = (zlib.error, brotli.error)

ACCEPT_ENCODING = "gzip, deflate, br" if _HAS_BROTLI else "gzip, deflate"
# Decompressed output is produced in pieces of about this size, never more at once.
_PIECE = 64 * 1024
# A socket timeout cut to the deadline fires at it, give or take the timer's grain.
_DEADLINE_GRAIN = 0.05


# -- decompression in bounded pieces ---------------------------------------------------------


class _Zlib:
    """gzip or deflate, inflated at most _PIECE bytes at a time so a bomb stays small."""

    def __init__(self, gzip: bool) -> None:
        self._inflate = zlib.decompressobj(16 + zlib.MAX_WBITS) if gzip else None

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self._inflate is None:
            if not data:
                return
            # "deflate" is zlib-wrapped by the RFC but raw from some servers: look at the header.
            wrapped = len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0
            self._inflate = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        if self._inflate.eof:
            return  # trailing bytes after the stream: dropped, never buffered
        tail = data
        while True:
            out = self._inflate.decompress(tail, _PIECE)
            tail = self._inflate.unconsumed_tail
            if out:
                yield out
            # Output under the limit with no input left means this feed is drained.
            if self._inflate.eof or (not tail and len(out) < _PIECE):
                return


class _Brotli:
    """br, with the decompressor's own output limit (brotli >= 1.2)."""

    def __init__(self) -> None:
        self._decompressor = brotli.Decompressor()

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self._decompressor.is_finished():
            return  # trailing bytes after the stream: dropped
        out = self._decompressor.process(data, output_buffer_limit=_PIECE)
        yield out
        # A full buffer may leave output pending, even when all input was taken in.
        while len(out) >= _PIECE and not self._decompressor.is_finished():
            out = self._decompressor.process(b"", output_buffer_limit=_PIECE)
            yield out


class Decoder:
    """The Content-Encoding chain, undone in reverse order, each stage bounded."""

    def __init__(self, header: str, url: str) -> None:
        self._url = url
        # No stages for identity: raw chunks pass through (httpcore reads 64 KiB at a time).
        self._stages: list[_Zlib | _Brotli] = []
        for coding in reversed([c.strip().lower() for c in header.split(",") if c.strip()]):
            if coding in ("gzip", "x-gzip"):
                self._stages.append(_Zlib(gzip=True))
            elif coding == "deflate":
                self._stages.append(_Zlib(gzip=False))
            elif coding == "br" and _HAS_BROTLI:
                self._stages.append(_Brotli())
            elif coding != "identity":
                raise FetchError(f"unsupported Content-Encoding {coding!r}", url=url)

    def feed(self, data: bytes) -> Iterator[bytes]:
        """Decoded pieces of data, each at most about _PIECE bytes."""
        try:
            yield from self._through(0, data)
        except _DECODE_ERRORS as exc:
            raise FetchError(f"corrupt compressed body: {exc}", url=self._url) from exc

    def _through(self, index: int, data: bytes) -> Iterator[bytes]:
        if index == len(self._stages):
            yield data
            return
        for piece in self._stages[index].feed(data):
            yield from self._through(index + 1, piece)


# -- the deadline at the socket: every read and write of this thread ends by it --------------

_local = threading.local()  # the monotonic deadline of the attempt running in this thread


@contextmanager
def socket_deadline(seconds: float) -> Iterator[None]:
    """Bound this thread's socket calls to seconds from now; the outer deadline comes back after.

    Nesting happens when a page's attempt loads its host's robots.txt on the way.
    """
    outer = getattr(_local, "deadline", None)
    _local.deadline = time.monotonic() + seconds
    try:
        yield
    finally:
        _local.deadline = outer


def extend_deadline(seconds: float) -> None:
    """Push this thread's deadline back by seconds spent waiting for our turn at a host: the
    deadline bounds the server's slowness, not our politeness."""
    deadline = getattr(_local, "deadline", None)
    if deadline is not None and seconds > 0:
        _local.deadline = deadline + seconds


def deadline_passed() -> bool:
    """True when this thread's socket deadline is set and has (about) run out."""
    deadline = getattr(_local, "deadline", None)
    return deadline is not None and time.monotonic() >= deadline - _DEADLINE_GRAIN


def _socket_timeout(timeout: float | None) -> float | None:
    """timeout shortened to the thread's deadline, so a slow drip of headers stops too."""
    deadline: float | None = getattr(_local, "deadline", None)
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise httpcore.ReadTimeout("page deadline passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose every read and write is bounded by the attempt's deadline."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _socket_timeout(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _socket_timeout(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        tls = self._inner.start_tls(ssl_context, server_hostname, _socket_timeout(timeout))
        return _DeadlineStream(tls)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's socket backend with the deadline applied to every stream it opens."""

    def __init__(self, inner: httpcore.NetworkBackend) -> None:
        self._inner = inner

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        timeout = _socket_timeout(timeout)
        return _DeadlineStream(
            self._inner.connect_tcp(host, port, timeout, local_address, socket_options)
        )

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        timeout = _socket_timeout(timeout)
        return _DeadlineStream(self._inner.connect_unix_socket(path, timeout, socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


# -- the default client ----------------------------------------------------------------------


class _RejectCookies(http.cookiejar.DefaultCookiePolicy):
    """Keep no cookies between pages: a long crawl must not grow a jar without bound."""

    def set_ok(self, cookie: http.cookiejar.Cookie, request: object) -> bool:
        return False


def make_client(*, user_agent: str, connect_timeout: float, read_timeout: float) -> httpx.Client:
    """The default client: explicit timeouts and pool limits, no redirects, no cookie jar."""
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=16)
    transport = httpx.HTTPTransport(limits=limits)
    # httpx has no hook for the socket backend, so the pool's is wrapped where it lives.
    pool = getattr(transport, "_pool", None)
    if isinstance(pool, httpcore.ConnectionPool) and hasattr(pool, "_network_backend"):
        pool._network_backend = _DeadlineBackend(pool._network_backend)
    return httpx.Client(
        timeout=httpx.Timeout(
            connect=connect_timeout,
            read=read_timeout,
            write=read_timeout,
            pool=connect_timeout,
        ),
        transport=transport,
        follow_redirects=False,
        headers={"User-Agent": user_agent, "Accept-Encoding": ACCEPT_ENCODING},
        cookies=http.cookiejar.CookieJar(policy=_RejectCookies()),
    )

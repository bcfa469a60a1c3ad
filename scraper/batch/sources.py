"""Where WARC files come from: local paths, http(s) URLs streamed, and -i lists of either.

A URL is read as a stream, never downloaded whole: a CC-NEWS file is about 1 GB. Opening it
retries like the fetcher does (transport errors, 408/429/5xx, Retry-After honoured, backoff
with jitter: Common Crawl answers 503 "SlowDown" under load), and a stream cut in the middle
is picked up where it stopped with a Range request, so a reset costs a retry, not the file.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol, TypeVar

import httpx
from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential_jitter

from scraper.errors import FetchError, HTTPStatus, Unreachable, WarcError
from scraper.fetch import RETRY_STATUSES, FetchConfig, parse_retry_after

_T = TypeVar("_T")
_TRANSPORT_ERRORS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


class Stream(Protocol):
    """What the WARC readers need from an input: sequential reads and a position."""

    def read(self, size: int = -1, /) -> bytes: ...
    def tell(self) -> int: ...
    def seek(self, offset: int, whence: int = 0, /) -> int: ...
    def close(self) -> None: ...


def is_url(source: str) -> bool:
    """True for http(s) URLs, which are streamed rather than opened as files."""
    return source.startswith(("http://", "https://"))


@dataclass(frozen=True)
class StreamConfig:
    """Timeouts and retries for reading a WARC over HTTP."""

    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    max_retries: int = 5
    backoff: float = 1.0  # first wait in seconds, doubling per retry
    jitter: float = 1.0  # up to this many seconds added at random, so clients spread out
    backoff_max: float = 60.0
    max_retry_after: float = 120.0
    user_agent: str = FetchConfig().user_agent


class _Retry(Exception):
    """One attempt failed in a way worth another; carries the error to raise at the end."""

    def __init__(self, error: FetchError, retry_after: float | None = None) -> None:
        super().__init__(str(error))
        self.error, self.retry_after = error, retry_after


class HttpStream:
    """A remote file read front to back through one streamed response, resumed by Range."""

    def __init__(
        self,
        url: str,
        config: StreamConfig = StreamConfig(),  # frozen, so one default is safe
        *,
        client: httpx.Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.url, self.config, self._sleep = url, config, sleep
        self._own = client is None
        self._client = client or httpx.Client(
            headers={"User-Agent": config.user_agent},
            timeout=httpx.Timeout(config.read_timeout, connect=config.connect_timeout),
        )
        self._backoff = wait_exponential_jitter(
            multiplier=config.backoff, max=config.backoff_max, jitter=config.jitter
        )
        self._position = 0
        self._buffer = b""
        self._response: httpx.Response | None = None
        self._chunks: Iterator[bytes] | None = None
        self._done = False
        self.attempts = 0
        try:
            self._retrying(self._open)
        except BaseException:
            self.close()
            raise

    def read(self, size: int = -1, /) -> bytes:
        """Up to size bytes (all that is left for -1); b"" at the end."""
        while not self._done and (size < 0 or len(self._buffer) < size):
            chunk = self._retrying(self._next_chunk)
            if chunk is None:
                self._done = True
            else:
                self._buffer += chunk
        cut = len(self._buffer) if size < 0 else size
        out, self._buffer = self._buffer[:cut], self._buffer[cut:]
        self._position += len(out)
        return out

    def tell(self) -> int:
        """Bytes handed out so far."""
        return self._position

    def seek(self, offset: int, whence: int = 0, /) -> int:
        """Only to where the stream is (FastWARC asks where it starts); it reads forward."""
        if (whence, offset) in ((io.SEEK_CUR, 0), (io.SEEK_SET, self._position)):
            return self._position
        raise io.UnsupportedOperation("an HTTP stream is read front to back")

    def close(self) -> None:
        """Close the response, and the client if this stream made it."""
        if self._response is not None:
            self._response.close()
            self._response = None
        if self._own:
            self._client.close()

    def __enter__(self) -> HttpStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- attempts --------------------------------------------------------------------------

    def _retrying(self, attempt: Callable[[], _T]) -> _T:
        """attempt() under retries with backoff and jitter, Retry-After honoured."""
        retrying = Retrying(
            stop=stop_after_attempt(self.config.max_retries + 1),
            wait=self._wait,
            retry=retry_if_exception_type(_Retry),
            sleep=self._sleep,
            reraise=True,
        )
        try:
            return retrying(attempt)
        except _Retry as exc:
            raise exc.error from exc.__cause__

    def _wait(self, state: object) -> float:
        backoff = float(self._backoff(state))  # type: ignore[arg-type]
        outcome = getattr(state, "outcome", None)
        exc = outcome.exception() if outcome is not None else None
        if isinstance(exc, _Retry) and exc.retry_after is not None:
            return max(backoff, min(exc.retry_after, self.config.max_retry_after))
        return backoff

    def _open(self) -> None:
        """One request for the rest of the file: from the start, or from where a cut left us."""
        self.attempts += 1
        if self._response is not None:
            self._response.close()
            self._response = None
        offset = self._position + len(self._buffer)
        headers = {"Accept-Encoding": "identity"}
        if offset:
            headers["Range"] = f"bytes={offset}-"
        try:
            request = self._client.build_request("GET", self.url, headers=headers)
            response = self._client.send(request, stream=True, follow_redirects=True)
        except _TRANSPORT_ERRORS as exc:
            raise _Retry(Unreachable(_describe(exc), url=self.url)) from exc
        except (httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:
            raise FetchError(f"cannot request: {_describe(exc)}", url=self.url) from exc
        status = response.status_code
        if status in RETRY_STATUSES:
            response.close()
            error = HTTPStatus(f"HTTP {status} {response.reason_phrase}".strip(), url=self.url)
            error.status = status
            raise _Retry(error, parse_retry_after(response.headers.get("retry-after")))
        if not (200 <= status < 300) or (offset and status != 206):
            response.close()
            why = "no Range support to resume a cut stream" if offset and status == 200 else ""
            raise HTTPStatus(
                f"HTTP {status} {response.reason_phrase} {why}".strip(), url=self.url, status=status
            )
        self._response, self._chunks = response, response.iter_raw()  # pieces as they come

    def _next_chunk(self) -> bytes | None:
        """The next piece of the body (None at its end); a cut reopens the stream first."""
        if self._chunks is None:
            self._open()
        assert self._chunks is not None
        try:
            return next(self._chunks, None)
        except _TRANSPORT_ERRORS as exc:
            self._chunks = None
            raise _Retry(Unreachable(f"stream cut: {_describe(exc)}", url=self.url)) from exc


@contextmanager
def open_source(source: str, config: StreamConfig | None = None) -> Iterator[Stream]:
    """A readable stream of the source's raw bytes (still compressed): a file or a URL."""
    if is_url(source):
        with HttpStream(source, config or StreamConfig()) as stream:
            yield stream
        return
    try:
        handle: BinaryIO = Path(source).open("rb")  # noqa: SIM115  # closed below
    except OSError as exc:
        raise WarcError(f"cannot open: {exc.strerror or exc}", url=source) from exc
    with handle:
        yield handle


def _describe(exc: Exception) -> str:
    """A short reason for a transport error (some httpx errors have an empty message)."""
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__

"""Fetch one page well: timeouts, a deadline, size and type limits, retries, robots.txt.

Everything from the network is treated as hostile: every path is bounded in time (connect
and read timeouts plus a per-attempt deadline that also stops a slow drip) and in memory
(bodies are streamed and decompressed in bounded pieces, so a gzip bomb stops at the cap).
The bounded decoding and the socket-level deadline live in transport.py.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from types import TracebackType
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)

from scraper.errors import (
    FetchError,
    HTTPStatus,
    NotHTML,
    RobotsDisallowed,
    TooLarge,
    TooManyRedirects,
    Unreachable,
)
from scraper.robots import (
    ROBOTS_MAX_BYTES,
    ROBOTS_MAX_REDIRECTS,
    Robots,
    RobotsCache,
    agent_token,
    robots_from_error,
    robots_from_response,
)
from scraper.transport import (
    ACCEPT_ENCODING,
    Decoder,
    deadline_passed,
    make_client,
    socket_deadline,
)

log = logging.getLogger(__name__)

ACCEPT_HTML = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})  # as scrapy's RETRY_HTTP_CODES
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_SNIFF_BYTES = 1024


@dataclass(frozen=True)
class FetchConfig:
    """Limits and identity for fetching; the defaults suit a polite news crawler."""

    user_agent: str = "scraper/0.1 (+https://github.com/scraper-news/scraper)"
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0  # one attempt, redirects included; stops a slow drip
    max_bytes: int = 10_000_000
    max_redirects: int = 10
    max_retries: int = 3
    backoff_max: float = 60.0
    max_retry_after: float = 120.0
    respect_robots: bool = True


@dataclass(frozen=True)
class FetchResult:
    """One fetched URL: what came back and how it got there."""

    url: str
    final_url: str
    status: int
    headers: dict[str, str]  # lower-case names, repeated headers joined by ", "
    content: bytes  # decompressed; b"" on 304
    content_type: str | None  # media type only, lower case
    encoding: str | None  # charset from Content-Type, not guessed
    etag: str | None
    last_modified: str | None
    not_modified: bool
    fetched_at: str  # ISO 8601 UTC
    elapsed: float  # seconds for the whole call, retries included
    redirects: tuple[str, ...]  # URLs that answered with a redirect, in order
    attempts: int


class _Transient(Exception):
    """An attempt failed in a way worth retrying; carries the error to raise at the end."""

    def __init__(self, error: FetchError, retry_after: float | None = None) -> None:
        super().__init__(str(error))
        self.error = error
        self.retry_after = retry_after


class Fetcher:
    """Fetches pages for extraction and resources for discovery; safe to share by threads."""

    def __init__(
        self,
        config: FetchConfig = FetchConfig(),  # frozen, so one default is safe
        *,
        client: httpx.Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.config = config
        self._own_client = client is None
        self._client = client if client is not None else _client_for(config)
        self._sleep = sleep
        self._clock = clock
        self._agent = agent_token(config.user_agent)
        self._robots = RobotsCache(self._load_robots, clock=clock)
        self._backoff = wait_exponential_jitter(multiplier=1, max=config.backoff_max, jitter=1)
        robots_headers = {"Accept": "text/plain,*/*;q=0.5"}
        self._robots_plan = _Plan(
            robots_headers, ROBOTS_MAX_BYTES, ROBOTS_MAX_REDIRECTS, check_robots=False,
            html_only=False, truncate=True,
        )  # fmt: skip

    def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """An HTML or XHTML page (NotHTML otherwise), with retries, limits and robots.txt."""
        return self._fetch(url, ACCEPT_HTML, self.config.max_bytes, True, etag, last_modified)

    def fetch_resource(
        self,
        url: str,
        *,
        max_bytes: int | None = None,
        accept: str = "*/*",
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> FetchResult:
        """Any content type (sitemaps, feeds), with the same limits, retries and robots.txt."""
        cap = self.config.max_bytes if max_bytes is None else max_bytes
        return self._fetch(url, accept, cap, False, etag, last_modified)

    def robots(self, url: str) -> Robots:
        """The robots.txt rules for url's scheme, host and port (downloaded once, cached)."""
        return self._robots.get(url)

    def close(self) -> None:
        """Close the HTTP client if this Fetcher created it."""
        if self._own_client:
            self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- one call: retries around attempts -------------------------------------------------

    def _fetch(
        self,
        url: str,
        accept: str,
        max_bytes: int,
        html_only: bool,
        etag: str | None,
        last_modified: str | None,
    ) -> FetchResult:
        """Run attempts under tenacity until one succeeds or the retries are spent."""
        start, attempts = self._clock(), 0
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        cfg = self.config
        plan = _Plan(headers, max_bytes, cfg.max_redirects, cfg.respect_robots, html_only)

        def attempt() -> _Exchange:
            nonlocal attempts
            attempts += 1
            return self._exchange(url, plan)

        retrying = Retrying(
            stop=stop_after_attempt(cfg.max_retries + 1),
            wait=self._wait,
            retry=retry_if_exception_type(_Transient),
            sleep=self._sleep,
            before_sleep=_log_retry,
            reraise=True,
        )
        try:
            done = retrying(attempt)
        except _Transient as exc:
            raise exc.error from exc.__cause__
        response = done.response
        not_modified = response.status_code == 304
        content_type, encoding = parse_content_type(response.headers.get("content-type"))
        # A 304 need not repeat the validators; the ones we sent are still current.
        etag = response.headers.get("etag") or (etag if not_modified else None)
        last_modified = response.headers.get("last-modified") or (
            last_modified if not_modified else None
        )
        return FetchResult(
            url=url,
            final_url=str(response.url),
            status=response.status_code,
            headers=dict(response.headers.items()),
            content=done.content,
            content_type=content_type,
            encoding=encoding,
            etag=etag,
            last_modified=last_modified,
            not_modified=not_modified,
            fetched_at=utc_now(),
            elapsed=self._clock() - start,
            redirects=done.redirects,
            attempts=attempts,
        )

    def _wait(self, state: RetryCallState) -> float:
        """The longer of the server's Retry-After (capped) and exponential backoff with jitter."""
        backoff = float(self._backoff(state))
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, _Transient) and exc.retry_after is not None:
            return max(backoff, min(exc.retry_after, self.config.max_retry_after))
        return backoff

    # -- one attempt: a redirect chain ending in one response -------------------------------

    def _exchange(self, url: str, plan: _Plan) -> _Exchange:
        """One attempt: follow redirects by hand, counting hops, spotting loops, checking each."""
        deadline = self._clock() + self.config.total_timeout
        with socket_deadline(self.config.total_timeout):
            return self._follow(url, plan, deadline)

    def _follow(self, url: str, plan: _Plan, deadline: float) -> _Exchange:
        """The redirect chain of one attempt."""
        cookies = httpx.Cookies()  # only for this chain: some sites bounce to set a cookie
        seen: set[tuple[str, str | None]] = set()
        redirects: list[str] = []
        current = url
        while True:
            if urlsplit(current).scheme not in ("http", "https"):
                raise FetchError(f"unsupported URL scheme in {current!r}", url=url)
            if plan.check_robots and not (robots := self.robots(current)).allowed(current):
                what = "this URL" if current == url else f"redirect target {current}"
                why = (
                    ""
                    if robots.reason == "parsed" or robots.reason.isdigit()
                    else f" ({robots.reason})"
                )
                raise RobotsDisallowed(f"robots.txt disallows {what}{why}", url=url)
            request = self._request(current, plan.headers, deadline, url)
            cookies.set_cookie_header(request)
            key = (current, request.headers.get("cookie"))
            if key in seen:
                raise TooManyRedirects(f"redirect loop back to {current}", url=url)
            seen.add(key)
            response = self._send(request, url)
            try:
                status = response.status_code
                if status in REDIRECT_STATUSES and "location" in response.headers:
                    if len(redirects) >= plan.max_redirects:
                        raise TooManyRedirects(f"more than {plan.max_redirects} redirects", url=url)
                    cookies.extract_cookies(response)
                    redirects.append(current)
                    current = _redirect_target(current, response, url)
                    continue
                self._check_status(response, url)
                content = b"" if status == 304 else self._body(response, url, plan, deadline)
                return _Exchange(response, content, tuple(redirects))
            finally:
                response.close()

    def _request(
        self, target: str, headers: dict[str, str], deadline: float, url: str
    ) -> httpx.Request:
        """A GET whose timeouts never reach past the attempt's deadline."""
        left = self._left(deadline, url)
        timeout = httpx.Timeout(
            connect=min(self.config.connect_timeout, left),
            read=min(self.config.read_timeout, left),
            write=min(self.config.read_timeout, left),
            pool=min(self.config.connect_timeout, left),
        )
        all_headers = {
            "User-Agent": self.config.user_agent,
            "Accept-Encoding": ACCEPT_ENCODING,
            **headers,
        }
        try:
            return self._client.build_request("GET", target, headers=all_headers, timeout=timeout)
        except (httpx.InvalidURL, httpx.UnsupportedProtocol, ValueError) as exc:
            raise FetchError(f"invalid URL {target!r}: {exc}", url=url) from exc

    def _send(self, request: httpx.Request, url: str) -> httpx.Response:
        """Send and return the response with its body unread; transport errors become typed."""
        try:
            return self._client.send(request, stream=True, follow_redirects=False)
        except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as exc:
            raise self._unreachable(exc, url) from exc
        except httpx.HTTPError as exc:  # local protocol errors, unsupported protocol, ...
            raise FetchError(_describe(exc), url=url) from exc
        except (httpx.InvalidURL, ValueError) as exc:  # httpx parses Location even unfollowed
            raise FetchError(f"unusable URL or redirect: {exc}", url=url) from exc

    def _check_status(self, response: httpx.Response, url: str) -> None:
        """Raise for error answers: retryable ones as _Transient, the rest as HTTPStatus."""
        status = response.status_code
        if 200 <= status < 300 or status == 304:
            return
        reason = f"HTTP {status} {response.reason_phrase}".strip()
        error = HTTPStatus(reason, url=url, status=status)
        if status in RETRY_STATUSES:
            raise _Transient(error, parse_retry_after(response.headers.get("retry-after")))
        raise error

    def _body(self, response: httpx.Response, url: str, plan: _Plan, deadline: float) -> bytes:
        """The checked body: type and declared size first, then a capped, timed read."""
        status = response.status_code
        ctype, _ = parse_content_type(response.headers.get("content-type"))
        if plan.html_only and ctype is not None and ctype not in HTML_TYPES:
            raise NotHTML(f"content type {ctype}", url=url, status=status)
        length = response.headers.get("content-length", "").strip()
        if not plan.truncate and length.isdigit() and int(length) > plan.max_bytes:
            cap = plan.max_bytes
            raise TooLarge(
                f"Content-Length {length} over the {cap} byte cap", url=url, status=status
            )
        content = self._read(response, url, plan, deadline)
        if plan.html_only and ctype is None and not looks_like_html(content):
            raise NotHTML("no Content-Type and the body is not HTML", url=url, status=status)
        return content

    def _read(self, response: httpx.Response, url: str, plan: _Plan, deadline: float) -> bytes:
        """The decompressed body, stopping at the cap (TooLarge, or cut when truncating)."""
        if response.is_stream_consumed:  # built in memory (MockTransport): already decoded
            chunks: Iterable[bytes] = (response.content,)
            decoder = Decoder("", url)
        else:
            chunks = response.iter_raw()
            decoder = Decoder(response.headers.get("content-encoding", ""), url)
        cap, body, received = plan.max_bytes, bytearray(), 0
        too_large = TooLarge(f"body over the {cap} byte cap", url=url, status=response.status_code)
        try:
            for raw in chunks:
                self._left(deadline, url)
                # Raw bytes count too: compressed padding that inflates to nothing is no loophole.
                received += len(raw)
                if received > cap and not plan.truncate:
                    raise too_large
                for piece in decoder.feed(raw):
                    if len(body) + len(piece) > cap:
                        if plan.truncate:
                            return bytes(body + piece[: cap - len(body)])
                        too_large.reason += " (decompressed)"
                        raise too_large
                    body += piece
        except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as exc:
            raise self._unreachable(exc, url) from exc
        return bytes(body)

    def _unreachable(self, exc: httpx.HTTPError, url: str) -> Exception:
        """A transport failure to retry, unless it is the page deadline running out."""
        if isinstance(exc, httpx.TimeoutException) and deadline_passed():
            return Unreachable(f"over the {self.config.total_timeout}s page deadline", url=url)
        return _Transient(Unreachable(_describe(exc), url=url))

    def _left(self, deadline: float, url: str) -> float:
        """Seconds left before the deadline; a slow server past it is given up on, not retried."""
        left = deadline - self._clock()
        if left <= 0:
            raise Unreachable(f"over the {self.config.total_timeout}s page deadline", url=url)
        return left

    # -- robots.txt ---------------------------------------------------------------------------

    def _load_robots(self, url: str) -> Robots:
        """Download and interpret one robots.txt (no retries: a failure is cached briefly)."""
        try:
            done = self._exchange(url, self._robots_plan)
        except _Transient as exc:
            return robots_from_error(exc.error, self._agent)
        except FetchError as exc:
            return robots_from_error(exc, self._agent)
        return robots_from_response(done.response.status_code, done.content, self._agent)


@dataclass(frozen=True)
class _Plan:
    """What a call wants; pages, resources and robots.txt differ only in these."""

    headers: dict[str, str]
    max_bytes: int
    max_redirects: int
    check_robots: bool
    html_only: bool
    truncate: bool = False  # robots.txt: keep the first max_bytes instead of failing


@dataclass(frozen=True)
class _Exchange:
    """What one successful attempt produced (the response is closed; its body is content)."""

    response: httpx.Response
    content: bytes
    redirects: tuple[str, ...]


# -- small parsers ---------------------------------------------------------------------------


def utc_now() -> str:
    """The current time as fetches record it: ISO 8601 UTC, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    """(media type, charset) from a Content-Type header, both lower case, either None."""
    if not value:
        return None, None
    media, *params = value.split(";")
    charset = None
    for param in params:
        name, _, raw = param.partition("=")
        if name.strip().lower() == "charset":
            charset = raw.strip().strip("\"'").lower() or None
    return media.strip().lower() or None, charset


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delay-seconds or an HTTP date); None if bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    seconds = (when - (now or datetime.now(UTC))).total_seconds()
    return max(0.0, seconds) if math.isfinite(seconds) else None


def looks_like_html(content: bytes) -> bool:
    """Sniff a body that came without Content-Type: does it start like an HTML document?"""
    head = content[:_SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return b"<!doctype html" in head or b"<html" in head


def _redirect_target(current: str, response: httpx.Response, url: str) -> str:
    """The absolute URL a Location header points to, fragment dropped, web schemes only."""
    target = urljoin(current, response.headers["location"].strip())
    parts = urlsplit(target)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        reason = f"redirect to unsupported URL {target[:200]!r}"
        raise HTTPStatus(reason, url=url, status=response.status_code)
    return urlunsplit(parts._replace(fragment=""))


def _describe(exc: Exception) -> str:
    """A short reason for a transport error (some httpx errors have an empty message)."""
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _log_retry(state: RetryCallState) -> None:
    """One log line per retry, saying why and how long we wait."""
    exc = state.outcome.exception() if state.outcome else None
    wait = state.next_action.sleep if state.next_action else 0.0
    log.info("retry %d in %.1fs after %s", state.attempt_number, wait, exc)


def _client_for(config: FetchConfig) -> httpx.Client:
    """The default client for config's identity and timeouts."""
    return make_client(
        user_agent=config.user_agent,
        connect_timeout=config.connect_timeout,
        read_timeout=config.read_timeout,
    )

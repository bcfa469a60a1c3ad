"""One attempt at a URL: the redirect chain followed by hand and the body streamed under caps.

Fetcher (fetcher.py) wraps this in retries; here every hop is checked (scheme, robots.txt,
loops, count) and waits its turn at its host (politeness.py), every read is bounded in bytes
and in time (the attempt's deadline reaches the socket, so a slow drip stops), and failures
come out typed: Transient for what is worth another attempt, FetchError subclasses for what
is not.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from scraper.errors import (
    FetchError,
    HTTPStatus,
    NotHTML,
    RobotsDisallowed,
    TooLarge,
    TooManyRedirects,
    Unreachable,
)
from scraper.fetch.politeness import Gate
from scraper.fetch.robots import Robots
from scraper.fetch.transport import (
    ACCEPT_ENCODING,
    Decoder,
    deadline_passed,
    extend_deadline,
    socket_deadline,
)

if TYPE_CHECKING:
    from scraper.fetch.fetcher import FetchConfig

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})  # as scrapy's RETRY_HTTP_CODES
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_SNIFF_BYTES = 1024


class Transient(Exception):
    """An attempt failed in a way worth retrying; carries the error to raise at the end."""

    def __init__(self, error: FetchError, retry_after: float | None = None) -> None:
        super().__init__(str(error))
        self.error = error
        self.retry_after = retry_after


@dataclass(frozen=True)
class Plan:
    """What a call wants; pages, resources and robots.txt differ only in these."""

    headers: dict[str, str]
    max_bytes: int
    max_redirects: int
    check_robots: bool
    html_only: bool
    truncate: bool = False  # robots.txt: keep the first max_bytes instead of failing


@dataclass(frozen=True)
class Exchange:
    """What one successful attempt produced (the response is closed; its body is content)."""

    response: httpx.Response
    content: bytes
    redirects: tuple[str, ...]


class Exchanger:
    """Runs single attempts for a Fetcher: its client, limits, clock, robots.txt lookup and
    the gate every request passes."""

    def __init__(
        self,
        config: FetchConfig,
        client: httpx.Client,
        clock: Callable[[], float],
        robots: Callable[[str], Robots],
        gate: Gate,
    ) -> None:
        self.config = config
        self._client = client
        self._clock = clock
        self._robots = robots
        self._gate = gate

    def exchange(self, url: str, plan: Plan) -> Exchange:
        """One attempt: follow redirects by hand, counting hops, spotting loops, checking each."""
        deadline = self._clock() + self.config.total_timeout
        with socket_deadline(self.config.total_timeout):
            return self._follow(url, plan, deadline)

    def _follow(self, url: str, plan: Plan, deadline: float) -> Exchange:
        """The redirect chain of one attempt."""
        cookies = httpx.Cookies()  # only for this chain: some sites bounce to set a cookie
        seen: set[tuple[str, str | None]] = set()
        redirects: list[str] = []
        current = url
        while True:
            if urlsplit(current).scheme not in ("http", "https"):
                raise FetchError(f"unsupported URL scheme in {current!r}", url=url)
            if plan.check_robots and not (robots := self._robots(current)).allowed(current):
                what = "this URL" if current == url else f"redirect target {current}"
                why = (
                    ""
                    if robots.reason == "parsed" or robots.reason.isdigit()
                    else f" ({robots.reason})"
                )
                raise RobotsDisallowed(f"robots.txt disallows {what}{why}", url=url)
            with self._gate.turn(current) as waited:
                deadline += waited  # the wait for our turn is not the server's slowness
                extend_deadline(waited)
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
                return Exchange(response, content, tuple(redirects))
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
        """Raise for error answers: retryable ones as Transient, the rest as HTTPStatus."""
        status = response.status_code
        if 200 <= status < 300 or status == 304:
            return
        reason = f"HTTP {status} {response.reason_phrase}".strip()
        error = HTTPStatus(reason, url=url, status=status)
        if status in RETRY_STATUSES:
            raise Transient(error, parse_retry_after(response.headers.get("retry-after")))
        raise error

    def _body(self, response: httpx.Response, url: str, plan: Plan, deadline: float) -> bytes:
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

    def _read(self, response: httpx.Response, url: str, plan: Plan, deadline: float) -> bytes:
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
        return Transient(Unreachable(_describe(exc), url=url))

    def _left(self, deadline: float, url: str) -> float:
        """Seconds left before the deadline; a slow server past it is given up on, not retried."""
        left = deadline - self._clock()
        if left <= 0:
            raise Unreachable(f"over the {self.config.total_timeout}s page deadline", url=url)
        return left


# -- small parsers ---------------------------------------------------------------------------


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

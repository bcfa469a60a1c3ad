"""Fetch one page well: timeouts, a deadline, size and type limits, retries, robots.txt.

Everything from the network is treated as hostile: every path is bounded in time (connect
and read timeouts plus a per-attempt deadline that also stops a slow drip) and in memory
(bodies are streamed and decompressed in bounded pieces, so a gzip bomb stops at the cap).
One attempt (redirects, streaming, caps) lives in exchange.py; the bounded decoding and the
socket-level deadline in transport.py. This module is the API: retries around attempts,
robots.txt, and the result.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType

import httpx
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)

from scraper.errors import FetchError
from scraper.fetch.exchange import (
    Exchange,
    Exchanger,
    Plan,
    Transient,
    parse_content_type,
)
from scraper.fetch.politeness import Gate
from scraper.fetch.robots import (
    ROBOTS_MAX_BYTES,
    ROBOTS_MAX_REDIRECTS,
    Robots,
    RobotsCache,
    agent_token,
    robots_from_error,
    robots_from_response,
)
from scraper.fetch.transport import make_client

log = logging.getLogger(__name__)

ACCEPT_HTML = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"


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


class Fetcher:
    """Fetches pages for extraction and resources for discovery; safe to share by threads."""

    def __init__(
        self,
        config: FetchConfig = FetchConfig(),  # frozen, so one default is safe
        *,
        client: httpx.Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        gate: Gate | None = None,
    ) -> None:
        """gate spaces the requests to each host (a crawl passes one with its delay; without,
        only robots.txt Crawl-delay spaces them); sleep is for the waits between retries."""
        self.config = config
        self.gate = gate if gate is not None else Gate(clock=clock, sleep=sleep)
        self._own_client = client is None
        self._client = client if client is not None else _client_for(config)
        self._sleep = sleep
        self._clock = clock
        self._agent = agent_token(config.user_agent)
        self._robots = RobotsCache(self._load_robots, clock=clock)
        self._exchanger = Exchanger(config, self._client, clock, self.robots, self.gate)
        self._backoff = wait_exponential_jitter(multiplier=1, max=config.backoff_max, jitter=1)
        robots_headers = {"Accept": "text/plain,*/*;q=0.5"}
        self._robots_plan = Plan(
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
        plan = Plan(headers, max_bytes, cfg.max_redirects, cfg.respect_robots, html_only)

        def attempt() -> Exchange:
            nonlocal attempts
            attempts += 1
            return self._exchanger.exchange(url, plan)

        retrying = Retrying(
            stop=stop_after_attempt(cfg.max_retries + 1),
            wait=self._wait,
            retry=retry_if_exception_type(Transient),
            sleep=self._sleep,
            before_sleep=_log_retry,
            reraise=True,
        )
        try:
            done = retrying(attempt)
        except Transient as exc:
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
        if isinstance(exc, Transient) and exc.retry_after is not None:
            return max(backoff, min(exc.retry_after, self.config.max_retry_after))
        return backoff

    # -- robots.txt ---------------------------------------------------------------------------

    def _load_robots(self, url: str) -> Robots:
        """Download and interpret one robots.txt (no retries: a failure is cached briefly);
        its Crawl-delay goes to the gate, for every request to the host from now on."""
        try:
            done = self._exchanger.exchange(url, self._robots_plan)
        except Transient as exc:
            return robots_from_error(exc.error, self._agent)
        except FetchError as exc:
            return robots_from_error(exc, self._agent)
        robots = robots_from_response(done.response.status_code, done.content, self._agent)
        self.gate.slow_down(url, robots.crawl_delay)
        return robots


# -- small parsers ---------------------------------------------------------------------------


def utc_now() -> str:
    """The current time as fetches record it: ISO 8601 UTC, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


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

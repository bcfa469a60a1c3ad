"""robots.txt (RFC 9309): the rules for one host, and a thread-safe per-host cache."""

from __future__ import annotations

import math
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx
from protego import Protego

from scraper.errors import FetchError, HTTPStatus, Unreachable

# RFC 9309 2.5: parsers must read at least 500 KiB; anything past that may be ignored.
ROBOTS_MAX_BYTES = 500 * 1024
# RFC 9309 2.3.1.2: follow at least five consecutive redirects, then treat as unavailable.
ROBOTS_MAX_REDIRECTS = 5
# RFC 9309 2.4: a cached copy should not be used for more than 24 hours.
ROBOTS_TTL = 24 * 3600.0
# After a 5xx or a network failure everything is disallowed "for now"; ask again after this.
ROBOTS_RETRY_AFTER = 600.0
# Hosts kept in memory; a long crawl over many hosts evicts the least recently used.
ROBOTS_CACHE_SIZE = 1024
# The longest Crawl-delay obeyed: a file asking for hours between requests would stall a
# one-site crawl (and `scrape.py URL`) for as long; at a minute a host still gets 60 pages an hour.
MAX_CRAWL_DELAY = 60.0

_PRODUCT_TOKEN = re.compile(r"[A-Za-z_-]+")


def agent_token(user_agent: str) -> str:
    """The product token robots.txt groups are matched against ("scraper" in "scraper/0.1 ...")."""
    match = _PRODUCT_TOKEN.match(user_agent.strip())
    return match.group(0).lower() if match else "*"


def robots_url(url: str) -> str:
    """The robots.txt URL that governs url (same scheme, host and port, no credentials)."""
    parsed = httpx.URL(url)
    return str(parsed.copy_with(path="/robots.txt", query=None, fragment=None, userinfo=b""))


def host_key(url: str) -> tuple[str, str, int]:
    """scheme, host and port (default filled in): robots.txt applies to exactly this triple."""
    parsed = httpx.URL(url)
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    return parsed.scheme, parsed.host, port


@dataclass(frozen=True)
class Robots:
    """The rules of one host for our user agent, with why they are what they are."""

    agent: str
    crawl_delay: float | None = None
    sitemaps: tuple[str, ...] = ()
    reason: str = "parsed"
    default_allow: bool = True  # used when there is no parsed file
    _rules: Protego | None = field(default=None, repr=False, compare=False)

    @classmethod
    def parse(cls, text: str, agent: str, reason: str = "parsed") -> Robots:
        """Rules from the text of a robots.txt file."""
        rules = Protego.parse(text)
        delay = rules.crawl_delay(agent)
        # A hostile or broken file can say "nan" or "-5"; those mean nothing usable.
        if delay is not None and (not math.isfinite(delay) or delay < 0):
            delay = None
        elif delay is not None:
            delay = min(delay, MAX_CRAWL_DELAY)
        sitemaps = tuple(dict.fromkeys(s.strip() for s in rules.sitemaps if _is_web_url(s.strip())))
        return cls(agent, delay, sitemaps, reason, True, rules)

    @classmethod
    def allow_all(cls, agent: str, reason: str = "allow all") -> Robots:
        """No usable file (4xx, too many redirects): everything may be crawled."""
        return cls(agent, reason=reason, default_allow=True)

    @classmethod
    def disallow_all(cls, agent: str, reason: str = "disallow all") -> Robots:
        """The server failed (5xx, unreachable): nothing may be crawled for now."""
        return cls(agent, reason=reason, default_allow=False)

    def allowed(self, url: str) -> bool:
        """True when our user agent may fetch url (robots.txt itself is always allowed)."""
        if urlsplit(url).path == "/robots.txt":
            return True
        if self._rules is None:
            return self.default_allow
        return bool(self._rules.can_fetch(url, self.agent))


def robots_from_response(status: int, body: bytes, agent: str) -> Robots:
    """RFC 9309 2.3.1: 2xx is parsed, 4xx allows all, 429 and 5xx disallow all for now."""
    if 200 <= status < 300:
        return Robots.parse(body.decode("utf-8", errors="replace"), agent, reason=f"{status}")
    if status == 429 or status >= 500:
        # 429 is "come back later", not "there is no file" (Google treats it as 5xx too).
        return Robots.disallow_all(agent, reason=f"{status}: unreachable, disallow all")
    return Robots.allow_all(agent, reason=f"{status}: unavailable, allow all")


def robots_from_error(error: FetchError, agent: str) -> Robots:
    """A failed download: error statuses as above, unreachable disallows, the rest allows."""
    if isinstance(error, HTTPStatus) and error.status and not 300 <= error.status < 400:
        return robots_from_response(error.status, b"", agent)
    if isinstance(error, Unreachable):
        return Robots.disallow_all(agent, reason=f"unreachable: {error.reason}")
    # Too many redirects, a redirect to a non-web URL, a corrupt body: "unavailable".
    return Robots.allow_all(agent, reason=f"unavailable: {error.reason}")


@dataclass
class _Entry:
    """One host's cached rules; its lock makes concurrent callers share one download."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    robots: Robots | None = None
    expires: float = 0.0


class RobotsCache:
    """Per-host robots.txt, downloaded once however many threads ask at the same moment."""

    def __init__(
        self,
        load: Callable[[str], Robots],
        *,
        clock: Callable[[], float],
        max_hosts: int = ROBOTS_CACHE_SIZE,
    ) -> None:
        self._load = load
        self._clock = clock
        self._max_hosts = max_hosts
        self._entries: OrderedDict[tuple[str, str, int], _Entry] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, url: str) -> Robots:
        """The rules governing url, loading them at most once per host and TTL."""
        key = host_key(url)
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                entry = self._entries[key] = _Entry()
                while len(self._entries) > self._max_hosts:
                    self._entries.popitem(last=False)
            else:
                self._entries.move_to_end(key)
        with entry.lock:
            if entry.robots is None or self._clock() >= entry.expires:
                entry.robots = self._load(robots_url(url))
                ttl = ROBOTS_TTL if entry.robots.default_allow else ROBOTS_RETRY_AFTER
                entry.expires = self._clock() + ttl
            return entry.robots


def _is_web_url(url: str) -> bool:
    """True for absolute http(s) URLs: the only sitemaps worth following."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)

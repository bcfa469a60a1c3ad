"""Politeness: one request at a time to an origin (host:port), at least its delay apart.

Every HTTP request the fetch layer sends takes its turn at the Gate: pages, each redirect
hop, each retry, robots.txt, sitemaps and feeds, so nothing can go around the interval. The
delay of an origin is the crawl's delay, or its robots.txt Crawl-delay when that is longer.
It is counted from the moment the previous answer began (its headers arrived): the server
saw that request no later than then, so the intervals it sees are never shorter, however
long the connection took to open (a scheduler's estimate of "when it was sent" could be).
The crawler schedules each host at ready_at(), so its own waits and the Gate's agree: a
request it dispatches finds the Gate open and never waits twice.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from scraper.urls import host_port


@dataclass
class _Lane:
    """One origin's turn: its lock (one request at a time), delay and last answer."""

    delay: float
    answered: float = -math.inf  # clock time the last answer (or failure) began
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def next_at(self) -> float:
        """Clock time before which no request may start (a Crawl-delay read later counts)."""
        return self.answered + self.delay


class Gate:
    """Per-origin turns for requests; thread-safe, with the clock and sleep injected."""

    def __init__(
        self,
        delay: float = 0.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.delay = delay
        self._clock = clock
        self._sleep = sleep
        self._lanes: dict[str, _Lane] = {}
        self._lock = threading.Lock()

    def slow_down(self, url: str, seconds: float | None) -> None:
        """A robots.txt Crawl-delay for url's origin: its delay, when longer than the crawl's."""
        lane = self._lane(host_port(url))
        lane.delay = max(self.delay, seconds or 0.0)

    def ready_at(self, origin: str) -> float:
        """Clock time from which origin (host:port, as host_port() gives) may be asked again."""
        with self._lock:
            lane = self._lanes.get(origin)
        return max(lane.next_at, 0.0) if lane is not None else 0.0

    @contextmanager
    def turn(self, url: str) -> Iterator[float]:
        """Wait for url's origin to be free and its delay to pass; yields the seconds waited.

        Hold the turn until the answer's headers have arrived: the next request to the
        origin may start its delay after that moment (also after a failure: a refused
        connection or a timeout was a request too)."""
        lane = self._lane(host_port(url))
        entered = self._clock()
        with lane.lock:
            if (wait := lane.next_at - self._clock()) > 0:
                self._sleep(wait)  # may raise to stop a crawl: then nothing was sent
            try:
                yield self._clock() - entered
            finally:
                lane.answered = self._clock()

    def _lane(self, origin: str) -> _Lane:
        """origin's lane, made on first use."""
        with self._lock:
            lane = self._lanes.get(origin)
            if lane is None:
                lane = self._lanes[origin] = _Lane(self.delay)
            return lane

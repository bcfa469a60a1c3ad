"""Typed failures. Callers get an exception carrying the URL and status, never a bare None.

ScraperError
 ├── FetchError
 │    ├── RobotsDisallowed
 │    ├── TooLarge
 │    ├── NotHTML
 │    ├── HTTPStatus
 │    ├── TooManyRedirects
 │    └── Unreachable
 ├── StoreError
 └── WarcError

Extraction raises nothing: what it could not read is named in the record's `error`.
"""

from __future__ import annotations


class ScraperError(Exception):
    """Base of every error this package raises on purpose."""

    def __init__(self, message: str, *, url: str | None = None, status: int | None = None):
        super().__init__(message)
        self.url = url
        self.status = status
        self.reason = message

    def __str__(self) -> str:
        where = f" ({self.url})" if self.url else ""
        code = f" [{self.status}]" if self.status is not None else ""
        return f"{self.reason}{code}{where}"


class FetchError(ScraperError):
    """A page could not be fetched."""

    # True for pages declined on purpose (not HTML, too large): recorded as skipped, no failure.
    skipped = False


class RobotsDisallowed(FetchError):
    """robots.txt forbids this URL for our user agent (or could not be read: RFC 9309)."""


class TooLarge(FetchError):
    """The response is over the size cap; it was not read into memory."""

    skipped = True


class NotHTML(FetchError):
    """The response is not HTML or XHTML, so there is nothing to extract."""

    skipped = True


class HTTPStatus(FetchError):
    """The server answered with an error status (after any retries)."""


class TooManyRedirects(FetchError):
    """A redirect chain went past the cap or looped."""


class Unreachable(FetchError):
    """Connection failed, timed out or was reset (after any retries)."""


class StoreError(ScraperError):
    """The database could not be written (disk full, read-only, locked too long)."""


class WarcError(ScraperError):
    """A WARC input that could not be read to its end: missing, not a WARC, empty, cut."""

"""What a batch run keeps: hosts, languages and a date window, checked as early as possible.

A WARC record is judged in two steps. Before its payload is read: the target URL's host
(cheap, and most CC-NEWS records are from sites a study does not want) and the capture
date (a story cannot be published after it was captured, so a capture before --since is
out). After extraction: the record's language and published date.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from scraper.article import Article
from scraper.urls import registrable_domain

# A page may carry a published date a little after its capture (time zones, clocks set
# ahead): the capture-date pre-check keeps a day of margin so it never drops a wanted story.
_CAPTURE_MARGIN = timedelta(days=1)


@dataclass(frozen=True)
class Filters:
    """Which records a run keeps; None means no restriction on that axis."""

    domains: frozenset[str] | None = None  # hosts or registrable domains, lower case
    languages: frozenset[str] | None = None  # primary subtags: en, de, uk
    since: date | None = None  # published on or after
    until: date | None = None  # published on or before

    @classmethod
    def of(
        cls,
        *,
        domains: Iterable[str] | None = None,
        languages: Iterable[str] | None = None,
        since: date | None = None,
        until: date | None = None,
    ) -> Filters:
        """Filters from user input: domains and language codes cleaned and lower-cased."""
        doms = {d.strip().lower().strip(".") for d in domains} if domains is not None else None
        langs = (
            {lang.strip().lower().split("-")[0] for lang in languages}
            if languages is not None
            else None
        )
        return cls(
            frozenset(d for d in doms if d) if doms is not None else None,
            frozenset(lang for lang in langs if lang) if langs is not None else None,
            since,
            until,
        )

    @property
    def active(self) -> bool:
        """True when any record may be left out."""
        return any(v is not None for v in (self.domains, self.languages, self.since, self.until))

    def wants_url(self, url: str) -> bool:
        """The host is one of the domains, a subdomain of one, or shares its registrable
        domain with one (www.example.com and example.com are one site)."""
        if self.domains is None:
            return True
        host = (urlsplit(url).hostname or "").lower().rstrip(".")
        if not host:
            return False
        if host in self.domains or registrable_domain(host) in self.domains:
            return True
        return any(host.endswith("." + d) for d in self.domains)

    def wants_capture(self, fetched_at: str) -> bool:
        """False only when a capture this early cannot hold a story published since --since."""
        if self.since is None:
            return True
        day = _day(fetched_at)
        return day is None or day + _CAPTURE_MARGIN >= self.since

    def wants_record(self, article: Article, fetched_at: str | None = None) -> bool:
        """Language and published date, after extraction. A record without a published date
        is judged by its capture date; without a language it is left out of a --lang run."""
        if self.languages is not None and (article.language or "") not in self.languages:
            return False
        if self.since is None and self.until is None:
            return True
        day = _day(article.published) or _day(fetched_at)
        if day is None:
            return False
        return not (self.since and day < self.since) and not (self.until and day > self.until)


def _day(text: str | None) -> date | None:
    """The calendar day of an ISO 8601 date or date-time (as the page gave it), or None."""
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            return None

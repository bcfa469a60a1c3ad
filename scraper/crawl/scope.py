"""Crawl scope: which URLs the crawler may fetch, which are traps, and which look like articles.

Pure functions of the URL (and a `today` passed in), so the frontier can decide before any
request. Scope is by registrable domain (www.news.example.co.uk -> example.co.uk); hosts that
have none (IP addresses, localhost) are scoped by host and port, the origin being their only
identity.
"""

from __future__ import annotations

import ipaddress
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from posixpath import splitext
from urllib.parse import SplitResult, parse_qsl, unquote, urlsplit

from scraper.urls import normalize_url, port_of, registrable_domain

# Extensions that are never an HTML page; skipped before any request.
NON_HTML_EXTENSIONS: frozenset[str] = frozenset(
    {".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg", ".ico", ".bmp", ".tif", ".tiff"}
    | {".heic", ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods"}
    | {".odp", ".rtf", ".epub", ".csv", ".zip", ".gz", ".tgz", ".bz2", ".xz", ".7z", ".rar"}
    | {".tar", ".dmg", ".exe", ".msi", ".apk", ".iso", ".bin", ".mp3", ".wav", ".ogg", ".m4a"}
    | {".aac", ".flac", ".mp4", ".m4v", ".mov", ".avi", ".wmv", ".mkv", ".webm", ".flv"}
    | {".m3u8", ".ts", ".css", ".js", ".mjs", ".json", ".woff", ".woff2", ".ttf", ".otf"}
    | {".eot", ".ics", ".vcf", ".swf"}
    | {".xml", ".rss", ".atom", ".txt"}  # sitemaps, feeds, robots: read as such, not as pages
)
# Query parameters that page through a listing; past the cap they are an endless trap.
PAGE_PARAMS: frozenset[str] = frozenset({"page", "paged", "pg", "p", "pagenum", "page_no"})
# Query parameters whose value is a date: a calendar widget's next/previous links.
DATE_PARAMS: frozenset[str] = frozenset(
    {"date", "day", "month", "year", "from", "to", "start_date", "end_date", "cal", "ym"}
)
# Path words that announce a calendar, where every month links to the next one forever.
CALENDAR_WORDS: frozenset[str] = frozenset(
    {"calendar", "calendario", "kalender", "calendrier", "events", "event", "agenda", "schedule"}
)
# Session tokens normalize_url cannot strip: ASP.NET cookieless sessions, ;sid= path params.
_SESSION_IN_PATH = re.compile(r"\(s\([a-z0-9]{16,}\)\)|;(?:sid|sessionid|phpsessid)=", re.I)
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
# A year that is part of a date in the path: /2031/05/, /2031-05-01, /2031_05.
_PATH_DATE_YEAR = re.compile(r"(?:^|/)(\d{4})(?:[-_/](?:0?[1-9]|1[0-2]))(?=[-_/]|$)")
_PAGE_PATH = re.compile(r"/page/(\d+)(?:/|$)", re.I)

# ---- article-likeness --------------------------------------------------------------------

_DATE_PATH = re.compile(r"/(?:19|20)\d\d/(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01])(?:/|$)")
_MONTH_PATH = re.compile(r"/(?:19|20)\d\d/(?:0?[1-9]|1[0-2])(?:/|$)")
_DATE_ANY = re.compile(
    r"(?<!\d)((?:19|20)\d\d)[-/_]?(0[1-9]|1[0-2])[-/_]?(0[1-9]|[12]\d|3[01])(?!\d)"
)
_NUMERIC_ID = re.compile(r"(?<![a-z])\d{5,}(?!\d)|[-_](?:a|id|art)?\d{4,}(?:\.\w+)?$", re.I)
ID_PARAMS: frozenset[str] = frozenset({"id", "article_id", "articleid", "storyid", "story_id"})
_PAGE_EXTENSIONS = (".html", ".htm", ".shtml", ".php", ".asp", ".aspx", ".jsp", ".cms")
# Path segments of listing pages: followed for links, not stored as articles.
LISTING_SEGMENTS: frozenset[str] = frozenset(
    {"tag", "tags", "category", "categories", "topic", "topics", "section", "sections"}
    | {"author", "authors", "page", "search", "archive", "archives", "feed", "feeds", "index"}
    | {"about", "contact", "privacy", "terms", "login", "signin", "register", "subscribe"}
    | {"newsletter", "newsletters", "account", "profile", "label"}
    | {"rubrique", "thema", "themen", "autor", "tema", "seccion"}  # French, German, Spanish
)


def _split(url: str) -> SplitResult:
    """urlsplit that never raises: a malformed URL (bad IPv6 host) splits as empty."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a bad port or IPv6 literal; probe it once here
        return parts
    except ValueError:
        return SplitResult("", "", "", "", "")


def looks_non_html(url: str) -> bool:
    """True when the path's extension says the URL is not an HTML page."""
    ext = splitext(_split(url).path)[1].lower()
    return ext in NON_HTML_EXTENSIONS


def site_key(host: str, port: int | None = None) -> str:
    """The unit of scope: the registrable domain, or host:port for IP addresses and localhost."""
    host = host.lower().strip("[]").rstrip(".")
    try:
        ipaddress.ip_address(host)
        is_ip = True
    except ValueError:
        is_ip = False
    if is_ip or "." not in host:
        return f"{host}:{port}" if port else host
    return registrable_domain(host)


def url_site(url: str) -> str | None:
    """site_key of a URL, None when it has no host."""
    parts = _split(url)
    if not parts.hostname:
        return None
    return site_key(parts.hostname, port_of(parts))


def url_date(url: str) -> date | None:
    """The date a URL's path spells (/2022/02/01/, 2022-02-01, 20220201), if any."""
    found = _DATE_ANY.search(_split(url).path)
    if not found:
        return None
    try:
        return date(*(int(g) for g in found.groups()))
    except ValueError:  # 2022/02/30
        return None


def article_score(url: str) -> float:
    """How article-like a URL looks: > 0 article, < 0 listing (home, tag, section, page N).

    Used to order the frontier so articles come before listings; not a verdict."""
    parts = _split(url)
    path = unquote(parts.path).lower()
    segments = [s for s in path.split("/") if s]
    if not segments or segments[-1] in ("index.html", "index.htm", "index.php", "default.aspx"):
        return -3.0 if not parts.query else -2.0  # home page or its query variants
    last = segments[-1]
    stem = splitext(last)[0] if last.endswith(_PAGE_EXTENSIONS) else last
    score = 0.0
    if _DATE_PATH.search(path) or _DATE_ANY.search(path):
        score += 2.0
    elif _MONTH_PATH.search(path):
        score += 1.0
    words = [w for w in re.split(r"[-_+]", stem) if w]
    if len(words) >= 4 and len(stem) >= 20:
        score += 2.0
    elif len(words) >= 3:
        score += 1.0
    query = _query(url)
    if _NUMERIC_ID.search(last) or any(k in ID_PARAMS for k, _ in query):
        score += 1.0
    if last.endswith(_PAGE_EXTENSIONS) and len(words) >= 2:
        score += 0.5
    listing = sum(1 for s in segments if s in LISTING_SEGMENTS)
    if listing or _PAGE_PATH.search(path) or any(k in PAGE_PARAMS for k, _ in query):
        score -= 2.0 + min(listing, 2) * 0.5
    if len(segments) == 1 and len(words) <= 2 and score <= 0:
        score -= 1.0  # /world, /sport: a section front
    return score


def _query(url: str) -> list[tuple[str, str]]:
    """Query parameters with lower-cased names."""
    return [(k.lower(), v) for k, v in parse_qsl(_split(url).query, keep_blank_values=True)]


# ---- scope -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    """Whether a URL is in scope, and why not (for logs and the frontier's skip counts)."""

    allowed: bool
    reason: str  # "ok" or the rule that refused it

    def __bool__(self) -> bool:
        return self.allowed


_OK = Verdict(True, "ok")


@dataclass(frozen=True)
class Scope:
    """The crawl's boundary: seed sites, --allow/--deny patterns, and crawler-trap limits."""

    sites: frozenset[str]
    today: date
    allow: tuple[re.Pattern[str], ...] = ()  # widen: matching URLs are in, whatever the site
    deny: tuple[re.Pattern[str], ...] = ()  # narrow: matching URLs are out, always
    max_url_length: int = 2000
    max_query_params: int = 6
    max_path_depth: int = 12
    max_segment_repeats: int = 2  # /a/b/a/b/a/b: a relative-link loop
    max_page_number: int = 100  # ?page=N and /page/N beyond this are not crawled
    years_ahead: int = 1  # dates further in the future are a calendar running on
    calendar_years_back: int = 3  # calendar pages older than this are a calendar running back
    min_year: int = 1800  # archives go back far; earlier years are generated

    @classmethod
    def from_seeds(
        cls,
        seeds: Iterable[str],
        *,
        today: date,
        allow: Iterable[str] = (),
        deny: Iterable[str] = (),
    ) -> Scope:
        """A scope covering the seeds' registrable domains, widened/narrowed by regexes."""
        sites = frozenset(s for s in map(url_site, seeds) if s)
        return cls(
            sites=sites,
            today=today,
            allow=tuple(re.compile(p) for p in allow),
            deny=tuple(re.compile(p) for p in deny),
        )

    def allows(self, url: str, *, page: bool = True) -> bool:
        """True when the crawler may fetch url (page=False for sitemaps and feeds)."""
        return self.check(url, page=page).allowed

    def check(self, url: str, *, page: bool = True) -> Verdict:
        """The verdict on url, with the first rule that refuses it."""
        if len(url) > self.max_url_length:
            return Verdict(False, "url-too-long")
        parts = _split(url)
        if not parts.scheme:
            return Verdict(False, "malformed")
        if parts.scheme.lower() not in ("http", "https"):
            return Verdict(False, "scheme")
        if not parts.hostname:
            return Verdict(False, "no-host")
        if any(p.search(url) for p in self.deny):
            return Verdict(False, "denied")
        if url_site(url) not in self.sites and not any(p.search(url) for p in self.allow):
            return Verdict(False, "off-site")
        if page and looks_non_html(url):
            return Verdict(False, "non-html")
        if _SESSION_IN_PATH.search(parts.path):
            return Verdict(False, "session-id")
        return self._trap(normalize_url(url))

    def _trap(self, url: str) -> Verdict:
        """Crawler traps on the normalised URL (session and tracking parameters gone)."""
        parts = _split(url)
        segments = [s.lower() for s in parts.path.split("/") if s]
        query = _query(url)
        if len(query) > self.max_query_params:
            return Verdict(False, "too-many-params")
        if len(segments) > self.max_path_depth:
            return Verdict(False, "too-deep")
        if segments and Counter(segments).most_common(1)[0][1] > self.max_segment_repeats:
            return Verdict(False, "repeated-segments")
        pages = [int(m) for m in _PAGE_PATH.findall(parts.path)]
        pages += [int(v) for k, v in query if k in PAGE_PARAMS and v.isdecimal() and v.isascii()]
        if any(n > self.max_page_number for n in pages):
            return Verdict(False, "page-number")
        calendar = any(s in CALENDAR_WORDS for s in segments) or any(
            k in DATE_PARAMS for k, _ in query
        )
        # A lone 4-digit segment is a year only on a calendar; elsewhere it may be an id.
        lone = (
            [s for s in segments if s.isdecimal() and s.isascii() and len(s) == 4]
            if calendar
            else []
        )
        years = [int(y) for y in _PATH_DATE_YEAR.findall(parts.path)] + [int(y) for y in lone]
        years += [int(y) for k, v in query if k in DATE_PARAMS for y in _YEAR.findall(v)]
        oldest = self.today.year - self.calendar_years_back if calendar else self.min_year
        if any(y > self.today.year + self.years_ahead or y < oldest for y in years):
            return Verdict(False, "calendar")
        return _OK

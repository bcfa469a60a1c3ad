"""Discovery: the URLs a site offers in sitemaps, feeds and page links, read as hostile input.

Pure functions over bytes the caller fetched (and capped); nothing here does I/O. Every XML
document goes through defusedxml (sitemaps) or a DTD/entity guard (feeds, before feedparser),
so entity bombs and external entities fail cleanly instead of expanding or reading files.
"""

from __future__ import annotations

import gzip
import io
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from typing import IO, Any
from urllib.parse import urldefrag
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as DefusedET
from defusedxml import DefusedXmlException
from selectolax.lexbor import LexborHTMLParser

from scraper.crawl.scope import looks_non_html
from scraper.errors import ScraperError
from scraper.extract import clean_text, parse_tree
from scraper.urls import absolute_url as _urls_absolute
from scraper.urls import normalize_url

MAX_SITEMAP_URLS = 50_000  # per sitemap file, as the sitemaps.org protocol caps it
MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # decompressed, also the protocol's cap
MAX_SITEMAP_DEPTH = 3  # index -> index -> index -> urlset; deeper is a loop or a trap
MAX_FEED_ENTRIES = 5_000
FEED_TYPES: frozenset[str] = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/rdf+xml"}
)
_GZIP_MAGIC = b"\x1f\x8b"
# An internal DTD subset or any entity declaration: the raw material of entity bombs and XXE.
_DTD_SUBSET = re.compile(rb"<!doctype[^>\[]*\[|<!entity", re.IGNORECASE)
_ABSOLUTE = re.compile(r"https?://\S+$", re.IGNORECASE)


class DiscoveryError(ScraperError):
    """A sitemap or feed could not be read safely: hostile, malformed or over a limit."""


class _FeedAsSitemap(Exception):
    """Internal: the 'sitemap' is an RSS or Atom feed, which the protocol also accepts."""


@dataclass(frozen=True)
class Link:
    """One discovered URL with the hints its source gave (dates are ISO 8601 strings)."""

    url: str
    source: str  # "sitemap" | "news-sitemap" | "feed" | "page"
    published: str | None = None
    title: str | None = None
    lastmod: str | None = None
    nofollow: bool = False

    def before(self, since: date) -> bool:
        """True when a date hint says the page predates `since`; undated links never do."""
        hint = self.published or self.lastmod
        return hint is not None and date.fromisoformat(hint[:10]) < since


@dataclass(frozen=True)
class SitemapRef:
    """A child sitemap named by an index, with its nesting depth (the root is 0)."""

    url: str
    lastmod: str | None
    depth: int


@dataclass(frozen=True)
class Sitemap:
    """What one sitemap file yields: page links, child sitemaps, and whether it was cut short."""

    links: tuple[Link, ...]
    sitemaps: tuple[SitemapRef, ...]
    truncated: bool = False
    error: str | None = None  # a syntax error after some entries were read


@dataclass(frozen=True)
class PageLinks:
    """What an HTML page offers the crawler: outgoing links and the feeds it advertises."""

    links: tuple[Link, ...]
    feeds: tuple[str, ...]


def absolute_url(href: str | None, base: str | None) -> str | None:
    """urls.absolute_url, with a malformed href (a broken IPv6 host) read as no link."""
    try:
        return _urls_absolute(href, base)
    except ValueError:
        return None


# ---- dates -------------------------------------------------------------------------------


def iso_date(value: str | None) -> str | None:
    """A W3C / RFC 822 date as ISO 8601 (offset kept when given); None when unreadable."""
    if not value or not (text := value.strip()):
        return None
    if re.fullmatch(r"\d{4}(-\d{2})?", text):  # W3C allows YYYY and YYYY-MM
        text = (text + "-01-01")[:10]
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if len(text) == 10 and parsed.hour == parsed.minute == parsed.second == 0:
        return parsed.date().isoformat()
    return parsed.isoformat()


# ---- sitemaps ----------------------------------------------------------------------------


class _CappedReader(io.RawIOBase):
    """A stream that fails once more than `limit` bytes have been read from it."""

    def __init__(self, stream: IO[bytes], limit: int):
        self._stream, self._left = stream, limit

    def readable(self) -> bool:
        """Always readable: this only wraps a reader."""
        return True

    def readinto(self, buffer: Any) -> int:
        """Copy the next chunk into buffer, raising when the cap is passed."""
        chunk = self._stream.read(min(len(buffer), self._left + 1))
        self._left -= len(chunk)
        if self._left < 0:
            raise DiscoveryError("sitemap over the decompressed size cap")
        buffer[: len(chunk)] = chunk
        return len(chunk)


def _local(tag: Any) -> str:
    """Element name without its namespace: sitemaps use several (or none)."""
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _child_text(elem: Element, name: str) -> str | None:
    """Stripped text of elem's first direct child called name (any namespace)."""
    for child in elem:
        if _local(child.tag) == name:
            return (child.text or "").strip() or None
    return None


def _url_entry(elem: Element, base: str) -> Link | None:
    """A <url> element as a Link; a Google News block makes it a news-sitemap link."""
    url = absolute_url(_child_text(elem, "loc"), base)
    if url is None:
        return None
    news = next((c for c in elem if _local(c.tag) == "news"), None)
    lastmod = iso_date(_child_text(elem, "lastmod"))
    if news is None:
        return Link(url, "sitemap", lastmod=lastmod)
    published = iso_date(_child_text(news, "publication_date"))
    return Link(url, "news-sitemap", published, _child_text(news, "title"), lastmod)


def _open_sitemap(data: bytes) -> io.BufferedReader:
    """A capped stream over the sitemap's bytes, gunzipped when they are gzip."""
    raw: IO[bytes] = io.BytesIO(data)
    if data[:2] == _GZIP_MAGIC:
        raw = gzip.GzipFile(fileobj=raw)  # type: ignore[assignment]  # a binary stream too
    return io.BufferedReader(_CappedReader(raw, MAX_SITEMAP_BYTES))


def _text_sitemap(stream: IO[bytes], base: str) -> Sitemap:
    """A plain-text sitemap: one absolute URL a line (the protocol allows it); junk skipped."""
    links: list[Link] = []
    for line in stream:
        text = line.decode("utf-8", "replace").strip()
        url = absolute_url(text, base) if _ABSOLUTE.match(text) else None
        if url:
            if len(links) == MAX_SITEMAP_URLS:
                return Sitemap(tuple(links), (), truncated=True)
            links.append(Link(url, "sitemap"))
    return Sitemap(tuple(links), ())


def parse_sitemap(data: bytes, url: str, *, depth: int = 0) -> Sitemap:
    """Links and child sitemaps from a urlset, sitemap index, news sitemap or text sitemap.

    `depth` is this file's nesting depth; children past MAX_SITEMAP_DEPTH are dropped (and
    `truncated` set). Raises DiscoveryError for DTDs, entities, over-cap input and garbage."""
    stream = _open_sitemap(data)
    try:
        head = stream.peek(64)[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
        if head and not head.startswith(b"<"):
            return _text_sitemap(stream, url)
        return _xml_sitemap(stream, url, depth)
    except _FeedAsSitemap:
        with _open_sitemap(data) as again:
            return Sitemap(parse_feed(again.read(), url), ())
    except (OSError, EOFError, zlib.error) as exc:  # gzip.BadGzipFile is an OSError
        raise DiscoveryError(f"unreadable sitemap: {exc}", url=url) from exc
    except DiscoveryError as exc:
        raise DiscoveryError(exc.reason, url=url) from exc


def _xml_sitemap(stream: IO[bytes], url: str, depth: int) -> Sitemap:
    """Stream-parse sitemap XML with defusedxml, clearing elements as they are read."""
    links: list[Link] = []
    children: list[SitemapRef] = []
    truncated = False
    root: Element | None = None
    level = 0  # only the root's direct children are entries; nested tags may reuse names
    events = DefusedET.iterparse(stream, ("start", "end"), forbid_dtd=True)
    try:
        for event, elem in events:
            if root is None:
                root = elem
                if _local(elem.tag) in ("rss", "feed", "rdf"):
                    raise _FeedAsSitemap
                if _local(elem.tag) not in ("urlset", "sitemapindex"):
                    raise DiscoveryError(f"not a sitemap: <{_local(elem.tag)}>")
            level += 1 if event == "start" else -1
            if event != "end" or level != 1:
                continue
            name = _local(elem.tag)
            if name in ("url", "sitemap") and len(links) + len(children) >= MAX_SITEMAP_URLS:
                truncated = True
                break
            if name == "url" and (link := _url_entry(elem, url)):
                links.append(link)
            elif name == "sitemap" and (loc := absolute_url(_child_text(elem, "loc"), url)):
                if depth + 1 > MAX_SITEMAP_DEPTH:
                    truncated = True
                else:
                    lastmod = iso_date(_child_text(elem, "lastmod"))
                    children.append(SitemapRef(loc, lastmod, depth + 1))
            root.clear()  # keeps memory flat on 50,000-URL files
    except DefusedXmlException as exc:
        raise DiscoveryError(f"forbidden XML construct: {type(exc).__name__}") from exc
    except ParseError as exc:
        if not links and not children:
            raise DiscoveryError(f"malformed sitemap: {exc}") from exc
        return Sitemap(tuple(links), tuple(children), truncated, f"malformed sitemap: {exc}")
    return Sitemap(tuple(links), tuple(children), truncated)


def robots_sitemaps(robots_txt: str, url: str) -> tuple[str, ...]:
    """The Sitemap: lines of a robots.txt, resolved against its URL, in order, once each."""
    found: dict[str, None] = {}
    for line in robots_txt.splitlines():
        key, _, value = line.partition(":")
        if key.strip().lower() == "sitemap" and (loc := absolute_url(value.strip(), url)):
            found.setdefault(loc)
    return tuple(found)


# ---- feeds -------------------------------------------------------------------------------


def _feed_date(entry: Any) -> str | None:
    """An entry's publication date as ISO 8601, keeping the feed's own offset when it has one."""
    for key in ("published", "updated", "created"):
        if found := iso_date(entry.get(key)):
            return found
        parsed = entry.get(f"{key}_parsed")
        if parsed:  # feedparser normalises to UTC; its raw string was unreadable to us
            year, month, day, hour, minute, second = parsed[:6]
            return datetime(year, month, day, hour, minute, second, tzinfo=UTC).isoformat()
    return None


def parse_feed(data: bytes, url: str) -> tuple[Link, ...]:
    """Entry links of an RSS 0.9x/1.0/2.0 or Atom feed, with published dates and titles.

    feedparser expands entities declared in an internal DTD, so any DTD subset or entity
    declaration is refused first. Raises DiscoveryError when nothing feed-like is found."""
    import feedparser  # imported lazily: it is slow to import and only feeds need it

    if _DTD_SUBSET.search(data.replace(b"\x00", b"")):  # NULs: UTF-16/32 spelled in ASCII
        raise DiscoveryError("feed declares a DTD subset or entities", url=url)
    # A stream, never bytes or str: feedparser treats those as a file name or URL to open.
    parsed = feedparser.parse(io.BytesIO(data), response_headers={"content-location": url})
    if not parsed.entries and not parsed.get("version"):
        raise DiscoveryError(f"not an RSS or Atom feed ({parsed.get('bozo_exception')})", url=url)
    links: dict[str, Link] = {}
    for entry in parsed.entries[:MAX_FEED_ENTRIES]:
        href = entry.get("link") or next(
            (x.get("href") for x in entry.get("links", ()) if x.get("rel") == "alternate"), None
        )
        loc = absolute_url(href, url)
        if loc and not looks_non_html(loc):
            title = clean_text(entry.get("title", "")) or None
            links.setdefault(normalize_url(loc), Link(loc, "feed", _feed_date(entry), title))
    return tuple(links.values())


# ---- HTML pages --------------------------------------------------------------------------


def _tree(html: str | bytes | LexborHTMLParser) -> LexborHTMLParser:
    """A parsed tree, bounded like the extractor's; bytes are decoded as UTF-8 since only URLs
    (ASCII, mostly) are read."""
    if isinstance(html, LexborHTMLParser):
        return html
    return parse_tree(html.decode("utf-8", "replace") if isinstance(html, bytes) else html)


def _base_url(tree: LexborHTMLParser, url: str) -> str:
    """The page's <base href> resolved against its URL, or the URL itself."""
    base = tree.css_first("base[href]")
    return absolute_url(base.attributes.get("href"), url) or url if base else url


def _anchors(tree: LexborHTMLParser, base: str) -> Iterator[Link]:
    """Every in-web <a href> as a page Link, fragment dropped, non-HTML skipped."""
    for node in tree.css("a[href]"):
        loc = absolute_url(node.attributes.get("href"), base)
        if loc is None:
            continue
        loc = urldefrag(loc).url
        if looks_non_html(loc):
            continue
        rel = (node.attributes.get("rel") or "").lower().split()
        text = clean_text(node.text(separator=" ", strip=True))
        yield Link(loc, "page", title=text[:300] or None, nofollow="nofollow" in rel)


def _feeds(tree: LexborHTMLParser, base: str) -> Iterator[str]:
    """URLs of <link rel="alternate"> RSS/Atom feeds (feed autodiscovery)."""
    for node in tree.css("link[href]"):
        rel = (node.attributes.get("rel") or "").lower().split()
        kind = (node.attributes.get("type") or "").lower().split(";")[0].strip()
        loc = absolute_url(node.attributes.get("href"), base)
        if loc and "alternate" in rel and kind in FEED_TYPES:
            yield urldefrag(loc).url


def discover_page(html: str | bytes | LexborHTMLParser, url: str) -> PageLinks:
    """Links and advertised feeds of one page, each URL once (first occurrence wins)."""
    tree = _tree(html)
    base = _base_url(tree, url)
    links: dict[str, Link] = {}
    for link in _anchors(tree, base):
        key = normalize_url(link.url)
        seen = links.get(key)
        # First occurrence wins, but one followable anchor outweighs a nofollow one.
        if seen is None or (seen.nofollow and not link.nofollow):
            links[key] = link
    feeds = dict.fromkeys(_feeds(tree, base))
    return PageLinks(tuple(links.values()), tuple(feeds))


def page_links(html: str | bytes | LexborHTMLParser, url: str) -> tuple[Link, ...]:
    """The page's outgoing http(s) links, resolved against <base href>."""
    return discover_page(html, url).links


def feed_urls(html: str | bytes | LexborHTMLParser, url: str) -> tuple[str, ...]:
    """The RSS/Atom feeds a page advertises with <link rel="alternate">."""
    return discover_page(html, url).feeds

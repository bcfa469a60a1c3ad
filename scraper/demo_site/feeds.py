"""Sitemap, news sitemap, sitemap index, RSS and Atom documents, written for the demo and tests."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from xml.sax.saxutils import escape, quoteattr

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
ATOM_NS = "http://www.w3.org/2005/Atom"
_XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n'


@dataclass(frozen=True)
class Entry:
    """One URL in a sitemap or feed, with the hints each format can carry (ISO 8601 dates)."""

    url: str
    title: str | None = None
    published: str | None = None
    lastmod: str | None = None
    summary: str | None = None


def _tag(name: str, value: str | None) -> str:
    """<name>value</name>, or nothing when value is None."""
    return f"<{name}>{escape(value)}</{name}>" if value is not None else ""


def urlset_xml(entries: Iterable[Entry], *, news_name: str | None = None) -> bytes:
    """A <urlset>; with news_name, a Google News sitemap (publication_date and title)."""
    ns = f' xmlns="{SITEMAP_NS}"' + (f' xmlns:news="{NEWS_NS}"' if news_name else "")
    rows = []
    for e in entries:
        news = ""
        if news_name:
            publication = f"<news:name>{escape(news_name)}</news:name>"
            publication += "<news:language>en</news:language>"
            news = (
                f"<news:news><news:publication>{publication}</news:publication>"
                f"{_tag('news:publication_date', e.published)}{_tag('news:title', e.title)}"
                "</news:news>"
            )
        rows.append(f"<url>{_tag('loc', e.url)}{_tag('lastmod', e.lastmod)}{news}</url>")
    return (_XML_DECL + f"<urlset{ns}>\n" + "\n".join(rows) + "\n</urlset>\n").encode()


def sitemap_index_xml(entries: Iterable[Entry]) -> bytes:
    """A <sitemapindex> naming child sitemaps (Entry.url, Entry.lastmod)."""
    rows = "\n".join(
        f"<sitemap>{_tag('loc', e.url)}{_tag('lastmod', e.lastmod)}</sitemap>" for e in entries
    )
    return (_XML_DECL + f'<sitemapindex xmlns="{SITEMAP_NS}">\n{rows}\n</sitemapindex>\n').encode()


def rss_xml(title: str, link: str, entries: Iterable[Entry]) -> bytes:
    """An RSS 2.0 channel; pubDate in RFC 822 as the format wants it."""
    items = []
    for e in entries:
        date = format_datetime(datetime.fromisoformat(e.published)) if e.published else None
        items.append(
            f"<item>{_tag('title', e.title)}{_tag('link', e.url)}"
            f'<guid isPermaLink="true">{escape(e.url)}</guid>'
            f"{_tag('pubDate', date)}{_tag('description', e.summary)}</item>"
        )
    head = f"<title>{escape(title)}</title><link>{escape(link)}</link>"
    head += f"<description>{escape(title)}</description>"
    body = "\n".join(items)
    return (_XML_DECL + f'<rss version="2.0"><channel>{head}\n{body}\n</channel></rss>\n').encode()


def atom_xml(title: str, link: str, entries: Iterable[Entry]) -> bytes:
    """An Atom 1.0 feed with rel=alternate links, published and updated dates."""
    rows = []
    newest = ""
    for e in entries:
        updated = e.lastmod or e.published or "1970-01-01T00:00:00+00:00"
        newest = max(newest, updated)
        rows.append(
            f"<entry>{_tag('title', e.title)}<id>{escape(e.url)}</id>"
            f'<link rel="alternate" type="text/html" href={quoteattr(e.url)}/>'
            f"{_tag('published', e.published)}<updated>{escape(updated)}</updated>"
            f"{_tag('summary', e.summary)}</entry>"
        )
    head = f"<title>{escape(title)}</title><id>{escape(link)}</id>"
    head += f'<link rel="alternate" href={quoteattr(link)}/>'
    head += f"<updated>{escape(newest or '1970-01-01T00:00:00+00:00')}</updated>"
    body = "\n".join(rows)
    return (_XML_DECL + f'<feed xmlns="{ATOM_NS}">{head}\n{body}\n</feed>\n').encode()

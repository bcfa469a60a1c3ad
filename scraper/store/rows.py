"""Records to database rows and back: columns, the URLs a story is known by, fingerprints.

Pure (no SQL), so the store can prepare a page before taking the write lock.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit

from scraper.article import RECORD_KEYS, Article
from scraper.fetch import parse_content_type
from scraper.store.dedup import Simhash, near_duplicate_eligible
from scraper.urls import is_amp_url, normalize_url, registrable_domain

# Record keys stored as JSON text.
JSON_FIELDS: tuple[str, ...] = ("authors", "paragraphs", "author_bios", "tags", "provenance")
# Record keys copied to articles columns as they are (canonical_url is the normalised key).
ARTICLE_FIELDS: tuple[str, ...] = tuple(k for k in RECORD_KEYS if k != "canonical_url")


class FetchLike(Protocol):
    """What the store reads from scraper.fetch.FetchResult (structural: no import needed)."""

    @property
    def url(self) -> str: ...
    @property
    def final_url(self) -> str: ...
    @property
    def status(self) -> int: ...
    @property
    def headers(self) -> dict[str, str]: ...
    @property
    def content(self) -> bytes: ...
    @property
    def content_type(self) -> str | None: ...
    @property
    def etag(self) -> str | None: ...
    @property
    def last_modified(self) -> str | None: ...
    @property
    def fetched_at(self) -> str: ...
    @property
    def elapsed(self) -> float: ...
    @property
    def redirects(self) -> tuple[str, ...]: ...
    @property
    def attempts(self) -> int: ...


AuthorRow = tuple[str, str | None, str | None, str | None]  # name, role, bio, url


@dataclass(frozen=True)
class Prepared:
    """One article as columns, URL keys and fingerprint, ready to write."""

    key: str  # normalised canonical URL: articles.canonical_url
    lookup_keys: list[str]  # URLs that identify the story, strongest first
    alias_keys: list[str]  # every URL to remember it by (lookup keys + the requested URL)
    site: str | None
    row: dict[str, Any]  # articles columns that come from the record
    authors: list[AuthorRow]  # in byline order, then names known only from an author box
    simhash: Simhash | None  # None for bodies too short to match

    @classmethod
    def of(cls, article: Article, requested_url: str, final_url: str | None) -> Prepared:
        """Columns for an article fetched from requested_url, answered at final_url."""
        key, lookup, aliases = url_keys(article, requested_url, final_url)
        record = article.to_dict()
        row = {k: record[k] for k in ARTICLE_FIELDS}
        for k in JSON_FIELDS:
            row[k] = json.dumps(row[k], ensure_ascii=False)
        fingerprint = None
        if record["body"] and near_duplicate_eligible(record["word_count"]):
            fingerprint = Simhash.from_text(record["body"])
        site = host(key)
        row["site"] = site
        row["simhash"] = fingerprint.to_signed() if fingerprint else None
        return cls(key, lookup, aliases, site, row, author_rows(article), fingerprint)


def author_rows(article: Article) -> list[AuthorRow]:
    """Byline names in order, with role/bio/url from the author box of the same name."""
    bios = {b.name.casefold(): b for b in article.author_bios}
    names = dict.fromkeys([*article.authors, *(b.name for b in article.author_bios)])
    rows: list[AuthorRow] = []
    for name in names:
        bio = bios.get(name.casefold())
        rows.append((name, bio.role, bio.bio, bio.url) if bio else (name, None, None, None))
    return rows


def url_keys(
    article: Article, requested_url: str, final_url: str | None
) -> tuple[str, list[str], list[str]]:
    """(the story's key, URLs that identify it, every URL to remember it by), normalised.

    rel=canonical / og:url is trusted only on the page's own site and when it does not send
    an inner page to the home page: a syndicated copy pointing at the original is matched
    by content instead, so both copies are kept. The requested URL is remembered (a 304 or
    `history` may name it) but does not identify: a redirect such as /latest moves on."""
    page = final_url or article.url or requested_url
    page_key = normalize_url(page, drop_amp=is_amp_url(page))
    key = page_key
    if article.canonical_url and trust_canonical(article.canonical_url, page):
        key = normalize_url(article.canonical_url)
    strong = [key, page_key, normalize_url(page)]
    if article.url:
        strong.append(normalize_url(article.url, drop_amp=is_amp_url(article.url)))
    lookup = unique(strong)
    return key, lookup, unique([*lookup, normalize_url(requested_url)])


def trust_canonical(canonical: str, page: str) -> bool:
    """Same registrable domain, and not an inner page claiming to be the site's root."""
    c, p = urlsplit(canonical), urlsplit(page)
    if not c.hostname or not p.hostname or c.scheme not in ("http", "https"):
        return False
    if registrable_domain(c.hostname) != registrable_domain(p.hostname):
        return False
    return c.path.strip("/") != "" or p.path.strip("/") == ""


def raw_row(fetch: FetchLike) -> tuple[int, str, bytes, int]:
    """(status, headers JSON, gzip body, size): compressed before the write lock is taken."""
    body = gzip.compress(fetch.content, compresslevel=6, mtime=0)
    return fetch.status, json.dumps(fetch.headers, ensure_ascii=False), body, len(fetch.content)


def row_to_record(row: Mapping[str, Any]) -> dict[str, Any]:
    """An articles row back to the record extract prints (keys in RECORD_KEYS order)."""
    record = {k: row[k] for k in RECORD_KEYS}
    for key in JSON_FIELDS:
        record[key] = json.loads(record[key])
    return record


def charset(headers: Mapping[str, str]) -> str | None:
    """The charset the Content-Type header declares, if any (decoding is the extractor's)."""
    return parse_content_type(headers.get("content-type"))[1]


def host(url: str | None) -> str | None:
    """Lower-case host of a URL, the unit of per-site stats."""
    return (urlsplit(url).hostname or None) if url else None


def unique(items: Sequence[str]) -> list[str]:
    """items without repeats, first occurrence kept."""
    return list(dict.fromkeys(items))

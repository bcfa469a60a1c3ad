"""Shared fixtures: stores (in memory and on disk), fetch results and articles built by hand."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from scraper.article import Article
from scraper.fetch import FetchResult
from scraper.store import Store

# Enough words that random paragraphs of two different stories share no 3-word run.
_VOCAB = (
    "council budget river school hospital minister police court election market "
    "energy village harbour museum railway festival union strike airport bridge "
    "farmers teachers nurses drivers report inquiry vote plan road housing water "
    "climate storm flood fire company jobs factory prices shares bank loan tax rent "
    "wages pension study science doctors patients students parents residents "
    "officials spokesperson mayor governor announced said warned promised denied "
    "confirmed opened closed raised cut approved rejected delayed expanded reviewed "
    "during after before under since against between north south east west central "
    "old new local national public private small large"
).split()


def story_paragraphs(seed: int, paragraphs: int = 4, words: int = 30) -> tuple[str, ...]:
    """Deterministic filler paragraphs: a different seed gives an unrelated story."""
    rng = random.Random(seed)
    out = []
    for _ in range(paragraphs):
        text = " ".join(rng.choice(_VOCAB) for _ in range(words))
        out.append(text[0].upper() + text[1:] + ".")
    return tuple(out)


def make_article(url: str = "https://news.example.com/2024/05/01/story", **fields: Any) -> Article:
    """An Article as the extractor would return it for url; fields override the defaults."""
    values: dict[str, Any] = {
        "source": "news.example.com",
        "url": url,
        "canonical_url": url,
        "headline": "Council approves the new bridge",
        "authors": ("Jane Doe",),
        "byline": "By Jane Doe",
        "published": "2024-05-01T08:00:00+01:00",
        "paragraphs": story_paragraphs(1),
        "language": "en",
    }
    values.update(fields)
    return Article(**values)


def make_fetch(
    url: str = "https://news.example.com/2024/05/01/story",
    *,
    final_url: str | None = None,
    content: bytes = b"<html><body><p>story</p></body></html>",
    status: int = 200,
    fetched_at: str = "2024-05-01T10:00:00+00:00",
    etag: str | None = None,
    last_modified: str | None = None,
    headers: dict[str, str] | None = None,
) -> FetchResult:
    """A FetchResult as scraper.fetch returns it, without the network."""
    return FetchResult(
        url=url,
        final_url=final_url or url,
        status=status,
        headers=headers or {"content-type": "text/html; charset=utf-8"},
        content=b"" if status == 304 else content,
        content_type="text/html",
        encoding="utf-8",
        etag=etag,
        last_modified=last_modified,
        not_modified=status == 304,
        fetched_at=fetched_at,
        elapsed=0.05,
        redirects=() if not final_url or final_url == url else (url,),
        attempts=1,
    )


@pytest.fixture
def store() -> Iterator[Store]:
    """A fresh in-memory store."""
    with Store.memory() as s:
        yield s


@pytest.fixture
def file_store(tmp_path: Path) -> Iterator[Store]:
    """A fresh store in a file (WAL mode, as in production)."""
    with Store(tmp_path / "news.db") as s:
        yield s


@pytest.fixture
def article_factory() -> Callable[..., Article]:
    """make_article, for tests that build several articles."""
    return make_article


@pytest.fixture
def fetch_factory() -> Callable[..., FetchResult]:
    """make_fetch, for tests that build several fetches."""
    return make_fetch


@pytest.fixture
def story() -> Callable[..., tuple[str, ...]]:
    """story_paragraphs(seed, ...): the body of an unrelated story per seed."""
    return story_paragraphs

"""Listing pages are recognised; articles, including all 181 pages of the Zyte set, never are."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

import scraper
from scraper.extract.document import parse
from scraper.extract.pagetype import (
    NOT_LISTING,
    STRONG,
    WEAK,
    is_listing,
    listing_evidence,
    reads_as_article,
)

ZYTE = Path(__file__).resolve().parents[2] / "shared" / "bench" / "zyte"
TEASERS = "".join(
    f'<article><h3><a href="/news/2024/05/0{i % 9 + 1}/story-{i}">Story number {i}</a></h3>'
    "<p>A short teaser.</p></article>"
    for i in range(12)
)


def page(head: str = "", body: str = "", jsonld: dict | None = None) -> str:
    script = f'<script type="application/ld+json">{json.dumps(jsonld)}</script>' if jsonld else ""
    return f"<html><head>{head}{script}</head><body>{body}</body></html>"


@pytest.mark.parametrize(
    ("html", "url"),
    [
        (page(jsonld={"@type": "CollectionPage", "name": "Sports"}), "https://x.com/s/p"),
        (page(jsonld={"@type": "ItemList", "itemListElement": []}), "https://x.com/s/p"),
        (page(body="<p>Home</p>"), "https://x.com/"),
        (page(body="<p>Tag</p>"), "https://x.com/tag/ukraine/"),
        (page(body="<p>Section</p>"), "https://x.com/category/politics"),
        (page(body="<p>Author</p>"), "https://x.com/author/jane-doe/"),
        (page('<meta property="og:type" content="website">', TEASERS), "https://x.com/sport-news"),
    ],
)
def test_listing_pages(html: str, url: str) -> None:
    assert is_listing(parse(html, url))


@pytest.mark.parametrize(
    ("html", "url"),
    [
        # An article object wins over the URL and the teaser count.
        (page(body=TEASERS, jsonld={"@type": "NewsArticle", "headline": "H"}), "https://x.com/"),
        (page('<meta property="og:type" content="article">'), "https://x.com/tag/ukraine/"),
        # og:type website and related-story links alone do not make a listing.
        (page('<meta property="og:type" content="website">', "<p>Story</p>"), "https://x.com/a/b"),
        (page(body=TEASERS), "https://x.com/2024/05/01/story"),
        # Paths that merely contain a keyword.
        (page(body="<p>x</p>"), "https://x.com/news/tag-team-wins-title"),
        (page(body="<p>x</p>"), "https://x.com/category/politics/2024/05/01/story"),
        (page(body="<p>x</p>"), None),
    ],
)
def test_articles_are_not_listings(html: str, url: str | None) -> None:
    assert not is_listing(parse(html, url))


def test_reads_as_article_needs_three_long_paragraphs() -> None:
    long = "word " * 40
    assert reads_as_article([long, long, long])
    assert not reads_as_article([long, long, "short teaser"])
    assert not reads_as_article([])


def test_listing_with_an_article_text_stays_an_article() -> None:
    body = "".join(
        f"<p>Paragraph {i}: {'running prose of a real story, sentence after sentence. ' * 4}</p>"
        for i in range(5)
    )
    html = page('<meta property="og:type" content="website">', f"<h1>Headline</h1>{body}")
    record = scraper.extract(html, url="https://x.com/")
    assert record.page_type == "article"


@pytest.mark.skipif(not ZYTE.exists(), reason="Zyte benchmark data not present")
def test_zyte_pages_are_all_articles() -> None:
    truth = json.loads((ZYTE / "ground-truth.json").read_text(encoding="utf-8"))
    now = datetime(2024, 5, 10, 12, tzinfo=UTC)
    wrong = []
    for key, item in truth.items():
        html = gzip.decompress((ZYTE / "html" / f"{key}.html.gz").read_bytes())
        record = scraper.extract(html, url=item["url"], now=now)
        if is_listing(parse(html, item["url"])) or record.page_type != "article":
            wrong.append(item["url"])
    assert len(truth) == 181
    assert wrong == []


def test_a_section_page_without_story_text_is_a_listing() -> None:
    teasers = "".join(
        f'<div class="card"><h3><a href="/world/2024/05/1{i}/story-{i}">Story number {i} '
        f"about the world</a></h3><span>By Reporter {i}</span></div>"
        for i in range(4)
    )
    head = "<html><head><title>World - Gazette</title></head>"
    html = f"{head}<body><h1>World</h1>{teasers}</body></html>"
    record = scraper.extract(html, url="https://gazette.example/world")
    assert record.page_type == "listing"
    assert record.paragraphs == () and record.headline is None


def test_a_page_with_nothing_readable_is_unknown_and_says_so() -> None:
    record = scraper.extract("<html><body><div><img src='a.png'></div></body></html>")
    assert record.page_type == "unknown"
    assert record.error and "no article text" in record.error


RELATED = "".join(
    f'<div class="card"><h3><a href="/2024/05/0{i % 9 + 1}/post-{i}">Another post {i}</a></h3>'
    "</div>"
    for i in range(12)
)
SHORT_POST = (
    "<p>We finally planted the tomatoes this weekend, two weeks later than last year.</p>"
    "<p>The seedlings had grown leggy on the windowsill, so we buried them deep.</p>"
    "<p>If the frost stays away, the first fruit should come in late July.</p>"
)


def test_a_short_blog_post_on_a_website_typed_page_stays_an_article() -> None:
    # og:type "website" and a grid of related posts are weak evidence: a headline over
    # story-like text keeps the page an article, with its fields.
    html = page(
        '<meta property="og:type" content="website"><title>Tomatoes, at last</title>',
        f"<main><article><h1>Tomatoes, at last</h1>{SHORT_POST}</article></main>"
        f'<section class="more-posts">{RELATED}</section>',
    )
    parsed = parse(html, "https://garden.example/tomatoes-at-last")
    assert listing_evidence(parsed) == WEAK
    record = scraper.extract(html, url="https://garden.example/tomatoes-at-last")
    assert record.page_type == "article"
    assert len(record.paragraphs) == 3 and record.headline == "Tomatoes, at last"


def test_story_like_text_needs_a_headline_and_few_teasers_in_the_body() -> None:
    post = [
        "We finally planted the tomatoes this weekend, two weeks later than last year, alas.",
        "The seedlings had grown leggy on the windowsill, so we buried them deep in the bed.",
        "If the frost stays away, the first fruit should come in late July, or so we hope.",
    ]
    assert reads_as_article(post, "Tomatoes", evidence=WEAK)
    assert not reads_as_article(post, None, evidence=WEAK)
    assert not reads_as_article(post, "Tomatoes", evidence=WEAK, body_teasers=5)
    assert not reads_as_article(post, "Tomatoes", evidence=STRONG)
    assert not reads_as_article(["Short teaser one.", "Short teaser two."], "T", evidence=WEAK)


def test_a_home_page_is_strong_evidence_and_a_section_path_weak() -> None:
    assert listing_evidence(parse(page(body="<p>x</p>"), "https://x.com/")) == STRONG
    assert listing_evidence(parse(page(body="<p>x</p>"), "https://x.com/tag/ukraine/")) == WEAK


def test_a_one_sentence_story_at_a_story_address_on_a_website_typed_page_is_an_article() -> None:
    # Too short for story-like text (200 characters), beside a grid of teasers, on a page typed
    # "website": its address (a dated path, a slug of several words, a story id) still says
    # it is one story. A section's short name beside the same grid stays a listing.
    story = (
        "<main><h1>Road closed after water main burst</h1><p>Elm Street is closed between 3rd "
        "and 5th Avenue after a water main burst early on Thursday.</p></main>"
    )
    html = page('<meta property="og:type" content="website">', story + TEASERS)
    for url in (
        "https://town.example/news/2024/05/16/road-closed",
        "https://town.example/news/road-closed-after-water-main-burst",
        "https://town.example/artikel/1234567.html",
    ):
        assert listing_evidence(parse(html, url)) == NOT_LISTING, url
        record = scraper.extract(html, url=url)
        assert record.page_type == "article" and len(record.paragraphs) == 1, url
    assert listing_evidence(parse(html, "https://town.example/local-news")) == WEAK

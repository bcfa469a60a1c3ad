"""Hostile input: nothing escapes extract(), every field survives, and time stays bounded."""

from __future__ import annotations

import json
import os
import re
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import scraper
from scraper.article import RECORD_KEYS, Article

NOW = datetime(2024, 5, 10, 12, tzinfo=UTC)
FIXTURES = Path(__file__).parent / "fixtures"
# Fields whose extractors must never fail, whatever the page (the body has its own tests).
FIELD_NAMES = (
    "site_name", "headline", "authors", "published", "modified", "author_bios", "canonical_url",
    "language", "description", "section", "tags", "image", "page_type",
)  # fmt: skip
ISO = re.compile(r"^\d{4}-\d\d-\d\d(?:T\d\d:\d\d:\d\d(?:[+-]\d\d:\d\d)?)?$")
STORY = "".join(
    f"<p>Paragraph {i} of the story, with enough words to read as running prose, and more.</p>"
    for i in range(8)
)
PAGE = (
    "<html><head><title>{title}</title>{meta}</head><body>"
    "<h1>{title}</h1><p class='byline'>{byline}</p>" + STORY + "</body></html>"
)


def check(record: Article) -> None:
    """What every record must satisfy, whatever went in."""
    data = record.to_dict()
    assert tuple(data) == RECORD_KEYS
    json.dumps(data, ensure_ascii=False)
    for name in FIELD_NAMES:
        assert f"{name}:" not in (record.error or ""), record.error
    for value in (record.published, record.modified):
        assert value is None or ISO.match(value), value
    assert all(isinstance(a, str) and a for a in record.authors)
    assert record.page_type in ("article", "listing", "unknown")


def timed(html: bytes | str, limit: float, **kwargs: object) -> Article:
    start = time.perf_counter()
    record = scraper.extract(html, url="https://example.com/2024/01/02/story", now=NOW, **kwargs)
    assert time.perf_counter() - start < limit
    check(record)
    return record


def test_empty_input() -> None:
    for html in (b"", "", b"   ", b"<html></html>"):
        record = timed(html, 2)
        assert record.page_type == "unknown"
        assert record.error


def test_binary_junk() -> None:
    timed(os.urandom(200_000), 5)
    timed(bytes(range(256)) * 1000, 5)


def test_twenty_megabyte_page() -> None:
    block = "<div class='date'>March 3, 2024</div><p>" + "word " * 200 + "</p>"
    html = PAGE.format(title="A very large page", meta="", byline="By Jane Doe")
    html = html.replace("</body>", block * (20_000_000 // len(block)) + "</body>")
    assert len(html) >= 20_000_000
    record = timed(html.encode(), 30)
    assert record.headline == "A very large page"
    assert record.authors == ("Jane Doe",)


def test_ten_thousand_deep_nesting() -> None:
    deep = "<div class='byline author'>" * 10_000 + "By Jane Doe" + "</div>" * 10_000
    html = PAGE.format(title="Deep page headline", meta="", byline="").replace(
        "<body>", "<body>" + deep
    )
    timed(html.encode(), 30)
    spans = "<span>" * 10_000 + "text" + "</span>" * 10_000
    timed(("<html><body><h1>Nested spans</h1>" + spans + STORY + "</body></html>").encode(), 30)


def test_windows_1251_declared_only_in_meta() -> None:
    html = PAGE.format(
        title="Путін заявив про загрозу",
        meta='<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">',
        byline="Автор: Олена Коваленко",
    )
    record = timed(html.encode("cp1251"), 5)
    assert record.headline == "Путін заявив про загрозу"
    assert record.authors == ("Олена Коваленко",)


def test_utf8_with_bom() -> None:
    html = PAGE.format(title="Café au lait – naïve résumé", meta="", byline="Par Jean Dupont")
    record = timed(b"\xef\xbb\xbf" + html.encode("utf-8"), 5)
    assert record.headline == "Café au lait – naïve résumé"
    assert record.authors == ("Jean Dupont",)


def test_shift_jis() -> None:
    html = PAGE.format(title="日本語のニュース記事", meta='<meta charset="shift_jis">', byline="")
    record = timed(html.encode("shift_jis"), 5)
    assert record.headline == "日本語のニュース記事"


@pytest.mark.parametrize(
    "html",
    [
        "<html><body><h1>Unclosed <p>para <div><b><i>x</b></i><table><tr><td>cell",
        "<h1>Title</h1><script>var x = '</div>';",
        '<meta property="article:published_time" content="<<>>"><h1 class="">x</h1>',
        '<script type="application/ld+json">{"@type": "NewsArticle", "author": [null, 1, {}], '
        '"datePublished": {"x": 1}, "headline": ["a", {"@value": 2}], "image": [[]]}</script>',
        '<script type="application/ld+json">{"@graph": [{"@id": "a", "@type": "NewsArticle", '
        '"author": {"@id": "a"}, "publisher": {"@id": "a"}}]}</script>',
        "<time datetime='9999-99-99'>31.02.2024</time><div class='date'>99 hours ago</div>",
        "<p class='byline'>" + "By Jane Doe, " * 5000 + "</p>",
        "<!-- <h1>commented</h1> --><![CDATA[ junk ]]><?xml version='1.0'?><h1>Real</h1>",
    ],
)
def test_malformed_html(html: str) -> None:
    timed(html, 5)


# Pieces that exercise every field's code paths when shuffled together.
TAGS = st.sampled_from(
    [
        "div",
        "p",
        "span",
        "h1",
        "h2",
        "a",
        "time",
        "article",
        "header",
        "footer",
        "aside",
        "nav",
        "section",
        "main",
        "meta",
        "ul",
        "li",
        "b",
    ]
)
CLASSES = st.sampled_from(
    [
        "byline",
        "author",
        "author-bio",
        "date",
        "published",
        "updated",
        "related",
        "comments",
        "promo",
        "author-card",
        "name",
        "role",
        "",
        "hidden",
        "post-date",
        "article-author",
        "meta",
        "caption",
    ]
)
TEXTS = st.sampled_from(
    [
        "By Jane Doe",
        "Reuters",
        "3 hours ago",
        "1. März 2023, 14:05 Uhr",
        "Photo: AP",
        "and",
        "February 1, 2022",
        "Автор: Олена",
        "",
        "<",
        "&amp;",
        "Jane Doe is a reporter who covers the courts and prisons of the state.",
    ]
)
ATTRS = st.sampled_from(
    [
        'datetime="2022-02-01"',
        'itemprop="author"',
        'rel="author"',
        'href="/author/x"',
        'itemprop="datePublished"',
        "hidden",
        'style="display:none"',
        'content="2024-01-01T00:00:00Z"',
        "",
    ]
)
JSONLD = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20)
    | st.sampled_from(["NewsArticle", "Person", "2022-02-01T10:00:00Z", "@id", "#a"]),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.sampled_from(["@type", "@id", "author", "name", "headline",
                                       "datePublished", "image", "@graph", "url", "keywords"]),
                      inner, max_size=5),
    max_leaves=20,
)  # fmt: skip


@st.composite
def html_pages(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 25))):
        tag, cls, attr, text = draw(TAGS), draw(CLASSES), draw(ATTRS), draw(TEXTS)
        close = draw(st.booleans())
        parts.append(f'<{tag} class="{cls}" {attr}>{text}' + (f"</{tag}>" if close else ""))
    if draw(st.booleans()):
        data = json.dumps(draw(JSONLD))
        parts.append(f'<script type="application/ld+json">{data}</script>')
    return "<html><body>" + "".join(parts) + "</body></html>"


@st.composite
def mutated_fixtures(draw: st.DrawFn) -> bytes:
    pages = sorted(FIXTURES.glob("*.html"))
    data = bytearray(draw(st.sampled_from(pages)).read_bytes())
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(data)))
        size = draw(st.integers(0, 400))
        action = draw(st.sampled_from(["delete", "duplicate", "insert"]))
        if action == "delete":
            del data[at : at + size]
        elif action == "duplicate":
            data[at:at] = data[at : at + size]
        else:
            data[at:at] = draw(st.binary(max_size=40))
    return bytes(data)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(html_pages(), st.text(max_size=300)))
def test_random_html_never_breaks_a_field(html: str) -> None:
    check(scraper.extract(html, url="https://example.com/a/b", now=NOW))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_fixtures())
def test_mutated_fixtures_never_break_a_field(html: bytes) -> None:
    check(scraper.extract(html, url="https://example.com/2024/01/02/story", now=NOW))

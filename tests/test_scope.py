"""Crawl scope: seed sites, --allow/--deny, crawler traps, and article-likeness ordering."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scraper.crawl.scope import Scope, article_score, looks_non_html, site_key, url_date

TODAY = date(2026, 5, 1)


@pytest.fixture
def scope() -> Scope:
    return Scope.from_seeds(
        ["https://www.example.co.uk/", "http://127.0.0.1:8001/"],
        today=TODAY,
        allow=[r"^https://cdn\.partner\.com/news/"],
        deny=[r"/private/", r"^https://shop\."],
    )


def test_seed_sites_are_registrable_domains_or_ip_origins(scope: Scope) -> None:
    assert scope.sites == frozenset({"example.co.uk", "127.0.0.1:8001"})
    assert site_key("LOCALHOST", 80) == "localhost:80"
    assert site_key("[::1]", 8080) == "::1:8080"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://example.co.uk/2024/01/02/storm-closes-ports", "ok"),
        ("http://news.sport.example.co.uk/a", "ok"),  # any subdomain of the seed's domain
        ("https://EXAMPLE.CO.UK./a", "ok"),
        ("https://evil.com/a", "off-site"),
        ("https://example.co.uk.evil.com/a", "off-site"),
        ("https://notexample.co.uk/a", "off-site"),
        ("https://other.co.uk/a", "off-site"),  # co.uk is a public suffix, not a site
        ("http://127.0.0.1:8001/a", "ok"),
        ("http://127.0.0.1:8002/a", "off-site"),  # another port on loopback: another site
        ("ftp://example.co.uk/a", "scheme"),
        ("mailto:desk@example.co.uk", "scheme"),
        ("javascript:alert(1)", "scheme"),
        ("https:///no-host", "no-host"),
        ("https://example.co.uk/private/memo", "denied"),
        ("https://shop.example.co.uk/a", "denied"),
        ("https://cdn.partner.com/news/a", "ok"),  # --allow widens
        ("https://cdn.partner.com/shop/a", "off-site"),
        ("https://example.co.uk/report.pdf", "non-html"),
        ("https://example.co.uk/photo.JPG?w=300", "non-html"),
    ],
)
def test_sites_schemes_allow_and_deny(scope: Scope, url: str, reason: str) -> None:
    verdict = scope.check(url)
    assert verdict.reason == reason
    assert bool(verdict) is (reason == "ok") is scope.allows(url)


def test_deny_beats_allow() -> None:
    both = Scope.from_seeds([], today=TODAY, allow=[r"partner\.com"], deny=[r"/tag/"])
    assert both.allows("https://partner.com/a")
    assert both.check("https://partner.com/tag/a").reason == "denied"


def test_sitemaps_and_feeds_pass_when_not_checked_as_pages(scope: Scope) -> None:
    assert scope.check("https://example.co.uk/sitemap.xml").reason == "non-html"
    assert scope.allows("https://example.co.uk/sitemap.xml", page=False)
    assert scope.allows("https://example.co.uk/news.rss", page=False)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://example.co.uk/" + "a" * 2000, "url-too-long"),
        ("https://example.co.uk/s?a=1&b=2&c=3&d=4&e=5&f=6&g=7", "too-many-params"),
        ("https://example.co.uk/s?a=1&b=2&c=3&d=4&e=5&f=6", "ok"),
        # tracking and session parameters are dropped before counting
        ("https://example.co.uk/s?a=1&utm_source=x&utm_medium=y&fbclid=z&sid=1&gclid=2&b=3", "ok"),
        ("https://example.co.uk/" + "/".join("abcdefghijklm"), "too-deep"),
        ("https://example.co.uk/a/b/a/b/a/b", "repeated-segments"),
        ("https://example.co.uk/x/x/x", "repeated-segments"),
        ("https://example.co.uk/a/b/a/b", "ok"),
        ("https://example.co.uk/world?page=101", "page-number"),
        ("https://example.co.uk/world?p=100", "ok"),
        ("https://example.co.uk/world/page/250/", "page-number"),
        ("https://example.co.uk/world/page/3/", "ok"),
        ("https://example.co.uk/calendar/2031/05", "calendar"),
        ("https://example.co.uk/events/2027-06", "ok"),  # next year's events are real
        ("https://example.co.uk/calendar/2019/05", "calendar"),  # a calendar run backwards
        ("https://example.co.uk/events?date=2040-01-01", "calendar"),
        ("https://example.co.uk/archive?date=2025-12-01", "ok"),
        ("https://example.co.uk/2031/05/01/future-story", "calendar"),
        ("https://example.co.uk/1851/09/18/archives/old-story", "ok"),  # real digitised archives
        ("https://example.co.uk/1234/05/06/x", "calendar"),
        ("https://example.co.uk/top-2500-companies", "ok"),  # a number, not a year
        ("https://example.co.uk/story/2500", "ok"),
        ("https://example.co.uk/news;jsessionid=0A1B2C?x=1", "ok"),  # normalize_url strips it
        ("https://example.co.uk/(S(abcdefghij0123456789))/story", "session-id"),
        ("https://example.co.uk/story;sid=123", "session-id"),
    ],
)
def test_crawler_traps(scope: Scope, url: str, reason: str) -> None:
    assert scope.check(url).reason == reason


def test_trap_limits_are_settings() -> None:
    lenient = Scope(sites=frozenset({"example.com"}), today=TODAY, max_page_number=1000)
    assert lenient.allows("https://example.com/world?page=500")
    strict = Scope(sites=frozenset({"example.com"}), today=TODAY, max_path_depth=2)
    assert strict.check("https://example.com/a/b/c").reason == "too-deep"


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/world?page=\u00b9",
        "https://example.com/calendar/\u00b2\u00b2\u00b2\u00b2",
    ],
)
def test_digits_that_are_not_decimal_never_raise(url: str) -> None:
    # str.isdigit() accepts superscripts, which int() refuses: one such link must not fail a page.
    assert isinstance(Scope(sites=frozenset({"example.com"}), today=TODAY).allows(url), bool)


@given(st.text(max_size=300))
@settings(max_examples=300, deadline=None)
def test_check_and_score_never_raise(text: str) -> None:
    scope = Scope(sites=frozenset({"example.com"}), today=TODAY)
    for url in (text, "https://example.com/" + text, "http://" + text):
        assert isinstance(scope.allows(url), bool)
        assert isinstance(article_score(url), float)
        url_date(url)


# ---- article-likeness --------------------------------------------------------------------

ARTICLES = [
    "https://e.com/2022/02/01/ministers-agree-on-a-new-energy-plan",
    "https://e.com/world/2022/02/01/storm",
    "https://e.com/news/world-europe-60412345",
    "https://e.com/politics/ministers-agree-on-a-new-energy-plan",
    "https://e.com/a/story-about-things.html",
    "https://e.com/article/20220201-energy",
    "https://e.com/story.php?id=4411",
]
LISTINGS = [
    "https://e.com/",
    "https://e.com/index.html",
    "https://e.com/?edition=uk",
    "https://e.com/world",
    "https://e.com/world/",
    "https://e.com/tag/energy",
    "https://e.com/category/world/europe",
    "https://e.com/author/jane-doe",
    "https://e.com/world/page/2",
    "https://e.com/world?page=3",
    "https://e.com/about",
    "https://e.com/search?q=energy",
]


@pytest.mark.parametrize("url", ARTICLES)
def test_article_urls_score_positive(url: str) -> None:
    assert article_score(url) > 0


@pytest.mark.parametrize("url", LISTINGS)
def test_listing_urls_score_negative(url: str) -> None:
    assert article_score(url) < 0


def test_ordering_puts_articles_before_listings() -> None:
    mixed = [u for pair in zip(LISTINGS, ARTICLES, strict=False) for u in pair] + LISTINGS[7:]
    ranked = sorted(mixed, key=article_score, reverse=True)
    assert set(ranked[: len(ARTICLES)]) == set(ARTICLES)
    # a dated slug beats an undated one, which beats a bare numeric id
    assert article_score(ARTICLES[0]) > article_score(ARTICLES[3]) > article_score(ARTICLES[6])


@pytest.mark.parametrize(
    ("url", "day"),
    [
        ("https://e.com/2022/02/01/x", date(2022, 2, 1)),
        ("https://e.com/news/2022-02-01-x", date(2022, 2, 1)),
        ("https://e.com/news/20220201/x", date(2022, 2, 1)),
        ("https://e.com/2022/02/30/x", None),
        ("https://e.com/2022/02/x", None),
        ("https://e.com/x?date=2022-02-01", None),  # a query is not the page's date
    ],
)
def test_url_date(url: str, day: date | None) -> None:
    assert url_date(url) == day


def test_non_html_by_extension_only() -> None:
    assert looks_non_html("https://e.com/a/b.mp4?x=1")
    assert looks_non_html("https://e.com/feed.XML")
    assert not looks_non_html("https://e.com/a/b.html")
    assert not looks_non_html("https://e.com/a/story.php?file=x.pdf")
    assert not looks_non_html("https://e.com/version-2.5")

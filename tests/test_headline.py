"""Headline: structured sources first, site names stripped, the h1 when metadata truncates it."""

from __future__ import annotations

import json

import pytest

from scraper.extract.document import parse
from scraper.extract.headline import article_h1, headline, node_text, strip_site_name

URL = "https://www.example-news.com/world/2024/05/01/story"


def page(head: str = "", body: str = "", jsonld: dict | None = None) -> str:
    script = f'<script type="application/ld+json">{json.dumps(jsonld)}</script>' if jsonld else ""
    return f"<html><head>{head}{script}</head><body>{body}</body></html>"


def get(html: str, site: str | None = None, url: str = URL) -> tuple[str | None, str | None]:
    cand = headline(parse(html, url), site)
    return (cand.value, cand.source) if cand else (None, None)


@pytest.mark.parametrize(
    ("title", "site", "expected"),
    [
        ("Putin speaks - The Kyiv Independent", "The Kyiv Independent", "Putin speaks"),
        ("Oil falls | Reuters", "Reuters", "Oil falls"),
        ("Reuters - Oil falls as stocks rise", "Reuters", "Oil falls as stocks rise"),
        ("Oil falls – Kyiv Independent", "The Kyiv Independent", "Oil falls"),
        ("Oil falls | Example News", None, "Oil falls"),  # recognised from the host name
        ("Ukraine war: oil falls", "Reuters", "Ukraine war: oil falls"),
        ("Well-known self-made man", "Reuters", "Well-known self-made man"),
    ],
)
def test_strip_site_name(title: str, site: str | None, expected: str) -> None:
    assert strip_site_name(title, site, URL) == expected


def test_jsonld_headline_wins() -> None:
    html = page(
        '<meta property="og:title" content="Social title">',
        "<h1>Display title of the story</h1>",
        {"@type": "NewsArticle", "headline": "Declared headline of the story"},
    )
    assert get(html) == ("Declared headline of the story", "jsonld")


def test_og_title_before_h1_and_site_suffix_removed() -> None:
    html = page(
        '<meta property="og:title" content="Budget passes - Brookfield Beacon">',
        "<h1>Trustees close the gap with bus route cuts</h1>",
    )
    assert get(html, "Brookfield Beacon") == ("Budget passes", "meta:og:title")


@pytest.mark.parametrize(
    "short",
    [
        "Council approves the new housing plan...",
        "Council approves the new housing plan…",
        "Council approves the new housing",
    ],
)
def test_h1_preferred_when_metadata_truncates_it(short: str) -> None:
    html = page(
        body="<h1>Council approves the new housing plan after six-hour hearing</h1>",
        jsonld={"@type": "NewsArticle", "headline": short},
    )
    assert get(html) == ("Council approves the new housing plan after six-hour hearing", "h1")


def test_h1_preferred_when_metadata_adds_a_suffix() -> None:
    html = page(
        '<meta property="og:title" content="A city on the brink | Editorial">',
        "<h1>A city on the brink</h1>",
    )
    assert get(html, "The Guardian") == ("A city on the brink", "h1")


def test_logo_h1_in_masthead_is_not_the_headline() -> None:
    html = page(
        "<title>Example</title>",
        '<header class="site-header"><h1><a href="/">Example News</a></h1></header>'
        "<main><article><h1>Bridge closes for three weeks of repairs</h1><p>Text.</p></article>"
        "</main>",
    )
    doc = parse(html, URL)
    assert node_text(article_h1(doc)) == "Bridge closes for three weeks of repairs"
    assert get(html) == ("Bridge closes for three weeks of repairs", "h1")


def test_h1_matching_structured_headline_is_chosen() -> None:
    html = page(
        '<meta property="og:title" content="Second story headline here">',
        "<h1>First big headline on page</h1><article><h1>Second story headline here</h1></article>",
    )
    doc = parse(html, URL)
    assert node_text(article_h1(doc, ["Second story headline here"])) == (
        "Second story headline here"
    )


def test_title_is_the_last_resort() -> None:
    assert get(page("<title>Only a title :: Small Town News</title>"), "Small Town News") == (
        "Only a title",
        "title",
    )


def test_entities_in_jsonld_are_decoded() -> None:
    html = page(jsonld={"@type": "NewsArticle", "headline": "Putin&#8217;s &amp; NATO&#8217;s"})
    assert get(html) == ("Putin’s & NATO’s", "jsonld")


def test_microdata_headline_prefers_the_article_h1() -> None:
    html = page(
        body='<a itemprop="headline" href="/">Blog - Latest News</a>'
        '<div itemscope itemtype="https://schema.org/Article">'
        '<h1 itemprop="headline">Frost cuts the apple harvest by a third</h1></div>'
    )
    assert get(html) == ("Frost cuts the apple harvest by a third", "microdata")


def test_hidden_h1_is_ignored() -> None:
    html = page(body="<h1 hidden>Hidden title of page</h1><h1>Visible story headline</h1>")
    assert get(html) == ("Visible story headline", "h1")


def test_nothing_gives_none() -> None:
    assert get(page(body="<p>No title at all here.</p>")) == (None, None)


def test_site_name_alone_is_not_a_headline() -> None:
    html = page('<meta property="og:title" content="Example News">')
    assert get(html, "Example News") == (None, None)


def test_node_text_separates_blocks_not_inline() -> None:
    doc = parse("<div><p>One</p><p>Two <b>th</b>ree</p>Four<br>Five<script>x</script></div>", URL)
    assert node_text(doc.tree.css_first("div")) == "One Two three Four Five"

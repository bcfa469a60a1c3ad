"""Page-level fields: site name, canonical URL, language, description, section, tags, image."""

from __future__ import annotations

import json
from typing import Any

import pytest

from scraper.extract import fields
from scraper.extract.document import Doc, parse

URL = "https://news.example.com/politics/2024/05/01/story?utm_source=x"


def doc(head: str = "", jsonld: Any = None, html_attrs: str = "", url: str = URL) -> Doc:
    script = f'<script type="application/ld+json">{json.dumps(jsonld)}</script>' if jsonld else ""
    return parse(f"<html {html_attrs}><head>{head}{script}</head><body></body></html>", url)


ARTICLE = {"@type": "NewsArticle", "headline": "H", "url": URL}


def test_site_name_sources_in_order() -> None:
    og = '<meta property="og:site_name" content="Example News">'
    app = '<meta name="application-name" content="Example App">'
    publisher = {**ARTICLE, "publisher": {"@type": "Organization", "name": "Example Publisher"}}
    assert fields.site_name(doc(og + app, publisher)) == "Example News"
    assert fields.site_name(doc(app, publisher)) == "Example Publisher"
    assert fields.site_name(doc(app)) == "Example App"
    assert fields.site_name(doc('<meta name="application-name" content="WordPress">')) is None


def test_site_name_follows_publisher_reference_and_skips_urls() -> None:
    graph = {
        "@graph": [
            {**ARTICLE, "publisher": {"@id": "#org"}},
            {"@type": "Organization", "@id": "#org", "name": "Referenced Gazette"},
        ]
    }
    head = '<meta property="og:site_name" content="https://www.example.com">'
    assert fields.site_name(doc(head, graph)) == "Referenced Gazette"


def test_canonical_url_is_absolute_and_falls_back_to_og_url() -> None:
    assert fields.canonical_url(doc('<link rel="canonical" href="/politics/story">')) == (
        "https://news.example.com/politics/story"
    )
    assert fields.canonical_url(doc('<link rel="Canonical alternate" href="https://a.com/x">')) == (
        "https://a.com/x"
    )
    assert fields.canonical_url(doc('<meta property="og:url" content="https://b.com/y">')) == (
        "https://b.com/y"
    )
    assert fields.canonical_url(doc()) is None


@pytest.mark.parametrize(
    ("attrs", "head", "jsonld", "expected"),
    [
        ('lang="en-US"', "", None, "en"),
        ('lang="UK"', "", None, "uk"),
        ("", '<meta http-equiv="content-language" content="de-DE, en">', None, "de"),
        ("", '<meta property="og:locale" content="uk_UA">', None, "uk"),
        ("", "", {**ARTICLE, "inLanguage": "pt-BR"}, "pt"),
        ('lang="not a language"', "", None, None),
        ("", "", None, None),
    ],
)
def test_language_primary_subtag(attrs: str, head: str, jsonld: Any, expected: str | None) -> None:
    assert fields.language(doc(head, jsonld, attrs)) == expected


def test_description_prefers_jsonld_and_decodes_entities() -> None:
    head = (
        '<meta name="description" content="Meta text"><meta property="og:description" content="OG">'
    )
    assert fields.description(doc(head, {**ARTICLE, "description": "<p>Fish &amp; chips</p>"})) == (
        "Fish & chips"
    )
    assert fields.description(doc(head)) == "OG"
    assert fields.description(doc('<meta name="description" content="Meta text">')) == "Meta text"
    assert fields.description(doc()) is None


def test_section_first_of_a_list_then_meta() -> None:
    listed = {**ARTICLE, "articleSection": ["Environment", "Local News"]}
    assert fields.section(doc("", listed)) == "Environment"
    assert fields.section(doc('<meta property="article:section" content="Sport">')) == "Sport"
    assert fields.section(doc()) is None


def test_tags_from_the_first_source_that_has_them() -> None:
    keywords = {**ARTICLE, "keywords": "Ukraine, Russia,  Putin, ukraine, "}
    assert fields.tags(doc("", keywords)) == ("Ukraine", "Russia", "Putin")
    assert fields.tags(doc("", {**ARTICLE, "keywords": ["drought", "Lake Marlow"]})) == (
        "drought",
        "Lake Marlow",
    )
    head = (
        '<meta property="article:tag" content="rail">'
        '<meta property="article:tag" content="strikes">'
        '<meta name="keywords" content="ignored, because, article:tag, came, first">'
    )
    assert fields.tags(doc(head)) == ("rail", "strikes")
    assert fields.tags(doc('<meta name="news_keywords" content="Hallenbad, Stadtrat">')) == (
        "Hallenbad",
        "Stadtrat",
    )
    assert fields.tags(doc()) == ()


def test_image_follows_references_and_resolves_relative_urls() -> None:
    graph = {
        "@graph": [
            {**ARTICLE, "image": {"@id": "#primary"}},
            {"@type": "ImageObject", "@id": "#primary", "url": "https://cdn.example.com/a.jpg"},
        ]
    }
    assert fields.image(doc("", graph)) == "https://cdn.example.com/a.jpg"
    assert fields.image(doc("", {**ARTICLE, "image": ["/img/1.jpg", "/img/2.jpg"]})) == (
        "https://news.example.com/img/1.jpg"
    )
    assert fields.image(doc('<meta property="og:image" content="/bilder/a.jpg">')) == (
        "https://news.example.com/bilder/a.jpg"
    )
    assert fields.image(doc('<meta name="twitter:image" content="https://t.co/i.png">')) == (
        "https://t.co/i.png"
    )
    assert fields.image(doc()) is None


def test_fields_never_touch_the_tree() -> None:
    d = doc('<meta property="og:site_name" content="S">', {**ARTICLE, "keywords": "a, b"})
    before = d.tree.html
    for fn in (
        fields.site_name,
        fields.canonical_url,
        fields.language,
        fields.description,
        fields.section,
        fields.tags,
        fields.image,
    ):
        fn(d)
    assert d.tree.html == before


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Putin&amp;#8217;s &amp;quot;red lines&amp;quot;", 'Putin’s "red lines"'),
        ("K&uuml;hlt&uuml;rme gesprengt", "Kühltürme gesprengt"),
        ("Tom &amp; Jerry", "Tom & Jerry"),
        ("Fish &amp;chips;", "Fish &chips;"),  # no entity left after one pass: once only
    ],
)
def test_unescape_decodes_entities_escaped_twice(raw: str, expected: str) -> None:
    assert fields.unescape(raw) == expected

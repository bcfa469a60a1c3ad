"""Decoding and parsing: bytes in any declared or undeclared charset, and markup that would make
the parser's time grow without bound."""

from __future__ import annotations

import codecs

import pytest

from scraper.extract.document import MAX_DEPTH, decode, one_spaced, parse, stripped_text

CYRILLIC = "Київ оголосив нові правила для перевізників"
FRENCH = "<p>Le café de la gare a été rénové, et les habitués sont ravis de la qualité.</p>"


@pytest.mark.parametrize(
    ("data", "declared", "expected"),
    [
        (codecs.BOM_UTF8 + "<p>café</p>".encode(), "iso-8859-1", "<p>café</p>"),
        ("<p>café</p>".encode(), "iso-8859-1", "<p>café</p>"),  # mislabelled UTF-8 wins
        ("<p>café</p>".encode("cp1252"), "iso-8859-1", "<p>café</p>"),
        ("<p>日本語のニュース</p>".encode("shift_jis"), "shift_jis", "<p>日本語のニュース</p>"),
        (FRENCH.encode("cp1252"), "no-such-charset", FRENCH),
    ],
)
def test_decode_follows_bom_header_then_detection(
    data: bytes, declared: str, expected: str
) -> None:
    assert decode(data, declared) == expected


def test_decode_reads_a_charset_declared_only_in_a_meta_tag() -> None:
    html = f'<html><head><meta charset="windows-1251"></head><body><p>{CYRILLIC}</p></body></html>'
    assert CYRILLIC in decode(html.encode("cp1251"))


def test_decode_detects_undeclared_legacy_bytes() -> None:
    text = f"<html><body><p>{CYRILLIC}. {CYRILLIC}. {CYRILLIC}.</p></body></html>"
    assert CYRILLIC in decode(text.encode("cp1251"))


def test_parse_reads_meta_jsonld_title_and_language() -> None:
    doc = parse(
        b'<html lang="de-AT"><head><title>T</title><meta property="og:title" content="OG">'
        b'<script type="application/ld+json">{"@graph": [{"@type": "NewsArticle", "@id": "#a",'
        b' "headline": "H", "author": {"@id": "#p"}}, {"@type": "Person", "@id": "#p",'
        b' "name": "Anna"}]}</script></head><body></body></html>',
        "https://example.at/a",
    )
    assert doc.title == "T" and doc.lang == "de-AT"
    assert doc.meta_first("og:title") == "OG"
    assert doc.jsonld.article is not None and doc.jsonld.article["headline"] == "H"
    assert doc.jsonld.resolve(doc.jsonld.article["author"])["name"] == "Anna"


def test_broken_jsonld_is_skipped_not_fatal() -> None:
    doc = parse('<script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>')
    assert doc.jsonld.article is None


def test_markup_nested_past_the_limit_is_read_flat() -> None:
    # Parsing costs depth squared: 200,000 nested divs would take minutes, flat they take ms.
    depth = 200_000
    doc = parse("<body>" + "<div>" * depth + "<p>Deep text, still found.</p>" + "</div>" * depth)
    assert doc.tree.css_first("p").text() == "Deep text, still found."
    assert doc.tree.css_first("div") is None


def test_markup_nested_within_the_limit_keeps_its_structure() -> None:
    depth = MAX_DEPTH // 2
    doc = parse("<body>" + "<div>" * depth + "<p>Deep text.</p>" + "</div>" * depth)
    assert len(doc.tree.css("div")) == depth


def test_a_charset_that_is_no_text_encoding_is_ignored() -> None:
    assert decode(b'<meta charset="zlib"><p>caf\xc3\xa9</p>') == '<meta charset="zlib"><p>café</p>'
    assert decode(b"<p>plain</p>", "hex") == "<p>plain</p>"


@pytest.mark.parametrize(
    "jsonld",
    ['{"@type": "ItemList", "itemListElement": 5}', "[" * 100_000, '{"@graph": "nope"}'],
)
def test_odd_or_hostile_jsonld_costs_only_the_structured_data(jsonld: str) -> None:
    doc = parse(f'<script type="application/ld+json">{jsonld}</script><h1>Title</h1>')
    assert doc.jsonld.article is None
    assert doc.tree.css_first("h1").text() == "Title"


@pytest.mark.parametrize(
    "data",
    [
        f'<html lang="uk"><body><h1>{CYRILLIC}</h1>{FRENCH}</body></html>'.encode(),
        b'<meta charset="utf-8"><p>caf\xc3\xa9 \xe2\x80\x94 ok</p>',
        b"<p>plain ascii</p>",
        b"<p>nul\x00byte caf\xc3\xa9</p>",  # NULs are dropped from the text first
        codecs.BOM_UTF8 + "<p>café</p>".encode(),
        "<p>café</p>".encode("cp1252"),
    ],
)
def test_parsing_the_page_bytes_gives_the_tree_of_the_decoded_text(data: bytes) -> None:
    """UTF-8 pages are handed to the parser as their own bytes (no re-encoding): the tree must
    be the one the decoded text gives."""
    from_text = parse(decode(data).replace("\x00", ""))
    from_bytes = parse(data)
    assert from_bytes.tree.html == from_text.tree.html
    assert from_bytes.title == from_text.title and from_bytes.lang == from_text.lang


@pytest.mark.parametrize(
    "html",
    [
        "<div>\n  <p> Le café </p>\n  <p>\t</p>\n</div>",
        "<div>\u00a0<span>\u2009</span> a <b>b</b>\u3000\n</div>",  # Unicode spaces: not skipped
        "<div><!-- note --> x \r\n<em>\f</em></div>",
        "<div></div>",
    ],
)
def test_stripped_text_is_the_parsers_stripped_text(html: str) -> None:
    # Skipping whitespace-only text nodes is a speed-up only: the text is the same.
    node = parse(html).tree.css_first("div")
    assert node is not None
    assert stripped_text(node) == node.text(strip=True)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "one two",
        " lead",
        "tail ",
        "two  spaces",
        "a\nline",
        "a\tb",
        "file\x1csep",
        "no\xa0break",
        "thin\u2009space",
        "ideographic\u3000space",
        "next\x85line",
        "line\u2028sep",
        "Київ оголосив",
    ],
)
def test_one_spaced_is_split_and_join(text: str) -> None:
    # The fast path trusts printable text to hold no whitespace but the space.
    assert one_spaced(text) == " ".join(text.split())


def test_the_bodys_jsonld_blocks_are_kept_for_the_body_reading() -> None:
    head = '<script type="application/ld+json">{"@type": "WebPage"}</script>'
    body = '<script type="application/ld+json">{"@type": "VideoObject"}</script>'
    doc = parse(f"<html><head>{head}</head><body><div>{body}</div></body></html>")
    assert doc.body_jsonld == ('{"@type": "VideoObject"}',)
    assert len(doc.jsonld.objects) == 2


def test_markup_nested_past_the_limit_is_read_flat_from_bytes_too() -> None:
    # The tags are counted in the page's own bytes when they are its UTF-8.
    depth = 2 * MAX_DEPTH
    page = "<body>" + "<div>" * depth + "<p>Déjà lu.</p>" + "</div>" * depth
    doc = parse(page.encode())
    assert doc.tree.css_first("p").text() == "Déjà lu."
    assert doc.tree.css_first("div") is None


def test_one_walk_reads_the_meta_tags_links_and_jsonld() -> None:
    doc = parse(
        '<html><head><meta name="Description" content="Lead."><link rel="canonical" href="/a">'
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "H"}</script>'
        '</head><body><meta itemprop="datePublished" content="2024-01-02">'
        '<link rel="author" href="/b"></body></html>'
    )
    assert doc.meta == {"description": ["Lead."], "datepublished": ["2024-01-02"]}
    assert [link.attributes["href"] for link in doc.links or ()] == ["/a", "/b"]
    assert doc.jsonld.article == {"@type": "NewsArticle", "headline": "H"}
    assert doc.body_jsonld == ()

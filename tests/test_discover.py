"""Discovery: sitemaps, indexes, news sitemaps, feeds, autodiscovery, page links; hostile XML."""

from __future__ import annotations

import gzip
from datetime import date

import pytest

from scraper.crawl.discover import (
    MAX_SITEMAP_BYTES,
    MAX_SITEMAP_DEPTH,
    MAX_SITEMAP_URLS,
    DiscoveryError,
    Link,
    discover_page,
    feed_urls,
    iso_date,
    page_links,
    parse_feed,
    parse_sitemap,
    robots_sitemaps,
)

BASE = "https://news.example.com/sitemap.xml"
NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
NEWS_NS = 'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'
IMAGE_NS = 'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1"'

URLSET = f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset {NS} {IMAGE_NS}>
  <url><loc> https://news.example.com/2024/01/02/first-story </loc><lastmod>2024-01-02</lastmod>
    <image:image><image:loc>https://cdn.example.com/a.jpg</image:loc></image:image></url>
  <url><loc>/relative/second-story</loc><lastmod>2024-01-03T10:00:00Z</lastmod></url>
  <url><lastmod>2024-01-03</lastmod></url>
</urlset>""".encode()

NEWS = f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset {NS} {NEWS_NS}>
  <url><loc>https://news.example.com/world/budget-vote</loc>
    <news:news>
      <news:publication><news:name>Example</news:name><news:language>en</news:language>
      </news:publication>
      <news:publication_date>2024-03-05T08:30:00+01:00</news:publication_date>
      <news:title>Parliament passes the budget</news:title>
    </news:news></url>
</urlset>""".encode()

INDEX = f"""<sitemapindex {NS}>
  <sitemap><loc>https://news.example.com/sitemap-2024-01.xml.gz</loc><lastmod>2024-01</lastmod>
  </sitemap>
  <sitemap><loc>/news-sitemap.xml</loc></sitemap>
</sitemapindex>""".encode()

RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Example</title><link>https://news.example.com/</link>
<item><title>Storm   closes
  ports</title><link>https://news.example.com/2024/02/01/storm?utm_source=rss</link>
  <pubDate>Thu, 01 Feb 2024 07:15:00 +0100</pubDate></item>
<item><title>Relative</title><link>/science/comet</link></item>
<item><title>Again</title><link>https://news.example.com/2024/02/01/storm?utm_medium=x</link></item>
<item><title>Podcast</title><link>https://news.example.com/audio/ep1.mp3</link></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Example</title><id>urn:x</id>
<updated>2024-02-02T00:00:00Z</updated>
<entry><title>Atom one</title><id>urn:1</id>
  <link rel="alternate" type="text/html" href="https://news.example.com/atom-one"/>
  <published>2024-02-02T09:00:00-05:00</published><updated>2024-02-03T00:00:00Z</updated></entry>
<entry><title>Atom two</title><id>urn:2</id><link href="/atom-two"/>
  <updated>2024-02-01T12:00:00Z</updated></entry>
</feed>"""

# A billion-laughs bomb: ten levels of ten-fold entity expansion (10^9 "lol"s if expanded).
_LOL_ENTITIES = "".join(
    f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i else "lol"}">' for i in range(10)
)


def _bomb(root: str, body: str) -> bytes:
    """An XML document whose DTD declares the billion-laughs entities."""
    return f'<?xml version="1.0"?><!DOCTYPE {root} [{_LOL_ENTITIES}]>{body}'.encode()


def _xxe(root: str, body: str, target: str) -> bytes:
    """An XML document declaring an external entity &xxe; that points at target."""
    return (
        f'<?xml version="1.0"?><!DOCTYPE {root} [<!ENTITY xxe SYSTEM "{target}">]>{body}'.encode()
    )


# ---- sitemaps ----------------------------------------------------------------------------


def test_urlset_reads_loc_and_lastmod_only_from_url_entries() -> None:
    sitemap = parse_sitemap(URLSET, BASE)
    assert [link.url for link in sitemap.links] == [
        "https://news.example.com/2024/01/02/first-story",
        "https://news.example.com/relative/second-story",
    ]
    assert [link.lastmod for link in sitemap.links] == ["2024-01-02", "2024-01-03T10:00:00+00:00"]
    assert {link.source for link in sitemap.links} == {"sitemap"}
    assert sitemap.sitemaps == () and not sitemap.truncated and sitemap.error is None


def test_news_sitemap_gives_publication_date_and_title_as_hints() -> None:
    (link,) = parse_sitemap(NEWS, BASE).links
    assert link == Link(
        "https://news.example.com/world/budget-vote",
        "news-sitemap",
        published="2024-03-05T08:30:00+01:00",
        title="Parliament passes the budget",
    )


def test_sitemap_index_lists_children_one_level_deeper() -> None:
    sitemap = parse_sitemap(INDEX, BASE, depth=1)
    assert sitemap.links == ()
    assert [(s.url, s.lastmod, s.depth) for s in sitemap.sitemaps] == [
        ("https://news.example.com/sitemap-2024-01.xml.gz", "2024-01-01", 2),
        ("https://news.example.com/news-sitemap.xml", None, 2),
    ]


def test_sitemap_index_nesting_stops_at_the_depth_cap() -> None:
    sitemap = parse_sitemap(INDEX, BASE, depth=MAX_SITEMAP_DEPTH)
    assert sitemap.sitemaps == () and sitemap.truncated


def test_gzipped_sitemap_reads_like_the_plain_one() -> None:
    assert parse_sitemap(gzip.compress(NEWS), BASE + ".gz") == parse_sitemap(NEWS, BASE)


def test_gzip_bomb_is_refused_at_the_decompressed_cap() -> None:
    bomb = gzip.compress(b"<urlset>" + b" " * MAX_SITEMAP_BYTES + b"</urlset>", compresslevel=1)
    assert len(bomb) < MAX_SITEMAP_BYTES // 100
    with pytest.raises(DiscoveryError, match="size cap"):
        parse_sitemap(bomb, BASE)


def test_sitemap_keeps_at_most_the_protocol_url_count() -> None:
    entries = "".join(f"<url><loc>/a/{i}</loc></url>" for i in range(MAX_SITEMAP_URLS + 1))
    sitemap = parse_sitemap(f"<urlset {NS}>{entries}</urlset>".encode(), BASE)
    assert len(sitemap.links) == MAX_SITEMAP_URLS and sitemap.truncated
    assert sitemap.links[-1].url == f"https://news.example.com/a/{MAX_SITEMAP_URLS - 1}"


def test_text_sitemap_is_one_url_a_line() -> None:
    text = b"https://news.example.com/a\n\n  HTTP://news.example.com/b \n/relative\nnot a url\n"
    sitemap = parse_sitemap(text, BASE)
    assert [link.url for link in sitemap.links] == [
        "https://news.example.com/a",
        "HTTP://news.example.com/b",  # urljoin keeps the spelling; normalize_url fixes it
    ]


def test_feed_given_as_sitemap_is_read_as_a_feed() -> None:
    sitemap = parse_sitemap(RSS, BASE)
    assert sitemap.links[0].url.startswith("https://news.example.com/2024/02/01/storm")
    assert {link.source for link in sitemap.links} == {"feed"}


def test_truncated_sitemap_keeps_what_was_read_and_says_so() -> None:
    sitemap = parse_sitemap(f"<urlset {NS}><url><loc>/a</loc></url><url><lo".encode(), BASE)
    assert [link.url for link in sitemap.links] == ["https://news.example.com/a"]
    assert sitemap.error and "malformed" in sitemap.error


@pytest.mark.parametrize(
    "data",
    [b"", b"<html><body>Not found</body></html>", b"<urlset><url>", b"\x1f\x8bnot gzip"],
    ids=["empty", "html", "broken", "bad-gzip"],
)
def test_garbage_sitemap_is_a_clean_error(data: bytes) -> None:
    with pytest.raises(DiscoveryError) as caught:
        parse_sitemap(data, BASE)
    assert caught.value.url == BASE


def test_billion_laughs_sitemap_is_refused() -> None:
    bomb = _bomb("urlset", f"<urlset {NS}><url><loc>/&lol9;</loc></url></urlset>")
    with pytest.raises(DiscoveryError, match="forbidden"):
        parse_sitemap(bomb, BASE)


def test_external_entity_sitemap_reads_no_file_and_fetches_nothing(httpserver) -> None:  # type: ignore[no-untyped-def]
    for target in ("file:///etc/passwd", httpserver.url_for("/secret")):
        doc = _xxe("urlset", f"<urlset {NS}><url><loc>/&xxe;</loc></url></urlset>", target)
        with pytest.raises(DiscoveryError, match="forbidden"):
            parse_sitemap(doc, BASE)
    assert httpserver.log == []


def test_robots_sitemap_lines_resolve_in_order_once() -> None:
    robots = "User-agent: *\nDisallow: /x\nSitemap: /sitemap.xml\nSITEMAP:https://cdn.example.com/s.xml\n"
    robots += "sitemap: /sitemap.xml\n# Sitemap: /commented.xml\n"
    assert robots_sitemaps(robots, "https://news.example.com/robots.txt") == (
        "https://news.example.com/sitemap.xml",
        "https://cdn.example.com/s.xml",
    )


# ---- feeds -------------------------------------------------------------------------------


def test_rss_gives_links_dates_and_titles_once_per_page() -> None:
    links = parse_feed(RSS, "https://news.example.com/feed")
    assert [link.url for link in links] == [
        "https://news.example.com/2024/02/01/storm?utm_source=rss",
        "https://news.example.com/science/comet",
    ]
    assert links[0].published == "2024-02-01T07:15:00+01:00"
    assert links[0].title == "Storm closes ports"
    assert links[1].published is None and links[0].source == "feed"


def test_atom_prefers_published_then_updated() -> None:
    links = parse_feed(ATOM, "https://news.example.com/atom.xml")
    assert [(link.url, link.published) for link in links] == [
        ("https://news.example.com/atom-one", "2024-02-02T09:00:00-05:00"),
        ("https://news.example.com/atom-two", "2024-02-01T12:00:00+00:00"),
    ]


def test_rss1_rdf_feed_is_read() -> None:
    rdf = b"""<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
      xmlns="http://purl.org/rss/1.0/"><channel rdf:about="x"><title>T</title></channel>
      <item rdf:about="https://news.example.com/r1"><title>R1</title>
      <link>https://news.example.com/r1</link></item></rdf:RDF>"""
    assert [link.url for link in parse_feed(rdf, "https://news.example.com/rdf")] == [
        "https://news.example.com/r1"
    ]


@pytest.mark.parametrize(
    "data",
    [b"", b"<html><body><p>Hello</p></body></html>", b"/etc/passwd", b"{}"],
    ids=["empty", "html", "a-path", "json"],
)
def test_non_feed_is_a_clean_error(data: bytes) -> None:
    with pytest.raises(DiscoveryError, match="not an RSS or Atom feed"):
        parse_feed(data, "https://news.example.com/feed")


def test_billion_laughs_feed_is_refused() -> None:
    bomb = _bomb(
        "rss", '<rss version="2.0"><channel><item><title>&lol9;</title></item></channel></rss>'
    )
    with pytest.raises(DiscoveryError, match="DTD"):
        parse_feed(bomb, "https://news.example.com/feed")


def test_external_entity_feed_reads_no_file_and_fetches_nothing(httpserver) -> None:  # type: ignore[no-untyped-def]
    item = "<item><title>&xxe;</title><link>https://news.example.com/x</link></item>"
    body = f'<rss version="2.0"><channel>{item}</channel></rss>'
    for target in ("file:///etc/passwd", httpserver.url_for("/secret")):
        doc = _xxe("rss", body, target)
        # UTF-16 hides the declaration from a naive byte search; the guard must still see it.
        utf16 = doc.decode().replace('"1.0"?>', '"1.0" encoding="utf-16"?>', 1).encode("utf-16")
        for data in (doc, utf16):
            with pytest.raises(DiscoveryError, match="DTD"):
                parse_feed(data, "https://news.example.com/feed")
    assert httpserver.log == []


def test_external_dtd_in_a_feed_is_never_fetched(httpserver) -> None:  # type: ignore[no-untyped-def]
    doc = f'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "{httpserver.url_for("/rss.dtd")}">'
    doc += '<rss version="2.0"><channel><item><link>https://news.example.com/y</link></item>'
    doc += "</channel></rss>"
    links = parse_feed(doc.encode(), "https://news.example.com/feed")
    assert [link.url for link in links] == ["https://news.example.com/y"]
    assert httpserver.log == []


# ---- pages -------------------------------------------------------------------------------

PAGE = """<html><head><base href="/section/">
<link rel="alternate" type="application/rss+xml" href="/feed.xml">
<link rel="Alternate" type="application/atom+xml; charset=utf-8" href="atom">
<link rel="alternate" hreflang="fr" href="https://fr.example.com/">
<link rel="stylesheet" type="text/css" href="/style.css">
</head><body>
<a href="story-one#comments">Story <b>one</b></a>
<a href="story-one" rel="nofollow">again</a>
<a href="//cdn.example.com/other-story">protocol-relative</a>
<a href="https://elsewhere.org/x" rel="nofollow noopener">sponsor</a>
<a href="/files/report.PDF">report</a> <a href="/pics/a.jpg">pic</a>
<a href="mailto:desk@example.com">mail</a> <a href="javascript:void(0)">js</a>
<a href="tel:+123">tel</a> <a href="#top">top</a> <a href="">empty</a>
<a>no href</a> <a href="http://[broken/">bad host</a> <a href="http://[zz]/">bad ip</a>
</body></html>"""


def test_page_links_resolve_against_base_and_drop_what_cannot_be_a_page() -> None:
    links = page_links(PAGE, "https://news.example.com/dir/page.html")
    assert [(link.url, link.title, link.nofollow) for link in links] == [
        ("https://news.example.com/section/story-one", "Story one", False),
        ("https://cdn.example.com/other-story", "protocol-relative", False),
        ("https://elsewhere.org/x", "sponsor", True),
        # "#top" and "" point at the page itself (through <base>): a link like any other
        ("https://news.example.com/section/", "top", False),
    ]
    assert {link.source for link in links} == {"page"}


def test_a_followable_anchor_outweighs_an_earlier_nofollow_one() -> None:
    html = '<a href="/a" rel="nofollow">x</a><a href="/a">y</a>'
    (link,) = page_links(html.encode(), "https://news.example.com/")
    assert not link.nofollow and link.title == "y"


def test_feed_autodiscovery_finds_rss_and_atom_only() -> None:
    assert feed_urls(PAGE, "https://news.example.com/dir/page.html") == (
        "https://news.example.com/feed.xml",
        "https://news.example.com/section/atom",
    )


def test_discover_page_accepts_a_parsed_tree() -> None:
    from selectolax.lexbor import LexborHTMLParser

    found = discover_page(LexborHTMLParser(PAGE), "https://news.example.com/dir/page.html")
    assert len(found.links) == 4 and len(found.feeds) == 2


# ---- dates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("2024", "2024-01-01"),
        ("2024-05", "2024-05-01"),
        ("2024-05-06", "2024-05-06"),
        ("2024-05-06T07:08:09Z", "2024-05-06T07:08:09+00:00"),
        ("2024-05-06T07:08+02:00", "2024-05-06T07:08:00+02:00"),
        ("Mon, 06 May 2024 07:08:09 GMT", "2024-05-06T07:08:09+00:00"),
        ("yesterday", None),
        ("", None),
        (None, None),
    ],
)
def test_iso_date(raw: str | None, iso: str | None) -> None:
    assert iso_date(raw) == iso


def test_link_before_uses_the_date_hints_and_never_drops_undated_links() -> None:
    since = date(2024, 2, 1)
    assert Link("u", "feed", published="2024-01-31T23:00:00+00:00").before(since)
    assert not Link("u", "feed", published="2024-02-01").before(since)
    assert Link("u", "sitemap", lastmod="2023-12-01").before(since)
    assert not Link("u", "page").before(since)


def test_links_of_a_page_nested_past_the_depth_limit_are_read_in_bounded_time() -> None:
    from scraper.crawl.discover import discover_page

    html = ("<div>" * 200_000 + '<a href="/x">x</a>' + "</div>" * 200_000).encode()
    # Parsed as it is this would take minutes (quadratic in depth); read flat, the markup and
    # so its links are gone, in milliseconds.
    found = discover_page(html, "https://news.example.com/")
    assert found.links == ()

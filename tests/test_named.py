"""named.py answers exactly what lexbor's substring selector lists answer: the same elements,
in the same order, each repeated once per selector it matches, for any class, id or itemprop."""

from __future__ import annotations

from scraper.extract import named
from scraper.extract.document import parse
from scraper.extract.labels import AUTHOR_LINK_SELECTOR, author_links

# Traps: mixed case, words inside other words, one element matching several selectors (listed
# several times), a Kelvin sign and a dotted I (Python's lower() folds them to ASCII letters,
# lexbor's `i` does not), itemprop split at a tab but not at a non-breaking space or a
# vertical tab, <time> with and without datetime (an SVG one too), an empty class; rel=author
# matched without case (HTML says so for rel), on links only.
PAGE = """<html><head><meta class="author-meta"></head><body>
<div id="wrap" class="Story-Wrapper">
  <h1 class="headline">Title</h1>
  <div class="ByLine meta-author" id="AUTHOR-box" data-testid="ContributorByline">
    <span class="a\u212atualis \u0130d bio">K</span>
    <span itemprop="x\tauthor">A</span><span itemprop="x\u00a0author">B</span>
    <span itemprop="x\x0bauthor">C</span><span itemprop="Author">D</span>
    <time datetime="2024-01-02" class="updated-date">2 Jan</time><TIME>3 Jan</TIME>
  </div>
  <p class="">x</p><p class="timeline post-time">y</p>
  <svg><g class="writer-bio"></g><time></time></svg>
  <aside id="authorbio" class="aktualisiert fecha">z</aside>
  <a rel="Author" href="/a">E</a><a rel="nofollow\tauthor">F</a><a rel="x\u00a0author">G</a>
  <a rel="authors">H</a><link rel="author" href="/b"><span rel="author">I</span>
  <a class="byline" rel="AUTHOR \u212a">J</a><h2 itemprop="headline name">K</h2>
</div></body></html>"""


def _ids(nodes: list) -> list[int]:  # type: ignore[type-arg]
    return [n.mem_id for n in nodes]


def test_named_lists_equal_the_css_queries() -> None:
    doc = parse(PAGE.encode())
    tree = doc.tree
    assert _ids(named.date_nodes(doc, 2000)) == _ids(tree.css("time, " + named.date_selector()))
    assert _ids(named.box_nodes(doc, 200)) == _ids(tree.css(named.BOX_SELECTOR))
    for near in (tree.root, tree.body, tree.css_first("#AUTHOR-box"), tree.css_first("p")):
        assert near is not None
        expected = near.css(named.byline_selector())
        assert _ids(named.byline_nodes(doc, near, 200)) == _ids(expected)
        assert _ids(named.byline_nodes(doc, near, 3)) == _ids(expected[:3])  # cut as css()[:n]


def test_itemprop_and_rel_lists_equal_the_css_queries() -> None:
    doc = parse(PAGE.encode())
    tree = doc.tree
    for name in ("author", "headline", "name", "Author"):
        assert _ids(named.itemprop_nodes(doc, name)) == _ids(tree.css(f"[itemprop~={name}]"))
    assert _ids(named.rel_author_links(doc)) == _ids(tree.css("a[rel~=author]"))
    assert len(named.rel_author_links(doc)) == 3


def test_named_lists_see_repeats_and_cuts() -> None:
    doc = parse(PAGE.encode())
    dates = named.date_nodes(doc, 2000)
    assert len(dates) > len({n.mem_id for n in dates})  # an element per selector it matches
    assert _ids(named.date_nodes(doc, 4)) == _ids(dates[:4])


def test_author_links_equal_the_css_query() -> None:
    # A link listed once per part its address holds, parts matched ASCII-case-insensitively.
    links = [
        "/Author/jane",
        "/autor/x/author",
        "/BY/jane",
        "/by",
        "/staff",
        "/staff/x",
        "/\u212aolumnist",
        "/people/writer/profile",
        "https://x.org/news",
        "/auteurs/a",
    ]
    html = "".join(f'<a href="{href}">x</a><a>y</a>' for href in links)
    tree = parse(f"<html><body><div>{html}</div></body></html>".encode()).tree
    assert tree.body is not None
    expected = tree.body.css(AUTHOR_LINK_SELECTOR)
    assert len(expected) > len({n.mem_id for n in expected})
    for limit in (200, 4, 1):
        assert _ids(author_links(tree.body, limit)) == _ids(expected[:limit])
    # SVG links: lexbor matches [href] on xlink:href too.
    svg = '<svg><a xlink:href="/author/x">s</a><a href="/q" xlink:href="/author/y">t</a></svg>'
    tree = parse(f"<html><body>{html}{svg}<a href='/writer/z'>z</a></body></html>".encode()).tree
    assert tree.body is not None
    expected = tree.body.css(AUTHOR_LINK_SELECTOR)
    assert _ids(author_links(tree.body, 200)) == _ids(expected)

"""The Zyte title check: what --bare strips and how two titles are compared."""

from __future__ import annotations

from bench.zyte_titles import page_titles, same, strip_structured


def test_strip_structured_leaves_markup_and_title() -> None:
    html = (
        '<html><head><title>T</title><meta property="og:title" content="O">'
        '<meta name="twitter:title" content="W"><meta name="description" content="D">'
        '<script type="application/ld+json">{"headline": "J"}</script></head>'
        '<body><h1 itemprop="headline">H</h1></body></html>'
    )
    bare = strip_structured(html)
    assert "og:title" not in bare and "twitter:title" not in bare and "ld+json" not in bare
    assert "itemprop" not in bare
    assert '<meta name="description" content="D">' in bare and "<title>T</title>" in bare


def test_same_ignores_case_spacing_and_punctuation() -> None:
    assert same("Oil falls — again!", "oil falls again")
    assert not same("Oil falls", "Oil rises")
    assert not same(None, "Oil falls")


def test_page_titles_reads_the_page_sources() -> None:
    html = (
        '<html><head><title>Oil falls | Example</title><meta property="og:title" content="Oil'
        ' falls"></head><body><h1>Oil falls</h1><p>Text.</p></body></html>'
    )
    rec = page_titles(html, "https://example.com/a")
    assert rec["h1"] == ["Oil falls"] and rec["og"] == "Oil falls"
    assert rec["title"] == "Oil falls | Example" and same(rec["ours"], "Oil falls")


def test_strip_structured_no_h1_makes_the_h1s_divs() -> None:
    html = '<title>T</title><meta property="og:title" content="O"><H1 class="x">Head</H1>'
    out = strip_structured(html, no_h1=True)
    assert out == '<title>T</title><div class="x">Head</div>'
    assert "<h1" in strip_structured("<h1>Head</h1>")

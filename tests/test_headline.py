"""Headline: structured sources first, site names stripped, the h1 when metadata truncates it."""

from __future__ import annotations

import json

import pytest

from scraper.extract.document import parse
from scraper.extract.headline import article_h1, headline, node_text, story_heading, strip_site_name
from scraper.extract.titles import headline_segment, is_site, segment_matching, site_keys

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
        ("Reuters: Oil falls as stocks rise", "Reuters", "Oil falls as stocks rise"),
        ("Oil falls, Reuters says", "Reuters", "Oil falls, Reuters says"),
        # Sections and dates beyond the site's name go with it.
        ("Gas deal signed | Europe | DW | 28.04.2023", "DW.COM", "Gas deal signed"),
        ("Gas deal signed | example-news.com | Business", None, "Gas deal signed"),
        ("Reuters | World | Gas deal signed in Vienna", "Reuters", "Gas deal signed in Vienna"),
        # A longer form of the site's name ("London Evening Standard") is still the site.
        ("Oil falls | London Evening Standard", "Evening Standard", "Oil falls"),
        ("Oil falls | Some Other Paper", "Reuters", "Oil falls | Some Other Paper"),
        (
            "Reuters - Reuters reporter freed after a year",
            "Reuters",
            "Reuters reporter freed after a year",
        ),
        # Guillemets and dashes inside a headline are not separators when no site is named.
        ("Sie sagt: »Es war eine Stärke«", "Reuters", "Sie sagt: »Es war eine Stärke«"),
        ("Season 2023–24 ends early", "Reuters", "Season 2023–24 ends early"),
        # The site's name leading a section or a word for news at an end of the title.
        ("Four held in loan probe | NTV Haber", "NTV", "Four held in loan probe"),
        ("Clashes near fuel plant — RT World News", "RT", "Clashes near fuel plant"),
        ("Why the rally stalled - CNNPolitics", "CNN", "Why the rally stalled"),
        ("Reuters Poll | Voters sour on tariffs", "Reuters", "Voters sour on tariffs"),
        # Not when the segment is a headline of its own, or the name is not its first word.
        (
            "Cup final set - Reuters reporter freed early",
            "Reuters",
            "Cup final set - Reuters reporter freed early",
        ),
        ("Why the rally stalled - Pro CNN", "CNN", "Why the rally stalled - Pro CNN"),
        # CJK titles join the site's name with a full-width bar and no spaces.
        ("台風が上陸｜東海新報DIGITAL", "東海新報DIGITAL", "台風が上陸"),
    ],
)
def test_strip_site_name(title: str, site: str | None, expected: str) -> None:
    assert strip_site_name(title, site, URL) == expected


def test_site_name_found_inside_a_longer_name_from_the_domain() -> None:
    url = "https://uk.eurosport.yahoo.com/news/storm-closes-schools.html"
    assert strip_site_name("Storm closes schools - Yahoo! Eurosport UK", None, url) == (
        "Storm closes schools"
    )
    keys = site_keys(None, url)
    assert is_site("Yahoo! Eurosport UK", keys)
    assert not is_site("Yahoo shares fall as Eurosport deal ends", keys)


def test_site_name_spelled_with_umlauts_matches_the_domain() -> None:
    url = "https://www.sueddeutsche.de/politik/streik-1.234"
    title = "Streik legt den Nahverkehr lahm - Süddeutsche Zeitung"
    assert strip_site_name(title, None, url) == "Streik legt den Nahverkehr lahm"
    assert strip_site_name(
        "Streik legt alles lahm - DER SPIEGEL", None, "https://www.spiegel.de/a"
    ) == ("Streik legt alles lahm")


@pytest.mark.parametrize(
    ("title", "url"),
    [
        ("Storm closes schools - The Valley Gazette", "https://www.valleygazette.com/a"),
        ("Storm closes schools - The Valley Gazette", "https://www.vgazette.com/a"),  # initials
        ("Storm closes schools - KBC 5 Dallas-Fort Worth", "https://www.kbcdfw.com/a"),
        ("Storm closes schools - Valley City Express-News", "https://www.myvalleycity.com/a"),
        ("Storm closes schools - Gazetta International", "https://gazettanews.com/a"),
    ],
)
def test_site_name_the_host_abbreviates_is_cut_from_the_title(title: str, url: str) -> None:
    assert strip_site_name(title, None, url) == "Storm closes schools"


def test_a_headline_whose_words_start_like_the_host_is_kept() -> None:
    keys = site_keys(None, "https://www.vgazette.com/a")
    assert is_site("The Valley Gazette", keys)
    # Too many words for a name, or too many the host does not spell.
    assert not is_site("Very good gazettes sell out in the valley again", keys)
    assert not is_site("Voters give Gazette owner a new mandate", keys)
    title = "Storm closes schools - Voters give Gazette owner a mandate"
    assert strip_site_name(title, None, "https://www.vgazette.com/a") == title


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Valley Courier | Storm closes all the schools", "Storm closes all the schools"),
        ("News - Storm closes all the schools - Valley Courier", "Storm closes all the schools"),
        ("Rückschlag im Titelkampf - Liverpool verliert bei Everton", None),  # two long parts
        ("Storm closes all the schools", None),
        ("Storm closes all the schools | Valley Courier Morning", None),  # a three-word part
    ],
)
def test_headline_segment_is_the_one_long_segment(title: str, expected: str | None) -> None:
    assert headline_segment(title) == (expected or title)


def test_title_fallback_keeps_only_its_one_long_segment() -> None:
    html = page("<title>Valley Courier | Storm closes all the schools</title>")
    assert get(html) == ("Storm closes all the schools", "title")


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Storm closes schools - The Evening Ledger", "Storm closes schools"),
        ("The Evening Ledger | Storm closes schools", "Storm closes schools"),
        ("News :: Storm closes schools :: Ledger", "Storm closes schools"),
        ("Storm closes schools", None),  # nothing to cut
        ("Storm closes all schools - Ledger", None),  # no segment is the heading
    ],
)
def test_segment_matching_the_visible_heading(title: str, expected: str | None) -> None:
    assert segment_matching(title, ["Storm closes schools"]) == expected


def test_segment_matching_leading_only_keeps_a_kicker() -> None:
    title = "Nuclear plant: Cooling towers demolished at dawn"
    assert segment_matching(title, ["Cooling towers demolished at dawn"], leading=True) is None


def test_jsonld_headline_wins() -> None:
    html = page(
        '<meta property="og:title" content="Social title">',
        "<h1>Display title of the story</h1>",
        {"@type": "NewsArticle", "headline": "Declared headline of the story"},
    )
    assert get(html) == ("Declared headline of the story", "jsonld")


def _crumbs(last: dict) -> dict:
    home = {"@type": "ListItem", "position": 1, "name": "Home", "item": "https://x.example/"}
    return {"@type": "BreadcrumbList", "itemListElement": [home, last]}


@pytest.mark.parametrize(
    ("last", "expected"),
    [
        # The trail names the page as og:title does: the JSON-LD headline is the search rewrite.
        (
            {"@type": "ListItem", "position": 2, "name": "Ferry strike halts island traffic"},
            ("Ferry strike halts island traffic", "meta:og:title"),
        ),
        (
            {
                "@type": "ListItem",
                "position": 2,
                "item": {"@id": "https://x.example/s", "name": "Ferry strike halts island traffic"},
            },
            ("Ferry strike halts island traffic", "meta:og:title"),
        ),
        # A trail ending in a section, or repeating the JSON-LD headline, leaves it alone.
        (
            {"@type": "ListItem", "position": 2, "name": "Regional news"},
            ("Island ferries stop as crews walk out over pay", "jsonld"),
        ),
        (
            {
                "@type": "ListItem",
                "position": 2,
                "name": "Island ferries stop as crews walk out over pay",
            },
            ("Island ferries stop as crews walk out over pay", "jsonld"),
        ),
    ],
)
def test_breadcrumb_repeating_og_title_outvotes_jsonld(last: dict, expected: tuple) -> None:
    article = {"@type": "NewsArticle", "headline": "Island ferries stop as crews walk out over pay"}
    html = page(
        '<meta property="og:title" content="Ferry strike halts island traffic">',
        "<h1>Island ferries stop as crews walk out over pay</h1>",
        {"@graph": [article, _crumbs(last)]},
    )
    assert get(html) == expected


def test_jsonld_name_repeating_og_title_outvotes_the_jsonld_headline() -> None:
    article = {
        "@type": "NewsArticle",
        "headline": "Tears, then a twist for the pole vaulter",
        "name": "Games 2024: Pole vaulter Ana Berg in tears before the late twist",
    }
    html = page(
        '<meta property="og:title" content="Games 2024: Pole vaulter Ana Berg in tears before '
        'the late twist">',
        "<h1>Tears, then a twist for the pole vaulter</h1>",
        article,
    )
    assert get(html)[1] == "meta:og:title"


FULL = "Flood barrier fails as river rises in the night"


@pytest.mark.parametrize(
    ("og", "expected"),
    [
        ("Flood barrier fails as river rises…", (FULL, "title")),
        ("Flood barrier fails as river ...", (FULL, "title")),
        # Without an ellipsis a shorter headline may be the edited one, not a cut.
        ("Flood barrier fails as river", ("Flood barrier fails as river", "meta:og:title")),
    ],
)
def test_cut_og_title_without_a_heading_gives_way_to_the_full_title(
    og: str, expected: tuple
) -> None:
    html = page(
        f'<meta property="og:title" content="{og}"><title>{FULL}</title>',
        "<p>No heading on this page.</p>",
    )
    assert get(html) == expected


def test_breadcrumb_witness_holds_without_a_visible_heading() -> None:
    article = {"@type": "NewsArticle", "headline": "Island ferries stop as crews walk out over pay"}
    crumb = {"@type": "ListItem", "position": 2, "name": "Ferry strike halts island traffic"}
    html = page(
        '<meta property="og:title" content="Ferry strike halts island traffic">',
        "<p>No heading on this page.</p>",
        {"@graph": [article, _crumbs(crumb)]},
    )
    assert get(html) == ("Ferry strike halts island traffic", "meta:og:title")


def test_breadcrumb_repeating_only_the_heading_leaves_jsonld() -> None:
    # The visible heading alone is no second witness against the declared headline.
    article = {"@type": "NewsArticle", "headline": "Declared headline of the story"}
    crumb = {"@type": "ListItem", "position": 2, "name": "Display title of the story"}
    html = page(
        '<meta property="og:title" content="Social title of the story">',
        "<h1>Display title of the story</h1>",
        {"@graph": [article, _crumbs(crumb)]},
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


STORY = "<p>" + "The storm closed every school in the county on Tuesday morning. " * 4 + "</p>"


def test_site_name_in_title_without_og_title_and_visible_h2_headline() -> None:
    html = page(
        "<title>Storm closes schools across the county - The Evening Ledger</title>",
        '<div id="masthead"><h1>The Evening Ledger</h1></div>'
        f'<div class="story"><h2>Storm closes schools across the county</h2>{STORY}</div>',
    )
    assert get(html, url="https://www.ledgerpost.co.uk/news/1234.html") == (
        "Storm closes schools across the county",
        "h2",
    )


def test_logo_h1_linking_home_is_skipped_for_the_story_h1() -> None:
    html = page(
        "<title>Ledger</title>",
        '<div class="top"><h1><a href="/">The Evening Ledger Online</a></h1></div>'
        f"<div><h1>Council votes to keep the library open</h1>{STORY}</div>",
    )
    doc = parse(html, URL)
    assert node_text(article_h1(doc)) == "Council votes to keep the library open"
    assert get(html) == ("Council votes to keep the library open", "h1")


def test_logo_class_h1_is_skipped_for_an_h2_the_story_follows() -> None:
    html = page(
        body='<h1 class="site-logo">Valley Courier Weekly</h1>'
        '<div class="teaser"><h2>Another story from last week</h2><p>Short dek.</p></div>'
        f"<h2>Council votes to keep the library open</h2>{STORY}",
    )
    node, repeated = story_heading(parse(html, URL))
    assert node is not None and node_text(node) == "Council votes to keep the library open"
    assert not repeated
    assert get(html) == ("Council votes to keep the library open", "h2")


def test_of_several_h1s_the_one_story_text_follows_wins() -> None:
    cards = "".join(
        f'<div class="card"><h1><a href="/s/{i}">Teaser headline number {i}</a></h1>'
        "<p>One line.</p></div>"
        for i in range(3)
    )
    html = page(body=f"{cards}<div><h1>Harbour dredging begins next month</h1>{STORY}</div>")
    assert get(html) == ("Harbour dredging begins next month", "h1")


def test_h1_the_title_repeats_in_part_beats_an_h1_it_does_not() -> None:
    # The story's h1 is followed by its standfirst (an h2), not by text; a donation box's h1
    # further down is followed by text, but the title names the story, not the box.
    html = page(
        "<title>Kenya: Nairobi from below, The Daily Worker, 18.05.2026</title>",
        "<h1>Nairobi from below</h1><h2>Activists met for a summit of their own in the city</h2>"
        f"{STORY}<div><h1><strong>Independent journalism</strong> needs your support</h1>"
        "<p>Every subscription keeps this newspaper free of advertisers and owners who would"
        " tell the newsroom what to write, so please consider subscribing today to help.</p></div>",
    )
    node, repeated = story_heading(
        parse(html, URL), ["Kenya: Nairobi from below, The Daily Worker"]
    )
    assert node is not None and node_text(node) == "Nairobi from below" and repeated


def test_kicker_span_in_the_h1_is_left_out_when_the_title_repeats_the_rest() -> None:
    html = page(
        "<title>Harbour dredging begins next month | Example News</title>",
        '<h1><span class="topline">Port works</span> <span>Harbour dredging begins next month'
        f"</span></h1>{STORY}",
    )
    assert get(html) == ("Harbour dredging begins next month", "h1")


def test_h1_without_a_part_the_title_repeats_is_kept_whole() -> None:
    html = page(
        "<title>Harbour dredging | Example News</title>",
        f"<h1><span>Port works:</span> <em>harbour dredging</em> begins</h1>{STORY}",
    )
    assert get(html) == ("Port works: harbour dredging begins", "h1")


@pytest.mark.parametrize(
    ("header_class", "expected"),
    [
        ("entry-header", ("Dredging of the harbour will begin next month", "h1")),
        ("ArticleHeader-wrapper", ("Dredging of the harbour will begin next month", "h1")),
        # The page's masthead stays furniture: the title gives the headline.
        ("site-header", ("Harbour works start in June", "title")),
    ],
)
def test_h1_in_a_story_header_outside_article_is_the_heading(
    header_class: str, expected: tuple
) -> None:
    html = page(
        "<title>Harbour works start in June | Example News</title>",
        f'<header class="{header_class}"><h1>Dredging of the harbour will begin next month</h1>'
        f"</header><div>{STORY}</div>",
    )
    assert get(html) == expected


LONG = "<p>" + "The dredgers arrive on Monday and will work through the summer. " * 9 + "</p>"


@pytest.mark.parametrize(
    ("articles", "expected"),
    [
        # The one story's article, wrapped in a layout column named after a sidebar.
        (1, ("Dredging of the harbour will begin next month", "h1")),
        # Several articles side by side are cards: the sidebar's heading is no headline.
        (3, ("Harbour works start in June", "title")),
    ],
)
def test_h1_of_the_one_article_inside_a_sidebar_named_wrapper(
    articles: int, expected: tuple
) -> None:
    h1 = "<h1>Dredging of the harbour will begin next month</h1>"
    story = f"<article><div>{h1}</div>{LONG}</article>"
    html = page(
        "<title>Harbour works start in June | Example News</title>",
        f'<div class="sticky-sidebar-column">{story * articles}</div>',
    )
    assert get(html) == expected


def test_title_beats_an_h2_nothing_repeats() -> None:
    # An h2 the title does not repeat is a guess; the title without the site name is not.
    html = page(
        "<title>Harbour dredging begins next month | Example News</title>",
        f"<h2>Weather for the week ahead</h2>{STORY}",
    )
    assert get(html) == ("Harbour dredging begins next month", "title")


def test_heading_repeating_a_title_segment_beats_a_shorter_one() -> None:
    # Both headings sit in the title; the site's name is the shorter one.
    html = page(
        "<title>Harbour dredging begins next month - Valley Courier</title>",
        "<h1>Valley Courier</h1><h2>Harbour dredging begins next month</h2>",
    )
    assert get(html, url="https://www.vc-online.net/a/1") == (
        "Harbour dredging begins next month",
        "h2",
    )


def test_title_segment_the_h1_repeats_is_the_title() -> None:
    html = page(
        "<title>Harbour dredging begins | Local | The Evening Ledger | 04.05.2024</title>",
        f"<h1>Harbour dredging begins</h1>{STORY}",
    )
    assert get(html) == ("Harbour dredging begins", "h1")


def test_teaser_h2s_without_story_text_give_no_heading() -> None:
    html = page(body='<h2><a href="/a">First teaser headline</a></h2><p>Dek.</p>' * 3)
    assert story_heading(parse(html, URL)) == (None, False)


def test_an_identifier_is_not_a_headline() -> None:
    html = page(
        "<title>Harbour dredging begins next month | Valley Courier</title>",
        jsonld={"@type": "NewsArticle", "name": "a-60a0111a-c2d2-46c8-9e93-b16a374e6ba8"},
    )
    assert get(html, "Valley Courier") == ("Harbour dredging begins next month", "title")


def test_block_named_the_title_picks_the_headline_from_a_title_of_two_long_parts() -> None:
    # No h1 and no structured title; "<div class=story-headline>" says which part is the story's.
    title = "Summer on the lake: what changes - Council backs new ferry timetable | Lakeside Ledger"
    html = page(
        f"<title>{title}</title>",
        f'<div class="story-headline">Council backs new ferry timetable</div>{STORY}',
    )
    url = "https://www.lakesideledger.example/local/1"
    assert get(html, url=url) == ("Council backs new ferry timetable", "class")

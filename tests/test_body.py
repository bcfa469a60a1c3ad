"""Body extraction rules, each on a small page built to need it."""

from __future__ import annotations

import json

import pytest

import scraper

PROSE = [
    "The council voted on Tuesday to close the old harbour bridge for repairs, officials said.",
    "Engineers found cracks in two of the supporting piers during an inspection in March.",
    "Repairs are expected to cost about four million pounds and to last most of the summer.",
    "Ferry services will run every twenty minutes while the bridge is closed, the operator said.",
]


def body(html: str) -> list[str]:
    return list(scraper.extract(html, url="https://news.example/2024/05/01/bridge").paragraphs)


def page(inner: str) -> str:
    return f"<html><head><title>Bridge closes - News</title></head><body>{inner}</body></html>"


def paras(items: list[str]) -> str:
    return "".join(f"<p>{p}</p>" for p in items)


def test_paragraphs_in_order_without_navigation_or_footer() -> None:
    html = page(
        '<nav><a href="/">Home</a> <a href="/world">World</a></nav>'
        f"<article><h1>Bridge closes</h1>{paras(PROSE)}</article><footer>© 2024 News</footer>"
    )
    assert body(html) == PROSE


def test_article_split_by_ads_into_sibling_containers_is_found_whole() -> None:
    html = page(
        f'<article><div class="article-body">{paras(PROSE[:2])}</div>'
        '<div class="ad-slot">Advertisement</div>'
        '<aside class="related"><h3>Related</h3><a href="/x">Another story</a></aside>'
        f'<div class="article-body">{paras(PROSE[2:])}</div></article>'
    )
    assert body(html) == PROSE


def test_subheadings_and_list_items_are_paragraphs_of_their_own() -> None:
    html = page(
        f"<article>{paras(PROSE[:2])}<h2>What changes for drivers</h2>"
        f"<ul><li>Diversions via the ring road.</li><li>Extra buses at peak times.</li></ul>"
        f"{paras(PROSE[2:])}</article>"
    )
    assert body(html) == [
        *PROSE[:2],
        "What changes for drivers",
        "Diversions via the ring road.",
        "Extra buses at peak times.",
        *PROSE[2:],
    ]


def test_hidden_elements_captions_and_share_bars_are_left_out() -> None:
    html = page(
        "<article>"
        '<figure><img src="a.jpg"><figcaption>The bridge at dawn. (Photo: J. Smith)</figcaption>'
        "</figure>"
        f"<p>{PROSE[0]}</p>"
        '<div class="share-bar"><a href="#">Share on Facebook</a> <a href="#">Tweet</a></div>'
        f'<p>{PROSE[1]}<span style="display:none">Hidden tooltip text</span></p>'
        f'<p hidden>Never shown</p><div aria-hidden="true">Decorative</div>{paras(PROSE[2:])}'
        "</article>"
    )
    assert body(html) == PROSE


def test_a_hover_card_inside_a_paragraph_is_left_out() -> None:
    card = (
        '<span class="person"><a href="/people/ann">Ann Lee</a><span class="card">'
        '<img src="ann.jpg"><a href="/people/ann">Ann Lee</a> <a href="/people/ann/stories">'
        "Latest stories by Ann Lee about the harbour</a></span></span>"
    )
    html = page(f"<article><p>Mayor {card} said the work was overdue.</p>{paras(PROSE)}</article>")
    assert body(html)[0] == "Mayor Ann Lee said the work was overdue."


def test_lists_of_links_and_furniture_lines_are_dropped_but_cited_urls_kept() -> None:
    html = page(
        f"<article>{paras(PROSE[:2])}<p>Advertisement</p>"
        '<ul><li><a href="/a">Harbour fees rise</a></li><li><a href="/b">Ferry times</a></li></ul>'
        '<p><a href="https://council.example/report.pdf">https://council.example/report.pdf</a></p>'
        f"{paras(PROSE[2:])}</article>"
    )
    assert body(html) == [*PROSE[:2], "https://council.example/report.pdf", *PROSE[2:]]


def test_related_stories_after_the_article_end_it() -> None:
    html = page(
        f"<article>{paras(PROSE)}<h3>More from News</h3>"
        "<p>Council approves a new budget for the harbour district next year.</p></article>"
    )
    assert body(html) == PROSE


def test_embedded_post_keeps_its_text_and_attribution() -> None:
    tweet = (
        '<div class="social-embed"><blockquote class="twitter-tweet"><p>The bridge is closed '
        "from today.</p>— Harbour Council (@harbour) <a href='https://x.example/1'>May 1, 2024</a>"
        "</blockquote></div>"
    )
    html = page(f"<article>{paras(PROSE[:2])}{tweet}{paras(PROSE[2:])}</article>")
    assert body(html) == [
        *PROSE[:2],
        "The bridge is closed from today.",
        "— Harbour Council (@harbour) May 1, 2024",
        *PROSE[2:],
    ]


def test_text_in_divs_with_line_breaks_is_found() -> None:
    text = "<br><br>".join(PROSE)
    html = page(f'<div class="menu"><a href="/">Home</a></div><div class="text">{text}</div>')
    assert body(html) == PROSE


def test_table_rows_read_as_lines() -> None:
    table = "<table><tr><th>Pier</th><th>Cracks</th></tr><tr><td>North</td><td>3</td></tr></table>"
    html = page(f"<article>{paras(PROSE[:2])}{table}{paras(PROSE[2:])}</article>")
    assert body(html) == [*PROSE[:2], "Pier Cracks", "North 3", *PROSE[2:]]


def test_a_boilerplate_class_on_the_story_container_does_not_hide_the_story() -> None:
    html = page(f'<div class="post tag-news has-sidebar">{paras(PROSE)}</div>')
    assert body(html) == PROSE


def test_comments_are_not_the_story_even_when_longer() -> None:
    comments = "".join(
        f'<div class="comment"><p>Reader {i} wrote: I cross this bridge every day, and frankly '
        "the repairs should have started years ago, but nobody listened.</p></div>"
        for i in range(8)
    )
    html = page(f'<article>{paras(PROSE)}</article><section id="comments">{comments}</section>')
    assert body(html) == PROSE


def test_jsonld_article_body_fills_in_when_the_page_shows_nothing() -> None:
    text = "\\n\\n".join(PROSE)
    html = (
        '<html><head><script type="application/ld+json">{"@type": "NewsArticle", '
        f'"headline": "Bridge closes", "articleBody": "{text}"}}</script></head>'
        '<body><div id="app">Loading…</div></body></html>'
    )
    record = scraper.extract(html)
    assert list(record.paragraphs) == PROSE
    assert record.provenance["body"] == "jsonld:articleBody"


def test_article_split_into_cousin_containers_is_found_whole() -> None:
    # Each part sits in its own layout wrapper beside an ad rail (as grid layouts do).
    part = '<div class="grid"><div class="article-body">{}</div><div class="rail">Ad</div></div>'
    html = page(
        f"<article>{part.format(paras(PROSE[:2]))}"
        '<div class="newsletter">Sign up for our daily briefing</div>'
        f"{part.format(paras(PROSE[2:]))}</article>"
    )
    assert body(html) == PROSE


def test_a_story_continued_in_a_later_grid_row_after_a_promo_is_found_whole() -> None:
    # The parts' containers have different classes, in rows of the same grid; between them a
    # row holds an ad and one a newsletter box. The last row, right after the second part with
    # nothing between, is the next block of the page's template, not the story.
    row = '<div class="row"><div class="col-8"><div class="{}">{}</div></div>{}</div>'
    ad = '<div class="col-4"><div class="ad-slot">Anzeige</div></div>'
    promo = (
        '<div class="row"><div class="col-12"><div class="signup-box"><p>Get the morning '
        "briefing with the day's local news in your inbox, free, every weekday.</p></div></div>"
        "</div>"
    )
    other = (
        "The harbour board meets on the first Monday of each month in the town hall, and the "
        "public may attend every meeting."
    )
    html = page(
        '<div class="page"><h1>Bridge closes</h1>'
        + row.format("rte", paras(PROSE[:3]), ad)
        + promo
        + row.format("rte rte--cont", paras(PROSE[3:]), "")
        + row.format("note", paras([other]), "")
        + "</div>"
    )
    assert body(html) == PROSE


def test_a_class_value_with_newlines_does_not_break_extraction() -> None:
    html = page(
        f'<article><div class="layout__content\n    article-content">{paras(PROSE)}</div></article>'
    )
    record = scraper.extract(html)
    assert list(record.paragraphs) == PROSE and record.error is None


def test_the_next_article_appended_to_the_page_is_not_this_story() -> None:
    other = (
        '<div class="next-up"><h1>Ferry fares rise</h1><span class="byline">By Bo Li</span>'
        "<p>Ferry fares will rise by ten percent from June, the operator announced on Friday.</p>"
        "<p>The company blamed higher fuel costs and said season tickets would not be affected.</p>"
        "</div>"
    )
    html = page(f'<article><div class="entry-content">{paras(PROSE)}{other}</div></article>')
    assert body(html) == PROSE


def test_subheadings_with_anchor_ids_are_kept() -> None:
    html = page(
        f'<article>{paras(PROSE[:2])}<h3 class="subheading" id="nav_repairs">Repairs</h3>'
        f"{paras(PROSE[2:])}</article>"
    )
    assert body(html) == [*PROSE[:2], "Repairs", *PROSE[2:]]


def test_a_table_row_with_a_year_is_not_mistaken_for_a_dateline() -> None:
    table = "<table><tr><td>gsoc-2018</td><td>3.3 GB/s</td></tr></table>"
    html = page(
        f"<article>{paras(PROSE[:2])}{table}<p>November 20, 2019 - 11:28</p>"
        f"{paras(PROSE[2:])}</article>"
    )
    assert body(html) == [*PROSE[:2], "gsoc-2018 3.3 GB/s", *PROSE[2:]]


def test_a_sentence_that_links_its_object_is_kept_and_a_label_before_links_is_not() -> None:
    # "Download the <a>trail map</a>." is mostly link, but the sentence opens with its own
    # words: the story's. "Our standards: <a>The Trust Principles</a>." opens with a label.
    html = page(
        f"<article><h1>Bridge closes</h1>{paras(PROSE)}"
        '<p>Download the <a href="/map.pdf">closure map and diversions (PDF)</a>.</p>'
        '<p>Our Standards: <a href="/trust">The Trust Principles</a>.</p></article>'
    )
    assert body(html) == [*PROSE, "Download the closure map and diversions (PDF)."]


@pytest.mark.parametrize(
    "line",
    [
        'Filed under <a href="/c/events">Events</a>, <a href="/c/parks">Parks</a>',
        'Tags: <a href="/t/a">Bridges</a> | <a href="/t/b">Council</a>',
        'Posted in <a href="/c/news">News</a>',
        'Schlagworte: <a href="/t/a">Brücken</a>',
    ],
)
def test_a_taxonomy_line_after_the_story_is_not_story(line: str) -> None:
    # Fewer link letters than own letters, so the link-density rule alone keeps it; the label
    # is one that heads the furniture after a story.
    html = page(f"<article><h1>Bridge closes</h1>{paras(PROSE)}<p>{line}</p></article>")
    assert body(html) == PROSE


def test_a_link_the_text_announces_is_kept() -> None:
    html = page(
        f"<article>{paras(PROSE[:2])}<p>Complaints can be sent to a dedicated address:</p>"
        '<p><a href="mailto:bridge@council.example">bridge@council.example</a></p>'
        f"{paras(PROSE[2:])}</article>"
    )
    assert "bridge@council.example" in body(html)


def test_the_lead_paragraph_before_the_story_wrapper_is_the_first_paragraph() -> None:
    lead = "The council has closed the harbour bridge, the city's busiest crossing, for the summer."
    html = page(
        f'<div class="col"><h1>Bridge closes</h1><p class="intro">{lead}</p>'
        '<div class="share-bar"><a href="#">Share</a></div>'
        '<div class="picture"><img src="a.jpg"></div>'
        f'<div class="group"><div class="text">{paras(PROSE)}</div></div></div>'
    )
    assert body(html) == [lead, *PROSE]


def test_a_tag_list_and_its_label_are_not_the_story() -> None:
    html = page(
        f'<article>{paras(PROSE)}<h2>Schlagworte</h2><ul><li><a href="/t/a">Brücken</a></li>'
        '<li><a href="/t/b">Verkehr</a></li></ul></article>'
    )
    assert body(html) == PROSE


def test_a_lead_block_beside_the_text_block_is_the_first_paragraph() -> None:
    # Component CMSs (Drupal paragraphs) put the lead and the text in sibling items.
    lead = "The council has closed the harbour bridge, the city's busiest crossing, for the summer."
    html = page(
        '<div class="field--items"><div class="field--item"><div class="paragraph--type--chapo">'
        f'<div class="chapo_block"><p>{lead}</p></div></div></div>'
        '<div class="field--item"><div class="paragraph--type--text">'
        f'<div class="field--name-text">{paras(PROSE)}</div></div></div></div>'
    )
    assert body(html) == [lead, *PROSE]


def test_indentation_between_blocks_does_not_count_as_story_text() -> None:
    # Templates indent their markup: whitespace between blocks is not text already read, so the
    # story's own container (title, byline, paragraphs) is not taken for an appended article.
    pad = "\n        \n    "
    story = (
        '<div class="story"><h1>Bridge closes</h1><span class="byline">By Ann Lee</span>'
        f"{pad.join(f'<p>{p}</p>' for p in PROSE)}</div>"
    )
    html = page(
        f'<article class="article-body">{pad}<div>{pad}</div>{pad}<div>{pad}</div>{pad}{story}'
        "</article>"
    )
    assert body(html) == PROSE


def test_the_story_under_its_kicker_and_standfirst_is_read_whole() -> None:
    # The page header (kicker, headline, standfirst) comes first, then the story's container
    # repeats the headline with a byline: the same story, not a next one.
    header = (
        '<div class="overline">Harbour works</div><h1>Bridge closes</h1>'
        '<div class="excerpt">The old harbour bridge shuts for the summer while engineers repair '
        "its cracked piers.</div>"
    )
    story = (
        '<div class="story"><h1>Bridge closes</h1><span class="author-line">By Ann Lee</span>'
        f"{paras(PROSE)}</div>"
    )
    assert body(page(f'<article class="article-body">{header}{story}</article>'))[-4:] == PROSE


def test_paragraphs_each_in_their_own_wrapper_are_read_as_one_story() -> None:
    # Component frameworks wrap every paragraph in its own nested divs: the wrappers' shared
    # container is the story, not the one paragraph that scored best.
    wrapped = "".join(
        f'<div class="sc-a1"><div class="sc-b2"><div><div><p>{p}</p></div></div></div></div>'
        for p in PROSE
    )
    html = page(f'<main><div class="sc-x9">{wrapped}</div><div class="sc-y8">Ad</div></main>')
    assert body(html) == PROSE


def test_a_story_container_is_titled_by_its_first_heading() -> None:
    # A second h1 inside the story (a print edition's heading) does not retitle it, so the
    # story stays this page's own after the page header repeated its first title.
    header = (
        '<div class="overline">Harbour works</div><h1>Bridge closes</h1>'
        '<div class="excerpt">The old harbour bridge shuts for the summer while engineers repair '
        "its cracked piers, the council said.</div>"
    )
    story = (
        '<div class="story"><h1 class="entry-title">Bridge closes</h1>'
        '<span class="author-line">By Ann Lee</span>'
        f'{paras(PROSE)}<h1 class="print-heading">Harbour bridge to shut</h1></div>'
    )
    assert body(page(f'<article class="article-body">{header}{story}</article>'))[-4:] == PROSE


def test_a_second_marked_story_after_the_first_is_the_next_article() -> None:
    story = '<div class="story"><h1>{}</h1><span class="byline">By Ann Lee</span>{}</div>'
    other = [
        "Ferry fares will rise by ten percent from June, the operator announced on Friday.",
        "The company blamed higher fuel costs and said season tickets would not be affected.",
    ]
    html = page(
        f'<main class="article-body">{story.format("Bridge closes", paras(PROSE))}'
        f"{story.format('Ferry fares rise', paras(other))}</main>"
    )
    assert body(html) == PROSE


def test_a_linked_name_inside_a_sentence_stays_whatever_its_class() -> None:
    # "tag-link" names a link to the topic page, but inside a sentence it is the sentence's words.
    first = (
        'The <a class="tag-link" href="/tag/harbour">harbour bridge</a> will close on Tuesday '
        "for repairs, the council said after a long meeting."
    )
    html = page(
        f'<article><p>{first}</p>{paras(PROSE[1:])}<ul class="tags"><li>'
        '<a class="tag-link" href="/tag/x">Harbour</a></li></ul></article>'
    )
    assert body(html) == [
        "The harbour bridge will close on Tuesday for repairs, the council said after a long "
        "meeting.",
        *PROSE[1:],
    ]


def test_subheadings_linking_to_themselves_are_kept() -> None:
    # Blog engines wrap a subheading's words in a link to its own anchor, or put a "#" or "¶"
    # permalink beside them: the heading stays, its anchor mark goes; a linked heading
    # pointing elsewhere is still a link.
    html = page(
        f"<article><h1>Bridge closes</h1><p>{PROSE[0]}</p>"
        '<h2 id="found"><a href="#found">What the engineers found</a></h2>'
        f"<p>{PROSE[1]}</p>"
        '<h2 id="cost"><a class="anchor" href="#cost">#</a>What it will cost</h2>'
        f"<p>{PROSE[2]}</p>"
        '<h3><a href="https://example.org/report.pdf">Read the report here</a></h3>'
        f"<p>{PROSE[3]}</p></article>"
    )
    assert body(html) == [
        PROSE[0],
        "What the engineers found",
        PROSE[1],
        "What it will cost",
        *PROSE[2:],
    ]


def test_subheadings_named_headline_are_kept() -> None:
    html = page(
        f'<article>{paras(PROSE[:2])}<h2 class="text__headline">Repairs</h2>'
        f"{paras(PROSE[2:])}</article>"
    )
    assert body(html) == [*PROSE[:2], "Repairs", *PROSE[2:]]


STANDFIRST = "The old harbour bridge shuts for the summer while engineers repair its cracked piers."


def described(inner: str, description: str = STANDFIRST) -> str:
    return (
        f'<html><head><title>Bridge closes - News</title><meta name="description" '
        f'content="{description}"></head><body>{inner}</body></html>'
    )


def test_the_standfirst_the_description_names_opens_the_body() -> None:
    # The teaser sits in the header under a class that reads as furniture; the description
    # repeats it, so it is the story's first paragraph.
    html = described(
        f'<article><header><h1>Bridge closes</h1><p class="teaser">{STANDFIRST}</p></header>'
        f'<div class="article-body">{paras(PROSE)}</div></article>'
    )
    assert body(html) == [STANDFIRST, *PROSE]


def test_a_truncated_description_still_finds_the_standfirst() -> None:
    html = described(
        f'<article><h1>Bridge closes</h1><div class="summary">{STANDFIRST}</div>'
        f'<div class="article-body">{paras(PROSE)}</div></article>',
        description=STANDFIRST[:70] + "…",
    )
    assert body(html) == [STANDFIRST, *PROSE]


def test_a_standfirst_opened_by_a_dateline_or_a_link_is_found() -> None:
    # The description leaves out the dateline ("Hull. ") the page puts before the standfirst,
    # and a link on the standfirst's first word splits its first words over two text nodes.
    dated = f'<p class="teaser">Hull. {STANDFIRST}</p>'
    linked = f'<p class="teaser"><a href="/topics/bridges">The</a> {STANDFIRST[4:]}</p>'
    for teaser, first in ((dated, f"Hull. {STANDFIRST}"), (linked, STANDFIRST)):
        html = described(
            f"<article><header><h1>Bridge closes</h1>{teaser}</header>"
            f'<div class="article-body">{paras(PROSE)}</div></article>'
        )
        assert body(html) == [first, *PROSE]


def test_a_standfirst_with_no_break_spaces_is_found() -> None:
    # The page and its description write "a\u00a0harbour" with a no-break space: a probe of
    # plain spaces would not match the page's text, one across the no-break space may not.
    text = STANDFIRST.replace(" old ", " old\u00a0").replace(" for ", " for\u00a0")
    html = described(
        f'<article><header><h1>Bridge closes</h1><p class="teaser">{text}</p></header>'
        f'<div class="article-body">{paras(PROSE)}</div></article>',
        description=text,
    )
    assert body(html) == [STANDFIRST, *PROSE]


def test_the_description_is_not_repeated_when_it_is_the_first_paragraph() -> None:
    html = described(f"<article><h1>Bridge closes</h1>{paras(PROSE)}</article>", PROSE[0])
    assert body(html) == PROSE


def test_text_matching_the_description_after_the_story_is_not_a_standfirst() -> None:
    share = f'<div class="share-preview"><p>{STANDFIRST}</p></div>'
    html = described(f"<article><h1>Bridge closes</h1>{paras(PROSE)}</article>{share}")
    assert body(html) == PROSE


def test_a_story_written_between_line_breaks_beats_a_short_footer() -> None:
    # An older CMS: the story is the text of a div between <br>s, beside an archive menu and a
    # footer: the div holding the text gets its own vote.
    story = (
        "The night shift of the home-care service found two of its five cars broken into, "
        "the town said on Friday. The batteries were gone and the doors were dented. "
        "Patients booked for the morning are being called to set new times, and the service "
        "expects to run normally again from the afternoon."
    )
    html = (
        "<html><head><title>Bridge closes</title></head><body>"
        '<div class="col-3"><ul><li><a href="/a">May</a></li><li><a href="/b">June</a></li>'
        f'</ul></div><div class="col-9"><p class="title">Bridge closes</p><br><br>{story}<br><br>'
        '</div><div class="bottom"><div class="col-12">Town of Northtown - Town Hall - 1 Market '
        "Street, 12345 Northtown - Phone 555-0100 - Fax 555-0101 - Open Monday to Friday</div>"
        "</div></body></html>"
    )
    assert body(html) == [story]


def test_ad_labels_in_other_languages_are_not_paragraphs() -> None:
    labels = "".join(f"<p>{label}</p>" for label in ("REKLAM", "Werbung", "Publicidad"))
    html = page(f"<article>{paras(PROSE[:2])}{labels}{paras(PROSE[2:])}</article>")
    assert body(html) == PROSE


def test_a_hidden_wrapper_holding_the_story_is_read() -> None:
    # The page's main wrapper is aria-hidden behind an open dialog, or hidden on small screens:
    # hiding most of the page's text is not hiding furniture.
    for wrapper in ('<div aria-hidden="true">', '<div class="d-none d-md-block">'):
        html = page(
            f"{wrapper}<article><h1>Bridge closes</h1>{paras(PROSE)}</article></div>"
            '<div class="modal-dialog">Accept cookies?</div><p hidden>Sign in to comment</p>'
        )
        assert body(html) == PROSE


def test_when_the_best_container_is_all_furniture_the_next_one_is_read() -> None:
    # The best-scoring block holds only lines the reader drops (credit lines full of commas):
    # a second look finds the story instead of an empty record.
    furniture = "".join(f"<p>By Reader {n}, Northtown, retired, aged 6{n}</p>" for n in range(8))
    html = page(
        f'<div class="box">{furniture}</div>'
        f'<div class="story">{"".join(f"<div>{p}</div>" for p in PROSE[:2])}</div>'
    )
    assert body(html)[:2] == PROSE[:2]


def test_a_short_story_under_the_headline_beats_a_long_block_below_the_page() -> None:
    about = (
        "The Gazette is an independent, nonprofit newsroom covering city hall, schools, courts, "
        "businesses and neighborhoods, funded by readers, foundations and a few sponsors."
    )
    html = page(
        f"<main><article><h1>Bridge closes</h1><div>{paras(PROSE[:2])}</div></article></main>"
        f'<div class="region-bottom"><h2>About us</h2>{paras([about] * 4)}</div>'
    )
    assert body(html) == PROSE[:2]


def test_an_embeds_consent_placeholder_is_not_body() -> None:
    consent = (
        '<div class="embed-wrapper js-embed-consent"><h3>Recommended content</h3>'
        "<p>Here you will find external content that complements the article. You can show it "
        "with one click and hide it again.</p><p>I agree to being shown external content.</p></div>"
    )
    html = page(f"<article>{paras(PROSE[:2])}{consent}{paras(PROSE[2:])}</article>")
    assert body(html) == PROSE


def test_read_more_and_reading_time_lines_in_several_languages_are_not_body() -> None:
    lines = ("3 Min Lesezeit", "5 min read", "Czytaj więcej", "Lees ook", "Weiterlesen")
    html = page(f"<article>{paras([*lines[:2], *PROSE[:2], *lines[2:], *PROSE[2:]])}</article>")
    assert body(html) == PROSE


def test_a_line_repeating_an_images_alt_text_is_its_caption() -> None:
    alt = "Engineers inspect a cracked pier under the harbour bridge"
    picture = (
        f'<div class="image-box"><img src="/p.jpg" alt="{alt}"><div class="image-box__info">'
        f"<p>{alt} | Photo: Harbour Authority</p></div></div>"
    )
    html = page(f"<article>{paras(PROSE[:2])}{picture}{paras(PROSE[2:])}</article>")
    assert body(html) == PROSE


def test_a_story_paragraph_an_images_alt_text_repeats_is_kept() -> None:
    # The CMS filled the picture's alt text with the story's lead: the lead, a paragraph in a
    # run of paragraphs, is the story's text, not the picture's caption. A lone line under
    # the picture that repeats the alt text still is its caption.
    picture = f'<figure><img src="/p.jpg" alt="{PROSE[0]}"></figure>'
    caption = (
        f'<div class="pic"><img src="/q.jpg" alt="{PROSE[1][:60]}"><p>{PROSE[1][:60]}</p></div>'
    )
    html = page(f"<article><h1>Bridge closes</h1>{picture}{paras(PROSE)}{caption}</article>")
    assert body(html) == PROSE


def test_a_script_copy_of_the_story_does_not_hide_the_standfirst() -> None:
    # A hydration script early in the body holds the whole story as JSON: only what the page
    # shows places the standfirst before the first paragraph.
    state = '<script>window.__STATE__={"body":"' + " ".join(PROSE) + '"}</script>'
    html = described(
        f'{state}<article><h1>Bridge closes</h1><p class="header__teaser">{STANDFIRST}</p>'
        f'<div class="article-body">{paras(PROSE)}</div></article>'
    )
    assert body(html) == [STANDFIRST, *PROSE]


def test_the_story_goes_on_after_an_inline_read_more_box() -> None:
    # A "Read more" box near the end: its links are dropped, the marker alone, and the last
    # paragraphs after it are still the story's.
    box = '<h3>Read more</h3><ul><li><a href="/a">Ferry fares rise</a></li></ul>'
    html = page(f"<article>{paras(PROSE[:2] * 3)}{box}{paras(PROSE[2:])}</article>")
    assert body(html) == [*PROSE[:2] * 3, *PROSE[2:]]


def test_a_related_box_at_the_end_still_ends_the_story() -> None:
    related = "<h3>Related stories</h3><p>Ferry fares rise</p><p>New bus lanes for Quayside</p>"
    html = page(f"<article>{paras(PROSE)}{related}</article>")
    assert body(html) == PROSE


def test_a_body_taken_from_jsonld_is_opened_by_the_visible_standfirst() -> None:
    ld = {"@type": "NewsArticle", "headline": "Bridge closes", "articleBody": "\n".join(PROSE)}
    html = described(
        f'<script type="application/ld+json">{json.dumps(ld)}</script>'
        f'<article><h1>Bridge closes</h1><h2 class="subtitle">{STANDFIRST}</h2>'
        '<div class="article-body"><p>Loading…</p></div></article>'
    )
    record = scraper.extract(html, url="https://news.example/2024/05/01/bridge")
    assert record.provenance["body"] == "jsonld:articleBody"
    assert list(record.paragraphs) == [STANDFIRST, *PROSE]


def test_a_story_whose_paragraphs_all_carry_furniture_names_is_read_again() -> None:
    # Each paragraph is marked for the ad script ("no-ads": place no ad after it), a name that
    # reads as furniture: the first reading prunes them all and finds nothing, so the page is
    # read again without trusting names. A big menu and the headline stay out.
    menu = "".join(
        f'<li><a href="/service/{i}">Service number {i} for you</a></li>' for i in range(40)
    )
    story = "".join(f'<p class="paragraph no-ads">{p}</p>' for p in PROSE)
    html = page(
        f'<div class="mega"><ul>{menu}</ul></div><div class="page"><h1>Bridge closes</h1>'
        f'<div class="text">{story}</div></div>'
    )
    assert body(html) == PROSE


def test_a_page_without_story_text_is_not_given_one_by_the_second_reading() -> None:
    # A headline over a list of links: neither reading finds a story in it.
    links = "".join(
        f'<li><a href="/2024/05/{i}">Other story number {i} of the day</a></li>' for i in range(12)
    )
    html = page(f'<h1>Bridge closes</h1><div class="list"><ul>{links}</ul></div>')
    record = scraper.extract(html, url="https://news.example/2024/05/01/bridge")
    assert record.paragraphs == ()


def test_a_consent_placeholder_told_by_its_toggle_is_not_body() -> None:
    # Hashed class names say nothing: the checkbox and its label make the box interface.
    consent = (
        '<div class="x7f2"><div class="k9a1"><p class="q1">Recommended editorial content</p>'
        "<p>Here you will find external content chosen by our editors that complements the "
        "article. You can show it with one click and hide it again.</p>"
        '<input id="t1" type="checkbox"><label for="t1">Show external content</label>'
        "<p>I agree to being shown external content. Personal data may be passed on to "
        "third-party platforms.</p></div></div>"
    )
    chart = (
        '<div class="b3"><div class="s1">Harbour traffic 2023</div><div class="w2">'
        "<div>One click for privacy</div><div>To show this chart we use software from a third "
        "party. Your IP address is sent to its servers when you click.</div>"
        "<button>Show charts</button></div></div>"
    )
    html = page(f"<article>{paras(PROSE[:2])}{consent}{chart}{paras(PROSE[2:])}</article>")
    assert body(html) == PROSE


def test_a_button_inside_a_sentence_or_a_section_does_not_hide_the_story() -> None:
    # A stock ticker's "add to watchlist" button sits in a sentence; a carousel's arrow sits in
    # an embedded box inside a section that carries its own subheading and paragraph. (A box
    # widened past them would take the story's words with it.)
    ticker = (
        '<p>Shares of <span class="q"><a href="/q/HB">Harbour Holdings</a><span>'
        "<button></button></span></span> fell after the council voted to close the bridge.</p>"
    )
    section = (
        "<section><h3>What the ferry operator says</h3>"
        f"<p>{PROSE[3]}</p>"
        '<section class="carousel"><div>More on this</div><button title="previous"></button>'
        '<ol><li><a href="/a">Another story</a></li></ol></section></section>'
    )
    html = page(f"<article>{paras(PROSE[:3])}{ticker}{section}</article>")
    assert body(html) == [
        *PROSE[:3],
        "Shares of Harbour Holdings fell after the council voted to close the bridge.",
        "What the ferry operator says",
        PROSE[3],
    ]


def test_a_line_repeating_an_embedded_videos_description_is_its_caption() -> None:
    # The player's caption is a bare <span>, known only by repeating the description the
    # VideoObject gives of itself; the duration beside it is its credit.
    video = (
        '<div class="v1"><script type="application/ld+json">{"@context": "https://schema.org",'
        ' "@type": "VideoObject", "name": "Bridge inspection", "description": "Divers filmed '
        'the cracked piers under the harbour bridge in March."}</script><img src="/v.jpg">'
        "<span>Divers filmed the cracked piers under the harbour bridge in March.</span>"
        "<span>18.04.2024 | 0:21 min</span></div>"
    )
    html = page(f"<article>{paras(PROSE[:2])}{video}{paras(PROSE[2:])}</article>")
    assert body(html) == PROSE


def test_an_audio_version_described_by_the_pages_description_keeps_the_standfirst() -> None:
    # The story read aloud carries the page's description: its words are the standfirst's.
    audio = (
        '<div class="a1"><script type="application/ld+json">{"@type": "AudioObject", '
        f'"description": "{STANDFIRST}"}}</script><audio src="/a.mp3"></audio></div>'
    )
    lead = f'<p class="intro">{STANDFIRST}</p>'
    html = described(f"<article><h1>Bridge closes</h1>{lead}{audio}{paras(PROSE)}</article>")
    assert body(html) == [STANDFIRST, *PROSE]


def test_reviews_and_most_read_lines_in_other_languages_end_the_story() -> None:
    # "Reviews", "Add a review", "Most popular diets" and "Meistgelesen" open furniture as
    # "Comments" and "Most read" do; the short teasers under them are not the story's.
    teasers = [
        "Popular diet for an active life. Up to 10 kg in 14 days.",
        "Simple menu for a week.",
    ]
    for tail in (
        ["Отзывы", "Добавить отзыв", "Самые популярные диеты", *teasers],
        ["Meistgelesen", *teasers],
        ["Kommentare", *teasers],
    ):
        html = page(f"<article>{paras(PROSE)}{paras(tail)}</article>")
        assert body(html) == PROSE, tail


def test_italic_notes_under_the_story_are_not_body() -> None:
    # Who wrote it and where it first ran, set in italics under the last paragraph, is about the
    # story; an italic paragraph the story goes on after is its own (a quoted letter).
    letter = "<p><em>Dear residents, the bridge will close on Monday for the summer.</em></p>"
    notes = (
        "<p><em>Jane Doe is a senior researcher at the Harbour Institute.</em></p>"
        "<p><em>First published in The Coastal Review.</em></p>"
    )
    html = page(f"<article>{paras(PROSE[:2])}{letter}{paras(PROSE[2:])}{notes}</article>")
    assert body(html) == [
        *PROSE[:2],
        "Dear residents, the bridge will close on Monday for the summer.",
        *PROSE[2:],
    ]

"""Bylines and authors: every source, name cleaning, and the traps real pages set."""

from __future__ import annotations

import json
from typing import Any

import pytest

from scraper.extract.byline import Byline, byline, split_names
from scraper.extract.document import parse

URL = "https://www.example-news.com/2024/05/01/story"
H1 = "<h1>Council approves new housing plan after long hearing</h1>"


def page(head: str = "", body: str = "", jsonld: Any = None) -> str:
    script = f'<script type="application/ld+json">{json.dumps(jsonld)}</script>' if jsonld else ""
    return f"<html><head>{head}{script}</head><body>{body}</body></html>"


def run(html: str, site: str | None = None) -> Byline | None:
    return byline(parse(html, URL), site)


@pytest.mark.parametrize(
    ("text", "people"),
    [
        ("By Jane Doe", ["Jane Doe"]),
        ("PMJS - Coordenadoria de TI", []),  # a name never ends in a particle
        ("by jane doe and John Roe", ["John Roe"]),  # a lower-case "name" is not a name
        (
            "BY LISA MASCARO, MARY CLARE JALONICK and ERIC TUCKER",
            ["Lisa Mascaro", "Mary Clare Jalonick", "Eric Tucker"],
        ),
        ("By A. Adams, Bea Brown and Carl Cole", ["A. Adams", "Bea Brown", "Carl Cole"]),
        ("Jane Doe & John Roe", ["Jane Doe", "John Roe"]),
        ("Von Max Mustermann und Erika Musterfrau", ["Max Mustermann", "Erika Musterfrau"]),
        ("Автор: Олена Коваленко і Петро Шевченко", ["Олена Коваленко", "Петро Шевченко"]),
        ("Від Олени Коваленко та Петра Шевченка", ["Олени Коваленко", "Петра Шевченка"]),
        ("Por María García y José López", ["María García", "José López"]),
        ("Par Jean Dupont et Marie Curie", ["Jean Dupont", "Marie Curie"]),
        ("di Mario Rossi", ["Mario Rossi"]),
        ("Door Jan de Vries", ["Jan de Vries"]),
        ("Av Ola Nordmann", ["Ola Nordmann"]),
        ("Jane Doe, Staff Writer", ["Jane Doe"]),
        ("By Tom Harrow, Transport Correspondent", ["Tom Harrow"]),
        ("By Jane Doe jane.doe@example.com", ["Jane Doe"]),
        ("By Jane Doe @janedoe", ["Jane Doe"]),
        ("By Jane Doe Updated 3 hours ago", ["Jane Doe"]),
        (
            "By Mike Wuerthele and Malcolm Owen Monday, November 18, 2019",
            ["Mike Wuerthele", "Malcolm Owen"],
        ),
        ("By April Ryan", ["April Ryan"]),  # a month's name as a given name
        ("Analysis by Chris Cillizza, CNN Editor-at-large", ["Chris Cillizza"]),
        ("Kevin Johnson and Kevin McCoy USA TODAY", ["Kevin Johnson", "Kevin McCoy"]),
        ("Sandee LaMotte, CNN", ["Sandee LaMotte"]),
        ("Troy L. Smith, Cleveland.com", ["Troy L. Smith"]),
        ("By Regan", ["Regan"]),
        ("Reuters, Washington", []),  # an agency and a dateline
        ("Photo: AP/Mark Lennox", []),
        ("Reviewed by Dr. Alan Pierce, MD", []),
        ("Fact-checked by John Roe", []),
        ("Share this article", []),
        ("", []),
    ],
)
def test_split_names_people(text: str, people: list[str]) -> None:
    assert split_names(text).people == people


@pytest.mark.parametrize(
    ("text", "orgs"),
    [
        ("By Jane Doe and John Roe, Reuters", ["Reuters"]),
        ("Reuters", ["Reuters"]),
        ("AP staff", ["AP"]),
        ("The Associated Press", ["The Associated Press"]),
        ("Tom Davies Associated Press", ["Associated Press"]),
        ("By Staff Reports", ["Staff Reports"]),
    ],
)
def test_split_names_organisations(text: str, orgs: list[str]) -> None:
    assert split_names(text).orgs == orgs


def test_split_names_answers_are_fresh_lists() -> None:
    # Answers are kept for repeated texts: changing one must not change the next.
    first = split_names("By Jane Doe, Reuters")
    first.people.append("John Roe")
    first.orgs.clear()
    again = split_names("By Jane Doe, Reuters")
    assert (again.people, again.orgs) == (["Jane Doe"], ["Reuters"])


def test_jsonld_person_list_and_graph_references() -> None:
    graph = {
        "@graph": [
            {
                "@type": "NewsArticle",
                "headline": "H",
                "author": [{"@id": "#p1"}, {"@type": "Person", "name": "Bea Brown"}, "Carl Cole"],
            },
            {"@type": "Person", "@id": "#p1", "name": "Ann Adams", "url": "https://x/a"},
        ]
    }
    assert run(page(jsonld=graph)) == Byline(
        None, ("Ann Adams", "Bea Brown", "Carl Cole"), "jsonld"
    )


def test_visible_byline_names_people_and_their_agency_when_jsonld_names_the_agency() -> None:
    article = {"@type": "NewsArticle", "author": {"@type": "Organization", "name": "Reuters"}}
    html = page(
        jsonld=article,
        body=f'<article>{H1}<p class="byline">By Jane Doe and John Roe, Reuters</p></article>',
    )
    assert run(html) == Byline(
        "By Jane Doe and John Roe, Reuters", ("Jane Doe", "John Roe", "Reuters"), "byline"
    )


def test_an_affiliation_beside_a_person_is_not_an_author() -> None:
    html = page(body=f'<article>{H1}<p class="byline">By Jane Doe, Example Times</p></article>')
    assert run(html) == Byline("By Jane Doe, Example Times", ("Jane Doe",), "byline")


def test_an_agency_beside_linked_names_is_credited() -> None:
    html = page(
        body=f'<article>{H1}<p class="byline">Von <a href="/autor/lea-sommer">Lea Sommer</a>'
        " und dpa</p></article>"
    )
    assert run(html) == Byline("Von Lea Sommer und dpa", ("Lea Sommer", "dpa"), "byline")


def test_jsonld_lists_an_agency_person_beside_a_reporter() -> None:
    article = {
        "@type": "NewsArticle",
        "author": [{"@type": "Person", "name": "Reuters"}, {"@type": "Person", "name": "Tom Ek"}],
    }
    assert run(page(jsonld=article, body=H1)) == Byline(None, ("Tom Ek", "Reuters"), "jsonld")


def test_agency_only_when_no_person_is_named() -> None:
    html = page(body=f'<article>{H1}<div class="byline">By Reuters</div></article>')
    assert run(html) == Byline("By Reuters", ("Reuters",), "byline")


def test_the_site_credited_alone_is_the_author() -> None:
    site = "Harbor Gazette"
    article = {"@type": "NewsArticle", "author": {"@type": "Organization", "name": site}}
    html = page(
        f'<meta name="author" content="{site}">', f'{H1}<p class="byline">By {site}</p>', article
    )
    assert run(html, site) == Byline(f"By {site}", (site,), "jsonld")


def test_a_typed_organisation_keeps_its_name_as_written() -> None:
    for name in ("ndr.de", "mbl.is", "दैनिक भास्कर", "DER SPIEGEL"):
        org = {"@type": "NewsMediaOrganization", "name": name}
        article = {"@type": "NewsArticle", "author": org}
        assert run(page(jsonld=article, body=H1)) == Byline(None, (name,), "jsonld")


def test_the_site_is_not_added_beside_a_person() -> None:
    article = {"@type": "NewsArticle", "author": {"@type": "Organization", "name": "Gazette"}}
    html = page(jsonld=article, body=f'{H1}<p class="byline">By Ann Lee</p>')
    assert run(html, "Gazette") == Byline("By Ann Lee", ("Ann Lee",), "byline")


def test_meta_sources_skip_urls() -> None:
    head = (
        '<meta property="article:author" content="https://www.facebook.com/janedoe">'
        '<meta name="parsely-author" content="Jane Doe">'
        '<meta name="parsely-author" content="John Roe">'
    )
    assert run(page(head)) == Byline(None, ("Jane Doe", "John Roe"), "meta:parsely-author")
    assert run(page('<meta name="byl" content="By Kenji Watanabe">')) == Byline(
        "By Kenji Watanabe", ("Kenji Watanabe",), "meta:byl"
    )
    assert run(page('<meta name="dc.creator" content="Ann Adams">')).authors == ("Ann Adams",)


def test_microdata_author_with_name_inside() -> None:
    html = page(
        body=f'<div itemscope itemtype="https://schema.org/Article">{H1}'
        '<span itemprop="author" itemscope itemtype="https://schema.org/Person">By '
        '<span itemprop="name">Ellen Marsh</span></span></div>'
    )
    assert run(html) == Byline("By Ellen Marsh", ("Ellen Marsh",), "microdata")


def test_microdata_author_of_a_comment_is_not_the_author() -> None:
    html = page(
        body=f"{H1}<p>Story.</p>"
        '<div itemscope itemtype="https://schema.org/Comment">'
        '<span itemprop="author">Commenter Person</span></div>'
    )
    assert run(html) is None


def test_rel_author_link() -> None:
    html = page(
        body=f'<article>{H1}<p>Filed by <a rel="author" href="/x">Ann Adams</a></p></article>'
    )
    assert run(html) == Byline(None, ("Ann Adams",), "rel=author")


def test_raw_byline_leaves_out_the_date_element_and_credit() -> None:
    html = page(
        body=f'<article><header>{H1}<div class="article-byline">'
        '<span class="article-byline-author">by <a href="/author/asami/">Asami Terajima</a></span>'
        '<span class="photo-credit">Photo: AP/Mark Lennox</span>'
        '<time datetime="2022-02-01">February 1, 2022 11:46 pm</time></div></header></article>'
    )
    assert run(html) == Byline("by Asami Terajima", ("Asami Terajima",), "byline")


def test_submitted_by_on_date() -> None:
    html = page(
        body=f'{H1}<article><footer><div class="node__submitted">Submitted by '
        '<a href="/user/37" class="username">Margaret Hollis</a> on '
        '<time datetime="2023-03-14T13:20:00Z">Tue, 03/14/2023</time></div></footer>'
        f"<p>{'Story text. ' * 60}</p></article>"
    )
    assert run(html) == Byline("Submitted by Margaret Hollis", ("Margaret Hollis",), "byline")


def test_bylines_in_furniture_are_ignored() -> None:
    html = page(
        body='<header class="site-header"><div class="byline">By Masthead Person</div></header>'
        f"<main><article>{H1}<p>Story text.</p></article>"
        '<aside class="related"><article><h3>Other</h3><p class="byline">By Other Writer</p>'
        "</article></aside>"
        '<div class="comments"><span class="comment-author">Comment Writer</span></div></main>'
    )
    assert run(html) is None


def test_hover_card_and_social_links_are_not_in_the_raw_byline() -> None:
    html = page(
        body=f'{H1}<div class="byline">By <span class="name">Sarah Needleman</span>'
        '<ul class="author-info"><li class="info-name">Sarah Needleman</li>'
        '<li><a href="https://twitter.com/sn">Follow on Twitter</a></li></ul>'
        '<div class="author-flyout"><a href="/a">View author archive</a> '
        '<a href="/rss">Get author RSS feed</a></div></div>'
    )
    assert run(html) == Byline("By Sarah Needleman", ("Sarah Needleman",), "byline")


def test_visible_byline_naming_more_authors_overrules_jsonld() -> None:
    article = {"@type": "NewsArticle", "author": {"@type": "Person", "name": "Stefan Becket"}}
    html = page(
        jsonld=article,
        body=f'{H1}<p class="byline">By Stefan Becket, Kathryn Watson, Grace Segers</p>',
    )
    assert run(html).authors == ("Stefan Becket", "Kathryn Watson", "Grace Segers")


def test_linked_visible_byline_overrules_a_foreign_jsonld_author() -> None:
    article = {"@type": "NewsArticle", "author": {"@type": "Person", "name": "Posting Account"}}
    html = page(
        jsonld=article,
        body=f'{H1}<span class="byline">By <a href="/authors/david-jeans/">David Jeans</a></span>',
    )
    assert run(html) == Byline("By David Jeans", ("David Jeans",), "byline")


def test_unlinked_visible_byline_does_not_overrule_jsonld() -> None:
    article = {"@type": "NewsArticle", "author": {"@type": "Person", "name": "Bruce Lee"}}
    html = page(jsonld=article, body=f'{H1}<div class="byline">Healthcare</div>')
    assert run(html).authors == ("Bruce Lee",)


def test_authors_are_deduplicated_in_page_order() -> None:
    html = page('<meta name="author" content="Ann Adams, Bea Brown, ann adams">')
    assert run(html).authors == ("Ann Adams", "Bea Brown")


def test_byline_never_touches_the_tree() -> None:
    html = page(body=f'{H1}<p class="byline">By Ann Adams</p>')
    doc = parse(html, URL)
    before = doc.tree.html
    byline(doc, None)
    assert doc.tree.html == before


# Bylines marked only by a label, credit lines, and organisations offered as people.
STORY = "<p>" + "Der Gemeinderat hat am Abend über den Haushalt beraten und vieles vertagt. " * 3
STORY += "</p>"


@pytest.mark.parametrize(
    ("text", "people"),
    [
        ("Text: Jan Berg", ["Jan Berg"]),
        ("Erstellt von Max Muster", ["Max Muster"]),
        ("Ein Kommentar von Max Muster", ["Max Muster"]),
        ("Autorin/Autor: Lea Wagner", ["Lea Wagner"]),
        ("Autor/Autorka: Jan Novák", ["Jan Novák"]),
        ("Yazar: Ahmet Yılmaz", ["Ahmet Yılmaz"]),
        ("Text und Fotos: Jan Berg", ["Jan Berg"]),
        ("Von Anna Martel, Nairobi", ["Anna Martel"]),
        ("Von Anna Martel, Chefreporterin", ["Anna Martel"]),
        ("Von unserem Redakteur Max Muster", ["Max Muster"]),
        ("Von unserer Berliner Korrespondentin Anna Martel", ["Anna Martel"]),
        ("Anna Martel (Text) und Lea Wagner (Fotos)", ["Anna Martel"]),  # not the photographer
        ("(Anna Martel/dpa)", ["Anna Martel"]),
        ("Mit Material von dpa", []),
        ("Der Spiegel", []),  # a publication's title, not a person
        ("Deutsche Welle (www.dw.com)", []),  # an outlet and its web address
        ("Online-Redaktion", []),
        ("By Jill Dise, CNN Business", ["Jill Dise"]),  # an outlet after the comma
        ("Tanza Lauden, Business Insider", ["Tanza Lauden"]),
        ("배윤경 기자", ["배윤경"]),  # the role after a Korean name
        ("Von Max Muster, Volontär", ["Max Muster"]),
        ("Max Muster, freier Mitarbeiter", ["Max Muster"]),
    ],
)
def test_split_names_labels_and_roles(text: str, people: list[str]) -> None:
    assert split_names(text).people == people


@pytest.mark.parametrize(
    ("text", "orgs"),
    [
        ("(sid/dpa)", ["sid", "dpa"]),
        ("Mit Material von dpa", ["dpa"]),
        ("Deutsche Welle (www.dw.com)", ["Deutsche Welle"]),
    ],
)
def test_split_names_agencies_and_outlets(text: str, orgs: list[str]) -> None:
    assert split_names(text).orgs == orgs


def test_german_label_byline_without_a_byline_class() -> None:
    html = page(
        body=f'<article><div class="kopf">{H1}<p class="meta">Von Jana Brückner und Tobias '
        f"Feld, Kassel</p></div>{STORY}{STORY}</article>"
    )
    assert run(html) == Byline(
        "Von Jana Brückner und Tobias Feld, Kassel", ("Jana Brückner", "Tobias Feld"), "byline"
    )


def test_label_in_its_own_element_and_an_outlet_meta_author() -> None:
    html = page(
        '<meta name="author" content="Example News (www.example-news.com)">',
        f"<article>{H1}<p class='intro'>Kurz.</p><ul class='facts'><li><strong>Datum</strong> "
        "28.04.2023</li><li><strong>Autorin/Autor</strong> Roman Hell</li></ul>"
        f"{STORY}</article>",
    )
    assert run(html) == Byline("Autorin/Autor Roman Hell", ("Roman Hell",), "byline")


def test_label_in_a_definition_list() -> None:
    html = page(
        body=f"<article>{H1}<dl><dt>Autor</dt><dd>Piotr Nowak</dd><dt>Datum</dt>"
        f"<dd>12.03.2024</dd></dl>{STORY}</article>"
    )
    assert run(html).authors == ("Piotr Nowak",)


def test_credit_line_after_the_story() -> None:
    html = page(
        body=f"<article>{H1}<div class='text'>{STORY}{STORY}<p>(Maren Kolb/dpa)</p></div></article>"
    )
    assert run(html) == Byline("(Maren Kolb/dpa)", ("Maren Kolb", "dpa"), "byline")
    agency = page(body=f"<article>{H1}<div>{STORY}{STORY}<p>(dpa)</p></div></article>")
    assert run(agency) == Byline("(dpa)", ("dpa",), "byline")


def test_a_credit_in_the_middle_of_the_story_is_not_a_byline() -> None:
    html = page(body=f"<article>{H1}<div>{STORY}<p>(dpa)</p>{STORY}{STORY}</div></article>")
    assert run(html) is None


@pytest.mark.parametrize(
    ("line", "raw", "people"),
    [
        ("Posted on March 3, 2019 by Jane Roe", "by Jane Roe", ("Jane Roe",)),
        (  # the date in a link, the name in another: the line is read as a whole
            "Posted on <a href='/2019/03/03/'>March 3, 2019</a> by <a href='/?p=5'>Jane Roe</a>",
            "by Jane Roe",
            ("Jane Roe",),
        ),
        (  # the date element is left out of the byline text
            "Posted on <time datetime='2019-03-03'>March 3, 2019</time> by Jane Roe",
            "by Jane Roe",
            ("Jane Roe",),
        ),
        ("March 3, 2019 | by Jane Roe", "by Jane Roe", ("Jane Roe",)),
        ("07.11.2023 – Von Anna Schmidt", "Von Anna Schmidt", ("Anna Schmidt",)),
        (
            "Publié le 3 mars 2019 à 10h15 par Marie Dupont",
            "par Marie Dupont",
            ("Marie Dupont",),
        ),
    ],
)
def test_a_date_line_that_names_its_author_after_the_date(
    line: str, raw: str, people: tuple[str, ...]
) -> None:
    html = page(body=f"<article>{H1}<p>{line}</p>{STORY}{STORY}</article>")
    assert run(html) == Byline(raw, people, "byline")


def test_a_year_in_a_sentence_before_by_is_no_dated_byline() -> None:
    html = page(
        body=f"<article>{H1}<p>In 2019 by Contrast Street the council met.</p>{STORY}"
        f"<p>Im Jahr 2019 von Berlin aus gesteuert.</p>{STORY}</article>"
    )
    assert run(html) is None


def test_label_words_inside_sentences_are_not_bylines() -> None:
    html = page(
        body=f"<article>{H1}<p>Mehr dazu <a href='/x'>hier</a> von Anna Martel und Lea "
        f"Wagner.</p><p>Von Anfang an war klar, dass es teuer wird.</p>{STORY}</article>"
    )
    assert run(html) is None


def test_label_bylines_of_other_stories_are_ignored() -> None:
    html = page(
        body=f"<main><article>{H1}{STORY}</article><aside><h3>Mehr zum Thema</h3>"
        "<p>Von Other Writer</p></aside><div class='comments'><p>Von Leser Eins</p></div></main>"
    )
    assert run(html) is None


def test_photo_credit_label_is_not_a_byline() -> None:
    html = page(
        body=f"<article>{H1}<figure><img src='a.jpg'><figcaption>Von Foto Mann</figcaption>"
        f"</figure>{STORY}</article>"
    )
    assert run(html) is None


def test_a_bare_desk_is_no_author_but_a_named_site_is() -> None:
    desk = {"@type": "NewsArticle", "author": {"@type": "Organization", "name": "Lokalredaktion"}}
    assert run(page(jsonld=desk, body=H1)) is None
    site = {"@type": "NewsArticle", "author": {"@type": "Person", "name": "Example News"}}
    found = run(page(jsonld=site, body=H1), "example-news.com")
    assert found == Byline(None, ("Example News",), "jsonld")
    paper = page('<meta name="author" content="Stuttgarter Beispiel-Zeitung">', H1)
    assert run(paper).authors == ("Stuttgarter Beispiel-Zeitung",)  # an outlet, not the site


def test_reportage_article_type_gives_its_author() -> None:
    article = {"@type": "ReportageNewsArticle", "author": [{"@type": "Person", "name": "Ann Lee"}]}
    assert run(page(jsonld=article, body=H1)) == Byline(None, ("Ann Lee",), "jsonld")


def test_test_id_names_a_byline_when_classes_are_hashes() -> None:
    html = page(
        body=f"<article>{H1}<div data-testid='byline-contributors' class='sc-e56a85d5-11'>"
        f"<span class='sc-x1'>Duncan Waller</span></div>{STORY}</article>"
    )
    assert run(html) == Byline("Duncan Waller", ("Duncan Waller",), "byline")


def test_link_to_an_author_page_near_the_headline() -> None:
    html = page(
        body=f"<article>{H1}<div class='sc-1qz44j0-0'><a href='/author/angus-thompsen' "
        "class='sc-1qz44j0-5'>Angus Thompsen</a><div>Friday 22 November 2024</div></div>"
        f"<p>{'Text about <a href=/people/jane-roe>Jane Roe</a> and more. ' * 8}</p></article>"
    )
    assert run(html) == Byline(None, ("Angus Thompsen",), "author-link")


def test_all_names_when_only_some_are_linked() -> None:
    html = page(
        body=f"<article>{H1}<p class='byline'>Von <a href='/autoren/a'>Christa Unger</a>, "
        "<a href='/autoren/b'>Tobias Kern</a>, Laura Weg und Alex Roth</p></article>"
    )
    assert run(html).authors == ("Christa Unger", "Tobias Kern", "Laura Weg", "Alex Roth")


def test_one_author_card_each_is_one_byline() -> None:
    cards = "".join(
        f"<dl class='author'><a href='/author/{i}'><dt class='name'>{name} 기자</dt>"
        f"<dd class='email'>x{i}@example.com</dd></a></dl>"
        for i, name in enumerate(("배윤경", "이상현", "한수진"))
    )
    html = page(body=f"<article><header>{H1}<div class='info'>{cards}</div></header></article>")
    assert run(html).authors == ("배윤경", "이상현", "한수진")


def test_cards_of_other_stories_are_not_merged() -> None:
    cards = "".join(
        f"<div class='card'><h3>Story {i}</h3><p class='author'>By Writer{i} Person</p></div>"
        for i in range(3)
    )
    html = page(body=f"<article>{H1}<p class='byline'>By Ann Adams</p>{cards}</article>")
    assert run(html).authors == ("Ann Adams",)


def test_agency_credit_in_a_dateline_or_closing_the_story() -> None:
    dateline = page(
        body=f"<article>{H1}<p>Hamburg (dpa/lno) - Der Senat hat am Dienstag beschlossen, "
        f"dass die Elbbrücken saniert werden.</p>{STORY}</article>"
    )
    assert run(dateline) == Byline(None, ("dpa",), "credit")
    closing = page(body=f"<article>{H1}{STORY}<p>Das sagte der Sprecher. (AFP)</p></article>")
    assert run(closing).authors == ("AFP",)
    named = page(body=f"<article>{H1}{STORY}<p>Das sagte der Sprecher. (Jan Ohm/dpa)</p></article>")
    assert run(named) == Byline(None, ("Jan Ohm",), "credit")


def test_parentheses_that_are_no_agency_credit() -> None:
    party = page(body=f"<article>{H1}{STORY}<p>Das sagte Anna Berg (SPD)</p></article>")
    assert run(party) is None
    mid = page(body=f"<article>{H1}<p>Der Senat tagte. (dpa)</p>{STORY}{STORY}</article>")
    assert run(mid) is None  # the end of a paragraph in the middle of the story
    teaser = page(
        body=f"<main><article>{H1}{STORY}</article><aside><p>Kiel (dpa) - Anderes.</p></aside>"
        "</main>"
    )
    assert run(teaser) is None
    person = {"@type": "NewsArticle", "author": {"@type": "Person", "name": "Lea Wagner"}}
    assert run(page(body=f"<article>{H1}{STORY}<p>(dpa)</p></article>", jsonld=person)).authors == (
        "Lea Wagner",
    )


def test_photo_caption_credit_is_not_an_agency_credit() -> None:
    html = page(
        body=f"<article>{H1}<div class='caption-text-block'><p>Rafael Nadal celebrates a point "
        "against Karen Khachanov during their Davis Cup match in Madrid, Spain, Tuesday, Nov. "
        f"19, 2019. (Manu Fernan/AP)</p></div>{STORY}{STORY}</article>"
    )
    assert run(html) is None


def test_a_label_line_inside_the_story_is_not_a_byline() -> None:
    html = page(
        body=f"<article>{H1}{STORY}{STORY}<p><strong>Von Mensch zu Mensch</strong></p>{STORY}"
        "</article>"
    )
    assert run(html) is None
    after_lead = page(body=f"<article>{H1}{STORY}<p>Von Jana Brück</p>{STORY}{STORY}</article>")
    assert run(after_lead).authors == ("Jana Brück",)  # a byline after the lead paragraph


def test_a_personal_site_credits_its_owner() -> None:
    article = {"@type": "BlogPosting", "author": {"@type": "Person", "name": "John Doe"}}
    html = page(jsonld=article, body=H1)
    assert byline(parse(html, "https://johndoe.com/trip"), "John Doe") == Byline(
        None, ("John Doe",), "jsonld"
    )

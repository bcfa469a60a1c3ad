"""Author boxes after the story, one per author, and JSON-LD Person data as the fallback."""

from __future__ import annotations

import json
from typing import Any

from scraper.article import AuthorBio
from scraper.extract.bio import author_bios
from scraper.extract.document import parse

URL = "https://kyivindependent.com/putin-says-west/"
BIO = (
    "Asami Terajima is a national reporter at the Kyiv Independent. She previously worked as a "
    "business reporter for the Kyiv Post."
)
CARD = (
    '<section class="author-card"><a href="/author/asami/" class="author-card-image">'
    '<img src="/a.jpg" alt="Asami Terajima"></a><div class="author-card-content">'
    '<h4 class="author-card-name"><a href="/author/asami/">Asami Terajima</a></h4>'
    '<div class="author-card-role">National reporter</div>'
    f'<p class="author-card-bio">{BIO}</p></div></section>'
)
PROMO = (
    '<section class="promo-box"><h3>Independent journalism for an independent Ukraine</h3>'
    "<p>Independence is an expensive currency. Support Ukraine's trusted journalism.</p>"
    "</section>"
)


def page(body: str = "", jsonld: Any = None) -> str:
    script = f'<script type="application/ld+json">{json.dumps(jsonld)}</script>' if jsonld else ""
    return f"<html><head>{script}</head><body><h1>Headline</h1><p>Story.</p>{body}</body></html>"


def bios(html: str, authors: tuple[str, ...] = ()) -> tuple[AuthorBio, ...]:
    return author_bios(parse(html, URL), authors)


def test_author_card_gives_name_role_bio_and_absolute_url() -> None:
    assert bios(page(CARD + PROMO), ("Asami Terajima",)) == (
        AuthorBio(
            "Asami Terajima", "National reporter", BIO, "https://kyivindependent.com/author/asami/"
        ),
    )


def test_promo_box_alone_is_no_author_box() -> None:
    assert bios(page(PROMO)) == ()


def test_several_boxes_one_per_author_in_page_order() -> None:
    boxes = "".join(
        f'<div class="author-bio"><h3 class="author-bio__name"><a href="/people/{slug}/">{name}</a>'
        f'</h3><p class="author-bio__title">{role}</p><p class="author-bio__text">{name} covers '
        "public spending and procurement for the Review.</p>"
        f'<p class="author-bio__contact"><a href="mailto:{slug}@x.org">{slug}@x.org</a></p></div>'
        for name, slug, role in (
            ("Amara Nwosu", "amara", "Investigative Reporter"),
            ("Pieter de Vries", "pieter", "Data Reporter"),
        )
    )
    found = bios(
        page(f'<section class="story-authors"><h2>About the authors</h2>{boxes}</section>'),
        ("Amara Nwosu", "Pieter de Vries"),
    )
    assert [(b.name, b.role, b.url) for b in found] == [
        ("Amara Nwosu", "Investigative Reporter", "https://kyivindependent.com/people/amara/"),
        ("Pieter de Vries", "Data Reporter", "https://kyivindependent.com/people/pieter/"),
    ]
    assert found[0].bio == "Amara Nwosu covers public spending and procurement for the Review."


def test_box_name_takes_the_bylines_spelling() -> None:
    box = (
        '<div class="about-author"><h4>About Jane Doe</h4>'
        "<p>Jane Doe writes about courts, prisons and the people caught between them.</p></div>"
    )
    assert [b.name for b in bios(page(box), ("Jane Doe",))] == ["Jane Doe"]


def test_jsonld_person_when_the_page_has_no_box() -> None:
    article = {
        "@type": "NewsArticle",
        "author": {"@id": "#p"},
        "@graph": [],
    }
    person = {
        "@type": "Person",
        "@id": "#p",
        "name": "Hannah Okafor",
        "description": "Hannah Okafor covers the environment for the Courier.",
        "url": "/author/hokafor/",
    }
    found = bios(page(jsonld={"@graph": [article, person]}), ("Hannah Okafor",))
    assert found == (
        AuthorBio(
            "Hannah Okafor",
            None,
            "Hannah Okafor covers the environment for the Courier.",
            "https://kyivindependent.com/author/hokafor/",
        ),
    )


def test_jsonld_person_with_only_a_name_is_no_bio() -> None:
    article = {
        "@type": "NewsArticle",
        "author": {"@type": "Person", "name": "Tom Harrow", "url": "/t"},
    }
    assert bios(page(jsonld=article), ("Tom Harrow",)) == ()


def test_jsonld_fills_what_the_box_leaves_out() -> None:
    box = (
        '<div class="author-box"><span class="author-name">Priya Raman</span>'
        "<p>Priya Raman reports on health and science from Chennai for the paper.</p></div>"
    )
    article = {
        "@type": "NewsArticle",
        "author": {
            "@type": "Person",
            "name": "Priya Raman",
            "jobTitle": "Health Editor",
            "url": "https://x.in/priya",
        },
    }
    assert bios(page(box, article), ("Priya Raman",)) == (
        AuthorBio(
            "Priya Raman",
            "Health Editor",
            "Priya Raman reports on health and science from Chennai for the paper.",
            "https://x.in/priya",
        ),
    )


def test_boxes_in_comments_or_hidden_are_ignored() -> None:
    hidden = f'<span style="display: none">{CARD}</span>'
    comments = f'<div class="comments">{CARD}</div>'
    assert bios(page(hidden), ("Asami Terajima",)) == ()
    assert bios(page(comments), ("Asami Terajima",)) == ()


def test_bio_never_touches_the_tree() -> None:
    doc = parse(page(CARD), URL)
    before = doc.tree.html
    author_bios(doc, ("Asami Terajima",))
    assert doc.tree.html == before

"""Classed title: on a page without an h1 or a structured title, the block named the title that
the <title> witnesses is the headline."""

from __future__ import annotations

import pytest

from scraper.extract.classedtitle import classed_title, names_title
from scraper.extract.document import parse
from scraper.extract.titles import held_beside_name, segment_runs, site_keys

URL = "https://www.lakesideledger.example/local/2024/06/12/story"
TITLE = "Summer on the lake - Council backs new ferry timetable | Lakeside Ledger"
STORY = "<p>" + "Ferries will leave every twenty minutes from the first of July. " * 4 + "</p>"


def found(body: str, title: str = TITLE) -> str | None:
    html = f"<html><head><title>{title}</title></head><body>{body}</body></html>"
    cand = classed_title(parse(html, URL), None)
    return cand.value if cand else None


def test_segment_runs_are_every_run_of_consecutive_segments() -> None:
    runs = segment_runs("A long first part | Second part – Site")
    assert sorted(runs.values(), key=len) == [
        "Site",
        "Second part",
        "A long first part",
        "Second part – Site",
        "A long first part | Second part",
        "A long first part | Second part – Site",
    ]


def test_held_beside_name_only_when_the_rest_is_the_sites_name() -> None:
    keys = site_keys(None, URL)
    beside = "Council backs timetable | Lakeside Ledger"
    assert held_beside_name("Council backs timetable", beside, keys)
    assert not held_beside_name("Council backs new ferry timetable", TITLE, keys)
    assert not held_beside_name("Something else", TITLE, keys)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("article-title", True),
        ("entry_title", True),
        ("storyHeadline", True),
        ("c-contentHeader__headline", True),
        ("artikel-titel", True),
        ("site-title", False),
        ("widget-title", False),
        ("menu-heading", False),
        ("sidebar__title", False),
        ("subtitle", False),
        ("article-subheadline", False),
        ("teaser-title", False),
        ("byline", False),
    ],
)
def test_names_title(value: str, expected: bool) -> None:
    assert names_title(value) is expected


def test_a_block_repeating_a_run_of_the_title_is_the_headline() -> None:
    body = f'<div class="story-headline">Council backs new ferry timetable</div>{STORY}'
    assert found(body) == "Council backs new ferry timetable"


def test_a_block_rewording_the_title_is_the_headline() -> None:
    # The title rewritten for search: most of the block's words are the title's.
    title = "Council backs ferry timetable for summer: what changes | Lakeside Ledger"
    body = f'<div class="article-title">Council backs new ferry timetables for summer</div>{STORY}'
    assert found(body, title) == "Council backs new ferry timetables for summer"


def test_the_element_repeating_the_title_is_taken_from_a_block_with_a_kicker() -> None:
    body = (
        '<div class="entry-title"><span>Transport</span> '
        f"<span>Council backs new ferry timetable</span></div>{STORY}"
    )
    assert found(body) == "Council backs new ferry timetable"


@pytest.mark.parametrize(
    "body",
    [
        # A part of the title: the title, with its kicker, says more.
        '<div class="article-title">Council backs new ferry</div>',
        # Too few of its words are the title's.
        '<div class="article-title">Regatta returns to the lake after two years away</div>',
        # Titles of the site, of a widget, or of a block in furniture.
        '<div class="site-title">Council backs new ferry timetable</div>',
        '<div class="widget-title">Council backs new ferry timetable</div>',
        '<aside><div class="article-title">Council backs new ferry timetable</div></aside>',
        '<div class="article-title" hidden>Council backs new ferry timetable</div>',
        # The site's name is no headline.
        '<div class="header-title">Lakeside Ledger</div>',
        # A page with an h1 is left to the heading rules.
        '<h1>Other</h1><div class="article-title">Council backs new ferry timetable</div>',
    ],
)
def test_no_headline_from_blocks_the_title_does_not_witness(body: str) -> None:
    assert found(body + STORY) is None


def test_text_the_title_holds_beside_the_sites_name_only_is_left_to_the_title() -> None:
    body = f'<div class="article-title">Council backs new ferry timetable</div>{STORY}'
    assert found(body, "Council backs new ferry timetable | Lakeside Ledger") is None

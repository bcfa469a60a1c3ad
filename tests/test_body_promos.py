"""Body lines that speak to the reader about the page, not the story: paywall remainders,
reading time, bare byline labels and credits, calls to action, and the author's note under a
story."""

from __future__ import annotations

import pytest

import scraper
from scraper.article import AuthorBio
from scraper.extract.bio import with_closing_note
from scraper.extract.notes import closing_bio
from scraper.extract.promos import is_cta_line, is_meta_line, is_paywall_line
from tests.test_body import PROSE, body, page, paras

OFFER = ["Subscribe now", "First month free, then 9.99 a month. Cancel any time."]


@pytest.mark.parametrize(
    "line",
    [
        "Pozostało jeszcze 89% artykułu",
        "Il reste 62% de l'article à lire",
        "The rest of this article is for subscribers",
        "Weiterlesen mit Abo",
        "有料会員になると会員限定の有料記事もお読みいただけます。",
    ],
)
def test_a_paywall_remainder_line_ends_the_story(line: str) -> None:
    # The free part, the line, then the offer: the story ends at the line.
    html = page(f"<article>{paras(PROSE)}<p>{line}</p>{paras(OFFER)}</article>")
    assert body(html) == PROSE


def test_a_paywall_line_with_the_story_going_on_is_dropped_alone() -> None:
    html = page(
        f"<article>{paras(PROSE[:1])}<p>The rest of this article is for subscribers</p>"
        f"{paras(PROSE[1:])}</article>"
    )
    assert body(html) == PROSE


@pytest.mark.parametrize(
    "line",
    [
        "Only 12% of the forest remaining is protected, the survey says.",
        "Sales of the magazine fell 40% last year, its owners said on Monday.",
    ],
)
def test_a_story_line_with_a_percentage_is_not_a_paywall_line(line: str) -> None:
    assert not is_paywall_line(line)
    assert body(page(f"<article>{paras(PROSE)}<p>{line}</p></article>")) == [*PROSE, line]


@pytest.mark.parametrize(
    "line",
    ["Lesezeit: 2 Min.", "Von", "| Published 1 day ago", "Quelle: dpa", "Source: AFP"],
)
def test_reading_time_bare_labels_and_credits_are_left_out(line: str) -> None:
    assert is_meta_line(line)
    html = page(
        f"<article><p>{line}</p>{paras(PROSE[:2])}<p>{line}</p>{paras(PROSE[2:])}</article>"
    )
    assert body(html) == PROSE


def test_a_sentence_about_a_source_is_kept() -> None:
    line = "Source: a police spokesman, who asked not to be named, confirmed the arrests."
    assert not is_meta_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "Folgen Sie uns auf Instagram und Facebook",
        "Suivez-nous sur Instagram",
        "Síguenos en WhatsApp",
        "Download our app for breaking news alerts",
        "NTV uygulamasını indirin, gelişmelerden haberdar olun",
    ],
)
def test_calls_to_action_are_left_out(line: str) -> None:
    assert is_cta_line(line)
    html = page(f"<article>{paras(PROSE[:2])}<p>{line}</p>{paras(PROSE[2:])}</article>")
    assert body(html) == PROSE


def test_a_sentence_that_opens_with_a_verb_like_a_call_is_kept() -> None:
    assert not is_cta_line("Following the vote, the council adjourned until June.")


AUTHORS = ("Jane Doe", "Tom Roe")


def test_the_authors_note_under_the_story_is_left_out() -> None:
    bio = "Jane Doe is a senior researcher at the Institute for Urban Studies."
    paragraphs = [*PROSE, bio, "Tom Roe"]
    assert closing_bio(paragraphs, AUTHORS) == 2
    html = page(
        "<article><h1>Bridge closes</h1>"
        '<p class="byline">By <a href="/a/jane" rel="author">Jane Doe</a> and '
        '<a href="/a/tom" rel="author">Tom Roe</a></p>'
        f"{paras(PROSE)}<p>{bio}</p></article>"
    )
    record = scraper.extract(html, url="https://news.example/2024/05/01/bridge")
    assert record.authors == AUTHORS
    assert list(record.paragraphs) == PROSE
    # Left out of the body, the note is kept as the author's bio, not lost.
    assert [(b.name, b.bio) for b in record.author_bios] == [("Jane Doe", bio)]


def test_an_authors_note_does_not_replace_a_bio_the_page_gives() -> None:
    given = AuthorBio(name="Jane Doe", role="Reporter", bio="Jane covers transport.")
    bare = AuthorBio(name="Tom Roe", role="Editor", url="https://news.example/a/tom")
    note = "Jane Doe is a senior researcher at the Institute for Urban Studies."
    assert with_closing_note((given,), note, AUTHORS) == (given,)
    # An author box without a biography is completed, its role and link kept.
    tom = "Tom Roe is the paper's transport editor."
    assert with_closing_note((given, bare), tom, AUTHORS) == (
        given,
        AuthorBio(name="Tom Roe", role="Editor", bio=tom, url="https://news.example/a/tom"),
    )
    assert with_closing_note((), "Ann Lee is a teacher.", AUTHORS) == ()


def test_an_authors_name_opening_the_story_or_a_quote_is_kept() -> None:
    # The author quoted early, or another person's note: not the closing note on the writer.
    assert closing_bio(["Jane Doe is here, she said.", *PROSE * 2], AUTHORS) == 0
    assert closing_bio([*PROSE, "Ann Lee is a teacher at the school."], AUTHORS) == 0
    # A long paragraph after the name: the story goes on.
    assert closing_bio([*PROSE, "Jane Doe is tired.", " ".join(PROSE * 2)], AUTHORS) == 0

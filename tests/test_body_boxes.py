"""Boxes in the story that are not the story, told by their markup: a sign-up box naming
itself in its aria-label, a picture's caption and credit in the picture's small box, an info
box or fact box beside the story."""

from __future__ import annotations

import pytest

from tests.test_body import PROSE, body, page, paras


def test_a_sign_up_box_whose_aria_label_names_a_newsletter_is_left_out_heading_and_all() -> None:
    # Hashed class names; its heading stops the box around the button short of the whole box,
    # but the box names itself to screen readers.
    box = (
        '<section aria-label="Newsletter Anmeldung" class="p-4 shadow-md"><h3>Inside City Hall'
        "</h3><p>Behind the scenes of local politics, every Friday in your inbox, free.</p>"
        '<div class="x9"><input type="email"><button>Sign up</button></div></section>'
    )
    html = page(f"<article>{paras(PROSE[:2])}{box}{paras(PROSE[2:])}</article>")
    assert body(html) == PROSE


def test_a_labelled_box_around_a_control_that_is_not_furniture_keeps_its_heading() -> None:
    box = (
        '<section aria-label="Flood map" class="p-4"><h3>Where the river rose</h3>'
        "<p>The water reached the old mill and the station, the survey shows.</p>"
        '<div class="x9"><select><option>2024</option></select></div></section>'
    )
    html = page(f"<article>{paras(PROSE[:2])}{box}{paras(PROSE[2:])}</article>")
    assert "Where the river rose" in body(html)


def test_a_box_whose_aria_label_names_the_story_is_read() -> None:
    html = page(f'<article><div aria-label="Article text">{paras(PROSE)}</div></article>')
    assert body(html) == PROSE


def test_a_caption_and_credit_in_a_pictures_box_are_left_out() -> None:
    # Hashed class names, no alt text to compare with: the box around the picture tells.
    box = (
        '<div class="sc-a1"><div class="sc-b2"><picture><img src="/p.jpg"></picture>'
        '<div class="sc-c3">The old bridge from the harbour wall</div>'
        '<div class="sc-d4">Getty Images</div></div></div>'
    )
    html = page(
        f"<article><h1>Bridge closes</h1>{paras(PROSE[:2])}{box}{paras(PROSE[2:])}</article>"
    )
    assert body(html) == PROSE


def test_a_short_story_beside_its_lead_picture_is_read() -> None:
    # The story's own container holds a picture and little text: the root is never a box.
    story = PROSE[:2]
    html = page(f'<div class="post"><img src="/p.jpg">{paras(story)}</div>')
    assert body(html) == story


def test_a_paragraph_with_an_inline_picture_is_read() -> None:
    line = 'The mayor <img src="/e.png" alt=""> cut the ribbon on Friday morning, ending the work.'
    html = page(f"<article>{paras(PROSE)}<div><p>{line}</p><p>{PROSE[0]}</p></div></article>")
    assert "The mayor cut the ribbon on Friday morning, ending the work." in body(html)


@pytest.mark.parametrize("cls", ["infobox", "info-box"])
def test_an_info_box_beside_the_story_is_left_out(cls: str) -> None:
    box = (
        f'<div class="{cls} border"><h3>The bridge in numbers</h3><ul><li>Built in 1890</li>'
        "<li>Last repaired in 1975</li><li>12,000 crossings a day</li></ul></div>"
    )
    html = page(f"<article>{paras(PROSE[:2])}{box}{paras(PROSE[2:])}</article>")
    assert body(html) == PROSE


def test_a_teaser_for_another_story_is_left_out_summary_and_all() -> None:
    # Opaque class names: the small box's heading is all link, so its summary line is the
    # other story's, not this one's; a fact box with a heading of its own stays.
    teaser = (
        '<div class="q7"><div class="q8"><h3>'
        '<a href="/2024/05/02/ferries">Ferries to sail every twenty minutes</a></h3>'
        "<p>The operator adds two boats to the crossing while the bridge is shut.</p></div></div>"
    )
    facts = (
        '<div class="q9"><h3>The bridge in numbers</h3>'
        "<p>Opened in 1962, it carries twelve thousand cars a day over the harbour.</p></div>"
    )
    html = page(
        f"<article><h1>Bridge closes</h1>{paras(PROSE[:2])}{teaser}{paras(PROSE[2:])}"
        f"{facts}</article>"
    )
    assert body(html) == [
        *PROSE,
        "The bridge in numbers",
        "Opened in 1962, it carries twelve thousand cars a day over the harbour.",
    ]

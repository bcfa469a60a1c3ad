"""Boxes in the story that are not the story, told by their markup: a sign-up box naming
itself in its aria-label, a picture's caption and credit in the picture's small box, an info
box or fact box beside the story; and the opening of a split story in a sibling container of
the same class family."""

from __future__ import annotations

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

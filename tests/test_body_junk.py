"""Body junk told by its markup or its own words: screen-reader-only text, punctuation-only
lines, alternative views of the story in tabs, print-only footers, consent leftovers."""

from __future__ import annotations

import pytest

from tests.test_body import PROSE, body, page, paras


@pytest.mark.parametrize("cls", ["go-vh", "u-visually-hidden", "srlabel", "hideCompletely"])
def test_screen_reader_only_text_is_left_out(cls: str) -> None:
    # A box framed for the blind ("Further information ... End of further information"), and
    # where a link opens, said inside a sentence: neither shows on screen.
    html = page(
        f"<article>{paras(PROSE[:2])}"
        f'<div class="infobox"><span class="{cls}">Further information</span>'
        "<p>The bridge was built in 1890 and last repaired in 1975, the city archive says.</p>"
        f'<span class="{cls}">End of further information</span></div>'
        f'<p>Repairs are expected to cost about four million <a href="/c">pounds<span class="{cls}">'
        "(opens in a new window)</span></a> and to last most of the summer.</p>"
        f"{paras(PROSE[3:])}</article>"
    )
    assert body(html) == [
        *PROSE[:2],
        "The bridge was built in 1890 and last repaired in 1975, the city archive says.",
        *PROSE[2:],
    ]


def test_tab_panels_not_on_show_are_left_out() -> None:
    # The story in the active tab; a speed reader and a bulleted summary of the same story in
    # tabs a script shows on click.
    items = "".join(f"<li>{p}</li>" for p in PROSE[:3])
    html = page(
        '<div class="article-body"><h1>Bridge closes</h1><div class="byline">By Ann Lee</div>'
        '<div class="tab-content"><div role="tabpanel" class="tab-pane active" id="long-form">'
        f'{paras(PROSE[:2])}<div class="ad">Advertisement</div>{paras(PROSE[2:])}</div>'
        '<div role="tabpanel" class="tab-pane" id="speed-read"><span>_</span><br><span>¯</span>'
        '</div><div role="tabpanel" class="tab-pane" id="bullets"><div class="bullet-points">'
        f"<h3>Summary</h3><ul>{items}</ul></div></div></div></div>"
    )
    assert body(html) == PROSE


def test_tab_panels_are_read_when_none_is_marked_on_show() -> None:
    # Without a mark of the panel on show, a script may show them all: nothing is dropped.
    html = page(
        f'<article>{paras(PROSE[:2])}<div role="tabpanel">{paras(PROSE[2:3])}</div>'
        f'<div role="tabpanel">{paras(PROSE[3:])}</div></article>'
    )
    assert body(html) == PROSE

"""Body junk told by its markup or its own words: screen-reader-only text, other views of the
story in tabs (a summary, a speed reader), a line naming the page's own address (a print-only
footer), a consent box's fallback link; and code blocks, which keep their lines."""

from __future__ import annotations

import pytest

from tests.test_body import PROSE, body, page, paras


@pytest.mark.parametrize("cls", ["go-vh", "u-visually-hidden", "srlabel", "hideCompletely"])
def test_screen_reader_only_text_is_left_out(cls: str) -> None:
    # A box framed for the blind ("Further information ... End of further information"), and
    # where a link opens, said inside a sentence: neither shows on screen.
    html = page(
        f"<article>{paras(PROSE[:2])}"
        f'<div class="textbox"><span class="{cls}">Further information</span>'
        "<p>The bridge was built in 1890 and last repaired in 1975, the city archive says.</p>"
        f'<span class="{cls}">End of further information</span></div>'
        '<p>Repairs are expected to cost about four million <a href="/c">pounds'
        f'<span class="{cls}">(opens in a new window)</span></a> and to last most of the summer.'
        f"</p>{paras(PROSE[3:])}</article>"
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


def test_a_link_after_an_embeds_consent_box_is_not_the_line_it_announced() -> None:
    # "... tried it at the fair:" announced the video; the consent placeholder stands in its
    # place and its fallback link ("Link to the YouTube content") is the box's, not the story's.
    box = (
        '<div class="embed"><div class="h3">Recommended content</div><p>Here you find external '
        'content from YouTube.</p><input type="checkbox" id="t"><label for="t">Allow</label>'
        '</div><p class="info">Link to the <a href="https://youtube.example/v">YouTube content</a>'
        "</p>"
    )
    html = page(
        f"<article>{paras(PROSE[:2])}<p>Reporters tried the new bridge lights at the fair:</p>"
        f"{box}{paras(PROSE[2:])}</article>"
    )
    assert body(html) == [
        *PROSE[:2],
        "Reporters tried the new bridge lights at the fair:",
        *PROSE[2:],
    ]


def test_a_link_announced_by_the_line_before_stays() -> None:
    html = page(
        f"<article>{paras(PROSE)}<p>Write to the harbour office:</p>"
        '<p><a href="mailto:office@harbour.example">office@harbour.example</a></p></article>'
    )
    assert body(html)[-2:] == ["Write to the harbour office:", "office@harbour.example"]


def test_a_line_naming_the_pages_own_address_is_left_out() -> None:
    # A print-only footer ("This article was printed from: URL") under the story; a line that
    # ends in another address (a source the story cites) stays.
    cited = "The full report is online at https://harbour.example/report-2024"
    html = page(
        f"<article>{paras(PROSE)}<p>{cited}</p>"
        '<div class="clearfix"><span>This article was printed out from the following web address:'
        "</span> <span><a "
        'href="https://news.example/2024/05/01/bridge">https://www.news.example/2024/05/01/bridge'
        "</a></span></div></article>"
    )
    assert body(html) == [*PROSE, cited]


def test_a_code_block_keeps_its_lines_in_one_paragraph() -> None:
    code = "def toll(cars):\n\tif cars > 100:\n\t\treturn 2\n\n\treturn 1\n"
    html = page(
        f"<article>{paras(PROSE[:2])}<pre><code>{code}</code></pre>{paras(PROSE[2:])}</article>"
    )
    block = "def toll(cars):\n    if cars > 100:\n        return 2\n    return 1"
    assert body(html) == [*PROSE[:2], block, *PROSE[2:]]

"""Body extraction on layouts without the usual markup: paragraphs as divs, spans, <br> lines."""

from __future__ import annotations

from tests.test_body import PROSE, body, page

OTHER = [
    "Sign up to our weekly letter and get the best stories of the week in your inbox.",
    "We never share your address with anyone and you can leave the list at any time.",
]


def test_paragraphs_written_as_divs_holding_spans_are_the_story() -> None:
    # Each paragraph is a div whose words sit in a span (component frameworks write so): the
    # div holds no text of its own, yet it is a paragraph, and outvotes a box of two <p>s.
    story = "".join(f"<div><span>{p}</span></div>" for p in PROSE)
    other = "".join(f"<p>{p}</p>" for p in OTHER)
    html = page(f'<div class="k1"><h1>Bridge closes</h1><div class="k2">{story}</div></div>')
    html = html.replace("</body>", f'<div class="k3">{other}</div></body>')
    assert body(html) == PROSE

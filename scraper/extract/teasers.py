"""Teasers for other stories inside the story's container: a small box whose heading is a link
to another page, with a line or two of summary under it.

Pages put "read also" boxes between a story's paragraphs, whatever their (often hashed) class
names. The box's linked heading is dropped as a line of links, but its summary is a plain
paragraph; the box's markup tells it: little text, and a heading that is all link."""

from __future__ import annotations

from selectolax.lexbor import LexborNode

from scraper.extract.document import linked_chars, stripped_text

# A teaser's box holds this much text at most (heading and summary), and is one of the
# paragraph's nearest few ancestors.
MAX_TEASER_BOX_CHARS = 300
TEASER_LEVELS = 3
_HEADINGS = "h2, h3, h4, h5, h6"


def in_teaser_box(
    node: LexborNode, root: LexborNode, seen: dict[int, bool | None] | None = None
) -> bool:
    """The paragraph (node) sits in a small box below the story's root whose first h2-h6 is
    entirely a link: the summary of a teaser for another story. `seen` keeps each box's verdict
    for the caller, who asks again for the box's other paragraphs."""
    seen = {} if seen is None else seen
    box = node.parent
    for _ in range(TEASER_LEVELS):
        if box is None or box.mem_id == root.mem_id or box.tag in ("body", "html"):
            return False
        key = box.mem_id
        if key not in seen:
            seen[key] = _judge(box)
        if (verdict := seen[key]) is not None:
            return verdict
        box = box.parent
    return False


def _judge(box: LexborNode) -> bool | None:
    """True for a teaser's box; False for a box too big to be one, or headed by its own words
    (a fact box, a quote); None for a small box without a heading: its parent may be one."""
    if len(stripped_text(box)) > MAX_TEASER_BOX_CHARS:
        return False
    heading = box.css_first(_HEADINGS)
    return None if heading is None else _all_linked(heading, box)


def _all_linked(heading: LexborNode, box: LexborNode) -> bool:
    """The heading's words are a link's: inside a link in the box (or one around the box), or
    all of them in links."""
    text = len(stripped_text(heading))
    if not text:
        return False
    outer = box.parent.mem_id if box.parent is not None else box.mem_id
    ancestor = heading.parent
    while ancestor is not None:
        if ancestor.tag == "a":
            return True
        if ancestor.mem_id == outer:
            break
        ancestor = ancestor.parent
    return linked_chars(heading) >= text

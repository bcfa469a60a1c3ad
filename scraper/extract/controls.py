"""Boxes built around a control: interface, not the story, whatever their class names say.

A page that holds back an embed until the reader agrees (a video, a podcast, a chart from a
third party) shows a placeholder in the story's place: a title ("Recommended content"), a few
lines on privacy, and a toggle or a button ("Show external content"). Newsletter and app boxes
are built the same way. Their class names are often hashes, so they are told by their control:
the box is the block around a button, checkbox or field that stands on its own (not a word in a
sentence), widened while it stays small. The controls themselves are stripped with the other
elements that never show text, so the boxes are marked before that, and skipped when the story
is read unless they hold much of its text."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract.classnames import is_boilerplate
from scraper.extract.document import stripped_text
from scraper.extract.vocab import INLINE_TAGS, text_beside

CONTROL_ATTR = "data-scraper-control"
_CONTROLS = "button, select, textarea, input:not([type=hidden])"
# A box holds at most this much text: a placeholder's title, its lines and its button.
MAX_BOX_CHARS = 1000
# ... and is looked for this many levels up from its control.
MAX_LEVELS = 6
_TEXT_BLOCKS = frozenset({"p", "li", "dd", "dt", "td", "th", "h2", "h3", "h4", "h5", "h6"})
_HEADINGS = "h1, h2, h3, h4, h5, h6"
_STOP_TAGS = frozenset({"body", "html", "article", "main", "form"})


def mark_control_boxes(tree: LexborHTMLParser) -> None:
    """Mark the box around each free-standing control (see the module's docstring)."""
    body = tree.body
    if body is None:
        return
    # Controls share ancestors: each one's text and headings are counted once.
    sizes: dict[int, int] = {}
    headings: dict[int, int] = {}
    for control in body.css(_CONTROLS):
        box = _labelled_box(control, sizes) or _box(control, sizes, headings)
        if box is not None:
            box.attrs[CONTROL_ATTR] = "1"


def _box(control: LexborNode, sizes: dict[int, int], headings: dict[int, int]) -> LexborNode | None:
    """The largest block around the control that stays under MAX_BOX_CHARS and holds no
    headline, below the story's article; None when the control's own parent is already big."""
    node: LexborNode | None = control
    while node is not None and (node is control or node.tag in INLINE_TAGS):
        if text_beside(node):
            return None  # a button beside a word (a stock ticker's "add to watchlist")
        node = node.parent
    if node is None or node.tag in _TEXT_BLOCKS:
        return None  # inside a paragraph: the paragraph's
    box: LexborNode | None = None
    for _ in range(MAX_LEVELS):
        if node is None or node.tag in _STOP_TAGS:
            break
        size = sizes.get(node.mem_id)
        if size is None:
            size = sizes[node.mem_id] = len(stripped_text(node))
        # The node holds a heading outside the box found so far (the box lies inside it: it
        # holds more headings): a section of the page (the story's, a figure's), not the box.
        if size > MAX_BOX_CHARS or _headings(node, headings) > (
            _headings(box, headings) if box is not None else 0
        ):
            break
        box = node
        node = node.parent
    return box


def _headings(node: LexborNode, counts: dict[int, int]) -> int:
    """How many headings the node holds, counted once per node."""
    key = node.mem_id
    if (found := counts.get(key)) is None:
        found = counts[key] = len(node.css(_HEADINGS))
    return found


# Where the look for a labelled box stops: the story's own containers.
_LABEL_STOP_TAGS = frozenset({"body", "html", "article", "main"})


def _labelled_box(control: LexborNode, sizes: dict[int, int]) -> LexborNode | None:
    """The small ancestor of the control whose aria-label names furniture ("Newsletter
    Anmeldung", "Advertisement"): a sign-up box with hashed class names still names itself to
    screen readers, in the words of the class vocabulary. It is the box, headings, form and
    all, where the climb from the control stops at its form or its heading."""
    node = control.parent
    for _ in range(MAX_LEVELS):
        if node is None or node.tag in _LABEL_STOP_TAGS:
            return None
        label = node.attrs.get("aria-label")
        if label and is_boilerplate(label.lower()):
            size = sizes.get(node.mem_id)
            if size is None:
                size = sizes[node.mem_id] = len(stripped_text(node))
            return node if size <= MAX_BOX_CHARS else None
        node = node.parent
    return None

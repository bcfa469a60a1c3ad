"""The copies of a date element's text for different readers: what the eye reads, what a screen
reader reads.

Meta bars often show a short date to the eye and give screen readers a long one ("<time
aria-hidden="true">30.01.2024</time><span class="sr-only">30. Januar 2024</span>"), or show one
of two spellings by screen size ("<span class="d-sm-none">Nov.</span><span class="d-none
d-sm-inline">November</span> 18, 2019"). Read whole, the copies run together ("30.01.202430.
Januar 2024", "Nov.November 18, 2019") and a date parser reads nothing, or a wrong month; each
copy on its own is the date."""

from __future__ import annotations

from collections.abc import Iterator

from selectolax.lexbor import LexborNode

from scraper.extract.headline import node_text
from scraper.extract.vocab import hidden_class


def _aria_hidden(node: LexborNode) -> bool:
    return node.attributes.get("aria-hidden") == "true"


def _off_screen(node: LexborNode) -> bool:
    value = node.attributes.get("class")
    return bool(value) and hidden_class(value or "")


def copies(node: LexborNode, limit: int) -> Iterator[str]:
    """The element's text as the eye reads it (classes that hide a part, or keep it for
    screen readers, left out), then, when it differs, as a screen reader reads it (aria-hidden
    parts left out); the second is read only when the first is not taken."""
    eye = node_text(node, skip=_off_screen, limit=limit)
    yield eye
    reader = node_text(node, skip=_aria_hidden, limit=limit)
    if reader.strip() and reader != eye:
        yield reader

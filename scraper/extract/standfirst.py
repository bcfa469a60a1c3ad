"""The standfirst (teaser, lead, chapô): the paragraph under the headline that opens the story.

Pages set it apart from the body text, often in the header with the headline, under a class
that reads as furniture ("teaser", "summary"), so the body's container leaves it out. Its
text is also the page's description (JSON-LD, og:description, meta description): a visible
block that opens with the description, before the story's first paragraph, is the standfirst.
One selector query finds it (lexbor matches text in C); nothing is read when there is none."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract.document import clean_text
from scraper.extract.vocab import BLOCK_TAGS, SKIP_TAGS

# The words of the description looked for in the page: enough to be unique, few enough to sit
# in one text node before any link or emphasis.
PROBE_CHARS = 40
MIN_PROBE_CHARS = 15
# How much of the start of the block and of the description must agree.
MATCH_CHARS = 60
MIN_MATCH_CHARS = 20
# A standfirst is a paragraph or two, not the story: a longer block is the story itself.
MAX_STANDFIRST_CHARS = 1200
# Never a standfirst, even when the description repeats its text.
_NOT_LEAD = frozenset({"h1", "title", "head", "script", "style", "noscript", "template", "figure"})


@dataclass(frozen=True)
class Standfirst:
    """The standfirst's text, and the page's text around it to place it against the body."""

    text: str
    page_text: str


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _probe(description: str) -> str | None:
    """The description's first words, cut before anything a CSS string cannot carry plainly."""
    text = " ".join(description.split())
    for bad in ('"', "\\", "\n"):
        if bad in text:
            text = text[: text.index(bad)]
    if len(text) > PROBE_CHARS:
        text = text[:PROBE_CHARS].rsplit(" ", 1)[0]
    return text if len(text) >= MIN_PROBE_CHARS else None


def _block_of(node: LexborNode) -> LexborNode | None:
    """The nearest block element holding node, or None inside a caption, header tag, etc."""
    current: LexborNode | None = node
    while current is not None and current.tag not in BLOCK_TAGS:
        if current.tag in _NOT_LEAD:
            return None
        current = current.parent
    if current is None or current.tag in SKIP_TAGS:
        return None
    ancestor = current.parent
    while ancestor is not None:
        if ancestor.tag in SKIP_TAGS or ancestor.tag in _NOT_LEAD:
            return None
        ancestor = ancestor.parent
    return current


def _agrees(text: str, description: str) -> bool:
    """The block opens with the description (or the description with the block, when it is
    the shorter): a truncated description ("…") still agrees."""
    a, b = _key(text), _key(description).rstrip(".… ")
    k = min(MATCH_CHARS, len(a), len(b))
    return k >= MIN_MATCH_CHARS and a[:k] == b[:k]


def find_standfirst(
    tree: LexborHTMLParser, descriptions: Iterable[str | None], headline: str | None
) -> Standfirst | None:
    """The visible block that opens with one of the page's descriptions. Call it before
    pruning: the block's class often reads as furniture."""
    body = tree.body
    if body is None:
        return None
    title = _key(headline or "")
    for description in dict.fromkeys(d for d in descriptions if d):
        probe = _probe(description)
        if probe is None or _key(description) == title:
            continue
        for node in body.css(f':lexbor-contains("{probe}" i)'):
            block = _block_of(node)
            if block is None:
                continue
            text = clean_text(block.text())
            if len(text) > MAX_STANDFIRST_CHARS or _key(text) == title:
                continue
            if _agrees(text, description):
                return Standfirst(text, _key(body.text()))
    return None


def with_standfirst(paragraphs: list[str], lead: Standfirst | None) -> list[str]:
    """The paragraphs opened by the standfirst, when the body left it out and the page shows
    it before the body's first paragraph."""
    if lead is None or not paragraphs:
        return paragraphs
    lead_key = _key(lead.text)[:MATCH_CHARS]
    if lead_key in _key(" ".join(paragraphs)):
        return paragraphs
    where_lead = lead.page_text.find(lead_key)
    where_body = lead.page_text.find(_key(paragraphs[0])[:MATCH_CHARS])
    if where_lead < 0 or (0 <= where_body < where_lead):
        return paragraphs
    return [lead.text, *paragraphs]

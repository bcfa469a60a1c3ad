"""Pruning: what is never article text, or is not though it shows, removed before the story's
container is chosen, so furniture casts no votes."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract.vocab import (
    DROP_TAGS,
    HIDDEN_CLASS,
    HIDDEN_SELECTOR,
    INLINE_TAGS,
    in_sentence,
    is_unlikely,
    naming_of,
    spared,
)

_KEEP_TAGS = frozenset({"html", "body", "article", "main"})
# A subtree holding this share of the page's text is never pruned, whatever its markup says.
KEEP_SHARE = 0.5
# ... or this share of its text outside links, asked of the subtrees big enough to be asked:
# this share of the page's text (menus and link lists included) and this many characters.
MIN_CHECKED_SHARE = 0.1
MIN_CHECKED_CHARS = 200


def strip_never_text(tree: LexborHTMLParser) -> None:
    """Remove the elements that never show article text: scripts, styles, widgets, media."""
    tree.strip_tags(list(DROP_TAGS))


def prune(tree: LexborHTMLParser) -> None:
    """Remove what is not article text though it shows: hidden elements, and subtrees whose
    class or id names furniture (comments, sidebars, share bars), unless they hold much of the
    page's text (or of its text outside links, which menus do not inflate) or the container
    marked as the article body. Call strip_never_text first."""
    body = tree.body
    if body is None:
        return
    total = len(body.text(strip=True))
    # A "hidden" wrapper holding most of the page's text is the page itself, hidden only until a
    # script reveals it, behind an open dialog (aria-hidden), or on small screens ("d-none
    # d-md-block"): removing it would leave the record empty.
    for node in tree.css(HIDDEN_SELECTOR):
        if node.tag not in _KEEP_TAGS and len(node.text(strip=True)) < KEEP_SHARE * total:
            node.decompose()
    # A page repeats its class names on many nodes: each name is judged once. This loop runs
    # over every classed node, so each node's tag and attributes are read once.
    unlikely: dict[str, bool] = {}
    prose = 0  # the page's text outside links, counted when first needed
    for node in body.css("[class], [id]"):
        tag = node.tag or ""
        if tag in _KEEP_TAGS or node.parent is None or (tag in INLINE_TAGS and in_sentence(node)):
            continue
        attrs = node.attributes
        value = naming_of(tag, attrs)
        if (verdict := unlikely.get(value)) is None:
            verdict = unlikely[value] = is_unlikely(value)
        hidden = bool(HIDDEN_CLASS.search(attrs.get("class") or ""))
        if not (hidden or verdict) or (
            not hidden and (node.css_matches('h1, [itemprop="articleBody"]') or spared(node, value))
        ):
            continue
        text = len(node.text(strip=True))
        if text >= KEEP_SHARE * total:
            continue
        if not hidden and text >= MIN_CHECKED_SHARE * total and text >= MIN_CHECKED_CHARS:
            # Most of what the page says outside links (its menus may hold more text): the
            # story's own wrapper, whatever its name ("print-area", "sponsored-post").
            own = text - _link_chars(node)
            if own >= KEEP_SHARE * text and own >= KEEP_SHARE * (prose := prose or _prose(body)):
                continue
        node.decompose()


def _link_chars(node: LexborNode) -> int:
    return sum(len(a.text(strip=True)) for a in node.css("a"))


def _prose(body: LexborNode) -> int:
    """The page's text outside links (at least 1)."""
    return max(1, len(body.text(strip=True)) - _link_chars(body))

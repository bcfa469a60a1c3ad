"""Pruning: what is never article text, or is not though it shows, removed before the story's
container is chosen, so furniture casts no votes."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

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


def strip_never_text(tree: LexborHTMLParser) -> None:
    """Remove the elements that never show article text: scripts, styles, widgets, media."""
    tree.strip_tags(list(DROP_TAGS))


def prune(tree: LexborHTMLParser) -> None:
    """Remove what is not article text though it shows: hidden elements, and subtrees whose
    class or id names furniture (comments, sidebars, share bars), unless they hold much of the
    page's text or the container marked as the article body. Call strip_never_text first."""
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
    for node in body.css("[class], [id]"):
        tag = node.tag or ""
        if tag in _KEEP_TAGS or node.parent is None or (tag in INLINE_TAGS and in_sentence(node)):
            continue
        attrs = node.attributes
        value = naming_of(tag, attrs)
        if (verdict := unlikely.get(value)) is None:
            verdict = unlikely[value] = is_unlikely(value)
        if (
            HIDDEN_CLASS.search(attrs.get("class") or "")
            or (
                verdict
                and not node.css_matches('h1, [itemprop="articleBody"]')
                and not spared(node, value)
            )
        ) and len(node.text(strip=True)) < KEEP_SHARE * total:
            node.decompose()

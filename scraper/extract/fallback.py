"""The last resort for a page with a headline whose reading gave no text: its densest prose.

Class and id names mislead now and then (a story wrapper named like furniture, a page builder's
own vocabulary), and the first reading then prunes or skips the story and returns nothing, the
worst outcome. Readability retries such a page without trusting the names; so does this: a fresh
parse, only what never shows or is page furniture by its tag or role taken out, the paragraphs'
vote without class weights, and the winner read without skipping named subtrees. Only a result
that reads as a story (enough prose, a sentence) is returned."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from scraper.extract.body import BodyText, extract_paragraphs, linked_headings
from scraper.extract.document import stripped_text
from scraper.extract.prune import strip_never_text
from scraper.extract.vocab import HIDDEN_SELECTOR
from scraper.extract.vote import score_candidates

# Furniture by tag or role, whatever its names: page menus, sidebars, page footers, dialogs.
_FURNITURE = (
    "nav, aside, footer, menu, dialog, [role=navigation], [role=complementary], "
    "[role=contentinfo], [role=dialog]"
)
# What a fallback body needs to be kept: this much text, one paragraph of running prose.
MIN_FALLBACK_CHARS = 200
MIN_PROSE_CHARS = 80
_SENTENCE_END = ".!?…。！？\"'”»)"


def densest_text(tree: LexborHTMLParser, headline: str | None) -> BodyText:
    """The paragraphs of the element holding the page's densest prose, judged without class
    and id names; none when they do not read as a story. Mutates the tree: pass a fresh parse."""
    strip_never_text(tree)
    body = tree.body
    if body is None:
        return BodyText([])
    total = len(stripped_text(body))
    for node in tree.css(f"{HIDDEN_SELECTOR}, {_FURNITURE}"):
        if node.parent is not None and len(stripped_text(node)) < 0.5 * total:
            node.decompose()
    ranked = score_candidates(tree, names=False)
    if not ranked:
        return BodyText([])
    root = ranked[0].node
    paragraphs = extract_paragraphs([root], headline, names=False)
    prose = [p for p in paragraphs if len(p) >= MIN_PROSE_CHARS and p[-1] in _SENTENCE_END]
    if not prose or sum(len(p) for p in paragraphs) < MIN_FALLBACK_CHARS:
        return BodyText([])
    return BodyText(paragraphs, linked_headings([root]))

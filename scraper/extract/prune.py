"""Pruning: what is never article text, or is not though it shows, removed before the story's
container is chosen, so furniture casts no votes."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import cache

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract.classnames import is_body_container, is_unlikely, spared
from scraper.extract.document import linked_chars, stripped_text
from scraper.extract.vocab import (
    DROP_TAGS,
    HIDDEN_SELECTOR,
    INLINE_TAGS,
    class_id_of,
    hidden_class,
    in_sentence,
    naming_of,
)

_KEEP_TAGS = frozenset({"html", "body", "article", "main"})
# A subtree holding this share of the page's text is never pruned, whatever its markup says.
KEEP_SHARE = 0.5
# ... or this share of its text outside links, asked of the subtrees big enough to be asked:
# this share of the page's text (menus and link lists included) and this many characters.
MIN_CHECKED_SHARE = 0.1
MIN_CHECKED_CHARS = 200
# What a furniture-named subtree may not hold to be pruned: the headline or the marked body.
_PROTECTED = 'h1, [itemprop="articleBody"]'


def strip_never_text(tree: LexborHTMLParser) -> None:
    """Remove the elements that never show article text: scripts, styles, widgets, media."""
    tree.strip_tags(list(DROP_TAGS))


def prune(tree: LexborHTMLParser) -> list[LexborNode]:
    """Remove what is not article text though it shows: hidden elements, and subtrees whose
    class or id names furniture (comments, sidebars, share bars), unless they hold much of the
    page's text (or of its text outside links, which menus do not inflate) or the container
    marked as the article body. Call strip_never_text first.

    Returns the elements kept in the body whose class or id names the story's container
    (is_body_container), in document order: choosing the roots asks for them, and this loop
    already reads every classed node's names."""
    body = tree.body
    if body is None:
        return []
    total = len(stripped_text(body))
    # A "hidden" wrapper holding most of the page's text is the page itself, hidden only until a
    # script reveals it, behind an open dialog (aria-hidden), or on small screens ("d-none
    # d-md-block"): removing it would leave the record empty.
    for node in tree.css(HIDDEN_SELECTOR):
        if node.tag not in _KEEP_TAGS and len(stripped_text(node)) < KEEP_SHARE * total:
            node.decompose()
    _drop_inactive_tabs(body, total)
    protected = _holders(body)
    # A page repeats its tags, classes and ids on many nodes: each combination is judged once
    # (hidden by its class, named as furniture, named as the story's container). This loop
    # runs over every classed node, so each node's tag and attributes are read once.
    judged: dict[tuple[str, str | None, str | None], tuple[bool, bool, bool]] = {}
    previous = 0
    prose = cache(lambda: _prose(body))  # the page's text outside links, when first needed
    containers: list[LexborNode] = []
    for node in body.css("[class], [id]"):
        key = node.mem_id
        # A node with both a class and an id is listed twice, in a row: judged once. A node
        # whose parent is gone lies in a subtree removed before it.
        if key == previous or node.parent is None:
            continue
        previous = key
        tag = node.tag or ""
        attrs = node.attributes
        name = (tag, attrs.get("class"), attrs.get("id"))
        if (verdict := judged.get(name)) is None:
            verdict = judged[name] = _judge(tag, attrs)
        hidden, unlikely, container = verdict
        if (
            (hidden or (unlikely and key not in protected))
            and tag not in _KEEP_TAGS
            and _removable(node, tag, attrs, hidden, total, prose)
        ):
            node.decompose()
        elif container:
            containers.append(node)
    return containers


def _removable(
    node: LexborNode,
    tag: str,
    attrs: Mapping[str, str | None],
    hidden: bool,
    total: int,
    prose: Callable[[], int],
) -> bool:
    """True when a hidden or furniture-named node goes: it is not a word of a sentence or a
    page builder's text block, and holds little of the page's text (`total`) and of its text
    outside links (`prose`)."""
    if not hidden and tag in INLINE_TAGS and in_sentence(node):
        return False  # a word of the sentence named like furniture; hidden words never show
    if not hidden and spared(node, naming_of(tag, attrs)):
        return False
    text = len(stripped_text(node))
    if text >= KEEP_SHARE * total:
        return False
    if not hidden and text >= MIN_CHECKED_SHARE * total and text >= MIN_CHECKED_CHARS:
        # Most of what the page says outside links (its menus may hold more text): the
        # story's own wrapper, whatever its name ("print-area", "sponsored-post").
        own = text - linked_chars(node)
        if own >= KEEP_SHARE * text and own >= KEEP_SHARE * prose():
            return False
    return True


# Tab panels, and what marks the one on show.
_TAB_PANELS = '[role="tabpanel"], .tab-pane'
_ACTIVE = re.compile(r"(?:^|[\s_-])(?:active|show|selected|current)(?:\s|$)")


def _drop_inactive_tabs(body: LexborNode, total: int) -> None:
    """Remove the tab panels that a script keeps hidden until their tab is clicked, when a
    sibling panel is marked as the one on show: other views of the story (a summary, a speed
    reader, the comments), never shown with it."""
    groups: dict[int, list[LexborNode]] = {}
    for node in body.css(_TAB_PANELS):
        if node.parent is not None:
            groups.setdefault(node.parent.mem_id, []).append(node)
    for panels in groups.values():
        active = [_ACTIVE.search(p.attributes.get("class") or "") is not None for p in panels]
        if any(active):
            for panel, shown in zip(panels, active, strict=True):
                if not shown and len(stripped_text(panel)) < KEEP_SHARE * total:
                    panel.decompose()


def _judge(tag: str, attrs: Mapping[str, str | None]) -> tuple[bool, bool, bool]:
    """(hidden by its class, named as furniture, named as the story's container) for an
    element's tag and attributes."""
    value = attrs.get("class")
    return (
        bool(value) and hidden_class(value),
        is_unlikely(naming_of(tag, attrs)),
        is_body_container(class_id_of(attrs)),
    )


def _holders(root: LexborNode) -> set[int]:
    """The nodes (mem_id) holding the headline or the marked body, themselves included. The
    loop in prune() asks this of a node before removing anything inside it (document order
    puts a node before its descendants), so one look before the loop answers for all of them
    (it replaces a CSS match per furniture-named node)."""
    found: set[int] = set()
    for node in root.css(_PROTECTED):
        cur: LexborNode | None = node
        while cur is not None and cur.mem_id not in found:
            found.add(cur.mem_id)
            cur = cur.parent
    return found


def _prose(body: LexborNode) -> int:
    """The page's text outside links (at least 1)."""
    return max(1, len(stripped_text(body)) - linked_chars(body))

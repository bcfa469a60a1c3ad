"""Where the story is: the container(s) holding the article text.

Readability's idea, kept small: paragraphs vote for their ancestors by length and commas, votes
are discounted by link density and by what class/id names say, and the winner is widened to
what holds more of the same story: siblings and same-class cousins (an article split by ads
into several containers), the lead paragraph just before its wrapper, a live blog's feed."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract.classnames import furniture_named, named_containers
from scraper.extract.continuation import later_parts
from scraper.extract.document import stripped_text
from scraper.extract.vocab import BLOCK_TAGS, LEAD_WORDS, SKIP_TAGS, class_id, words
from scraper.extract.vote import Candidate, Reading, link_density, score_candidates

# Rivals scoring this share of the top candidate, this many under one ancestor, make the
# ancestor the story (readability's MINIMUM_TOPCANDIDATES).
ALTERNATIVE_SHARE = 0.75
MIN_ALTERNATIVES = 3
# Wrappers looked through for a repeated class, each holding this share of its parent's text.
WRAPPER_LEVELS = 2
SOLE_SHARE = 0.9
TOP_SHARE = 0.5
# Prose a candidate inside the headline's <article> or <main> needs to be the story there.
MIN_SCOPED_CHARS = 150
_SENTENCE_END = re.compile(r"[.!?…。”\"')\]]\s*$")


def _body_containers(
    tree: LexborHTMLParser, named: list[LexborNode] | None = None
) -> list[LexborNode]:
    """Elements whose markup says "this is the article text", outermost first. `named` holds
    the body's elements whose class or id says so, when pruning has found them already."""
    found = tree.css('[itemprop="articleBody"]')
    if found:
        return found
    if named is None:
        return named_containers(tree)
    head = tree.head
    return (named_containers(head) if head is not None else []) + named


def choose_roots(
    tree: LexborHTMLParser, *, live_blog: bool = False, named: list[LexborNode] | None = None
) -> list[LexborNode]:
    """The element(s) holding the story, in document order. On a live blog the story is the
    feed of updates, each in its own repeated container, not the best single update. `named`:
    the body's elements named as the story's container, when pruning found them."""
    reading = Reading()
    ranked = score_candidates(tree, reading=reading)
    top = _common_ancestor(ranked) if ranked else None
    if top is not None:
        top = _within_story(tree, top, ranked, reading)
    top_chars = reading.paragraph_chars(top) if top is not None else 0
    marked = [n for n in _body_containers(tree, named) if n.tag not in ("body", "html")]
    if marked:
        best = max(marked, key=reading.paragraph_chars)
        if top is None or reading.paragraph_chars(best) >= 0.6 * top_chars:
            top = best
    if top is None:
        return [tree.body] if tree.body is not None else []
    if live_blog and (feed := _repeated_parent(top)) is not None:
        return [feed]
    roots = _with_siblings(top, {c.node.mem_id: c.score for c in ranked}, reading)
    if roots[-1].mem_id == top.mem_id:
        roots.extend(later_parts(top))
    return roots


def _within_story(
    tree: LexborHTMLParser, top: LexborNode, ranked: list[Candidate], reading: Reading
) -> LexborNode:
    """The best candidate inside the <article> or <main> that holds the page's h1, when the top
    one lies outside it: a short story beside a long footer or "about us" block (which
    outscores it on length) is still the text under the headline."""
    scope = _headline_scope(tree)
    if (
        scope is None
        or _contains(scope, top)
        or _contains(top, scope)
        or scope.mem_id == top.mem_id
    ):
        return top
    for cand in ranked:
        node = cand.node
        if (_contains(scope, node) or node.mem_id == scope.mem_id) and reading.paragraph_chars(
            node
        ) >= MIN_SCOPED_CHARS:
            return node
    return top


def _headline_scope(tree: LexborHTMLParser) -> LexborNode | None:
    """The nearest <article> or <main> around the first h1 that has one."""
    for h1 in tree.tags("h1")[:5]:
        node = h1.parent
        while node is not None and node.tag not in ("body", "html"):
            if node.tag in ("article", "main") or node.attributes.get("role") == "main":
                return node
            node = node.parent
    return None


def _common_ancestor(ranked: list[Candidate]) -> LexborNode:
    """The top candidate, or the ancestor it shares with several near-equal rivals: a story
    whose paragraphs each sit in their own wrapper (component frameworks) scores per wrapper,
    and the wrappers' shared container is the story (readability's alternative candidates)."""
    top = ranked[0]
    rivals = [
        c.node
        for c in ranked[1:6]
        if c.score >= ALTERNATIVE_SHARE * top.score
        and not _contains(c.node, top.node)
        and not _contains(top.node, c.node)  # the same text, one wrapper up or down
    ]
    if len(rivals) < MIN_ALTERNATIVES:
        return top.node
    ancestor = top.node.parent
    while ancestor is not None and ancestor.tag not in ("body", "html"):
        if sum(_contains(ancestor, rival) for rival in rivals) >= MIN_ALTERNATIVES:
            return ancestor
        ancestor = ancestor.parent
    return top.node


def _repeated_parent(node: LexborNode, levels: int = 4) -> LexborNode | None:
    """The parent of the nearest ancestor that repeats (siblings of the same tag and class)."""
    current: LexborNode | None = node
    for _ in range(levels):
        if current is None or current.parent is None:
            return None
        cls = current.attributes.get("class")
        if cls:
            same = 0
            sibling = current.parent.child
            while sibling is not None:
                if (
                    sibling.tag == current.tag
                    and (sibling.attributes.get("class") or "").split()[:1] == cls.split()[:1]
                ):
                    same += 1
                sibling = sibling.next
            if same >= 2:
                return current.parent
        current = current.parent
    return None


def _with_siblings(top: LexborNode, scores: dict[int, float], reading: Reading) -> list[LexborNode]:
    """The top candidate plus what continues the story: readability's sibling pass, and
    same-class containers in the same article (an article split by ads or inline promos into
    several containers, siblings or cousins, is found whole)."""
    if len(twins := _same_class(top)) > 1:
        return twins
    wrapper = top
    for _ in range(WRAPPER_LEVELS):
        # A block in a wrapper whose class repeats: the wrappers are the story's blocks when the
        # top one holds a minority of their text (a story cut into blocks, not a story and a box).
        if (parent := _sole_wrapper(wrapper, reading)) is None:
            break
        wrapper = parent
        twins = _same_class(wrapper)
        own = reading.paragraph_chars(top)
        if len(twins) > 1 and own < TOP_SHARE * sum(map(reading.paragraph_chars, twins)):
            return twins
    threshold = max(10.0, scores.get(top.mem_id, 0.0) * 0.2)
    roots = _sibling_pass(top, scores, threshold)
    if len(roots) == 1 and wrapper is not top:
        # Nothing beside the block in its own wrapper: the story's other blocks may stand
        # beside the wrapper, each in a wrapper of its own.
        roots = _sibling_pass(wrapper, scores, threshold, inner=True)
        own = reading.paragraph_chars(top)
        if own >= TOP_SHARE * sum(map(reading.paragraph_chars, roots)):
            roots = [top]  # the block is most of the story: what stands beside is a box
    if len(roots) == 1 and (lead := _lead_before(top, reading)) is not None:
        roots.insert(0, lead)
    return roots


def _sibling_pass(
    top: LexborNode, scores: dict[int, float], threshold: float, *, inner: bool = False
) -> list[LexborNode]:
    """Readability's sibling pass: top and the siblings that continue it; with inner, a
    sibling is also judged by what it wraps alone (a wrapper around one block)."""
    parent = top.parent
    if parent is None or parent.tag in ("html",):
        return [top]
    roots = []
    child = parent.child
    while child is not None:
        if child.mem_id == top.mem_id or (
            child.is_element_node
            and (
                _continues(child, scores, threshold)
                or (inner and _continues(_wrapped(child), scores, threshold))
            )
        ):
            roots.append(child)
        child = child.next
    return roots


def _wrapped(node: LexborNode, levels: int = WRAPPER_LEVELS) -> LexborNode:
    """What node wraps alone: its only element child, when it has no text of its own, down a
    few levels."""
    for _ in range(levels):
        only = None
        child = node.child
        while child is not None:
            if child.is_element_node:
                if only is not None:
                    return node
                only = child
            elif child.tag == "-text" and (child.text_content or "").strip():
                return node
            child = child.next
        if only is None:
            return node
        node = only
    return node


def _sole_wrapper(node: LexborNode, reading: Reading) -> LexborNode | None:
    """The node's parent when it holds nothing else of note: a component's wrapper around one
    block of the story, whose class (not the block's) repeats on the story's other blocks."""
    parent = node.parent
    if parent is None or parent.tag in ("body", "html", "article", "main"):
        return None
    if reading.paragraph_chars(node) < SOLE_SHARE * reading.paragraph_chars(parent):
        return None
    return parent


def _lead_before(top: LexborNode, reading: Reading, levels: int = 3) -> LexborNode | None:
    """The lead paragraph just before the story's wrapper ("p.intro" under the headline, then a
    share bar, then the wrapper holding the text; or a CMS's "lead" block beside the "text"
    block): the story's first paragraph. Looked for beside each wrapper that holds nearly all
    of its parent's text, up a few levels."""
    wrapper = top
    for _ in range(levels):
        parent = wrapper.parent
        text = reading.paragraph_chars(parent) if parent is not None else 0
        if parent is None or not text or reading.paragraph_chars(wrapper) < 0.85 * text:
            return None
        wrapper = parent
        if (lead := _prose_before(wrapper)) is not None:
            return lead
    return None


def _prose_before(start: LexborNode) -> LexborNode | None:
    """A paragraph (or a lead block) among the few elements before start."""
    node, seen = start.prev, 0
    while node is not None and seen < 4:
        if node.is_element_node:
            if (node.tag == "p" or _names_a_lead(node)) and _is_prose(node):
                return node
            if node.tag in ("h1", "h2", "header", "article", "main"):
                return None
            if len(stripped_text(node)) > 80:
                return None  # other text in between: not the story's lead
            seen += 1
        node = node.prev
    return None


def _names_a_lead(node: LexborNode) -> bool:
    """A block whose class or id (or one of its blocks', a level down) says "lead"."""
    if words(class_id(node)) & LEAD_WORDS:
        return True
    child = node.child
    while child is not None:
        if child.is_element_node and words(class_id(child)) & LEAD_WORDS:
            return True
        child = child.next
    return False


def _is_prose(node: LexborNode) -> bool:
    text = stripped_text(node)
    return (
        len(text) > 80
        and link_density(node, len(text)) < 0.25
        and not furniture_named(node, class_id(node))
    )


def _is_leaf(node: LexborNode) -> bool:
    """True when no block element is inside: a run of prose, whatever its tag."""
    child = node.child
    while child is not None:
        if child.tag in BLOCK_TAGS and child.tag != "br":
            return False
        child = child.next
    return True


def _article_of(node: LexborNode) -> int | None:
    """The nearest enclosing <article> (or schema.org Article), as an identity."""
    ancestor = node.parent
    while ancestor is not None:
        if ancestor.tag == "article" or "Article" in (ancestor.attributes.get("itemtype") or ""):
            return ancestor.mem_id
        ancestor = ancestor.parent
    return None


def _same_class(top: LexborNode) -> list[LexborNode]:
    """Elements with exactly top's tag and class, in the same article, none inside another."""
    cls = " ".join((top.attributes.get("class") or "").split())
    if not cls:
        return [top]
    home = _article_of(top)
    twins: list[LexborNode] = []
    # Compared in Python: a class value may hold newlines or quotes no CSS selector can carry.
    for node in top.parser.css(f"{top.tag}[class]"):
        if " ".join((node.attributes.get("class") or "").split()) != cls:
            continue
        if _article_of(node) != home or (twins and _contains(twins[-1], node)):
            continue
        twins.append(node)
    return twins if any(t.mem_id == top.mem_id for t in twins) else [top]


def _contains(outer: LexborNode, inner: LexborNode) -> bool:
    ancestor = inner.parent
    while ancestor is not None:
        if ancestor.mem_id == outer.mem_id:
            return True
        ancestor = ancestor.parent
    return False


def _continues(node: LexborNode, scores: dict[int, float], threshold: float) -> bool:
    if node.tag in SKIP_TAGS or furniture_named(node, class_id(node)):
        return False
    if scores.get(node.mem_id, 0.0) >= threshold:
        return True
    if node.tag == "p" or (node.tag in ("div", "section") and _is_leaf(node)):
        text = stripped_text(node)
        density = link_density(node, len(text))
        if len(text) > 80 and density < 0.25:
            return True
        return 0 < len(text) <= 80 and density == 0 and bool(_SENTENCE_END.search(text))
    return False

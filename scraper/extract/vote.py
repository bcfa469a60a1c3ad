"""The paragraphs' vote for the element that holds the story (readability's scoring).

Each paragraph-like element scores its parent and further ancestors by its length and commas;
the votes are weighted by the ancestors' tags and what their class and id names say, then
discounted by link density. container.py widens the winner to the whole story."""

from __future__ import annotations

from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract.classnames import furniture_named, is_body_container
from scraper.extract.document import linked_chars, stripped_text
from scraper.extract.vocab import BLOCK_TAGS, INLINE_TAGS, class_id

PARAGRAPH_SELECTOR = "p, pre, td, blockquote, li, div, dd"
_TEXT_HOLDERS = frozenset({"div", "section", "article", "main"})


@dataclass
class Candidate:
    node: LexborNode
    score: float


def _tag_weight(tag: str) -> float:
    if tag in ("div", "article", "section", "main"):
        return 5
    if tag in ("pre", "td", "blockquote"):
        return 3
    if tag in ("address", "ol", "ul", "dl", "dd", "dt", "li", "form"):
        return -3
    if tag in ("h1", "h2", "h3", "h4", "h5", "h6", "th"):
        return -5
    return 0


def _class_weight(node: LexborNode) -> float:
    value = class_id(node)
    if node.attributes.get("itemprop") == "articleBody":
        return 50
    if is_body_container(value):
        return 25
    if furniture_named(node, value):
        return -25
    return 0


def link_density(
    node: LexborNode, text_len: int | None = None, link_chars: dict[int, int] | None = None
) -> float:
    """The share of the node's text inside links. `link_chars` keeps each link's length (by
    mem_id) for callers that ask about nested nodes of an unchanging tree: a link inside five
    candidates is measured once."""
    total = text_len if text_len is not None else len(stripped_text(node))
    if not total:
        return 0.0
    if link_chars is None:
        linked = linked_chars(node)
    else:
        linked = 0
        for a in node.css("a"):
            if (chars := link_chars.get(a.mem_id)) is None:
                chars = link_chars[a.mem_id] = len(stripped_text(a))
            linked += chars
    return min(1.0, linked / total)


def _chunks(node: LexborNode) -> list[str]:
    """The texts a paragraph-like element shows as paragraphs: p, pre, td, blockquote as one;
    an element holding text directly (a div or li with <br> line breaks, as older CMSs and
    many non-English sites write) as one chunk per run between block children and <br>s."""
    tag = node.tag
    if tag in ("p", "pre", "td", "blockquote", "dd"):
        return [node.text()]
    if len(node.text(deep=False, strip=True, skip_empty=True)) < 25 and not _inline_child(node):
        return []
    chunks: list[str] = []
    current: list[str] = []
    child = node.child
    while child is not None:
        if child.tag in BLOCK_TAGS:
            chunks.append("".join(current))
            current = []
        else:
            current.append(child.text())
        child = child.next
    chunks.append("".join(current))
    return chunks


def _br_lines(node: LexborNode) -> bool:
    """The element's text is split into lines by <br>s, none of it in a <p> of its own."""
    br = False
    child = node.child
    while child is not None:
        if child.tag == "p":
            return False
        br = br or child.tag == "br"
        child = child.next
    return br


def _inline_child(node: LexborNode) -> bool:
    child = node.child
    while child is not None:
        if child.tag in INLINE_TAGS:
            return True
        child = child.next
    return False


def score_candidates(
    tree: LexborHTMLParser, *, names: bool = True, reading: Reading | None = None
) -> list[Candidate]:
    """Readability's vote: each paragraph scores its parent, grandparent and further ancestors
    (weighted by what their class and id names say, unless names is False); best first.
    `reading` keeps what was measured of each candidate for the caller (see Reading)."""
    body = tree.body
    if body is None:
        return []
    candidates: dict[int, Candidate] = {}
    for node in body.css(PARAGRAPH_SELECTOR):
        score = 0.0
        for text in _chunks(node):
            if len(text.strip()) >= 25:
                score += 1 + text.count(",") + text.count("，") + min(len(text) // 100, 3)
        if not score:
            continue
        # A div holding its text directly (between <br>s) is the container of that text, as
        # readability turns such a div into a paragraph inside itself: it gets the first vote.
        ancestor = node if node.tag in _TEXT_HOLDERS else node.parent
        # A div of <br> lines stands for a run of paragraphs: its container gets the whole vote
        # too, as a paragraph's does, so a story of several such divs outvotes a box of <p>s.
        full = 1 if node.tag == "div" and _br_lines(node) else 0
        level = 0
        while ancestor is not None and level < 5 and ancestor.tag not in ("body", "html"):
            key = ancestor.mem_id
            cand = candidates.get(key)
            if cand is None:
                weight = _tag_weight(ancestor.tag or "")
                if names:
                    weight += _class_weight(ancestor)
                cand = Candidate(ancestor, weight)
                candidates[key] = cand
            if level <= full:
                cand.score += score
            else:
                cand.score += score / 2 if level == 1 else score / (level * 3)
            ancestor = ancestor.parent
            level += 1
    ranked = list(candidates.values())
    reading = Reading() if reading is None else reading
    for cand in ranked:
        cand.score *= 1 - reading.link_density(cand.node)
    ranked.sort(key=lambda c: c.score, reverse=True)
    return ranked


class Reading:
    """Text and link density of the nodes of a tree that does not change meanwhile, each node
    measured once: the candidates' in the vote, then again when the roots are chosen (the top
    candidate and its wrappers, asked several times); each link measured once."""

    def __init__(self) -> None:
        self.link_chars: dict[int, int] = {}
        self.measured: dict[int, tuple[int, float]] = {}

    def link_density(self, node: LexborNode) -> float:
        return self._measure(node)[1]

    def paragraph_chars(self, node: LexborNode) -> int:
        """Text outside links: what a reader would read in the node."""
        text, density = self._measure(node)
        return text - int(text * density)

    def _measure(self, node: LexborNode) -> tuple[int, float]:
        key = node.mem_id
        if (found := self.measured.get(key)) is None:
            text = len(stripped_text(node))
            found = self.measured[key] = (text, link_density(node, text, self.link_chars))
        return found

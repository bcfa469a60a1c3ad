"""The story's text that goes on after an interruption, in a container the sibling pass misses.

A page that splits its story with an ad row, a newsletter box or an embed often lays each part
out in the same grid: the first part in `row > col > text`, the rest in the next `row > col >
text-2`. The second part is then a cousin of the first, not a sibling, and its class may differ
from the first part's. It is found by its place: under a later sibling of an ancestor of the
story, down the same path of tags and classes, a container of the story's tag holding prose."""

from __future__ import annotations

from selectolax.lexbor import LexborNode

from scraper.extract.classnames import furniture_named
from scraper.extract.document import linked_chars, stripped_text
from scraper.extract.vocab import SKIP_TAGS, class_id

# Ancestors of the story's container whose later siblings are looked in (the story's own
# siblings are the sibling pass's).
MAX_LEVELS = 3
# A later part is prose: this much text, mostly outside links.
MIN_PART_CHARS = 80
MAX_LINK_SHARE = 0.25
# Text in a sibling that holds no part, beyond which the story is over (a block of other text).
MAX_SKIPPED_CHARS = 200
_STOP_TAGS = frozenset({"footer", "article", "main", "body", "html"})


def _signature(node: LexborNode) -> tuple[str, str]:
    return node.tag or "", " ".join((node.attributes.get("class") or "").split())


def _children(node: LexborNode) -> list[LexborNode]:
    out = []
    child = node.child
    while child is not None:
        if child.is_element_node:
            out.append(child)
        child = child.next
    return out


def _furniture(node: LexborNode) -> bool:
    return node.tag in SKIP_TAGS or furniture_named(node, class_id(node))


def _is_part(node: LexborNode) -> bool:
    """Prose outside furniture, with no headline of its own (another story's)."""
    if _furniture(node) or node.css_first("h1") is not None:
        return False
    text = len(stripped_text(node))
    if text < MIN_PART_CHARS:
        return False
    return linked_chars(node) < MAX_LINK_SHARE * text


def _follow(branch: LexborNode, path: list[tuple[str, str]], tag: str) -> list[LexborNode]:
    """The containers under branch down path (signatures of the wrappers between), whose
    own tag is tag."""
    nodes = [branch]
    for signature in path:
        nodes = [c for n in nodes for c in _children(n) if _signature(c) == signature]
    return [c for n in nodes for c in _children(n) if c.tag == tag and _is_part(c)]


def later_parts(top: LexborNode) -> list[LexborNode]:
    """Containers continuing the story under later siblings of top's ancestors, in order."""
    parts: list[LexborNode] = []
    path: list[tuple[str, str]] = []  # wrappers from the branch down to top's parent
    branch = top
    for _ in range(MAX_LEVELS):
        parent = branch.parent
        if parent is None or parent.tag in _STOP_TAGS or branch.tag in _STOP_TAGS:
            break
        path.insert(0, _signature(parent))
        branch = parent
        if branch.parent is None or branch.parent.tag in ("body", "html"):
            break
        signature = _signature(branch)
        sibling = branch.next
        interrupted = False  # by an ad, a promo, an embed: a part right after a part is not
        while sibling is not None:  # a story split, but the page's next block of its template
            if sibling.is_element_node:
                if sibling.tag in _STOP_TAGS or sibling.css_first("h1") is not None:
                    break
                found = _follow(sibling, path[1:], top.tag or "")
                if _signature(sibling) == signature and found:
                    if not interrupted:
                        break
                    parts.extend(found)
                    interrupted = False
                elif not _furniture(sibling) and _text_outside_links(sibling) > MAX_SKIPPED_CHARS:
                    break  # other text: the story is over
                else:
                    interrupted = True
            sibling = sibling.next
    return parts


def _text_outside_links(node: LexborNode) -> int:
    text = len(stripped_text(node))
    return text - linked_chars(node)

"""The story's heading on the page: what lies around it (the header, furniture) and how far.

The byline and the dates are read near the story's heading and never from furniture (the
masthead, menus, sidebars, related-story lists, comments), so the helpers that tell one from the
other live here, apart from the choice of the headline's text (headline.py)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache

from selectolax.lexbor import LexborNode

from scraper.extract.document import clean_text, stripped_text
from scraper.extract.vocab import class_id_of, hidden_class, words

# fmt: off
# Elements whose text a reader does not see as words of the enclosing line.
SKIP_TEXT_TAGS: frozenset[str] = frozenset(
    {"script", "style", "noscript", "template", "svg", "button", "select", "textarea", "iframe"}
)
# Elements that flow inside a line of text; every other element breaks the line.
INLINE_TAGS: frozenset[str] = frozenset(
    {
        "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i", "kbd",
        "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
        "wbr", "label", "ins", "del",
    }
)
# Containers that are never the story's own: page menus, sidebars, page footers, forms.
FURNITURE_TAGS: frozenset[str] = frozenset({"nav", "aside", "footer", "form", "dialog", "menu"})
FURNITURE_ROLES: frozenset[str] = frozenset(
    {"navigation", "complementary", "contentinfo", "banner", "menu", "menubar", "search", "dialog"}
)
# Class/id words of blocks that hold other stories, comments or page furniture.
FURNITURE_WORDS: frozenset[str] = frozenset(
    {
        "related", "recommended", "recommendations", "recirc", "recirculation", "morestories",
        "more-stories", "read-more", "readmore", "alsoread", "also-read", "seealso", "see-also",
        "trending", "popular", "mostread", "most-read", "most-popular", "teaser", "teasers",
        "outbrain", "taboola", "comment", "comments", "disqus", "replies", "respond", "nav",
        "navbar", "navigation", "menu", "sidebar", "rail", "widget", "widgets", "footer",
        "masthead", "breadcrumb", "breadcrumbs", "newsletter", "promo", "subscribe", "ticker",
        "cookie", "modal", "popup", "latest", "site-header", "global-header", "topbar", "top-bar",
        "gh-head",  # the masthead of Ghost, a CMS (its default themes), like "site-header"
    }
)
# Class/id words of a <header> that heads the story rather than the page.
_STORY_HEADER_WORDS: frozenset[str] = frozenset(
    {"article", "headline", "entry", "post", "story", "article-header", "entry-header"}
)
# Class tokens that describe a state of the page ("has-sidebar", "hasMenu"), not the block.
_STATE = re.compile(r"^(?:has|with|no|is|js|show|hide)(?:[-_]|[A-Z])")
# An <article> element with less text than this, beside the headline, is a teaser card.
_MIN_ARTICLE_CHARS = 500
# Ancestors any check looks at: real pages nest a few dozen levels, and a page nested thousands
# deep must not make every check walk all of them.
MAX_DEPTH = 100
# fmt: on


def ancestors(node: LexborNode, include_self: bool = False) -> Iterator[LexborNode]:
    """The node's ancestors, nearest first, at most MAX_DEPTH of them."""
    cur = node if include_self else node.parent
    for _ in range(MAX_DEPTH):
        if cur is None:
            return
        yield cur
        cur = cur.parent


def node_text(
    node: LexborNode, skip: Callable[[LexborNode], bool] | None = None, limit: int = 100_000
) -> str:
    """The node's text as a reader sees it, read no further than about `limit` characters."""
    # Block elements and <br> separate words, inline ones do not; scripts, buttons and subtrees
    # that `skip` accepts are left out. Reading also stops after about `limit` elements, so a
    # chain of empty wrappers costs no more than text: callers wanting a line ask for little.
    parts: list[str] = []
    size = 0
    visits = limit + 200
    stack: list[LexborNode | None] = [node]
    while stack and size <= limit and visits > 0:
        cur = stack.pop()
        if cur is None:
            parts.append(" ")
            continue
        tag = cur.tag  # "-text" for text, "-comment" and the like for other non-elements
        if tag == "-text":
            text = cur.text_content or ""
            parts.append(text)
            size += len(text)
            continue
        if tag is None or tag[0] == "-":
            continue
        visits -= 1
        if tag in SKIP_TEXT_TAGS or (cur is not node and skip is not None and skip(cur)):
            parts.append(" ")
            continue
        if tag not in INLINE_TAGS:  # a block: words on either side of it are apart
            parts.append(" ")
            stack.append(None)
        child = cur.last_child
        while child is not None:
            stack.append(child)
            child = child.prev
    return clean_text("".join(parts))


def is_hidden(node: LexborNode) -> bool:
    """True when CSS or attributes keep the element off screen."""
    return _hidden(node.attributes)


def _hidden(attrs: Mapping[str, str | None]) -> bool:
    """is_hidden() from the attributes already read (each read builds a new dict)."""
    if "hidden" in attrs or attrs.get("aria-hidden") == "true":
        return True
    if style := attrs.get("style"):
        style = style.replace(" ", "").lower()
        if "display:none" in style or "visibility:hidden" in style:
            return True
    value = attrs.get("class")
    return bool(value) and hidden_class(value)


def _story_header(attrs: Mapping[str, str | None]) -> bool:
    """True for a <header> whose class/id names the story's header, not the page's."""
    found = words(class_id_of(attrs))
    return bool(found & _STORY_HEADER_WORDS) and not found & FURNITURE_WORDS


def _furniture_words(attrs: Mapping[str, str | None]) -> bool:
    """True when an element's role, item type or class/id names furniture."""
    if (attrs.get("role") or "").lower() in FURNITURE_ROLES:
        return True
    if "comment" in (attrs.get("itemtype") or "").lower():
        return True
    value = class_id_of(attrs)
    return bool(value) and _names_furniture(value)


@lru_cache(maxsize=16384)
def _names_furniture(value: str) -> bool:
    """True when a class/id value names furniture, its state tokens ("has-sidebar") aside;
    cached, as the same values are asked of node after node."""
    tokens = [t for t in value.split() if not _STATE.match(t)]
    return bool(tokens) and bool(words(" ".join(tokens)) & FURNITURE_WORDS)


class Header:
    """The article's h1 and its ancestors, to tell for any node how far from the headline it
    sits and whether furniture lies between them."""

    def __init__(self, h1: LexborNode | None):
        self.h1 = h1
        self.levels: dict[int, int] = {}
        self._cards: dict[int, bool] = {}
        # Byline, dates and labels place the same nodes again and again (most nodes of a page
        # are asked about several times); the tree does not change while a Header is in use.
        self._places: dict[int, tuple[bool, int | None]] = {}
        node, level = h1, 0
        while node is not None:
            self.levels[node.mem_id] = level
            node, level = node.parent, level + 1

    def place(self, node: LexborNode) -> tuple[bool, int | None]:
        """(is in furniture, levels from the h1 up to the ancestor it shares with node)."""
        key = node.mem_id
        if (found := self._places.get(key)) is None:
            found = self._places[key] = self._place(node)
        return found

    def _place(self, node: LexborNode) -> tuple[bool, int | None]:
        path: list[LexborNode] = []
        distance = None
        shared: LexborNode | None = None
        for cur in ancestors(node, include_self=True):
            level = self.levels.get(cur.mem_id)
            if level is not None or cur.tag in ("body", "html"):
                distance, shared = level, cur
                break
            path.append(cur)
        in_main = shared is not None and inside(shared, ("article", "main"))
        for el in reversed(path):  # from the shared ancestor down to the node
            tag = el.tag
            if tag == "article" and self.h1 is not None and self._is_card(el):
                return True, distance  # another story's card: the headline is not in it
            attrs = el.attributes  # read once for the three checks below
            if tag in ("article", "main") or attrs.get("role") == "main":
                in_main = True
            elif tag in ("header", "footer"):
                # The page's masthead and footer, unless they belong to the article or main
                # or name the story's header ("article-header", "entry-header").
                if not in_main and not (tag == "header" and _story_header(attrs)):
                    return True, distance
            elif tag in FURNITURE_TAGS or _furniture_words(attrs) or _hidden(attrs):
                return True, distance
        return False, distance

    def _is_card(self, article: LexborNode) -> bool:
        """True for an <article> that is a teaser: short, or one of several siblings."""
        key = article.mem_id
        if key not in self._cards:
            siblings = 0
            parent = article.parent
            child = parent.child if parent is not None else None
            while child is not None and siblings < 2:
                siblings += child.tag == "article"
                child = child.next
            self._cards[key] = siblings > 1 or len(stripped_text(article)) < _MIN_ARTICLE_CHARS
        return self._cards[key]


def inside(node: LexborNode, tags: tuple[str, ...]) -> bool:
    """True when the node or an ancestor is one of tags, or the page's main region."""
    return any(
        a.tag in tags or (a.attributes.get("role") or "") == "main"
        for a in ancestors(node, include_self=True)
    )

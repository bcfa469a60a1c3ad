"""The headline, and the article's header: the h1 the story sits under and the page around it.

The byline and the dates are read near this h1 and never from furniture (the masthead, menus,
sidebars, related-story lists, comments), so the helpers that tell one from the other live here
beside the h1 they measure from."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

from selectolax.lexbor import LexborNode

from scraper.extract.candidate import Candidate
from scraper.extract.document import Doc, clean_text
from scraper.extract.fields import jsonld_text, unescape
from scraper.extract.vocab import HIDDEN_CLASS, class_id, words

# fmt: off
# Structured headline sources, best first, after JSON-LD headline/name.
HEADLINE_META: tuple[str, ...] = ("og:title", "twitter:title")
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
# Class tokens that describe a state of the page ("has-sidebar", "hasMenu"), not the block.
_STATE = re.compile(r"^(?:has|with|no|is|js|show|hide)(?:[-_]|[A-Z])")
# Separators between a headline and the site name in <title> and og:title.
_SITE_SEPARATOR = re.compile(r"\s+(?:[|\-–—:·•»«/~]|::)\s+|\s*[|–—·•»«]\s*")
_TRUNCATED = re.compile(r"(?:\.\.\.|…)\s*$")
_ALNUM = re.compile(r"[\W_]+")
_MAX_HEADLINE_CHARS = 400
_MAX_H1 = 30
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
        if cur.is_text_node:
            text = cur.text_content or ""
            parts.append(text)
            size += len(text)
            continue
        if not cur.is_element_node:
            continue
        visits -= 1
        tag = cur.tag
        if tag in SKIP_TEXT_TAGS or (cur is not node and skip is not None and skip(cur)):
            parts.append(" ")
            continue
        block = tag not in INLINE_TAGS
        if block:
            parts.append(" ")
            stack.append(None)
        children = []
        child = cur.child
        while child is not None:
            children.append(child)
            child = child.next
        stack.extend(reversed(children))
    return clean_text("".join(parts))


def is_hidden(node: LexborNode) -> bool:
    """True when CSS or attributes keep the element off screen."""
    attrs = node.attributes
    if "hidden" in attrs or attrs.get("aria-hidden") == "true":
        return True
    style = (attrs.get("style") or "").replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style:
        return True
    return bool(HIDDEN_CLASS.search(attrs.get("class") or ""))


def _furniture_words(node: LexborNode) -> bool:
    attrs = node.attributes
    if (attrs.get("role") or "").lower() in FURNITURE_ROLES:
        return True
    if "comment" in (attrs.get("itemtype") or "").lower():
        return True
    value = class_id(node)
    tokens = [t for t in value.split() if not _STATE.match(t)]
    return bool(tokens) and bool(words(" ".join(tokens)) & FURNITURE_WORDS)


class Header:
    """The article's h1 and its ancestors, to tell for any node how far from the headline it
    sits and whether furniture lies between them."""

    def __init__(self, h1: LexborNode | None):
        self.h1 = h1
        self.levels: dict[int, int] = {}
        self._cards: dict[int, bool] = {}
        node, level = h1, 0
        while node is not None:
            self.levels[node.mem_id] = level
            node, level = node.parent, level + 1

    def place(self, node: LexborNode) -> tuple[bool, int | None]:
        """(is in furniture, levels from the h1 up to the ancestor it shares with node)."""
        path: list[LexborNode] = []
        distance = None
        shared: LexborNode | None = None
        for cur in ancestors(node, include_self=True):
            level = self.levels.get(cur.mem_id)
            if level is not None or cur.tag in ("body", "html"):
                distance, shared = level, cur
                break
            path.append(cur)
        in_main = shared is not None and _inside(shared, ("article", "main"))
        for el in reversed(path):  # from the shared ancestor down to the node
            tag = el.tag
            if tag == "article" and self.h1 is not None and self._is_card(el):
                return True, distance  # another story's card: the headline is not in it
            if tag in ("article", "main") or el.attributes.get("role") == "main":
                in_main = True
            elif tag in ("header", "footer"):
                # The page's masthead and footer, unless they belong to the article or main.
                if not in_main:
                    return True, distance
            elif tag in FURNITURE_TAGS or _furniture_words(el) or is_hidden(el):
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
            self._cards[key] = siblings > 1 or len(article.text(strip=True)) < _MIN_ARTICLE_CHARS
        return self._cards[key]


def _inside(node: LexborNode, tags: tuple[str, ...]) -> bool:
    return any(
        a.tag in tags or (a.attributes.get("role") or "") == "main"
        for a in ancestors(node, include_self=True)
    )


def _norm(text: str) -> str:
    return clean_text(text).casefold()


def _site_keys(site_name: str | None, url: str | None) -> set[str]:
    """Spellings of the site's name to recognise it in a title: "kyivindependent"."""
    keys = set()
    if site_name:
        key = _ALNUM.sub("", site_name.casefold())
        keys.add(key)
        if key.startswith("the"):
            keys.add(key[3:])
    host = urlsplit(url).hostname if url else None
    if host:
        labels = [lab for lab in host.lower().split(".") if lab not in ("www", "m", "amp")]
        keys.update(_ALNUM.sub("", lab) for lab in labels[:-1] if len(lab) >= 3)
        keys.add(_ALNUM.sub("", host.lower().removeprefix("www.")))
    keys.discard("")
    return keys


def _is_site(part: str, keys: set[str]) -> bool:
    key = _ALNUM.sub("", part.casefold())
    return bool(key) and (key in keys or key.removeprefix("the") in keys)


def strip_site_name(title: str, site_name: str | None, url: str | None) -> str:
    """The title without the site's name before or after a separator ("X | Reuters")."""
    keys = _site_keys(site_name, url)
    if not keys:
        return title
    for _ in range(2):
        seps = list(_SITE_SEPARATOR.finditer(title))
        if not seps:
            break
        last, first = seps[-1], seps[0]
        if _is_site(title[last.end() :], keys) and last.start() > 0:
            title = title[: last.start()].strip()
        elif _is_site(title[: first.start()], keys) and first.end() < len(title):
            title = title[first.end() :].strip()
        else:
            break
    return title


def _clean(value: str | None, site_name: str | None, url: str | None) -> str | None:
    text = unescape(value)
    if not text or len(text) > _MAX_HEADLINE_CHARS:
        return None
    text = strip_site_name(text, site_name, url)
    if site_name and _norm(text) == _norm(site_name):
        return None
    return text or None


def article_h1(doc: Doc, hints: list[str] | None = None) -> LexborNode | None:
    """The h1 titling the story: one matching a structured headline, else one outside furniture."""
    hint_keys = [_norm(h) for h in hints or () if h]
    site_keys = _site_keys(None, doc.url)
    outside = Header(None)
    fallback: LexborNode | None = None
    fallback_in_article = False
    for node in doc.tree.css("h1")[:_MAX_H1]:
        text = _norm(node_text(node, limit=_MAX_HEADLINE_CHARS))
        if not text or is_hidden(node):
            continue
        if any(text == k or (len(k) >= 10 and (k in text or text in k)) for k in hint_keys):
            return node
        if _is_site(text, site_keys) or len(text) < 8 or outside.place(node)[0]:
            continue
        in_article = _inside(node, ("article", "main"))
        if fallback is None or (in_article and not fallback_in_article):
            fallback, fallback_in_article = node, in_article
    return fallback


def _truncates(short: str, full: str) -> bool:
    """True when `short` is a cut-down form of `full` (ends in an ellipsis, or is a prefix)."""
    a, b = _norm(short), _norm(full)
    if a == b:
        return False
    stem = _TRUNCATED.sub("", a).rstrip(" .,;:-–—")
    return len(stem) >= 10 and b.startswith(stem)


def _extends(longer: str, h1: str) -> bool:
    """True when a structured title is the h1 plus a suffix after a separator ("| Opinion")."""
    a, b = _norm(longer), _norm(h1)
    return len(b) >= 10 and a.startswith(b) and bool(_SITE_SEPARATOR.match(a[len(b) :]))


def _structured(doc: Doc, site_name: str | None) -> tuple[list[Candidate[str]], str | None]:
    """Headlines from JSON-LD and meta tags, best first, and the <title>, all cleaned."""
    structured: list[Candidate[str]] = []
    for key in ("headline", "name"):
        if text := _clean(jsonld_text(doc, key), site_name, doc.url):
            structured.append(Candidate(text, "jsonld"))
    if text := _clean(_microdata_headline(doc), site_name, doc.url):
        structured.append(Candidate(text, "microdata"))
    for key in HEADLINE_META:
        if text := _clean(doc.meta_first(key), site_name, doc.url):
            structured.append(Candidate(text, f"meta:{key}"))
    return structured, _clean(doc.title, site_name, doc.url)


def _microdata_headline(doc: Doc) -> str | None:
    """The itemprop=headline outside furniture, an h1 or one in an article's scope first
    (teaser cards and page titles carry their own)."""
    outside = Header(None)
    ranked = []
    for order, node in enumerate(doc.tree.css("[itemprop~=headline]")[:_MAX_H1]):
        if outside.place(node)[0]:
            continue
        scope = next((a for a in ancestors(node) if "itemscope" in a.attributes), None)
        kind = (scope.attributes.get("itemtype") or "").lower() if scope is not None else ""
        rank = 0 if node.tag == "h1" else 1 if "article" in kind or "posting" in kind else 2
        ranked.append((rank, order, node))
    if not ranked:
        return None
    node = min(ranked, key=lambda item: (item[0], item[1]))[2]
    return node.attributes.get("content") or node_text(node, limit=_MAX_HEADLINE_CHARS)


def find_header(doc: Doc, site_name: str | None) -> Header:
    """The article's h1 (see article_h1) wrapped for distance and furniture checks; found once
    per page, as byline and both dates ask for it."""
    key = ("header", site_name)
    if key not in doc.memo:
        structured, title = _structured(doc, site_name)
        hints = [c.value for c in structured] + ([title] if title else [])
        doc.memo[key] = Header(article_h1(doc, hints))
    header: Header = doc.memo[key]
    return header


def headline(doc: Doc, site_name: str | None) -> Candidate[str] | None:
    """The story's title from the best source, without the site's name, never truncated."""
    # Sources: JSON-LD headline/name, microdata, og:title, twitter:title, the h1, <title>. The
    # h1 wins over a structured title that is a cut-down form of it or adds a suffix to it.
    structured, title = _structured(doc, site_name)
    h1_node = article_h1(doc, [c.value for c in structured] + ([title] if title else []))
    h1 = (
        _clean(node_text(h1_node, limit=_MAX_HEADLINE_CHARS), site_name, doc.url)
        if h1_node is not None
        else None
    )
    for cand in structured:
        if h1 and (_truncates(cand.value, h1) or _extends(cand.value, h1)):
            return Candidate(h1, "h1")
        if not _TRUNCATED.search(cand.value) or not h1:
            return cand
    if h1:
        return Candidate(h1, "h1")
    if structured:
        return structured[0]
    return Candidate(title, "title") if title else None

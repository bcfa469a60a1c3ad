"""The story's headline: which source to trust, and the visible heading it sits under.

Structured data (JSON-LD, microdata, og:title) is read first because it is written for
machines, but the visible heading decides when they disagree in known ways (truncated, a site
suffix, an SEO rewrite that only JSON-LD carries). The heading found here is also the anchor the
byline and the dates are read near (furniture.Header)."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

from selectolax.lexbor import LexborNode

from scraper.extract.candidate import Candidate
from scraper.extract.classedtitle import classed_title
from scraper.extract.document import Doc, clean_text, stripped_text
from scraper.extract.fields import jsonld_text, unescape
from scraper.extract.furniture import (
    FURNITURE_ROLES,
    FURNITURE_TAGS,
    FURNITURE_WORDS,
    INLINE_TAGS,
    MAX_DEPTH,
    SKIP_TEXT_TAGS,
    Header,
    ancestors,
    inside,
    is_hidden,
    node_text,
)
from scraper.extract.named import itemprop_nodes
from scraper.extract.structured import text_values
from scraper.extract.titles import (
    headline_segment,
    is_site,
    segment_matching,
    site_keys,
    strip_site_name,
)
from scraper.extract.titles import (
    key as title_key,
)
from scraper.extract.vocab import class_id, words

# Re-exported: byline, dates, bio and pagetype measure from the heading with these.
__all__ = [
    "FURNITURE_ROLES",
    "FURNITURE_TAGS",
    "FURNITURE_WORDS",
    "INLINE_TAGS",
    "MAX_DEPTH",
    "SKIP_TEXT_TAGS",
    "Header",
    "ancestors",
    "article_h1",
    "find_header",
    "headline",
    "is_hidden",
    "node_text",
    "story_heading",
    "strip_site_name",
]

# fmt: off
# Structured headline sources, best first, after JSON-LD headline/name.
HEADLINE_META: tuple[str, ...] = ("og:title", "twitter:title")
_TRUNCATED = re.compile(r"(?:\.\.\.|…)\s*$")
_IDENTIFIER = re.compile(r"[\w.\-]{16,}")
_MAX_HEADLINE_CHARS = 400
_MAX_H1 = 30
# Class/id words of a heading that holds the site's logo or name, not a story's headline.
_LOGO_WORDS: frozenset[str] = frozenset({"logo", "brand", "branding", "site-title", "site-name"})
# Story text that must follow a heading, within a few levels and siblings, to make it the story's.
_MIN_FOLLOW_CHARS = 200
# An <article> with this much text around a heading is a story, not a teaser card.
_MIN_STORY_ARTICLE_CHARS = 500
_FOLLOW_LEVELS = 4
_FOLLOW_VISITS = 12
# Headings checked for following text: the story's comes early, and each check walks siblings.
_MAX_FOLLOW_CHECKS = 8
# fmt: on


def _norm(text: str) -> str:
    return clean_text(text).casefold()


def _is_identifier(text: str) -> bool:
    """True for a slug or an id where a name should be ("a-60a0111a-c2d2-46c8-9e93")."""
    return bool(_IDENTIFIER.fullmatch(text)) and any(c.isdigit() for c in text)


@lru_cache(maxsize=64)  # the sources of a page repeat one title: og:, twitter:, <title>
def _clean(value: str | None, site_name: str | None, url: str | None) -> str | None:
    text = unescape(value)
    if not text or len(text) > _MAX_HEADLINE_CHARS or _is_identifier(text):
        return None
    text = strip_site_name(text, site_name, url)
    if site_name and _norm(text) == _norm(site_name):
        return None
    return text or None


def _is_logo(node: LexborNode, keys: set[str], text: str) -> bool:
    """True for a heading that is the site's logo: its name, or a link to the home page."""
    if is_site(text, keys) or _LOGO_WORDS & words(class_id(node)):
        return True
    link = node.css_first("a[href]")
    if link is None:
        return False
    href = urlsplit(link.attributes.get("href") or "")
    return href.path in ("", "/") and not href.query and not href.fragment


def _precedes_text(node: LexborNode) -> bool:
    """True when paragraphs of story text follow the heading before the next main heading."""
    # Walks the heading's next siblings, then its ancestors' next siblings, a few levels up:
    # a teaser card's or a logo's heading is followed by a line or a menu, a story's by text.
    chars, visits = 0, 0
    cur: LexborNode | None = node
    for _ in range(_FOLLOW_LEVELS):
        if cur is None:
            break
        sib = cur.next
        while sib is not None and visits < _FOLLOW_VISITS:
            if sib.is_element_node:
                visits += 1
                if sib.tag in ("h1", "h2") or sib.css_first("h1, h2") is not None:
                    return chars >= _MIN_FOLLOW_CHARS
                paras = [sib] if sib.tag == "p" else sib.css("p")[:10]
                for p in paras:
                    chars += len(node_text(p, limit=_MIN_FOLLOW_CHARS))
                if chars >= _MIN_FOLLOW_CHARS:
                    return True
            sib = sib.next
        cur = cur.parent
    return chars >= _MIN_FOLLOW_CHARS


def _story_article(node: LexborNode) -> LexborNode | None:
    """The <article> holding the heading when it is the page's one story (no sibling articles,
    long text): class words of the layout around it ("sticky-sidebar" wrapping the content
    column) do not make its heading furniture."""
    art = next((a for a in ancestors(node) if a.tag == "article"), None)
    if art is None or len(stripped_text(art)) < _MIN_STORY_ARTICLE_CHARS:
        return None
    sibling = art.parent.child if art.parent is not None else None
    articles = 0
    while sibling is not None and articles < 2:
        articles += sibling.tag == "article"
        sibling = sibling.next
    return art if articles < 2 else None


def _coverage(text: str, hint_keys: list[str]) -> float:
    """How much of a hint the heading repeats: 1 when it holds one (with a kicker), the share
    of it when a hint holds the heading (a title with a site suffix), 0 when neither."""
    if len(text) < 8:
        return 0.0
    best = 0.0
    for k in hint_keys:
        if len(k) >= 10 and k in text:
            return 1.0
        if len(k) >= 10 and text in k:
            best = max(best, len(text) / len(k))
    return best


def story_heading(
    doc: Doc, hints: list[str] | None = None, site_name: str | None = None
) -> tuple[LexborNode | None, bool]:
    """The heading titling the story, and whether a structured headline or the title repeats it.

    h1s first: one equal to a hint; else one that holds a hint or repeats at least
    half of one (a kicker in the h1, a site suffix in the title); else, beside h1s the hints do
    not repeat at all, the one they repeat most of (a standfirst, not text, may follow it); else
    one outside furniture that is not the site's logo, preferring one the story's text follows
    and one inside the article. Only then h2s, for pages that keep the h1 for the logo or have
    none: one equal to a hint; else the longest heading repeating part of one ("Storm closes
    schools" in "Storm closes schools - Yahoo! Eurosport UK", longer than a logo repeating the
    site's part); else the first h2 outside furniture that the story's text follows."""
    hint_keys = [_norm(h) for h in hints or () if h]
    keys = site_keys(site_name, doc.url)
    outside = Header(None)
    partial: list[tuple[float, int, LexborNode]] = []
    fallback: list[tuple[bool, LexborNode]] = []
    for tag in ("h1", "h2"):
        for node in doc.tree.tags(tag)[:_MAX_H1]:
            text = _norm(node_text(node, limit=_MAX_HEADLINE_CHARS))
            if not text or is_hidden(node):
                continue
            furniture = outside.place(node)[0]
            if furniture and tag == "h1" and (story := _story_article(node)) is not None:
                furniture = Header(story).place(node)[0]  # only what lies inside the article
            if text in hint_keys and (tag == "h1" or not furniture):
                return node, True  # a masthead h1 may be the story's, a masthead h2 is not
            if (furniture and tag != "h1") or len(text) < 8 or _is_logo(node, keys, text):
                continue
            if cover := _coverage(text, hint_keys):
                partial.append((cover, len(text), node))
            elif not furniture:
                fallback.append((inside(node, ("article", "main")), node))
        if tag == "h1":
            strong = [p for p in partial if p[0] >= 0.5]
            if strong:
                return max(strong, key=lambda p: p[1])[2], True
            if partial and fallback:  # an h1 the hints repeat in part beats one they do not
                return max(partial, key=lambda p: (p[0], p[1]))[2], True
            if fallback:
                if len(fallback) > 1:
                    fallback = fallback[:_MAX_FOLLOW_CHECKS]
                    fallback = [f for f in fallback if _precedes_text(f[1])] or fallback
                return next((n for in_main, n in fallback if in_main), fallback[0][1]), False
    if partial:
        return max(partial, key=lambda p: p[1])[2], True
    checked = fallback[:_MAX_FOLLOW_CHECKS]
    return next((n for _, n in checked if _precedes_text(n)), None), False


def article_h1(doc: Doc, hints: list[str] | None = None) -> LexborNode | None:
    """The heading titling the story (see story_heading): usually an h1."""
    return story_heading(doc, hints)[0]


def _truncates(short: str, full: str) -> bool:
    """True when `short` is a cut-down form of `full` (ends in an ellipsis, or is a prefix)."""
    a, b = _norm(short), _norm(full)
    if a == b:
        return False
    stem = _TRUNCATED.sub("", a).rstrip(" .,;:-–—")
    return len(stem) >= 10 and b.startswith(stem)


def _extends(longer: str, visible: str) -> bool:
    """True when a structured title is the visible headline plus a section, site name or date
    after a separator ("A city on the brink | Editorial")."""
    return len(visible) >= 10 and segment_matching(longer, [visible], leading=True) is not None


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
    for order, node in enumerate(itemprop_nodes(doc, "headline")[:_MAX_H1]):
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


def _crumb(doc: Doc) -> str | None:
    """The name the JSON-LD breadcrumb trail gives this page: its last item's."""
    # A trail ends in the page itself, named by a field of its own (often the headline as the
    # page shows it), so it is a witness apart from the headline and og:title fields.
    for trail in doc.jsonld.of_type("BreadcrumbList"):
        items = trail.get("itemListElement")
        if not isinstance(items, list) or not items:
            continue
        last = doc.jsonld.resolve(items[-1])
        if not isinstance(last, dict):
            continue
        inner = doc.jsonld.resolve(last.get("item"))
        named = text_values(last.get("name")) or (
            text_values(inner) if isinstance(inner, dict) else []
        )
        for value in named:
            if text := unescape(value):
                return text
    return None


def _headline_part(node: LexborNode, hints: list[str]) -> str:
    """The heading's text, or the child element of it that a hint repeats when the heading is
    made of elements only, a kicker beside the headline ("<span>Premier League</span><span>
    Storm ...</span>"); words set off inside a sentence ("<em>") are not a kicker."""
    text = node_text(node, limit=_MAX_HEADLINE_CHARS)
    whole = title_key(text)
    wanted = {k for h in hints if len(k := title_key(h)) >= 10 and k != whole and k in whole}
    children = list(node.iter(include_text=True)) if wanted else []
    if any(not c.is_element_node and (c.text_content or "").strip() for c in children):
        return text  # loose words beside the elements: one sentence, not kicker and headline
    for child in children:
        part = node_text(child, limit=_MAX_HEADLINE_CHARS)
        if child.is_element_node and title_key(part) in wanted:
            return part
    return text


class _Sources:
    """Every headline source of a page, cleaned, found once: headline, byline and dates ask."""

    def __init__(self, doc: Doc, site_name: str | None):
        self.structured, title = _structured(doc, site_name)
        hints = [c.value for c in self.structured] + ([title] if title else [])
        self.node, self.repeated = story_heading(doc, hints, site_name)
        text = _headline_part(self.node, hints) if self.node is not None else None
        self.visible = _clean(text, site_name, doc.url)
        raw = unescape(doc.title)
        # The <title> part that repeats the visible heading is the headline, whatever the rest
        # of the title says (site name, section, date) in whatever order.
        self.title = (segment_matching(raw, [self.visible]) if self.visible else None) or title
        self.crumb = _crumb(doc)


def _sources(doc: Doc, site_name: str | None) -> _Sources:
    memo_key = ("headline-sources", site_name)
    if memo_key not in doc.memo:
        doc.memo[memo_key] = _Sources(doc, site_name)
    sources: _Sources = doc.memo[memo_key]
    return sources


def find_header(doc: Doc, site_name: str | None) -> Header:
    """The story's heading (see story_heading) wrapped for distance and furniture checks; found
    once per page, as byline and both dates ask for it."""
    memo_key = ("header", site_name)
    if memo_key not in doc.memo:
        doc.memo[memo_key] = Header(_sources(doc, site_name).node)
    header: Header = doc.memo[memo_key]
    return header


def _witnessed(cand: Candidate[str], src: _Sources) -> Candidate[str] | None:
    """The og:title or twitter:title that a second field repeats, when it disagrees with cand
    (a JSON-LD headline rewritten for search beside the page's own title): the breadcrumb
    trail's last item, or the article's JSON-LD name."""
    # Only a meta title: a trail that repeats the visible heading alone lost a page on the
    # fundus half held out from tuning, one that repeats og:title gained there too.
    names = [c.value for c in src.structured if c.source == "jsonld" and c is not cand]
    metas = [c for c in src.structured if c.source.startswith("meta:")]
    for witness in [src.crumb or "", *names]:
        wanted = title_key(witness)
        if len(wanted) < 10 or wanted == title_key(cand.value):
            continue
        if hit := next((c for c in metas if title_key(c.value) == wanted), None):
            return hit
    return None


def _uncut(cand: Candidate[str], others: list[Candidate[str]], title: str | None) -> Candidate[str]:
    """The source that holds cand in full when cand is cut ("Storm closes schools in…"), as
    og:title and JSON-LD headlines are cut to a length; cand otherwise."""
    # Only a cut marked with an ellipsis: a shorter headline that is a prefix of the title is
    # as often the edited headline ("X" beside "X in battling win over Y").
    if not _TRUNCATED.search(cand.value):
        return cand
    full = [*others, Candidate(title, "title")] if title else others
    return next((c for c in full if _truncates(cand.value, c.value)), cand)


def headline(doc: Doc, site_name: str | None) -> Candidate[str] | None:
    """The story's title from the best source, without the site's name, never truncated."""
    # Sources: JSON-LD headline/name, microdata, og:title, twitter:title, the visible heading,
    # <title>. The visible heading wins over a structured title that is a cut-down form of it
    # or adds a suffix to it. A JSON-LD headline that disagrees with a visible heading which
    # og:title and <title> repeat still wins: preferring the heading then lost more pages than
    # it gained on the fundus half held out from tuning; og:title that the breadcrumb trail
    # or the JSON-LD name repeats has a second witness and wins (see _witnessed).
    src = _sources(doc, site_name)
    structured, title = src.structured, src.title
    node, vis = src.node, src.visible
    seen = Candidate(vis, node.tag or "h1") if vis and node is not None else None
    for cand in structured:
        if seen is None or vis is None:
            return _witnessed(cand, src) or _uncut(cand, structured, title)
        if _truncates(cand.value, vis) or _extends(cand.value, vis):
            return seen
        if not _TRUNCATED.search(cand.value):
            return _witnessed(cand, src) or cand
    if seen is not None and (src.repeated or seen.source == "h1" or not title):
        return seen
    if structured:
        return structured[0]
    if title:  # a block named the title may say which part of it is the headline
        return classed_title(doc, site_name) or Candidate(headline_segment(title), "title")
    return seen

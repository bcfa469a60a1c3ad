"""Selector vocabularies: what markup says about a block, best first. Shared by several fields.

Class and id values are matched as lower-cased words: "related-posts" and "relatedPosts" both
contain the word "related". Every entry is a general convention of CMSs and publishers."""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from functools import lru_cache

from selectolax.lexbor import LexborNode

# Elements that never hold article text.
DROP_TAGS: tuple[str, ...] = (
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "math",
    "iframe",
    "object",
    "embed",
    "canvas",
    "video",
    "audio",
    "map",
    "button",
    "select",
    "textarea",
    "input",
    "option",
    "dialog",
    # AMP components that render ads, consent and tracking, with placeholder text
    "amp-ad",
    "amp-embed",
    "amp-sticky-ad",
    "amp-analytics",
    "amp-auto-ads",
    "amp-consent",
    "amp-pixel",
)
# Hidden on screen: hover cards, tooltips, collapsed menus, screen-reader-only labels.
HIDDEN_SELECTOR = ", ".join(
    (
        "[hidden]",
        '[aria-hidden="true"]',
        '[style*="display:none"]',
        '[style*="display: none"]',
        '[style*="visibility:hidden"]',
        '[style*="visibility: hidden"]',
        '[type="hidden"]',
    )
)
HIDDEN_CLASS = re.compile(
    r"(?:^|\s)(?:hidden|hide|d-none|sr-only|visually-?hidden|screen-?reader-?(?:text|only)|"
    r"element-invisible|offscreen|tooltip|hover-?card|popover)(?:\s|$)"
)
# Tags that start a new block of text.
BLOCK_TAGS: frozenset[str] = frozenset(
    "p div section article main header footer aside nav ul ol li dl dt dd h1 h2 h3 h4 h5 h6 "
    "blockquote pre table thead tbody tfoot tr td th figure figcaption form fieldset address "
    "details summary hr br center hgroup caption picture".split()
)
# Table cells: a row reads as one line, its cells separated by spaces.
CELL_TAGS: frozenset[str] = frozenset({"td", "th"})
HEADING_TAGS: frozenset[str] = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Never article text wherever they stand.
SKIP_TAGS: frozenset[str] = frozenset({"figcaption", "nav", "aside", "footer", "caption", "form"})
# Boilerplate, matched as words inside class/id values (see words()).
BOILERPLATE_WORDS: frozenset[str] = frozenset(
    {
        # sharing and social
        "share",
        "sharing",
        "sharebar",
        "social",
        "sociallinks",
        "addthis",
        "sharethis",
        # other stories
        "related",
        "recommended",
        "recommendations",
        "recirc",
        "recirculation",
        "more",
        "morestories",
        "readmore",
        "alsoread",
        "seealso",
        "trending",
        "popular",
        "mostread",
        "teaser",
        "teasers",
        "outbrain",
        "taboola",
        "ob",
        "zergnet",
        "newsroll",
        "nextstory",  # the next post's teaser appended after an article
        "next-story",
        "nextpost",
        "next-post",
        "prevpost",
        "prev-post",
        "postnav",
        "post-navigation",
        # boxes asking for something
        "newsletter",
        "subscribe",
        "subscription",
        "signup",
        "promo",
        "promotion",
        "donate",
        "donation",
        "membership",
        "cta",
        "upsell",
        "register",
        "login",
        # ads
        "ad",
        "ads",
        "advert",
        "advertisement",
        "advertising",
        "adslot",
        "adunit",
        "dfp",
        "gpt",
        "sponsor",
        "sponsored",
        "banner",
        "commercial",
        "affiliate",
        # page furniture
        "nav",
        "navbar",
        "navigation",
        "menu",
        "breadcrumb",
        "breadcrumbs",
        "sidebar",
        "rail",
        "widget",
        "footer",
        "masthead",
        "toolbar",
        "pagination",
        "pager",
        "cookie",
        "consent",
        "gdpr",
        "modal",
        "popup",
        "overlay",
        "print",
        "skip",
        "jump",
        # around the article, not in it
        "comment",
        "comments",
        "disqus",
        "replies",
        "respond",
        "byline",
        "dateline",
        "author",
        "authors",
        "bio",
        "contributor",
        "tags",
        "tag",
        "taglist",
        "keywords",
        "topics",
        "categories",
        "meta",
        "metadata",
        "caption",
        "figcaption",
        "credit",
        "credits",
        "copyright",
        "disclaimer",
        "correction",
        "pullquote",
        "blockquote-pull",
        "timestamp",
        "headline",
        "kicker",
        "rating",
        "reactions",
        "feedback",
        "survey",
        "poll",
    }
)
# Words that mark the article's own text container.
BODY_WORDS: frozenset[str] = frozenset(
    {
        "articlebody",
        "article-body",
        "articletext",
        "article-text",
        "articlecontent",
        "article-content",
        "storybody",
        "story-body",
        "storytext",
        "story-text",
        "storycontent",
        "story-content",
        "postbody",
        "post-body",
        "postcontent",
        "post-content",
        "entrycontent",
        "entry-content",
        "entrybody",
        "entry-body",
        "contentbody",
        "content-body",
        "bodytext",
        "body-text",
        "textbody",
        "text-body",
        "richtext",
        "rich-text",
        "articlecopy",
        "maintext",
        "main-text",
        "newsbody",
        "news-body",
        "newstext",
        "news-text",
        "paywall-body",
        "field-body",
        "fieldbody",
        "body-copy",
        "bodycopy",
        "article-main",
        "single-content",
        "post-entry",
        "prose",
    }
)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SPLIT = re.compile(r"[\s_\-]+")
_LEADING_DIGITS = re.compile(r"\d+")


@lru_cache(maxsize=16384)
def words(value: str) -> frozenset[str]:
    """Class/id value as lower-case words, plus each hyphen-joined pair: "rel-post relatedPosts"
    gives {"rel", "post", "related", "posts", "rel-post", "related-posts", "relpost", ...}."""
    if not value:
        return frozenset()
    out: set[str] = set()
    # Each class value is new to the cache on most pages, so the regexes run only where they
    # can change something: most tokens are lower case, and most parts are letters alone.
    for token in value.split():
        lower = token.islower()
        if lower and token.isalpha():  # one plain word: it is its only part
            out.add(token)
            continue
        parts = [p for p in _SPLIT.split(token if lower else _CAMEL.sub(" ", token).lower()) if p]
        out.update(parts)
        out.update(p if p.isalpha() else _LEADING_DIGITS.sub("", p) for p in parts)
        for a, b in itertools.pairwise(parts):
            out.add(f"{a}-{b}")
            out.add(a + b)
        out.add(token.lower())
    out.discard("")
    return frozenset(out)


# A heading's or paragraph's id is usually an anchor made from its text ("nav_schredder",
# "related-work"): for these only the class says what the element is.
_TEXT_TAGS = frozenset({"p", "h2", "h3", "h4", "h5", "h6"})


# A heading named "headline" or "title" is a heading: inside the story, a subheading.
_HEADING_NAMES = frozenset({"headline", "title", "heading", "subheadline", "subtitle"})


def naming(node: LexborNode) -> str:
    """The class/id text that says what a node is: class and id, or the class alone for
    headings and paragraphs, less a heading's words naming it a heading."""
    return naming_of(node.tag or "", node.attributes)


def naming_of(tag: str, attrs: Mapping[str, str | None]) -> str:
    """naming() from a tag and attributes already read (each read of a node's attributes
    builds a new dict: loops over every classed node read them once)."""
    if tag not in _TEXT_TAGS:
        return f"{attrs.get('class') or ''} {attrs.get('id') or ''}".strip()
    value = attrs.get("class") or ""
    if tag != "p" and words(value) & _HEADING_NAMES:
        value = " ".join(t for t in value.split() if not words(t) & _HEADING_NAMES)
    return value


def class_id(node: LexborNode) -> str:
    """The class and id attribute values of a node, joined."""
    attrs = node.attributes
    return f"{attrs.get('class') or ''} {attrs.get('id') or ''}".strip()


# Embedded posts (tweets, Instagram, Facebook posts) quote a source: their text is the story's.
EMBED_WORDS: frozenset[str] = frozenset(
    {"embed", "embedded", "tweet", "twitter-tweet", "instagram-media"}
)


# Class words of a story's lead block, as CMSs name it (chapô, Vorspann, entradilla...).
LEAD_WORDS: frozenset[str] = frozenset(
    "lead lede intro introduction chapo chapeau standfirst summary dek deck excerpt abstract "
    "sapo teaser-text vorspann entradilla sottotitolo".split()
)


# Furniture even inside an embed: an embedded image's caption and credit, and the consent
# placeholder ("external content: click to load") that stands in for an embed not yet loaded.
CAPTION_WORDS: frozenset[str] = frozenset(
    {"caption", "figcaption", "credit", "credits", "consent", "gdpr", "cmp"}
)


# Compound names glue a furniture word to another: "jp-relatedposts", "sharedaddy", "adslot".
BOILERPLATE_PREFIX = re.compile(
    r"(?<![a-z])(?:related|share|social|comment(?!ary)|newsletter|subscri|promo|advert|sponsor|"
    r"sidebar|breadcrumb|recommend|outbrain|taboola|popular|trending)"
)


# "widget" names the unit of page builders (Elementor, SiteOrigin) whatever it holds: a text
# block of the story as well as a sidebar box or a video player. Alone it marks furniture only
# when the block holds no running prose (see spared).
WEAK_WORDS: frozenset[str] = frozenset({"widget"})
_STRONG_WORDS = BOILERPLATE_WORDS - WEAK_WORDS
# A paragraph this long, outside links, is running prose.
PROSE_PARAGRAPH_CHARS = 80


@lru_cache(maxsize=4096)
def _weak_only(value: str) -> bool:
    w = words(value)
    return (
        bool(w & WEAK_WORDS)
        and not w & (_STRONG_WORDS | CAPTION_WORDS)
        and not BOILERPLATE_PREFIX.search(value.lower())
    )


def spared(node: LexborNode, value: str) -> bool:
    """True for a block named furniture only by a weak word ("elementor-widget-text-editor")
    that holds a paragraph of running prose and no picture, or a heading and nothing else: a
    page builder's text or heading block."""
    if not _weak_only(value) or node.css_first("img, picture, figure, video") is not None:
        return False
    heading = node.css_first("h2, h3, h4, h5, h6")
    if heading is not None and len(heading.text(strip=True)) == len(node.text(strip=True)) > 0:
        return True
    for p in node.css("p"):
        text = len(p.text(strip=True))
        if text >= PROSE_PARAGRAPH_CHARS:
            linked = sum(len(a.text(strip=True)) for a in p.css("a"))
            if linked < 0.25 * text:
                return True
    return False


def is_boilerplate(value: str) -> bool:
    """True when a class/id value names page furniture rather than article text."""
    w = words(value)
    if w & BODY_WORDS:
        return False
    if w & CAPTION_WORDS:
        return True
    if w & EMBED_WORDS:
        return False
    return bool(w & BOILERPLATE_WORDS) or bool(BOILERPLATE_PREFIX.search(value.lower()))


# Words that keep a boilerplate-looking wrapper when it may hold the story ("comments-content"
# is furniture, "main-column has-sidebar" may be the page): readability's "maybe" list.
MAYBE_BODY_WORDS: frozenset[str] = frozenset({"article", "body", "content", "main", "column"})


_ANY_BODY_WORDS = BODY_WORDS | MAYBE_BODY_WORDS


def is_unlikely(value: str) -> bool:
    """True for furniture names without a hint that the story may be inside."""
    w = words(value)
    if w & _ANY_BODY_WORDS:
        return False
    return bool(w & CAPTION_WORDS) or (bool(w & BOILERPLATE_WORDS) and not w & EMBED_WORDS)


def is_body_container(value: str) -> bool:
    """True when a class/id value names the article's text container."""
    return bool(words(value) & BODY_WORDS)


# Inline elements: inside a sentence they are the sentence's words, whatever their class says
# ("tag-link" on a linked name in the text is not a tag list).
INLINE_TAGS: frozenset[str] = frozenset(
    "a span em strong b i u small mark abbr cite q sup sub time font".split()
)


def in_sentence(node: LexborNode) -> bool:
    """True for an inline element with text right beside it: part of a running sentence."""
    if node.tag not in INLINE_TAGS:
        return False
    for side in (node.prev, node.next):
        if side is not None and side.is_text_node and (side.text_content or "").strip():
            return True
    return False

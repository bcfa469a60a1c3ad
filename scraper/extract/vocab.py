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
        '[style*="display : none"]',  # CSS allows spaces around the colon
        '[style*="visibility:hidden"]',
        '[style*="visibility: hidden"]',
        '[type="hidden"]',
    )
)
HIDDEN_CLASS = re.compile(
    r"(?:^|\s)(?:hidden|hide|d-none|sr-only|visually-?hidden|screen-?reader-?(?:text|only)|"
    r"element-invisible|offscreen|tooltip|hover-?card|popover)(?:\s|$)"
)
# Screen-reader-only text under a namespace or in camel case ("go-vh", "u-visually-hidden",
# "srlabel", "hideCompletely"): words that frame a box for the blind ("Further information ...
# End of further information") or say where a link opens ("opens in a new window").
_SR_CLASS = re.compile(
    r"(?:^|[\s_-])(?:sr-?(?:only|text|label)|vh|visually-?hidden|hide-?completely|"
    r"screen-?reader(?:-?(?:text|only))?)(?:\s|$)",
    re.IGNORECASE,
)


@lru_cache(maxsize=16384)
def hidden_class(value: str) -> bool:
    """True when a class value keeps its element off screen (or for screen readers only).
    Cached: it is asked of every element of the story, and pages repeat their class values."""
    return HIDDEN_CLASS.search(value) is not None or _SR_CLASS.search(value) is not None


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
        "infobox",
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
LEADING_DIGITS = re.compile(r"\d+")


@lru_cache(maxsize=16384)
def words(value: str) -> frozenset[str]:
    """Class/id value as lower-case words, plus each hyphen-joined pair: "rel-post relatedPosts"
    gives {"rel", "post", "related", "posts", "rel-post", "related-posts", "relpost", ...}."""
    tokens = value.split()
    if len(tokens) == 1:
        return _token_words(tokens[0])
    return frozenset().union(*map(_token_words, tokens))


@lru_cache(maxsize=16384)
def _token_words(token: str) -> frozenset[str]:
    """words() of one class token. Cached by token, not only by value: a page's class values
    are mostly new to the cache, while their tokens ("col-md-4", "article", "btn") repeat."""
    if token.islower() and token.isalpha():  # one plain word: it is its only part
        return frozenset((token,))
    parts, lowered = token_parts(token)
    out = set(parts)
    for part in parts:
        if not part.isalpha():
            out.add(LEADING_DIGITS.sub("", part))
    for a, b in itertools.pairwise(parts):  # _token_bits() reads the same words
        out.add(f"{a}-{b}")
        out.add(a + b)
    out.add(lowered)
    out.discard("")
    return frozenset(out)


def token_parts(token: str) -> tuple[list[str], str]:
    """A token's lower-case parts (split at hyphens, underscores and camelCase), and the token
    in lower case."""
    # Most tokens are new to the cache, so the regexes run only where they can change
    # something: most tokens are lower case.
    if token.islower():
        # No capital to split camelCase at, and no whitespace (it is a token): the separators
        # left are hyphens and underscores.
        return [p for p in token.replace("_", "-").split("-") if p], token
    return [p for p in _SPLIT.split(_CAMEL.sub(" ", token).lower()) if p], token.lower()


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
    return class_id_of(node.attributes)


def class_id_of(attrs: Mapping[str, str | None]) -> str:
    """class_id() from attributes already read (each read of a node's attributes builds a new
    dict)."""
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


# Inline elements: inside a sentence they are the sentence's words, whatever their class says
# ("tag-link" on a linked name in the text is not a tag list).
INLINE_TAGS: frozenset[str] = frozenset(
    "a span em strong b i u small mark abbr cite q sup sub time font".split()
)


def in_sentence(node: LexborNode) -> bool:
    """True for an inline element with text right beside it: part of a running sentence."""
    return node.tag in INLINE_TAGS and text_beside(node)


def text_beside(node: LexborNode) -> bool:
    """True when text stands right before or after the node (in_sentence() for a node known
    to be inline)."""
    for side in (node.prev, node.next):
        if side is not None and side.is_text_node and (side.text_content or "").strip():
            return True
    return False

"""Verdicts on class and id names: furniture, the story's container, or a page builder's
text block named like furniture. The words are vocab.py's; these functions run on every
classed node of a page, so they read class tokens as bits (see _token_bits)."""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract.document import linked_chars, stripped_text
from scraper.extract.vocab import (
    BODY_WORDS,
    BOILERPLATE_WORDS,
    CAPTION_WORDS,
    EMBED_WORDS,
    LEADING_DIGITS,
    class_id,
    token_parts,
    words,
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
    if heading is not None and len(stripped_text(heading)) == len(stripped_text(node)) > 0:
        return True
    for p in node.css("p"):
        text = len(stripped_text(p))
        if text >= PROSE_PARAGRAPH_CHARS and linked_chars(p) < 0.25 * text:
            return True
    return False


def furniture_named(node: LexborNode, value: str) -> bool:
    """True for a node whose class/id value names furniture, unless it is a page builder's
    text block (see spared)."""
    return is_boilerplate(value) and not spared(node, value)


def is_boilerplate(value: str) -> bool:
    """True when a class/id value names page furniture rather than article text."""
    met = _vocabularies(value)  # which of the vocabularies the value's words() meet
    if met & _BODY:
        return False
    if met & _CAPTION:
        return True
    if met & _EMBED:
        return False
    return bool(met & _BOILERPLATE) or bool(BOILERPLATE_PREFIX.search(value.lower()))


# Words that keep a boilerplate-looking wrapper when it may hold the story ("comments-content"
# is furniture, "main-column has-sidebar" may be the page): readability's "maybe" list.
MAYBE_BODY_WORDS: frozenset[str] = frozenset({"article", "body", "content", "main", "column"})


def is_unlikely(value: str) -> bool:
    """True for furniture names without a hint that the story may be inside."""
    met = _vocabularies(value)
    if met & (_BODY | _MAYBE_BODY):
        return False
    return bool(met & _CAPTION) or (bool(met & _BOILERPLATE) and not met & _EMBED)


def is_body_container(value: str) -> bool:
    """True when a class/id value names the article's text container."""
    return bool(_vocabularies(value) & _BODY)


def named_containers(root: LexborHTMLParser | LexborNode) -> list[LexborNode]:
    """The elements under root (itself included) whose class or id names the article's text
    container, in document order."""
    # Every classed node is asked: each distinct name is judged once (pages repeat them).
    verdicts: dict[str, bool] = {}
    found = []
    previous = 0
    for node in root.css("[class], [id]"):
        if node.mem_id == previous:
            continue  # a node with a class and an id is listed twice, in a row
        previous = node.mem_id
        value = class_id(node)
        if (verdict := verdicts.get(value)) is None:
            verdict = verdicts[value] = is_body_container(value)
        if verdict:
            found.append(node)
    return found


# The three verdicts above ask only which of a few vocabularies a value's words() meet. Every
# classed node of a page is judged, most of its class tokens are new to the cache, and building
# a token's word set costs more than looking each of its words up once: so a token is read as
# bits, one per vocabulary its words meet (the same words as words(): a test checks).
_BODY, _MAYBE_BODY, _CAPTION, _EMBED, _BOILERPLATE = 1, 2, 4, 8, 16
_WORD_BITS: dict[str, int] = {}
for _bit, _vocabulary in (
    (_BODY, BODY_WORDS),
    (_MAYBE_BODY, MAYBE_BODY_WORDS),
    (_CAPTION, CAPTION_WORDS),
    (_EMBED, EMBED_WORDS),
    (_BOILERPLATE, BOILERPLATE_WORDS),
):
    for _word in _vocabulary:
        _WORD_BITS[_word] = _WORD_BITS.get(_word, 0) | _bit


@lru_cache(maxsize=16384)
def _vocabularies(value: str) -> int:
    """The bits of the vocabularies that the words() of a class/id value meet."""
    met = 0
    for token in value.split():
        met |= _token_bits(token)
    return met


@lru_cache(maxsize=16384)
def _token_bits(token: str) -> int:
    """The bits of the vocabularies that the words of one token meet (see _token_words)."""
    get = _WORD_BITS.get
    if token.islower() and token.isalpha():
        return get(token, 0)
    parts, lowered = token_parts(token)
    met = get(lowered, 0)
    for part in parts:
        met |= get(part, 0)
        if not part.isalpha():
            met |= get(LEADING_DIGITS.sub("", part), 0)
    for a, b in itertools.pairwise(parts):
        met |= get(f"{a}-{b}", 0) | get(a + b, 0)
    return met

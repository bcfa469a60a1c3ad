"""The headline of a page with no h1 and no structured title: the block its class names the
title ("article-title", "entry_title", "storyHeadline") that the <title> witnesses.

Without an h1, JSON-LD, og:title or itemprop=headline, the <title> is the last source, and it
joins the headline with a site's name, a section or a kicker in an order nobody can read from
the title alone, or it is a rewording written for search. A block the page's own markup names
as the title says which: one that repeats a run of the title's segments, or rewords the title
(most of its words are the title's), is the headline as the page shows it. The site's, logos'
and widgets' titles are named so too, and are left out by their class words and by the
furniture around them."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from selectolax.lexbor import LexborNode

from scraper.extract.candidate import Candidate
from scraper.extract.document import Doc
from scraper.extract.fields import unescape
from scraper.extract.furniture import FURNITURE_WORDS, Header, node_text
from scraper.extract.titles import (
    held_beside_name,
    is_site,
    key,
    segment_runs,
    site_keys,
    strip_site_name,
)
from scraper.extract.vocab import words

# fmt: off
# A class token naming a title, in English and the spellings of other languages, whole or
# glued to other words ("posttitle", "storyHeadline", "artikel-titel").
_TITLE_PART = re.compile(r"title|headline|heading|hdln|titel|titulo|titre|titolo|tytul")
# The same word with a prefix making it a subtitle or a kicker, not the headline.
_SUB_TITLE = re.compile(
    r"(?:sub|unter|sotto|sous|over|ober|pre|dach|top)[-_]?(?:title|headline|heading|titel|titulo"
    r"|titre|titolo|tytul)"
)
# Class words of blocks titling something else than the story: the site, a logo, a widget, a
# menu, a teaser card, a picture, an author's role, a section.
_OTHER_WORDS: frozenset[str] = frozenset({
    "site", "logo", "brand", "branding", "widget", "widgets", "menu", "sidebar", "nav",
    "module", "block", "box", "section", "category", "card", "teaser", "list", "item", "tab",
    "tabs", "slide", "slider", "carousel", "gallery", "image", "img", "photo", "video", "media",
    "caption", "author", "bio", "meta", "seo", "toolbar", "bar", "banner", "modal", "popup",
    "dialog", "tooltip", "link", "links", "sub", "kicker", "label", "sr", "screen", "visually",
    "hidden", "small", "mini", "sm", "xs", "footer", "related", "more", "next", "prev",
    "previous", "podcast", "newsletter", "promo", "ad", "ads", "comment", "comments",
})
# A block's text read, at most: a headline is shorter.
_MAX_CHARS = 400
# A title run shorter than this (letters and digits) is too common to trust as a match.
_MIN_KEY = 10
# Classed elements looked at, in page order.
_MAX_NODES = 5000
# A block rewording the title shares this share of its words with it, and has this many.
_MIN_SHARED = 0.6
_MIN_WORDS = 3
# Letters of a word compared: endings aside.
_STEM = 5
_WORD = re.compile(r"[^\W_]+")
# Elements inside a block looked at for the title's part.
_MAX_PARTS = 40
# Tags whose text is no visible block's.
_SKIP_TAGS = frozenset({"title", "meta", "link", "script", "style", "option", "select", "img"})
# fmt: on


@lru_cache(maxsize=4096)
def names_title(value: str) -> bool:
    """True for a class value naming the story's title: a token holding a title word that is
    not a subtitle's or kicker's, and no word naming the block as something else's."""
    tokens = value.lower().split()
    named = any(_TITLE_PART.search(t) and not _SUB_TITLE.search(t) for t in tokens)
    return named and not words(value) & (_OTHER_WORDS | FURNITURE_WORDS)


def _stems(text: str) -> set[str]:
    """The text's words, case-folded and cut to their first letters: the same word inflected
    ("Canada", "Canadian") or spelled with another ending reads the same."""
    return {w[:_STEM] for w in _WORD.findall(text.casefold())}


def _score(text: str, runs: dict[str, str], whole: str, stems: set[str]) -> float:
    """How well the title witnesses a block: 2 plus its length when the block repeats a run of
    its segments, the share of its words the title holds when it rewords the title (a title
    rewritten for search), 0 when it is a part of the title (the title holds a kicker the
    block leaves out) or shares too little with it."""
    k = key(text)
    if len(k) < _MIN_KEY:
        return 0.0
    if k in runs:
        return 2.0 + len(k) / 1000
    if k in whole:
        return 0.0
    own = _stems(text)
    if len(own) < _MIN_WORDS:
        return 0.0
    share = len(own & stems) / len(own)
    return share if share >= _MIN_SHARED else 0.0


def _best_part(node: LexborNode, score: Callable[[str], float]) -> tuple[float, str]:
    """The block's score and text, or those of an element inside it that holds most of its
    text and scores higher: the headline beside a kicker, a label or share buttons."""
    text = node_text(node, limit=_MAX_CHARS)
    best = (score(text), text)
    size = len(key(text))
    for count, child in enumerate(node.traverse()):
        if count >= _MAX_PARTS:
            break
        if child is node:
            continue
        part = node_text(child, limit=_MAX_CHARS)
        if 2 * len(key(part)) >= size and (found := score(part)) > best[0]:
            best = (found, part)
    return best


def classed_title(doc: Doc, site_name: str | None) -> Candidate[str] | None:
    """On a page without an h1, the class-named title block the <title> witnesses best (see
    _score), outside furniture; None when there is none, or when it is the site's name or a
    text the title holds beside the site's name only."""
    raw = unescape(doc.title)
    body = doc.tree.body
    if not raw or body is None or doc.tree.tags("h1"):
        return None
    keys = site_keys(site_name, doc.url)
    runs = {k: t for k, t in segment_runs(raw).items() if len(k) >= _MIN_KEY}
    stems = _stems(strip_site_name(raw, site_name, doc.url))
    whole = key(raw)
    outside = Header(None)
    best: tuple[float, str] | None = None
    for node in body.css("[class]")[:_MAX_NODES]:
        if node.tag in _SKIP_TAGS or not names_title(node.attributes.get("class") or ""):
            continue
        score, text = _best_part(node, lambda t: _score(t, runs, whole, stems))
        if score <= (best[0] if best else 0.0) or outside.place(node)[0]:
            continue
        if is_site(text, keys) or held_beside_name(text, raw, keys):
            continue
        best = (score, text)
    if best is None:
        return None
    # A block repeating the whole title only confirms the title: the title is the source.
    return Candidate(best[1], "title" if key(best[1]) == whole else "class")

"""The page's named elements, found once for the byline, the dates and the author boxes.

Each of those looks for elements whose class or id holds one of its words as a substring
(`[class*=date i]`), and lexbor pays for every word of a selector list at every element: the
three lists (some sixty selectors) cost more than the rest of the reading before the body. One
cheap query lists the elements that have a class, id, data-testid or itemprop (and the <time>s),
each element's attributes are read once, and what each list would have matched follows from
verdicts on the attribute values, cached, as pages repeat the same classes again and again.
The same walk keeps the itemprop elements and rel=author links, which the byline and the
headline would each query the page for again.

The answers are exactly what `css()` with those lists returns: elements in document order, an
element listed once per selector of the list it matches (lexbor reports each match, in a row),
words matched ASCII-case-insensitively (the `i` flag), `~=` split at HTML whitespace only."""

from __future__ import annotations

import re
from functools import lru_cache

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract.document import Doc
from scraper.extract.wordtrie import word_trie

# fmt: off
# Class substrings of elements that may show a date as text (datevisible.py reads them).
DATE_CLASSES: tuple[str, ...] = (
    "date", "time", "byl", "meta", "posted", "publish", "updated", "modified", "datum", "fecha",
    "aktualis", "actualiz", "aggiorn", "atualiz",
)
# Class and id substrings of byline elements (byline.py), and data-testid ones, which React
# and similar apps use to name their parts when their classes are hashes.
BYLINE_NAMES: tuple[str, ...] = (
    "byl", "author", "contributor", "writer", "reporter", "autor", "auteur", "firma",
    "signature", "by-line", "submitted", "created",
)
BYLINE_TESTIDS: tuple[str, ...] = ("byline", "author", "contributor")
# Class and id substrings of author boxes (bio.py).
BOX_NAMES: tuple[str, ...] = ("author", "bio", "contributor", "writer", "autor")
# fmt: on

# What lexbor's `~=` splits a value at, and what its `i` flag folds: ASCII only (str.lower()
# and str.split() reach further, "K" for the Kelvin sign, non-breaking spaces).
_HTML_SPACE = re.compile(r"[ \t\n\f\r]+")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_NAMED = ":is([class], [id], [data-testid], [itemprop], time, a[rel~=author])"
_TIME_ID = LexborHTMLParser("<time></time>").css_first("time").tag_id  # type: ignore[union-attr]
_A_ID = LexborHTMLParser("<a></a>").css_first("a").tag_id  # type: ignore[union-attr]
_AUTHOR = "author"
_KEY = "named-elements"
_PROPS_KEY = "named-itemprops"
_REL_KEY = "named-rel-authors"


def date_selector() -> str:
    """The selector list date_nodes() answers, after "time, "."""
    return "time:not([datetime]), " + ", ".join(f"[class*={w} i]" for w in DATE_CLASSES)


def byline_selector(itemprop: bool = True) -> str:
    """The selector list byline_nodes() answers (with itemprop), as CSS for node.css()."""
    found = ", ".join(f"[{a}*={w} i]" for a in ("class", "id") for w in BYLINE_NAMES)
    found += "".join(f", [data-testid*={w} i]" for w in BYLINE_TESTIDS)
    return found + (", [itemprop~=author]" if itemprop else "")


BOX_SELECTOR = ", ".join(f"[{a}*={w} i]" for a in ("class", "id") for w in BOX_NAMES)


# Any word of the lists, in a value already lower-cased: most values hold none, one scan tells.
_ANY = re.compile(word_trie(sorted(set(DATE_CLASSES + BYLINE_NAMES + BYLINE_TESTIDS + BOX_NAMES))))
_NONE = (0, 0, 0)


def ascii_lower(value: str) -> str:
    """value with ASCII letters lower-cased only, as lexbor's `i` flag folds them."""
    return value.lower() if value.isascii() else value.translate(_ASCII_LOWER)


@lru_cache(maxsize=16384)
def _class_counts(value: str) -> tuple[int, int, int]:
    """How many selectors of the date, byline and box lists a class value matches."""
    low = ascii_lower(value)
    if _ANY.search(low) is None:
        return _NONE
    return (
        len([w for w in DATE_CLASSES if w in low]),
        len([w for w in BYLINE_NAMES if w in low]),
        len([w for w in BOX_NAMES if w in low]),
    )


@lru_cache(maxsize=16384)
def _id_counts(value: str) -> tuple[int, int]:
    """How many selectors of the byline and box lists an id value matches."""
    low = ascii_lower(value)
    if _ANY.search(low) is None:
        return 0, 0
    return len([w for w in BYLINE_NAMES if w in low]), len([w for w in BOX_NAMES if w in low])


@lru_cache(maxsize=4096)
def _testid_count(value: str) -> int:
    low = ascii_lower(value)
    return len([w for w in BYLINE_TESTIDS if w in low])


@lru_cache(maxsize=4096)
def _words(value: str) -> frozenset[str]:
    """The words of a `~=` match: split at HTML whitespace only."""
    return frozenset(_HTML_SPACE.split(value))


def _named(doc: Doc) -> list[tuple[LexborNode, int, int, int]]:
    """(element, date, byline, box selectors it matches) for each element matching any; the
    itemprop elements and rel=author links are kept on the way (see itemprop_nodes)."""
    if (found := doc.memo.get(_KEY)) is not None:
        return found  # type: ignore[no-any-return]
    found = []
    props: list[tuple[LexborNode, str]] = []
    rel_authors: list[LexborNode] = []
    for node in doc.tree.css(_NAMED):
        attrs = node.attributes
        date = byline = box = 0
        if value := attrs.get("class"):
            date, byline, box = _class_counts(value)
        if value := attrs.get("id"):
            more, boxes = _id_counts(value)
            byline += more
            box += boxes
        if value := attrs.get("data-testid"):
            byline += _testid_count(value)
        if value := attrs.get("itemprop"):
            props.append((node, value))
            if _AUTHOR in _words(value):
                byline += 1
        tag = node.tag_id
        if tag == _TIME_ID:  # "time", and "time:not([datetime])"
            date += 1 if "datetime" in attrs else 2
        elif tag == _A_ID and (value := attrs.get("rel")) and _AUTHOR in _words(ascii_lower(value)):
            rel_authors.append(node)
        if date or byline or box:
            found.append((node, date, byline, box))
    doc.memo[_KEY] = found
    doc.memo[_PROPS_KEY] = props
    doc.memo[_REL_KEY] = rel_authors
    return found


def itemprop_nodes(doc: Doc, name: str) -> list[LexborNode]:
    """doc.tree.css(f"[itemprop~={name}]"): read on the way, the query walks the page again."""
    _named(doc)
    props: list[tuple[LexborNode, str]] = doc.memo[_PROPS_KEY]
    return [node for node, value in props if name in _words(value)]


def rel_author_links(doc: Doc) -> list[LexborNode]:
    """doc.tree.css("a[rel~=author]") (rel's value is matched without case, as HTML says)."""
    _named(doc)
    links: list[LexborNode] = doc.memo[_REL_KEY]
    return links


def date_nodes(doc: Doc, limit: int) -> list[LexborNode]:
    """doc.tree.css("time, " + date_selector())[:limit]."""
    return _repeated(doc, 1, limit)


def box_nodes(doc: Doc, limit: int) -> list[LexborNode]:
    """doc.tree.css(BOX_SELECTOR)[:limit]."""
    return _repeated(doc, 3, limit)


def _repeated(doc: Doc, kind: int, limit: int) -> list[LexborNode]:
    """The named elements of one kind (a column of _named's rows), each as many times as
    lexbor's selector list would give it."""
    out: list[LexborNode] = []
    for node, *counts in _named(doc):
        if count := counts[kind - 1]:
            out.extend([node] * count)
            if len(out) >= limit:
                break
    return out[:limit]


def byline_nodes(doc: Doc, near: LexborNode, limit: int) -> list[LexborNode]:
    """near.css(byline_selector())[:limit]: the byline-named elements in near (itself too)."""
    top = near.mem_id
    root = doc.tree.root
    if root is None or not _under(root, top, near):
        return near.css(byline_selector())[:limit]  # outside the page's tree (a template's)
    known: dict[int, bool] = {}
    out: list[LexborNode] = []
    for node, _, count, _ in _named(doc):
        if count and _within(node, top, known):
            out.extend([node] * count)
            if len(out) >= limit:
                break
    return out[:limit]


def _under(root: LexborNode, top: int, near: LexborNode) -> bool:
    """True when near is the page's root, an element under it, or the document above it."""
    if root.parent is not None and root.parent.mem_id == top:
        return True
    return _within(near, root.mem_id, {})


def _within(node: LexborNode, top: int, known: dict[int, bool]) -> bool:
    """True when the element `top` is node or one of its ancestors; `known` keeps the answer
    for every ancestor walked, so the page's elements are walked about once in all."""
    path: list[int] = []
    cur: LexborNode | None = node
    verdict = False
    while cur is not None:
        key = cur.mem_id
        if key == top:
            verdict = True
            break
        if (seen := known.get(key)) is not None:
            verdict = seen
            break
        path.append(key)
        cur = cur.parent
    for key in path:
        known[key] = verdict
    return verdict

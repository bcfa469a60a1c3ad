"""Where a story's text begins: the dateline that opens its first paragraph ("Musterstadt,
12.03.2019 – Die Stadt hat ...", "SPRINGFIELD, March 12, 2019 — The council ..."), and, on a
page without a heading element, the block that shows its title.

Press releases and the news pages of institutions and associations often show their date only
there, at the head of the text, by a convention older than the web. Only the first paragraph
after the headline is read, and only a short head that ends in a dash, a colon, or the full
stop after the year: a date inside the story's sentences is what the story is about."""

from __future__ import annotations

import re
from datetime import datetime

from selectolax.lexbor import LexborNode

from scraper.extract.datetext import When
from scraper.extract.datevisible import header_block, read_date
from scraper.extract.document import Doc, clean_text
from scraper.extract.fields import jsonld_text
from scraper.extract.headline import Header, ancestors, is_hidden, node_text

# The head before the separator: "Musterstadt, 12.03.2019 –", "12. März 2019:".
_DASHED = re.compile(r"^(.{6,70}?)\s*(?:[–—]|\s--?\s|:\s)")
# The head that ends with the year's full stop: "Musterstadt, 12. März 2019. Die Stadt ...".
_STOPPED = re.compile(r"^(.{6,70}?(?:19|20)\d\d)\.\s+[^\W\d_]")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)|\d\.\s?\d{1,2}\.\s?\d\d(?!\d)")
_MAX_WORDS = 6
# A sentence's end: a word longer than an abbreviation ("Mar.", "Sept.", "St.") and a stop.
_SENTENCE_END = re.compile(r"[^\W\d_]{5,}[.!?]\s")
# Words that open a sentence about a date, not a dateline.
_OPENERS = frozenset(
    "am an seit bis vom von im in ab nach vor um zum zur on since until till by from after "
    "before at during dès depuis le el desde hasta il dal".split()
)
# A dateline's head ends with its date: a number, or the time's "Uhr" / "am" / "pm".
_ENDS_DATE = re.compile(r"\d|^(?:uhr|[ap]\.?m\.?)$", re.IGNORECASE)
# A paragraph, not a meta line: its length, and how many elements after the headline are read.
_MIN_PARAGRAPH = 80
_MAX_NODES = 200
# Elements that may hold a title set as text, and how many of them are read.
_ANCHOR_TAGS = "p, div, span, strong, b, td, th, h3, h4, h5, h6, font, em"
_MAX_ANCHOR_NODES = 3000
_MIN_TITLE = 15
_MAX_TITLE = 300
_TITLE_SEPARATOR = re.compile(r"\s+[-|–—:·»]\s+")
_NOT_STORY = frozenset({"figure", "figcaption", "aside", "blockquote", "a", "header", "footer"})


def dateline(doc: Doc, header: Header, now: datetime) -> When | None:
    """The date of the dateline that opens the first paragraph after the headline."""
    first = _first_paragraph(header)
    if first is None:
        return None
    for pattern in (_DASHED, _STOPPED):
        m = pattern.match(first)
        if m is None:
            continue
        head = m.group(1).strip()
        words = head.split()
        if len(words) > _MAX_WORDS or not _YEAR.search(head) or head[0] in "\"'„“«»":
            continue
        if _SENTENCE_END.search(head):
            continue  # "Die Stadt saniert. Lindenfeld, 12.03.2019 – ...": inside the text
        if words[0].lower() in _OPENERS or not _ENDS_DATE.search(words[-1]):
            continue  # "Am 12. März 2019 – ...", "Since March 2019, ...": the story's sentence
        return read_date(doc, head, now)
    return None


def _first_paragraph(header: Header) -> str | None:
    """The text of the first long <p> after the h1 in its block, where the story begins."""
    block = header_block(header)
    if block is None or header.h1 is None:
        return None
    seen = False
    for order, node in enumerate(block.traverse()):
        if order > _MAX_NODES:
            break
        if node.mem_id == header.h1.mem_id:
            seen = True
        elif seen and node.tag == "p" and not any(a.tag in _NOT_STORY for a in ancestors(node)):
            text = node_text(node, limit=_MIN_PARAGRAPH * 4)
            if len(text) >= _MIN_PARAGRAPH:
                return text
    return None


def title_anchor(doc: Doc) -> LexborNode | None:
    """The innermost element outside furniture whose whole text is the page's title (its
    <title>, a part of it, og:title or the JSON-LD headline): on a page that sets its headline
    in a <p class="titulo"> or a table cell, the place the story's date line stands beside."""
    keys = _title_keys(doc)
    if not keys:
        return None
    outside = Header(None)
    for node in doc.tree.css(_ANCHOR_TAGS)[:_MAX_ANCHOR_NODES]:
        if len(node.text()) > _MAX_TITLE or _key(node_text(node, limit=_MAX_TITLE)) not in keys:
            continue
        if is_hidden(node) or outside.place(node)[0]:
            continue
        return _innermost(node, keys)
    return None


def _innermost(node: LexborNode, keys: set[str]) -> LexborNode:
    """The deepest element down a chain of wrappers that all hold the same title text."""
    for _ in range(10):
        child = next((c for c in node.iter() if _key(node_text(c, limit=_MAX_TITLE)) in keys), None)
        if child is None:
            break
        node = child
    return node


def _title_keys(doc: Doc) -> set[str]:
    titles = [doc.title or "", doc.meta_first("og:title") or "", jsonld_text(doc, "headline") or ""]
    keys = set()
    for title in titles:
        for part in [title, *_TITLE_SEPARATOR.split(title)]:
            if len(key := _key(part)) >= _MIN_TITLE:
                keys.add(key)
    return keys


def _key(text: str) -> str:
    return clean_text(text).casefold()

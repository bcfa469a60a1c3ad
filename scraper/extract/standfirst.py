"""The standfirst (teaser, lead, chapô): the paragraph under the headline that opens the story.

Pages set it apart from the body text, often in the header with the headline, under a class
that reads as furniture ("teaser", "summary"), so the body's container leaves it out. Its
text is also the page's description (JSON-LD, og:description, meta description): a visible
block that opens with the description, before the story's first paragraph, is the standfirst.
One selector query finds it (lexbor matches text in C); nothing is read when there is none."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract.document import clean_text, one_spaced
from scraper.extract.vocab import BLOCK_TAGS, SKIP_TAGS

# The words of the description looked for in the page: enough to be unique, few enough to sit
# in one text node before any link or emphasis.
PROBE_CHARS = 40
MIN_PROBE_CHARS = 15
# How much of the start of the block and of the description must agree.
MATCH_CHARS = 60
MIN_MATCH_CHARS = 20
# A standfirst is a paragraph or two, not the story: a longer block is the story itself.
MAX_STANDFIRST_CHARS = 1200
# Words of the body's first paragraph looked for in the page's text, to place it.
OPENING_WORDS = 6
# Never a standfirst, even when the description repeats its text.
_NOT_LEAD = frozenset({"h1", "title", "head", "script", "style", "noscript", "template", "figure"})


@dataclass(frozen=True)
class Standfirst:
    """The standfirst's text, the page's text (as parsed, not normalised: cheap) and where the
    standfirst stands in it, to place it against the body's first paragraph."""

    text: str
    page_text: str
    offset: int


def _key(text: str) -> str:
    return one_spaced(text).casefold()


# Characters a probe never spans: a CSS string cannot carry quotes and backslashes plainly, and
# a no-break or thin space may be written as a plain one on the page (or the other way round).
_PROBE_BREAK = re.compile('["\\\\\u00a0\u2007\u2009\u202f]')
# A word this long of the description's opening is looked for when its words are not found
# together: each probe must lie in one text node ("<a>Samsung</a> has lost..." splits them).
MIN_WORD_PROBE = 6


def _probes(description: str) -> list[str]:
    """What to look for in the page's text nodes: the first long enough run of the
    description's plain text, then its opening's longest word (a link or emphasis on the
    standfirst's first words, or a no-break space the cleaned description lacks, splits runs
    of words over text nodes; one word spans none)."""
    text = re.sub(r"[ \t\r\n]+", " ", description).strip()
    probes: list[str] = []
    runs = [r.strip() for r in _PROBE_BREAK.split(text[: 4 * PROBE_CHARS])]
    run = next((r for r in runs if len(r) >= MIN_PROBE_CHARS), "")
    if len(run) > PROBE_CHARS:
        run = run[:PROBE_CHARS].rsplit(" ", 1)[0]
    if len(run) >= MIN_PROBE_CHARS:
        probes.append(run)
    word = max(re.findall(r"\w+", text[:MATCH_CHARS]), key=len, default="")
    if len(word) >= MIN_WORD_PROBE and word not in probes:
        probes.append(word)
    return probes


def _block_of(node: LexborNode) -> LexborNode | None:
    """The nearest block element holding node, or None inside a caption, header tag, etc."""
    current: LexborNode | None = node
    while current is not None and current.tag not in BLOCK_TAGS:
        if current.tag in _NOT_LEAD:
            return None
        current = current.parent
    if current is None or current.tag in SKIP_TAGS:
        return None
    ancestor = current.parent
    while ancestor is not None:
        if ancestor.tag in SKIP_TAGS or ancestor.tag in _NOT_LEAD:
            return None
        ancestor = ancestor.parent
    return current


# A dateline before the standfirst's first sentence ("Berlin. ", "PARIS — "): a few words and
# a stop or a dash, which the description leaves out.
_DATELINE = re.compile(r"^\W{0,2}\w[\w .'/()-]{0,30}?(?:[.:]| [-–—|]) ")


def _agrees(text: str, description: str) -> bool:
    """The block opens with the description (or the description with the block, when it is
    the shorter), perhaps after a dateline: a truncated description ("…") still agrees."""
    a, b = _key(text), _key(description).rstrip(".… ")
    k = min(MATCH_CHARS, len(a), len(b))
    if k < MIN_MATCH_CHARS:
        return False
    if a[:k] == b[:k]:
        return True
    dateline = _DATELINE.match(a)
    if dateline is None or len(dateline.group().split()) > 4:
        return False
    a = a[dateline.end() :]
    k = min(MATCH_CHARS, len(a), len(b))
    return k >= MIN_MATCH_CHARS and a[:k] == b[:k]


def find_standfirst(
    tree: LexborHTMLParser, descriptions: Iterable[str | None], headline: str | None
) -> Standfirst | None:
    """The visible block that opens with one of the page's descriptions. Call it before
    pruning: the block's class often reads as furniture."""
    body = tree.body
    if body is None:
        return None
    title = _key(headline or "")
    for description in dict.fromkeys(d for d in descriptions if d):
        if _key(description) == title:
            continue
        found: dict[str, str] = {}  # raw text -> clean text of each block that agrees
        for probe in _probes(description):
            for node in body.css(f':lexbor-contains("{probe}" i)'):
                block = _block_of(node)
                if block is None:
                    continue
                raw = block.text()
                text = clean_text(raw)
                short = len(text) <= MAX_STANDFIRST_CHARS and _key(text) != title
                if short and _agrees(text, description):
                    found[raw] = text
            if found:
                break
        if found:
            # The first on the page wins (a body paragraph may repeat the standfirst).
            page_text = body.text()
            offset, raw = min((page_text.find(raw), raw) for raw in found)
            return Standfirst(found[raw], page_text, offset)
    return None


def with_standfirst(paragraphs: list[str], lead: Standfirst | None) -> list[str]:
    """The paragraphs opened by the standfirst, when the body left it out and the page shows
    it before the body's first paragraph."""
    if lead is None or not paragraphs:
        return paragraphs
    if _key(lead.text)[:MATCH_CHARS] in _key(" ".join(paragraphs)):
        return paragraphs
    # The first paragraph's first words, whatever whitespace the markup put between them.
    opening = r"\s+".join(re.escape(w) for w in paragraphs[0].split()[:OPENING_WORDS])
    found = re.search(opening, lead.page_text) if opening else None
    if lead.offset < 0 or (found is not None and found.start() < lead.offset):
        return paragraphs
    return [lead.text, *paragraphs]

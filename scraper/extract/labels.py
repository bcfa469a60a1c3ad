"""Bylines no class or id names: a line a word on the page marks ("Von Anna Martel", "Autorin:
Lea Wagner", "Text: Jan Berg"), the credit line after the story's last paragraph ("(Anna
Martel/dpa)"), and links to author pages near the headline.

Many CMSs give the byline no class that says so, or hashed CSS-in-JS names; the label in the
page's language, or the link's address, still does. The text near the headline is read once
and each text node that opens with a label gives its line (element) as a byline; byline.py
reads the names out of it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

from selectolax.lexbor import LexborNode

from scraper.extract.document import Doc, stripped_text
from scraper.extract.headline import INLINE_TAGS, Header, ancestors, is_hidden, node_text
from scraper.extract.named import ascii_lower
from scraper.extract.names import DATED_BY, Names, is_agency, split_names
from scraper.extract.vocab import class_id, words

# fmt: off
# A label, then a name in the same text node, or nothing (the name follows in the next element:
# "<strong>Autor</strong> Jan Berg"). Prepositions ("Von", "By", "Par") need no colon and must be
# followed by a capital letter; nouns ("Autorin", "Text") need a colon or to stand alone.
# "di" only in lower case: "Di Maria" opens a name.
LABEL = re.compile(
    r"(?:(?:erstellt|verfasst|geschrieben|ein\s+(?:artikel|beitrag|bericht|kommentar)|"
    r"posted|written|words|story|reported|reporting|submitted|published|écrit|rédigé|publié|"
    r"escrito|redactado|publicado|scritto|pubblicato|geschreven|skrevet|skriven|napisane|"
    r"napisal[a]?|napsal[a]?)\s+)?"
    r"(?:von|by|par|por|door|av|af|przez|od|от|від)(?:\s*:\s*|\s+(?=[^\W\d_])|\s*(?=\x00|$))"
    r"|(?-i:di|a cura di)\s+(?=[^\W\d_])"
    r"|(?:autor(?:in|en|innen|ka|zy|ky|ki)?|authors?|auteur(?:e|s)?|autore|autori|text|texte|"
    r"texto|testo|tekst|yazar|автор(?:ка|и|ы)?|текст)"
    r"(?:\s*/\s*[^\W\d_]+|\s*\(\s*in\s*\)|\*in)?(?:\s*:\s*|\s*(?=\x00|$))",
    re.IGNORECASE,
)
# Text nodes as the region's text gives them, parted by a character no page text holds.
SEP = "\x00"
# The first two letters of every word LABEL can open with.
_STARTS: tuple[str, ...] = (
    "vo", "by", "pa", "po", "do", "av", "af", "pr", "od", "от", "ві", "di", "a ", "au", "te",
    "ya", "ав", "те", "er", "ve", "ge", "ei", "wr", "wo", "st", "re", "su", "pu", "éc", "ré",
    "es", "sc", "sk", "na",
)
_START_SET = frozenset(_STARTS)
# Where a text node opens with a letter some label opens with, or a parenthesis: a cheap,
# case-sensitive scan that skips from one separator to the next; LABEL is tried only there.
_FIRST = "".join(sorted({c for w in _STARTS for c in w[0] + w[0].upper()}))
_OPENING = re.compile(rf"{SEP}[^\S{SEP}]*(?=[({_FIRST}])")
_MAX_HITS = 50
# A text node that opens with a whole date and hands over to its author ("Posted on March 3,
# 2019 by …"): the date line's pattern after a separator, which the regex engine finds fast.
# Possessive, so a node of indentation is not backtracked into; a digit near its start first.
_DATED_OPENING = re.compile(
    rf"{SEP}[^\S{SEP}]*+(?=[^{SEP}\d]{{0,40}}+\d)(?={DATED_BY.pattern})", re.IGNORECASE
)
# Class/id words of picture captions and credits, whose "(Jane Roe/AP)" credits a photo.
_CAPTION_WORDS = frozenset(
    {"caption", "credit", "credits", "photo", "image", "img", "media", "gallery"}
)
# A credit in parentheses closing a text node or opening a dateline: "(dpa)", "Kiel (dpa/lno) -".
_AGENCY_CREDIT = re.compile(rf"\(\s*([^(){SEP}]{{2,40}}?)\s*\)\s*(?=[-–—]\s|{SEP}|$)")
# A credit in parentheses standing alone at the story's end: "(dpa)", "(Anna Martel/dpa)".
PAREN_CREDIT = re.compile(r"^\(\s*([^()]{2,80}?)\s*\)$")
_MAX_LINE_CHARS = 160
# A text this long is a paragraph of the story: credit lines follow the last of them.
_PARAGRAPH_CHARS = 150
# Paths of author pages: "/author/jane-doe", "/autoren/max-muster/", "/people/jane".
AUTHOR_HREF = re.compile(
    r"/(?:authors?|by|people|person|profiles?|staff|writers?|reporters?|journalists?|"
    r"contributors?|autor(?:en)?|auteurs?|autori|columnists?|team|user|members?)(?:/|-|$|\?)",
    re.IGNORECASE,
)
# Parts of their addresses, found before AUTHOR_HREF checks each hit: the selector list
# AUTHOR_LINK_SELECTOR, read by author_links() without lexbor's cost per selector and element.
_AUTHOR_LINK_PARTS: tuple[str, ...] = tuple(
    f"/{w}"
    for w in (
        "author", "autor", "auteur", "by/", "people/", "person/", "profile", "staff/", "writer",
        "reporter", "journalist", "contributor", "columnist",
    )
)
AUTHOR_LINK_SELECTOR = ", ".join(f'a[href*="{part}" i]' for part in _AUTHOR_LINK_PARTS)
_AUTHOR_LINK_PART = re.compile("|".join(re.escape(part) for part in _AUTHOR_LINK_PARTS))
# Levels from the h1 to the ancestor it shares with a byline, at most; and how many candidate
# elements and characters of each are read.
MAX_DISTANCE = 7
_MAX_CANDIDATES = 200
_MAX_RAW_CHARS = 250
# Levels above the headline to search: the article's header and the story beside it.
_REGION_LEVELS = 8
# fmt: on


@dataclass(frozen=True)
class LabelLine:
    """An element opening with a byline label, its levels from the h1, and whether it is the
    credit line after the story's last paragraph."""

    node: LexborNode
    distance: int
    credit: bool


def _line_of(text_node: LexborNode) -> LexborNode | None:
    """The element that holds the label and the names after it: the label's own element, or,
    when that holds the label alone ("<strong>Autor</strong> Jan Berg"), its inline parent."""
    node = text_node.parent
    if node is None:
        return None
    label = (text_node.text_content or "").strip()
    for _ in range(3):
        if node.tag not in INLINE_TAGS:
            break
        if len(stripped_text(node)) > len(label) + 1 or node.parent is None:
            break
        node = node.parent
    if node.tag in ("dt", "th"):  # "<dt>Autor</dt><dd>Jan Berg</dd>": the value beside it
        value = node.next
        while value is not None and not value.is_element_node:
            value = value.next
        return value if value is not None and value.tag in ("dd", "td") else None
    return node


def _region(header: Header) -> LexborNode | None:
    """The h1's ancestor some levels up: the article's header and the story beside it."""
    node = header.h1
    for _ in range(_REGION_LEVELS):
        if node is None or node.parent is None or node.parent.tag in ("body", "html"):
            break
        node = node.parent
    return node


def _long(node: LexborNode | None) -> bool:
    return node is not None and len(stripped_text(node)) >= _PARAGRAPH_CHARS


def _ends_story(line: LexborNode) -> bool:
    """True for a line after a story paragraph with no story paragraph after it (a caption's
    "(Jane Roe/AP)" has none before it)."""
    before = line.prev
    for _ in range(4):
        while before is not None and not before.is_element_node:
            before = before.prev
        if before is None or _long(before):
            break
        before = before.prev
    if not _long(before):
        return False
    after = line.next
    for _ in range(20):
        if after is None:
            return True
        if after.is_element_node and after.tag == "p" and _long(after):
            return False
        after = after.next
    return True


def _labelled_text_nodes(region: LexborNode) -> Iterator[tuple[LexborNode, str]]:
    """The region's text nodes that open with a label, or with a date and then a label, and
    their text. The region's text is read in one call with a separator between text nodes and
    searched with regexes; only when something matches is the tree walked, to the matching
    nodes and no further."""
    text = SEP + region.text(deep=True, separator=SEP, strip=False)
    wanted: dict[int, str] = {}
    index, counted = -1, 0
    for start in islice(sorted(_label_starts(text)), _MAX_HITS):
        end = text.find(SEP, start + 1)
        segment = text[start + 1 : end if end >= 0 else len(text)].strip()
        if len(segment) > _MAX_LINE_CHARS or (
            segment[0] == "(" and not PAREN_CREDIT.match(segment)
        ):
            continue
        index += text.count(SEP, counted, start + 1)
        counted = start + 1
        wanted[index] = segment
    for node, index in _text_nodes(region, set(wanted)):
        yield node, wanted[index]


def _label_starts(text: str) -> Iterator[int]:
    """Where a text node opening with a label, a credit in parentheses or a dated byline
    starts: the separator before it."""
    for match in _OPENING.finditer(text):
        at = match.end()
        if text[at] == "(" or (text[at : at + 2].lower() in _START_SET and LABEL.match(text, at)):
            yield match.start()
    for match in _DATED_OPENING.finditer(text):
        yield match.start()


def _text_nodes(region: LexborNode, wanted: set[int]) -> Iterator[tuple[LexborNode, int]]:
    """The region's text nodes at these positions (as region.text() parts them), in order;
    the walk stops at the last one."""
    if not wanted:
        return
    last = max(wanted)
    index = -1
    for node in region.traverse(include_text=True):
        if node.tag != "-text":
            continue
        index += 1
        if index in wanted:
            yield node, index
            if index == last:
                return


def agency_credits(header: Header, root: LexborNode | None) -> Names:
    """Credits naming a news agency in parentheses where a story's text ends or its dateline
    starts: "… sagte er. (dpa)", "(Anna Martel/dpa)", "Hamburg (dpa/lno) - Der Senat …"."""
    names = Names()
    region = _region(header) if header.h1 is not None else root
    if region is None:
        return names
    text = SEP + region.text(deep=True, separator=SEP, strip=False)
    found: dict[int, tuple[Names, bool]] = {}
    for match in _AGENCY_CREDIT.finditer(text):
        credit = split_names(match.group(1))
        if any(is_agency(org) for org in credit.orgs):
            dateline = text[match.end() : match.end() + 1] not in (SEP, "")
            found[text.count(SEP, 0, match.start()) - 1] = (credit, dateline)
        if len(found) >= _MAX_HITS:
            break
    for node, index in _text_nodes(region, set(found)):
        parent = node.parent
        if parent is None or _in_media(node) or header.place(parent)[0]:
            continue
        if any(words(class_id(a)) & _CAPTION_WORDS for a in islice(ancestors(node), 4)):
            continue
        credit, dateline = found[index]
        if dateline or (node.next is None and _ends_story(parent)):
            names.add(credit)
    return names


def label_lines(header: Header, root: LexborNode | None) -> Iterator[LabelLine]:
    """Lines near the headline that open with a byline label, in page order; with no h1, the
    lines of `root` (the article or the body)."""
    region = _region(header) if header.h1 is not None else root
    if region is None:
        return
    seen: set[int] = set()
    for node, text in _labelled_text_nodes(region):
        paren = text[0] == "("
        line = _line_of(node)
        if line is None or line.mem_id in seen:
            continue
        seen.add(line.mem_id)
        if _in_figure(line) or any(is_hidden(a) for a in ancestors(line, include_self=True)):
            continue
        furniture, distance = header.place(line)
        if furniture:
            continue
        raw = line.text(strip=True)
        if len(raw) > _MAX_LINE_CHARS or (paren and not PAREN_CREDIT.match(raw)):
            continue
        if line.tag not in ("dd", "td") and not _opens(line, raw, text[:12].strip()):
            continue  # the label word is in the middle of a sentence, not opening the line
        credit = _ends_story(line)
        if (paren and not credit) or (not credit and _mid_story(line)):
            continue
        yield LabelLine(line, distance if distance is not None else 0, credit)


def _opens(line: LexborNode, raw: str, label: str) -> bool:
    """True when the line opens with the label, or with a date and then the label ("Posted on
    <a>March 3, 2019</a> by …"); `raw` is the line's stripped text nodes, run together."""
    if raw.startswith(label):
        return True
    spaced = line.text(strip=False).strip()
    dated = DATED_BY.match(spaced)
    return dated is not None and spaced.startswith(label, dated.end())


def _mid_story(line: LexborNode) -> bool:
    """True for a line with story paragraphs on both sides, two before it (one may be the
    lead, which a byline may follow): a line of the story ("Von Mensch zu Mensch")."""
    before, after = _paragraphs(line.prev, before=True), _paragraphs(line.next, before=False)
    return before >= 2 and after >= 1


def _paragraphs(node: LexborNode | None, before: bool) -> int:
    """Story paragraphs among the next few siblings on one side, up to two."""
    count = 0
    for _ in range(12):
        if node is None or count >= 2:
            break
        if node.is_element_node and node.tag == "p" and _long(node):
            count += 1
        node = node.prev if before else node.next
    return count


def _in_figure(node: LexborNode) -> bool:
    return any(
        a.tag in ("figure", "figcaption", "picture", "blockquote", "a", "h1", "h2", "h3")
        for a in ancestors(node, include_self=True)
    )


def _in_media(node: LexborNode) -> bool:
    return any(a.tag in ("figure", "figcaption", "picture", "blockquote") for a in ancestors(node))


def near_headline(doc: Doc, header: Header) -> LexborNode | None:
    """The part of the page a byline can be in: the h1's ancestor MAX_DISTANCE levels up
    (anything further is too far from the headline), or the whole page without an h1."""
    node = header.h1
    if node is None:
        return doc.tree.root
    for _ in range(MAX_DISTANCE):
        if node.parent is None:
            break
        node = node.parent
    return node


def author_link_names(doc: Doc, header: Header, site_name: str | None) -> Names:
    """Names of links to author pages ("/author/jane-doe") standing in a short line near the
    headline: the byline of pages whose classes say nothing (hashed CSS-in-JS names)."""
    names = Names()
    near = near_headline(doc, header)
    for link in author_links(near, _MAX_CANDIDATES) if near else ():
        if not AUTHOR_HREF.search(link.attributes.get("href") or "") or _in_media(link):
            continue
        furniture, distance = header.place(link)
        if furniture or (header.h1 is not None and (distance is None or distance > MAX_DISTANCE)):
            continue
        line = next((a for a in ancestors(link) if a.tag not in INLINE_TAGS), None)
        if line is None or len(node_text(line, limit=_MAX_LINE_CHARS + 1)) > _MAX_LINE_CHARS:
            continue  # a link inside the story's text, to a person's topic page
        if is_hidden(link):
            continue
        found = split_names(node_text(link, limit=_MAX_RAW_CHARS), site_name)
        names.people.extend(found.people)
    return names


def author_links(near: LexborNode, limit: int) -> list[LexborNode]:
    """near.css(AUTHOR_LINK_SELECTOR)[:limit]: each link once per part its address holds
    (ASCII case folded), as lexbor lists an element once per selector it matches."""
    out: list[LexborNode] = []
    for link in near.css("a[href]"):
        attrs = link.attributes
        if "xlink:href" in attrs:  # an SVG link: lexbor reads either address, so it decides
            return near.css(AUTHOR_LINK_SELECTOR)[:limit]
        href = ascii_lower(attrs.get("href") or "")
        if _AUTHOR_LINK_PART.search(href) is None:
            continue
        if count := sum(part in href for part in _AUTHOR_LINK_PARTS):
            out.extend([link] * count)
            if len(out) >= limit:
                break
    return out[:limit]

"""Bytes to a parsed document: decoding, parsing once, and the page-wide facts every field reads."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract.structured import JSONLD_SCRIPTS, JsonLd, jsonld_of, meta_of

# A page past this size is cut before parsing: no article needs more, and parse time stays bounded.
MAX_HTML_CHARS = 8_000_000
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]{2,40})""", re.I
)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Labels that servers and pages use when they mean something wider (WHATWG encoding spec).
_ALIASES = {
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
    "latin1": "cp1252",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "x-sjis": "shift_jis",
    "gb2312": "gb18030",
    "gbk": "gb18030",
}
# The parser checks the stack of open elements for each new tag, so markup nested n deep costs
# about n squared: 10,000 deep parses in 0.1 s, 100,000 in 13 s, an 8 MB page of <div>s never.
# Past this depth the page is read as flat text (its paragraphs and headings kept).
MAX_DEPTH = 10_000
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)")
# Void elements, and elements that close themselves when a sibling starts: they never nest.
_NON_NESTING = frozenset(
    "br img input meta link hr source wbr col area base embed param track p li dt dd tr td th "
    "option".split()
)
_FLATTEN = re.compile(r"<(?!/?(?:p|br|h[1-6]|title)\b)[^>]*>", re.I)
_SCRIPTS = re.compile(r"<(script|style)\b.*?</\1\s*>", re.I | re.S)
# What parse() reads of every page: each of these selectors names one tag.
_HEAD_FACTS = f"meta[content], link[rel][href], {JSONLD_SCRIPTS}"


def _codec(label: str | None) -> str | None:
    """A Python codec name for a declared label, or None when Python does not know it."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _ALIASES.get(label, label)
    try:
        info = codecs.lookup(label)
    except LookupError:
        return None
    # "zlib", "hex", "rot13" are codecs too, but not text encodings a page can be in.
    return info.name if getattr(info, "_is_text_encoding", True) else None


def decode(data: bytes, declared: str | None = None) -> str:
    """Bytes to text: BOM, then the HTTP charset, then <meta charset>, then detection.

    A declared single-byte charset loses to UTF-8 when the bytes are valid UTF-8 with non-ASCII
    text: mislabelled UTF-8 is far more common on the web than Latin-1 that happens to validate."""
    return _decode(data, declared)[0]


def _decode(data: bytes, declared: str | None) -> tuple[str, bool]:
    """decode(), and whether the text is all of data read as strict UTF-8 (then data is the
    text's UTF-8 encoding, and the parser can take it as it is)."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(name, errors="replace"), False
    match = _META_CHARSET.search(data[:4096])
    labels: tuple[str | None, ...] = (declared, match.group(1).decode("ascii") if match else None)
    for label in labels:
        codec = _codec(label)
        if codec is None:
            continue
        if codec in ("cp1252", "iso8859-1", "ascii") and (text := _utf8(data)) is not None:
            return text, True
        if codec.startswith("utf-16") or codec == "utf-32":  # a meta tag cannot really say this
            continue
        try:
            return data.decode(codec), codec == "utf-8"
        except UnicodeDecodeError:
            break  # declared wrong: detect below
    if (text := _utf8(data)) is not None:
        return text, True
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    name = best.encoding if best is not None else "utf-8"
    return data.decode(name, errors="replace"), False


def _utf8(data: bytes) -> str | None:
    """The bytes as UTF-8 text, or None when they are not UTF-8 (decoded once: the test is
    the decoding)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def clean_text(text: str | None) -> str:
    """Whitespace collapsed to single spaces, ends trimmed; zero-width characters removed."""
    if not text:
        return ""
    if not text.isascii():  # (an O(1) flag) ASCII text holds none of the three
        text = text.replace("\u200b", "").replace("\ufeff", "").replace("\u00ad", "")
    return one_spaced(text)


def one_spaced(text: str) -> str:
    """ " ".join(text.split()): whitespace runs as single spaces, ends trimmed."""
    # split() breaks on the same characters as the regex \s (both ask str.isspace) and is
    # faster: this runs for every line of every page.
    return text if single_spaced(text) else " ".join(text.split())


def single_spaced(text: str) -> bool:
    """True when text is already what " ".join(text.split()) makes of it: words apart by one
    space, none at the ends. Every whitespace character but the space is unprintable (control
    characters, line and paragraph separators, the other spaces), so a printable text breaks
    at spaces alone: three C scans, cheaper than splitting and joining the same string again
    (as most lines of a page need)."""
    return text.isprintable() and text[:1] != " " and text[-1:] != " " and "  " not in text


def code_text(text: str) -> str:
    """Preformatted text (a <pre> code block) as one paragraph that keeps its lines and their
    indentation: collapsed to one line, code loses its sense. Blank lines go, since a blank line
    separates paragraphs in the body's text; so does the indentation all lines share."""
    text = text.replace("\u200b", "").replace("\ufeff", "").replace("\u00ad", "")
    lines = [line.rstrip() for line in text.expandtabs(4).splitlines() if line.strip()]
    indent = min((len(line) - len(line.lstrip()) for line in lines), default=0)
    return "\n".join(line[indent:] for line in lines)


@dataclass(frozen=True)
class Doc:
    """One parsed page and the facts every field extractor reads. Parse once, read many times."""

    tree: LexborHTMLParser
    url: str | None
    meta: dict[str, list[str]]
    jsonld: JsonLd
    title: str | None
    lang: str | None
    # Facts that several fields derive the same way (the article's header), computed once.
    memo: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)
    # The texts of the JSON-LD blocks inside <body> (the media they describe stand there),
    # read with the page's JSON-LD so the body's reading need not look for them again.
    body_jsonld: tuple[str, ...] | None = field(default=None, compare=False, repr=False)
    # The page's link[rel][href] elements, in document order (the canonical URL is among them).
    links: tuple[LexborNode, ...] | None = field(default=None, compare=False, repr=False)

    def meta_first(self, *names: str) -> str | None:
        """The first non-empty content among the named meta tags, in the order asked."""
        for name in names:
            for value in self.meta.get(name, ()):
                if value := clean_text(value):
                    return value
        return None


def parse_tree(text: str, utf8: bytes | None = None) -> LexborHTMLParser:
    """The parsed tree of any text, in bounded time: cut to MAX_HTML_CHARS, NULs dropped,
    markup nested past MAX_DEPTH read flat. Everything that parses a page goes through it.

    `utf8`, when given, is text's exact UTF-8 encoding (the page's own bytes): the parser reads
    UTF-8, so when text needs none of the changes above it takes these bytes as they are,
    sparing a re-encoding of the whole page (a third of the parse time on non-ASCII pages)."""
    if len(text) > MAX_HTML_CHARS:
        text, utf8 = text[:MAX_HTML_CHARS], None
    # NULs are looked for in the bytes when there are some: a search of bytes is many times
    # faster than one of a wide (not Latin-1) string, and UTF-8 has no other zero byte.
    if (b"\x00" in utf8) if utf8 is not None else ("\x00" in text):
        text, utf8 = text.replace("\x00", ""), None
    if _too_deep(text, utf8):
        text, utf8 = _FLATTEN.sub(" ", _SCRIPTS.sub(" ", text)), None
    return LexborHTMLParser(text if utf8 is None else utf8)


def parse(html: bytes | str, url: str | None = None, encoding: str | None = None) -> Doc:
    """Decode, parse and read the page-wide facts (meta tags, JSON-LD, title, language)."""
    if isinstance(html, bytes):
        text, is_utf8 = _decode(html, encoding)
        tree = parse_tree(text, html if is_utf8 else None)
    else:
        tree = parse_tree(html)
    title_node = tree.css_first("title")
    root = tree.css_first("html")
    lang = root.attributes.get("lang") or root.attributes.get("xml:lang") if root else None
    # One walk finds what three queries would: the meta tags, the <link>s, the JSON-LD blocks.
    metas: list[LexborNode] = []
    links: list[LexborNode] = []
    scripts: list[LexborNode] = []
    for node in tree.css(_HEAD_FACTS):
        tag = node.tag
        (metas if tag == "meta" else links if tag == "link" else scripts).append(node)
    texts = [script.text() for script in scripts]
    try:
        jsonld = jsonld_of(texts, url)
    except Exception:  # structured data is a bonus: a shape no one foresaw costs only it
        jsonld = JsonLd()
    body = tree.body
    return Doc(
        tree=tree,
        url=url,
        meta=meta_of(metas),
        jsonld=jsonld,
        title=clean_text(title_node.text()) if title_node else None,
        lang=lang,
        body_jsonld=tuple(
            text
            for script, text in zip(scripts, texts, strict=True)
            if body is not None and _inside(script, body.mem_id)
        ),
        links=tuple(links),
    )


def _inside(node: LexborNode, top: int) -> bool:
    """True when the element `top` (a mem_id) is one of node's ancestors."""
    cur = node.parent
    while cur is not None:
        if cur.mem_id == top:
            return True
        cur = cur.parent
    return False


def _too_deep(text: str, utf8: bytes | None = None) -> bool:
    """True when tags nest deeper than MAX_DEPTH (an attack or a broken generator). A page with
    fewer tags than that cannot be, so the scan runs only on pages with very many tags: they
    are counted in utf8 (text's UTF-8 encoding) when given, bytes being faster to scan."""
    if (utf8.count(b"<") if utf8 is not None else text.count("<")) <= MAX_DEPTH:
        return False
    depth = 0
    for closing, name in _TAG.findall(text):
        if name.lower() in _NON_NESTING:
            continue
        if closing:
            depth = max(0, depth - 1)
        else:
            depth += 1
            if depth > MAX_DEPTH:
                return True
    return False


def attr(node: Any, name: str) -> str | None:
    """An attribute's value, stripped, or None when absent or empty."""
    value = node.attributes.get(name)
    return value.strip() or None if isinstance(value, str) else None


def has_element_child(node: Any) -> bool:
    """True when an element sits directly in node. Asked before a CSS query for what a node
    holds: a query parses its selector anew on every call (about 2 µs even on a leaf), and a
    node holding only text holds no element to find."""
    child = node.child
    while child is not None:
        if child.is_element_node:
            return True
        child = child.next
    return False


def stripped_text(node: LexborNode) -> str:
    """node.text(strip=True): the node's text nodes, each stripped, joined; what the length
    measures of text read. Text nodes of ASCII whitespace alone (the markup's indentation, about
    half of them) add nothing, so the parser skips them rather than building a string for each:
    a third faster, the same text."""
    return node.text(strip=True, skip_empty=True)


def linked_chars(node: Any) -> int:
    """How much of a node's text sits inside links: link density's numerator, the share
    menus and link lists inflate."""
    return sum(len(stripped_text(a)) for a in node.css("a"))

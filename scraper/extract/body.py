"""The article body: the chosen containers read block by block, furniture left out."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract.captions import (
    MAX_MEDIA_BOX_CHARS,
    image_texts,
    in_media_box,
    in_prose_run,
    is_caption,
    media_texts,
)
from scraper.extract.classnames import is_boilerplate, spared
from scraper.extract.container import choose_roots
from scraper.extract.controls import CONTROL_ATTR, mark_control_boxes
from scraper.extract.document import (
    clean_text,
    code_text,
    has_element_child,
    stripped_text,
)
from scraper.extract.lines import (
    BARE_URL,
    BOILERPLATE_LINE,
    cut_tail,
    is_date_line,
    is_end_marker,
    names_own_page,
    url_key,
)
from scraper.extract.notes import closing_notes, is_note
from scraper.extract.promos import cut_at_paywall, drop_reader_lines
from scraper.extract.prune import prune, strip_never_text
from scraper.extract.standfirst import find_standfirst, with_standfirst
from scraper.extract.stories import PROSE_CHARS, STORY_ATTR, ReadState, mark_stories
from scraper.extract.teasers import MAX_TEASER_BOX_CHARS, in_teaser_box
from scraper.extract.vocab import (
    BLOCK_TAGS,
    CELL_TAGS,
    HEADING_TAGS,
    INLINE_TAGS,
    SKIP_TAGS,
    naming_of,
    text_beside,
)
from scraper.extract.vote import link_density


@dataclass
class _Block:
    """Text gathered between two block boundaries, and how much of it sits inside links."""

    parts: list[str]
    link_chars: int = 0
    linked: set[int] = field(default_factory=set)  # which of parts sit inside links
    kind: str = "p"  # "p", "li", or the heading's tag
    node: LexborNode | None = None  # the element that opened the block
    lead: int = -1  # how many of parts came before the block's first link, once one is met
    after_box: bool = False  # a control's box (an embed's consent placeholder) came before it


def _kind(tag: str) -> str:
    return tag if tag in HEADING_TAGS else ("li" if tag == "li" else "p")


def _walk(root: LexborNode, root_chars: int, read: int = 0, names: bool = True) -> Iterator[_Block]:
    """Text blocks under root in document order, skipping furniture subtrees (by their class
    and id too, unless names is False) and articles the page appended; read counts the prose
    paragraphs already read from earlier roots."""
    state = ReadState(read)
    boilerplate: dict[str, bool] = {}  # each class name judged once
    block = _Block([])
    # Entering a node: the node; leaving an element: (element, its tag), pushed before its
    # children. Every node of the story passes here, so each is read as little as it can be:
    # its tag tells text from elements ("-text", "-comment"), children are pushed from the last.
    stack: list[LexborNode | tuple[LexborNode, str]] = [root]
    link_depth = 0
    anchors: set[int] = set()  # in-page anchors of headings, not counted as links
    after_box = False
    while stack:
        item = stack.pop()
        if type(item) is tuple:
            node, left = item
            if left == "a" and node.mem_id not in anchors:
                link_depth -= 1
            elif left in CELL_TAGS:
                block.parts.append(" ")
            elif left in BLOCK_TAGS:
                if block.parts:
                    state.note(block.kind, block.parts)
                    yield block
                block = _Block([])
            continue
        node = item  # type: ignore[assignment]
        tag = node.tag
        if tag == "-text":
            text = node.text_content or ""
            if text:
                block.parts.append(text)
                if link_depth:
                    block.link_chars += len(text.strip())
                    block.linked.add(len(block.parts) - 1)
            continue
        if tag is None or tag[0] == "-":  # a comment, not an element
            continue
        attrs = node.attributes  # read once: every element of the story passes here
        if node is not root and _skip(node, tag, attrs, root_chars, boilerplate, names):
            after_box = after_box or bool(attrs.get(CONTROL_ATTR))
            continue
        if (title := attrs.get(STORY_ATTR)) and state.next_story(title):
            continue  # the next article the page appended
        if tag in CELL_TAGS:
            block.parts.append(" ")
        elif tag in BLOCK_TAGS:
            if block.parts:
                state.note(block.kind, block.parts)
                yield block
            block = _Block([], kind=_kind(tag), node=node, after_box=after_box)
            after_box = False
        elif tag == "a":
            # A heading's link to itself ("#what-we-found", a permalink anchor) is the
            # heading's text, not a link away: the subheading stays.
            if block.kind in HEADING_TAGS and (attrs.get("href") or "").startswith("#"):
                if not any(c.isalnum() for c in node.text()):
                    continue  # the anchor's mark ("#", "¶") beside the heading's words
                anchors.add(node.mem_id)
            else:
                if block.lead < 0:
                    block.lead = len(block.parts)
                link_depth += 1
        stack.append((node, tag))
        child = node.last_child
        while child is not None:
            stack.append(child)
            child = child.prev
    if block.parts:
        yield block


def _is_hover_card(node: LexborNode) -> bool:
    """An inline element holding a picture and several links: a hover card (author or person
    preview) that CSS shows only on hover. The innermost such element is the card."""
    if not _card_like(node):
        return False
    me = node.mem_id  # css() matches the node itself too
    return not any(_card_like(inner) for inner in node.css("span") if inner.mem_id != me)


def _card_like(node: LexborNode) -> bool:
    return (
        has_element_child(node)  # most spans hold text alone: no query needed
        and node.css_first("img") is not None
        and len(node.css("a")) >= 2
        and link_density(node) >= 0.5
    )


def _skip(
    node: LexborNode,
    tag: str,
    attrs: Mapping[str, str | None],
    root_chars: int,
    boilerplate: dict[str, bool],
    names: bool = True,
) -> bool:
    """True for a furniture subtree; `boilerplate` keeps the verdicts on class names."""
    if tag in SKIP_TAGS:
        return True
    if tag == "span" and _is_hover_card(node):
        return True
    if attrs.get(CONTROL_ATTR) and len(stripped_text(node)) < 0.4 * root_chars:
        return True  # a consent placeholder, a newsletter box: interface around a control
    if not names or (tag in INLINE_TAGS and text_beside(node)):
        return False
    value = naming_of(tag, attrs)
    if not value:
        return False
    if (verdict := boilerplate.get(value)) is None:
        verdict = boilerplate[value] = is_boilerplate(value)
    if verdict:
        # A big share of the text is the story itself, whatever its class says.
        return len(stripped_text(node)) < 0.4 * root_chars and not spared(node, value)
    return False


def extract_paragraphs(
    roots: list[LexborNode],
    headline: str | None,
    captions: dict[str, list[str]] | None = None,
    *,
    names: bool = True,
) -> list[str]:
    """Readable paragraphs from the chosen containers, with furniture lines and the lines
    that repeat an image's alt text (captions) removed; furniture subtrees are told by their
    class and id names too, unless names is False."""
    out: list[str] = []
    kinds: list[str] = []
    notes: list[bool] = []
    root_chars = sum(len(stripped_text(r)) for r in roots)
    boxes: dict[int, bool | None] = {}  # teaser boxes judged (in_teaser_box)
    for root in roots:
        read = sum(1 for p in out if len(p) >= PROSE_CHARS)
        for block in _walk(root, root_chars, read, names):
            raw = "".join(block.parts)
            text = code_text(raw) if block.node is not None and block.node.tag == "pre" else ""
            text = text or clean_text(raw)
            previous = out[-1] if out else ""
            if not text or (
                _is_furniture(text, block, headline, previous) and not is_end_marker(text)
            ):
                continue  # end markers stay until cut_tail has seen where the story ends
            if out and out[-1] == text:
                continue
            if (
                captions
                and block.kind not in HEADING_TAGS
                and is_caption(text, captions)
                and not in_prose_run(block.node)
            ):
                continue
            if (
                block.kind not in HEADING_TAGS
                and block.node is not None
                and len(text) <= MAX_MEDIA_BOX_CHARS
                and in_media_box(block.node, root)
                and not is_end_marker(text)
            ):
                continue  # a picture's caption or credit, in the picture's box
            if (
                block.kind == "p"
                and block.node is not None
                and len(text) <= MAX_TEASER_BOX_CHARS
                and in_teaser_box(block.node, root, boxes)
            ):
                continue  # the summary under another story's linked heading
            if block.kind == "h1" and not out:
                continue  # the page's title above the text; later h1s are subheadings
            out.append(text)
            kinds.append(block.kind)
            notes.append(block.kind == "p" and is_note(block.node))
    run = closing_notes(out, notes)
    if run and kinds[-run - 1] not in HEADING_TAGS:  # notes about the story, under its text
        del out[-run:], kinds[-run:]
    while kinds and kinds[-1] in HEADING_TAGS:  # a heading with nothing under it heads furniture
        kinds.pop()
        out.pop()
    return drop_reader_lines(cut_tail(cut_at_paywall(out)))


def _is_furniture(text: str, block: _Block, headline: str | None, previous: str) -> bool:
    if headline and text == headline:
        return True
    length = len(text)
    if length <= 150 and BOILERPLATE_LINE.match(text):
        return True
    if length <= 60 and is_date_line(text):
        return True
    if block.link_chars:
        # A link or a list of links: navigation, related stories, tags.
        letters = len(text.replace(" ", ""))
        if block.link_chars >= 0.6 * letters and letters - block.link_chars < 30:
            # Lists and lines of links are navigation, but a URL written out is a citation, a
            # link the previous line announces ("write to:") is the writer's (unless a control's
            # box came between: the line announced the embed, the link is the box's fallback),
            # and a sentence that opens with its own words and links its object ("Download the
            # <a>map</a>.") is the story's, unless its words are a label ("Our standards: <a>").
            return not (
                BARE_URL.match(text)
                or (previous.endswith(":") and not block.after_box)
                or (_ends_sentence(text) and (_opens_sentence(block) or _joins_links(block)))
            )
        if text[-1] not in ".!?" and _labels_links(block, letters):
            return True  # "Filed under <a>Events</a>, <a>Parks</a>": the post's taxonomy
    return False


def _labels_links(block: _Block, letters: int) -> bool:
    """True for a line of links after a label that heads the furniture after a story ("Tags:",
    "Filed under"): a post's taxonomy, however few links it has."""
    lead = "".join(block.parts[: block.lead]).strip() if block.lead > 0 else ""
    own = letters - block.link_chars - len(lead.replace(" ", ""))
    return own <= _LINK_SEPARATORS and is_end_marker(lead)


def _ends_sentence(text: str) -> bool:
    return text.rstrip(_CLOSERS)[-1:] in (".", "!", "?")


def _joins_links(block: _Block) -> bool:
    """Words of the line's own between or after its links make a sentence of them ("<a>Jane
    Doe</a> has been eliminated from <a>the show</a>."), as a menu's separators do not."""
    own = "".join(p for i, p in enumerate(block.parts) if i not in block.linked)
    return sum(1 for w in own.split() if any(c.isalpha() for c in w)) >= SENTENCE_OWN_WORDS


def _opens_sentence(block: _Block) -> bool:
    """The words before a line's first link start a sentence, not a label ("Tags:")."""
    lead = "".join(block.parts[: block.lead]).strip() if block.lead > 0 else ""
    return len(lead.split()) >= SENTENCE_LEAD_WORDS and lead[-1] not in ":|»>"


@dataclass(frozen=True)
class BodyText:
    """The story's paragraphs, how many linked headings its containers hold (a column of
    teasers, a listing read as a body, holds many; a story hardly any), and the standfirst
    found on the page, which also opens a body taken from JSON-LD."""

    paragraphs: list[str]
    teasers: int = 0
    standfirst: str | None = None


# Words a sentence carries before its link, so that a link-heavy line still reads as the
# story's sentence rather than a label ("Tags:") before links.
SENTENCE_LEAD_WORDS = 2
# ... or words of its own among its links, and what may close a sentence after its full stop.
SENTENCE_OWN_WORDS = 3
_CLOSERS = "\"'”’»)] "
# The characters between a taxonomy line's links (commas, pipes), at most.
_LINK_SEPARATORS = 8
# Containers set aside, one after another, when the chosen one gives no text.
SECOND_LOOKS = 2
_LINKED_HEADING = "h2 a[href], h3 a[href], h4 a[href], a[href] h2, a[href] h3, a[href] h4"


def read_body(
    tree: LexborHTMLParser,
    headline: str | None = None,
    *,
    live_blog: bool = False,
    descriptions: Sequence[str | None] = (),
    page_urls: Sequence[str | None] = (),
    body_jsonld: Sequence[str] | None = None,
) -> BodyText:
    """The article's paragraphs, opened by the standfirst that one of the page's descriptions
    names; lines that name one of page_urls (the page's own address) are left out; body_jsonld
    holds the texts of the body's JSON-LD blocks, when read already (Doc.body_jsonld). Mutates
    the tree (prunes it): call it after the other fields."""
    mark_stories(tree)
    mark_control_boxes(tree)  # before their buttons and fields are stripped
    captions = image_texts(tree)
    media_texts(tree, captions, descriptions, body_jsonld)  # before the scripts are stripped
    strip_never_text(tree)  # before the standfirst is placed in the page's text, not scripts'
    lead = find_standfirst(tree, descriptions, headline) if descriptions else None
    named = prune(tree)
    roots = choose_roots(tree, live_blog=live_blog, named=named)
    if not roots:
        return BodyText([])
    paragraphs = extract_paragraphs(roots, headline, captions)
    for _ in range(SECOND_LOOKS):
        # The chosen containers held only furniture lines: they are furniture, so the page is
        # read again without them rather than left empty.
        if paragraphs or any(root.tag in ("body", "html") for root in roots):
            break
        for root in roots:
            root.decompose()
        roots = choose_roots(tree, live_blog=live_blog)
        paragraphs = extract_paragraphs(roots, headline, captions) if roots else []
    if not roots:
        return BodyText([])
    own = frozenset(url_key(u) for u in page_urls if u)
    paragraphs = with_standfirst([p for p in paragraphs if not names_own_page(p, own)], lead)
    return BodyText(paragraphs, linked_headings(roots), lead.text if lead else None)


def linked_headings(roots: list[LexborNode]) -> int:
    """Linked headings under the roots: a column of teasers holds many, a story hardly any."""
    return sum(len(root.css(_LINKED_HEADING)) for root in roots)


def split_article_body(text: Any) -> list[str]:
    """JSON-LD articleBody as paragraphs (it is plain text with newlines, when it is there)."""
    if not isinstance(text, str):
        return []
    return [p for p in (clean_text(line) for line in re.split(r"\n\s*\n|\r?\n", text)) if p]

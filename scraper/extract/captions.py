"""Captions told by what they repeat: an image's alt or title text, or the description an
embedded picture, video or audio gives of itself in schema.org markup.

A CMS puts a caption in whatever element it likes (a "lightbox__description", an info box under
the picture, a bare <span> beside a player), so the line is known by its words instead: the
media's own description of itself, shown again under it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract.document import one_spaced, stripped_text
from scraper.extract.structured import jsonld_objects, parse_jsonld_scripts, types_of

# Alt texts and descriptions this long are compared with lines up to MAX_CAPTION_CHARS; either
# may carry a credit of up to CREDIT_CHARS the other lacks ("| Getty Images", "18.04.2024 | 0:21
# min").
MIN_CAPTION_CHARS = 15
MAX_CAPTION_CHARS = 300
CREDIT_CHARS = 40
# A neighbouring paragraph this long is prose: the story's run of text.
PROSE_CHARS = 80
# A media text opening like the page's description (this many characters) is the standfirst's.
STANDFIRST_KEY = 60
_MEDIA_TYPES = frozenset({"ImageObject", "VideoObject", "AudioObject", "MediaObject", "Clip"})
_MEDIA_NAMES = tuple(sorted(_MEDIA_TYPES))
_MEDIA_TEXTS = ("description", "caption", "name")

Captions = dict[str, list[str]]


def image_texts(tree: LexborHTMLParser) -> Captions:
    """The alt and title texts of the page's images, by their first characters."""
    keys: Captions = {}
    for img in tree.css("img[alt], img[title]"):
        for name in ("alt", "title"):
            _add(keys, img.attributes.get(name))
    return keys


def media_texts(
    tree: LexborHTMLParser,
    keys: Captions,
    descriptions: Sequence[str | None] = (),
    scripts: Sequence[str] | None = None,
) -> None:
    """Add the descriptions, captions and names of the media objects described by JSON-LD
    blocks inside the page's body, where the picture or player they describe stands (a block
    in the head describes the page; its image's caption is the alt text's business). A medium
    described by the page's own description is the story read aloud or filmed: its words are
    the standfirst's, not a caption. Call before the scripts are stripped; `scripts`, when
    given, are the texts of the body's JSON-LD blocks, read already (Doc.body_jsonld)."""
    body = tree.body
    if body is None:
        return
    pages = {_caption_key(d)[:STANDFIRST_KEY] for d in descriptions if d}
    if scripts is None:
        objects = parse_jsonld_scripts(body, _MEDIA_NAMES)
    else:
        objects = jsonld_objects(scripts, _MEDIA_NAMES)
    for obj in objects:
        if types_of(obj) & _MEDIA_TYPES:
            for name in _MEDIA_TEXTS:
                value = obj.get(name)
                if isinstance(value, str) and _caption_key(value)[:STANDFIRST_KEY] not in pages:
                    _add(keys, value)


def _add(keys: Captions, value: Any) -> None:
    if isinstance(value, str) and len(value) >= MIN_CAPTION_CHARS:
        key = _caption_key(value)
        keys.setdefault(key[:MIN_CAPTION_CHARS], []).append(key)


def _caption_key(text: str) -> str:
    return one_spaced(text).casefold()


def is_caption(text: str, captions: Captions) -> bool:
    """The line is an image's alt or title text or a medium's description, give or take a
    credit."""
    if not captions or len(text) > MAX_CAPTION_CHARS or len(text) < MIN_CAPTION_CHARS:
        return False
    key = _caption_key(text)
    return any(
        (alt.startswith(key) or key.startswith(alt)) and abs(len(alt) - len(key)) <= CREDIT_CHARS
        for alt in captions.get(key[:MIN_CAPTION_CHARS], ())
    )


def in_prose_run(node: LexborNode | None) -> bool:
    """A paragraph beside another paragraph of prose: the story's text, even when an image's
    alt text repeats it (CMSs fill alt texts from the lead); a caption stands alone or beside
    its credit."""
    if node is None or node.tag != "p":
        return False
    before, after = node.prev, node.next
    while before is not None and not before.is_element_node:
        before = before.prev
    while after is not None and not after.is_element_node:
        after = after.next
    return any(
        side is not None and side.tag == "p" and len(stripped_text(side)) >= PROSE_CHARS
        for side in (before, after)
    )


# A caption stands in a small box beside its picture ("<div><picture/><div>Caption</div>
# <div>Credit</div></div>"), whatever the box's (often hashed) class names: a box holding a
# picture, this much text at most, and at most one paragraph element.
MAX_MEDIA_BOX_CHARS = 300
_PICTURES = frozenset({"img", "picture", "amp-img"})
# The picture is among the box's first this many elements.
PICTURE_WITHIN = 2
_NOT_BOXES = frozenset({"p", "li", "body", "html", "article", "main", "section"})


def in_media_box(node: LexborNode, root: LexborNode) -> bool:
    """The block (node) is the text of a small box around a picture, below the story's root:
    the picture's caption or credit."""
    box: LexborNode | None = node
    for _ in range(2):
        if box is None or box.mem_id == root.mem_id:
            return False
        if box.tag not in _NOT_BOXES and _holds_picture(box):
            text = len(box.text(strip=True))
            return text <= MAX_MEDIA_BOX_CHARS and len(box.css("p")) <= 1
        box = box.parent
    return False


def _holds_picture(box: LexborNode) -> bool:
    """One of the box's first few children is a picture, or a link or span around one alone
    (a caption box opens with its picture; a container of text does not)."""
    child = box.child
    seen = 0
    while child is not None and seen < PICTURE_WITHIN:
        tag = child.tag
        if tag in _PICTURES:
            return True
        if tag in ("a", "span"):
            inner = child.child
            while inner is not None and not inner.is_element_node:
                inner = inner.next
            if inner is not None and inner.tag in _PICTURES:
                return True
        if child.is_element_node:
            seen += 1
        child = child.next
    return False

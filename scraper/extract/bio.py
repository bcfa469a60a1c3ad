"""Author boxes: the name, role, short biography and profile link many sites print after a story.

The page's own boxes come first; JSON-LD Person objects of the article's authors fill in what a
box leaves out, or stand in when the page has no box."""

from __future__ import annotations

import re
from typing import Any

from selectolax.lexbor import LexborNode

from scraper.article import AuthorBio
from scraper.extract.document import Doc, attr, clean_text
from scraper.extract.fields import unescape
from scraper.extract.headline import ancestors, is_hidden, node_text
from scraper.extract.labels import AUTHOR_HREF
from scraper.extract.named import BOX_SELECTOR, box_nodes
from scraper.extract.names import split_names
from scraper.extract.structured import text_values, types_of, url_value
from scraper.extract.vocab import class_id, words
from scraper.urls import absolute_url

# fmt: off
# Class/id words (or word pairs) of author boxes, best first.
BOX_WORDS: tuple[str, ...] = (
    "author-bio", "authorbio", "author-box", "authorbox", "about-author", "aboutauthor",
    "about-the-author", "author-info", "authorinfo", "author-card", "authorcard", "author-details",
    "author-profile", "author-about", "author-description", "contributor-bio", "contributor-box",
    "contributor-info", "writer-bio", "bio-box", "biobox", "author-block", "post-author-bio",
    "author-biography", "autor-info", "autorenbox",  # German CMSs
)
_BOX_SET = frozenset(BOX_WORDS)
# Class words of the places a box about someone else sits in: comments, other stories.
ELSEWHERE_WORDS: frozenset[str] = frozenset(
    {"comment", "comments", "disqus", "replies", "related", "recommended"}
)
# Words of boxes that ask the reader for something: never an author box.
PROMO_WORDS: frozenset[str] = frozenset(
    {
        "promo", "newsletter", "subscribe", "subscription", "signup", "donate", "donation",
        "membership", "cta", "upsell", "comment", "comments", "related", "recommended", "share",
    }
)
NAME_WORDS: frozenset[str] = frozenset(
    {"name", "fn", "author-name", "authorname", "title", "heading"}
)
ROLE_WORDS: frozenset[str] = frozenset(
    {
        "role", "job", "jobtitle", "job-title", "position", "occupation", "author-title",
        "subtitle", "designation", "author-role", "author-job",
    }
)
TEXT_WORDS: frozenset[str] = frozenset(
    {"bio", "biography", "description", "desc", "about", "text", "summary", "content", "excerpt"}
)
# "About the author", "Written by" labels before the name in a box heading.
_LABEL = re.compile(
    r"^(?:about(?: the)? authors?|about|written by|by|more from|more by|posts by|über|"
    r"sobre|à propos de|об авторе|про автора)\s*:?\s*",
    re.IGNORECASE,
)
_MAX_BOXES = 10
_MAX_CANDIDATES = 200
_MAX_BOX_CHARS = 3000
_MAX_ROLE_CHARS = 80
_MIN_BIO_CHARS = 30
# fmt: on


def _class_words(node: LexborNode) -> frozenset[str]:
    return words(class_id(node))


def _is_box(node: LexborNode) -> bool:
    found = _class_words(node)
    return bool(found & _BOX_SET) and not (found & PROMO_WORDS)


def _in_promo(node: LexborNode) -> bool:
    return any(_class_words(a) & PROMO_WORDS for a in ancestors(node))


def _inner(node: LexborNode, selector: str) -> list[LexborNode]:
    """css() without the node itself (lexbor matches the node too)."""
    return [n for n in node.css(selector) if n.mem_id != node.mem_id]


def _name_node(box: LexborNode) -> LexborNode | None:
    """The element naming the author: itemprop=name, a name-classed element, a heading, an
    author-page link, a title-classed element."""
    for node in _inner(box, "[itemprop~=name], [class]"):
        if node.attributes.get("itemprop") == "name":
            return node
        if _class_words(node) & NAME_WORDS and node.tag != "img" and node_text(node):
            return node
    for node in _inner(box, "h2, h3, h4, h5, strong, b"):
        if _LABEL.sub("", node_text(node)):
            return node
    for link in _inner(box, "a[href]"):
        if AUTHOR_HREF.search(link.attributes.get("href") or "") and node_text(link):
            return link
    for node in _inner(box, "[class]"):
        if _class_words(node) & {"title", "heading"} and node_text(node):
            return node
    return None


def _contains(outer: LexborNode, inner: LexborNode) -> bool:
    return any(a.mem_id == outer.mem_id for a in ancestors(inner, include_self=True))


def _role(box: LexborNode, name_node: LexborNode | None, name: str) -> str | None:
    """The job title: itemprop=jobTitle, a role-classed element, or a short title-classed one
    that is not the name."""
    for node in _inner(box, "[itemprop~=jobTitle], [class]"):
        if name_node is not None and (_contains(node, name_node) or _contains(name_node, node)):
            continue
        found = _class_words(node)
        if node.attributes.get("itemprop") == "jobTitle" or found & (ROLE_WORDS | {"title"}):
            text = node_text(node)
            if text and len(text) <= _MAX_ROLE_CHARS and text != name and not _inner(node, "p"):
                return text
    return None


def _bio_text(box: LexborNode, name: str, role: str | None) -> str | None:
    """The biography: a description-classed element, else the longest paragraph, else the box
    text without its name and role."""
    for node in _inner(box, "[itemprop~=description], [class]"):
        words_ = _class_words(node)
        if node.attributes.get("itemprop") == "description" or (
            words_ & TEXT_WORDS and not words_ & (NAME_WORDS | ROLE_WORDS)
        ):
            text = node_text(node)
            if len(text) >= _MIN_BIO_CHARS and (node.tag == "p" or not _inner(node, "[class]")):
                return text
    paragraphs = [node_text(p) for p in box.css("p")]
    paragraphs = [p for p in paragraphs if len(p) >= _MIN_BIO_CHARS]
    if paragraphs:
        return max(paragraphs, key=len)
    text = node_text(box)
    for part in (name, role):
        if part:
            text = text.replace(part, " ", 1)
    text = _LABEL.sub("", clean_text(text))
    # Without a paragraph, only running text of some length reads as a biography.
    return text if len(text) >= 2 * _MIN_BIO_CHARS and len(text.split()) >= 8 else None


def _profile_url(box: LexborNode, name_node: LexborNode | None, base: str | None) -> str | None:
    links = []
    if name_node is not None:
        links += [name_node] if name_node.tag == "a" else name_node.css("a[href]")
    links += [a for a in box.css("a[href]") if AUTHOR_HREF.search(a.attributes.get("href") or "")]
    links += box.css("a[rel~=author]")
    for link in links:
        if url := absolute_url(attr(link, "href"), base):
            return url
    return None


def _match(name: str, authors: tuple[str, ...]) -> str | None:
    """The author's spelling from the byline when the box names one of them."""
    key = name.casefold()
    for author in authors:
        other = author.casefold()
        if key == other or (len(other) > 3 and other in key) or (len(key) > 3 and key in other):
            return author
    return None


def _read_box(box: LexborNode, authors: tuple[str, ...], base: str | None) -> AuthorBio | None:
    name_node = _name_node(box)
    raw_name = _LABEL.sub("", node_text(name_node)) if name_node is not None else ""
    found = split_names(raw_name)
    name = found.people[0] if found.people else None
    if name is None:  # no name element: the box may still name a known author in its text
        text = node_text(box)
        name = next((a for a in authors if a in text), None)
    if name is None:
        return None
    name = _match(name, authors) or name
    role = _role(box, name_node, name)
    bio = _bio_text(box, raw_name or name, role)
    if not bio and not role:
        return None
    return AuthorBio(name=name, role=role, bio=bio, url=_profile_url(box, name_node, base))


def _boxes(doc: Doc) -> list[LexborNode]:
    """Outermost author boxes, split into one per author when a box holds several."""
    found: list[LexborNode] = []
    taken: set[int] = set()
    for node in box_nodes(doc, _MAX_CANDIDATES):
        if not _is_box(node) or node.tag in ("body", "html", "article", "main", "a", "img"):
            continue
        if any(a in taken for a in _ancestors(node)):
            continue
        if any(is_hidden(a) for a in ancestors(node, include_self=True)) or _in_promo(node):
            continue
        if len(node_text(node, limit=_MAX_BOX_CHARS)) > _MAX_BOX_CHARS:
            continue
        if _in_comments(node):
            continue
        taken.add(node.mem_id)
        found.append(node)
    return found[:_MAX_BOXES]


def _ancestors(node: LexborNode) -> list[int]:
    return [a.mem_id for a in ancestors(node)]


def _in_comments(node: LexborNode) -> bool:
    return any(_class_words(a) & ELSEWHERE_WORDS for a in ancestors(node, include_self=True))


def _split_box(box: LexborNode) -> list[LexborNode]:
    """A box holding several per-author boxes, as the boxes inside it."""
    outermost: list[LexborNode] = []
    taken: set[int] = set()
    for n in _inner(box, BOX_SELECTOR)[:_MAX_CANDIDATES]:
        if any(a in taken for a in _ancestors(n)) or not _is_box(n):
            continue
        if _name_node(n) is not None and len(node_text(n, limit=_MAX_BOX_CHARS)) >= _MIN_BIO_CHARS:
            outermost.append(n)
            taken.add(n.mem_id)
    # Sibling boxes of the same kind, each with its own name: one per author.
    return outermost if len(outermost) >= 2 else [box]


def _jsonld_people(doc: Doc) -> list[dict[str, Any]]:
    article = doc.jsonld.article
    if not article:
        return []
    value = article.get("author")
    out = []
    for item in value if isinstance(value, list) else [value]:
        item = doc.jsonld.resolve(item)
        if isinstance(item, dict) and (not types_of(item) or "Person" in types_of(item)):
            out.append(item)
    return out


def _from_person(
    person: dict[str, Any], authors: tuple[str, ...], base: str | None
) -> AuthorBio | None:
    names = [n for t in text_values(person.get("name")) for n in split_names(t).people]
    if not names:
        return None
    name = _match(names[0], authors) or names[0]
    role = next((unescape(t) for t in text_values(person.get("jobTitle")) if unescape(t)), None)
    bio = next((unescape(t) for t in text_values(person.get("description")) if unescape(t)), None)
    url = absolute_url(url_value(person.get("url")), base)
    if not (role or bio):
        return None
    return AuthorBio(name=name, role=role, bio=bio, url=url)


def author_bios(doc: Doc, authors: tuple[str, ...]) -> tuple[AuthorBio, ...]:
    """One AuthorBio per author: the page's author boxes, completed by JSON-LD Person data."""
    people = {}
    for person in _jsonld_people(doc):
        if bio := _from_person(person, authors, doc.url):
            people[bio.name.casefold()] = bio
    out: list[AuthorBio] = []
    for box in _boxes(doc):
        for part in _split_box(box):
            if found := _read_box(part, authors, doc.url):
                out.append(found)
    if authors and any(_match(b.name, authors) for b in out):
        out = [b for b in out if _match(b.name, authors)]
    merged: list[AuthorBio] = []
    seen: set[str] = set()
    for bio in out:
        key = bio.name.casefold()
        if key in seen:
            continue
        seen.add(key)
        extra = people.get(key)
        if extra is not None:
            bio = AuthorBio(
                name=bio.name,
                role=bio.role or extra.role,
                bio=bio.bio or extra.bio,
                url=bio.url or extra.url,
            )
        merged.append(bio)
    if not merged:
        merged = list(people.values())
    return tuple(merged)


def with_closing_note(
    bios: tuple[AuthorBio, ...], note: str, authors: tuple[str, ...]
) -> tuple[AuthorBio, ...]:
    """The bios, with the author's note read under the story ("Jana Brückner ist Redakteurin
    ...") as that author's bio when no box or JSON-LD gave one: the body leaves the note out,
    so the record keeps it here rather than losing it."""
    folded = note.casefold()
    name = next((a for a in authors if folded.startswith(a.casefold())), None)
    if name is None:
        return bios
    known = next((b for b in bios if b.name == name), None)
    if known is None:
        return (*bios, AuthorBio(name=name, bio=note))
    if known.bio:
        return bios
    filled = AuthorBio(name=name, role=known.role, bio=note, url=known.url)
    return tuple(filled if b is known else b for b in bios)

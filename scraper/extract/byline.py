"""Who wrote the story: the visible byline and a clean list of person names.

Sources, best first: JSON-LD author, microdata itemprop=author, meta tags, the visible byline
near the headline (an element whose class says so, else a line a label opens, "Von X", or the
credit line after the story, see labels.py), rel=author links, links to author pages, agency
credits in parentheses. The first source that names a person wins, with a news agency it
credits beside them ("By A and B, Reuters"). Only when no source names a person is an
organisation the answer: the one the page credits, as written, the site itself included
("DER SPIEGEL"), but never a bare desk word ("Redaktion", "Lokalredaktion")."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from selectolax.lexbor import LexborNode

from scraper.extract.credits import agencies_beside, dedupe, name_key, org_name, site_keys, url_keys
from scraper.extract.document import Doc, attr
from scraper.extract.fields import unescape
from scraper.extract.headline import (
    Header,
    ancestors,
    find_header,
    is_hidden,
    node_text,
)
from scraper.extract.labels import (
    AUTHOR_HREF,
    MAX_DISTANCE,
    agency_credits,
    author_link_names,
    label_lines,
    near_headline,
)
from scraper.extract.named import (
    byline_nodes,
    byline_selector,
    itemprop_nodes,
    rel_author_links,
)
from scraper.extract.names import Names, dated_head, generic_org, split_names, trim_byline
from scraper.extract.structured import text_values, types_of
from scraper.extract.vocab import class_id, words

# fmt: off
# Meta tags naming authors, best first. article:author is often a profile URL (skipped).
AUTHOR_META: tuple[str, ...] = (
    "byl", "author", "article:author", "parsely-author", "sailthru.author", "dc.creator",
    "dcterms.creator", "citation_author",
)
# Class/id words of visible byline elements, best first.
BYLINE_WORDS: tuple[str, ...] = (
    "byline", "by-line", "bylines", "byl", "author-name", "authorname", "article-author",
    "story-byline", "post-author", "entry-author", "author", "authors", "contributor",
    "contributors", "writer", "writers", "reporter", "autor", "autoren", "auteur", "autore",
    "signature", "firma",  # Spanish and Italian papers sign with "firma"
    "submitted",  # Drupal's "Submitted by NAME on DATE"
    "createdby", "created-by",  # Joomla
)
_BYLINE_SET = frozenset(BYLINE_WORDS)
# Class/id words that disqualify a byline-like element: pictures, bios, credits, reviewers.
NOT_BYLINE_WORDS: frozenset[str] = frozenset(
    {
        "avatar", "image", "img", "photo", "picture", "pic", "thumbnail", "headshot", "caption",
        "credit", "credits", "bio", "biography", "description", "about", "social", "follow",
        "share", "reviewer", "reviewed", "factcheck", "fact-check", "fact-checker", "editor",
        "newsletter", "promo", "email", "twitter", "comment", "comments",
    }
)
BYLINE_SELECTOR = byline_selector(itemprop=False)
# Class/id words of date elements inside a byline block: left out of the raw byline.
DATE_WORDS: frozenset[str] = frozenset(
    {
        "date", "time", "timestamp", "published", "pubdate", "posted", "posted-on", "updated",
        "modified", "dateline", "datetime", "datum", "fecha", "data",
    }
)
# What a byline's text ends in once its date element is gone: "Submitted by A on".
_RAW_TAIL = re.compile(r"(?:\s+(?:on|at|am|um|le|el|il|em|op|på|den|—|–|-|\||•|·|,))+\s*$")
# Class/id words of the elements holding each name inside a byline.
NAME_CLASS_WORDS: frozenset[str] = frozenset(
    {"author-name", "authorname", "name", "fn", "byline-name", "contributor-name"}
)
AUTHOR_CLASS_WORDS: frozenset[str] = frozenset({"author", "contributor", "writer"})
_MAX_RAW_CHARS = 250
_MAX_CANDIDATES = 200
_MAX_NAMES = 20
# fmt: on


@dataclass(frozen=True)
class Byline:
    """The visible byline (or meta byline), the person names in it and their source."""

    raw: str | None
    authors: tuple[str, ...] = ()
    source: str = ""


def _jsonld_names(doc: Doc, site_name: str | None) -> Names:
    """Authors of the article's JSON-LD object: Person objects, strings, @id references."""
    names = Names()
    article = doc.jsonld.article
    if not article:
        return names
    value = article.get("author")
    if value is None:
        value = article.get("creator")
    for item in value if isinstance(value, list) else [value]:
        item = doc.jsonld.resolve(item)
        if isinstance(item, str):
            names.add(split_names(item, site_name))
        elif isinstance(item, dict):
            kinds = types_of(item)
            for text in text_values(item.get("name")):
                if kinds and "Person" not in kinds:  # Organization, NewsMediaOrganization, ...
                    # Typed as an organisation: its name as written, whatever script or shape.
                    if name := org_name(text):
                        names.orgs.append(name)
                else:
                    names.add(split_names(text, site_name))
    return names


def _itemscope_type(node: LexborNode) -> str:
    scope = next((a for a in ancestors(node) if "itemscope" in a.attributes), None)
    return (scope.attributes.get("itemtype") or "").lower() if scope is not None else ""


def _microdata_names(doc: Doc, header: Header, site_name: str | None) -> Names:
    """itemprop=author elements (with itemprop=name inside) of the article, not of comments."""
    names = Names()
    for node in itemprop_nodes(doc, "author")[:_MAX_CANDIDATES]:
        scope = _itemscope_type(node)
        if any(k in scope for k in ("comment", "review", "answer", "question")):
            continue
        if header.place(node)[0]:
            continue
        inner = node.css_first("[itemprop~=name]") if "itemscope" in node.attributes else None
        target = inner if inner is not None else node
        value = attr(target, "content") or node_text(target, limit=_MAX_RAW_CHARS)
        if value and not value.startswith(("http://", "https://", "/")):
            names.add(split_names(value, site_name))
    return names


def _meta_sources(doc: Doc, site_name: str | None) -> Iterable[tuple[str, Names]]:
    for key in AUTHOR_META:
        found = Names()
        for value in doc.meta.get(key, ()):
            value = value.strip()
            if value and not value.startswith(("http://", "https://", "/", "www.")):
                found.add(split_names(value, site_name))
        yield f"meta:{key}", found


def _is_date_part(node: LexborNode) -> bool:
    """True for what a byline element holds besides names: dates, credits, pictures."""
    if node.tag in ("time", "img", "figure", "picture") or is_hidden(node):
        return True
    value = class_id(node)
    return bool(value.strip()) and bool(words(value) & (DATE_WORDS | NOT_BYLINE_WORDS))


def _is_byline_like(node: LexborNode) -> bool:
    if node.tag in ("meta", "link"):
        return False
    if "author" in (node.attributes.get("itemprop") or "").split():
        return True
    value = f"{class_id(node)} {node.attributes.get('data-testid') or ''}"
    found = words(value)
    return bool(found & _BYLINE_SET) and not (found & NOT_BYLINE_WORDS)


def _in_figure(node: LexborNode) -> bool:
    return any(
        a.tag in ("figure", "figcaption", "picture", "blockquote")
        for a in ancestors(node, include_self=True)
    )


def _byline_names(node: LexborNode, site_name: str | None) -> tuple[Names, bool]:
    """Names from author links or name elements inside a byline element, else from its text;
    and whether they came from links to author pages (the strongest visible evidence)."""
    links = []
    for link in node.css("a[href]"):
        href = link.attributes.get("href") or ""
        rel = (link.attributes.get("rel") or "").lower().split()
        if ("author" in rel or AUTHOR_HREF.search(href)) and not is_hidden(link):
            links.append(node_text(link, limit=_MAX_RAW_CHARS))
    names = split_names(", ".join(links), site_name)
    if names.people:
        # Some of several authors have pages: "Von A, B, C und D" with A and B linked.
        shown = split_names(node_text(node, skip=_is_date_part, limit=_MAX_RAW_CHARS), site_name)
        if set(shown.people) > set(names.people):
            return shown, True
        names.orgs.extend(shown.orgs)  # an agency the text credits beside them: "A und dpa"
        return names, True
    elements = node.css("[itemprop~=name], [class]")[:_MAX_CANDIDATES]
    for vocabulary in (NAME_CLASS_WORDS, AUTHOR_CLASS_WORDS):
        inner: list[LexborNode] = []
        taken: set[int] = set()
        for el in elements:
            if el.mem_id == node.mem_id or _is_date_part(el) or is_hidden(el):
                continue
            value = class_id(el)
            named = el.attributes.get("itemprop") == "name" or words(value) & vocabulary
            if named and not any(a.mem_id in taken for a in ancestors(el)):
                inner.append(el)
                taken.add(el.mem_id)
        texts = (node_text(el, limit=_MAX_RAW_CHARS) for el in inner[:_MAX_NAMES])
        names = split_names(", ".join(texts), site_name)
        if names.people:
            return names, False
    text = node_text(node, skip=_is_date_part, limit=_MAX_RAW_CHARS)
    return split_names(text, site_name), False


@dataclass(frozen=True)
class _Shown:
    """A byline element on the page: its text, the names in it, whether they are linked."""

    raw: str
    names: Names
    linked: bool
    group: tuple[int, str] = (0, "")  # parent and tag.class: one card per author when equal


def _group(node: LexborNode) -> tuple[int, str]:
    parent = node.parent
    return (parent.mem_id if parent is not None else 0, f"{node.tag}.{class_id(node)}")


def _together(visible: list[_Shown]) -> _Shown | None:
    """The first byline, with the names of its like siblings (one element per author, as
    `<dl class="author">` cards in a row): they are one byline."""
    if not visible:
        return None
    first = visible[0]
    cards = [s for s in visible if s.group == first.group and s.group[0]]
    if len(cards) < 2:
        return first
    names = Names()
    for card in cards:
        names.add(card.names)
    raw = ", ".join(card.raw for card in cards)
    return _Shown(raw, names, all(card.linked for card in cards), first.group)


def _visible_bylines(doc: Doc, header: Header, site_name: str | None) -> list[_Shown]:
    """Byline-like elements outside furniture, nearest the headline first."""
    found: list[tuple[bool, int, int, _Shown]] = []
    seen: set[int] = set()
    near = near_headline(doc, header)
    for order, node in enumerate(byline_nodes(doc, near, _MAX_CANDIDATES) if near else ()):
        if not _is_byline_like(node) or node.tag in ("body", "html", "article", "main"):
            continue
        if node.mem_id in seen or any(a in seen for a in _ancestor_ids(node)):
            continue  # taken (a node matching two selectors), or inside a byline taken
        furniture, distance = header.place(node)
        if furniture or _in_figure(node):
            continue
        if header.h1 is not None and (distance is None or distance > MAX_DISTANCE):
            continue
        raw = _raw_text(node)
        if not raw or len(raw) > _MAX_RAW_CHARS or raw.lower().startswith(("photo", "foto")):
            continue
        names, linked = _byline_names(node, site_name)
        if not names.people and not names.orgs:
            continue
        seen.add(node.mem_id)
        shown = _Shown(trim_byline(raw, names.people), names, linked, _group(node))
        found.append((False, distance if distance is not None else 0, order, shown))
    if not any(shown.names.people for *_, shown in found):  # else no label need be read
        found.extend(_label_bylines(doc, header, site_name, seen))
    # Bylines by the headline first, nearest first; a credit line after the story last.
    found.sort(key=lambda item: (item[0], item[1], item[2]))
    return [shown for *_, shown in found]


def _label_bylines(
    doc: Doc, header: Header, site_name: str | None, seen: set[int]
) -> Iterable[tuple[bool, int, int, _Shown]]:
    """Lines a label marks as bylines (see labels.py), unless a byline element found by its
    class holds them or is inside them."""
    root = doc.tree.css_first("article") or doc.tree.body
    for order, line in enumerate(label_lines(header, root), start=_MAX_CANDIDATES):
        node = line.node
        if node.mem_id in seen or any(a in seen for a in _ancestor_ids(node)):
            continue
        if any(n.mem_id in seen for n in node.css(BYLINE_SELECTOR)[:_MAX_CANDIDATES]):
            continue
        raw = _raw_text(node)
        raw = raw[dated_head(raw) :]  # "Posted on March 3, 2019 by Jane Roe": from "by"
        names, linked = _byline_names(node, site_name)
        if raw and (names.people or names.orgs):
            seen.add(node.mem_id)
            yield (
                line.credit,
                line.distance,
                order,
                _Shown(trim_byline(raw, names.people), names, linked),
            )


def _raw_text(node: LexborNode) -> str:
    text = node_text(node, skip=_is_date_part, limit=_MAX_RAW_CHARS)
    return _RAW_TAIL.sub("", text).strip(" |•·—–-,")


def _ancestor_ids(node: LexborNode) -> Iterable[int]:
    return (a.mem_id for a in ancestors(node))


def _rel_author_names(doc: Doc, header: Header, site_name: str | None) -> Names:
    names = Names()
    for link in rel_author_links(doc)[:_MAX_CANDIDATES]:
        furniture, distance = header.place(link)
        if furniture or (header.h1 is not None and (distance is None or distance > MAX_DISTANCE)):
            continue
        names.add(split_names(node_text(link, limit=_MAX_RAW_CHARS), site_name))
    return names


def byline(doc: Doc, site_name: str | None) -> Byline | None:
    """The byline text and the authors' names from the first source that names a person."""
    header = find_header(doc, site_name)
    shown = _together(_visible_bylines(doc, header, site_name))
    raw = shown.raw if shown else unescape(doc.meta_first("byl", "author")) or None
    sources: list[tuple[str, Names]] = [
        ("jsonld", _jsonld_names(doc, site_name)),
        ("microdata", _microdata_names(doc, header, site_name)),
        *_meta_sources(doc, site_name),
    ]
    if shown:
        sources.append(("byline", shown.names))
    sources.append(("rel=author", _rel_author_names(doc, header, site_name)))
    # The site as a "person" (a Person named "Les Echos" on lesechos.fr) lets a later source's
    # people win; with no one else named, the fallback below still credits it.
    keys_of_site = site_keys(site_name) | url_keys(doc.url)
    for source, names in sources:
        if people := dedupe(names.people, keys_of_site):
            if shown and (better := _overrule(people, shown, keys_of_site)):
                return Byline(raw, better + agencies_beside(better, shown.names), "byline")
            return Byline(raw, people + agencies_beside(people, names), source)
    # Looked for last, and only now: most pages have named someone by here.
    if people := dedupe(author_link_names(doc, header, site_name).people, keys_of_site):
        return Byline(raw, people, "author-link")
    credits = agency_credits(header, doc.tree.css_first("article") or doc.tree.body)
    if people := dedupe(credits.people, keys_of_site):
        return Byline(raw, people, "credit")
    sources.append(("credit", credits))
    # No person is credited: the organisation the page credits is the author, as written, the
    # site itself included ("DER SPIEGEL", "ndr.de"); a bare desk word names no one.
    for source, names in sources:
        if orgs := dedupe([o for o in names.people + names.orgs if not generic_org(o)], set()):
            return Byline(raw, orgs, source)
    return Byline(raw, (), "byline") if raw else None


def _overrule(
    people: tuple[str, ...], shown: _Shown, site_keys: set[str]
) -> tuple[str, ...] | None:
    """The visible byline's names when they should overrule the structured ones: they include
    everyone the metadata names and more (CMSs often list only the first author), or, linked
    to author pages, share no one with it (the metadata names the account that posted the
    story, not its writer)."""
    names = dedupe(shown.names.people, site_keys)
    keys = {name_key(p) for p in people}
    shown_keys = {name_key(p) for p in names}
    if shown_keys > keys:
        return names
    if shown.linked and names and not shown_keys & keys:
        raw_key = name_key(shown.raw)
        return names if not any(k in raw_key for k in keys) else None
    return None

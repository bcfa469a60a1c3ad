"""Structured data: JSON-LD (with @graph and @id references) and <meta> tags."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

# schema.org types that describe the page's own story, best first.
ARTICLE_TYPES: tuple[str, ...] = (
    "NewsArticle",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "BackgroundNewsArticle",
    "ReviewNewsArticle",
    "AskPublicNewsArticle",
    "LiveBlogPosting",
    "Article",
    "BlogPosting",
    "SocialMediaPosting",
    "TechArticle",
    "ScholarlyArticle",
    "Report",
    "Review",
    "DiscussionForumPosting",
    "Blog",
)
JSONLD_SCRIPTS = 'script[type="application/ld+json"], script[type="application/json+ld"]'
_MAX_SCRIPT_CHARS = 2_000_000  # one JSON-LD block; anything larger is not metadata
_MAX_OBJECTS = 2_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_TRAILING_COMMA = re.compile(r",\s*([\]}])")


def types_of(obj: dict[str, Any]) -> set[str]:
    """The object's @type values without any schema.org prefix."""
    raw = obj.get("@type")
    values = raw if isinstance(raw, list) else [raw]
    return {v.rsplit("/", 1)[-1].rsplit(":", 1)[-1] for v in values if isinstance(v, str)}


@dataclass(frozen=True)
class JsonLd:
    """Every JSON-LD object on the page, an @id index, and the page's own article object."""

    objects: tuple[dict[str, Any], ...] = ()
    by_id: dict[str, dict[str, Any]] = field(default_factory=dict)
    article: dict[str, Any] | None = None

    def resolve(self, value: Any) -> Any:
        """Follow a bare {"@id": ...} reference to the object it names."""
        if isinstance(value, dict) and "@id" in value and len(value) <= 2:
            return self.by_id.get(str(value["@id"]), value)
        return value

    def of_type(self, *names: str) -> Iterator[dict[str, Any]]:
        wanted = set(names)
        for obj in self.objects:
            if types_of(obj) & wanted:
                yield obj

    def has_type(self, names: frozenset[str] | set[str]) -> bool:
        return any(types_of(obj) & names for obj in self.objects)


def _load(text: str) -> Any:
    """json.loads, forgiving what CMSs really emit: control characters, trailing commas, HTML
    comments or CDATA wrappers around the JSON."""
    text = text.strip()
    for junk in ("<!--", "-->", "//<![CDATA[", "//]]>", "<![CDATA[", "]]>"):
        text = text.replace(junk, "")
    try:
        return json.loads(text, strict=False)
    except RecursionError:  # [[[[... thousands deep: hostile, not metadata
        return None
    except ValueError:
        pass
    text = _TRAILING_COMMA.sub(r"\1", _CONTROL.sub(" ", text))
    try:
        return json.loads(text, strict=False)
    except (ValueError, RecursionError):
        return None


def _flatten(data: Any, out: list[dict[str, Any]], depth: int = 0) -> None:
    """Collect every object with a @type, descending into lists, @graph and nested values."""
    if depth > 12 or len(out) >= _MAX_OBJECTS:
        return
    if isinstance(data, list):
        for item in data:
            _flatten(item, out, depth + 1)
    elif isinstance(data, dict):
        if "@type" in data:
            out.append(data)
        for key, value in data.items():
            if key == "@context":
                continue
            if isinstance(value, (list, dict)):
                _flatten(value, out, depth + 1)


def _url_key(url: Any) -> str:
    if isinstance(url, dict):
        url = url.get("@id") or url.get("url")
    if not isinstance(url, str):
        return ""
    return url.split("#")[0].split("?")[0].rstrip("/").split("://")[-1].lower()


def _pick_article(objects: list[dict[str, Any]], url: str | None) -> dict[str, Any] | None:
    """The object describing this page's story: an article type, matching the URL if any does,
    else the one with the most to say (headline, body, dates). Articles listed inside an ItemList
    are other stories, not this one."""
    listed = set()
    for obj in objects:
        if types_of(obj) & {"ItemList"}:
            items = obj.get("itemListElement")
            for item in items if isinstance(items, list) else []:
                if isinstance(item, dict):
                    listed.add(id(item.get("item", item)))
    rank = {name: i for i, name in enumerate(ARTICLE_TYPES)}
    candidates = [o for o in objects if types_of(o) & rank.keys() and id(o) not in listed]
    if not candidates:
        return None
    page = _url_key(url)

    def score(obj: dict[str, Any]) -> tuple[int, int, int]:
        matches = bool(page) and page in {
            _url_key(obj.get("url")),
            _url_key(obj.get("mainEntityOfPage")),
            _url_key(obj.get("@id")),
        }
        richness = sum(
            1 for k in ("headline", "articleBody", "datePublished", "author") if obj.get(k)
        )
        best_type = min(rank[t] for t in types_of(obj) if t in rank)
        return (int(matches), richness, -best_type)

    return max(candidates, key=score)


def jsonld_of(texts: Iterable[str], url: str | None) -> JsonLd:
    """Every JSON-LD block of the page (their texts, in document order), flattened; broken
    blocks are skipped, not fatal."""
    objects = jsonld_objects(texts)
    by_id: dict[str, dict[str, Any]] = {}
    for obj in objects:
        key = obj.get("@id")
        if isinstance(key, str) and (key not in by_id or len(obj) > len(by_id[key])):
            by_id[key] = obj
    return JsonLd(tuple(objects), by_id, _pick_article(objects, url))


def parse_jsonld_scripts(
    root: LexborHTMLParser | LexborNode, mentioning: tuple[str, ...] = ()
) -> list[dict[str, Any]]:
    """The objects of the JSON-LD blocks under root, flattened; only of the blocks whose text
    holds one of `mentioning`, when given (a type's name: parsing is the costly part)."""
    return jsonld_objects([script.text() for script in root.css(JSONLD_SCRIPTS)], mentioning)


def jsonld_objects(texts: Iterable[str], mentioning: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """parse_jsonld_scripts() of the blocks' texts."""
    objects: list[dict[str, Any]] = []
    for text in texts:
        if not text or len(text) > _MAX_SCRIPT_CHARS:
            continue
        if mentioning and not any(word in text for word in mentioning):
            continue
        data = _load(text)
        if data is not None:
            _flatten(data, objects)
    return objects


def meta_of(nodes: Iterable[LexborNode]) -> dict[str, list[str]]:
    """<meta> content by lower-cased name, property, itemprop or http-equiv, first value first,
    of the page's meta[content] elements (in document order)."""
    meta: dict[str, list[str]] = {}
    for node in nodes:
        attrs = node.attributes
        content = attrs.get("content")
        if not content:
            continue
        for key in ("property", "name", "itemprop", "http-equiv"):
            name = attrs.get(key)
            if name:
                meta.setdefault(name.strip().lower(), []).append(content)
    return meta


def text_values(value: Any) -> list[str]:
    """Strings from a JSON-LD value that may be a string, a list, or objects with name/@value."""
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, dict):
            inner = item.get("name") or item.get("@value") or item.get("text")
            if isinstance(inner, str):
                out.append(inner)
        elif isinstance(item, (int, float)) and not isinstance(item, bool):
            out.append(str(item))
    return out


def url_value(value: Any) -> str | None:
    """A URL from a JSON-LD value that may be a string, an ImageObject, or a list of either."""
    items = value if isinstance(value, list) else [value]
    for item in items:
        if isinstance(item, str) and item.strip():
            return item.strip()
        if isinstance(item, dict):
            inner = item.get("url") or item.get("contentUrl") or item.get("@id")
            if isinstance(inner, str) and inner.strip():
                return inner.strip()
    return None

"""The page-level fields: site name, canonical URL, language, description, section, tags, image.

Each reads structured data first (JSON-LD, then OpenGraph and other meta tags) because those are
written for machines; the visible page is only the headline's, byline's and dates' business."""

from __future__ import annotations

import html
import re
from typing import Any

from scraper.extract.document import Doc, attr, clean_text
from scraper.extract.langguess import guess_language, sample_text
from scraper.extract.structured import text_values, types_of, url_value
from scraper.urls import absolute_url

# fmt: off
# Meta tags naming the site, best first ("application-name" is often the CMS's own name, so last).
SITE_NAME_META: tuple[str, ...] = ("og:site_name", "twitter:app:name:iphone", "application-name")
# Meta tags holding the page's language, best first.
LANGUAGE_META: tuple[str, ...] = ("content-language", "og:locale", "dc.language", "language")
DESCRIPTION_META: tuple[str, ...] = ("og:description", "description", "twitter:description")
SECTION_META: tuple[str, ...] = ("article:section",)
# Tag meta tags, best first: article:tag repeats once per tag; the keyword lists are comma-joined.
TAG_META: tuple[str, ...] = ("article:tag", "news_keywords", "keywords")
IMAGE_META: tuple[str, ...] = (
    "og:image", "og:image:url", "og:image:secure_url", "twitter:image", "twitter:image:src",
)
# CMS names that application-name carries instead of the site's.
CMS_NAMES: frozenset[str] = frozenset({"wordpress", "drupal", "joomla", "ghost", "arc xp"})
MAX_TAGS = 50
MAX_TAG_CHARS = 80
_TAG = re.compile(r"<[^>]{0,500}>")
_ENTITY = re.compile(r"&(?:#\d{2,6}|#x[0-9a-fA-F]{2,5}|[a-zA-Z]{2,8});")
_LANG = re.compile(r"^[a-z]{2,3}$")
_LANG_SPLIT = re.compile(r"[-_]")
# fmt: on


def unescape(value: Any) -> str:
    """Structured-data text as a reader sees it: CMSs escape entities and leave tags in it."""
    if not isinstance(value, str):
        return ""
    if "<" in value:
        value = _TAG.sub(" ", value)
    if "&" in value:
        value = html.unescape(value)
        if _ENTITY.search(value):  # escaped twice ("&amp;#8217;"), as some CMSs write meta
            value = html.unescape(value)
    return clean_text(value)


def jsonld_text(doc: Doc, key: str) -> str | None:
    """The first string under key in the article's JSON-LD object."""
    article = doc.jsonld.article
    if not article:
        return None
    for value in text_values(doc.jsonld.resolve(article.get(key))):
        if text := unescape(value):
            return text
    return None


def site_name(doc: Doc) -> str | None:
    """The publication's name: og:site_name, JSON-LD publisher or WebSite, application-name."""
    name = unescape(doc.meta_first("og:site_name"))
    if name and not name.startswith(("http://", "https://", "www.")):
        return name
    article = doc.jsonld.article
    if article:
        publishers = article.get("publisher")
        for item in publishers if isinstance(publishers, list) else [publishers]:
            for name in text_values(doc.jsonld.resolve(item)):
                if name := unescape(name):
                    return name
    for obj in doc.jsonld.of_type("WebSite", "NewsMediaOrganization"):
        for name in text_values(obj.get("name")):
            if name := unescape(name):
                return name
    for key in SITE_NAME_META[1:]:
        name = unescape(doc.meta_first(key))
        if name and name.casefold() not in CMS_NAMES:
            return name
    return None


def canonical_url(doc: Doc) -> str | None:
    """The page's own address: link rel=canonical, else og:url, made absolute."""
    links = doc.tree.css("link[rel][href]") if doc.links is None else doc.links
    for link in links:
        rels = (link.attributes.get("rel") or "").lower().split()
        if "canonical" in rels and (url := absolute_url(attr(link, "href"), doc.url)):
            return url
    return absolute_url(doc.meta_first("og:url"), doc.url)


def _primary_subtag(value: str | None) -> str | None:
    if not value:
        return None
    head = _LANG_SPLIT.split(value.strip().lower(), 1)[0]
    return head if _LANG.match(head) else None


def language(doc: Doc) -> str | None:
    """The primary language subtag ("en", "uk"): <html lang>, meta tags, JSON-LD inLanguage,
    else a guess from the paragraphs' words (dates need a language even when none is declared)."""
    if "language" not in doc.memo:
        doc.memo["language"] = _declared_language(doc) or guess_language(sample_text(doc.tree))
    lang: str | None = doc.memo["language"]
    return lang


def _declared_language(doc: Doc) -> str | None:
    if lang := _primary_subtag(doc.lang):
        return lang
    for key in LANGUAGE_META:
        for value in doc.meta.get(key, ()):
            if lang := _primary_subtag(value.split(",")[0]):
                return lang
    objects = [doc.jsonld.article] if doc.jsonld.article else []
    objects += list(doc.jsonld.objects)
    for obj in objects:
        for value in text_values(obj.get("inLanguage")):
            if lang := _primary_subtag(value):
                return lang
    return None


def description(doc: Doc) -> str | None:
    """The standfirst the publisher wrote: JSON-LD description, og:description, description."""
    if text := jsonld_text(doc, "description"):
        return text
    return unescape(doc.meta_first(*DESCRIPTION_META)) or None


def section(doc: Doc) -> str | None:
    """The article's section: JSON-LD articleSection (the first when a list), article:section."""
    if text := jsonld_text(doc, "articleSection"):
        return text
    return unescape(doc.meta_first(*SECTION_META)) or None


def _split_tags(values: list[str]) -> list[str]:
    out: list[str] = []
    for value in values:
        out.extend(unescape(part) for part in value.split(","))
    return out


def _dedupe(values: list[str]) -> tuple[str, ...]:
    seen: set[str] = set()
    out: list[str] = []
    for value in values:
        key = value.casefold()
        if value and len(value) <= MAX_TAG_CHARS and key not in seen:
            seen.add(key)
            out.append(value)
    return tuple(out[:MAX_TAGS])


def tags(doc: Doc) -> tuple[str, ...]:
    """The article's tags from the first source that has any: JSON-LD keywords, meta tags."""
    article = doc.jsonld.article
    if article and (found := _dedupe(_split_tags(text_values(article.get("keywords"))))):
        return found
    for key in TAG_META:
        if found := _dedupe(_split_tags(doc.meta.get(key, []))):
            return found
    return ()


def image(doc: Doc) -> str | None:
    """The lead image: JSON-LD image (following @id references), og:image, twitter:image."""
    article = doc.jsonld.article
    if article:
        value = article.get("image")
        items = value if isinstance(value, list) else [value]
        for item in items:
            resolved = doc.jsonld.resolve(item)
            if isinstance(resolved, dict) and types_of(resolved) - {"ImageObject"}:
                continue  # a Person or Organization's picture, not the story's
            if url := absolute_url(url_value(resolved), doc.url):
                return url
    return absolute_url(doc.meta_first(*IMAGE_META), doc.url)

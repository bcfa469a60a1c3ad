"""extract(html, url) -> Article: pure, no I/O.

Each field module reads the parsed Doc and returns a value with its source; this module only
decides the order of work and keeps one field's failure from costing the others. The body goes
last because finding it prunes the tree."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, TypeVar

from selectolax.lexbor import LexborHTMLParser

from scraper.article import RECORD_KEYS, Article, AuthorBio
from scraper.extract import bio, byline, dates, fields, headline, pagetype
from scraper.extract.body import BodyText, read_body, split_article_body
from scraper.extract.document import Doc, clean_text, decode, parse, parse_tree
from scraper.extract.fallback import densest_text
from scraper.extract.notes import closing_bio

# The public face: extract(), and the bounded parser and text cleaner that link discovery shares.
__all__ = ["clean_text", "extract", "parse_tree"]

T = TypeVar("T")
# JSON-LD articleBody replaces the page's text only when the page gave much less: it is often
# truncated, and it carries no structure, but some pages render the story with scripts only.
ARTICLE_BODY_RATIO = 2.0
NO_BIOS: tuple[AuthorBio, ...] = ()
NO_TAGS: tuple[str, ...] = ()
# A page without story text that links this many headlines is a listing, not a broken article.
MIN_LISTING_TEASERS = 3
# Where a page states its standfirst, each tried in turn (one may be truncated or rewritten).
DESCRIPTION_META = ("og:description", "description", "twitter:description")


def extract(
    html: bytes | str,
    url: str | None = None,
    *,
    encoding: str | None = None,
    now: datetime | None = None,
    source: str | None = None,
) -> Article:
    """Extract the article record from one page. Never raises: a field that fails is left
    empty and named in `error`; an input with nothing readable comes back with an error."""
    now = now or datetime.now(UTC)
    errors: list[str] = []
    provenance: dict[str, str] = {}
    try:
        doc = parse(html, url, encoding)
    except Exception as exc:
        return Article(source=source, url=url, page_type="unknown", error=f"parse: {exc}")

    def field(name: str, fn: Callable[[], T], default: T) -> T:
        try:
            return fn()
        except Exception as exc:
            errors.append(f"{name}: {type(exc).__name__}: {exc}")
            return default

    site = field("site_name", lambda: fields.site_name(doc), None)
    title = field("headline", lambda: headline.headline(doc, site), None)
    by = field("authors", lambda: byline.byline(doc, site), None)
    published = field("published", lambda: dates.published(doc, now), None)
    modified = field("modified", lambda: dates.modified(doc, now), None)
    authors = by.authors if by else ()
    bios = field("author_bios", lambda: bio.author_bios(doc, authors), NO_BIOS)
    meta: dict[str, Any] = {
        "canonical_url": field("canonical_url", lambda: fields.canonical_url(doc), None),
        "language": field("language", lambda: fields.language(doc), None),
        "description": field("description", lambda: fields.description(doc), None),
        "section": field("section", lambda: fields.section(doc), None),
        "tags": field("tags", lambda: fields.tags(doc), NO_TAGS),
        "image": field("image", lambda: fields.image(doc), None),
    }
    evidence = field("page_type", lambda: pagetype.listing_evidence(doc), pagetype.NOT_LISTING)
    headline_text = title.value if title else None
    descriptions = (meta["description"], *(doc.meta_first(n) for n in DESCRIPTION_META))

    def reread() -> LexborHTMLParser:
        return parse_tree(decode(html, encoding) if isinstance(html, bytes) else html)

    text = field(
        "body",
        lambda: _body(doc, headline_text, descriptions, provenance, reread, meta["canonical_url"]),
        BodyText([]),
    )
    paragraphs = text.paragraphs
    if bio_run := closing_bio(paragraphs, authors):  # who wrote it, under the story
        bios = bio.with_closing_note(bios, paragraphs[-bio_run], authors)
        paragraphs = paragraphs[:-bio_run]
    if evidence and not pagetype.reads_as_article(
        paragraphs, headline_text, evidence=evidence, body_teasers=text.teasers
    ):
        page_type = "listing"
    elif paragraphs or doc.jsonld.article is not None:
        page_type = "article"
    elif field("page_type", lambda: _teasers(doc, reread), 0) >= MIN_LISTING_TEASERS:
        # No story text, links to stories: a section page.
        page_type = "listing"
    else:
        page_type = "unknown"
    for name, cand in (("headline", title), ("published", published), ("modified", modified)):
        if cand is not None:
            provenance[name] = cand.source
    if by is not None and by.authors:
        provenance["authors"] = by.source
    if page_type == "listing":  # a listing's teasers are other stories: none of them is this page's
        paragraphs, authors, bios, published, modified = [], (), (), None, None
        headline_text = None
        for name in ("body", "published", "modified", "authors", "headline"):
            provenance.pop(name, None)
    if page_type == "unknown":
        errors.append("no article text or headline found")
    return Article(
        source=source,
        url=url,
        canonical_url=meta["canonical_url"] or url,
        page_type=page_type,
        headline=headline_text,
        byline=by.raw if by and page_type != "listing" else None,
        authors=tuple(authors),
        published=published.value if published else None,
        modified=modified.value if modified else None,
        paragraphs=tuple(paragraphs),
        author_bios=tuple(bios),
        language=meta["language"],
        site_name=site,
        description=meta["description"],
        section=meta["section"],
        tags=tuple(meta["tags"]),
        image=meta["image"],
        provenance={k: provenance[k] for k in RECORD_KEYS if k in provenance},
        error="; ".join(errors) or None,
    )


def _body(
    doc: Doc,
    headline: str | None,
    descriptions: tuple[str | None, ...],
    provenance: dict[str, str],
    reread: Callable[[], LexborHTMLParser] | None = None,
    canonical: str | None = None,
) -> BodyText:
    """The page's paragraphs, or JSON-LD articleBody when the page shows far less of it;
    reread parses the page afresh for a second reading when the first found nothing."""
    live_blog = doc.jsonld.has_type({"LiveBlogPosting"})
    urls = (doc.url, canonical)
    text = read_body(
        doc.tree,
        headline,
        live_blog=live_blog,
        descriptions=descriptions,
        page_urls=urls,
        body_jsonld=doc.body_jsonld,
    )
    paragraphs = text.paragraphs
    article = doc.jsonld.article or {}
    ld_paragraphs = split_article_body(article.get("articleBody"))
    dom_chars = sum(len(p) for p in paragraphs)
    ld_chars = sum(len(p) for p in ld_paragraphs)
    if ld_chars > ARTICLE_BODY_RATIO * max(dom_chars, 1) and ld_chars > 200:
        provenance["body"] = "jsonld:articleBody"
        return BodyText(_opened_by(text.standfirst, ld_paragraphs), text.teasers)
    if not paragraphs and headline and reread is not None:
        # Nothing read under a headline: read the page again without trusting its names.
        text = densest_text(reread(), headline)
        paragraphs = text.paragraphs
    if paragraphs:
        provenance["body"] = "dom"
    return text


def _teasers(doc: Doc, reread: Callable[[], LexborHTMLParser]) -> int:
    """pagetype.teaser_count, asked only of a page without story text or a JSON-LD article:
    counted on the page as parsed (the body's reading has pruned doc.tree since), unless the
    listing evidence counted them before. Most pages never ask, and skip the count."""
    if "teasers" in doc.memo:
        return pagetype.teaser_count(doc)
    return pagetype.teaser_count(replace(doc, tree=reread(), memo={}))


def _opened_by(standfirst: str | None, paragraphs: list[str]) -> list[str]:
    """JSON-LD articleBody opened by the page's standfirst, which it often leaves out."""
    if not standfirst or not paragraphs or standfirst[:60] in " ".join(paragraphs):
        return paragraphs
    return [standfirst, *paragraphs]

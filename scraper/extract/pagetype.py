"""Is this page an article, or a page listing articles (home page, section, tag, author page)?

Conservative by design: a page is a listing only when it says so (structured data, og:type) or
its address does, and the orchestrator still keeps it as an article when its text reads as one.
Calling a real article a listing empties its record; the opposite costs a poor record. So only
strong evidence (a home page, a CollectionPage) needs much prose to be overruled; against weak
evidence (og:type "website", a section-like path) a headline over story-like text suffices."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from scraper.extract.document import Doc, has_element_child
from scraper.extract.headline import FURNITURE_TAGS

# JSON-LD types of pages that list other pages.
LISTING_TYPES: frozenset[str] = frozenset(
    {"CollectionPage", "ItemList", "SearchResultsPage", "ProfilePage"}
)
# og:type values that a listing page may carry; any other value ("article", "video.other")
# says the page is one piece of content.
LISTING_OG_TYPES: frozenset[str] = frozenset({"website", "blog", "object"})
# Paths of section, tag, author and archive pages: a keyword and at most one more segment.
LISTING_PATH = re.compile(
    r"^/(?:[a-z]{2}(?:-[a-z]{2})?/)?(?:tags?|category|categories|section|sections|topics?|"
    r"authors?|archives?|search|rubrik|rubriken|thema|themen|kategorie|tema|temas|categoria|"
    r"rubrique|theme|tag-archive|page/\d+)(?:/[^/]+)?/?$",
    re.IGNORECASE,
)
# Teaser headings (linked h2/h3) a page needs to read as a list of stories.
MIN_TEASERS = 10
# What running prose an article needs, even on a page that calls itself a listing.
MIN_PROSE_PARAGRAPHS = 3
MIN_PROSE_CHARS = 150
_MAX_HEADINGS = 500


def teaser_count(doc: Doc) -> int:
    """Linked h2/h3/h4 headings outside menus and footers: the teasers of a listing. Counted
    once per page, on the tree as parsed: the listing evidence asks before the body prunes
    doc.tree, the orchestrator after, on a page parsed afresh (see extract._teasers)."""
    if "teasers" in doc.memo:
        count: int = doc.memo["teasers"]
        return count
    count = 0
    for heading in doc.tree.css("h2, h3, h4")[:_MAX_HEADINGS]:
        linked = (has_element_child(heading) and heading.css_first("a[href]") is not None) or (
            heading.parent is not None and heading.parent.tag == "a"
        )
        if not linked:
            continue
        cur = heading.parent
        while cur is not None and cur.tag not in FURNITURE_TAGS:
            cur = cur.parent
        if cur is None:
            count += 1
    doc.memo["teasers"] = count
    return count


def _listing_path(url: str | None) -> bool | None:
    """True for a root or section/tag path, False for another path, None without a URL."""
    if not url:
        return None
    path = urlsplit(url).path or "/"
    return path == "/" or bool(LISTING_PATH.match(path))


# How sure the page is of being a listing: strongly (a home page, a CollectionPage), or weakly
# (a section-like path; og:type "website" beside many teasers), when a story read on the page
# still makes it an article.
NOT_LISTING, WEAK, STRONG = 0, 1, 2
# Listing types that a page's own markup gives only to pages of many stories; an ItemList can
# also be a carousel on an article page.
STRONG_LISTING_TYPES: frozenset[str] = frozenset(
    {"CollectionPage", "SearchResultsPage", "ProfilePage"}
)
# A body whose containers hold this many linked headings is a list of stories, not a story.
MAX_BODY_TEASERS = 3
# Story-like text: this much prose in sentence-like paragraphs of at least this length.
MIN_STORY_CHARS = 200
MIN_STORY_PARAGRAPH = 40
_SENTENCE_END = ".!?…。！？\"'”»)"


def listing_evidence(doc: Doc) -> int:
    """How strongly the page presents itself as a list of stories (NOT_LISTING, WEAK, STRONG)."""
    if doc.jsonld.article is not None:
        return NOT_LISTING
    og_type = (doc.meta_first("og:type") or "").lower()
    if og_type and og_type not in LISTING_OG_TYPES:
        return NOT_LISTING
    if doc.jsonld.has_type(STRONG_LISTING_TYPES):
        return STRONG
    if doc.url and (urlsplit(doc.url).path or "/") == "/":
        return STRONG
    if doc.jsonld.has_type(LISTING_TYPES) or _listing_path(doc.url):
        return WEAK
    # A WebSite object or og:type "website" alone is on many article pages too: only together
    # with a page full of teaser headings does it mark a listing.
    declared = og_type == "website" or doc.jsonld.has_type({"WebSite"})
    if not declared or _article_path(doc.url):
        return NOT_LISTING
    return WEAK if teaser_count(doc) >= MIN_TEASERS else NOT_LISTING


# An article's address: a date in the path, or a last segment that is a slug of several words
# or carries a long number (a story id). Section and tag pages have short names.
_DATE_PATH = re.compile(r"/(?:19|20)\d{2}/(?:0?[1-9]|1[0-2])/|/(?:19|20)\d{2}-\d{2}-\d{2}")
_STORY_ID = re.compile(r"\d{5,}")
MIN_SLUG_WORDS = 4


def _article_path(url: str | None) -> bool:
    """True for an address shaped like one story's: a short story on a page that types itself
    "website" beside a grid of teasers is still a story."""
    if not url:
        return False
    path = urlsplit(url).path
    last = path.rstrip("/").rsplit("/", 1)[-1]
    last = last.rsplit(".", 1)[0] if "." in last else last
    words = [w for w in re.split(r"[-_]+", last) if w]
    return bool(_DATE_PATH.search(path) or _STORY_ID.search(last) or len(words) >= MIN_SLUG_WORDS)


def is_listing(doc: Doc) -> bool:
    """True when the page presents itself as a list of stories rather than one story."""
    return listing_evidence(doc) != NOT_LISTING


def reads_as_article(
    paragraphs: list[str],
    headline: str | None = None,
    *,
    evidence: int = STRONG,
    body_teasers: int = 0,
) -> bool:
    """True when the text is an article whatever the page claims: much running prose; or,
    against weak listing evidence, a headline over story-like text (a short blog post on a
    site whose markup calls every page a website) that is not a column of teasers."""
    long = sum(1 for p in paragraphs if len(p) >= MIN_PROSE_CHARS)
    if long >= MIN_PROSE_PARAGRAPHS:
        return True
    if evidence == STRONG or not headline or body_teasers >= MAX_BODY_TEASERS:
        return False
    prose = [p for p in paragraphs if len(p) >= MIN_STORY_PARAGRAPH]
    sentences = any(p.rstrip()[-1] in _SENTENCE_END for p in prose)
    return sentences and sum(len(p) for p in prose) >= MIN_STORY_CHARS

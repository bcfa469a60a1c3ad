"""Stories on one page: the page's own, and the next ones an infinite scroll appended.

A container with a title (h1), a byline or date and paragraphs is a story of its own; the body
reader notes what it has read so it can tell, once the page's story has begun, that the page
went on with the next article."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract.document import one_spaced, stripped_text
from scraper.extract.vocab import HEADING_TAGS

# Prose paragraphs read before a marked story that make it the next article when no story of
# the page's own was marked: a page's own story may follow its kicker, headline and standfirst.
STORY_AFTER_PROSE = 3
PROSE_CHARS = 80


class ReadState:
    """What _walk has read so far: prose paragraphs, headings, and marked stories entered."""

    def __init__(self, read: int) -> None:
        self.prose = read
        self.titles: set[str] = set()
        self.stories = 0

    def note(self, kind: str, parts: list[str]) -> None:
        """Count a block read, its kind and its text's parts (markup indentation alone is not
        text read)."""
        text = "".join(parts).strip()
        if kind in HEADING_TAGS:
            self.titles.add(_title_key(text))
        elif len(text) >= PROSE_CHARS:
            self.prose += 1

    def next_story(self, title: str | None) -> bool:
        """A marked story (its STORY_ATTR title) that is not this page's: one came before it,
        or much prose did, and its title is not a heading already read (a page's own story
        may repeat its title)."""
        if not title:
            return False
        if title in self.titles or not (self.stories or self.prose >= STORY_AFTER_PROSE):
            self.stories += 1
            return False
        return True


# What marks a story's own header: a date or a byline beside its title.
_STORY_MARK = 'time, [rel="author"], [class*="byline"], [class*="author"], [class*="date"]'
STORY_ATTR = "data-scraper-story"


def mark_stories(tree: LexborHTMLParser) -> None:
    """Mark each container that holds a title (h1), its byline or date, and paragraphs: a story
    of its own. Done before pruning, which removes bylines, so _walk can tell, once the story's
    text has begun, that a page went on with the next article (infinite scroll)."""
    for h1 in tree.tags("h1")[:20]:
        node = h1.parent
        for _ in range(6):
            if node is None or node.tag in ("body", "html"):
                break
            if node.attributes.get(STORY_ATTR):
                break  # marked by an earlier h1: that one is its title
            if node.css_first(_STORY_MARK) is not None and _has_long_paragraphs(node, 2):
                node.attrs[STORY_ATTR] = _title_key(h1.text())
                break
            node = node.parent


def _title_key(text: str) -> str:
    return one_spaced(text).casefold() or "-"


def _has_long_paragraphs(node: LexborNode, count: int) -> bool:
    """True when node holds `count` paragraphs of prose; the rest are not measured (a story's
    wrapper holds dozens)."""
    for p in node.css("p"):
        if len(stripped_text(p)) >= 80:
            count -= 1
            if not count:
                return True
    return False

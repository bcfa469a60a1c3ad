"""The part of a <title> that the page shows as a line of its own: the headline, when no h1 or h2
repeats it and the site's name is one nobody recognised ("Storm closes schools - WSJ.com").

Old pages set the story's title in an h3, a table cell or a styled div; the <title> adds the
site's name, a section or both. The part the page shows by itself, and that is the title's
main part (not a section the menu also shows), is the headline."""

from __future__ import annotations

from selectolax.lexbor import LexborNode

from scraper.extract.document import Doc
from scraper.extract.furniture import Header, ancestors
from scraper.extract.titleparts import outweighs
from scraper.extract.titles import SITE_SEPARATOR, is_site, key

# fmt: off
# Title runs this short (letters and digits) are too common to trust as a match.
_MIN_KEY = 10
# Text nodes read, in page order: the story's title comes early.
_MAX_TEXTS = 3000
# Segments of a title looked at.
_MAX_SEGMENTS = 6
# Levels above a text looked at for a link around it.
_LINK_LEVELS = 4
# fmt: on


def _runs(title: str) -> dict[str, str]:
    """{key: text} of every run of the title's segments but the whole title."""
    cuts = [(m.start(), m.end()) for m in SITE_SEPARATOR.finditer(title)][: _MAX_SEGMENTS - 1]
    bounds = [0, *(b for _, b in cuts)]
    ends = [a for a, _ in cuts] + [len(title)]
    runs: dict[str, str] = {}
    for i, start in enumerate(bounds):
        for j in range(i, len(ends)):
            if i == 0 and j == len(ends) - 1:
                continue
            text = title[start : ends[j]].strip()
            if len(k := key(text)) >= _MIN_KEY:
                runs[k] = text
    return runs


def _linked(node: LexborNode) -> bool:
    """True for a text inside a link: a menu's section, the logo, a teaser's title."""
    for level, el in enumerate(ancestors(node, include_self=True)):
        if level >= _LINK_LEVELS:
            return False
        if el.tag == "a":
            return True
    return False


def shown_segment(doc: Doc, title: str, keys: set[str]) -> str | None:
    """The longest run of the title's segments that a text of the page's body repeats whole,
    outside links and furniture (menus, footers, breadcrumbs), when it outweighs the rest of
    the title (titleparts.outweighs); None when none does."""
    runs = _runs(title)
    body = doc.tree.body
    if not runs or body is None:
        return None
    shown: list[str] = []
    outside = Header(None)
    for count, node in enumerate(body.traverse(include_text=True)):
        if count >= _MAX_TEXTS:
            break
        if node.is_element_node or node.parent is None or node.parent.tag in ("script", "style"):
            continue
        text = node.text_content or ""
        if len(text) < _MIN_KEY or len(text) > 2 * len(title):
            continue
        if (k := key(text)) not in runs or runs[k] in shown:
            continue
        parent = node.parent
        if not _linked(parent) and not outside.place(parent)[0]:
            shown.append(runs[k])
    folded = title.casefold()
    fit = [s for s in shown if not is_site(s, keys) and outweighs(s.casefold(), folded, keys)]
    return max(fit, key=len) if fit else None

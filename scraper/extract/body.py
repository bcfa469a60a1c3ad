"""The article body: find the container that holds the story, then read its blocks in order.

Readability's idea, kept small: paragraphs vote for their ancestors by length and commas, votes
are discounted by link density and by what class/id names say, and the winner is widened to
siblings that hold more of the same story (an article split by ads into several containers)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract.document import clean_text
from scraper.extract.vocab import (
    DROP_TAGS,
    HIDDEN_CLASS,
    HIDDEN_SELECTOR,
    class_id,
    is_body_container,
    is_boilerplate,
    is_unlikely,
)

# Tags that start a new block of text.
BLOCK_TAGS: frozenset[str] = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "header",
        "footer",
        "aside",
        "nav",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "td",
        "th",
        "figure",
        "figcaption",
        "form",
        "fieldset",
        "address",
        "details",
        "summary",
        "hr",
        "br",
        "center",
        "hgroup",
        "caption",
        "picture",
    }
)
# Table cells: a row reads as one line, its cells separated by spaces.
CELL_TAGS: frozenset[str] = frozenset({"td", "th"})
HEADING_TAGS: frozenset[str] = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Never article text wherever they stand.
SKIP_TAGS: frozenset[str] = frozenset({"figcaption", "nav", "aside", "footer", "caption", "form"})
PARAGRAPH_SELECTOR = "p, pre, td, blockquote, li, div, dd"
# Short lines that are furniture whatever their markup (ad labels, prompts, credits).
BOILERPLATE_LINE = re.compile(
    r"^(?:advertisement|advertisements|anzeige|publicité|реклама|ad|ads|sponsored( content)?|"
    r"story continues below( advertisement)?|article continues below|continue reading( below)?|"
    r"read more|read more:.*|related:.*|related( stories| articles| coverage| content)?:?|"
    r"see also:?.*|also read:?.*|recommended( for you)?|more (from|on|about) .{0,60}|"
    r"(share|share this|share this article|share on \w+|tweet|email|print|copy link)|"
    r"(click|tap) here.*|sign up.*|subscribe.*|follow us.*|listen to (this|the) (article|story).*|"
    r"(photo|image|picture|video|foto|photograph)s?( credit)?:.*|getty images|"
    r"©.*|copyright.*|all rights reserved.*|loading\.*|watch:.*|sponsored by.*|"
    r"this article (is|was) (more than|over) .{0,30} old|text size|font size|listen|"
    r"save|bookmark|\d* ?comments?|reprints?|print this (page|article)|view comments|"
    r"(leia|lesen sie|lire) (mais|auch|aussi).*|читайте также.*|больше новостей.*|advert|"
    r".*requires javascript.*|.*\bshare (it|this (story|article|post|page))\b.*|"
    r"like this (story|article)\?.*|(last )?updated( at| on)?:? .{0,40}|"
    r"published( at| on)?:? .{0,40}|\[\w+[^\]]*\].*\[/\w+\])$",
    re.IGNORECASE,
)
# Lines that open the page furniture after an article: the story ends before them.
END_MARKER = re.compile(
    r"^(?:related|related (links|stories|articles|posts|content|coverage|topics|news)|"
    r"(top|more|latest|trending|popular|recommended|other) (stories|news|articles|posts|videos)|"
    r"most (popular|read|viewed|shared)( .{0,40})?|read (next|more)|you (may|might) (also )?like|"
    r"(more|also) (from|on|in) .{1,40}|recommended( for you)?|partner (news|content)|"
    r"comments?|leave a (reply|comment)|join the (conversation|discussion)|share this( .{0,20})?|"
    r"about the authors?|tags?|topics|filed under|see also|also read|further reading|"
    r"weitere artikel|mehr zum thema|leia (também|mais)|lire aussi|читайте также|"
    r"похожие (новости|статьи)|関連記事|相关阅读|você (pode|também pode) gostar|"
    r"ti potrebbe interessare|das könnte sie auch interessieren|vous aimerez aussi)\s*[:.…]*$",
    re.IGNORECASE,
)
# A line that is only a date and time (a dateline repeated inside the body).
_DATE_LINE = re.compile(r"(?:19|20)\d\d|\d{1,2}:\d\d")
_WORD = re.compile(r"[^\W\d_]+")
_BARE_URL = re.compile(r"^https?://\S+$")
_SENTENCE_END = re.compile(r"[.!?…。”\"')\]]\s*$")


@dataclass
class _Candidate:
    node: LexborNode
    score: float
    depth: int = 0


def _tag_weight(tag: str) -> float:
    if tag in ("div", "article", "section", "main"):
        return 5
    if tag in ("pre", "td", "blockquote"):
        return 3
    if tag in ("address", "ol", "ul", "dl", "dd", "dt", "li", "form"):
        return -3
    if tag in ("h1", "h2", "h3", "h4", "h5", "h6", "th"):
        return -5
    return 0


def _class_weight(node: LexborNode) -> float:
    value = class_id(node)
    if node.attributes.get("itemprop") == "articleBody":
        return 50
    if is_body_container(value):
        return 25
    if is_boilerplate(value):
        return -25
    return 0


def _link_density(node: LexborNode, text_len: int | None = None) -> float:
    total = text_len if text_len is not None else len(node.text(strip=True))
    if not total:
        return 0.0
    linked = sum(len(a.text(strip=True)) for a in node.css("a"))
    return min(1.0, linked / total)


_KEEP_TAGS = frozenset({"html", "body", "article", "main"})


def prune(tree: LexborHTMLParser) -> None:
    """Remove what is never article text: scripts, widgets, hidden elements, and subtrees whose
    class or id names furniture (comments, sidebars, share bars), unless they hold much of the
    page's text or the container marked as the article body."""
    tree.strip_tags(list(DROP_TAGS))
    for node in tree.css(HIDDEN_SELECTOR):
        if node.tag not in _KEEP_TAGS:
            node.decompose()
    body = tree.body
    if body is None:
        return
    total = len(body.text(strip=True))
    for node in body.css("[class], [id]"):
        if node.tag in _KEEP_TAGS or node.parent is None:
            continue
        value = class_id(node)
        if HIDDEN_CLASS.search(node.attributes.get("class") or "") or (
            is_unlikely(value)
            and not node.css_matches('h1, [itemprop="articleBody"]')
            and len(node.text(strip=True)) < 0.5 * total
        ):
            node.decompose()


def _chunks(node: LexborNode) -> list[str]:
    """The texts a paragraph-like element shows as paragraphs: p, pre, td, blockquote as one;
    an element holding text directly (a div or li with <br> line breaks, as older CMSs and
    many non-English sites write) as one chunk per run between block children and <br>s."""
    tag = node.tag
    if tag in ("p", "pre", "td", "blockquote", "dd"):
        return [node.text()]
    if len(node.text(deep=False, strip=True)) < 25:
        return []
    chunks: list[str] = []
    current: list[str] = []
    child = node.child
    while child is not None:
        if child.tag in BLOCK_TAGS:
            chunks.append("".join(current))
            current = []
        else:
            current.append(child.text())
        child = child.next
    chunks.append("".join(current))
    return chunks


def _score_candidates(tree: LexborHTMLParser) -> list[_Candidate]:
    """Readability's vote: each paragraph scores its parent, grandparent and further ancestors."""
    body = tree.body
    if body is None:
        return []
    candidates: dict[int, _Candidate] = {}
    for node in body.css(PARAGRAPH_SELECTOR):
        score = 0.0
        for text in _chunks(node):
            if len(text.strip()) >= 25:
                score += 1 + text.count(",") + text.count("，") + min(len(text) // 100, 3)
        if not score:
            continue
        ancestor = node.parent
        level = 0
        while ancestor is not None and level < 5 and ancestor.tag not in ("body", "html"):
            key = ancestor.mem_id
            cand = candidates.get(key)
            if cand is None:
                cand = _Candidate(ancestor, _tag_weight(ancestor.tag) + _class_weight(ancestor))
                candidates[key] = cand
            cand.score += score if level == 0 else score / 2 if level == 1 else score / (level * 3)
            ancestor = ancestor.parent
            level += 1
    ranked = list(candidates.values())
    for cand in ranked:
        cand.score *= 1 - _link_density(cand.node)
    ranked.sort(key=lambda c: c.score, reverse=True)
    return ranked


def _paragraph_chars(node: LexborNode) -> int:
    """Text outside links: what a reader would read in this container."""
    text = len(node.text(strip=True))
    return text - int(text * _link_density(node, text))


def _body_containers(tree: LexborHTMLParser) -> list[LexborNode]:
    """Elements whose markup says "this is the article text", outermost first."""
    found = tree.css('[itemprop="articleBody"]')
    if found:
        return found
    return [n for n in tree.css("[class], [id]") if is_body_container(class_id(n))]


def choose_roots(tree: LexborHTMLParser) -> list[LexborNode]:
    """The element(s) holding the story, in document order."""
    ranked = _score_candidates(tree)
    top = ranked[0].node if ranked else None
    top_chars = _paragraph_chars(top) if top is not None else 0
    marked = [n for n in _body_containers(tree) if n.tag not in ("body", "html")]
    if marked:
        best = max(marked, key=_paragraph_chars)
        if top is None or _paragraph_chars(best) >= 0.6 * top_chars:
            top = best
    if top is None:
        return [tree.body] if tree.body is not None else []
    return _with_siblings(top, {c.node.mem_id: c.score for c in ranked})


def _with_siblings(top: LexborNode, scores: dict[int, float]) -> list[LexborNode]:
    """The top candidate plus what continues the story: readability's sibling pass, and
    same-class containers in the same article (an article split by ads or inline promos into
    several containers, siblings or cousins, is found whole)."""
    twins = _same_class(top)
    if len(twins) > 1:
        return twins
    parent = top.parent
    if parent is None or parent.tag in ("html",):
        return [top]
    threshold = max(10.0, scores.get(top.mem_id, 0.0) * 0.2)
    roots = []
    child = parent.child
    while child is not None:
        if child.mem_id == top.mem_id or (
            child.is_element_node and _continues(child, scores, threshold)
        ):
            roots.append(child)
        child = child.next
    return roots


def _is_leaf(node: LexborNode) -> bool:
    """True when no block element is inside: a run of prose, whatever its tag."""
    child = node.child
    while child is not None:
        if child.tag in BLOCK_TAGS and child.tag != "br":
            return False
        child = child.next
    return True


def _article_of(node: LexborNode) -> int | None:
    """The nearest enclosing <article> (or schema.org Article), as an identity."""
    ancestor = node.parent
    while ancestor is not None:
        if ancestor.tag == "article" or "Article" in (ancestor.attributes.get("itemtype") or ""):
            return ancestor.mem_id
        ancestor = ancestor.parent
    return None


def _same_class(top: LexborNode) -> list[LexborNode]:
    """Elements with exactly top's tag and class, in the same article, none inside another."""
    cls = top.attributes.get("class")
    if not cls or '"' in cls or "\\" in cls:
        return [top]
    home = _article_of(top)
    twins: list[LexborNode] = []
    for node in top.parser.css(f'{top.tag}[class="{cls}"]'):
        if _article_of(node) != home:
            continue
        if twins and _contains(twins[-1], node):
            continue
        twins.append(node)
    return twins if any(t.mem_id == top.mem_id for t in twins) else [top]


def _contains(outer: LexborNode, inner: LexborNode) -> bool:
    ancestor = inner.parent
    while ancestor is not None:
        if ancestor.mem_id == outer.mem_id:
            return True
        ancestor = ancestor.parent
    return False


def _continues(node: LexborNode, scores: dict[int, float], threshold: float) -> bool:
    if node.tag in SKIP_TAGS or is_boilerplate(class_id(node)):
        return False
    if scores.get(node.mem_id, 0.0) >= threshold:
        return True
    if node.tag == "p" or (node.tag in ("div", "section") and _is_leaf(node)):
        text = node.text(strip=True)
        density = _link_density(node, len(text))
        if len(text) > 80 and density < 0.25:
            return True
        return 0 < len(text) <= 80 and density == 0 and bool(_SENTENCE_END.search(text))
    return False


@dataclass
class _Block:
    parts: list[str]
    link_chars: int = 0
    tag: str = "p"


def _walk(root: LexborNode, root_chars: int) -> Iterator[_Block]:
    """Text blocks under root in document order, skipping furniture subtrees."""
    block = _Block([])
    stack: list[tuple[LexborNode, bool]] = [(root, False)]
    link_depth = 0
    while stack:
        node, leaving = stack.pop()
        tag = node.tag
        if leaving:
            if tag == "a":
                link_depth -= 1
            elif tag in CELL_TAGS:
                block.parts.append(" ")
            elif tag in BLOCK_TAGS:
                if block.parts:
                    yield block
                block = _Block([], tag=tag if tag in HEADING_TAGS else "p")
            continue
        if node.is_text_node:
            text = node.text_content or ""
            if text:
                block.parts.append(text)
                if link_depth:
                    block.link_chars += len(text.strip())
            continue
        if not node.is_element_node:
            continue
        if node is not root and _skip(node, root_chars):
            continue
        if tag in CELL_TAGS:
            block.parts.append(" ")
        elif tag in BLOCK_TAGS:
            if block.parts:
                yield block
            block = _Block([], tag=tag if tag in HEADING_TAGS else ("li" if tag == "li" else "p"))
        elif tag == "a":
            link_depth += 1
        stack.append((node, True))
        children = []
        child = node.child
        while child is not None:
            children.append(child)
            child = child.next
        stack.extend((c, False) for c in reversed(children))
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
        node.css_first("img") is not None and len(node.css("a")) >= 2 and _link_density(node) >= 0.5
    )


def _skip(node: LexborNode, root_chars: int) -> bool:
    tag = node.tag
    if tag in SKIP_TAGS:
        return True
    if tag == "span" and _is_hover_card(node):
        return True
    value = class_id(node)
    if value and is_boilerplate(value):
        # A big share of the text is the story itself, whatever its class says.
        return len(node.text(strip=True)) < 0.4 * root_chars
    return False


def extract_paragraphs(roots: list[LexborNode], headline: str | None) -> list[str]:
    """Readable paragraphs from the chosen containers, with furniture lines removed."""
    out: list[str] = []
    kinds: list[str] = []
    root_chars = sum(len(r.text(strip=True)) for r in roots)
    for root in roots:
        for block in _walk(root, root_chars):
            text = clean_text("".join(block.parts))
            if not text or _is_furniture(text, block, headline):
                continue
            if out and out[-1] == text:
                continue
            if block.tag == "h1" and not out:
                continue  # the page's title above the text; later h1s are subheadings
            out.append(text)
            kinds.append(block.tag)
    out = _cut_tail(out)
    return out


def _cut_tail(paragraphs: list[str]) -> list[str]:
    """Stop at a "Related stories" / "Comments" line when little text follows it, and drop
    trailing lines that introduce nothing."""
    total = sum(len(p) for p in paragraphs)
    seen = 0
    for i, text in enumerate(paragraphs):
        if i and len(text) <= 60 and END_MARKER.match(text) and total - seen < 0.35 * total:
            paragraphs = paragraphs[:i]
            break
        seen += len(text)
    while paragraphs and len(paragraphs[-1]) <= 60 and END_MARKER.match(paragraphs[-1]):
        paragraphs.pop()
    return paragraphs


def _is_furniture(text: str, block: _Block, headline: str | None) -> bool:
    if headline and text == headline:
        return True
    length = len(text)
    if length <= 150 and BOILERPLATE_LINE.match(text):
        return True
    if length <= 60 and _is_date_line(text):
        return True
    if block.link_chars:
        # A link or a list of links: navigation, related stories, tags.
        letters = len(text.replace(" ", ""))
        if block.link_chars >= 0.6 * letters and letters - block.link_chars < 30:
            return not _BARE_URL.match(text)  # a URL written out is a citation, not navigation
    return False


def _is_date_line(text: str) -> bool:
    """A dateline like "November 20, 2019 - 11:28 AMT" or "22 de outubro de 2010 às 20:13"."""
    if text[-1] in ".!?" or "@" in text or text[0] in "—–-" or not _DATE_LINE.search(text):
        return False
    return len(_WORD.findall(text)) <= 6 and sum(c.isdigit() for c in text) >= 4


def body_paragraphs(tree: LexborHTMLParser, headline: str | None = None) -> list[str]:
    """The article's paragraphs. Mutates the tree (prunes it): call it after the other fields."""
    prune(tree)
    roots = choose_roots(tree)
    return extract_paragraphs(roots, headline) if roots else []


def split_article_body(text: Any) -> list[str]:
    """JSON-LD articleBody as paragraphs (it is plain text with newlines, when it is there)."""
    if not isinstance(text, str):
        return []
    return [p for p in (clean_text(line) for line in re.split(r"\n\s*\n|\r?\n", text)) if p]

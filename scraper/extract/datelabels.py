"""Dates that a word on the page labels: "Veröffentlicht am 12.03.2019", "Posted on March 3",
"Stand: 07.11.2023", "Publié le 3 mars", "Datum 28.04.2023", "Aktualisiert: ...".

A label in the page's language is strong evidence wherever the line sits: in the meta bar, in
the story's footer, or in an info box beside it. One walk over the page's short text nodes and
one regex over their joined text find the labels; only the few hits are then placed in the tree
(furniture, comments, quotes and other stories' cards are never read). dates.py parses the text
after the label."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator

from selectolax.lexbor import LexborNode

from scraper.extract.document import Doc
from scraper.extract.headline import (
    FURNITURE_TAGS,
    FURNITURE_WORDS,
    Header,
    ancestors,
    is_hidden,
    node_text,
)
from scraper.extract.vocab import class_id, words
from scraper.extract.wordtrie import word_trie

# fmt: off
# Labels of the publication date by language, so the label also tells dateparser which
# language the date after it is written in (the page may declare another, or none).
PUBLISHED_LABELS: dict[str, tuple[str, ...]] = {
    "en": ("first published", "originally published", "published", "posted", "publication date",
           "date published", "released", "written on", "written by", "date posted", "posted date",
           "added on", "submitted on", "submitted by"),
    "de": ("veröffentlicht", "erstellt", "erschienen", "publiziert", "stand", "sendung vom",
           "sendedatum", "online seit", "veröffentlichungsdatum", "datum der veröffentlichung",
           "erscheinungsdatum", "meldung vom", "nachricht vom", "beitrag vom", "artikel vom",
           "pressemitteilung vom", "pressemeldung vom", "news vom", "eintrag vom", "geschrieben am",
           "verfasst am", "eingestellt am", "gepostet am", "eingetragen am"),
    "fr": ("publié", "publiée", "mis en ligne", "date de publication", "paru"),
    "es": ("publicado", "publicada", "fecha de publicación", "publicación"),
    "it": ("pubblicato", "pubblicata", "data di pubblicazione"),
    "pt": ("data de publicação",),
    "nl": ("gepubliceerd", "geplaatst"),
    "pl": ("opublikowano", "data publikacji", "dodano"),
    "cs": ("publikováno", "zveřejněno"),
    "sk": ("publikované", "zverejnené"),
    "sv": ("publicerad", "publicerat"),
    "da": ("udgivet", "publiceret"),
    "nb": ("publisert",),
    "fi": ("julkaistu",),
    "tr": ("yayınlanma tarihi", "yayınlanma", "yayın tarihi"),
    "ro": ("publicat",),
    "hu": ("közzétéve", "megjelent"),
    "ru": ("опубликовано", "опубликован", "опубликована", "дата публикации", "размещено"),
    "uk": ("опубліковано", "дата публікації"),
    "bg": ("публикувано",),
    "hr": ("objavljeno",),
    "ko": ("기사입력", "입력", "등록", "게재"),
    "ja": ("公開日", "掲載日", "配信日", "投稿日"),
    "zh": ("发布时间", "发布日期", "發布時間", "發佈時間", "发表于", "發表於", "发布于"),
}
# Labels of the last update. "Stand" is not one: German sites use it for the publication time.
UPDATED_LABELS: dict[str, tuple[str, ...]] = {
    "en": ("last updated", "updated", "last modified", "modified"),
    "de": ("zuletzt aktualisiert", "aktualisiert", "letzte aktualisierung", "letzte änderung",
           "geändert", "änderungsdatum"),
    "fr": ("mis à jour", "mise à jour", "dernière mise à jour", "modifié"),
    "es": ("última actualización", "actualizado", "actualización"),
    "it": ("ultimo aggiornamento", "aggiornato"),
    "pt": ("atualizado", "atualizada", "atualização"),
    "nl": ("laatst bijgewerkt", "bijgewerkt", "gewijzigd"),
    "pl": ("zaktualizowano", "aktualizacja"),
    "cs": ("aktualizováno",),
    "sv": ("uppdaterad", "uppdaterat"),
    "da": ("opdateret",),
    "nb": ("oppdatert",),
    "fi": ("päivitetty",),
    "tr": ("güncellendi", "güncelleme"),
    "ro": ("actualizat",),
    "hu": ("frissítve",),
    "ru": ("обновлено",),
    "uk": ("оновлено",),
    "sr": ("ажурирано", "ažurirano"),
    "ko": ("최종수정", "수정"),
    "ja": ("更新日",),
    "zh": ("更新时间", "更新於", "更新于"),
}
# The little words that join a label to its date ("am", "on", "le", "vom", "dnia"...).
_JOINERS = r"on|at|am|um|le|el|il|em|op|om|den|dnia|dne|в|від|от|о|i|på|kl\.?"


def _label_pattern(labels: dict[str, tuple[str, ...]]) -> re.Pattern[str]:
    words = sorted({w for ws in labels.values() for w in ws})
    # The labels' first letters, checked before the trie: the pattern runs over the page's
    # whole text, and this halves its time.
    first = "".join(sorted({re.escape(w[0]) for w in words}))
    return re.compile(
        rf"(?<!\w)(?=[{first}]){word_trie(words)}(?:\s+(?:{_JOINERS}))?(?!\w)", re.IGNORECASE
    )


PUBLISHED_LABEL = _label_pattern(PUBLISHED_LABELS)
UPDATED_LABEL = _label_pattern(UPDATED_LABELS)
LABEL_LANGUAGE: dict[str, str] = {
    w: lang for labels in (UPDATED_LABELS, PUBLISHED_LABELS) for lang, ws in labels.items()
    for w in ws
}
# Words that label any date; only with a colon or the date right after them ("Datum 28.04.2023").
# Their first letters are looked for first: the regex engine skips ahead to them fast.
GENERIC_LABEL = re.compile(
    r"(?=[dfptд])(?<!\w)(?:date|datum|fecha|data|date de|дата|dátum|tarih|päivämäärä|dato)(?!\w)",
    re.IGNORECASE,
)
# Labels of dates that are not the story's: an event's, a deadline's, a life's ("Termin:
# 12.03.2019, 19 Uhr", "When: March 3", "Anmeldeschluss 1. Mai"). A line they open is no date line.
EVENT_LABEL = re.compile(
    r"^\W*(?:termine?|veranstaltung\w*|wann|beginn|ende|einlass|anmeldeschluss|einsendeschluss|"
    r"bewerbungsschluss|anmeldung bis|frist|gültig bis|geboren|gestorben|when|event date|"
    r"date of (?:the )?event|starts?|ends?|deadline|closing date|application deadline|"
    r"valid until|expires|born|died|quand|fecha del evento|cuándo|quando)(?!\w)",
    re.IGNORECASE,
)
_YEARISH = re.compile(r"\d{4}|\d[./-]\d{1,2}[./-]\d\d|\d\s+\w+\s+(?:ago|vor|назад|тому)", re.I)
# Where a label may stand: at the start of a text node or after a separator ("By X | Posted").
SEPARATORS = "\n|•·–—,;"
SKIP_PARENTS: frozenset[str] = frozenset({"script", "style", "noscript", "template", "textarea"})
# Inline tags a label sits in ("<strong>Datum</strong>"): the line is the block around them.
INLINE: frozenset[str] = frozenset(
    {"span", "strong", "b", "em", "i", "small", "label", "time", "abbr", "font", "a", "dt", "dd"}
)
# Elements whose text no longer reads as one line once longer than this: a sentence in the story.
MAX_LINE_CHARS = 160
MAX_NODE_CHARS = 200  # text nodes longer than this are prose, never a label
MAX_HITS = 12
AFTER_CHARS = 90
# Furniture words that an article's own footer carries ("article-footer", "entry-footer").
_OWN_FOOTER = frozenset({"footer", "article-footer", "entry-footer", "post-footer"})
# Column names a story's own marked date may sit in ("article-header-sidebar").
_MARKED_TOLERATED = frozenset({"sidebar", "rail", "widget", "widgets"})
_QUOTES = frozenset({"blockquote", "figure", "figcaption"})
# Names of the page's footer in other languages than English ("footer" is furniture already).
PAGE_FOOTER_WORDS: frozenset[str] = frozenset({
    "fuss", "fusszeile", "fussbereich", "seitenfuss", "rodape", "piedepagina", "pie-de-pagina",
    "pied-de-page", "piedpage", "piede", "voettekst", "stopka", "sidfot", "bunntekst",
})
_CARD_CHARS = 400
# A date's digits and separators, taken out of a list item before its own words are counted.
_DATE_PART = re.compile(r"[\d.:/\-–|·,]+")
_LINKED_HEADING = "h2 a, h3 a, h4 a, h5 a, h6 a, a h2, a h3, a h4, a h5, a h6"
# fmt: on


def segment(text: str, updated: bool) -> str | None:
    """The part of a date line that holds one of the two dates: after its label, before the
    other kind's label ("Published 3 March, updated 4 March"); None when the line has none."""
    if EVENT_LABEL.search(text):
        return None
    upd = UPDATED_LABEL.search(text)
    if updated:
        if upd is None:
            return None
        rest = text[upd.end() :]
        pub = PUBLISHED_LABEL.search(rest)
        return rest[: pub.start()] if pub else rest
    pub = PUBLISHED_LABEL.search(text)
    if upd is None:
        return text[pub.end() :] if pub else text
    if pub is not None and pub.start() > upd.start():
        return text[pub.end() :]  # "Updated 4 March, first published 3 March"
    head = text[pub.end() if pub else 0 : upd.start()]
    return head if any(c.isdigit() for c in head) else None


def _texts(root: LexborNode) -> tuple[str, list[int], list[LexborNode]]:
    """The short visible text nodes joined by newlines, with each one's offset and node."""
    parts: list[str] = []
    starts: list[int] = []
    nodes: list[LexborNode] = []
    size = 0
    for node in root.traverse(include_text=True):
        if not node.is_text_node:
            continue
        text = node.text_content or ""
        stripped = text.strip()
        if not stripped or len(stripped) > MAX_NODE_CHARS:
            continue
        parent = node.parent
        if parent is not None and parent.tag in SKIP_PARENTS:
            continue
        starts.append(size)
        nodes.append(node)
        parts.append(stripped)
        size += len(stripped) + 1
    return "\n".join(parts), starts, nodes


def short_texts(doc: Doc) -> tuple[str, list[int], list[LexborNode]] | None:
    """_texts of the page's body, walked once per page for both dates and every reader."""
    if doc.tree.body is None:
        return None
    if "date-texts" not in doc.memo:
        doc.memo["date-texts"] = _texts(doc.tree.body)
    found: tuple[str, list[int], list[LexborNode]] = doc.memo["date-texts"]
    return found


def _line(node: LexborNode) -> LexborNode | None:
    """The block element a label's text node opens: up through inline wrappers."""
    el = node.parent
    for _ in range(4):
        if el is None or el.tag not in INLINE:
            break
        parent = el.parent
        if parent is None or parent.tag in ("body", "html"):
            break
        el = parent
    return el


def _opens(line: LexborNode, label: str, dated: bool = False) -> bool:
    """True when the label opens a short line, or follows a separator in it ("By X | Posted"):
    not a word inside a sentence ("The report was <em>published</em> on ..."). With `dated`,
    the line must also hold a digit of the date."""
    text = node_text(line, limit=MAX_LINE_CHARS + 40)
    if len(text) > MAX_LINE_CHARS or (dated and not any(c.isdigit() for c in text)):
        return False
    at = text.lower().find(label.split()[0].lower())
    before = text[:at].rstrip() if at > 0 else ""
    return not before or before[-1] in SEPARATORS + ":"


def own_line(text_node: LexborNode) -> bool:
    """True for a text node that is a line by itself inside a longer block: <br> or block
    elements (or nothing) on both sides, and the date in it ("기사입력 :[ 2018-08-25 15:24 ]")."""
    if not any(c.isdigit() for c in text_node.text_content or ""):
        return False
    for side in (text_node.prev, text_node.next):
        if side is not None and (side.is_text_node or side.tag in INLINE):
            return False
    return True


def _first_date_lines(after: str) -> str:
    """The text after a label up to the end of the line that holds its date (a year, or a
    relative date's number): the next line is the story, not the date."""
    out: list[str] = []
    for line in after.split("\n")[:3]:
        out.append(line)
        if _YEARISH.search(line):
            break
    return " ".join(out)


def story_place(node: LexborNode, header: Header, marked: bool = False) -> tuple[bool, int]:
    """(is the story's own, distance to the headline): outside furniture, comments, quotes and
    other stories' cards, but inside the story's own footer too ("article-footer"), and in an
    <aside> of the story's own <article> (a meta column). An element marked as the story's date
    (`marked`: "datePublished") may also sit in a column its CMS calls a sidebar."""
    furniture, distance = header.place(node)
    far = distance if distance is not None else 1_000
    if not furniture:
        outer = ancestors(node, include_self=True)
        return not any(a.tag in _QUOTES for a in outer) and not in_page_footer(node), far
    tolerated = _OWN_FOOTER | _MARKED_TOLERATED if marked else _OWN_FOOTER
    aside = False
    for el in ancestors(node, include_self=True):  # nearest first, up to the story's wrapper
        tag = el.tag
        if tag == "main" or el.attributes.get("role") == "main" or el.mem_id in header.levels:
            # The wrapper it shares with the headline: the page itself is no story.
            return tag not in ("body", "html") and (not aside or marked or tag == "article"), far
        if tag == "aside":
            aside = True
        elif tag in FURNITURE_TAGS - {"footer"} or is_hidden(el) or tag in _QUOTES:
            return False, far
        found = words(class_id(el)) & FURNITURE_WORDS
        if found and not found <= tolerated:
            return False, far
    return False, far


def in_page_footer(node: LexborNode) -> bool:
    """True inside the page's footer named in another language ("fusszeile", "rodape"): its
    "Stand: 14.03.2019" is when the site, not the story, was last looked at."""
    return any(words(class_id(el)) & PAGE_FOOTER_WORDS for el in ancestors(node, include_self=True))


def in_teaser(node: LexborNode, header: Header) -> bool:
    """True inside a link, in a small block that also holds a linked heading (a standfirst
    set as h2 links nowhere), or in an item of a list of links whose text is mostly its link
    ("07.03.2019 <a>Haushalt beschlossen</a>"): another story's card."""
    for level, el in enumerate(ancestors(node, include_self=True)):
        if el.mem_id in header.levels:
            return False  # the block that holds the story's headline
        if el.tag == "a":
            return True
        if el.tag == "li":
            return _linked_item(el)
        if level >= 1 and el.css_first(_LINKED_HEADING) is not None:
            return len(el.text()) <= _CARD_CHARS  # a card is small; a story's header is not
        if level >= 3 or el.tag in ("article", "main", "body"):
            return False
    return False


def _linked_item(item: LexborNode) -> bool:
    """True for a list item that is a link to another page with a date beside it, in a list of
    two or more linked items: a list of other stories. A meta list's item ("in <a>News</a>
    am 12.03.2019") is mostly its own words."""
    text = node_text(item, limit=_CARD_CHARS)
    links = [node_text(a, limit=_CARD_CHARS) for a in item.css("a")]
    linked = sum(len(t) for t in links)
    rest = len(_DATE_PART.sub("", text).strip()) - linked
    if not linked or rest > linked / 2:
        return False
    parent = item.parent
    if parent is None:
        return False
    siblings = [li for li in parent.iter() if li.tag == "li"]
    return sum(1 for li in siblings[:20] if li.css_first("a") is not None) >= 2


def labelled(doc: Doc, header: Header, updated: bool) -> Iterator[tuple[str, str | None]]:
    """(text after a date label, the label's language) anywhere on the page, the story's own
    lines only, nearest to the headline first, each cut to the part that holds the wanted date."""
    found = short_texts(doc)
    if found is None:
        return
    joined, starts, nodes = found
    label = UPDATED_LABEL if updated else PUBLISHED_LABEL
    hits: list[tuple[int, int, str, str | None]] = []
    for pattern, generic in ((label, False), (GENERIC_LABEL, True)):
        if updated and generic:
            break
        for m in pattern.finditer(joined):
            before = joined[max(0, m.start() - 4) : m.start()].rstrip(" \t")
            if before and before[-1] not in SEPARATORS:
                continue  # inside a sentence, not a label
            after = joined[m.end() : m.end() + AFTER_CHARS]
            if generic and not re.match(r"\s*(?::|\d)", after):
                continue
            if not any(c.isdigit() for c in after[:40]):
                continue
            text_node = nodes[bisect_right(starts, m.start()) - 1]
            line = _line(text_node)
            if line is None or not (_opens(line, m.group()) or own_line(text_node)):
                # The label's own element may hold the whole date line ("<span>Published
                # November 20th, 2019 - 07:29 GMT</span>") inside a longer block.
                line = text_node.parent
                if line is None or not _opens(line, m.group(), dated=True):
                    continue
            own, distance = story_place(line, header)
            if not own or in_teaser(line, header):
                continue
            after = _first_date_lines(after)
            other = (PUBLISHED_LABEL if updated else UPDATED_LABEL).search(after)
            part = after[: other.start()] if other else after
            if any(c.isdigit() for c in part):
                word = " ".join(m.group().lower().split())
                lang = LABEL_LANGUAGE.get(word) or LABEL_LANGUAGE.get(word.rsplit(" ", 1)[0])
                hits.append((distance, m.start(), part, lang))
            if len(hits) >= MAX_HITS:
                break
    hits.sort(key=lambda hit: (hit[0], hit[1]))
    yield from ((text, lang) for _, _, text, lang in hits)

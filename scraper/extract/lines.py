"""Line-level furniture: text that is not the story whatever markup carries it.

Ad labels, share prompts, datelines repeated inside the body, and the "Related stories" or
"Comments" line after which a page's furniture begins."""

from __future__ import annotations

import re

BOILERPLATE_LINE = re.compile(
    r"^(?:advertisement|advertisements|anzeige|werbung|publicité|publicidad|pubblicità|"
    r"advertentie|reklam|reklama|reklame|annonse|annons|mainos|реклама|ad|ads|"
    r"sponsored( content)?|"
    r"story continues below( advertisement)?|article continues below|continue reading( below)?|"
    r"read more|read more:.*|related:.*|related( stories| articles| coverage| content)?:?|"
    r"see also:?.*|also read:?.*|recommended( for you)?|more (from|on|about) .{0,60}|"
    r"(share|share this|share this article|share on \w+|tweet|email|print|copy link)|"
    r"(click|tap) here.*|sign up.*|subscribe.*|follow us.*|listen to (this|the) (article|story).*|"
    r"(photo|image|picture|video|foto|photograph)s?( credit)?:.*|getty images|"
    r"©.*|copyright.*|all rights reserved.*|loading\.*|watch:.*|sponsored by.*|"
    r"text size|font size|listen|"
    r"save|bookmark|\d* ?comments?|reprints?|print this (page|article)|view comments|"
    r"(leia|lesen sie|lire) (mais|auch|aussi).*|читайте также.*|больше новостей.*|advert|"
    r"(czytaj|leer|lees|leggi|läs|les|læs|lue|čtěte|citește|читати) "
    r"(więcej|też|także|dalej|más|también|meer|ook|anche|mer|också|også|mere|lisää|také|și|"
    r"також)\b.*|weiterlesen|mehr lesen|"
    r"\d+ ?(min|mins|minutes?|minuten|minutos|minuti)\.? ?(read|lesezeit|lesedauer|"
    r"de lecture|de lectura|di lettura|leestijd|lästid|lesetid)|"
    r".*requires javascript.*|.*\bshare (it|this (story|article|post|page))\b.*|"
    r"like this (story|article)\?.*|(last )?updated( at| on)?:? .{0,40}|"
    r"published( at| on)?:? .{0,40}|(by|von|par|por|door|av|від|автор:?) [^.!?]{2,50}|"
    r"\[\w+[^\]]*\].*\[/\w+\])$",
    re.IGNORECASE,
)
# Lines that open the page furniture after an article: the story ends before them.
END_MARKER = re.compile(
    r"^(?:related|related (links|stories|articles|posts|content|coverage|topics|news)|"
    r"(top|more|latest|trending|popular|recommended|other) (stories|news|articles|posts|videos)|"
    r"most (popular|read|viewed|shared)( .{0,40})?|read (next|more)|you (may|might) (also )?like|"
    r"(more|also) (from|on|in) .{1,40}|recommended( for you)?|partner (news|content)|"
    r"comments?|leave a (reply|comment)|join the (conversation|discussion)|share this( .{0,20})?|"
    r"about the authors?|tags?|tagged( with)?|topics|filed under|posted in|categor(y|ies)|"
    r"see also|also read|further reading|etiketler|"
    r"schlagw(orte|örter)|stichw(orte|örter)|themen|mots[- ]clés|étiquettes|etiquetas|temas|"
    r"weitere artikel|mehr zum thema|leia (também|mais)|lire aussi|читайте также|"
    r"похожие (новости|статьи)|関連記事|相关阅读|você (pode|também pode) gostar|"
    r"ti potrebbe interessare|das könnte sie auch interessieren|vous aimerez aussi|"
    # comments, reviews, most read and related, in the languages the line furniture knows
    r"(leser)?kommentare|commentaires|comentarios|comentários|commenti|komentarze|komentáře|"
    r"reacties|kommentarer|kommentit|yorumlar|комментарии|коментарі|отзывы|"
    r"meistgelesen(e|e artikel)?|les plus lus|lo más leído|más leídos|i più letti|"
    r"najczęściej czytane|meest gelezen|mest lästa|en çok okunan(lar)?|самое читаемое|"
    r"самые популярные .{0,40}|популярное|ähnliche artikel|articles similaires|"
    r"artículos relacionados|notícias relacionadas|articoli correlati|gerelateerde artikelen|"
    r"ilgili haberler|похожие материалы)\s*[:.…]*$",
    re.IGNORECASE,
)
# An end marker cuts the body when less than this share of the text follows it.
TAIL_SHARE = 0.35
# A sentence paragraph this long after a marker shows the story going on.
PROSE_AFTER_MARKER = 80
# A line that is only a date and time (a dateline repeated inside the body): it holds a clock
# time, a numeric date, or a month name, and few other words.
DATE_LINE_RE = re.compile(
    r"\b\d{1,2}:\d{2}\b|\b\d{1,4}[./-]\d{1,2}[./-]\d{2,4}\b|"
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)\b\.?|"
    r"\b(?:january|february|march|april|june|july|august|september|october|november|december|"
    r"januar|februar|märz|mai|juni|juli|oktober|dezember|janvier|février|mars|avril|juin|"
    r"juillet|août|septembre|octobre|novembre|décembre|enero|febrero|marzo|abril|mayo|junio|"
    r"julio|agosto|septiembre|octubre|noviembre|diciembre|gennaio|febbraio|aprile|maggio|"
    r"giugno|luglio|settembre|ottobre|dicembre|janeiro|fevereiro|março|maio|junho|julho|"
    r"setembro|outubro|novembro|dezembro)\b|"
    r"\b(?:январ|феврал|март|апрел|мая|июн|июл|август|сентябр|октябр|ноябр|декабр|січ|лют|"
    r"берез|квіт|трав|черв|лип|серп|верес|жовт|листопад|груд)\w*",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]+")
_FOUR_DIGITS = re.compile(r"\d(?:\D*\d){3}")
BARE_URL = re.compile(r"^https?://\S+$")


def is_end_marker(text: str) -> bool:
    """A short line like "Related stories" or "Comments" that opens furniture."""
    return len(text) <= 60 and END_MARKER.match(text) is not None


def cut_tail(paragraphs: list[str]) -> list[str]:
    """Stop at the first end marker ("Related stories", "Comments") that little text follows;
    markers with the story going on after them are dropped alone: much text, or running prose
    (an inline "Read more" box whose links were dropped, then the story's last paragraphs)."""
    total = sum(len(p) for p in paragraphs)
    seen = 0
    for i, text in enumerate(paragraphs):
        little_follows = i and is_end_marker(text) and total - seen < TAIL_SHARE * total
        if little_follows and not _story_goes_on(paragraphs[i + 1 :]):
            paragraphs = paragraphs[:i]
            break
        seen += len(text)
    return [p for p in paragraphs if not is_end_marker(p)]


def _story_goes_on(after: list[str]) -> bool:
    """The lines after a marker read as the story's own: at least two sentence paragraphs,
    before any further marker."""
    prose = 0
    for text in after:
        if is_end_marker(text):
            break
        if len(text) >= PROSE_AFTER_MARKER and text[-1] in '.!?…"”»)':
            prose += 1
    return prose >= 2


def is_date_line(text: str) -> bool:
    """A dateline like "November 20, 2019 - 11:28 AMT" or "22 de outubro de 2010 às 20:13"."""
    if text[-1] in ".!?" or "@" in text or text[0] in "—–-":
        return False
    if text.isascii() and _FOUR_DIGITS.search(text) is None:
        return False  # fewer than four digits (in ASCII, \d is isdigit()): the cheap test first
    if not DATE_LINE_RE.search(text):
        return False
    return len(_WORD.findall(text)) <= 6 and sum(c.isdigit() for c in text) >= 4


# A line that names the page's own address after a few words of its own ("This article was
# printed from: URL", "Short link: URL"): a print-only footer or a permalink box. It says where
# the story is, which is never the story.
MAX_WORDS_BEFORE_OWN_URL = 12


def url_key(url: str) -> str:
    """A URL without scheme, "www.", query, fragment and trailing slash, for comparison."""
    url = re.sub(r"^[a-z]+://(www\.)?", "", url.strip(), flags=re.IGNORECASE)
    return url.split("#", 1)[0].split("?", 1)[0].rstrip("/").casefold()


def names_own_page(text: str, own: frozenset[str]) -> bool:
    """The line ends with the page's own address (own holds url_key()s) after a few words."""
    words = text.split()
    if not own or len(words) < 2 or not words[-1].startswith(("http://", "https://")):
        return False
    return len(words) - 1 <= MAX_WORDS_BEFORE_OWN_URL and url_key(words[-1]) in own

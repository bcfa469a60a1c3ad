"""Lines that speak to the reader about the page, not the story: paywall remainders, reading
times, bare byline labels and credits, calls to follow or subscribe.

A paywalled page shows the story's first paragraphs and then a line telling how much is left
or that the rest is for subscribers ("Pozostało jeszcze 89% artykułu", "The rest of this
article is for subscribers", "Weiterlesen mit Abo"); what follows it is the offer, not the
story. A call to follow, subscribe or download the app ("Folgen Sie uns auf Instagram") sits
among the story's paragraphs. Both are language conventions, read from the line's words."""

from __future__ import annotations

import re

# The line that ends the part of a story shown before a paywall.
PAYWALL_LINE = re.compile(
    r"(?:\d{1,3} ?%.{0,12}?\b(?:artykułu|article|artikels?|articolo|artículo|artigo|článku|"
    r"статьи|статті|haberin)|\d{1,3} ?% of (?:this|the) (?:article|story)|"
    r"\b(?:the )?rest of (?:this|the) (?:article|story) is (?:for|available to|only for|"
    r"exclusive to) (?:paying )?(?:subscribers|members)|"
    r"\b(?:this|the) (?:article|story|content) is (?:for|available to|only for|exclusive to|"
    r"reserved for) (?:paying )?(?:subscribers|members)|"
    r"\bsubscribe (?:now )?to (?:continue|keep) reading|\bto (?:continue|keep) reading,? "
    r"(?:subscribe|sign in|log in|become a (?:member|subscriber))|"
    r"\bweiterlesen mit (?:\w+ ?)?(?:abo|plus|abonnement)|\bmit (?:\w+ ?)?(?:abo|plus) weiterlesen|"
    r"\bjetzt (?:\w+ ?)?(?:abo|plus) (?:abschließen|testen) und weiterlesen|"
    r"\b(?:cet article|ce contenu|la suite(?: de (?:cet |l')article)?) est réservée? aux abonnés|"
    r"\b(?:contenido|artículo) (?:exclusivo )?(?:para|solo para) (?:suscriptores|socios)|"
    r"\bexclusivo para (?:suscriptores|assinantes)|\bcontenuto riservato agli abbonati|"
    r"有料会員になると|会員限定の有料記事)",
    re.IGNORECASE,
)
MAX_PAYWALL_CHARS = 120
# A paywall line ends the story when less than this share of the text follows it (the offer's
# lines); with more after it, the story goes on (a line in a "premium" box) and the line alone
# is dropped.
PAYWALL_TAIL_SHARE = 0.35


# Every paywall line holds one of these, lower-cased: a page's short lines are searched for
# them at once, before PAYWALL_LINE is asked of each.
_PAYWALL_ANCHORS = (
    "%",
    "subscri",
    "member",
    "weiterlesen",
    "abonn",
    "suscri",
    "assinant",
    "abbonati",
    "会員",
)


def is_paywall_line(text: str) -> bool:
    """A short line telling the reader how much of the story is left, or that it is for
    subscribers."""
    return len(text) <= MAX_PAYWALL_CHARS and PAYWALL_LINE.search(text) is not None


def _anchored(text: str) -> bool:
    lowered = text.lower()
    return any(anchor in lowered for anchor in _PAYWALL_ANCHORS)


def cut_at_paywall(paragraphs: list[str]) -> list[str]:
    """The paragraphs before the first paywall line that little text follows; other paywall
    lines dropped alone. The first paragraph is never a cut (a page with only the line)."""
    short = [i for i, text in enumerate(paragraphs) if len(text) <= MAX_PAYWALL_CHARS]
    lowered = "\n".join(paragraphs[i] for i in short).lower()
    if not any(anchor in lowered for anchor in _PAYWALL_ANCHORS):
        return paragraphs
    walls = [i for i in short if _anchored(paragraphs[i]) and is_paywall_line(paragraphs[i])]
    if not walls:
        return paragraphs
    total = sum(len(p) for p in paragraphs)
    for i in walls:
        if i and sum(len(p) for p in paragraphs[i + 1 :]) < PAYWALL_TAIL_SHARE * total:
            return paragraphs[:i]
    return [p for i, p in enumerate(paragraphs) if i not in walls]


# Lines about the page's reading, never the story's: "Lesezeit: 2 Min.", a byline label whose
# name was a dropped link ("Von"), "| Published 1 day ago".
META_LINE = re.compile(
    r"^(?:(?:lesezeit|lesedauer|reading time|read time|temps de lecture|tiempo de lectura|"
    r"tempo di lettura|leestijd|czas czytania|doba čtení|время чтения|okuma süresi)\s*:?\s*"
    r"(?:ca\.? )?\d+\s*(?:min\.?|minuten|minutes?|minutos|minuti|minut|мин\.?|dk\.?|dakika)|"
    r"(?:by|von|par|por|door|av|di|af|przez|autor|автор):?|"
    r"(?:quelle|quellen|bildquelle|source|sources|fuente|fonte|źródło|zdroj|kaynak|источник|"
    r"джерело|bild|crédit|credit)\s*:(?:\s*[^.!?]{1,40})?|"
    r"[|•·]?\s*(?:published|updated|posted) (?:\d+|an?|one) (?:second|minute|hour|day|week|"
    r"month|year)s? ago)$",
    re.IGNORECASE,
)


# The first words META_LINE's lines open with (a cheap test before it).
_META_FIRST = frozenset(
    "lesezeit lesedauer reading read temps tiempo tempo leestijd czas doba время okuma by von "
    "par por door av di af przez autor автор quelle quellen bildquelle source sources fuente "
    "fonte źródło zdroj kaynak источник джерело bild crédit credit published updated "
    "posted".split()
)
MAX_META_CHARS = 60
_FIRST_WORD = re.compile(r"[|•·\s]*([^\W\d_]+)")


def _first_word(text: str) -> str:
    found = _FIRST_WORD.match(text)
    return found.group(1).lower() if found else ""


def is_meta_line(text: str) -> bool:
    """A line about reading the page: its reading time, a bare byline label, its age."""
    return (
        len(text) <= MAX_META_CHARS
        and _first_word(text) in _META_FIRST
        and META_LINE.match(text) is not None
    )


# A call to action opening a line: follow, subscribe, sign up, download the app, join a channel
# ("Folgen Sie uns auf Instagram", "Abonnez-vous à notre newsletter", "Síguenos en X").
CTA_LINE = re.compile(
    r"^(?:folgen sie uns|folge uns|abonnieren sie|jetzt (?:\w+ )?(?:abonnieren|anmelden|"
    r"registrieren|herunterladen)|melden sie sich .{0,40}newsletter|"
    r"laden sie (?:sich )?(?:die|unsere) .{0,20}app\b|"
    r"suivez[- ]nous|abonnez[- ]vous|inscrivez[- ]vous|téléchargez (?:l'|notre )app|"
    r"síguenos|suscríbete|suscribete|descarga (?:la|nuestra) app|"
    r"seguici|iscriviti|scarica (?:l'|la nostra )app|"
    r"siga[- ]nos|segue[- ]nos|assine|inscreva[- ]se|baixe o app|"
    r"volg ons|abonneer|schrijf je in|download (?:de|onze) app|"
    r"obserwuj nas|zapisz się|subskrybuj|pobierz aplikację|"
    r"sledujte nás|přihlaste se k odběru|stáhněte si aplikaci|"
    r"följ oss|prenumerera|ladda ner appen|følg os|følg oss|abonner på|"
    r"bizi takip edin|abone ol|.{0,20}uygulamasını indirin|"
    r"подписывайтесь|подпишитесь|читайте нас в|підписуйтесь|підпишіться|"
    r"download (?:the|our) .{0,20}app\b|get (?:the|our) .{0,20}app\b|join (?:us on|our) "
    r"(?:\w+ )?(?:whatsapp|telegram|channel|community|newsletter))",
    re.IGNORECASE,
)
MAX_CTA_CHARS = 150


# The first words CTA_LINE's lines open with, but for an app's name before "uygulamasını".
_CTA_FIRST = frozenset(
    "folgen folge abonnieren jetzt melden laden suivez abonnez inscrivez téléchargez síguenos "
    "suscríbete suscribete descarga seguici iscriviti scarica siga segue assine inscreva baixe "
    "volg abonneer schrijf download obserwuj zapisz subskrybuj pobierz sledujte přihlaste "
    "stáhněte följ prenumerera ladda følg abonner bizi abone подписывайтесь подпишитесь читайте "
    "підписуйтесь підпишіться get join".split()
)


def is_cta_line(text: str) -> bool:
    """A short line asking the reader to follow, subscribe or download."""
    if len(text) > MAX_CTA_CHARS:
        return False
    if _first_word(text) not in _CTA_FIRST and "uygulamasını" not in text:
        return False
    return CTA_LINE.match(text) is not None


def drop_reader_lines(paragraphs: list[str]) -> list[str]:
    """The paragraphs without meta lines, and without calls to action after the first."""
    return [
        p for i, p in enumerate(paragraphs) if not is_meta_line(p) and not (i and is_cta_line(p))
    ]

"""Person names from a byline's text: "By Jane Doe and John Roe, Reuters" -> Jane Doe, John Roe.

Byline text carries more than names: "By"/"Von"/"Por" prefixes, roles, emails and handles,
"and" words in many languages, dates, agencies and outlets. Every author source (JSON-LD,
meta tags, the visible byline, author boxes) passes its text through split_names here."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from scraper.extract.document import clean_text
from scraper.extract.fields import unescape

# fmt: off
# News agencies: credited only when no person is. Short all-caps names match case-sensitively.
AGENCIES: tuple[str, ...] = (
    "Reuters", "Associated Press", "The Associated Press", "AP", "AFP", "Agence France-Presse",
    "Agence France Presse", "dpa", "Deutsche Presse-Agentur", "Bloomberg", "Bloomberg News", "PA",
    "PA Media", "Press Association", "UPI", "United Press International", "Xinhua", "Ukrinform",
    "Interfax", "Interfax-Ukraine", "UNIAN", "TASS", "RIA Novosti", "EFE", "ANSA", "Kyodo",
    "Kyodo News", "Yonhap", "AAP", "Canadian Press", "The Canadian Press", "CP", "KNA", "epd",
    "APA", "Anadolu", "Anadolu Agency", "PTI", "IANS", "ANI", "Bernama", "Antara", "Lusa",
    "Europa Press", "Belga", "NTB", "Ritzau", "PAP", "CTK", "MTI", "Jiji", "Jiji Press", "SID",
    "Anadolu Ajansı", "AA", "SDA", "Keystone-SDA", "ddp", "dts", "KAP", "ČTK", "TT", "STT",
)
# "Written by" prefixes in many languages; "di" only lower-case, it is also a given name.
_PREFIX = re.compile(
    r"^(?:(?:[^\W\d_]+\s+){1,2}(?=by\b))?"  # "Analysis by", "Words and pictures by"
    r"(?:(?:written|words|reporting|reported|story|text|posted|compiled|created|article|"
    r"submitted|published|erstellt|verfasst|geschrieben|(?:ein\s+)?(?:artikel|beitrag|"
    r"kommentar|gastbeitrag|bericht|interview)|écrit|rédigé|publié|escrito|"
    r"publicado|scritto|pubblicato|geschreven|skrevet|skriven|napisane|napsal[a]?)\s+"
    r"(?:(?:on|am|le|el|em|il)\s+)?)?"  # "Posted on by": the date between was left out
    r"(?:by|von|vom|por|par|door|av|af|przez|från|od|від|от|автор(?:и|ы|ка)?|текст|tekst"
    r"|texto|testo|text(?:\s+(?:und|&|and|et|y|e|og|och)\s+(?:fotos?|bilder?|photos?))?"
    r"|author|authors|autor(?:in|en|innen|ka|zy|ky|ki)?(?:\s*/\s*autor(?:in|ka|ky)?)?|auteur"
    r"|autore|autori|written|reporting|bylined|yazar|quelle|source|fuente|fonte)"
    r"\b\s*[:\-–—]?\s*"
    r"|^di\s+|^(?:and|und|&)\s+|^mit\s+material\s+(?:von|der|aus)\s+"
    # "Von unserem Redakteur Max Muster", "By our correspondent Jane Doe"
    r"|^(?:unser(?:e[mnrs]?)?|our|notre|nuestr[oa])\s+(?:[^\W\d_]+\s+){0,2}?"
    r"[^\W\d_]*(?:redakteur|korrespondent|reporter|mitarbeiter|autor|correspondent|writer"
    r"|editor|envoyée?|corresponsal)[^\W\d_]*\s+",
    re.IGNORECASE,
)
# A line that gives the date first and the author after it: "Posted on March 3, 2019 by Jane
# Roe", "07.11.2023 – Von Anna Schmidt", "Publié le 3 mars 2019 à 10h15 par Marie Dupont".
# Up to the preposition; a whole date (day, month and year) must be in it, and nothing else.
DATED_BY = re.compile(
    r"(?:[^\W\d_]+\.?,?\s+){0,3}"  # "Posted on", "Publié le", "Tue,"
    r"(?:\d{4}-\d\d-\d\d|\d{1,2}[./]\d{1,2}[./]\d{2,4}"  # 2019-03-03, 07.11.2023
    r"|\d{1,2}\.?\s+[^\W\d_]+\.?,?\s+(?:1[89]|2\d)\d\d"  # 3 mars 2019, 12. März 2019
    r"|[^\W\d_]+\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+(?:1[89]|2\d)\d\d)"  # March 3, 2019
    r"(?:,?\s*(?:at|à|um|a las|alle|kl\.?)?\s*\d{1,2}[:.h]\d\d(?:\s*(?:[ap]\.?m\.?|uhr|h))?)?"
    r"\s*[-–—|·•,]?\s*(?=(?:by|von|par|por|door|av|af)\s+[^\W\d_])",
    re.IGNORECASE,
)
# The same line with its date element left out: "Posted on by Jane Roe".
_UNDATED_BY = re.compile(
    r"(?:[^\W\d_]+\s+){1,2}(?:on|am|le|el|em|il)\s+(?=(?:by|von|par|por)\s+[^\W\d_])",
    re.IGNORECASE,
)


def dated_head(text: str) -> int:
    """Where a dated line's byline starts: after "Posted on March 3, 2019 " (0 if no date
    opens it)."""
    head = DATED_BY.match(text) or _UNDATED_BY.match(text)
    return head.end() if head else 0


# Lines that credit someone other than an author: photographers, reviewers, editors.
_CREDIT = (
    r"reviewed|fact[- ]?checked|edited|editing|produced|photos?|photographs?|photography"
    r"|illustrations?|images?|graphics?|videos?|foto|fotos|bild|фото"
)
_NOT_AUTHORS = re.compile(rf"^(?:{_CREDIT})\b", re.IGNORECASE)
# Where a byline stops naming authors: credits, timestamps, any digit.
_CUT = re.compile(
    rf"(?:\b(?:{_CREDIT}|updated|published|posted|last updated|aktualisiert|veröffentlicht|"
    r"actualizado|publicado|mis à jour|publié|aggiornato|pubblicato|оновлено|опубліковано|"
    r"обновлено|опубликовано)\b|\d).*$",
    re.IGNORECASE | re.DOTALL,
)
_SPLIT = re.compile(
    r"\s*(?:[,;|/&+•·()\[\]]|\s(?:and|und|y|e|et|en|og|och|ja|i|і|й|та|и|with|mit|con|com|avec)"
    r"\s|\s[-–—]\s)\s*",
    re.IGNORECASE,
)
# An outlet named with its web address: "Deutsche Welle (www.dw.com)".
_OUTLET = re.compile(
    r"^([^()]{2,60}?)\s*\(\s*(?:https?://)?(?:www\.)?[\w-]+(?:\.[\w-]+)+/?\s*\)$", re.IGNORECASE
)
# A name marked as the photographer's, or a role marker after a name: "Lea Wagner (Fotos)".
_PHOTOGRAPHER = re.compile(
    r"[^,;/&()]+?\s*\(\s*(?:fotos?|photos?|bilder?|video|grafik|illustrations?)\s*\)"
    r"|\(\s*(?:text|texte|texto|testo|tekst)\s*\)",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"\S+@\S+\.\w+|https?://\S+|www\.\S+|@\w+")
_LOCATION = re.compile(r"\s+(?:in|from|aus|à|em|en|desde|из|з|в|у|для|for|at)\s+\S.*$")
# Words a cut-off date leaves at the end of a byline ("on Monday, November"); not names.
TRAILING_WORDS: frozenset[str] = frozenset({
    "on", "at", "am", "um", "le", "el", "il", "de", "the", "jan", "feb", "mar", "apr", "may",
    "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "january", "february", "march",
    "april", "june", "july", "august", "september", "october", "november", "december", "monday",
    "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon", "tue", "wed",
    "thu", "fri", "sat", "sun", "",
})
# A web address standing for an outlet: "ndr.de", "NTV.com.tr", "mbl.is".
_DOMAIN = re.compile(r"^[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}$")  # "J.Smith" is a person
# Words that make a part a job title, not a name ("Jane Doe, Staff Writer").
ROLE_WORDS: frozenset[str] = frozenset(
    {
        "writer", "reporter", "correspondent", "editor", "columnist", "contributor", "journalist",
        "producer", "photographer", "photojournalist", "analyst", "intern", "fellow", "chief",
        "senior", "associate", "deputy", "director", "host", "anchor", "critic", "freelance",
        "freelancer", "contributing", "special", "guest", "author", "redakteur", "redakteurin",
        "korrespondent", "korrespondentin", "journalistin", "reporterin", "autorin", "journaliste",
        "periodista", "redactor", "corresponsal", "giornalista", "jornalista", "correspondente",
        "кореспондент", "кореспондентка", "журналіст", "журналістка", "журналист", "корреспондент",
        "редактор", "автор", "оглядач", "обозреватель",
    }
)
# German compounds end in a role: "Chefreporterin", "Auslandskorrespondent", "Sportredakteur".
_ROLE_ENDINGS: tuple[str, ...] = (
    "reporter", "reporterin", "redakteur", "redakteurin", "korrespondent", "korrespondentin",
    "journalist", "journalistin", "fotograf", "fotografin", "kolumnist", "kolumnistin",
    "volontär", "volontärin", "praktikant", "praktikantin", "mitarbeiter", "mitarbeiterin",
    "moderator", "moderatorin",
)
# Korean, Japanese and Chinese bylines put the role after the name: "배윤경 기자", "山田太郎記者".
_CJK_ROLE = re.compile(
    r"\s*(?:선임기자|기자|특파원|논설위원|객원기자|記者|特派員|编辑|记者|論説委員)$"
)
# Words that make a part an organisation: used only when no person is named.
ORG_WORDS: frozenset[str] = frozenset(
    {
        "staff", "desk", "team", "newsroom", "editors", "editorial", "redaktion", "rédaction",
        "redacción", "redação", "redazione", "redactie", "редакція", "редакция", "agency",
        "agencies", "wire", "wires", "service", "news", "media", "press", "online", "digital",
        "reporters", "correspondents", "contributors", "bureau", "newsdesk", "inc", "ltd", "llc",
        "gmbh", "magazine",
        # what papers and their news pages call themselves: "Stuttgarter Zeitung", "Nachrichten"
        "nachrichten", "zeitung", "tageblatt", "rundschau", "anzeiger", "kurier", "gazette",
        "tribune", "herald", "journal", "noticias", "notícias", "nieuws", "nyheter", "nyheder",
        "actualités", "notizie", "haber", "haberler", "новости", "новини",
        # outlets after a byline's comma: "CNN Business", "Business Insider", "Florida Today"
        "business", "insider", "today", "times", "daily", "weekly", "sport", "sports",
    }
)
# German compounds naming a desk or an agency: "Lokalredaktion", "Nachrichtenagentur".
_ORG_ENDINGS: tuple[str, ...] = ("redaktion", "nachrichten", "zeitung", "agentur", "newsroom")
# Words no person's name contains: the text is page furniture that looked like a byline.
NON_NAME_WORDS: frozenset[str] = frozenset(
    {
        "share", "follow", "email", "e-mail", "twitter", "facebook", "more", "read", "view",
        "profile", "posts", "articles", "about", "contact", "subscribe", "comments", "comment",
        "print", "min", "minutes", "updated", "published", "advertisement", "sponsored", "opinion",
        "analysis", "home", "live", "admin", "administrator", "anonymous", "guest", "unknown",
        "the", "this", "that", "see", "all", "stories", "by", "our", "your", "mehr", "alle",
        "artikel", "listen", "audio", "shares", "close", "menu", "bio", "biography", "mit",
        "material", "quelle", "source",
    }
)
# Lower-case particles inside names: "Ludwig van Beethoven", "Ana de la Cruz".
NAME_PARTICLES: frozenset[str] = frozenset(
    {
        "de", "da", "di", "del", "della", "der", "den", "van", "von", "la", "le", "du", "dos",
        "das", "bin", "ibn", "al", "el", "y", "e", "zu", "ten", "ter", "st.", "d'", "al-", "el-",
        "do",
    }
)
_NAME_CHARS = re.compile(r"^[^\W\d_](?:[^\W\d_]|[ .'’‘\-])*$")
# fmt: on


@dataclass
class Names:
    """People and organisations a byline names, in page order."""

    people: list[str] = field(default_factory=list)
    orgs: list[str] = field(default_factory=list)

    def add(self, other: Names) -> None:
        """Append another source's names, keeping page order."""
        self.people.extend(other.people)
        self.orgs.extend(other.orgs)


_ACRONYM_AGENCIES = frozenset(a for a in AGENCIES if len(a) <= 4 and a.isupper())
_NAMED_AGENCIES = {a.casefold(): a for a in AGENCIES if a not in _ACRONYM_AGENCIES}
# Acronyms German-language credit lines write in lower case: "(sid/dpa)", "(afp/rtr)".
LOWER_CASE_AGENCIES: frozenset[str] = frozenset({"afp", "ap", "sid", "kna", "apa", "sda", "rtr"})


def _agency(part: str) -> str | None:
    """The agency a part names ("Reuters", "AP staff" -> "AP"), or None."""
    trimmed = " ".join(w for w in part.split() if w.casefold() not in ORG_WORDS) or part
    for text in (trimmed, part):
        if text in _ACRONYM_AGENCIES or text in LOWER_CASE_AGENCIES:  # never "Ap" or "Sid"
            return text
        if (name := _NAMED_AGENCIES.get(text.casefold())) is not None:
            return name
    return None


# Articles that open a publication's name, never a person's: "Der Spiegel", "Die Zeit".
TITLE_ARTICLES: frozenset[str] = frozenset({"der", "die", "das", "het"})


def _titled(part: str) -> bool:
    tokens = part.split()
    return len(tokens) > 1 and tokens[0][0].isupper() and tokens[0].casefold() in TITLE_ARTICLES


def generic_org(name: str, site_keys: frozenset[str] = frozenset()) -> bool:
    """True for a name made only of newsroom words and the site's own name ("Redaktion",
    "Online-Redaktion", "NZZ-Redaktion", "News Desk"): it names no one but the site's desk."""
    tokens = [t.strip(".,:;()") for t in re.split(r"[\s\-–]+", name.casefold())]
    tokens = [t for t in tokens if t]
    return bool(tokens) and all(
        t in ORG_WORDS or t in ROLE_WORDS or t in site_keys or t.endswith(_ORG_ENDINGS)
        for t in tokens
    )


def is_agency(name: str) -> bool:
    """True for a news agency's name as split_names gives it ("dpa", "Reuters", "AP")."""
    return _agency(name) == name


def _person_name(part: str) -> str | None:
    """The part as a person's name when it reads as one, else None."""
    tokens = part.split()
    if not 1 <= len(tokens) <= 6 or not 2 <= len(part) <= 60 or not _NAME_CHARS.match(part):
        return None
    lowered = [t.casefold().strip(".") for t in tokens]
    if any(t in NON_NAME_WORDS or t in ROLE_WORDS or t in ORG_WORDS for t in lowered):
        return None
    for token in tokens:
        first = token[0]
        if first.islower() and token.casefold() not in NAME_PARTICLES:
            return None
    if tokens[0][0].islower() or tokens[-1][0].islower():  # "Coordenadoria de" is cut short
        return None
    if len(tokens) == 1 and len(part) < 3:
        return None
    if part.isupper() and len(part) > 4:  # "JANE DOE": shouting, not an acronym
        part = part.title()
    return part


def _strip_prefix(text: str) -> str:
    for _ in range(3):
        stripped = _PREFIX.sub("", text, count=1).strip()
        if stripped == text:
            break
        text = stripped
    return text


def _drop_trailing(text: str) -> str:
    """Without the words a cut-off date leaves behind: "A and B on Monday, November"."""
    tokens = text.split()
    while tokens:
        last = tokens[-1].strip(".,;:|-–—·•()")
        if last and last.casefold() not in TRAILING_WORDS:
            break
        tokens.pop()
    return " ".join(tokens)


def _trim_part(part: str, site_name: str | None) -> str:
    """A part without a trailing affiliation: an agency, the site's name, an all-caps outlet."""
    if site_name and part.casefold().endswith(" " + site_name.casefold()):
        part = part[: -len(site_name)].strip()
    tokens = part.split()
    cased = [t for t in tokens if not t.isupper()]
    if len(cased) >= 2 and tokens[-1].isupper() and len(tokens[-1]) >= 2:
        while tokens and tokens[-1].isupper():  # "Kevin McCoy USA TODAY"
            tokens.pop()
        part = " ".join(tokens)
    return part


# Agencies tried longest first, so "Associated Press" wins over "Press" at a name's end.
_AGENCIES_LONGEST_FIRST: tuple[str, ...] = tuple(sorted(AGENCIES, key=len, reverse=True))


def split_names(text: str | None, site_name: str | None = None) -> Names:
    """People and organisations in a byline ("By A and B, Reuters"), minus roles and dates."""
    people, orgs = _split_names(text, site_name)
    return Names(list(people), list(orgs))


@lru_cache(maxsize=64)  # a page's sources repeat texts: a few pages' answers are kept
def _split_names(text: str | None, site_name: str | None) -> tuple[tuple[str, ...], ...]:
    names = _read_names(text, site_name)
    return tuple(names.people), tuple(names.orgs)


def _read_names(text: str | None, site_name: str | None) -> Names:
    names = Names()
    text = unescape(text)
    if not text or len(text) > 400:
        return names
    if outlet := _OUTLET.match(text.strip()):
        names.orgs.append(clean_text(outlet.group(1)))
        return names
    text = _PHOTOGRAPHER.sub(" ", _EMAIL.sub(" ", text)).strip()
    if _NOT_AUTHORS.match(text):
        return names  # "Photo: ...", "Reviewed by ...": not an author line
    text = text[dated_head(text) :]
    text = _strip_prefix(text)
    if cut := _CUT.search(text):
        text = _drop_trailing(text[: cut.start()])
    parts = [clean_text(p).strip(" .,:;-–—'\"“”") for p in _SPLIT.split(text)]
    parts = [p for p in (_strip_prefix(p) for p in parts) if p]
    singles: list[str] = []
    for part in parts:
        if agency := _agency(part):
            names.orgs.append(agency)
            continue
        for agency_name in _AGENCIES_LONGEST_FIRST:
            if part.endswith(" " + agency_name) and len(part) > len(agency_name) + 3:
                names.orgs.append(agency_name)
                part = part[: -len(agency_name)].strip()
                break
        part = _CJK_ROLE.sub("", _trim_part(part, site_name))
        lowered = {w for t in part.casefold().split() for w in (t, *t.split("-"))}
        if lowered & ROLE_WORDS or any(w.endswith(_ROLE_ENDINGS) for w in lowered):
            continue
        orgish = lowered & ORG_WORDS or any(w.endswith(_ORG_ENDINGS) for w in lowered)
        if orgish or _DOMAIN.search(part) or _titled(part):
            names.orgs.append(part)
            continue
        if len(part.split()) > 2:
            part = _LOCATION.sub("", part)
        if person := _person_name(part):
            (singles if " " not in person else names.people).append(person)
    if len(parts) == 1:
        names.people.extend(singles)  # "By Regan": a one-word name standing alone
    elif names.people:
        names.orgs.extend(singles)  # "Jane Doe, CNN": an affiliation
    return names


# What follows the names in a byline element without being part of it: social links, bios.
_BYLINE_JUNK = re.compile(
    r"(?:Follow|Facebook|Twitter|Instagram|LinkedIn|E-?mail|Email|Show more|View|Get author|"
    r"More (?:from|by|articles|stories)|About|Read more|Contact|RSS|Full Bio|Biography|Bio\b)"
    r"|@\w+|\S+@\S+|\bemail\b"
)


def trim_byline(raw: str, people: list[str]) -> str:
    """The byline text up to what follows its names: a repeated name (a hover card), social
    links, "About the author", a handle."""
    end = 0
    people = list(dict.fromkeys(people))
    for name in people:
        at = raw.find(name, end)
        if at < 0:
            return raw
        end = at + len(name)
    if not end:
        return raw
    rest = raw[end:]
    cuts = [m.start() for m in (_BYLINE_JUNK.search(rest),) if m]
    cuts += [i for i in (rest.find(name) for name in people) if i >= 0]
    return raw[: end + min(cuts)].rstrip(" |•·—–-,") if cuts else raw

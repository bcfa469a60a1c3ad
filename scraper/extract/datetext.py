"""Dates as strings become dates: machine-written values and the dates people write.

dates.py decides where on a page to look; this module only reads a string it is handed.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Any

# A value of either kind: a date alone when the source gives no time of day.
When = datetime | date

# fmt: off
# Words of relative dates ("3 hours ago", "vor 3 Stunden", "2 дні тому", "yesterday").
RELATIVE = re.compile(
    r"\b(?:ago|vor|тому|назад|hace|il y a|fa|atrás|geleden|sedan|siden|temu|yesterday|today|"
    r"gestern|heute|вчора|сьогодні|вчера|сегодня|ayer|hoy|hier|aujourd'hui|ieri|oggi|ontem|hoje)\b",
    re.IGNORECASE,
)
# Units finer than a day: the relative date then has a meaningful time of day.
FINE_UNITS = re.compile(
    r"\b(?:sec|second|min|minute|hour|hr|stunde|minute|sekunde|годин|хвилин|секунд|час|минут|"
    r"hora|minuto|heure|ora|minut|godzin|uur|timm)\w*",
    re.IGNORECASE,
)
# Units of a week or more: "2 weeks ago" is anywhere from 14 to 20 days back, so no day follows.
COARSE_UNITS = re.compile(
    r"\b(?:weeks?|months?|years?|woche[n]?|monate?n?|jahre?n?|semaines?|mois|ans?|années?|"
    r"semanas?|mes(?:es)?|años?|settimane?|mes[ei]|ann[oi]|tydzień|tygodni[ea]?|miesiąc\w*|"
    r"rok|roku|lat[a]?|недел\w*|тижн\w*|тиждень|місяц\w*|месяц\w*|рік|роки|років|год|года|"
    r"лет|weken|week|maand(?:en)?|jaar|jaren|veckor|vecka|månad(?:er)?|år|uger?|måneder?)\b",
    re.IGNORECASE,
)
_TIME_OF_DAY = re.compile(
    r"\b\d{1,2}:\d{2}\b|\b\d{1,2}\s*(?:am|pm|a\.m\.|p\.m\.)|\b\d{1,2}h\d{2}\b|\b\d{1,2}\.\d{2}\s*Uhr",
    re.IGNORECASE,
)
_ISO = re.compile(
    r"^(\d{4})-?(\d{2})-?(\d{2})(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,]\d+)?\s*"
    r"(Z|[+-]\d{2}(?::?\d{2})?|UTC|GMT)?)?$",
    re.IGNORECASE,
)
_SLASHED = re.compile(
    r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$"
)
# A year in a written date: four digits, or the two of "18.11.19" and "11/18/19".
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)|\d{1,2}[./-]\d{1,2}[./-]\d\d(?!\d)")
_PARENS = re.compile(r"\([^()]{0,40}\)")
# Words that may follow a date's last number and still belong to it.
_AFTER_TIME = re.compile(r"^(?:(?i:[ap]\.?m\.?|uhr|h|gmt|utc|z)|[A-Z]{1,4}T)[.,]?$")
_MAX_TAIL = 2
# The words that join an author's name to the date before it ("... 2019 von Max Muster").
_BY = frozenset({"von", "by", "par", "por", "di", "da", "door", "av", "від", "от", "przez"})
# What a meta bar sets between its date and its byline: "March 3, 2019 | by Jane Roe".
_SEPARATORS = frozenset({"|", "·", "•", "-", "–", "—", "/", "//"})
_EPOCH = re.compile(r"^\d{10}(?:\d{3})?$")
# Numeric dates people write: 12.03.2019, 12. 3. 2019, 03/12/2019, 12-03-19, 2019-03-12, 2019.03.12,
# with an optional time after them ("14:05", "14.05 Uhr", "2:05 pm", "14h05"). Dots mean day
# first in every language that writes them; slashes and dashes follow the page's locale.
_NUMERIC = re.compile(
    r"(?<![\w.,:/-])(?:(?P<y1>(?:19|20)\d\d)(?P<s1>[./-])(?P<m1>\d{1,2})(?P=s1)(?P<d1>\d{1,2})"
    r"|(?P<a>\d{1,2})(?P<s2>\.\s?|/|-)(?P<b>\d{1,2})(?P=s2)(?P<y2>(?:19|20)\d\d|\d\d))"
    r"(?![\d]|[./-]\d)"
    r"(?:[\s,|\u2013\u2014-]*(?:um|at|à|a las|alle|às|om|o|kl\.?|klo|в|о|godz\.?|saat)?\s*"
    r"(?P<h>\d{1,2})(?::(?P<mi>\d{2})(?::(?P<s>\d{2}))?|h(?P<mi2>\d{2})|\.(?P<mi3>\d{2})(?=\s*(?:Uhr|h\b)))"
    r"(?:\s*(?P<ap>[ap]\.?\s?m\.?)(?![a-z]))?)?",
    re.IGNORECASE,
)
# An English date in words and nothing else ("Monday, November 18th, 2019", "18 NOV 2019"),
# maybe with a time of day and a US zone ("11:34 PM EST Nov 19, 2019", "Nov 20, 2019 1:38
# pm"): read here as dateparser reads it (the weekday ignored; checked against it on tens of
# thousands of spellings), as most dates English pages write take these forms and dateparser
# spends a millisecond or two on each.
_EN_MONTHS: dict[str, int] = {
    name: number
    for number, full in enumerate(
        ("january", "february", "march", "april", "may", "june", "july", "august",
         "september", "october", "november", "december"),
        start=1,
    )
    for name in (full, full[:3], *(("sept",) if number == 9 else ()))
}
_EN_MONTH = "|".join(sorted(_EN_MONTHS, key=len, reverse=True))
_EN_WEEKDAY = "|".join(
    (*(d + "day" for d in ("mon", "tues", "wednes", "thurs", "fri", "satur", "sun")),
     "mon", "tue", "wed", "thu", "fri", "sat", "sun")
)
# dateparser's offsets for these zones, in hours.
_EN_ZONES: dict[str, int] = {
    "UTC": 0, "GMT": 0, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6,
    "PST": -8, "PDT": -7,
}


def _clock(n: int) -> str:
    """A time of day ("9:02", "11:34 PM EST"), its groups numbered n."""
    zones = "|".join(_EN_ZONES)
    return (
        rf"(?P<h{n}>\d{{1,2}}):(?P<mi{n}>\d\d)(?:\s?(?P<ap{n}>[ap]m))?"
        rf"(?:\s(?P<tz{n}>(?-i:{zones})))?"
    )


_EN_DATE = re.compile(
    rf"(?:(?:{_EN_WEEKDAY}),?\s+)?(?:{_clock(1)},?\s+)?"
    rf"(?:(?P<m1>{_EN_MONTH})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m2>{_EN_MONTH})\.?,?)"
    rf"\s+(?P<y>(?:19|20)\d\d)(?:,?\s+{_clock(2)})?[.,]?",
    re.IGNORECASE | re.ASCII,
)
MIN_YEAR = 1990
FUTURE_SLACK = timedelta(days=2)
MAX_TEXT_CHARS = 120
# fmt: on


def _tz(value: str | None) -> timezone | None:
    if not value:
        return None
    if value.upper() in ("Z", "UTC", "GMT"):
        return UTC
    sign = -1 if value[0] == "-" else 1
    digits = value[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    if hours > 14 or minutes > 59:
        return None
    offset = timedelta(hours=hours, minutes=minutes)
    return UTC if not offset else timezone(sign * offset)


def parse_structured(value: Any) -> When | None:
    """A machine-written date (ISO 8601, RFC 2822, 2022/02/01, epoch seconds) or None."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(int(value))
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > 64:
        return None
    try:
        if m := _ISO.match(text):
            y, mo, d, h, mi, s, zone = m.groups()
            if h is None:
                return date(int(y), int(mo), int(d))
            return datetime(int(y), int(mo), int(d), int(h), int(mi), int(s or 0), tzinfo=_tz(zone))
        if m := _SLASHED.match(text):
            y, mo, d, h, mi, s = m.groups()
            if h is None:
                return date(int(y), int(mo), int(d))
            return datetime(int(y), int(mo), int(d), int(h), int(mi), int(s or 0))
        if _EPOCH.match(text):
            seconds = int(text) / (1000 if len(text) == 13 else 1)
            return datetime.fromtimestamp(seconds, UTC)
        if re.search(r"[A-Za-z]{3}", text) and re.search(r"\d{1,2}:\d{2}", text):
            return parsedate_to_datetime(text)
    except (ValueError, TypeError, OverflowError, IndexError):
        return None
    return None


def parse_value(value: Any, now: datetime) -> When | None:
    """A plausible machine-written date; a numeric one as people write it ("12.03.2019") too,
    since some CMSs put the visible form in structured data. Never calls dateparser."""
    when = parse_structured(value)
    if when is None and isinstance(value, str) and len(value) <= 40:
        when = parse_numeric(value)
    return when if when is not None and plausible(when, now) else None


def plausible(when: When, now: datetime) -> bool:
    """Not before 1990 and not more than two days ahead of now."""
    if when.year < MIN_YEAR:
        return False
    limit = now + FUTURE_SLACK
    if isinstance(when, datetime):
        aware = when if when.tzinfo else when.replace(tzinfo=UTC)
        return aware <= (limit if limit.tzinfo else limit.replace(tzinfo=UTC))
    return when <= limit.date()


def iso(when: When) -> str:
    """ISO 8601 with seconds, the offset when known ("+00:00" for Z); a date alone as such."""
    if isinstance(when, datetime):
        return when.replace(microsecond=0).isoformat(timespec="seconds")
    return when.isoformat()


@lru_cache(maxsize=16)
def _parser(languages: tuple[str, ...], base: datetime, order: str) -> Any:
    """A dateparser parser for these languages, this "now" and this numeric order; building
    one costs more than parsing, so they are kept."""
    from dateparser.date import DateDataParser

    settings = {
        "RELATIVE_BASE": base,
        "PREFER_DATES_FROM": "past",
        "PREFER_DAY_OF_MONTH": "first",
        "DATE_ORDER": order,
        "PREFER_LOCALE_DATE_ORDER": False,
    }
    try:
        return DateDataParser(languages=list(languages), settings=settings)
    except ValueError:  # a language dateparser does not know
        return DateDataParser(languages=["en"], settings=settings)


def parse_numeric(text: str, month_first: bool = False) -> When | None:
    """The first all-numeric date in text ("07.11.2023 14:05", "11/07/2023"), without dateparser.

    Dotted dates are always day first; slashed and dashed ones are month first only when the
    locale says so (month_first) and neither number is over 12."""
    for m in _NUMERIC.finditer(text):
        if m.group("y1"):
            year, month, day = int(m.group("y1")), int(m.group("m1")), int(m.group("d1"))
        else:
            a, b, year = int(m.group("a")), int(m.group("b")), int(m.group("y2"))
            year += 2000 if year < 100 else 0
            dotted = m.group("s2").startswith(".")
            swap = not dotted and (b > 12 or (month_first and a <= 12))
            day, month = (b, a) if swap else (a, b)
        try:
            found = date(year, month, day)
        except ValueError:
            continue
        if m.group("h") is None:
            return found
        hour = int(m.group("h"))
        minute = int(m.group("mi") or m.group("mi2") or m.group("mi3"))
        ampm = (m.group("ap") or "").lower()[:1]
        if ampm and 1 <= hour <= 12:
            hour = hour % 12 + (12 if ampm == "p" else 0)
        if hour > 23 or minute > 59:
            return found
        return datetime(year, month, day, hour, minute, int(m.group("s") or 0))
    return None


def parse_text(
    text: str, languages: tuple[str, ...], now: datetime, month_first: bool = False
) -> When | None:
    """A date a person wrote ("February 1, 2022 11:46 pm", "07.11.2023", "vor 3 Stunden").

    Numeric dates are read by parse_numeric. For the rest, tries the few word windows that
    start just before the first number, so names and labels before the date do not hide it;
    dateparser only ever sees short strings."""
    text = text.strip()
    if not text or len(text) > MAX_TEXT_CHARS:
        return None
    if (numeric := parse_numeric(text, month_first)) is not None:
        return numeric if plausible(numeric, now) else None
    relative = RELATIVE.search(text)
    if relative and COARSE_UNITS.search(text):
        return None  # "vor 2 Wochen", "3 months ago": no day to report
    tokens = text.split() if relative else _date_tokens(text)
    digit_at = next((i for i, t in enumerate(tokens) if any(c.isdigit() for c in t)), None)
    if digit_at is None and not (relative and len(tokens) <= 4):
        return None
    if not relative and not (_YEAR.search(text) and _has_day(text)):
        return None  # "February 2022" has no day, "13 Aug" no year: too vague to report
    base = now.astimezone(UTC).replace(tzinfo=None) if now.tzinfo else now
    parser = _parser(languages, base, "MDY" if month_first else "DMY")
    starts = [0] if digit_at is None else range(max(0, digit_at - 3), digit_at + 1)
    for start in starts:
        window = " ".join(tokens[start : start + 9])
        found = _english_date(window) if languages == ("en",) else None
        try:
            found = found or parser.get_date_data(window).date_obj
        except (ValueError, TypeError, OverflowError, AttributeError):  # dateparser edge cases
            continue
        if found is None:
            continue
        if relative:
            if FINE_UNITS.search(window):
                return found.replace(tzinfo=UTC, microsecond=0) if found.tzinfo is None else found
            return found.date()
        when: When = found if _TIME_OF_DAY.search(window) else found.date()
        return when if plausible(when, now) else None
    return None


def _english_date(window: str) -> datetime | None:
    """The date (and time) of an English date in words and nothing else, as dateparser gives
    it; None for what dateparser is left to decide ("February 30", "13:05 PM")."""
    m = _EN_DATE.fullmatch(window)
    if m is None:
        return None
    n = "1" if m.group("h1") else "2"
    hour, minute = int(m.group("h" + n) or 0), int(m.group("mi" + n) or 0)
    if noon := m.group("ap" + n):
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if noon[0] in "pP" else 0)
    zone = m.group("tz" + n)
    try:
        return datetime(
            int(m.group("y")),
            _EN_MONTHS[(m.group("m1") or m.group("m2")).lower()],
            int(m.group("d1") or m.group("d2")),
            hour,
            minute,
            tzinfo=timezone(timedelta(hours=_EN_ZONES[zone])) if zone else None,
        )
    except ValueError:  # no such day or time: dateparser decides
        return None


def _date_tokens(text: str) -> list[str]:
    """The words of an absolute date line without what trails the date: a second rendering in
    parentheses ("(07:05 pm ET)") and a word or two after the last number but am/pm or a time
    zone ("11:42, UK"), which make dateparser give up. A longer tail is a sentence the number
    sits in ("October 13th, 2019 in an article in a local newspaper"): kept, so it fails."""
    tokens = _PARENS.sub(" ", text).split()
    last = max((i for i, t in enumerate(tokens) if any(c.isdigit() for c in t)), default=-1)
    end = last + 1
    while end < len(tokens) and end <= last + 2 and _AFTER_TIME.match(tokens[end]):
        end += 1
    after = end
    while after < len(tokens) and after <= end + 1 and tokens[after] in _SEPARATORS:
        after += 1
    if after < len(tokens) and tokens[after].lower() in _BY:
        return tokens[:end]  # "12. März 2019 | von Max Muster": the byline after the date
    return tokens[:end] if last >= 0 and len(tokens) - end <= _MAX_TAIL else tokens


def _has_day(text: str) -> bool:
    """True when a number that can be a day of the month stands apart from a year."""
    return any(1 <= int(n) <= 31 for n in re.findall(r"(?<!\d)\d{1,2}(?!\d)", text))

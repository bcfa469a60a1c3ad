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
_EPOCH = re.compile(r"^\d{10}(?:\d{3})?$")
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
def _parser(languages: tuple[str, ...], base: datetime) -> Any:
    """A dateparser parser for these languages and this "now"; building one costs more than
    parsing, so they are kept."""
    from dateparser.date import DateDataParser

    settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past", "PREFER_DAY_OF_MONTH": "first"}
    try:
        return DateDataParser(languages=list(languages), settings=settings)
    except ValueError:  # a language dateparser does not know
        return DateDataParser(languages=["en"], settings=settings)


def parse_text(text: str, languages: tuple[str, ...], now: datetime) -> When | None:
    """A date a person wrote ("February 1, 2022 11:46 pm", "vor 3 Stunden"), or None.

    Tries the few word windows that start just before the first number, so names and labels
    before the date do not hide it; dateparser only ever sees short strings."""
    text = text.strip()
    if not text or len(text) > MAX_TEXT_CHARS:
        return None
    tokens = text.split()
    relative = RELATIVE.search(text)
    digit_at = next((i for i, t in enumerate(tokens) if any(c.isdigit() for c in t)), None)
    if digit_at is None and not (relative and len(tokens) <= 4):
        return None
    if not relative and not (_YEAR.search(text) and _has_day(text)):
        return None  # "February 2022" has no day, "13 Aug" no year: too vague to report
    base = now.astimezone(UTC).replace(tzinfo=None) if now.tzinfo else now
    parser = _parser(languages, base)
    starts = [0] if digit_at is None else range(max(0, digit_at - 3), digit_at + 1)
    for start in starts:
        window = " ".join(tokens[start : start + 9])
        try:
            found: datetime | None = parser.get_date_data(window).date_obj
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


def _has_day(text: str) -> bool:
    """True when a number that can be a day of the month stands apart from a year."""
    return any(1 <= int(n) <= 31 for n in re.findall(r"(?<!\d)\d{1,2}(?!\d)", text))

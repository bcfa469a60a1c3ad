"""Whether a heading that repeats part of a page's title stands for the title's headline.

A title joins the headline with the site's name, a section or a tagline ("Tageblatt.lu |
Vierschanzentournee | Skisprung-Zoff ums Material"), and the page shows each of them in a
heading of its own: the logo's, the section's, the story's. The story's heading repeats the
title's main part; one repeating a part less than half as long as another part that is not the
site's name or a date is the section's or the logo's."""

from __future__ import annotations

from scraper.extract.titles import is_date, is_site, segments

# A heading stands for the headline unless another part of the title is this many times longer.
_LONGER = 2


def _weight(segment: str, keys: set[str]) -> int:
    """A segment's length without the site's name and dates set off in it by commas or colons
    ("Kenia: Nairobi von unten, Tageszeitung junge Welt, 18.05.2026")."""
    pieces = segments(segment, weak=True)
    return sum(len(p) for p in pieces if not (is_date(p) or is_site(p, keys)))


def outweighs(part: str, title: str, keys: set[str]) -> bool:
    """True unless the rest of title (part taken out, both normalised alike) has a segment
    more than twice as long as part, counted without site names and dates; True when part is
    not in title at all, as nothing then speaks against it."""
    at = title.find(part)
    if at < 0 or not part:
        return True
    rest = f"{title[:at]} | {title[at + len(part) :]}"
    return all(_weight(seg, keys) <= _LONGER * len(part) for seg in segments(rest))


def coverage(text: str, hint_keys: list[str], keys: set[str], raw_title: str = "") -> float | None:
    """How much of a hint the heading repeats: 1 when it holds one (with a kicker), the share
    of it when a hint holds the heading (a title with a site suffix), 0 when neither; None when
    a hint holds it beside a longer part that is not the site's name: the heading is then the
    section's or the logo's ("Wintersport" in "Post | Wintersport | Ski jumpers row ..."), as
    the raw <title> may show when the cleaned hints no longer do."""
    if len(text) < 8:
        return 0.0
    lesser = bool(raw_title) and text in raw_title and not outweighs(text, raw_title, keys)
    best = 0.0
    for k in hint_keys:
        if len(k) >= 10 and k in text:
            return 1.0
        if len(k) >= 10 and text in k:
            if outweighs(text, k, keys):
                best = max(best, len(text) / len(k))
            else:
                lesser = True
    return None if lesser and not best else best

"""Who a byline credits, compared: names reduced to keys, the site's own name in its
spellings (its name, its domain, its host labels), so a site is not credited on its own pages
and one person credited twice counts once."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from scraper.extract.document import clean_text
from scraper.extract.fields import unescape
from scraper.extract.names import Names, is_agency

_TLD = re.compile(r"\.[a-z]{2,6}$", re.IGNORECASE)  # "ndr.de" names the site "ndr"


def dedupe(values: list[str], site_keys: set[str]) -> tuple[str, ...]:
    """The values once each, in order, without the site's own name."""
    seen: set[str] = set()
    out: list[str] = []
    for value in values:
        key = name_key(value)
        if key and key not in seen and key not in site_keys:
            seen.add(key)
            out.append(value)
    return tuple(out)


def site_keys(site_name: str | None) -> set[str]:
    """Spellings of the site's name: "stuttgarter-zeitung.de" also as "stuttgarterzeitung"."""
    if not site_name:
        return set()
    names = {site_name, _TLD.sub("", site_name.strip())}
    keys = {re.sub(r"[\W_]+", "", name.casefold()) for name in names}
    return {k for key in keys for k in (key, key.removeprefix("the")) if k}


def name_key(name: str) -> str:
    """A name reduced to its letters and digits, to compare spellings."""
    return re.sub(r"[\W_]+", "", name.casefold())


def url_keys(url: Any) -> set[str]:
    """The site's host labels ("reuters"), so a site is not credited on its own pages."""
    if not isinstance(url, str):
        return set()
    host = urlsplit(url).hostname or ""
    labels = [lab for lab in host.split(".") if lab not in ("www", "m")]
    return {name_key(lab) for lab in labels[:-1]} | {name_key(".".join(labels))}


def org_name(text: str) -> str | None:
    """An organisation's name from structured data, or None for a web address or a blank."""
    name = clean_text(unescape(text) or "")
    return name if 2 <= len(name) <= 80 and "://" not in name and "@" not in name else None


def agencies_beside(people: tuple[str, ...], names: Names) -> tuple[str, ...]:
    """The agencies a source credits beside its people ("Jane Doe and John Roe, Reuters"): the
    story is theirs too. Other organisations there are affiliations or the site's desk."""
    return dedupe([o for o in names.orgs if is_agency(o)], {name_key(p) for p in people})

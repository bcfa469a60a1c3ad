"""The site's name as the page itself shows it: the logo's alt text.

Pages without og:site_name or JSON-LD still name their site in the logo, an image link to the
home page. That name tells which part of the <title> is the site's when the host spells it
otherwise. (The footer's copyright line was tried too: it names the owning company more often
than the site, and cut no more titles right on the fundus and Zyte pages.)"""

from __future__ import annotations

from urllib.parse import urlsplit

from scraper.extract.document import Doc, clean_text

# fmt: off
# Links looked at for the logo, in page order, and names kept.
_MAX_LINKS = 40
_MAX_NAMES = 4
# Alt texts that say what the image is, not whose.
_GENERIC_ALT = frozenset({"logo", "home", "homepage", "startseite", "accueil", "image", "img"})
# fmt: on


def _home(href: str, host: str | None) -> bool:
    """True for a link to the site's home page: "/", "/index.html" or the host's root."""
    parts = urlsplit(href.strip())
    if parts.query or parts.fragment:
        return False
    if parts.netloc and host and parts.netloc.lower().removeprefix("www.") != host:
        return False
    return parts.path.lower() in ("", "/", "/index.html", "/index.php", "/index.htm")


def logo_names(doc: Doc) -> list[str]:
    """Alt texts of images inside links to the home page."""
    host = urlsplit(doc.url).hostname if doc.url else None
    host = host.lower().removeprefix("www.") if host else None
    names: list[str] = []
    for link in doc.tree.css("a[href]")[:_MAX_LINKS]:
        if not _home(link.attributes.get("href") or "", host):
            continue
        for img in link.css("img[alt]"):
            alt = clean_text(img.attributes.get("alt"))
            words = alt.casefold().replace("logo", "").strip(" -")
            if len(alt) >= 2 and words and alt.casefold() not in _GENERIC_ALT and alt not in names:
                names.append(alt)
        if len(names) >= _MAX_NAMES:
            break
    return names


def page_site_names(doc: Doc) -> tuple[str, ...]:
    """Names the page gives its site (the logo's), found once per page."""
    memo_key = "page-site-names"
    if memo_key not in doc.memo:
        doc.memo[memo_key] = tuple(logo_names(doc))
    names: tuple[str, ...] = doc.memo[memo_key]
    return names

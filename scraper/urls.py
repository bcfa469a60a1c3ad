"""URL normalisation: one spelling per page, so the frontier and the store see duplicates."""

from __future__ import annotations

import contextlib
import posixpath
import re
from functools import lru_cache
from urllib.parse import (
    SplitResult,
    parse_qsl,
    quote,
    unquote,
    urlencode,
    urljoin,
    urlsplit,
    urlunsplit,
)

# Query parameters that track the visitor, not the content. Exact names, then prefixes.
TRACKING_PARAMS: frozenset[str] = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "oly_anon_id",
        "oly_enc_id",
        "vero_id",
        "rb_clickid",
        "s_cid",
        "ocid",
        "cmpid",
        "ncid",
        "ito",
        "smid",
        "sr_share",
        "share",
        "ref_src",
        "ref_url",
        "__twitter_impression",
        "amp",
        "outputtype",  # AMP switches: the same article in another frame
    }
)
TRACKING_PREFIXES: tuple[str, ...] = ("utm_", "pk_", "piwik_", "mtm_", "hsa_", "at_")
# Session ids make an endless URL space out of one page (a classic crawler trap).
SESSION_PARAMS: frozenset[str] = frozenset(
    {"sid", "sessionid", "session_id", "phpsessid", "jsessionid", "aspsessionid", "cfid", "cftoken"}
)
_DEFAULT_PORTS = {"http": 80, "https": 443}
_JSESSIONID_PATH = re.compile(r";jsessionid=[^/?#]*", re.IGNORECASE)
# AMP copies of an article: /amp/ path segment, a trailing /amp, or .amp.html
_AMP_PATH = re.compile(r"(/amp)(?=/|$)|\.amp(?=\.html?$)", re.IGNORECASE)


def is_tracking_param(name: str) -> bool:
    """True for parameters that never change what a page shows."""
    low = name.lower()
    return low in TRACKING_PARAMS or low in SESSION_PARAMS or low.startswith(TRACKING_PREFIXES)


def normalize_url(url: str, *, drop_amp: bool = False) -> str:
    """The canonical spelling of a URL: lower-case scheme and host, no default port, no
    fragment, no tracking or session parameters, sorted query, no trailing slash on paths,
    dot segments resolved and percent-encoding made uniform.

    With drop_amp, an AMP URL maps to the article it mirrors (a best guess from the path;
    rel=canonical on the page is the authority when it is there)."""
    try:
        parts = urlsplit(url.strip())
        hostname = parts.hostname or ""
    except ValueError:  # "http://[" and other unparsable netlocs: keep the text as given
        return url.strip()
    scheme = parts.scheme.lower()
    host = hostname.rstrip(".")
    with contextlib.suppress(UnicodeError):
        host = host.encode("idna").decode("ascii") if host and not host.isascii() else host
    try:
        port = parts.port if parts.port != _DEFAULT_PORTS.get(scheme) else None
    except ValueError:  # a port that is not a number: keep the URL, drop the port
        port = None
    host = f"[{host}]" if ":" in host else host  # an IPv6 literal keeps its brackets
    netloc = host.lower() + (f":{port}" if port else "")
    path = _JSESSIONID_PATH.sub("", parts.path)
    if drop_amp:
        path = _AMP_PATH.sub("", path)
    path = posixpath.normpath(path) if path else "/"
    if path == ".":
        path = "/"
    path = quote(unquote(path), safe="/:@!$&'()*+,;=-._~%")
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    query = sorted(
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not is_tracking_param(k) and not (drop_amp and k.lower() == "amp")
    )
    return urlunsplit((scheme, netloc, path, urlencode(query, quote_via=quote), ""))


def port_of(parts: SplitResult) -> int | None:
    """The port a URL connects to: its explicit port, else its scheme's default."""
    try:
        return parts.port or _DEFAULT_PORTS.get(parts.scheme)
    except ValueError:  # a port that is not a number
        return None


def host_port(url: str) -> str:
    """host:port, the unit of politeness (one request at a time to each)."""
    parts = urlsplit(url)
    return f"{(parts.hostname or '').lower()}:{port_of(parts) or 0}"


def without_tracking(url: str) -> str:
    """The URL to request: as given, minus tracking and session parameters and the fragment
    (they never change the page, and requesting them feeds someone's analytics)."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in query if not is_tracking_param(k)]
    if len(kept) == len(query):
        return urlunsplit(parts._replace(fragment="")) if parts.fragment else url
    return urlunsplit(parts._replace(query=urlencode(kept), fragment=""))


def absolute_url(href: str | None, base: str | None) -> str | None:
    """href resolved against base; None for empty values and non-web schemes."""
    if not href:
        return None
    href = href.strip()
    if not href:
        return None
    try:
        full = urljoin(base, href) if base else href
        parts = urlsplit(full)
        _ = parts.hostname  # raises on a broken IPv6 literal
    except ValueError:
        return None
    return full if parts.scheme in ("http", "https") else None


def is_amp_url(url: str) -> bool:
    """True when the URL looks like an AMP copy of an article."""
    parts = urlsplit(url)
    query = parts.query.lower()
    return bool(_AMP_PATH.search(parts.path)) or "amp=1" in query or "outputtype=amp" in query


@lru_cache(maxsize=4096)
def registrable_domain(host: str) -> str:
    """example.co.uk for www.news.example.co.uk: the crawl's default scope.

    Uses tldextract's bundled Public Suffix List snapshot; never downloads it."""
    extractor = _tld_extractor()
    parts = extractor(host)
    if parts.domain and parts.suffix:
        return f"{parts.domain}.{parts.suffix}".lower()
    return host.lower()


@lru_cache(maxsize=1)
def _tld_extractor():  # type: ignore[no-untyped-def]
    import tldextract

    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)

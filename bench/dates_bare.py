"""The publication date on pages stripped of their structured data: how well we read the date a
page only shows as text.

    python bench/dates_bare.py --set A|B|zyte [--strip-datetime] [--per-page] [--data DIR]

Most pages carry the date in JSON-LD or meta tags, so full-page scores hide how we do on sites
that give none. Here every <script type="application/ld+json">, every <meta>, and microdata or
RDFa date properties (the itemprop/property attribute and its content) are removed before
extraction; --strip-datetime also removes <time datetime>, leaving only the visible text.
Scored "published same day" (the first YYYY-MM-DD of each): fundus halves A/B against their
gold; the Zyte pages have no date gold, so the reference is the date we read on the full page,
and only pages where that gives one count. --per-page lists misses (A and Zyte only: B is held
out and prints aggregates alone).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.fundus import half_of  # noqa: E402

FUNDUS = ROOT.parent / "shared" / "bench" / "fundus"
ZYTE = ROOT.parent / "shared" / "bench" / "zyte"
_DAY = re.compile(r"\d{4}-\d\d-\d\d")
_DATE_PROPS = ("date", "published", "modified", "created")


def strip(html: str, strip_datetime: bool) -> str:
    """The page without JSON-LD, meta tags and date properties (and <time datetime>)."""
    tree = LexborHTMLParser(html)
    for node in tree.css('script[type="application/ld+json"], meta'):
        node.decompose()
    for node in tree.css("[itemprop], [property]"):
        attrs = node.attributes
        names = f"{attrs.get('itemprop') or ''} {attrs.get('property') or ''}".lower()
        if any(p in names for p in _DATE_PROPS):
            for name in ("itemprop", "property", "content"):
                if name in attrs:
                    del node.attrs[name]
    if strip_datetime:
        for node in tree.css("time[datetime]"):
            del node.attrs["datetime"]
    return tree.html or ""


def day(value: str | None) -> str | None:
    """The calendar day written in an ISO value, as score.py reads it."""
    m = _DAY.search(value or "")
    return m.group(0) if m else None


def pages(which: str) -> list[tuple[str, str, str | None, str | None]]:
    """(key, html, url, gold day or None for "use the full page") of one set."""
    if which == "zyte":
        truth = json.loads((ZYTE / "ground-truth.json").read_text("utf-8"))
        return [
            (k, _read(ZYTE / "html" / f"{k}.html.gz"), truth[k].get("url"), None)
            for k in sorted(truth)
        ]
    docs = json.loads((FUNDUS / "gold.json").read_text("utf-8"))["documents"]
    return [
        (d["file"], _read(FUNDUS / "html" / d["file"]), d["url"], day(d["published"]))
        for d in docs
        if half_of(d["publisher"]) == which
    ]


def _read(path: Path) -> str:
    return gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")


def main(argv: Sequence[str] | None = None) -> int:
    """Print counts and same-day rates on the full and the stripped pages."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", choices=("A", "B", "zyte"), required=True)
    parser.add_argument("--strip-datetime", action="store_true")
    parser.add_argument("--per-page", action="store_true", help="list misses (A, zyte)")
    args = parser.parse_args(argv)
    import scraper

    counted = full_hits = bare_hits = bare_missing = 0
    misses: list[str] = []
    for key, html, url, gold in pages(args.set):
        full = day(scraper.extract(html, url=url).published)
        ref = gold if gold is not None else full
        if ref is None:
            continue
        counted += 1
        full_hits += full == ref
        bare = day(scraper.extract(strip(html, args.strip_datetime), url=url).published)
        bare_hits += bare == ref
        bare_missing += bare is None
        if bare != ref:
            misses.append(f"  {key[:60]:<60} ref {ref}  bare {bare}  {url}")
    what = "bare, no datetime" if args.strip_datetime else "bare"
    print(f"set {args.set}: {counted} pages with a reference date")
    if args.set != "zyte":
        print(f"  {'full page same day':<28} {full_hits:4d}  {full_hits / max(counted, 1):.3f}")
    print(f"  {what + ' same day':<28} {bare_hits:4d}  {bare_hits / max(counted, 1):.3f}")
    print(f"  {what + ' no date':<28} {bare_missing:4d}")
    print(f"  {what + ' wrong day':<28} {counted - bare_hits - bare_missing:4d}")
    if args.per_page and args.set != "B":
        print("\n".join(misses))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

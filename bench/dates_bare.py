"""The publication date on pages stripped of their structured data: how well we read the date a
page only shows as text.

    python bench/dates_bare.py --set A|B|zyte [--strip-datetime] [--per-page] [--tool T]

Most pages carry the date in JSON-LD or meta tags, so full-page scores hide how we do on sites
that give none. Here every <script type="application/ld+json">, every <meta>, and microdata or
RDFa date properties (the itemprop/property attribute and its content) are removed before
extraction; --strip-datetime also removes <time datetime>, leaving only the visible text.
Scored "published same day" (the first YYYY-MM-DD of each): fundus halves A/B against their
gold; the Zyte pages have no date gold, so the reference is the date we read on the full page,
and only pages where that gives one count (a reference that favours us: trafilatura's full-page
date agrees with ours on most but not all of those days). Fundus pages are read with "now" at
their crawl day, so a relative date ("vor 3 Stunden") reads as it did then; trafilatura takes no
"now". --per-page lists our misses (A and Zyte only: B is held out and prints aggregates alone).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
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


Page = tuple[str, str, str | None, str | None, datetime | None]
# A tool's reading of one page: (html, url, now) -> the published day or None.
Reader = Callable[[str, str | None, datetime | None], str | None]


def pages(which: str) -> list[Page]:
    """(key, html, url, gold day or None for "use the full page", crawl time) of one set."""
    if which == "zyte":
        truth = json.loads((ZYTE / "ground-truth.json").read_text("utf-8"))
        return [
            (k, _read(ZYTE / "html" / f"{k}.html.gz"), truth[k].get("url"), None, None)
            for k in sorted(truth)
        ]
    docs = json.loads((FUNDUS / "gold.json").read_text("utf-8"))["documents"]
    return [
        (d["file"], _read(FUNDUS / "html" / d["file"]), d["url"], day(d["published"]), _noon(d))
        for d in docs
        if half_of(d["publisher"]) == which
    ]


def _noon(doc: dict[str, str]) -> datetime:
    return datetime.fromisoformat(doc["crawl_date"][:10]).replace(hour=12, tzinfo=UTC)


def reader(tool: str) -> Reader:
    """One tool's published day of a page."""
    if tool == "ours":
        import scraper

        return lambda html, url, now: day(scraper.extract(html, url=url, now=now).published)
    from trafilatura import bare_extraction

    def trafilatura_day(html: str, url: str | None, now: datetime | None) -> str | None:
        doc = bare_extraction(html, url=url, with_metadata=True)
        return None if doc is None or isinstance(doc, dict) else day(doc.date)

    return trafilatura_day


def _read(path: Path) -> str:
    return gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")


def main(argv: Sequence[str] | None = None) -> int:
    """Print counts and same-day rates on the full and the stripped pages, a column per tool."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", choices=("A", "B", "zyte"), required=True)
    parser.add_argument("--strip-datetime", action="store_true")
    parser.add_argument("--per-page", action="store_true", help="list our misses (A, zyte)")
    parser.add_argument("--tool", choices=("ours", "trafilatura", "both"), default="both")
    args = parser.parse_args(argv)
    tools = ["ours", "trafilatura"] if args.tool == "both" else [args.tool]
    readers = {tool: reader(tool) for tool in tools}
    ours = readers.get("ours") or reader("ours")
    counted = 0
    full_hits = dict.fromkeys(tools, 0)
    bare_hits = dict.fromkeys(tools, 0)
    missing = dict.fromkeys(tools, 0)
    misses: list[str] = []
    for key, html, url, gold, now in pages(args.set):
        ref = gold if gold is not None else ours(html, url, now)
        if ref is None:
            continue
        counted += 1
        bare_html = strip(html, args.strip_datetime)
        for tool, read in readers.items():
            if gold is not None:  # on Zyte the full page is the reference: no row of its own
                full_hits[tool] += read(html, url, now) == ref
            bare = read(bare_html, url, now)
            bare_hits[tool] += bare == ref
            missing[tool] += bare is None
            if tool == "ours" and bare != ref:
                misses.append(f"  {key[:60]:<60} ref {ref}  bare {bare}  {url}")
    what = "bare, no datetime" if args.strip_datetime else "bare"
    rows = [(f"{what} same day", bare_hits), (f"{what} no date", missing)]
    if args.set != "zyte":
        rows.insert(0, ("full page same day", full_hits))
    print(f"set {args.set}: {counted} pages with a reference date")
    print(f"  {'':<28}" + "".join(f"{tool:>18}" for tool in tools))
    for label, counts in rows:
        cells = "".join(f"{counts[t]:>8d} {counts[t] / max(counted, 1):>9.3f}" for t in tools)
        print(f"  {label:<28}{cells}")
    wrong = {t: counted - bare_hits[t] - missing[t] for t in tools}
    print(f"  {what + ' wrong day':<28}" + "".join(f"{wrong[t]:>8d} {'':>9}" for t in tools))
    if args.per_page and args.set != "B":
        print("\n".join(misses))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

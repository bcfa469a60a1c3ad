"""Our headline on the Zyte pages beside the page's own h1 and og:title: a regression check for
the title, as the Zyte set has no title gold.

    python bench/zyte_titles.py                        # pages where ours is neither h1 nor og:title
    python bench/zyte_titles.py --save /tmp/t.jsonl    # keep this run's titles
    python bench/zyte_titles.py --against /tmp/t.jsonl # pages whose title changed since then
    python bench/zyte_titles.py --bare                 # pages stripped of JSON-LD, og/twitter
                                                       # meta and itemprop=headline first
    python bench/zyte_titles.py --no-h1                # --bare, and the h1s made divs

A title that is neither the h1 nor og:title is not wrong (a JSON-LD headline written for search,
a site without an h1), so the listing is read, not scored; the count is the figure to watch.
`--bare` checks the path older pages take, with only the markup and the <title> to go on;
`--no-h1` also turns the h1s into divs (compared with the original page's h1 and og:title).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "bench" / "zyte"

_JSONLD = re.compile(r"<script[^>]*ld\+json[^>]*>.*?</script>", re.S | re.I)
_SOCIAL_META = re.compile(r"<meta[^>]+(?:og:|twitter:)[^>]*>", re.I)
_ITEMPROP_HEADLINE = re.compile(r"""itemprop=["']headline["']""", re.I)
_NON_WORD = re.compile(r"\W+")
_H1_TAG = re.compile(r"<(/?)h1\b", re.I)


def strip_structured(html: str, no_h1: bool = False) -> str:
    """The page without its JSON-LD, og:/twitter: meta tags and itemprop=headline; with no_h1,
    its h1s made divs too (a stress test: the headline must come from <title> or the page)."""
    bare = _ITEMPROP_HEADLINE.sub("", _SOCIAL_META.sub("", _JSONLD.sub("", html)))
    return _H1_TAG.sub(lambda m: f"<{m.group(1)}div", bare) if no_h1 else bare


def same(a: str | None, b: str | None) -> bool:
    """Equal as a reader compares titles: case, spacing and punctuation aside."""
    return bool(a) and _NON_WORD.sub("", (a or "").casefold()) == _NON_WORD.sub(
        "", (b or "").casefold()
    )


def page_titles(
    html: str, url: str | None, bare: bool = False, no_h1: bool = False
) -> dict[str, Any]:
    """Our headline, the page's first h1s, its og:title and <title>."""
    from selectolax.lexbor import LexborHTMLParser

    import scraper

    tree = LexborHTMLParser(html)
    og = tree.css_first('meta[property="og:title"]')
    title = tree.css_first("title")
    page = strip_structured(html, no_h1) if bare or no_h1 else html
    ours = scraper.extract(page, url=url).headline
    return {
        "url": url,
        "ours": ours,
        "h1": [h.text(strip=True)[:200] for h in tree.css("h1")[:3]],
        "og": og.attributes.get("content") if og is not None else None,
        "title": title.text(strip=True) if title is not None else None,
    }


def run(data: Path, bare: bool, no_h1: bool = False) -> dict[str, dict[str, Any]]:
    truth = json.loads((data / "ground-truth.json").read_text("utf-8"))
    out = {}
    for key in sorted(truth):
        raw = gzip.decompress((data / "html" / f"{key}.html.gz").read_bytes())
        out[key] = page_titles(raw.decode("utf-8", "replace"), truth[key].get("url"), bare, no_h1)
    return out


def _show(key: str, rec: dict[str, Any], was: str | None = None) -> None:
    print(key[:10], rec["url"])
    if was is not None:
        print("   was  :", was)
    for field in ("ours", "h1", "og", "title"):
        print(f"   {field:5}:", rec[field])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--save", type=Path, help="write this run's titles (JSONL)")
    parser.add_argument("--against", type=Path, help="list pages whose title changed since")
    parser.add_argument("--bare", action="store_true", help="strip structured data first")
    parser.add_argument("--no-h1", action="store_true", help="--bare, and h1s made divs")
    args = parser.parse_args(argv)
    if not (args.data / "ground-truth.json").exists():
        print(f"Zyte data not found in {args.data}: skipped")
        return 0
    titles = run(args.data, args.bare, args.no_h1)
    if args.save:
        with args.save.open("w", encoding="utf-8") as f:
            for key, rec in titles.items():
                f.write(json.dumps({"key": key, **rec}, ensure_ascii=False) + "\n")
    if args.against:
        old = {}
        for line in args.against.read_text("utf-8").splitlines():
            rec = json.loads(line)
            old[rec["key"]] = rec["ours"]
        changed = [k for k, rec in titles.items() if old.get(k) != rec["ours"]]
        for key in changed:
            _show(key, titles[key], old.get(key))
        print(f"{len(changed)} of {len(titles)} titles changed")
        return 0
    odd = [k for k, r in titles.items() if not any(same(r["ours"], x) for x in (r["og"], *r["h1"]))]
    for key in odd:
        _show(key, titles[key])
    print(f"{len(titles) - len(odd)} of {len(titles)} titles are the page's h1 or og:title")
    return 0


if __name__ == "__main__":
    sys.exit(main())

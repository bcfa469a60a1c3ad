"""Body robustness on layouts the bench pages lack: each page rewritten, scored on the same gold.

    python bench/body_variants.py [--sets A,B,zyte] [--variants divs,br,...] [--tool ours]
                                  [--worst N --variant V]

The bench pages have been mined for several rounds, so a rule can fit their markup. Here each
page of fundus half A, half B (aggregates only: B stays held out) and Zyte is rewritten into a
layout other sites use, and the body is scored against the page's own gold:

    same   parsed and written back by lxml, unchanged: the control for the rewriting itself
    divs   every <p> becomes a <div>
    br     each run of sibling <p>s becomes one <div>, paragraphs separated by <br><br>
    anon   <article>/<main> become <div>; class words and ids become opaque tokens (the same
           word, the same token); itemprop, itemtype and role are dropped
    split  each run of four or more sibling <p>s is cut in two containers (opaque classes)
           with a "read also" box of links between them, as ads and promos split stories
    all    anon, then br: no names, no <p>

Figures: fundus body token F1 and recall (score.py's tokens), Zyte shingle F1 and recall (the
benchmark's metric), and pages with an empty body. JSON-LD is left in place, as on real pages.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

import lxml.html  # type: ignore[import-untyped]
from lxml.html import HtmlElement

from bench.fundus import DEFAULT_DATA as FUNDUS_DATA
from bench.fundus import load_gold, load_scorer
from bench.zyte import DEFAULT_DATA as ZYTE_DATA
from bench.zyte import load_truth, score_page, summarize

SETS = ("A", "B", "zyte")
VARIANTS = ("orig", "same", "divs", "br", "anon", "split", "all")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>")
_DROPPED_ATTRS = ("itemprop", "itemtype", "itemscope", "role")
# A page's (key, html, url, gold body) and an extractor: (html, url) -> body text.
Page = tuple[str, str, str | None, str]
Extract = Callable[[bytes, str | None], str]


# --- rewrites ----------------------------------------------------------------------------------


def _token(value: str) -> str:
    return "x" + hashlib.sha1(value.encode()).hexdigest()[:7]


def _append_text(parent: HtmlElement, text: str | None) -> None:
    if not text:
        return
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _p_runs(root: HtmlElement, least: int) -> list[list[HtmlElement]]:
    """Runs of at least `least` sibling <p>s with nothing but whitespace between them."""
    runs: list[list[HtmlElement]] = []
    for parent in root.iter():
        run: list[HtmlElement] = []
        for child in [*parent, None]:
            if child is not None and child.tag == "p":
                run.append(child)
                if not (child.tail and child.tail.strip()):
                    continue  # text after a paragraph ends its run
            if len(run) >= least:
                runs.append(run)
            run = []
    return runs


def to_divs(root: HtmlElement) -> None:
    for p in root.iter("p"):
        p.tag = "div"


def to_br(root: HtmlElement) -> None:
    for run in _p_runs(root, 2):
        box = lxml.html.Element("div")
        for i, p in enumerate(run):
            if i:
                box.append(lxml.html.Element("br"))
                box.append(lxml.html.Element("br"))
            _append_text(box, p.text)
            for child in list(p):
                box.append(child)  # its tail moves with it
        box.tail = run[-1].tail
        parent = run[0].getparent()
        parent.insert(parent.index(run[0]), box)
        for p in run:
            parent.remove(p)


def anonymize(root: HtmlElement) -> None:
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag in ("article", "main"):
            el.tag = "div"
        if (value := el.get("class")) is not None:  # word by word: shared words stay shared
            el.set("class", " ".join(_token(word) for word in value.split()))
        if (value := el.get("id")) is not None:
            el.set("id", _token(value))
        for name in _DROPPED_ATTRS:
            el.attrib.pop(name, None)


def split_runs(root: HtmlElement) -> None:
    for n, run in enumerate(_p_runs(root, 4)):
        parent = run[0].getparent()
        at = parent.index(run[0])
        half = len(run) // 2
        first, second = lxml.html.Element("div"), lxml.html.Element("div")
        first.set("class", _token(f"part-one-{n}"))
        second.set("class", _token(f"part-two-{n}"))
        promo = lxml.html.fragment_fromstring(
            f'<div class="{_token("promo")}"><ul>'
            '<li><a href="/a/other-story-1"><img src="/i/1.jpg">Another story of the day</a></li>'
            '<li><a href="/a/other-story-2"><img src="/i/2.jpg">And one more headline</a></li>'
            "</ul></div>"
        )
        tail = run[-1].tail
        for p in run[:half]:
            first.append(p)
        for p in run[half:]:
            second.append(p)
        second.tail = tail
        for i, el in enumerate((first, promo, second)):
            parent.insert(at + i, el)


REWRITES: dict[str, list[Callable[[HtmlElement], None]]] = {
    "same": [],
    "divs": [to_divs],
    "br": [to_br],
    "anon": [anonymize],
    "split": [split_runs],
    "all": [anonymize, to_br],
}


def rewrite(html: str, variant: str) -> bytes:
    """The page in the variant's layout (the original bytes for "orig")."""
    if variant == "orig":
        return html.encode("utf-8")
    root = lxml.html.document_fromstring(_XML_DECL.sub("", html))
    for step in REWRITES[variant]:
        step(root)
    return bytes(lxml.html.tostring(root, encoding="utf-8", doctype="<!DOCTYPE html>"))


# --- pages and scores --------------------------------------------------------------------------


def fundus_pages(half: str) -> list[Page]:
    docs = load_gold(FUNDUS_DATA, half)
    return [
        (
            d["file"],
            gzip.decompress((FUNDUS_DATA / "html" / d["file"]).read_bytes()).decode("utf-8"),
            d["url"],
            "\n\n".join(d.get("paragraphs") or []),
        )
        for d in docs
    ]


def zyte_pages() -> list[Page]:
    truth = load_truth(ZYTE_DATA)
    return [
        (
            key,
            gzip.decompress((ZYTE_DATA / "html" / f"{key}.html.gz").read_bytes()).decode("utf-8"),
            truth[key].get("url"),
            truth[key].get("articleBody") or "",
        )
        for key in sorted(truth)
    ]


def load_extract(tool: str) -> Extract:
    if tool == "ours":
        import scraper

        return lambda html, url: scraper.extract(html, url=url).body or ""
    import trafilatura

    return lambda html, url: (
        trafilatura.extract(html, url=url, output_format="txt", include_comments=False) or ""
    )


def score_set(
    name: str, pages: list[Page], variant: str, extract: Extract
) -> tuple[dict[str, float], list[tuple[float, str]]]:
    """The set's figures under one variant, and (page score, key) for each page."""
    per_page: list[tuple[float, str]] = []
    f1s: list[float] = []
    recalls: list[float] = []
    zyte_scores = []
    empty = 0
    scorer = load_scorer(FUNDUS_DATA)
    for key, html, url, gold in pages:
        try:
            body = extract(rewrite(html, variant), url)
        except Exception as exc:  # a rewrite or extraction crash costs that page
            print(f"  {name} {variant} {key}: {type(exc).__name__}: {exc}", file=sys.stderr)
            body = ""
        empty += not body.strip()
        if name == "zyte":
            page = score_page(gold, body)
            zyte_scores.append(page)
            per_page.append((page.f1, key))
        else:
            _, recall, f1 = scorer.prf(Counter(scorer.tokens(body)), Counter(scorer.tokens(gold)))
            f1s.append(f1)
            recalls.append(recall)
            per_page.append((f1, key))
    if name == "zyte":
        summary = summarize(zyte_scores, [False] * len(zyte_scores))
        return {"f1": summary["f1"], "recall": summary["recall"], "empty": empty}, per_page
    n = max(len(pages), 1)
    return {"f1": sum(f1s) / n, "recall": sum(recalls) / n, "empty": empty}, per_page


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default=",".join(SETS), help="of A, B, zyte")
    parser.add_argument("--variants", default=",".join(VARIANTS), help=f"of {', '.join(VARIANTS)}")
    parser.add_argument("--tool", choices=("ours", "trafilatura"), default="ours")
    parser.add_argument("--worst", type=int, metavar="N", help="N lowest pages (A and zyte only)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="write the figures")
    args = parser.parse_args(argv)
    sets = [s for s in args.sets.split(",") if s]
    variants = [v for v in args.variants.split(",") if v]
    if bad := [s for s in sets if s not in SETS] + [v for v in variants if v not in VARIANTS]:
        parser.error(f"unknown: {', '.join(bad)}")
    extract = load_extract(args.tool)
    table: dict[str, dict[str, dict[str, float]]] = {}
    print(f"{'set':6} {'variant':8} {'F1':>6} {'recall':>7} {'empty':>6}   ({args.tool})")
    for name in sets:
        pages = zyte_pages() if name == "zyte" else fundus_pages(name)
        for variant in variants:
            figures, per_page = score_set(name, pages, variant, extract)
            table.setdefault(name, {})[variant] = figures
            print(
                f"{name:6} {variant:8} {figures['f1']:6.3f} {figures['recall']:7.3f} "
                f"{int(figures['empty']):6d}",
                flush=True,
            )
            if args.worst and name != "B":  # B is held out: its pages are never listed
                for score, key in sorted(per_page)[: args.worst]:
                    print(f"         {score:.3f} {key}")
    if args.json:
        args.json.write_text(json.dumps(table, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Zyte article-extraction benchmark: our body extractor beside trafilatura, quality and speed.

    python bench/zyte.py [--data DIR] [--only ours|trafilatura] [--repeat N]
                         [--worst N] [--page KEY] [--json PATH]

Each tool runs in its own fresh subprocess (`python -m bench.zyte --worker TOOL`), so its peak
RSS is its own; the worker also notes the RSS right after importing the tool, so import cost shows.
Pages are decompressed and read before the clock starts; only the extraction calls are timed.
The metric is the benchmark's own, as the data folder's README.md describes it.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import resource
import subprocess
import sys
import tempfile
import textwrap
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "bench" / "zyte"
TOOLS = ("ours", "trafilatura")
SHINGLE_SIZE = 4

_TOKEN = re.compile(r"\w+")

Shingle = tuple[str, ...]
Extractor = Callable[[bytes | str, str | None], str | None]


# --- metric ------------------------------------------------------------------------------------


class PageScore(NamedTuple):
    """TP, FP and FN of one page, normalised to sum to 1 so every page weighs the same."""

    tp: float
    fp: float
    fn: float

    @property
    def precision(self) -> float:
        """The benchmark's page precision, including its rules for empty texts."""
        if self.fp == self.fn == 0:
            return 1.0
        if self.tp == self.fp == 0:
            return 0.0
        return self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float:
        """The benchmark's page recall, including its rules for empty texts."""
        if self.fp == self.fn == 0:
            return 1.0
        if self.tp == self.fn == 0:
            return 0.0
        return self.tp / (self.tp + self.fn)

    @property
    def f1(self) -> float:
        """Page F1, for ranking pages; the headline F1 comes from the means instead."""
        return f1_score(self.precision, self.recall)


def tokenize(text: str | None) -> list[str]:
    """The benchmark's tokens: runs of word characters, case kept."""
    return _TOKEN.findall(text or "")


def shingle_list(tokens: Sequence[str], size: int = SHINGLE_SIZE) -> list[Shingle]:
    """Every run of `size` consecutive tokens; a shorter text is one shingle, an empty one none."""
    if not tokens:
        return []
    return [tuple(tokens[i : i + size]) for i in range(max(1, len(tokens) - size + 1))]


def shingles(text: str | None, size: int = SHINGLE_SIZE) -> Counter[Shingle]:
    """The shingles of a text as a multiset."""
    return Counter(shingle_list(tokenize(text), size))


def score_page(true: str | None, pred: str | None) -> PageScore:
    """Compare one prediction with its truth over the union of their shingles."""
    true_counts, pred_counts = shingles(true), shingles(pred)
    tp = fp = fn = 0
    for key in true_counts.keys() | pred_counts.keys():
        t, p = true_counts[key], pred_counts[key]
        tp += min(t, p)
        fp += max(0, p - t)
        fn += max(0, t - p)
    total = tp + fp + fn
    if total == 0:
        return PageScore(0.0, 0.0, 0.0)
    return PageScore(tp / total, fp / total, fn / total)


def is_exact(true: str | None, pred: str | None) -> bool:
    """Whether the two texts have the same token list (the benchmark's accuracy)."""
    return tokenize(true) == tokenize(pred)


def f1_score(precision: float, recall: float) -> float:
    """Harmonic mean, 0 when both are 0 rather than a division error."""
    total = precision + recall
    return 2 * precision * recall / total if total else 0.0


def _mean(values: Sequence[float]) -> float:
    """Mean that is 0 for no values: a tool that predicts nothing gets precision 0, not a crash."""
    return sum(values) / len(values) if values else 0.0


def summarize(scores: Sequence[PageScore], exact: Sequence[bool]) -> dict[str, float]:
    """Overall precision, recall, F1 and accuracy, as means over pages like the benchmark."""
    precision = _mean([s.precision for s in scores if s.tp + s.fp > 0])
    recall = _mean([s.recall for s in scores if s.tp + s.fn > 0])
    return {
        "f1": f1_score(precision, recall),
        "precision": precision,
        "recall": recall,
        "accuracy": _mean([float(e) for e in exact]),
    }


def token_diff(true: str | None, pred: str | None) -> tuple[int, int]:
    """How many tokens the prediction misses and adds, as multisets (order ignored)."""
    t, p = Counter(tokenize(true)), Counter(tokenize(pred))
    return sum((t - p).values()), sum((p - t).values())


def unmatched_runs(text: str | None, other: str | None, size: int = SHINGLE_SIZE) -> list[str]:
    """Stretches of `text` whose shingles `other` lacks, in reading order, quoted from `text`."""
    text = text or ""
    spans = [m.span() for m in _TOKEN.finditer(text)]
    remaining = shingles(other, size)
    missing = []
    for shingle in shingle_list([text[a:b] for a, b in spans], size):
        # Consume matches in order so the unmatched shingles add up to the page's FN (or FP).
        missing.append(remaining[shingle] <= 0)
        remaining[shingle] -= 1
    runs, start = [], None
    for i, miss in enumerate([*missing, False]):
        if miss and start is None:
            start = i
        elif not miss and start is not None:
            last = min(i - 2 + size, len(spans) - 1)  # the last token of shingle i - 1
            runs.append(" ".join(text[spans[start][0] : spans[last][1]].split()))
            start = None
    return runs


# --- worker: one tool in its own process -------------------------------------------------------


def load_tool(tool: str) -> Extractor:
    """Import one tool and return a function (html, url) -> body text or None."""
    if tool == "ours":
        import scraper

        return lambda html, url: scraper.extract(html, url=url).body
    import trafilatura

    # Defaults otherwise (favour neither precision nor recall). Comments are off, as in the
    # benchmark's own runner: no articleBody holds reader comments, and trafilatura's default
    # of appending them costs it 0.007 F1 here (0.953 instead of the published 0.960).
    return lambda html, url: trafilatura.extract(
        html, url=url, output_format="txt", include_comments=False
    )


def read_pages(data: Path, keys: Iterable[str]) -> dict[str, bytes]:
    """Decompressed HTML of each page, read up front so the clock sees only extraction."""
    return {key: gzip.decompress((data / "html" / f"{key}.html.gz").read_bytes()) for key in keys}


def run_worker(tool: str, data: Path, keys: list[str], repeat: int, out: Path) -> None:
    """Time one tool over the pages and write bodies, timings and RSS figures to `out`."""
    started = time.perf_counter()
    extract = load_tool(tool)
    import_seconds = time.perf_counter() - started
    base_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    urls = {k: v.get("url") for k, v in load_truth(data).items()}
    keys = keys or sorted(urls)
    raw = read_pages(data, keys)
    # Ours gets bytes, as the crawler hands them over, so our decoding is timed too; trafilatura
    # gets str, as the benchmark's own runner gives it (bytes would add its charset detection).
    inputs = [(k, raw[k] if tool == "ours" else raw[k].decode("utf-8"), urls[k]) for k in keys]
    bodies: dict[str, str | None] = {}
    errors: dict[str, str] = {}
    runs, cpu_runs = [], []
    for _ in range(repeat):
        elapsed = cpu = 0.0
        for key, html, url in inputs:
            t0, c0 = time.perf_counter(), time.process_time()
            try:
                body = extract(html, url)
            except Exception as exc:  # a crash costs that page, not the run
                body, errors[key] = None, f"{type(exc).__name__}: {exc}"
            elapsed += time.perf_counter() - t0
            cpu += time.process_time() - c0
            bodies[key] = body
        runs.append(elapsed)
        cpu_runs.append(cpu)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = {
        "bodies": bodies,
        "errors": errors,
        "seconds": runs,
        "cpu_seconds": cpu_runs,  # process CPU time: what a busy machine's other jobs don't add
        "import_seconds": import_seconds,
        "base_rss_kb": base_kb,  # Linux reports ru_maxrss in KiB
        "peak_rss_kb": peak_kb,
    }
    out.write_text(json.dumps(result), encoding="utf-8")


# --- driver ------------------------------------------------------------------------------------


def load_truth(data: Path) -> dict[str, dict[str, str]]:
    """{KEY: {"articleBody", "url"}} from the benchmark's ground-truth.json."""
    return json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))


def run_tool(tool: str, data: Path, keys: list[str], repeat: int) -> dict[str, Any]:
    """Run one tool's worker in a fresh interpreter and return what it measured."""
    with tempfile.TemporaryDirectory(prefix="zyte-bench-") as tmp:
        out = Path(tmp) / "result.json"
        cmd = [sys.executable, "-m", "bench.zyte", "--worker", tool, "--data", str(data.resolve())]
        cmd += ["--repeat", str(repeat), "--out", str(out), "--keys", ",".join(keys)]
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            tail = "\n".join(proc.stderr.splitlines()[-20:])
            raise SystemExit(f"{tool} worker failed (exit {proc.returncode}):\n{tail}")
        return json.loads(out.read_text(encoding="utf-8"))


def score_tool(truth: dict[str, dict[str, str]], run: dict[str, Any]) -> dict[str, Any]:
    """Per-page scores and the overall summary for one tool's bodies."""
    pages = {}
    for key, body in run["bodies"].items():
        true = truth[key].get("articleBody", "")
        score = score_page(true, body)
        missing, extra = token_diff(true, body)
        pages[key] = {
            "url": truth[key].get("url"),
            **score._asdict(),
            "precision": score.precision,
            "recall": score.recall,
            "f1": score.f1,
            "exact": is_exact(true, body),
            "empty": not tokenize(body),
            "missing_tokens": missing,
            "extra_tokens": extra,
            "error": run["errors"].get(key),
        }
    scores = [PageScore(p["tp"], p["fp"], p["fn"]) for p in pages.values()]
    summary = summarize(scores, [p["exact"] for p in pages.values()])
    summary.update(
        pages_per_s=_rate(len(pages), run["seconds"]),
        cpu_pages_per_s=_rate(len(pages), run["cpu_seconds"]),
        seconds=run["seconds"],
        import_seconds=run["import_seconds"],
        peak_rss_mb=run["peak_rss_kb"] / 1024,
        base_rss_mb=run["base_rss_kb"] / 1024,
        empty=sum(p["empty"] for p in pages.values()),
        errors=len(run["errors"]),
    )
    return {"summary": summary, "pages": pages}


def _rate(pages: int, seconds: list[float]) -> float:
    """Pages/s in the fastest of the timed runs."""
    best = min(seconds)
    return pages / best if best > 0 else float("inf")


def print_table(results: dict[str, dict[str, Any]], n_pages: int, repeat: int) -> None:
    """Side-by-side summary, one row per tool."""
    print(f"Zyte article-extraction benchmark: {n_pages} pages, best of {repeat} timed run(s)")
    head = f"{'tool':<12} {'F1':>6} {'prec':>6} {'recall':>6} {'acc':>6} {'pages/s':>8}"
    head += f" {'CPU p/s':>8} {'peak MB':>8} {'import MB':>9} {'import s':>8}"
    print(head + f" {'empty':>5} {'errors':>6}")
    for tool, res in results.items():
        s = res["summary"]
        print(
            f"{tool:<12} {s['f1']:6.3f} {s['precision']:6.3f} {s['recall']:6.3f} "
            f"{s['accuracy']:6.3f} {s['pages_per_s']:8.1f} {s['cpu_pages_per_s']:8.1f} "
            f"{s['peak_rss_mb']:8.1f} "
            f"{s['base_rss_mb']:9.1f} {s['import_seconds']:8.2f} {s['empty']:5d} {s['errors']:6d}"
        )


def print_worst(results: dict[str, dict[str, Any]], n: int) -> None:
    """The n pages where our F1 is lowest, to group failures by kind."""
    ours = results["ours"]["pages"]
    theirs = results.get("trafilatura", {}).get("pages", {})
    print(f"\n{n} pages where our F1 is lowest (missing/extra: \\w+ tokens, as multisets)")
    print(f"{'ours':>5} {'traf':>5} {'missing':>7} {'extra':>6} {'key':<12}  url")
    for key in sorted(ours, key=lambda k: (ours[k]["f1"], k))[:n]:
        page = ours[key]
        traf = f"{theirs[key]['f1']:5.3f}" if key in theirs else f"{'-':>5}"
        print(
            f"{page['f1']:5.3f} {traf} {page['missing_tokens']:7d} {page['extra_tokens']:6d} "
            f"{key[:12]:<12}  {page['url']}" + (f"  [{page['error']}]" if page["error"] else "")
        )


def print_page(key: str, truth: dict[str, str], runs: dict[str, dict[str, Any]]) -> None:
    """One page's scores per tool, then the first tool's missed and extra text."""
    print(f"{key}\n{truth.get('url')}\ntruth: {len(tokenize(truth.get('articleBody')))} tokens")
    for tool, run in runs.items():
        body = run["bodies"][key]
        score = score_page(truth.get("articleBody"), body)
        print(
            f"{tool:<12} F1 {score.f1:.3f}  precision {score.precision:.3f}  "
            f"recall {score.recall:.3f}  tokens {len(tokenize(body))}"
            + (f"  error: {run['errors'][key]}" if key in run["errors"] else "")
        )
    tool, run = next(iter(runs.items()))
    body = run["bodies"][key]
    sections = [
        (f"MISSED by {tool} (in truth, not in {tool})", truth.get("articleBody"), body),
        (f"EXTRA in {tool} (in {tool}, not in truth)", body, truth.get("articleBody")),
    ]
    for title, text, other in sections:
        found = unmatched_runs(text, other)
        print(f"\n== {title}: {len(found)} run(s)")
        for chunk in found:
            print(textwrap.fill(chunk, width=100, initial_indent="- ", subsequent_indent="  "))


def resolve_key(prefix: str, keys: Iterable[str]) -> str:
    """The one page key starting with `prefix`, so a short prefix from --worst is enough."""
    found = [k for k in keys if k.startswith(prefix.lower())]
    if len(found) != 1:
        raise SystemExit(f"--page {prefix}: {len(found)} pages match, need exactly one")
    return found[0]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options; --worker, --out and --keys are for the subprocesses only."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="benchmark data folder")
    parser.add_argument("--only", choices=TOOLS, help="run one tool only")
    parser.add_argument("--repeat", type=int, default=1, help="timed runs; the best one counts")
    parser.add_argument("--worst", type=int, metavar="N", help="list our N lowest-F1 pages")
    parser.add_argument("--page", metavar="KEY", help="missed and extra text for one page")
    parser.add_argument("--json", type=Path, metavar="PATH", help="write per-page scores")
    parser.add_argument("--worker", choices=TOOLS, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--keys", default="", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.worst is not None and args.only == "trafilatura":
        parser.error("--worst ranks our pages, so it needs ours to run")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark (or, with --worker, one tool inside its subprocess)."""
    args = parse_args(argv)
    keys = [k for k in args.keys.split(",") if k]
    if args.worker:
        run_worker(args.worker, args.data, keys, args.repeat, args.out)
        return 0
    if not (args.data / "ground-truth.json").is_file():
        raise SystemExit(f"no ground-truth.json in {args.data} (give the data folder with --data)")
    truth = load_truth(args.data)
    tools = [args.only] if args.only else list(TOOLS)
    if args.page:
        key = resolve_key(args.page, truth)
        print_page(key, truth[key], {t: run_tool(t, args.data, [key], args.repeat) for t in tools})
        return 0
    keys = sorted(truth)
    results = {t: score_tool(truth, run_tool(t, args.data, keys, args.repeat)) for t in tools}
    print_table(results, len(keys), args.repeat)
    if args.worst:
        print_worst(results, args.worst)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
        print(f"\nper-page scores written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

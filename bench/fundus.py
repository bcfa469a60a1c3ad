"""fundus news pages: title, authors, date and body, ours beside trafilatura, scored by score.py.

    python bench/fundus.py [--data DIR] [--half A|B|all] [--only ours|trafilatura]
                           [--repeat N] [--per-page PATH] [--list] [--bare] [--no-h1]

The 177 pages are split into two fixed halves by publisher (`half_of`), so rules can be tuned
on one half and checked on the other. Scoring is the data set's own score.py, imported from the
data folder, so figures compare with its README. Each tool runs in its own fresh subprocess
(`python -m bench.fundus --worker TOOL`) for its own peak RSS; pages are decompressed before
the clock starts and only the extraction call is timed. `--bare` strips JSON-LD, og:/twitter:
meta and itemprop=headline from every page first (bench/zyte_titles.strip_structured): the path
pages of sites without metadata take, read for the title (other fields lose their sources too);
`--no-h1` also makes the h1s divs, a stress test of headlines read from <title> and the page.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import importlib.util
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any, NamedTuple

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "bench" / "fundus"
TOOLS = ("ours", "trafilatura")
HALVES = ("A", "B")

Record = dict[str, Any]
# A tool is (extraction call, which alone is timed; its result -> a score.py prediction record).
Tool = tuple[Callable[[bytes | str, str], Any], Callable[[Any], Record]]

# (label, score.py key, format): the rows printed for each fundus set, main figures first.
FIELDS = (
    ("title lenient", "title_lenient", "{:.3f}"),
    ("authors exact", "author_exact", "{:.3f}"),
    ("date same day", "date_same_day", "{:.3f}"),
    ("body token F1", "body_f1", "{:.3f}"),
    ("body shingle F1", "shingle_f1", "{:.3f}"),
    ("body empty", "body_empty", "{}"),
)


def half_of(publisher: str) -> str:
    """The publisher's fixed half: a content hash, so it never moves between runs or machines."""
    return "A" if int(hashlib.sha256(publisher.encode()).hexdigest(), 16) % 2 == 0 else "B"


def has_data(data: Path) -> bool:
    """Whether the data folder holds the gold, the scorer and the pages."""
    return all((data / name).exists() for name in ("gold.json", "score.py", "html"))


def load_scorer(data: Path) -> ModuleType:
    """The data set's own score.py, imported from the data folder (not copied, so never stale)."""
    spec = importlib.util.spec_from_file_location("fundus_score", data / "score.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot import {data / 'score.py'}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_gold(data: Path, half: str = "all") -> list[dict[str, Any]]:
    """The gold documents of one half ("A", "B") or of all pages, in gold.json's order."""
    docs: list[dict[str, Any]] = json.loads((data / "gold.json").read_text("utf-8"))["documents"]
    return [d for d in docs if half == "all" or half_of(d["publisher"]) == half]


# --- worker: one tool in its own process -------------------------------------------------------


def _ours_record(article: Any) -> Record:
    record: Record = article.to_dict()
    return {k: record.get(k) for k in ("headline", "authors", "published", "paragraphs", "body")}


def _trafilatura_record(doc: Any) -> Record:
    """The fields as the data set's README took them for its reference figures."""
    if doc is None:
        return {"headline": None, "authors": [], "published": None, "paragraphs": []}
    return {
        "headline": doc.title,
        "authors": [a.strip() for a in re.split(r"[;,]", doc.author or "") if a.strip()],
        "published": doc.date,
        "paragraphs": [line for line in (doc.text or "").split("\n") if line.strip()],
    }


def load_tool(tool: str) -> Tool:
    """Import one tool; return its extraction call and the converter to a prediction record."""
    if tool == "ours":
        import scraper

        return (lambda html, url: scraper.extract(html, url=url)), _ours_record
    from trafilatura import bare_extraction

    return (
        lambda html, url: bare_extraction(html, url=url, with_metadata=True)
    ), _trafilatura_record


def run_worker(
    tool: str,
    data: Path,
    half: str,
    repeat: int,
    out: Path,
    bare: bool = False,
    no_h1: bool = False,
) -> None:
    """Time one tool over a half; write predictions (score.py's JSONL) and timings beside them."""
    started = time.perf_counter()
    extract, to_record = load_tool(tool)
    import_seconds = time.perf_counter() - started
    base_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    docs = load_gold(data, half)
    # Ours gets bytes, as the crawler hands them over; trafilatura gets str, as in bench/zyte.py.
    inputs: list[tuple[str, bytes | str, str]] = []
    for doc in docs:
        raw = gzip.decompress((data / "html" / doc["file"]).read_bytes())
        if bare or no_h1:
            from bench.zyte_titles import strip_structured

            raw = strip_structured(raw.decode("utf-8", "replace"), no_h1).encode("utf-8")
        inputs.append((doc["file"], raw if tool == "ours" else raw.decode("utf-8"), doc["url"]))
    runs: list[list[float]] = []
    cpu_runs: list[list[float]] = []
    records: list[Record] = []
    for _ in range(repeat):
        times, cpu_times, records = [], [], []
        for file, html, url in inputs:
            t0, c0 = time.perf_counter(), time.process_time()
            try:
                result, error = extract(html, url), ""
            except Exception as exc:  # a crash costs that page (score.py: empty), not the run
                result, error = None, f"{type(exc).__name__}: {exc}"
            times.append(time.perf_counter() - t0)
            cpu_times.append(time.process_time() - c0)
            records.append({"source": file, **({"error": error} if error else to_record(result))})
        runs.append(times)
        cpu_runs.append(cpu_times)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with (out / "pred.jsonl").open("w", encoding="utf-8") as f:
        f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    meta = {
        "files": [d["file"] for d in docs],
        "page_seconds": runs,
        "page_cpu_seconds": cpu_runs,  # process CPU time, steadier when busy
        "import_seconds": import_seconds,
        "base_rss_kb": base_kb,  # Linux reports ru_maxrss in KiB
        "peak_rss_kb": peak_kb,
    }
    (out / "meta.json").write_text(json.dumps(meta), encoding="utf-8")


# --- driver ------------------------------------------------------------------------------------


def run_tool(
    tool: str,
    data: Path,
    half: str,
    repeat: int,
    tmp: Path,
    bare: bool = False,
    no_h1: bool = False,
) -> dict[str, Any]:
    """Run one tool's worker in a fresh interpreter; its files land in `tmp`."""
    cmd = [sys.executable, "-m", "bench.fundus", "--worker", tool, "--data", str(data.resolve())]
    cmd += ["--half", half, "--repeat", str(repeat), "--out", str(tmp)]
    cmd += ["--bare"] if bare else []
    cmd += ["--no-h1"] if no_h1 else []
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        tail = "\n".join(proc.stderr.splitlines()[-20:])
        raise SystemExit(f"{tool} worker failed (exit {proc.returncode}):\n{tail}")
    meta: dict[str, Any] = json.loads((tmp / "meta.json").read_text(encoding="utf-8"))
    meta["pred_path"] = tmp / "pred.jsonl"
    return meta


def pages_per_s(run: dict[str, Any], files: set[str], clock: str = "page_seconds") -> float:
    """Pages/s over `files` in the fastest of the timed runs (extraction calls only)."""
    idx = [i for i, f in enumerate(run["files"]) if f in files]
    best = min(sum(times[i] for i in idx) for times in run[clock])
    return len(idx) / best if best > 0 else float("inf")


def score_sets(
    scorer: ModuleType, data: Path, half: str, tool: str, run: dict[str, Any]
) -> tuple[dict[str, dict[str, Any]], list[Record]]:
    """score.py's figures for each set of `half` ("all": A, B and all), plus per-page outcomes."""
    preds, info = scorer.load_predictions(str(run["pred_path"]))
    sets = [*HALVES, "all"] if half == "all" else [half]
    results: dict[str, dict[str, Any]] = {}
    per_page: list[Record] = []
    for name in sets:
        res, pages, _ = scorer.score(load_gold(data, name), preds, info["fields"])
        files = {p["file"] for p in pages}
        res["pages_per_s"] = pages_per_s(run, files)
        res["cpu_pages_per_s"] = pages_per_s(run, files, "page_cpu_seconds")
        res["publishers"] = len({p["publisher"] for p in pages})
        results[name] = res
        if name != "all":
            per_page += [dict(p, pred=tool, half=name) for p in pages]
    return results, per_page


def run_fundus(
    data: Path,
    half: str,
    tools: Sequence[str],
    repeat: int,
    per_page: Path | None = None,
    bare: bool = False,
    no_h1: bool = False,
) -> dict[str, dict[str, Any]]:
    """{tool: {"sets": {set: score.py figures}, "run": worker timings}}; per-page lines to PATH."""
    scorer = load_scorer(data)
    out: dict[str, dict[str, Any]] = {}
    lines: list[Record] = []
    with tempfile.TemporaryDirectory(prefix="fundus-bench-") as tmp:
        for tool in tools:
            folder = Path(tmp) / tool
            folder.mkdir()
            run = run_tool(tool, data, half, repeat, folder, bare, no_h1)
            sets, pages = score_sets(scorer, data, half, tool, run)
            out[tool] = {"sets": sets, "run": run}
            lines += pages
    if per_page:
        with per_page.open("w", encoding="utf-8") as f:
            f.writelines(json.dumps(p, ensure_ascii=False) + "\n" for p in lines)
    return out


QualityRow = tuple[str, str, dict[str, str]]  # (set, field, {tool: cell})


class Speed(NamedTuple):
    """One tool's speed cell: pages/s by wall clock and by process CPU time, RSS in MB."""

    wall: float
    cpu: float
    peak_mb: float | None = None
    import_mb: float | None = None


SpeedRow = tuple[str, dict[str, Speed]]


def fundus_rows(
    results: dict[str, dict[str, Any]], sets: Sequence[str] | None = None
) -> list[QualityRow]:
    """A row per set (all that ran, unless named) and field, for `print_quality`."""
    rows: list[QualityRow] = []
    first = next(iter(results.values()))["sets"]
    for name in sets or list(first):
        res = first[name]
        label = f"fundus {name} ({res['pages']} pages, {res['publishers']} publ.)"
        for field, key, spec in FIELDS:
            cells = {}
            for tool, r in results.items():
                value = r["sets"][name][key]
                cells[tool] = "n/a" if value is None else spec.format(value)
            rows.append((label, field, cells))
    return rows


def fundus_speed_rows(results: dict[str, dict[str, Any]]) -> list[SpeedRow]:
    """pages/s for every set; RSS on the last set, the one the worker process ran as a whole."""
    rows: list[SpeedRow] = []
    first = next(iter(results.values()))["sets"]
    whole = list(first)[-1]
    for name, res in first.items():
        cells: dict[str, Speed] = {}
        for tool, r in results.items():
            run, figures = r["run"], r["sets"][name]
            cells[tool] = Speed(figures["pages_per_s"], figures["cpu_pages_per_s"])
            if name == whole:
                mb = run["peak_rss_kb"] / 1024, run["base_rss_kb"] / 1024
                cells[tool] = cells[tool]._replace(peak_mb=mb[0], import_mb=mb[1])
        rows.append((f"fundus {name} ({res['pages']} pages)", cells))
    return rows


def print_quality(rows: Sequence[QualityRow], tools: Sequence[str]) -> None:
    """Rows = set x field, one column per tool; the set is named on its first row only."""
    w_set = max(len(r[0]) for r in rows)
    w_field = max(len(r[1]) for r in rows)
    print(f"{'set':<{w_set}}  {'field':<{w_field}}" + "".join(f" {t:>12}" for t in tools))
    previous = None
    for name, field, cells in rows:
        shown = "" if name == previous else name
        previous = name
        print(
            f"{shown:<{w_set}}  {field:<{w_field}}"
            + "".join(f" {cells.get(t, '-'):>12}" for t in tools)
        )


def print_speed(rows: Sequence[SpeedRow], tools: Sequence[str]) -> None:
    """Extraction pages/s by wall clock and by CPU time, each worker's peak RSS and its RSS right
    after the import (MB), then how many times the first tool's pages/s the others' are.

    CPU time is the steadier figure on a shared machine: another job's load slows the wall clock
    of whichever tool happens to run beside it, not the CPU time the extraction itself takes."""
    width = max(len(r[0]) for r in rows)
    widths = {t: max(9, len(t) + 4) for t in tools}
    head = "".join(
        f" {t + ' p/s':>{widths[t]}} {'CPU p/s':>8} {'peak MB':>8} {'import MB':>9}" for t in tools
    )
    ratio = len(tools) > 1
    if ratio:
        head += f"  {tools[0]}/{tools[1]} wall, CPU"
    print(f"{'speed and memory':<{width}}{head}")
    for label, cells in rows:
        line = f"{label:<{width}}"
        for tool in tools:
            cell = cells.get(tool, Speed(float("nan"), float("nan")))
            line += f" {cell.wall:{widths[tool]}.1f} {cell.cpu:8.1f}"
            line += f" {_mb(cell.peak_mb):>8} {_mb(cell.import_mb):>9}"
        if ratio and tools[0] in cells and tools[1] in cells:
            a, b = cells[tools[0]], cells[tools[1]]
            line += f"  {a.wall / b.wall:.2f}x, {a.cpu / b.cpu:.2f}x"
        print(line)


def _mb(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def describe_halves(data: Path) -> str:
    """Pages and publishers in each half, so a change in the split would show."""
    parts = []
    for half in HALVES:
        docs = load_gold(data, half)
        parts.append(
            f"half {half}: {len(docs)} pages, {len({d['publisher'] for d in docs})} publishers"
        )
    return "fundus halves (sha256 of the publisher name): " + "; ".join(parts)


def missing_message(data: Path) -> str:
    """Why nothing ran, and how to point at the data."""
    return (
        f"fundus data not found in {data} (expected ../shared/bench/fundus; give --data): skipped"
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options; --worker and --out are for the subprocesses only."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="fundus data folder")
    parser.add_argument("--half", choices=[*HALVES, "all"], default="all", help="pages to run")
    parser.add_argument("--only", choices=TOOLS, help="run one tool only")
    parser.add_argument("--repeat", type=int, default=1, help="timed runs; the fastest counts")
    parser.add_argument("--per-page", type=Path, metavar="PATH", help="score.py per-page JSONL")
    parser.add_argument(
        "--list", action="store_true", help="print the half's page files, one a line"
    )
    parser.add_argument(
        "--bare", action="store_true", help="strip JSON-LD and og/twitter meta from pages first"
    )
    parser.add_argument("--no-h1", action="store_true", help="--bare, and h1s made divs")
    parser.add_argument("--worker", choices=TOOLS, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark (or, with --worker, one tool inside its subprocess)."""
    args = parse_args(argv)
    if args.worker:
        run_worker(args.worker, args.data, args.half, args.repeat, args.out, args.bare, args.no_h1)
        return 0
    if not has_data(args.data):
        print(missing_message(args.data))
        return 0
    if args.list:
        print("\n".join(d["file"] for d in load_gold(args.data, args.half)))
        return 0
    tools = [args.only] if args.only else list(TOOLS)
    results = run_fundus(
        args.data, args.half, tools, args.repeat, args.per_page, args.bare, args.no_h1
    )
    print(describe_halves(args.data))
    print(f"score.py figures, best of {args.repeat} timed run(s) for speed\n")
    print_quality(fundus_rows(results), tools)
    print()
    print_speed(fundus_speed_rows(results), tools)
    if args.per_page:
        print(f"\nper-page outcomes (score.py's, with pred and half) written to {args.per_page}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

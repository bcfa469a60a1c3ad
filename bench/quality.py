"""All extraction benchmarks in one table: ours beside trafilatura on Zyte and both fundus halves.

    python bench/quality.py [--repeat N] [--only ours|trafilatura] [--zyte DIR] [--fundus DIR]

`make bench` runs this. The Zyte set scores the body only, with bench/zyte.py's metric and
worker; the fundus halves score title, authors, date and body with the data set's score.py
(bench/fundus.py). Every tool runs in its own fresh subprocess per data set, so pages/s counts
the extraction calls only and the peak RSS is that tool's own.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import fundus, zyte

# README of the fundus data: trafilatura 2.3.1 on all 177 pages (title, authors, date, body F1).
FUNDUS_REFERENCE = {
    "title_lenient": 0.791,
    "author_exact": 0.787,
    "date_same_day": 0.960,
    "body_f1": 0.952,
}


def zyte_rows(
    data: Path, tools: Sequence[str], repeat: int
) -> tuple[list[fundus.QualityRow], list[fundus.SpeedRow]]:
    """Body shingle F1 and empty pages on Zyte (zyte.py's metric), and its speed row."""
    truth = zyte.load_truth(data)
    keys = sorted(truth)
    summaries = {
        t: zyte.score_tool(truth, zyte.run_tool(t, data, keys, repeat))["summary"] for t in tools
    }
    label = f"Zyte ({len(keys)} pages, body only)"
    quality: list[fundus.QualityRow] = [
        (label, "body shingle F1", {t: f"{s['f1']:.3f}" for t, s in summaries.items()}),
        (label, "body empty", {t: str(s["empty"]) for t, s in summaries.items()}),
    ]
    cells = {
        t: fundus.Speed(s["pages_per_s"], s["cpu_pages_per_s"], s["peak_rss_mb"], s["base_rss_mb"])
        for t, s in summaries.items()
    }
    return quality, [(f"Zyte ({len(keys)} pages)", cells)]


def reference_check(results: dict[str, dict[str, Any]]) -> str:
    """All 177 fundus pages beside the README's trafilatura figures: a check on the harness."""
    keys = list(FUNDUS_REFERENCE)
    ref = "/".join(f"{v:.3f}" for v in FUNDUS_REFERENCE.values())
    figures = [
        f"{tool} " + "/".join(f"{r['sets']['all'][k]:.3f}" for k in keys)
        for tool, r in results.items()
    ]
    return (
        "fundus all 177 pages, title lenient/authors exact/date same day/body token F1: "
        + ", ".join(figures)
        + f" (data README, trafilatura: {ref})"
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--zyte", type=Path, default=zyte.DEFAULT_DATA, help="Zyte data folder")
    parser.add_argument("--fundus", type=Path, default=fundus.DEFAULT_DATA, help="fundus folder")
    parser.add_argument("--only", choices=fundus.TOOLS, help="run one tool only")
    parser.add_argument("--repeat", type=int, default=1, help="timed runs; the fastest counts")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run every benchmark whose data is present and print the two tables."""
    args = parse_args(argv)
    tools = [args.only] if args.only else list(fundus.TOOLS)
    quality: list[fundus.QualityRow] = []
    speed: list[fundus.SpeedRow] = []
    notes = []
    if (args.zyte / "ground-truth.json").is_file():
        zq, zs = zyte_rows(args.zyte, tools, args.repeat)
        quality += zq
        speed += zs
    else:
        notes.append(f"Zyte data not found in {args.zyte} (expected ../shared/bench/zyte): skipped")
    if fundus.has_data(args.fundus):
        results = fundus.run_fundus(args.fundus, "all", tools, args.repeat)
        quality += fundus.fundus_rows(results, sets=fundus.HALVES)
        speed += fundus.fundus_speed_rows(results)
        notes += [fundus.describe_halves(args.fundus), reference_check(results)]
    else:
        notes.append(fundus.missing_message(args.fundus))
    if not quality:
        print("\n".join(notes))
        return 0
    print(f"Extraction benchmarks: quality, and speed as the best of {args.repeat} timed run(s)\n")
    fundus.print_quality(quality, tools)
    print()
    fundus.print_speed(speed, tools)
    print()
    print("\n".join(notes))
    return 0


if __name__ == "__main__":
    sys.exit(main())

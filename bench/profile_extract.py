"""Where extraction time goes: CPU time per page and cProfile's top functions, in ms per page.

    python bench/profile_extract.py [--set zyte|fundus|all] [--top N] [--sort tottime|cumulative]
                                    [--fixed-now]

Pages are read before the clock starts; a first untimed pass warms imports, compiled regexes and
dateparser's caches, so the profile shows steady-state work. Without --fixed-now, "now" is the
real time, as in bench/zyte.py and bench/fundus.py: with a fixed 2025 "now", later pages' dates
are implausible and the slower visible-date sources run, which the benchmarks never see.
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import json
import pstats
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "bench"
FIXED_NOW = datetime(2025, 1, 1, 12, tzinfo=UTC)

Page = tuple[str, bytes, str | None]


def load_pages(which: str) -> list[Page]:
    """(key, html bytes, url) of the Zyte and/or fundus benchmark pages."""
    pages: list[Page] = []
    if which in ("zyte", "all"):
        truth = json.loads((DATA / "zyte" / "ground-truth.json").read_text("utf-8"))
        for key in sorted(truth):
            raw = gzip.decompress((DATA / "zyte" / "html" / f"{key}.html.gz").read_bytes())
            pages.append((f"zyte/{key}", raw, truth[key].get("url")))
    if which in ("fundus", "all"):
        gold = json.loads((DATA / "fundus" / "gold.json").read_text("utf-8"))
        for doc in gold["documents"]:
            raw = gzip.decompress((DATA / "fundus" / "html" / doc["file"]).read_bytes())
            pages.append((f"fundus/{doc['file']}", raw, doc["url"]))
    return pages


def main(argv: Sequence[str] | None = None) -> int:
    """Time and profile scraper.extract over one benchmark set."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=("zyte", "fundus", "all"), default="all")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sort", choices=("tottime", "cumulative"), default="tottime")
    parser.add_argument("--fixed-now", action="store_true", help="now = 2025-01-01 12:00 UTC")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    import scraper

    pages = load_pages(args.set)
    now = FIXED_NOW if args.fixed_now else None
    for _, html, url in pages:  # warm-up: imports, regexes, dateparser
        scraper.extract(html, url=url, now=now)
    started = time.process_time()
    for _, html, url in pages:
        scraper.extract(html, url=url, now=now)
    cpu = time.process_time() - started
    print(
        f"{len(pages)} pages: {1000 * cpu / len(pages):.2f} ms/page CPU, {len(pages) / cpu:.0f}/s"
    )
    profile = cProfile.Profile()
    profile.enable()
    for _, html, url in pages:
        scraper.extract(html, url=url, now=now)
    profile.disable()
    stats = pstats.Stats(profile)
    print(f"\ncProfile (overhead included), ms/page, by {args.sort}:")
    print(f"{'calls':>8} {'own':>7} {'total':>7}  function")
    rows = sorted(stats.stats.items(), key=lambda kv: -kv[1][2 if args.sort == "tottime" else 3])  # type: ignore[attr-defined]
    for (path, line, name), (_, calls, own, total, _) in rows[: args.top]:
        where = f"{Path(path).name}:{line}({name})" if line else name
        print(
            f"{calls:>8} {1000 * own / len(pages):>7.3f} {1000 * total / len(pages):>7.3f}  {where}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

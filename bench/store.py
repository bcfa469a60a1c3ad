"""Store benchmark: insert synthetic articles (5% near-duplicates), report the cost as the DB grows.

    python bench/store.py                 # 100,000 articles in a temporary file (a few minutes)
    python bench/store.py --articles 20000 --db /tmp/bench.db

At 1k, 10k and 100k rows it prints inserts/s over the last 1,000 saves (each save is the
whole page: fetch row, gzip raw body, article, authors, revision, FTS, band index, aliases),
the time of one near-duplicate lookup (the band probe + Hamming check that every new article
goes through) and how many indexed rows such a lookup reads. Flat columns = the per-insert
cost does not grow with the DB.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scraper.article import Article
from scraper.fetch import FetchResult
from scraper.store import Prepared, Store
from scraper.store.dedup import probe_keys
from scraper.store.writes import find_duplicate

CHECKPOINTS = (1_000, 10_000, 100_000)
WINDOW = 1_000  # saves timed before each checkpoint
PROBES = 300  # lookups timed at each checkpoint
NEAR_DUPLICATE_SHARE = 0.05


class Corpus:
    """Random news-like bodies: a Zipf-ish vocabulary so common words repeat as in text."""

    def __init__(self, seed: int = 1) -> None:
        self.rng = random.Random(seed)
        syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "de", "po", "an", "er"]
        vocab = {
            "".join(self.rng.choices(syllables, k=self.rng.randint(1, 4))) for _ in range(8000)
        }
        self.vocab = sorted(vocab)
        self.weights = [1 / (rank + 1) for rank in range(len(self.vocab))]

    def paragraphs(self, count: int = 6, words: int = 50) -> tuple[str, ...]:
        """One story's body."""
        picks = self.rng.choices(self.vocab, self.weights, k=count * words)
        return tuple(
            " ".join(picks[i * words : (i + 1) * words]).capitalize() + "." for i in range(count)
        )

    def reframe(self, paragraphs: tuple[str, ...]) -> tuple[str, ...]:
        """A re-published copy: a new intro line and one word changed."""
        body = list(paragraphs)
        i = self.rng.randrange(len(body))
        tokens = body[i].split()
        tokens[self.rng.randrange(len(tokens))] = "reportedly"
        body[i] = " ".join(tokens)
        return ("This story first appeared on a partner site.", *body)


def page(n: int, paragraphs: tuple[str, ...]) -> tuple[Article, FetchResult]:
    """Article n on one of 50 sites, with its fetch."""
    url = f"https://site{n % 50}.example.com/news/{n}"
    article = Article(
        url=url,
        canonical_url=url,
        headline=f"Headline {n}",
        authors=(f"Reporter {n % 400}",),
        published="2024-05-01T08:00:00+00:00",
        paragraphs=paragraphs,
    )
    html = "<html><body>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</body></html>"
    fetch = FetchResult(
        url=url,
        final_url=url,
        status=200,
        headers={"content-type": "text/html; charset=utf-8"},
        content=html.encode(),
        content_type="text/html",
        encoding="utf-8",
        etag=None,
        last_modified=None,
        not_modified=False,
        fetched_at="2024-05-01T10:00:00+00:00",
        elapsed=0.1,
        redirects=(),
        attempts=1,
    )
    return article, fetch


def lookup_cost(store: Store, corpus: Corpus) -> tuple[float, float, float]:
    """(mean ms, p95 ms, candidate rows read) of near-duplicate lookups for fresh bodies."""
    timings, candidates = [], []
    conn = store.conn
    for i in range(PROBES):
        prepared = Prepared.of(page(-1 - i, corpus.paragraphs())[0], "https://x.test/", None)
        start = time.perf_counter()
        find_duplicate(conn, prepared)
        timings.append((time.perf_counter() - start) * 1000)
        assert prepared.simhash is not None
        for band, values in probe_keys(prepared.simhash):
            marks = ", ".join("?" * len(values))
            candidates.append(
                conn.execute(
                    f"SELECT count(*) FROM simhash_bands WHERE band = ? AND value IN ({marks})",
                    (band, *values),
                ).fetchone()[0]
            )
    timings.sort()
    per_lookup = sum(candidates) / PROBES
    return statistics.mean(timings), timings[int(len(timings) * 0.95)], per_lookup


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=CHECKPOINTS[-1])
    parser.add_argument("--db", type=Path, help="database file (default: a temporary one)")
    args = parser.parse_args(argv)
    corpus = Corpus()
    rng = random.Random(2)
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or Path(tmp) / "bench.db"
        store = Store(path)
        bodies: list[tuple[str, ...]] = []
        planted = flagged = false_flags = 0
        window_start = time.perf_counter()
        total_start = window_start
        print(f"{'rows':>8} {'inserts/s':>10} {'lookup ms':>10} {'p95 ms':>8} {'rows read':>10}")
        for n in range(1, args.articles + 1):
            if bodies and rng.random() < NEAR_DUPLICATE_SHARE:
                paragraphs, planted = corpus.reframe(rng.choice(bodies)), planted + 1
                near = True
            else:
                paragraphs, near = corpus.paragraphs(), False
                if len(bodies) < 50_000:
                    bodies.append(paragraphs)
            outcome = store.save(*page(n, paragraphs))
            if outcome.status == "duplicate":
                flagged += near
                false_flags += not near
            if n in CHECKPOINTS or n == args.articles:
                rate = WINDOW / (time.perf_counter() - window_start) if n >= WINDOW else 0.0
                mean, p95, read = lookup_cost(store, corpus)
                print(f"{n:>8,} {rate:>10,.0f} {mean:>10.3f} {p95:>8.3f} {read:>10.2f}")
                sys.stdout.flush()
            if (n + WINDOW) in CHECKPOINTS or n + WINDOW == args.articles:
                window_start = time.perf_counter()
        elapsed = time.perf_counter() - total_start
        size = path.stat().st_size + Path(f"{path}-wal").stat().st_size
        store.close()
    print(
        f"{args.articles:,} saves in {elapsed:.0f} s ({args.articles / elapsed:,.0f}/s overall),"
        f" DB {size / 1e6:.0f} MB; near-duplicates planted {planted:,},"
        f" flagged {flagged:,} ({flagged / max(planted, 1):.1%}),"
        f" other articles flagged {false_flags}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

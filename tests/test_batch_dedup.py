"""The batch dedup stage: near pairs, the store's survivor rule, stages that resume."""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from scraper.article import Article
from scraper.batch.clusters import near_pairs, popcount, survivors
from scraper.batch.dataset import DATASET, DONE, PARTS, SCHEMA, to_row, write_marker
from scraper.batch.dedup import run_dedup, serial_map
from scraper.store import HAMMING_THRESHOLD, Prepared, Store
from tests.conftest import make_article, story_paragraphs


def flip(value: int, bits: Sequence[int]) -> int:
    for b in bits:
        value ^= 1 << b
    return value


def test_popcount_counts_every_bit() -> None:
    values = [0, 1, 2**64 - 1, 0x8000000000000001, 0x0F0F0F0F0F0F0F0F, 12345678901234567]
    got = popcount(pa.array(values, pa.uint64())).to_pylist()
    assert got == [v.bit_count() for v in values]


def test_near_pairs_over_all_bands_are_exactly_the_pairs_within_the_threshold() -> None:
    rng = random.Random(7)
    values: set[int] = set()
    for _ in range(1500):
        base = rng.getrandbits(64)
        values.add(base)
        for _ in range(rng.randint(0, 3)):  # copies 1 to 9 bits away: some in, some out
            values.add(flip(base, rng.sample(range(64), rng.randint(1, 9))))
    ordered = sorted(values)
    array = pa.array(ordered, pa.uint64())
    found: set[tuple[int, int]] = set()
    for band in range(4):
        found.update(near_pairs(array, band))
    brute = {
        (i, j)
        for i in range(len(ordered))
        for j in range(i + 1, len(ordered))
        if (ordered[i] ^ ordered[j]).bit_count() <= HAMMING_THRESHOLD
    }
    assert brute and found == brute


def test_a_huge_bucket_is_a_star_on_its_smallest_fingerprint() -> None:
    base = 0
    members = sorted({flip(base, [16 + i]) for i in range(6)} | {base})  # band 0 all equal
    array = pa.array(members, pa.uint64())
    star = set(near_pairs(array, 0, huge=3))
    # Every member is within 2 bits of every other, but only links to the smallest (index 0).
    assert star == {(0, j) for j in range(1, len(members))}
    assert len(near_pairs(array, 0)) == len(members) * (len(members) - 1) // 2


def test_survivors_replay_the_store_rule() -> None:
    # 0 root; 1 exact copy of 0; 2 near 1 only -> root of 1 = 0; 3 root; 4 near both 3 and 2
    # -> smallest root 0; 5 exact copy of 3 (exact wins over near); 6 no body.
    codes = [0, 0, 1, 2, 3, 2, -1]
    fps = [0, 0, 1, 2, 3, 2, -1]
    near = {1: [0, 3], 0: [1], 3: [1, 2], 2: [3]}
    assert list(survivors(codes, fps, near)) == [-1, 0, 0, -1, 0, 3, -1]


# -- against the store ----------------------------------------------------------------------


def edited(paragraphs: tuple[str, ...], word: str) -> tuple[str, ...]:
    """One word changed in the second paragraph: a near copy."""
    words = paragraphs[1].split()
    words[3] = word
    return (paragraphs[0], " ".join(words), *paragraphs[2:])


def corpus() -> list[tuple[Article, str]]:
    """Articles with exact, near and chained copies, each with its capture time."""
    items: list[tuple[Article, str]] = []
    for n in range(8):
        paras = story_paragraphs(100 + n)
        url = f"https://site{n}.test/2024/05/01/story-{n}"
        items.append((make_article(url, paragraphs=paras), f"2024-05-0{1 + n % 3}T10:00:00+00:00"))
        if n % 2 == 0:  # an exact copy elsewhere, captured earlier: it becomes the survivor
            copy = f"https://mirror.test/copy-{n}"
            items.append((make_article(copy, paragraphs=paras), "2024-04-30T10:00:00+00:00"))
        if n % 3 == 0:  # a near copy, and a near copy of the near copy
            near = edited(paras, "zebra")
            items.append((make_article(f"https://wire.test/n-{n}", paragraphs=near), "2024-05-09"))
            nearer = edited(near, "yak")
            items.append(
                (make_article(f"https://wire.test/m-{n}", paragraphs=nearer), "2024-05-08")
            )
    items.append((make_article("https://short.test/a", paragraphs=("Too short.",)), "2024-05-02"))
    items.append((make_article("https://short.test/b", paragraphs=("Too short.",)), "2024-05-03"))
    return items


def row_of(article: Article, fetched_at: str) -> dict[str, Any]:
    prepared = Prepared.of(article, article.url or "", article.url)
    return to_row(
        {
            **article.to_dict(),
            "fetched_at": fetched_at,
            "key": prepared.key,
            "simhash": prepared.row["simhash"],
            "http_status": 200,
        }
    )


def write_parts(out: Path, groups: Sequence[Sequence[tuple[Article, str]]]) -> None:
    """One part (and its marker) per group of articles, as the per-file task would."""
    for number, group in enumerate(groups):
        rows = [row_of(a, t) for a, t in group]
        pq.write_table(
            pa.Table.from_pylist(rows, schema=SCHEMA), out / PARTS / f"p{number}.parquet"
        )
        write_marker(out / DONE / f"p{number}.json", {"status": "ok", "counts": {}})


def result(out: Path) -> dict[str, str | None]:
    table = pa.concat_tables(pq.read_table(p) for p in sorted((out / DATASET).glob("*.parquet")))
    return dict(zip(table["url"].to_pylist(), table["duplicate_of"].to_pylist(), strict=True))


def store_result(items: list[tuple[Article, str]]) -> dict[str, str | None]:
    """duplicate_of as the store decides it, saving in (fetched_at, url) order."""
    from tests.conftest import make_fetch

    store = Store.memory()
    for article, fetched_at in sorted(items, key=lambda item: (item[1], item[0].url or "")):
        store.save(article, make_fetch(article.url or "", fetched_at=fetched_at))
    return {r["url"]: r["duplicate_of"] for r in store.export(include_duplicates=True)}


def test_dedup_gives_the_store_duplicate_of_whatever_the_split_and_order(tmp_path: Path) -> None:
    items = corpus()
    expected = store_result(items)
    assert sum(v is not None for v in expected.values()) >= 8  # exact, near and chained
    shuffled = items[:]
    random.Random(3).shuffle(shuffled)
    for name, groups in {
        "one": [items],
        "three": [items[0::3], items[1::3], items[2::3]],
        "shuffled": [shuffled[:5], shuffled[5:]],
    }.items():
        out = tmp_path / name
        (out / PARTS).mkdir(parents=True)
        write_parts(out, groups)
        summary = run_dedup(out)
        assert result(out) == expected, name
        assert summary.exact + summary.near == sum(v is not None for v in expected.values())


def test_stages_resume_from_their_markers(tmp_path: Path) -> None:
    items = corpus()
    (tmp_path / PARTS).mkdir()
    write_parts(tmp_path, [items[:6], items[6:]])
    calls: list[int] = []

    def counting(fn: Any, things: Sequence[Any]) -> list[Any]:
        calls.append(len(things))
        return serial_map(fn, things)

    run_dedup(tmp_path, counting)
    first = result(tmp_path)
    assert calls == [16, 2]  # 4 bands x 4 groups of bits, 2 parts
    calls.clear()
    (tmp_path / DATASET / "p1.parquet").unlink()
    written = next((tmp_path / "dedup").glob("*/written/p1.json"))
    written.unlink()  # as if the run was killed while writing p1
    run_dedup(tmp_path, counting)
    assert calls == [0, 1] and result(tmp_path) == first


def test_a_new_input_starts_a_fresh_dedup(tmp_path: Path) -> None:
    items = corpus()
    (tmp_path / PARTS).mkdir()
    write_parts(tmp_path, [items[:6]])
    run_dedup(tmp_path)
    write_parts(tmp_path, [items[:6], items[6:]])
    run_dedup(tmp_path)
    assert result(tmp_path) == store_result(items)
    assert len(list((tmp_path / "dedup").iterdir())) == 1  # the first run's stages removed


@pytest.mark.parametrize("empty", [True, False])
def test_no_rows_no_failure(tmp_path: Path, empty: bool) -> None:
    (tmp_path / PARTS).mkdir()
    if not empty:
        write_parts(tmp_path, [[]])
    summary = run_dedup(tmp_path)
    assert (summary.rows, summary.stories, summary.exact, summary.near) == (0, 0, 0, 0)

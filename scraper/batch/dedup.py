"""The dedup stage: duplicate_of over the whole dataset, in restartable stages over files.

    index      driver: the signature columns of every part (not the text), one row per
               story, stories in (fetched_at, url) order, the distinct fingerprints
    near       16 tasks (4 per SimHash band): the near pairs among the distinct fingerprints
    survivors  driver: the store's rule replayed in that order (clusters.survivors)
    write      one task per part: the part with duplicate_of set, into OUT/dataset/

Each stage writes its files under a temporary name, renames them, then writes a marker; a
rerun skips what has a marker. The stages live under OUT/dedup/RUN/, RUN being a hash of
the parts and their markers, so adding an input file starts a fresh dedup (and, once it is
done, removes the stages of the run it replaces), while a rerun after a kill resumes the one
it interrupted. Every part in OUT/parts takes part: a run given fewer inputs than an earlier
one into the same folder keeps the others' parts.

A story is what the store keeps as one article: the rows (captures) sharing a story key,
the normalised canonical URL. As scraper.store.resolve does after an import, a story is
judged by the version the store keeps (its latest capture) and placed by its earliest
capture. Survivors follow the total order (fetched_at, url, key, content hash), so the
result depends neither on the number of workers nor on the order of the input files.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from scraper.batch.clusters import (
    BAND_BITS,
    BAND_COUNT,
    adjacency,
    near_pairs,
    survivors,
    unsigned,
)
from scraper.batch.dataset import (
    DATASET,
    DEDUP,
    DONE,
    PARTS,
    SIGNATURE_COLUMNS,
    part_files,
    read_marker,
    write_atomic,
    write_marker,
)

T = TypeVar("T")
R = TypeVar("R")
# How the engine runs one function over many items: results in any order, one per item.
Mapper = Callable[[Callable[[T], R], Sequence[T]], list[R]]
# The near stage's tasks: each band's 16 one-bit passes in 4 groups, 16 tasks that a
# cluster runs side by side (a pass's buckets are independent of every other pass's).
NEAR_GROUPS = 4
NEAR_PASSES = tuple((band, group) for band in range(BAND_COUNT) for group in range(NEAR_GROUPS))
# Total order of captures: the survivor is the earliest; the later keys only break ties.
ORDER = ("fetched_at", "url", "key", "content_hash")


@dataclass(frozen=True)
class DedupSummary:
    """What the dedup stage found."""

    rows: int
    stories: int
    exact: int  # stories that are exact copies of an earlier one
    near: int  # stories that are near copies
    parts: int
    seconds: dict[str, float] = field(default_factory=dict)  # per stage run now (not skipped)

    def line(self) -> str:
        """One line for the run's summary."""
        return (
            f"dedup: {self.rows} records, {self.stories} stories, {self.exact} exact"
            f" and {self.near} near duplicates"
        )


def serial_map(fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """The engine-less Mapper: in this process, in order (tests, small runs)."""
    return [fn(item) for item in items]


def finished_parts(out: Path) -> list[Path]:
    """Parts that have a marker (a part without one was cut off before its marker: redone)."""
    return [p for p in part_files(out / PARTS) if read_marker(out / DONE / f"{p.stem}.json")]


def run_dedup(out: Path, mapper: Mapper[Any, Any] = serial_map) -> DedupSummary:
    """All stages over OUT/parts into OUT/dataset; finished stages are skipped."""
    parts = finished_parts(out)
    run = out / DEDUP / run_id(out, parts)
    clock = _Clock()
    with clock("index"):
        index = _stage(run / "index.json", lambda: build_index(parts, run))
    passes = [p for p in NEAR_PASSES if read_marker(run / f"near-{p[0]}-{p[1]}.json") is None]
    with clock("near"):
        mapper(_NearTask(run), passes)
    with clock("survivors"):
        _stage(run / "survivors.json", lambda: build_survivors(run))
    todo = [p for p in parts if read_marker(run / "written" / f"{p.stem}.json") is None]
    with clock("write"):
        mapper(_WriteTask(run, out / DATASET), todo)
    wanted = {p.name for p in parts}
    for stale in part_files(out / DATASET):  # results of inputs no longer in the run
        if stale.name not in wanted:
            stale.unlink()
    for old in (out / DEDUP).iterdir():  # earlier runs' stages: superseded by this one
        if old != run and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
    counts = read_marker(run / "survivors.json") or {}
    return DedupSummary(
        index["rows"],
        index["stories"],
        counts.get("exact", 0),
        counts.get("near", 0),
        len(parts),
        clock.seconds,
    )


class _Clock:
    """Seconds per stage, for the summary and the benchmark."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] = time.perf_counter() - started


def run_id(out: Path, parts: Sequence[Path]) -> str:
    """A name for this set of parts: the part names and their markers' content."""
    digest = hashlib.sha256()
    for part in parts:
        marker = read_marker(out / DONE / f"{part.stem}.json")
        digest.update(json.dumps([part.name, marker], sort_keys=True).encode("utf-8"))
    return digest.hexdigest()[:16]


def _stage(marker: Path, work: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Run a driver stage unless its marker says it is done; the marker holds its counts."""
    done = read_marker(marker)
    if done is None:
        done = work()
        write_marker(marker, done)
    return done


# -- index -----------------------------------------------------------------------------------


def build_index(parts: Sequence[Path], run: Path) -> dict[str, int]:
    """stories.parquet (one row per story, in survivor order) and fingerprints.parquet."""
    columns = list(SIGNATURE_COLUMNS)
    schema = pa.schema([(c, pa.int64() if c == "simhash" else pa.string()) for c in columns])
    tables = [pq.read_table(p, columns=columns).cast(schema) for p in parts]
    rows = pa.concat_tables(tables) if tables else schema.empty_table()
    del tables
    stories = story_table(rows)
    count = rows.num_rows
    del rows
    fingerprints = pc.unique(pc.drop_null(unsigned(stories["simhash"])))
    fingerprints = pc.take(fingerprints, pc.sort_indices(fingerprints))
    fp_index = pc.fill_null(pc.index_in(unsigned(stories["simhash"]), fingerprints), -1)
    codes = pc.dictionary_encode(stories["content_hash"]).combine_chunks().indices
    index = pa.table(
        {
            "key": stories["key"],
            "hash_code": pc.fill_null(pc.cast(codes, pa.int64()), -1),
            "fingerprint": pc.cast(fp_index, pa.int64()),
        }
    )
    write_atomic(index, run / "stories.parquet")
    write_atomic(pa.table({"value": fingerprints}), run / "fingerprints.parquet")
    return {"rows": count, "stories": index.num_rows}


def story_table(rows: pa.Table) -> pa.Table:
    """One row per story key, sorted by ORDER: its latest capture (what the store keeps
    after saving the captures in order) dated by its earliest (when the story was first
    seen), as scraper.store.resolve orders stories."""
    if rows.num_rows == 0:
        return rows
    # Indices and the key column only: the table itself is copied once, for the stories.
    order = pc.sort_indices(rows, [("key", "ascending"), *_order_keys()])
    keys = rows["key"].take(order).combine_chunks()
    change = pc.fill_null(pc.not_equal(keys.slice(1), keys.slice(0, len(keys) - 1)), True)
    del keys
    first = pa.concat_arrays([pa.array([True]), change])
    last = pa.concat_arrays([change, pa.array([True])])
    stories = rows.take(pc.filter(order, last))
    earliest = rows["fetched_at"].take(pc.filter(order, first))
    stories = stories.set_column(
        stories.schema.get_field_index("fetched_at"), "fetched_at", earliest
    )
    return stories.take(pc.sort_indices(stories, _order_keys()))


def _order_keys() -> list[tuple[str, str]]:
    return [(c, "ascending") for c in ORDER]


# -- near ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _NearTask:
    """The near pairs of one band and group of its bits (a picklable callable, so Dask
    ships it to a worker)."""

    run: Path

    def __call__(self, task: tuple[int, int]) -> int:
        band, group = task
        values = pq.read_table(self.run / "fingerprints.parquet")["value"].combine_chunks()
        pairs = near_pairs(values, band, range(group, BAND_BITS, NEAR_GROUPS))
        table = pa.table(
            {
                "a": pa.array([a for a, _ in pairs], pa.int64()),
                "b": pa.array([b for _, b in pairs], pa.int64()),
            }
        )
        write_atomic(table, self.run / f"near-{band}-{group}.parquet")
        write_marker(self.run / f"near-{band}-{group}.json", {"pairs": len(pairs)})
        return len(pairs)


# -- survivors -------------------------------------------------------------------------------


def build_survivors(run: Path) -> dict[str, int]:
    """survivors.parquet: (key, duplicate_of) for every story that is a copy."""
    index = pq.read_table(run / "stories.parquet")
    pairs: set[tuple[int, int]] = set()
    for band, group in NEAR_PASSES:
        near = pq.read_table(run / f"near-{band}-{group}.parquet")
        pairs.update(zip(near["a"].to_pylist(), near["b"].to_pylist(), strict=True))
    codes = index["hash_code"].to_pylist()
    dup = survivors(codes, index["fingerprint"].to_pylist(), adjacency(sorted(pairs)))
    keys = index["key"].to_pylist()
    copies = [(r, d) for r, d in enumerate(dup) if d >= 0]
    seen: set[int] = set()
    exact = 0  # stories whose content hash an earlier story had: the store's exact match
    for code, d in zip(codes, dup, strict=True):
        exact += d >= 0 and code >= 0 and code in seen
        seen.add(code)
    table = pa.table(
        {
            "key": pa.array([keys[r] for r, _ in copies], pa.string()),
            "duplicate_of": pa.array([keys[d] for _, d in copies], pa.string()),
        }
    )
    write_atomic(table, run / "survivors.parquet")
    return {"exact": exact, "near": len(copies) - exact}


# -- write -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _WriteTask:
    """One part with duplicate_of set, into the result folder."""

    run: Path
    dataset: Path

    def __call__(self, part: Path) -> int:
        copies = pq.read_table(self.run / "survivors.parquet")
        table = pq.read_table(part)
        where = pc.index_in(table["key"], value_set=copies["key"].combine_chunks())
        values = pc.take(copies["duplicate_of"].combine_chunks(), where)
        column = table.schema.get_field_index("duplicate_of")
        table = table.set_column(column, "duplicate_of", values.cast(pa.string()))
        write_atomic(table, self.dataset / part.name)
        rows = int(table.num_rows)
        write_marker(self.run / "written" / f"{part.stem}.json", {"rows": rows})
        return rows

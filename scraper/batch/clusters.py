"""Duplicate clusters over a whole dataset: near pairs among fingerprints, then the survivors.

Pure functions over Arrow arrays and plain lists, no I/O, so each runs the same in a test, in
the driver and on a Dask worker (dedup.py maps them over files and bands).

The store decides duplicates one article at a time, in insertion order
(scraper.store.writes.find_duplicate): the same content hash makes an article a copy of the
first article with that hash (its root), else it is a copy of the smallest root among the
earlier articles whose SimHash is within HAMMING_THRESHOLD bits. `survivors` replays exactly
that rule over the (fetched_at, url) order, so the dataset and the store agree; only the
candidate search is different: whole-dataset passes instead of per-insert index probes.
"""

from __future__ import annotations

from array import array
from collections.abc import Mapping, Sequence

import pyarrow as pa
import pyarrow.compute as pc

from scraper.store import HAMMING_THRESHOLD

BAND_COUNT = 4  # the store's bands (scraper.store.dedup.BAND_COUNT): 4 x 16 bits
BAND_BITS = 16
# A masked band bucket bigger than this (expected size at 1M fingerprints: about 30) is
# pathological: crafted or boilerplate input. Its members are compared with its smallest
# fingerprint only (a star), never all pairs, so one bucket cannot make the stage quadratic.
HUGE_BUCKET = 5_000

_U64 = pa.uint64()
_M1, _M2, _M4, _H01 = 0x5555555555555555, 0x3333333333333333, 0x0F0F0F0F0F0F0F0F, 0x0101010101010101


def _u(value: int) -> pa.Scalar:
    return pa.scalar(value, _U64)


def popcount(values: pa.Array) -> pa.Array:
    """Set bits of each uint64 (SWAR: Arrow has no popcount kernel; multiply wraps)."""
    x = pc.subtract(values, pc.bit_wise_and(pc.shift_right(values, _u(1)), _u(_M1)))
    x = pc.add(pc.bit_wise_and(x, _u(_M2)), pc.bit_wise_and(pc.shift_right(x, _u(2)), _u(_M2)))
    x = pc.bit_wise_and(pc.add(x, pc.shift_right(x, _u(4))), _u(_M4))
    return pc.shift_right(pc.multiply(x, _u(_H01)), _u(56))


def unsigned(signed: pa.Array) -> pa.Array:
    """Signed int64 fingerprints (as the store keeps them) as uint64 bit patterns."""
    return pc.cast(signed, _U64, safe=False)


def near_pairs(
    values: pa.Array,
    band: int,
    bits: Sequence[int] = range(BAND_BITS),
    huge: int = HUGE_BUCKET,
) -> list[tuple[int, int]]:
    """Pairs (i, j), i < j, of positions in `values` (distinct uint64 fingerprints) within
    HAMMING_THRESHOLD bits whose band `band` differs by at most one bit.

    The union over the 4 bands is every near pair: 7 differing bits leave some 16-bit band
    with at most one (pigeonhole), the store's own probe rule. For each bit i of the band,
    fingerprints equal on the band with bit i cleared share a bucket; sorted by that key, a
    bucket is a run, compared by offsets d = 1, 2, ... while any run is still that long.
    Each bit is a pass of its own (`bits`: some of them, so a band can be split over tasks).
    A bucket of more than `huge` members is a star (see HUGE_BUCKET)."""
    n = len(values)
    found: set[tuple[int, int]] = set()
    if n < 2:
        return []
    band_value = pc.bit_wise_and(pc.shift_right(values, _u(band * BAND_BITS)), _u(0xFFFF))
    for bit in bits:
        key = pc.bit_wise_and(band_value, _u(0xFFFF ^ (1 << bit)))
        order = pc.sort_indices(key)  # stable: ties keep the fingerprints' order
        keys = key.take(order)
        vals = values.take(order)
        counts = pc.value_counts(keys)
        big = pc.filter(counts.field("values"), pc.greater(counts.field("counts"), huge))
        in_huge = pc.is_in(keys, value_set=big) if len(big) else None
        if in_huge is not None:
            _star(found, keys, vals, order, in_huge)
        alive = pa.array(range(n - 1), pa.int64())
        d = 1
        while len(alive):
            alive = pc.filter(alive, pc.less(alive, n - d))
            far = pc.add(alive, d)
            same = pc.equal(keys.take(alive), keys.take(far))
            if in_huge is not None:  # huge buckets were linked as stars above
                same = pc.and_(same, pc.invert(in_huge.take(alive)))
            alive, far = pc.filter(alive, same), pc.filter(far, same)
            close = pc.less_equal(
                popcount(pc.bit_wise_xor(vals.take(alive), vals.take(far))), HAMMING_THRESHOLD
            )
            _add_pairs(
                found, order.take(pc.filter(alive, close)), order.take(pc.filter(far, close))
            )
            d += 1
    return sorted(found)


def _star(
    found: set[tuple[int, int]], keys: pa.Array, vals: pa.Array, order: pa.Array, in_huge: pa.Array
) -> None:
    """Link each member of a huge bucket to the bucket's smallest fingerprint, if near."""
    first: dict[int, int] = {}
    for pos in pc.indices_nonzero(in_huge).to_pylist():
        key = keys[pos].as_py()
        if key not in first:
            first[key] = pos
            continue
        head = first[key]
        if (vals[pos].as_py() ^ vals[head].as_py()).bit_count() <= HAMMING_THRESHOLD:
            _add_pairs(found, order.take([head]), order.take([pos]))


def _add_pairs(found: set[tuple[int, int]], left: pa.Array, right: pa.Array) -> None:
    for a, b in zip(left.to_pylist(), right.to_pylist(), strict=True):
        found.add((a, b) if a < b else (b, a))


def adjacency(pairs: Sequence[tuple[int, int]]) -> dict[int, list[int]]:
    """Both directions of each pair, for the sweep's neighbour lookups."""
    out: dict[int, list[int]] = {}
    for a, b in pairs:
        out.setdefault(a, []).append(b)
        out.setdefault(b, []).append(a)
    return out


def survivors(
    hash_codes: Sequence[int], fingerprints: Sequence[int], near: Mapping[int, Sequence[int]]
) -> array[int]:
    """For items in (fetched_at, url) order, the position of each one's survivor, or -1.

    hash_codes[r]: its content hash as a small integer (-1: no body); fingerprints[r]: the
    position of its SimHash among the distinct fingerprints (-1: too short to match); near:
    distinct fingerprint -> the distinct fingerprints within the threshold. Items with the
    same fingerprint are within 0 bits of each other, so "the smallest root seen so far per
    fingerprint" is all the sweep keeps: one pass, no pairs of items."""
    n = len(hash_codes)
    dup = array("q", [-1]) * n
    first: dict[int, int] = {}
    min_root: dict[int, int] = {}
    for r in range(n):
        code, fp = hash_codes[r], fingerprints[r]
        d = -1
        if code >= 0:
            f = first.setdefault(code, r)
            if f != r:
                d = dup[f] if dup[f] >= 0 else f
        if d < 0 and fp >= 0:
            best = min_root.get(fp, -1)
            for other in near.get(fp, ()):
                m = min_root.get(other, -1)
                if m >= 0 and (best < 0 or m < best):
                    best = m
            d = best
        dup[r] = d
        if fp >= 0:
            root = d if d >= 0 else r
            if root < min_root.get(fp, n):
                min_root[fp] = root
    return dup

"""Content fingerprints: an exact hash and a 64-bit SimHash, so copies of one story are found.

Pure functions, no I/O. The store keeps `Simhash.value` as a signed 64-bit integer (SQLite's
INTEGER) and indexes it in bands (`band_keys`) so that finding the near-duplicates of a new
article touches a handful of rows whatever the size of the database.

Threshold and bands were picked by measurement (tests/test_dedup.py prints the figures):
see HAMMING_THRESHOLD and BAND_COUNT below.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from hashlib import blake2b

from scraper.article import content_hash, normalise_text

__all__ = [
    "BAND_BITS",
    "BAND_COUNT",
    "HAMMING_THRESHOLD",
    "MIN_WORDS",
    "SHINGLE_SIZE",
    "Simhash",
    "band_keys",
    "content_hash",
    "near_duplicate_eligible",
    "probe_keys",
    "shingles",
    "words",
]

# Words per shingle. 3 keeps word order (two stories written from the same facts share
# words, rarely three in a row) while one edited word only touches three shingles.
SHINGLE_SIZE = 3
# Bodies shorter than this are not near-duplicate matched: a few dozen shingles give a
# fingerprint too noisy to trust (a one-line news brief would match its neighbours).
MIN_WORDS = 50
# Two bodies are near-duplicates when their fingerprints differ in at most this many bits.
# Measured on synthetic pairs (tests/test_dedup.py): a re-framed copy of a story (new intro
# line, ads, an edited sentence, a paragraph cut) lands 0 to 19 bits away, mostly under 8;
# two different stories written from the same facts and quote land 16 bits or more apart.
# 7 keeps a margin of 9 bits against merging different stories, at the cost of missing the
# most heavily re-framed short copies. See the measured recall in the test's output.
HAMMING_THRESHOLD = 7
# The band index: the 64 bits are cut into 4 bands of 16. A fingerprint within 7 bits of
# another differs by at most 1 bit in some band (pigeonhole: 4 bands x 2 bits > 7), so a
# lookup probes, in each band, the band's value and its 16 one-bit neighbours: 68 index
# probes whatever the size of the DB. 16-bit bands keep a bucket below one stranger per
# 65,536 articles, so a lookup reads about 68 x N / 65,536 unrelated rows (1 at 1k, 100 at
# 100k): per-insert cost stays flat up to a few hundred thousand articles.
BAND_COUNT = 4
BAND_BITS = 16
PROBE_RADIUS = 1

_BITS = 64
_WORD = re.compile(r"\w+")
# _BIT_TABLES[i] maps a byte to 1 when its bit i is set, else 0 (for bytes.translate).
_BIT_TABLES: tuple[bytes, ...] = tuple(bytes((b >> i) & 1 for b in range(256)) for i in range(8))


def words(text: str) -> list[str]:
    """The normalised words of a text: what two copies of one story have in common."""
    return _WORD.findall(normalise_text(text))


def shingles(tokens: list[str], size: int = SHINGLE_SIZE) -> set[str]:
    """The distinct runs of `size` consecutive words (the whole text if it is shorter)."""
    if len(tokens) <= size:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


class Simhash:
    """A 64-bit Charikar fingerprint: similar texts get fingerprints a few bits apart."""

    __slots__ = ("value",)

    def __init__(self, value: int) -> None:
        self.value = value & ((1 << _BITS) - 1)

    @classmethod
    def from_text(cls, text: str, size: int = SHINGLE_SIZE) -> Simhash:
        """The fingerprint of a text's word shingles, each shingle weighing the same."""
        return cls.from_features(shingles(words(text), size))

    @classmethod
    def from_features(cls, features: Iterable[str]) -> Simhash:
        """Majority vote per bit over the 64-bit hashes of the features."""
        digests = b"".join(blake2b(f.encode("utf-8"), digest_size=8).digest() for f in features)
        count = len(digests) // 8
        value = 0
        # Column j holds byte j of every hash; counting set bits column by column keeps the
        # 64 x n loop inside bytes.translate/count (C) instead of Python.
        for j in range(8):
            column = digests[j::8]
            for i in range(8):
                if 2 * column.translate(_BIT_TABLES[i]).count(1) > count:
                    value |= 1 << (j * 8 + i)
        return cls(value)

    @classmethod
    def from_signed(cls, value: int) -> Simhash:
        """A fingerprint read back from SQLite's signed 64-bit INTEGER."""
        return cls(value)

    def to_signed(self) -> int:
        """The fingerprint as a signed 64-bit integer, the only 64-bit type SQLite stores."""
        return self.value - (1 << _BITS) if self.value >> (_BITS - 1) else self.value

    def hamming(self, other: Simhash) -> int:
        """How many bits differ: 0 for the same text, about 32 for unrelated texts."""
        return (self.value ^ other.value).bit_count()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Simhash) and other.value == self.value

    def __hash__(self) -> int:
        return hash(self.value)

    def __repr__(self) -> str:
        return f"Simhash({self.value:#018x})"


def band_keys(fingerprint: Simhash) -> list[tuple[int, int]]:
    """(band number, band value) pairs under which a fingerprint is indexed."""
    mask = (1 << BAND_BITS) - 1
    return [(b, (fingerprint.value >> (b * BAND_BITS)) & mask) for b in range(BAND_COUNT)]


def probe_keys(fingerprint: Simhash) -> list[tuple[int, list[int]]]:
    """Per band, the values to look up: every value within PROBE_RADIUS bit of the band's own.

    Any indexed fingerprint within HAMMING_THRESHOLD bits is under one of these keys."""
    flips = [0] + [1 << i for i in range(BAND_BITS)] if PROBE_RADIUS else [0]
    return [(band, [value ^ f for f in flips]) for band, value in band_keys(fingerprint)]


def near_duplicate_eligible(word_count: int) -> bool:
    """Long enough for a fingerprint to mean something (see MIN_WORDS)."""
    return word_count >= MIN_WORDS

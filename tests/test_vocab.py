"""Class/id words and the verdicts on them: the per-token caches and the bits must give what
reading the whole value's word set gives."""

from __future__ import annotations

import itertools
import re

from hypothesis import given
from hypothesis import strategies as st

from scraper.extract.classnames import (
    BOILERPLATE_PREFIX,
    MAYBE_BODY_WORDS,
    is_body_container,
    is_boilerplate,
    is_unlikely,
)
from scraper.extract.vocab import BODY_WORDS, BOILERPLATE_WORDS, CAPTION_WORDS, EMBED_WORDS, words


def _words_of_value(value: str) -> frozenset[str]:
    """words() as written before it cached by token: every token of the value read in turn."""
    out: set[str] = set()
    for token in value.split():
        parts = [
            p
            for p in re.split(r"[\s_\-]+", re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", token).lower())
            if p
        ]
        out.update(parts)
        out.update(re.sub(r"\d+", "", p) for p in parts)
        for a, b in itertools.pairwise(parts):
            out.add(f"{a}-{b}")
            out.add(a + b)
        out.add(token.lower())
    out.discard("")
    return frozenset(out)


def test_words_splits_camel_case_hyphens_and_pairs() -> None:
    assert words("rel-post relatedPosts") >= {
        "rel",
        "post",
        "related",
        "posts",
        "rel-post",
        "related-posts",
        "relpost",
        "relatedposts",
    }
    assert words("") == frozenset() and words("   ") == frozenset()


_TOKEN = st.text(alphabet="abAB1-_ éÉ", min_size=0, max_size=12)


@given(st.lists(_TOKEN, max_size=5).map(" ".join))
def test_words_of_a_value_is_the_union_of_its_tokens_words(value: str) -> None:
    assert words(value) == _words_of_value(value)


def _unlikely_by_sets(value: str) -> bool:
    """is_unlikely() as written with word sets, before it read tokens as bits."""
    w = words(value)
    if w & (BODY_WORDS | MAYBE_BODY_WORDS):
        return False
    return bool(w & CAPTION_WORDS) or (bool(w & BOILERPLATE_WORDS) and not w & EMBED_WORDS)


def _boilerplate_by_sets(value: str) -> bool:
    w = words(value)
    if w & BODY_WORDS:
        return False
    if w & CAPTION_WORDS:
        return True
    if w & EMBED_WORDS:
        return False
    return bool(w & BOILERPLATE_WORDS) or bool(BOILERPLATE_PREFIX.search(value.lower()))


# Tokens built from vocabulary words and their halves, glued and cased as CMSs do
# ("relatedPosts", "ad-slot2", "also-read" for "alsoread").
_VOCABULARY = BODY_WORDS | MAYBE_BODY_WORDS | CAPTION_WORDS | EMBED_WORDS | BOILERPLATE_WORDS
_PIECES = sorted(
    _VOCABULARY
    | {w[: len(w) // 2] for w in _VOCABULARY}
    | {w[len(w) // 2 :] for w in _VOCABULARY}
    | {w.capitalize() for w in _VOCABULARY}
)
_PIECE_TOKEN = st.lists(
    st.one_of(st.sampled_from(_PIECES), st.sampled_from(["x", "Top", "2", "_", "-", "É"])),
    min_size=1,
    max_size=4,
).map("".join)


@given(st.lists(st.one_of(_PIECE_TOKEN, _TOKEN), max_size=4).map(" ".join))
def test_verdicts_read_from_bits_match_the_word_sets(value: str) -> None:
    assert is_unlikely(value) == _unlikely_by_sets(value)
    assert is_boilerplate(value) == _boilerplate_by_sets(value)
    assert is_body_container(value) == bool(words(value) & BODY_WORDS)


def test_verdicts_on_typical_names() -> None:
    assert is_unlikely("related-posts") and is_unlikely("shareBar")
    assert not is_unlikely("article-body share") and not is_unlikely("main-column has-sidebar")
    assert is_boilerplate("jp-relatedposts") and not is_boilerplate("entry-content")
    assert is_unlikely("also-read") and is_unlikely("addThis")  # only the glued pair says so
    assert is_unlikely("blockquotePull") and is_body_container("paywallBody")  # the hyphened pair
    assert is_body_container("articleBody") and not is_body_container("sidebar")

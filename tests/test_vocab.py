"""Class/id words: the per-token cache must give what reading the whole value at once gives."""

from __future__ import annotations

import itertools
import re

from hypothesis import given
from hypothesis import strategies as st

from scraper.extract.vocab import words


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

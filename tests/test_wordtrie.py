"""word_trie: the same matches as a flat alternation of the words, longest first."""

from __future__ import annotations

import random
import re

from scraper.extract.wordtrie import word_trie

WORDS = ["date", "dated", "datum", "time", "timestamp", "posted", "post", "am", "a"]


def test_matches_what_the_flat_alternation_matches_longest_first() -> None:
    trie = re.compile(word_trie(WORDS))
    flat = re.compile("|".join(re.escape(w) for w in sorted(WORDS, key=len, reverse=True)))
    rng = random.Random(7)
    letters = "adetimnopsu "
    for _ in range(2000):
        text = "".join(rng.choice(letters) for _ in range(rng.randint(0, 30)))
        got = [m.group(0) for m in trie.finditer(text)]
        assert got == [m.group(0) for m in flat.finditer(text)], text


def test_a_space_in_a_word_matches_any_whitespace() -> None:
    assert re.fullmatch(word_trie(["posted on"]), "posted \n\ton")
    assert not re.fullmatch(word_trie(["posted on"]), "postedon")


def test_no_words_match_nothing_but_the_empty_string() -> None:
    assert word_trie([]) == ""

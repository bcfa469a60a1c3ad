"""A regex matching any of many words, built letter by letter.

Python's engine tries each branch of a flat alternation ("date|time|datum|...") wherever a
match may start; branching on one letter at a time, it tries at most one branch per letter.
The byline's, date's and label readers match lists of a hundred words against every class
name and line, so the shape matters."""

from __future__ import annotations

import re


def word_trie(words: list[str]) -> str:
    """A regex (no groups) matching any of words, the longest first; a space in a word matches
    any run of whitespace."""
    branches: dict[str, list[str]] = {}
    ends = False
    for word in words:
        if word:
            branches.setdefault(word[0], []).append(word[1:])
        else:
            ends = True
    alts = [
        (r"\s+" if c == " " else re.escape(c)) + word_trie(rest)
        for c, rest in sorted(branches.items())
    ]
    if not alts:
        return ""
    return "(?:" + "|".join(alts) + (")?" if ends else ")")

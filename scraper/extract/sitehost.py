"""Whether a title segment is the site's name spelled out where the host abbreviates it.

A host name often shortens the name the title gives: initials for some words and whole words
for others ("nytimes" for "The New York Times", "nbcdfw" for "NBC 5 Dallas-Fort Worth"), or the
name with a word for news around it ("sputniknews" for "Sputnik International", "mysanantonio"
for "San Antonio Express-News"). Reading the host as the start of each of the segment's words in
turn finds these without a list of sites."""

from __future__ import annotations

from functools import cache

# fmt: off
# Words a host adds around the site's name that the name itself leaves out.
_HOST_PREFIXES: tuple[str, ...] = ("my", "the", "e")
_HOST_SUFFIXES: tuple[str, ...] = (
    "news", "online", "daily", "tv", "mag", "magazine", "web", "digital", "today", "24",
)
# A site's name has at most this many words ("NBC 5 Dallas Fort Worth"); a headline, more.
_MAX_NAME_WORDS = 6
# Host labels shorter than this spell too little to tell a name from a headline's words.
_MIN_LABEL = 5
# fmt: on


def _spelled(label: str, words: tuple[str, ...]) -> tuple[int, int] | None:
    """(words used, words skipped) of the way of spelling label from the starts of words, in
    order, that skips fewest words; None when there is none."""

    @cache
    def best(i: int, j: int) -> tuple[int, int] | None:
        if i == len(label):
            return 0, len(words) - j
        if j == len(words):
            return None
        found: list[tuple[int, int]] = []
        if skip := best(i, j + 1):
            found.append((skip[0], skip[1] + 1))
        word = words[j]
        k = 0
        while k < len(word) and i + k < len(label) and word[k] == label[i + k]:
            k += 1
            if rest := best(i + k, j + 1):
                found.append((rest[0] + 1, rest[1]))
        return min(found, key=lambda f: (f[1], -f[0])) if found else None

    return best(0, 0)


def _cores(label: str) -> list[str]:
    """The label, and the label without a word a host adds around a name ("sputnik" in
    "sputniknews")."""
    cores = [label]
    for prefix in _HOST_PREFIXES:
        if label.startswith(prefix) and len(label) - len(prefix) >= _MIN_LABEL:
            cores.append(label[len(prefix) :])
    for suffix in _HOST_SUFFIXES:
        for core in list(cores):
            if core.endswith(suffix) and len(core) - len(suffix) >= _MIN_LABEL - 1:
                cores.append(core[: -len(suffix)])
    return cores


def host_spells(words: tuple[str, ...], labels: set[str]) -> bool:
    """True when a host label spells a segment (its words folded as the labels are) from the
    starts of its words: two words or more used, or one whole word, and no more words skipped
    than used (the site's name, not a headline that happens to start with the same letters)."""
    if not words or len(words) > _MAX_NAME_WORDS:
        return False
    for label in labels:
        if len(label) < _MIN_LABEL or not label.isalnum():
            continue
        for core in _cores(label):
            found = _spelled(core, words)
            if found and (found[0] >= 2 or core in words) and found[1] <= found[0]:
                return True
    return False

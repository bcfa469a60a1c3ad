"""Duplicates decided in capture order, whatever order the pages were saved in.

A crawl saves pages as it fetches them, so the store's rule (writes.find_duplicate: the
first copy by id is the original) names the earliest copy. A batch import saves captures in
file order, which is not time order. So after an import the duplicates of the affected
stories are decided again, replaying the same rule over the order the Dask dedup uses
(scraper/batch/dedup.py), so `warc --db` and `warc --out` + `load` agree:

- order: a story's earliest capture time, then its URL, canonical URL and content hash;
- a story whose content hash an earlier story has is a copy of that story's root;
- else, when its body is long enough to have a SimHash, it is a copy of the earliest root
  among the earlier stories within HAMMING_THRESHOLD bits;
- a root has duplicate_of NULL, every copy points at a root.

The rule only ever links stories joined by a shared hash or a near SimHash, so replaying it
over the group (connected component) of an affected story gives the same answer as
replaying it over the whole database, at the cost of one index probe per group member.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from scraper.store.database import Store
from scraper.store.dedup import HAMMING_THRESHOLD, Simhash, probe_keys


@dataclass(frozen=True)
class _Story:
    """What the rule needs of one article."""

    id: int
    order: tuple[str, str, str, str]  # earliest capture, url, canonical url, content hash
    content_hash: str | None
    simhash: int | None  # unsigned


def resolve_duplicates(store: Store, article_ids: Iterable[int]) -> int:
    """Decide duplicate_of again for the groups of these articles; returns rows changed."""
    pending = set(article_ids)
    changed = 0
    while pending:
        start = pending.pop()
        with store._transaction() as conn:  # one group, one transaction: a kill loses none
            group = _group(conn, start)
            pending -= group.keys()
            for article_id, duplicate_of in replay(list(group.values())).items():
                cursor = conn.execute(
                    "UPDATE articles SET duplicate_of = ? WHERE id = ? AND duplicate_of IS NOT ?",
                    (duplicate_of, article_id, duplicate_of),
                )
                changed += cursor.rowcount
    return changed


def replay(stories: list[_Story]) -> dict[int, int | None]:
    """The store's rule over stories in capture order: id -> the id of its root, or None."""
    ordered = sorted(stories, key=lambda s: s.order)
    rank = {s.id: i for i, s in enumerate(ordered)}
    first_by_hash: dict[str, int] = {}
    root_of: dict[int, int] = {}
    min_root: dict[int, int] = {}  # fingerprint -> earliest root among stories with it
    out: dict[int, int | None] = {}
    for story in ordered:
        found: int | None = None
        if story.content_hash is not None:
            first = first_by_hash.setdefault(story.content_hash, story.id)
            if first != story.id:
                found = root_of[first]
        if found is None and story.simhash is not None:
            near = [
                root
                for value, root in min_root.items()
                if (value ^ story.simhash).bit_count() <= HAMMING_THRESHOLD
            ]
            found = min(near, key=rank.__getitem__) if near else None
        root = story.id if found is None else found
        root_of[story.id] = root
        out[story.id] = found
        if story.simhash is not None:
            best = min_root.get(story.simhash)
            if best is None or rank[root] < rank[best]:
                min_root[story.simhash] = root
    return out


def _group(conn: sqlite3.Connection, start: int) -> dict[int, _Story]:
    """Every article joined to start by a shared content hash or a near SimHash."""
    group: dict[int, _Story] = {}
    todo = [start]
    hashes_done: set[str] = set()
    fingerprints_done: set[int] = set()
    while todo:
        article_id = todo.pop()
        if article_id in group:
            continue
        story = _story(conn, article_id)
        if story is None:
            continue
        group[article_id] = story
        if story.content_hash is not None and story.content_hash not in hashes_done:
            hashes_done.add(story.content_hash)
            rows = conn.execute(
                "SELECT id FROM articles WHERE content_hash = ?", (story.content_hash,)
            )
            todo.extend(r[0] for r in rows if r[0] not in group)
        if story.simhash is not None and story.simhash not in fingerprints_done:
            fingerprints_done.add(story.simhash)
            todo.extend(i for i in _near(conn, Simhash(story.simhash)) if i not in group)
    return group


def _near(conn: sqlite3.Connection, fingerprint: Simhash) -> set[int]:
    """Articles within HAMMING_THRESHOLD bits, through the band index (as find_duplicate)."""
    found: set[int] = set()
    for band, values in probe_keys(fingerprint):
        cursor = conn.execute(
            "SELECT simhash, article_id FROM simhash_bands"
            f" WHERE band = ? AND value IN ({', '.join('?' * len(values))})",
            (band, *values),
        )
        for signed, article_id in cursor:
            if fingerprint.hamming(Simhash.from_signed(signed)) <= HAMMING_THRESHOLD:
                found.add(article_id)
    return found


def _story(conn: sqlite3.Connection, article_id: int) -> _Story | None:
    """One article's place in the order and its fingerprints (None if it is gone)."""
    row = conn.execute(
        "SELECT a.first_seen, a.url, a.canonical_url, a.content_hash, a.simhash,"
        " (SELECT min(f.fetched_at) FROM fetches f WHERE f.article_id = a.id)"
        " FROM articles a WHERE a.id = ?",
        (article_id,),
    ).fetchone()
    if row is None:
        return None
    first_seen, url, key, content_hash, signed, earliest_fetch = row
    captured = min(t for t in (first_seen, earliest_fetch) if t)
    simhash = Simhash.from_signed(signed).value if signed is not None else None
    order = (captured, url or "", key or "", content_hash or "")
    return _Story(article_id, order, content_hash, simhash)


def imported_capture(store: Store, url: str, fetched_at: str) -> tuple[bool, int | None]:
    """(this URL's capture at this time was saved before, the article it gave): a WARC
    record imported again is recognised before it is read, so nothing is stored twice."""
    row = store.conn.execute(
        "SELECT article_id FROM fetches WHERE url = ? AND fetched_at = ?"
        " ORDER BY article_id IS NULL LIMIT 1",
        (url, fetched_at),
    ).fetchone()
    return (row is not None, row[0] if row else None)

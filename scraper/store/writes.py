"""The SQL of one page's writes, run inside the store's transaction (never on their own)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Literal

from scraper.store.dedup import HAMMING_THRESHOLD, Simhash, band_keys, probe_keys
from scraper.store.rows import FetchLike, Prepared, host

Status = Literal["new", "updated", "unchanged", "duplicate", "not_article"]


def insert_fetch(
    conn: sqlite3.Connection, fetch: FetchLike, outcome: str, *, article_id: int | None = None
) -> int:
    """The fetches row of one HTTP exchange."""
    cursor = conn.execute(
        "INSERT INTO fetches (url, final_url, site, status, outcome, content_type, etag,"
        " last_modified, bytes, elapsed, attempts, redirects, fetched_at, article_id)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            fetch.url,
            fetch.final_url,
            host(fetch.final_url or fetch.url),
            fetch.status,
            outcome,
            fetch.content_type,
            fetch.etag,
            fetch.last_modified,
            len(fetch.content),
            fetch.elapsed,
            fetch.attempts,
            json.dumps(list(fetch.redirects)),
            fetch.fetched_at,
            article_id,
        ),
    )
    return int(cursor.lastrowid or 0)


def find_alias(conn: sqlite3.Connection, keys: Sequence[str]) -> int | None:
    """The story known under the first of keys that is known."""
    for key in keys:
        row = conn.execute("SELECT article_id FROM url_aliases WHERE url = ?", (key,)).fetchone()
        if row:
            return int(row[0])
    return None


def find_duplicate(conn: sqlite3.Connection, p: Prepared) -> int | None:
    """The first copy of this body: same content hash, else the earliest story that a
    near-duplicate within HAMMING_THRESHOLD belongs to (all of them are the same story)."""
    if p.row["content_hash"]:
        row = conn.execute(
            "SELECT coalesce(duplicate_of, id) FROM articles WHERE content_hash = ?"
            " ORDER BY id LIMIT 1",
            (p.row["content_hash"],),
        ).fetchone()
        if row:
            return int(row[0])
    if p.simhash is None:
        return None
    first: int | None = None
    for band, values in probe_keys(p.simhash):
        cursor = conn.execute(
            "SELECT simhash, article_id FROM simhash_bands"
            f" WHERE band = ? AND value IN ({', '.join('?' * len(values))})",
            (band, *values),
        )
        for signed, article_id in cursor.fetchall():
            if p.simhash.hamming(Simhash.from_signed(signed)) <= HAMMING_THRESHOLD:
                root = conn.execute(
                    "SELECT coalesce(duplicate_of, id) FROM articles WHERE id = ?", (article_id,)
                ).fetchone()[0]
                first = root if first is None else min(first, root)
    return first


# Where this copy of a story was found, not what it says: another copy (AMP, a tracking
# variant, a redirect) with the same content leaves the story unchanged.
_COPY_FIELDS = frozenset({"source", "url"})


def update_article(
    conn: sqlite3.Connection, article_id: int, p: Prepared, fetch_id: int, fetched_at: str
) -> Status:
    """A known story fetched again: its fields brought up to date (a new modified date, an
    added author), and a new revision when its headline or body changed."""
    add_aliases(conn, article_id, p)
    cursor = conn.execute(f"SELECT {', '.join(p.row)} FROM articles WHERE id = ?", (article_id,))
    old = dict(zip(p.row, cursor.fetchone(), strict=True))
    if all(old[k] == v for k, v in p.row.items() if k not in _COPY_FIELDS):
        conn.execute(
            "UPDATE articles SET last_seen = max(last_seen, ?) WHERE id = ?",
            (fetched_at, article_id),
        )
        return "unchanged"
    assignments = ", ".join(f"{k} = ?" for k in p.row)
    conn.execute(
        f"UPDATE articles SET {assignments}, last_seen = max(last_seen, ?), fetched_at = ?,"
        " fetch_id = ? WHERE id = ?",
        (*p.row.values(), fetched_at, fetched_at, fetch_id, article_id),
    )
    write_derived(conn, article_id, p)
    if (old["headline"], old["content_hash"]) != (p.row["headline"], p.row["content_hash"]):
        add_revision(conn, article_id, p, fetch_id, fetched_at)
    return "updated"


def replace_in_place(conn: sqlite3.Connection, article_id: int, p: Prepared) -> Status:
    """Re-extraction: new field values for a story and its latest revision, no new version."""
    cursor = conn.execute(f"SELECT {', '.join(p.row)} FROM articles WHERE id = ?", (article_id,))
    if tuple(cursor.fetchone()) == tuple(p.row.values()):
        return "unchanged"
    assignments = ", ".join(f"{k} = ?" for k in p.row)
    conn.execute(f"UPDATE articles SET {assignments} WHERE id = ?", (*p.row.values(), article_id))
    conn.execute(
        "UPDATE revisions SET headline = ?, body = ?, content_hash = ?"
        " WHERE id = (SELECT max(id) FROM revisions WHERE article_id = ?)",
        (p.row["headline"], p.row["body"], p.row["content_hash"], article_id),
    )
    write_derived(conn, article_id, p)
    return "updated"


def add_aliases(conn: sqlite3.Connection, article_id: int, p: Prepared) -> None:
    """Remember every URL the story was reached by (the first story to claim a URL keeps it)."""
    conn.executemany(
        "INSERT OR IGNORE INTO url_aliases (url, article_id) VALUES (?, ?)",
        [(url, article_id) for url in p.alias_keys],
    )


def write_derived(conn: sqlite3.Connection, article_id: int, p: Prepared) -> None:
    """A story's authors in order and its near-duplicate index rows, replaced whole."""
    conn.execute("DELETE FROM article_authors WHERE article_id = ?", (article_id,))
    for position, (name, role, bio, url) in enumerate(p.authors):
        author_id = conn.execute(
            "INSERT INTO authors (site, name, role, bio, url) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (site, name) DO UPDATE SET role = coalesce(excluded.role, role),"
            " bio = coalesce(excluded.bio, bio), url = coalesce(excluded.url, url)"
            " RETURNING id",
            (p.site or "", name, role, bio, url),
        ).fetchone()[0]
        conn.execute(
            "INSERT INTO article_authors (article_id, author_id, position) VALUES (?, ?, ?)",
            (article_id, author_id, position),
        )
    conn.execute("DELETE FROM simhash_bands WHERE article_id = ?", (article_id,))
    if p.simhash is not None:
        signed = p.simhash.to_signed()
        conn.executemany(
            "INSERT INTO simhash_bands (band, value, article_id, simhash) VALUES (?, ?, ?, ?)",
            [(band, value, article_id, signed) for band, value in band_keys(p.simhash)],
        )


def add_revision(
    conn: sqlite3.Connection, article_id: int, p: Prepared, fetch_id: int, fetched_at: str
) -> None:
    """Keep this version of the story's headline and body."""
    conn.execute(
        "INSERT INTO revisions (article_id, fetch_id, fetched_at, headline, body, content_hash)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (article_id, fetch_id, fetched_at, p.row["headline"], p.row["body"], p.row["content_hash"]),
    )

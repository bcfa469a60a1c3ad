"""The store under abuse: kill -9 mid-write, two writers at once, read-only file, full disk."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scraper.errors import StoreError
from scraper.store import Store

ROOT = Path(__file__).resolve().parent.parent
# A child process saving pages as fast as it can; prints "ready", waits for the go file,
# then prints each page's status once save() has returned (so after its commit).
WRITER = """
import sys, time, os
sys.path[:0] = [{root!r}, {tests!r}]
from conftest import make_article, make_fetch, story_paragraphs
from scraper.store import Store

db, first, count, order, variant, go = sys.argv[1:7]
ids = list(range(int(first), int(first) + int(count)))
if order == "reverse":
    ids.reverse()
store = Store(db)
print("ready", flush=True)
while go != "-" and not os.path.exists(go):
    time.sleep(0.005)
for i in ids:
    url = f"https://site{{i % 3}}.example.com/story/{{i}}"
    article = make_article(
        url,
        headline=f"Story {{i}} {{variant}}",
        authors=(f"Author {{i % 7}}", "Co Author"),
        paragraphs=story_paragraphs(i, paragraphs=6, words=40),
    )
    when = f"2024-05-01T10:{{i % 60:02d}}:00+00:00"
    fetch = make_fetch(url, content=os.urandom(4000), fetched_at=when)
    print(store.save(article, fetch).status, flush=True)
""".format(root=str(ROOT), tests=str(ROOT / "tests"))


def start_writer(
    db: Path, first: int, count: int, *, order: str = "forward", variant: str = "a", go: str = "-"
) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db), str(first), str(count), order, variant, go],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "ready", (
        process.stderr.read() if process.stderr else ""
    )
    return process


def assert_no_half_page(db: Path) -> None:
    """integrity_check ok, and every stored story has all the parts its page writes."""
    conn = sqlite3.connect(db)
    try:

        def one(sql: str) -> object:
            return conn.execute(sql).fetchone()[0]

        assert one("PRAGMA integrity_check") == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        conn.execute("INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')")
        # every story: a revision, its fetch (pointing back) with a raw response, its aliases,
        # its authors linked, its four band rows
        assert (
            one(
                "SELECT count(*) FROM articles a WHERE NOT EXISTS"
                " (SELECT 1 FROM revisions r WHERE r.article_id = a.id)"
            )
            == 0
        )
        assert (
            one(
                "SELECT count(*) FROM articles a LEFT JOIN fetches f ON f.id = a.fetch_id"
                " LEFT JOIN raw_responses r ON r.fetch_id = f.id"
                " WHERE r.fetch_id IS NULL OR f.article_id IS NOT a.id"
            )
            == 0
        )
        assert (
            one(
                "SELECT count(*) FROM articles a WHERE NOT EXISTS"
                " (SELECT 1 FROM url_aliases u WHERE u.url = a.canonical_url)"
            )
            == 0
        )
        assert (
            one(
                "SELECT count(*) FROM articles a WHERE json_array_length(a.authors) !="
                " (SELECT count(*) FROM article_authors x WHERE x.article_id = a.id)"
            )
            == 0
        )
        assert (
            one(
                "SELECT count(*) FROM articles a WHERE iif(a.simhash IS NULL, 0, 4) !="
                " (SELECT count(*) FROM simhash_bands b WHERE b.article_id = a.id)"
            )
            == 0
        )
        # every fetch of a page: its raw response, and the story it produced
        assert (
            one(
                "SELECT count(*) FROM fetches f WHERE f.outcome != 'error' AND NOT EXISTS"
                " (SELECT 1 FROM raw_responses r WHERE r.fetch_id = f.id)"
            )
            == 0
        )
        assert one("SELECT count(*) FROM fetches WHERE article_id IS NULL") == 0
        # every revision after the first one is an update that the articles row shows
        assert (
            one(
                "SELECT count(*) FROM articles a WHERE a.headline !="
                " (SELECT headline FROM revisions r WHERE r.article_id = a.id"
                "  ORDER BY r.id DESC LIMIT 1)"
            )
            == 0
        )
    finally:
        conn.close()


def test_kill_9_in_the_middle_of_saves_leaves_no_half_page(
    tmp_path: Path, article_factory, fetch_factory, story
) -> None:
    db = tmp_path / "news.db"
    Store(db).close()
    rng = random.Random(7)
    printed = 0
    # new stories, then the same stories changed (updates + revisions), then new ones again
    for run, (first, variant) in enumerate([(0, "a"), (0, "b"), (400, "a")]):
        writer = start_writer(db, first, 400, variant=variant)
        assert writer.stdout is not None
        target = rng.randint(40, 120)
        for _ in range(target):
            assert writer.stdout.readline().strip() in ("new", "updated"), run
        time.sleep(rng.random() / 200)  # land anywhere, often inside a transaction
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait(timeout=30)
        assert writer.returncode == -signal.SIGKILL
        writer.stdout.close()
        writer.stderr.close()  # type: ignore[union-attr]
        printed += target
        assert_no_half_page(db)
    with Store(db) as store:
        fetches = store.conn.execute("SELECT count(*) FROM fetches").fetchone()[0]
        # each page reported as saved was committed; at most a few more were, never partly
        assert printed <= fetches <= printed + 3 * 50
        after = "https://after.example.com/1"  # and the file is still writable
        outcome = store.save(article_factory(after, paragraphs=story(9999)), fetch_factory(after))
        assert outcome.status == "new"


def test_two_writers_on_overlapping_urls_make_no_duplicates_and_no_errors(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    Store(db).close()
    go = tmp_path / "go"
    forward = start_writer(db, 0, 150, go=str(go))
    backward = start_writer(db, 50, 150, order="reverse", go=str(go))
    go.touch()  # both start at once: stories 50..149 are saved by both, in opposite orders
    results = [p.communicate(timeout=120) for p in (forward, backward)]
    assert [p.returncode for p in (forward, backward)] == [0, 0], [r[1][-2000:] for r in results]
    statuses = [s for out, _ in results for s in out.split()]
    assert len(statuses) == 300
    assert statuses.count("new") == 200 and statuses.count("unchanged") == 100
    with Store(db) as store:

        def one(sql: str) -> object:
            return store.conn.execute(sql).fetchone()[0]

        assert one("SELECT count(*) FROM articles") == 200
        assert one("SELECT count(DISTINCT canonical_url) FROM articles") == 200
        assert one("SELECT count(*) FROM revisions") == 200
        assert one("SELECT count(*) FROM fetches") == 300
        assert one("SELECT count(*) FROM authors") == 3 * 8  # 7 + "Co Author" on each of 3 sites
    assert_no_half_page(db)


def _counts(conn: sqlite3.Connection) -> dict[str, int]:
    tables = (
        "articles",
        "fetches",
        "raw_responses",
        "revisions",
        "authors",
        "article_authors",
        "url_aliases",
        "simhash_bands",
    )
    return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


@pytest.fixture
def saved_db(tmp_path: Path, article_factory, fetch_factory) -> Path:  # type: ignore[no-untyped-def]
    """A file with one story in it, closed."""
    db = tmp_path / "news.db"
    with Store(db) as store:
        store.save(article_factory(), fetch_factory())
    return db


def test_a_read_only_database_raises_store_error_and_still_reads(
    saved_db: Path, article_factory, fetch_factory
) -> None:
    from sqlite_utils import Database

    conn = sqlite3.connect(f"file:{saved_db}?mode=ro", uri=True)
    with Store(Database(conn)) as store:
        before = _counts(store.conn)
        other = "https://news.example.com/other"
        with pytest.raises(StoreError, match="read-only"):
            store.save(article_factory(other), fetch_factory(other))
        assert _counts(store.conn) == before
        assert len(list(store.export())) == 1  # reading still works


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through file permissions")
def test_a_read_only_file_raises_store_error(
    saved_db: Path, article_factory, fetch_factory
) -> None:
    saved_db.chmod(0o444)
    with pytest.raises(StoreError, match="read-only"), Store(saved_db) as store:
        store.save(
            article_factory("https://x.example.com/1"), fetch_factory("https://x.example.com/1")
        )


def test_disk_full_raises_store_error_and_writes_nothing_of_the_page(
    saved_db: Path, article_factory, fetch_factory, story
) -> None:
    with Store(saved_db) as store:
        before = _counts(store.conn)
        pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
        store.conn.execute(f"PRAGMA max_page_count = {pages + 2}")
        big = "https://news.example.com/big"
        article = article_factory(big, paragraphs=story(5, paragraphs=200, words=60))
        with pytest.raises(StoreError, match="full"):
            store.save(article, fetch_factory(big, content=os.urandom(200_000)))
        assert _counts(store.conn) == before
        store.conn.execute("PRAGMA max_page_count = 1073741823")
        assert store.save(article, fetch_factory(big)).status == "new"  # space back: it works
    assert_no_half_page(saved_db)


def test_a_lock_held_too_long_raises_store_error(
    saved_db: Path, article_factory, fetch_factory
) -> None:
    holder = sqlite3.connect(saved_db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with Store(saved_db, busy_timeout=0.2) as store:
            started = time.monotonic()
            with pytest.raises(StoreError, match="locked"):
                store.save(
                    article_factory("https://x.example.com/2"),
                    fetch_factory("https://x.example.com/2"),
                )
            assert time.monotonic() - started >= 0.2
            assert not store.conn.in_transaction
    finally:
        holder.execute("ROLLBACK")
        holder.close()

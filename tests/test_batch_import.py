"""`warc --db`: WARC files into the store, like a crawl; the earliest copy is the original."""

from __future__ import annotations

import itertools
import sqlite3
from pathlib import Path

import pytest

from scraper.batch import Filters, import_warcs
from scraper.store import Store, resolve_duplicates
from scraper.store.resolve import _Story, replay
from tests.conftest import make_article, make_fetch, story_paragraphs
from tests.warcs import (
    Capture,
    demo_captures,
    exact_copy,
    junk,
    near_copy,
    page_html,
    warc_date,
    write_warc,
)


def duplicates(db: Path | Store) -> dict[str, str | None]:
    """url -> the URL of the story it copies (None for originals), from the export."""
    store = db if isinstance(db, Store) else Store(db)
    try:
        return {r["url"]: r["duplicate_of"] for r in store.export(include_duplicates=True)}
    finally:
        if store is not db:
            store.close()


def table_counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        tables = ("articles", "fetches", "raw_responses", "revisions", "url_aliases")
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
    finally:
        conn.close()


@pytest.fixture
def copies() -> list[Capture]:
    """Demo articles plus an exact copy captured BEFORE its original (in a later file) and a
    near copy captured after its original."""
    demo = demo_captures()
    return [
        *demo[:10],
        *junk(),
        exact_copy(demo[12], "https://mirror.test/early-copy", minutes=-60),
        *demo[10:20],
        near_copy(demo[3], "https://mirror.test/near-copy", minutes=200),
    ]


def test_an_import_stores_pages_like_a_crawl(tmp_path: Path, copies: list[Capture]) -> None:
    warc = write_warc(tmp_path / "a.warc.gz", copies)
    with Store(tmp_path / "news.db") as store:
        summary = import_warcs([str(warc)], store)
        records = {r["url"]: r for r in store.export(include_duplicates=True)}
        raw = store.conn.execute("SELECT count(*) FROM raw_responses").fetchone()[0]
    assert summary.exit_code == 0 and summary.files == 1 and not summary.failed
    assert summary.pages["new"] + summary.pages["duplicate"] == 22 == len(records)
    assert raw == 22  # the raw archive holds every page, so `reextract` works offline
    assert summary.records["request"] == summary.records["revisit"] == 1
    assert summary.records["not_2xx"] == 2 and summary.records["broken"] == 1
    demo = demo_captures()
    original = records[demo[0].url]
    assert original["fetched_at"] == "2024-05-20T08:00:00+00:00"
    assert original["headline"] and original["body"]
    assert "22 new" not in summary.line() and "records:" in summary.line()


def test_the_earliest_capture_is_the_original_whatever_the_file_order(
    tmp_path: Path, copies: list[Capture]
) -> None:
    demo = demo_captures()
    first = write_warc(tmp_path / "1.warc.gz", copies[:12])
    second = write_warc(tmp_path / "2.warc.gz", copies[12:])
    results = []
    for n, order in enumerate(itertools.permutations([first, second])):
        with Store(tmp_path / f"n{n}.db") as store:
            import_warcs([str(p) for p in order], store)
            results.append(duplicates(store))
    assert results[0] == results[1]
    dups = results[0]
    # The copy on the mirror was captured an hour before the original: it is the original.
    assert dups["https://mirror.test/early-copy"] is None
    assert dups[demo[12].url] is not None and "courier.test" not in dups[demo[12].url]
    assert dups["https://mirror.test/near-copy"] == demo[3].url
    assert sum(v is not None for v in dups.values()) == 2


def test_importing_again_stores_nothing_twice(tmp_path: Path, copies: list[Capture]) -> None:
    warc = write_warc(tmp_path / "a.warc.gz", copies)
    db = tmp_path / "news.db"
    with Store(db) as store:
        import_warcs([str(warc)], store)
    before = table_counts(db)
    with Store(db) as store:
        again = import_warcs([str(warc)], store)
    assert table_counts(db) == before
    assert again.pages["imported"] == 22 and again.pages["new"] == 0


def test_a_rerun_repairs_duplicates_a_killed_run_left_undecided(
    tmp_path: Path, copies: list[Capture]
) -> None:
    warc = write_warc(tmp_path / "a.warc.gz", copies)
    db = tmp_path / "news.db"
    with Store(db) as store:
        import_warcs([str(warc)], store)
        right = duplicates(store)
        # As if killed before the capture-order pass: the insertion-order answer is left.
        store.conn.execute("UPDATE articles SET duplicate_of = NULL")
        assert duplicates(store) != right
        again = import_warcs([str(warc)], store)
        assert again.resolved >= 2
        assert duplicates(store) == right


def test_a_bad_file_costs_only_itself(tmp_path: Path) -> None:
    demo = demo_captures()
    good = write_warc(tmp_path / "good.warc.gz", demo[:3])
    whole = write_warc(tmp_path / "whole.warc", demo[3:6], compress="none").read_bytes()
    cut = tmp_path / "cut.warc"
    cut.write_bytes(whole[: len(whole) - 200])
    empty = tmp_path / "empty.warc.gz"
    empty.write_bytes(b"")
    messages: list[str] = []
    with Store.memory() as store:
        summary = import_warcs(
            [str(empty), str(cut), str(tmp_path / "missing.warc"), str(good)],
            store,
            on_error=messages.append,
        )
        stored = {r["url"] for r in store.export()}
    assert summary.exit_code == 1 and len(summary.failed) == 3
    assert stored == {c.url for c in demo[:5]}  # the cut file's first two pages are kept
    assert any("empty file" in m for m in messages)
    assert any("cut short" in m for m in messages)
    assert any("cannot open" in m for m in messages)
    assert "3 failed" in summary.line() and "(exit 1)" in summary.line()


def test_pages_read_in_processes_give_the_same_store(tmp_path: Path, copies: list[Capture]) -> None:
    warc = write_warc(tmp_path / "a.warc.gz", copies)
    results = []
    for processes in (0, 1):
        with Store(tmp_path / f"p{processes}.db") as store:
            summary = import_warcs([str(warc)], store, processes=processes)
            records = list(store.export(include_duplicates=True))
        results.append([(r["url"], r["content_hash"], r["duplicate_of"]) for r in records])
        assert summary.pages["new"] == 20
    assert results[0] == results[1]


def test_filters_apply_to_the_import(tmp_path: Path) -> None:
    captures = [
        Capture("https://keep.test/en", page_html("English", ["An English story."])),
        Capture(
            "https://keep.test/de",
            page_html("Deutsch", ["Eine Geschichte auf Deutsch."], lang="de"),
            date=warc_date(1),
        ),
        Capture("https://drop.test/en", page_html("Elsewhere", ["x"]), date=warc_date(2)),
    ]
    warc = write_warc(tmp_path / "f.warc.gz", captures)
    with Store.memory() as store:
        summary = import_warcs(
            [str(warc)], store, filters=Filters.of(domains=["keep.test"], languages=["en"])
        )
        urls = [r["url"] for r in store.export()]
    assert urls == ["https://keep.test/en"]
    assert summary.records["filtered"] == 1 and summary.pages["filtered"] == 1


# -- the capture-order rule ---------------------------------------------------------------------


def story(id: int, at: str, content_hash: str | None = None, simhash: int | None = None) -> _Story:
    return _Story(id, (at, f"https://x.test/{id}", "", content_hash or ""), content_hash, simhash)


def test_replay_follows_the_store_rule_not_clusters() -> None:
    a, c = 0, 0b1111111  # 7 bits apart: near
    b = 0b1111111 << 7 | 0b1111111  # 7 bits from c, 14 from a
    got = replay([story(3, "3", simhash=b), story(1, "1", simhash=a), story(2, "2", simhash=c)])
    # 1 is an original; 2 copies 1; 3 is near 2 only, and copies 2's root, 1.
    assert got == {1: None, 2: 1, 3: 1}
    got = replay([story(1, "1", simhash=a), story(2, "2", simhash=b), story(3, "3", simhash=c)])
    # 3 is near both 1 and 2, which are not near each other: both stay originals.
    assert got == {1: None, 2: None, 3: 1}


def test_replay_exact_before_near_and_roots_only() -> None:
    got = replay(
        [
            story(1, "1", "h1", 0),
            story(2, "2", "h2", 1),  # near 1
            story(3, "3", "h2", 1 << 40),  # same hash as 2: 2's root, 1
            story(4, "0", "h9", None),  # no fingerprint, earliest
            story(5, "5", "h9", None),
        ]
    )
    assert got == {1: None, 2: 1, 3: 1, 4: None, 5: 4}


def test_resolve_matches_saving_in_capture_order(store: Store) -> None:
    body = story_paragraphs(7, paragraphs=3, words=30)
    edited = (body[0] + " Updated with agency reporting.", *body[1:])
    pages = [  # (url, fetched_at, paragraphs)
        ("https://a.test/1", "2024-05-01T10:00:00+00:00", body),
        ("https://b.test/2", "2024-05-01T09:00:00+00:00", edited),
        ("https://c.test/3", "2024-05-01T11:00:00+00:00", body),
        ("https://d.test/4", "2024-05-01T08:00:00+00:00", story_paragraphs(8)),
    ]
    with Store.memory() as in_order:
        for url, at, paragraphs in sorted(pages, key=lambda p: p[1]):
            in_order.save(make_article(url, paragraphs=paragraphs), make_fetch(url, fetched_at=at))
        expected = duplicates(in_order)
    ids = []
    for url, at, paragraphs in pages:  # file order: not capture order
        ids.append(
            store.save(
                make_article(url, paragraphs=paragraphs), make_fetch(url, fetched_at=at)
            ).article_id
        )
    assert duplicates(store) != expected
    assert resolve_duplicates(store, [i for i in ids if i is not None]) >= 1
    assert duplicates(store) == expected
    assert expected["https://a.test/1"] == "https://b.test/2"

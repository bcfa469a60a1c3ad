"""The store: schema, one page's writes, URL and content dedup, revisions, reading back out."""

from __future__ import annotations

import csv
import gzip
import io
import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlite_utils import Database

from scraper.article import RECORD_KEYS, AuthorBio
from scraper.errors import HTTPStatus, StoreError, Unreachable
from scraper.extract import extract
from scraper.fetch import Fetcher
from scraper.pipeline import process
from scraper.store import SCHEMA_PATH, Store, export
from tests import web as test_web
from tests.conftest import story_paragraphs
from tests.web import article_html

URL = "https://news.example.com/2024/05/01/story"
make_web = test_web.make_web  # the fixture


def count(store: Store, table: str, where: str = "1", *params: object) -> int:
    return store.conn.execute(f"SELECT count(*) FROM {table} WHERE {where}", params).fetchone()[0]


# -- schema ----------------------------------------------------------------------------------


def test_schema_is_applied_once_with_a_version_and_production_pragmas(tmp_path: Path) -> None:
    path = tmp_path / "news.db"
    with Store(path) as first:
        tables = set(first.db.table_names())
        assert {
            "articles",
            "authors",
            "article_authors",
            "revisions",
            "fetches",
            "raw_responses",
            "url_aliases",
            "simhash_bands",
            "articles_fts",
        } <= tables
        assert first.conn.execute("PRAGMA user_version").fetchone()[0] == 3
        assert first.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert first.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert first.conn.execute("PRAGMA busy_timeout").fetchone()[0] == 30000
    with Store(path) as again:  # reopening is a no-op, data untouched
        assert again.conn.execute("PRAGMA user_version").fetchone()[0] == 3


def test_a_database_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "news.db"
    Store(path).close()
    Database(path).execute("PRAGMA user_version = 99")
    with pytest.raises(StoreError, match="newer"):
        Store(path)


def test_an_unopenable_path_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError):
        Store(tmp_path / "missing-dir" / "news.db")


# -- one page --------------------------------------------------------------------------------


def test_save_writes_every_part_of_a_page(store: Store, article_factory, fetch_factory) -> None:
    bios = (AuthorBio("Jane Doe", role="Science editor", bio="Jane covers climate."),)
    article = article_factory(authors=("Jane Doe", "John Roe"), author_bios=bios, tags=("a", "b"))
    fetch = fetch_factory(URL + "?utm_source=x", final_url=URL, content=b"<p>hello</p>" * 50)
    outcome = store.save(article, fetch)
    assert (outcome.status, outcome.duplicate_of) == ("new", None)
    row = store.db["articles"].get(outcome.article_id)
    assert row["canonical_url"] == URL and row["site"] == "news.example.com"
    assert json.loads(row["tags"]) == ["a", "b"] and json.loads(row["authors"]) == [
        "Jane Doe",
        "John Roe",
    ]
    assert row["first_seen"] == row["last_seen"] == row["fetched_at"] == fetch.fetched_at
    assert row["content_hash"] == article.content_hash and row["simhash"] is not None
    fetch_row = store.db["fetches"].get(outcome.fetch_id)
    assert (fetch_row["outcome"], fetch_row["article_id"], fetch_row["bytes"]) == ("new", 1, 600)
    raw = store.db["raw_responses"].get(outcome.fetch_id)
    assert gzip.decompress(raw["body"]) == fetch.content and raw["size"] == 600
    assert json.loads(raw["headers"])["content-type"].startswith("text/html")
    authors = store.conn.execute(
        "SELECT au.name, au.role, au.bio FROM article_authors aa JOIN authors au"
        " ON au.id = aa.author_id WHERE aa.article_id = ? ORDER BY aa.position",
        (1,),
    ).fetchall()
    assert authors == [
        ("Jane Doe", "Science editor", "Jane covers climate."),
        ("John Roe", None, None),
    ]
    assert count(store, "revisions", "article_id = 1") == 1
    assert count(store, "simhash_bands", "article_id = 1") == 4
    aliases = {r[0] for r in store.conn.execute("SELECT url FROM url_aliases")}
    assert aliases == {URL}  # the requested URL normalises to the same once utm_ is dropped


def test_an_author_is_one_row_per_site_and_keeps_what_any_page_told(
    store: Store, article_factory, fetch_factory
) -> None:
    store.save(article_factory(URL), fetch_factory(URL))
    bio = (AuthorBio("Jane Doe", bio="Jane covers climate.", url="https://news.example.com/jane"),)
    other = URL.replace("story", "other")
    store.save(
        article_factory(other, paragraphs=("x " * 60,), author_bios=bio), fetch_factory(other)
    )
    assert count(store, "authors") == 1
    assert store.db["authors"].get(1)["bio"] == "Jane covers climate."
    assert count(store, "article_authors", "author_id = 1") == 2


def test_a_page_that_is_not_an_article_is_logged_and_archived_only(
    store: Store, article_factory, fetch_factory
) -> None:
    listing = article_factory("https://news.example.com/world", page_type="listing")
    outcome = store.save(listing, fetch_factory("https://news.example.com/world"))
    assert (outcome.status, outcome.article_id) == ("not_article", None)
    assert count(store, "articles") == 0
    assert count(store, "fetches", "outcome = 'not_article'") == 1
    assert count(store, "raw_responses") == 1


# -- dedup by URL ------------------------------------------------------------------------------


def test_amp_copy_and_tracking_variants_map_to_one_story(
    store: Store, article_factory, fetch_factory
) -> None:
    first = store.save(article_factory(URL), fetch_factory(URL))
    amp = URL + "/amp"
    again = store.save(article_factory(amp, canonical_url=URL), fetch_factory(amp))
    tracked = URL + "/?utm_campaign=x&fbclid=y#comments"
    third = store.save(article_factory(tracked, canonical_url=None), fetch_factory(tracked))
    assert first.article_id == again.article_id == third.article_id
    assert (again.status, third.status) == ("unchanged", "unchanged")
    assert count(store, "articles") == 1
    assert store.article_id(amp) == store.article_id(URL + "?amp=1") == first.article_id


def test_amp_page_without_canonical_is_guessed_from_its_url(
    store: Store, article_factory, fetch_factory
) -> None:
    amp = "https://news.example.com/amp/2024/05/01/story"
    first = store.save(article_factory(amp, canonical_url=None), fetch_factory(amp))
    assert store.db["articles"].get(first.article_id)["canonical_url"] == URL


def test_a_redirect_makes_the_requested_url_an_alias(
    store: Store, article_factory, fetch_factory
) -> None:
    short = "https://nws.example.com/abc"
    outcome = store.save(article_factory(URL), fetch_factory(short, final_url=URL))
    assert store.article_id(short) == outcome.article_id
    assert store.history(short)[0]["headline"] == "Council approves the new bridge"


def test_canonical_to_another_site_is_not_trusted_but_content_still_matches(
    store: Store, article_factory, fetch_factory
) -> None:
    original = store.save(article_factory(URL), fetch_factory(URL))
    copy_url = "https://syndicator.example.org/news/bridge"
    copy = store.save(article_factory(copy_url, canonical_url=URL), fetch_factory(copy_url))
    assert copy.article_id != original.article_id
    assert (copy.status, copy.duplicate_of) == ("duplicate", original.article_id)


def test_canonical_pointing_every_page_to_the_home_page_is_ignored(
    store: Store, article_factory, fetch_factory, story
) -> None:
    home = "https://news.example.com/"
    a = store.save(article_factory(URL, canonical_url=home), fetch_factory(URL))
    other = URL.replace("story", "another")
    b = store.save(
        article_factory(other, canonical_url=home, paragraphs=story(2)), fetch_factory(other)
    )
    assert (a.status, b.status) == ("new", "new") and a.article_id != b.article_id


# -- dedup by content ----------------------------------------------------------------------------


def test_same_body_under_another_url_is_a_duplicate_of_the_first_copy(
    store: Store, article_factory, fetch_factory
) -> None:
    first = store.save(article_factory(URL), fetch_factory(URL))
    for n in range(2):
        url = f"https://mirror{n}.example.net/copy"
        body = tuple(p.upper() + "  " for p in article_factory().paragraphs)  # case, spaces
        outcome = store.save(article_factory(url, paragraphs=body), fetch_factory(url))
        assert (outcome.status, outcome.duplicate_of) == ("duplicate", first.article_id)
    assert count(store, "articles") == 3  # kept, never dropped
    assert count(store, "articles", "duplicate_of = ?", first.article_id) == 2


# -- revisions -----------------------------------------------------------------------------------


def test_an_unchanged_refetch_only_moves_last_seen(
    store: Store, article_factory, fetch_factory
) -> None:
    store.save(article_factory(), fetch_factory())
    outcome = store.save(article_factory(), fetch_factory(fetched_at="2024-05-02T10:00:00+00:00"))
    row = store.db["articles"].get(outcome.article_id)
    assert outcome.status == "unchanged"
    assert (row["fetched_at"], row["last_seen"]) == (
        "2024-05-01T10:00:00+00:00",
        "2024-05-02T10:00:00+00:00",
    )
    assert len(store.history(URL)) == 1


def test_a_changed_story_gets_a_revision_and_a_readable_diff(
    store: Store, article_factory, fetch_factory
) -> None:
    base = article_factory()
    store.save(base, fetch_factory())
    edited = (
        *base.paragraphs[:2],
        "The minister resigned on Friday evening.",
        *base.paragraphs[3:],
    )
    changed = article_factory(headline="Minister resigns over bridge", paragraphs=edited)
    outcome = store.save(changed, fetch_factory(fetched_at="2024-05-03T10:00:00+00:00"))
    assert outcome.status == "updated"
    revisions = store.history(URL)
    assert [r["headline"] for r in revisions] == [
        "Council approves the new bridge",
        "Minister resigns over bridge",
    ]
    assert store.db["articles"].get(outcome.article_id)["fetched_at"] == "2024-05-03T10:00:00+00:00"
    diff = next(export.history_diffs(revisions))
    assert "-# Council approves the new bridge" in diff
    assert "+The minister resigned on Friday evening." in diff
    assert f" {base.paragraphs[0]}" in diff.splitlines()  # unchanged context stays unmarked
    assert store.search("resigned")[0]["headline"] == "Minister resigns over bridge"


# -- fetch log -------------------------------------------------------------------------------------


def test_validators_come_from_the_latest_good_fetch(
    store: Store, article_factory, fetch_factory
) -> None:
    assert store.validators(URL) is None
    store.save(article_factory(), fetch_factory(etag='"v1"', last_modified="Wed, 01 May 2024"))
    assert store.validators(URL) == ('"v1"', "Wed, 01 May 2024")
    not_modified = fetch_factory(status=304, fetched_at="2024-05-04T10:00:00+00:00")
    assert store.record_not_modified(not_modified) == 1  # a 304 without validators
    assert store.validators(URL) == ('"v1"', "Wed, 01 May 2024")
    assert store.db["articles"].get(1)["last_seen"] == "2024-05-04T10:00:00+00:00"
    store.record_fetch_error(URL, Unreachable("timed out", url=URL), "2024-05-05T10:00:00+00:00")
    assert store.validators(URL) == ('"v1"', "Wed, 01 May 2024")
    store.save(article_factory(), fetch_factory(fetched_at="2024-05-06T10:00:00+00:00"))
    assert store.validators(URL) is None  # the page stopped sending validators


def test_fetch_errors_are_logged_and_counted_per_site(store: Store) -> None:
    error = HTTPStatus("Not Found", url=URL, status=404)
    fetch_id = store.record_fetch_error(URL, error, "2024-05-01T10:00:00+00:00")
    row = store.db["fetches"].get(fetch_id)
    assert (row["status"], row["outcome"], row["error"]) == (404, "error", "HTTPStatus: Not Found")
    assert store.stats()["news.example.com"]["errors"] == 1


def test_a_304_for_an_unknown_url_is_logged_without_a_story(store: Store, fetch_factory) -> None:
    assert store.record_not_modified(fetch_factory(status=304)) is None
    assert count(store, "fetches", "outcome = 'not_modified' AND status = 304") == 1


# -- reading out -----------------------------------------------------------------------------------


@pytest.fixture
def filled(store: Store, article_factory, fetch_factory, story) -> Store:
    """Two sites, one duplicate, one changed story."""
    store.save(article_factory(URL), fetch_factory(URL))
    other = "https://other.example.org/a"
    store.save(article_factory(other, canonical_url=None), fetch_factory(other))  # duplicate
    third = "https://other.example.org/b"
    late = "2024-06-01T00:00:00+00:00"
    store.save(
        article_factory(third, paragraphs=story(3), authors=(), published=None, headline=None),
        fetch_factory(third, fetched_at=late),
    )
    return store


def test_export_gives_the_record_keys_plus_fetched_at_and_duplicate_of(filled: Store) -> None:
    records = list(filled.export())
    assert [r["url"] for r in records] == [URL, "https://other.example.org/b"]
    assert list(records[0]) == [*RECORD_KEYS, "fetched_at", "duplicate_of"]
    assert records[0]["authors"] == ["Jane Doe"] and isinstance(records[0]["provenance"], dict)
    everything = list(filled.export(include_duplicates=True))
    assert everything[1]["duplicate_of"] == URL
    assert [r["url"] for r in filled.export(since="2024-05-15")] == ["https://other.example.org/b"]
    assert len(list(filled.export(since="2024-06-01T01:00:00+02:00"))) == 1  # 23:00 UTC before
    assert list(filled.export(since="2024-06-01T00:00:01Z")) == []
    assert len(list(filled.export(site="other.example.org", include_duplicates=True))) == 2


def test_jsonl_and_csv_writers_round_trip(filled: Store) -> None:
    out = io.StringIO()
    assert export.write_jsonl(filled.export(), out) == 2
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert lines[0]["headline"] == "Council approves the new bridge"
    table = io.StringIO()
    assert export.write_csv(filled.export(), table) == 2
    rows = list(csv.DictReader(io.StringIO(table.getvalue())))
    assert list(rows[0]) == list(export.EXPORT_KEYS)
    assert json.loads(rows[0]["authors"]) == ["Jane Doe"] and rows[1]["headline"] == ""


def test_parquet_needs_pyarrow(filled: Store, tmp_path: Path) -> None:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        with pytest.raises(StoreError, match="pyarrow"):
            export.write_parquet(filled.export(), tmp_path / "out.parquet")
    else:
        assert export.write_parquet(filled.export(), tmp_path / "out.parquet") == 2


def test_search_ranks_snippets_and_survives_odd_queries(filled: Store) -> None:
    hits = filled.search("approves")
    assert [h["canonical_url"] for h in hits] == [URL]  # the duplicate is left out
    assert len(filled.search("approves", include_duplicates=True)) == 2
    word = filled.db["articles"].get(3)["body"].split()[5].strip(".")
    assert "[" in filled.search(word)[0]["snippet"]
    assert filled.search('approves" (') == hits  # not FTS5 syntax: the words, literally
    assert filled.search("zzzz-nothing") == []


def test_stats_per_site(filled: Store) -> None:
    stats = filled.stats()
    assert stats["news.example.com"]["articles"] == 1
    other = stats["other.example.org"]
    assert (other["articles"], other["duplicates"], other["errors"]) == (2, 1, 0)
    assert other["coverage"] == {"headline": 0.5, "authors": 0.5, "published": 0.5, "bio": 0.0}


def test_reextract_rebuilds_records_in_place_from_the_archive(
    filled: Store, article_factory, caplog: pytest.LogCaptureFixture
) -> None:
    seen: list[tuple[bytes, str]] = []

    def extractor(body: bytes, url: str, *, encoding: str | None, now: datetime, source: str):  # type: ignore[no-untyped-def]
        assert (encoding, now.tzinfo) == ("utf-8", UTC)
        assert source  # the requested URL, as the first extraction had it
        seen.append((body, url))
        if url.endswith("/b"):
            raise ValueError("broken page")
        return article_factory(url, canonical_url=None, headline="Better headline")

    counts = filled.reextract(extractor)
    assert counts["pages"] == 3 and counts["updated"] == 2 and counts["errors"] == 1
    assert "broken page" in caplog.text  # the failure is told, not only counted
    assert {url for _, url in seen} == {
        URL,
        "https://other.example.org/a",
        "https://other.example.org/b",
    }
    assert filled.db["articles"].get(1)["headline"] == "Better headline"
    assert [r["headline"] for r in filled.history(URL)] == ["Better headline"]  # in place
    assert filled.reextract(extractor)["unchanged"] == 2  # idempotent
    assert count(filled, "fetches") == 3  # no fetch invented


def test_raw_pages_and_warc_export(filled: Store, tmp_path: Path) -> None:
    from warcio.archiveiterator import ArchiveIterator

    pages = list(filled.raw_pages())
    assert [p[0] for p in pages] == [
        URL,
        "https://other.example.org/a",
        "https://other.example.org/b",
    ]
    assert pages[0][3].startswith(b"<html>")
    path = tmp_path / "archive.warc.gz"
    assert filled.export_warc(path) == 3
    with open(path, "rb") as fh:
        records = [
            (
                r.rec_type,
                r.rec_headers.get_header("WARC-Target-URI"),
                r.rec_headers.get_header("WARC-Date"),
                r.http_headers,
                r.content_stream().read(),
            )
            for r in ArchiveIterator(fh)
        ]
    assert records[0][0] == "warcinfo"
    kind, uri, date, http_headers, body = records[1]
    assert (kind, uri, date) == ("response", URL, "2024-05-01T10:00:00Z")
    assert http_headers.get_statuscode() == "200"
    assert http_headers.get_header("content-type") == "text/html; charset=utf-8"
    assert body == pages[0][3]


def test_warc_drops_encoding_headers_the_stored_body_no_longer_has(
    store: Store, article_factory, fetch_factory, tmp_path: Path
) -> None:
    from warcio.archiveiterator import ArchiveIterator

    headers = {
        "content-type": "text/html",
        "content-encoding": "br",
        "transfer-encoding": "chunked",
    }
    store.save(article_factory(), fetch_factory(headers=headers, content=b"<p>decoded</p>"))
    store.export_warc(tmp_path / "a.warc.gz")
    with open(tmp_path / "a.warc.gz", "rb") as fh:
        response = next(r for r in ArchiveIterator(fh) if r.rec_type == "response")
        assert response.http_headers.get_header("content-encoding") is None
        assert response.http_headers.get_header("content-length") == "14"
        assert response.content_stream().read() == b"<p>decoded</p>"


def test_reextract_accepts_the_real_extractor(store: Store, fetch_factory) -> None:
    html = (
        b"<html><head><title>Bridge opens</title></head><body><article><h1>Bridge opens</h1>"
        + b"".join(
            b"<p>The new bridge over the river opened on Monday after two years"
            b" of work, the council said in a statement.</p>"
            for _ in range(5)
        )
        + b"</article></body></html>"
    )
    fetch = fetch_factory(content=html)
    store.save(extract(html, fetch.final_url, encoding="utf-8"), fetch)
    counts = store.reextract(extract)
    assert (counts["pages"], counts["errors"]) == (1, 0)


def test_a_version_1_database_gains_the_crawl_tables_on_open(tmp_path: Path) -> None:
    script = SCHEMA_PATH.read_text(encoding="utf-8")
    v1 = script[: script.index("-- Crawl frontier and runs")] + "\nPRAGMA user_version = 1;\n"
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as conn:
        conn.executescript(v1)
    with Store(path) as store:
        names = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master")}
        assert {"frontier", "crawl_runs", "url_patterns"} <= names
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == 3


def test_a_refetch_that_changes_only_metadata_updates_it_without_a_new_revision(
    store: Store, article_factory, fetch_factory
) -> None:
    first = store.save(article_factory(URL), fetch_factory(URL))
    later = article_factory(
        URL, modified="2024-05-02T09:00:00+01:00", authors=("Jane Doe", "Al Roe")
    )
    again = store.save(later, fetch_factory(URL))
    assert (first.article_id, again.status) == (again.article_id, "updated")
    row = store.db["articles"].get(first.article_id)
    assert row["modified"] == "2024-05-02T09:00:00+01:00"
    assert json.loads(row["authors"]) == ["Jane Doe", "Al Roe"]
    assert len(store.history(URL)) == 1  # same headline and body: still one version


def test_reextract_with_the_same_extractor_gives_back_the_same_records(
    file_store: Store, make_web
) -> None:
    """Stories fetched under URL variants (tracking query, case, trailing slash, fragment),
    some variant first and some plain first: re-extraction changes no stored field."""
    site = make_web("news")["news"]
    site.robots("User-agent: *\n")
    plain = [f"/tech/story-{n}" for n in range(4)]
    for n, path in enumerate(plain):
        page = article_html(
            f"Story {n}", canonical=site.url + path, paragraphs=story_paragraphs(500 + n)
        )
        for served in (path, path.replace("/tech/", "/Tech/"), path + "/"):
            site.page(served, page)
    variants = [
        plain[0] + "?utm_source=twitter&utm_medium=social",
        plain[1].replace("/tech/", "/Tech/"),
        plain[2] + "/",
        plain[3] + "#comments",
    ]
    # Stories 0 and 1 are first requested as the variant, 2 and 3 as the plain URL.
    order = [variants[0], variants[1], *plain, variants[2], variants[3], plain[0], plain[1]]
    with Fetcher() as fetcher:
        outcomes = [process(site.url + path, fetcher, file_store).outcome for path in order]
    assert outcomes.count("new") == 4 and "error" not in outcomes

    def rows(table: str) -> list[dict[str, object]]:
        return list(file_store.db.query(f"SELECT * FROM {table} ORDER BY 1, 2"))

    before = {t: rows(t) for t in ("articles", "revisions", "url_aliases", "article_authors")}
    records = list(file_store.export())
    counts = file_store.reextract(extract)
    for table, old in before.items():
        new = rows(table)
        assert len(new) == len(old), table
        for was, now in zip(old, new, strict=True):
            for field in was:  # field by field, so a failure names it
                assert now[field] == was[field], (table, was, field)
    for was, now in zip(records, file_store.export(), strict=True):
        for field in was:
            assert now[field] == was[field], (was["url"], field)
    assert (counts["unchanged"], counts["updated"], counts["errors"]) == (4, 0, 0), counts

"""The per-file batch task: one WARC in, one Parquet part and its marker out."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq

from scraper.article import RECORD_KEYS
from scraper.batch.dataset import DONE, PARTS, SCHEMA, from_row, part_name, read_marker
from scraper.batch.filters import Filters
from scraper.batch.task import process_file
from scraper.batch.warc import iter_pages, page_record
from scraper.store import Prepared
from tests.warcs import Capture, demo_captures, exact_copy, junk, page_html, warc_date, write_warc


def test_part_holds_every_article_with_its_record_fingerprint_and_provenance(
    tmp_path: Path,
) -> None:
    captures = demo_captures()[:6]
    warc = write_warc(tmp_path / "a.warc.gz", [*captures, *junk()])
    marker = process_file(str(warc), tmp_path / "out")
    assert marker["status"] == "ok" and marker["error"] is None
    assert marker["counts"]["articles"] == 6 and marker["counts"]["request"] == 1
    assert set(marker["seconds"]) == {"read", "extract", "fingerprint", "write"}
    assert read_marker(tmp_path / "out" / DONE / f"{part_name(str(warc))}.json") == marker
    table = pq.read_table(tmp_path / "out" / PARTS / marker["part"])
    assert table.schema.equals(SCHEMA)
    rows = table.to_pylist()
    pages = list(iter_pages(str(warc), Counter()))
    assert len(rows) == len(pages) == 6
    for row, page in zip(rows, pages, strict=True):
        article = page_record(page)
        record = from_row(row)
        assert {k: record[k] for k in RECORD_KEYS} == article.to_dict()
        prepared = Prepared.of(article, page.url, page.final_url)
        assert (row["key"], row["simhash"]) == (prepared.key, prepared.row["simhash"])
        assert row["fetched_at"] == page.fetched_at and row["http_status"] == 200
        assert (row["warc_file"], row["warc_offset"]) == (str(warc), page.offset)
        assert row["warc_record_id"].startswith("<urn:uuid:")
        assert row["duplicate_of"] is None
    assert sorted(p.name for p in (tmp_path / "out" / PARTS).iterdir()) == [marker["part"]]


def test_filters_by_host_before_and_language_and_date_after_extraction(tmp_path: Path) -> None:
    paras = ["Word " * 20 + "one.", "Word " * 20 + "two."]
    captures = [
        Capture("https://keep.test/a", page_html("Kept", paras), warc_date(1)),
        Capture("https://www.keep.test/b", page_html("Kept too", paras), warc_date(2)),
        Capture("https://other.test/c", page_html("Other host", paras), warc_date(3)),
        Capture("https://keep.test/d", page_html("Deutsch", paras, lang="de"), warc_date(4)),
    ]
    warc = write_warc(tmp_path / "f.warc.gz", captures)
    filters = Filters.of(domains=["keep.test"], languages=["en"], since=date(2024, 5, 1))
    marker = process_file(str(warc), tmp_path / "out", filters=filters)
    table = pq.read_table(tmp_path / "out" / PARTS / marker["part"])
    assert table["headline"].to_pylist() == ["Kept", "Kept too"]
    assert marker["counts"]["filtered"] == 2
    late = Filters.of(since=date(2024, 6, 1))  # every page is published 2024-05-19
    marker = process_file(str(warc), tmp_path / "late", filters=late)
    assert marker["counts"].get("articles", 0) == 0 and marker["counts"]["filtered"] == 4


def test_a_damaged_file_keeps_what_was_read_and_is_marked_failed(tmp_path: Path) -> None:
    captures = demo_captures()[:4]
    whole = write_warc(tmp_path / "whole.warc", captures, compress="none").read_bytes()
    cut = tmp_path / "cut.warc"
    cut.write_bytes(whole[: int(len(whole) * 0.8)])
    marker = process_file(str(cut), tmp_path / "out")
    assert marker["status"] == "failed" and "cut.warc" in marker["error"]
    rows = pq.read_table(tmp_path / "out" / PARTS / marker["part"]).num_rows
    assert 1 <= rows < 4 and marker["counts"]["articles"] == rows


def test_not_a_warc_and_an_empty_file_fail_with_an_empty_part(tmp_path: Path) -> None:
    for name, content in {
        "junk.warc": b"<html>not an archive</html>" * 50,
        "empty.warc": b"",
    }.items():
        source = tmp_path / name
        source.write_bytes(content)
        marker = process_file(str(source), tmp_path / "out")
        assert marker["status"] == "failed" and marker["error"], name
        assert pq.read_table(tmp_path / "out" / PARTS / marker["part"]).num_rows == 0


def test_a_missing_file_is_a_failure_not_a_crash(tmp_path: Path) -> None:
    marker = process_file(str(tmp_path / "nowhere.warc.gz"), tmp_path / "out")
    assert marker["status"] == "failed" and "nowhere" in marker["error"]


def test_part_names_are_stable_distinct_and_readable() -> None:
    a = part_name("/data/2024/CC-NEWS-20240101-00001.warc.gz")
    assert a == part_name("/data/2024/CC-NEWS-20240101-00001.warc.gz")
    assert a.startswith("CC-NEWS-20240101-00001-")
    assert a != part_name("/other/2024/CC-NEWS-20240101-00001.warc.gz")
    url = part_name("https://data.commoncrawl.org/crawl-data/CC-NEWS/2024/01/x.warc.gz?a=b")
    assert "/" not in url and "?" not in url


def test_a_rerun_replaces_the_part_without_leaving_temporary_files(tmp_path: Path) -> None:
    captures = demo_captures()[:3]
    warc = write_warc(
        tmp_path / "a.warc.gz", [*captures, exact_copy(captures[0], "https://m.test/x", 99)]
    )
    process_file(str(warc), tmp_path / "out")
    marker = process_file(str(warc), tmp_path / "out")
    assert marker["counts"]["articles"] == 4
    assert [p.name for p in (tmp_path / "out" / PARTS).iterdir()] == [marker["part"]]

"""`load DIR --db`: the batch dataset into the store, equal to a `warc --db` import.

The equivalence through the commands, with `warc --out --workers 2` on a Dask cluster, is
tests/test_batch_cli.py's; here the dataset is made by the same task and dedup, serially."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import scraper
from scraper.batch.dedup import run_dedup
from scraper.batch.load import load_dataset
from scraper.batch.task import process_file
from scraper.batch.warc import iter_pages, page_record
from scraper.errors import ScraperError
from scraper.store import Store
from tests.conftest import story_paragraphs
from tests.warcs import (
    Capture,
    demo_captures,
    exact_copy,
    junk,
    page_html,
    warc_date,
    write_warc,
)


def near_page(seed: int, url: str, minutes: int, word: str | None = None) -> Capture:
    """A long story page; with word, one word of it changed (a near copy)."""
    paras = list(story_paragraphs(seed))
    if word:
        words = paras[1].split()
        words[2] = word
        paras[1] = " ".join(words)
    return Capture(url, page_html(f"Story {seed}", paras), warc_date(minutes))


def inputs(tmp_path: Path) -> list[Path]:
    """Two WARCs with planted exact and near copies; some copies are captured first."""
    demo = demo_captures()
    a = [
        *demo[:10],
        exact_copy(demo[2], "https://mirror.test/early-copy", -30),  # becomes the original
        exact_copy(demo[4], "https://mirror.test/late-copy", 400),
        near_page(1, "https://wire.test/one", 5),
        *junk(),
    ]
    b = [
        *demo[10:16],
        near_page(1, "https://other.test/one-edited", 2, word="zebra"),  # earlier near copy
        near_page(1, "https://other.test/one-again", 9, word="yak"),
        exact_copy(demo[12], "https://mirror.test/copy-b", 500),
    ]
    return [
        write_warc(tmp_path / "a.warc.gz", a),
        write_warc(tmp_path / "b.warc", b, compress="none", version="1.0"),
    ]


def dataset(files: list[Path], out: Path) -> Path:
    """The --out path, run serially: the per-file task, then the dedup stage."""
    for f in files:
        process_file(str(f), out)
    run_dedup(out)
    return out


def view(store: Store) -> dict[str, tuple[Any, ...]]:
    """What the equivalence compares: url -> headline, body, published, duplicate_of."""
    return {
        r["url"]: (r["headline"], r["body"], r["published"], r["duplicate_of"])
        for r in store.export(include_duplicates=True)
    }


def reference(files: list[Path]) -> Store:
    """Every page saved in capture order: what the store's rule gives by construction."""
    pages = [p for f in files for p in iter_pages(str(f), Counter())]
    store = Store.memory()
    for page in sorted(pages, key=lambda p: (p.fetched_at, p.url)):
        store.save(page_record(page), page)
    return store


def test_load_gives_the_records_and_duplicates_of_capture_order(tmp_path: Path) -> None:
    files = inputs(tmp_path)
    with Store(tmp_path / "b.db") as store:
        counts = load_dataset(dataset(files, tmp_path / "out"), store)
        got = view(store)
    expected = view(reference(files))
    assert got == expected
    dups = {url: v[3] for url, v in expected.items() if v[3]}
    assert dups["https://mirror.test/late-copy"] is not None
    assert "mirror.test/early-copy" in (got[demo_captures()[2].url][3] or "")
    assert dups["https://wire.test/one"].endswith("one-edited")
    assert counts["rows"] == len(got) and counts["duplicate_of"] == len(dups) >= 5


def test_loading_again_stores_nothing_twice(tmp_path: Path) -> None:
    out = dataset(inputs(tmp_path), tmp_path / "out")
    with Store(tmp_path / "b.db") as store:
        load_dataset(out, store)
        tables = ("articles", "fetches", "revisions", "raw_responses")
        before = {t: store.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
        first = view(store)
        counts = load_dataset(out, store)
        after = {t: store.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
        assert after == before and view(store) == first
        assert counts["imported"] == counts["rows"] > 0


def test_reextract_keeps_loaded_stories_it_has_no_html_for(tmp_path: Path) -> None:
    out = dataset(inputs(tmp_path), tmp_path / "out")
    with Store(tmp_path / "b.db") as store:
        counts = load_dataset(out, store)
        loaded = view(store)
        again = store.reextract(scraper.extract)
        assert view(store) == loaded
        assert again["no_raw"] == again["pages"] >= counts["rows"] > 0
        assert again["not_article"] == again["errors"] == again["updated"] == 0


def test_a_story_captured_twice_keeps_its_latest_version_whatever_the_file_order(
    tmp_path: Path,
) -> None:
    url = "https://news.test/2024/05/19/story"
    old = Capture(url, page_html("First version", story_paragraphs(5)), warc_date(10))
    new = Capture(url, page_html("Second version", story_paragraphs(6)), warc_date(20))
    later = write_warc(tmp_path / "later.warc.gz", [new])
    earlier = write_warc(tmp_path / "earlier.warc.gz", [old])
    for name, order in {"in-order": [earlier, later], "reversed": [later, earlier]}.items():
        with Store(tmp_path / f"{name}.db") as store:
            load_dataset(dataset(order, tmp_path / name), store)
            assert view(store)[url][0] == "Second version", name
            revisions = [r["headline"] for r in store.history(url)]
            assert revisions == ["First version", "Second version"], name


def test_a_story_is_judged_by_its_kept_version_and_placed_by_its_first_capture(
    tmp_path: Path,
) -> None:
    """As scraper.store.resolve decides after an import: the story at url changed to the
    text that another story carries; first captured earlier, it stays the original."""
    from scraper.cli import main

    url = "https://news.test/2024/05/19/story"
    first = Capture(url, page_html("Draft", story_paragraphs(7)), warc_date(10))
    final = Capture(url, page_html("Final", story_paragraphs(8)), warc_date(50))
    copy = page_html("Final", story_paragraphs(8))
    other = Capture("https://wire.test/copy", copy, warc_date(30))
    files = [
        str(write_warc(tmp_path / "x.warc.gz", [first, other])),
        str(write_warc(tmp_path / "y.warc.gz", [final])),
    ]
    assert main(["warc", *files, "--db", str(tmp_path / "a.db"), "--processes", "0"]) == 0
    with Store(tmp_path / "a.db") as a, Store(tmp_path / "b.db") as b:
        load_dataset(dataset([Path(f) for f in files], tmp_path / "out"), b)
        expected = view(a)
        assert view(b) == expected
    assert expected["https://wire.test/copy"][3] == url and expected[url][3] is None


@pytest.mark.parametrize("stored_first", [True, False])
def test_stories_stored_before_the_load_join_the_capture_order(
    tmp_path: Path, stored_first: bool
) -> None:
    early = near_page(3, "https://first.test/story", -100)
    late = exact_copy(early, "https://second.test/story", 100)
    stored, loaded = (early, late) if stored_first else (late, early)
    out = dataset([write_warc(tmp_path / "loaded.warc.gz", [loaded])], tmp_path / "out")
    with Store(tmp_path / "b.db") as store:
        for page in iter_pages(str(write_warc(tmp_path / "stored.warc", [stored])), Counter()):
            store.save(page_record(page), page)
        load_dataset(out, store)
        got = view(store)
    assert got[late.url][3] == "https://first.test/story"
    assert got[early.url][3] is None


def test_the_empty_part_of_a_failed_file_loads(tmp_path: Path) -> None:
    bad = tmp_path / "bad.warc.gz"
    bad.write_bytes(b"not an archive\n" * 20)
    good = write_warc(tmp_path / "good.warc.gz", demo_captures()[:3])
    out = dataset([bad, good], tmp_path / "out")
    with Store.memory() as store:
        assert load_dataset(out, store)["new"] == 3


def test_a_folder_without_a_dataset_is_an_error(tmp_path: Path) -> None:
    with Store.memory() as store, pytest.raises(ScraperError, match="no Parquet files"):
        load_dataset(tmp_path, store)

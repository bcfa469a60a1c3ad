"""`ccnews`: CC-NEWS listings from a CC-NEWS-like tree on 127.0.0.1, piped into `warc -i -`."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest

from scraper.batch import listing_url, parse_month
from scraper.batch.ccnews import ListingError, Month, months, read_listing
from scraper.cli import EXIT_FAILURES, EXIT_OK, EXIT_USAGE, main
from scraper.store import Store
from tests.warcs import FileServer, demo_captures, file_server, write_warc

__all__ = ["file_server"]
TREE = "/crawl-data/CC-NEWS"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def listing(*paths: str) -> bytes:
    return gzip.compress("".join(p + "\n" for p in paths).encode(), mtime=0)


def cc_tree(server: FileServer, tmp_path: Path) -> list[str]:
    """Two months of CC-NEWS-like listings and WARC files; returns the WARC paths in order."""
    demo = demo_captures()
    warcs = {
        f"{TREE}/2024/01/CC-NEWS-20240101000000-00000.warc.gz": demo[:4],
        f"{TREE}/2024/01/CC-NEWS-20240102000000-00001.warc.gz": demo[4:8],
        f"{TREE}/2024/02/CC-NEWS-20240201000000-00002.warc.gz": demo[8:12],
    }
    for i, (path, captures) in enumerate(warcs.items()):
        server.files[path] = write_warc(tmp_path / f"{i}.warc.gz", captures).read_bytes()
    names = list(warcs)
    server.files[f"{TREE}/2024/01/warc.paths.gz"] = listing(*(n.lstrip("/") for n in names[:2]))
    server.files[f"{TREE}/2024/02/warc.paths.gz"] = listing(names[2].lstrip("/"))
    return names


def test_months_and_listing_urls() -> None:
    assert [str(m) for m in months(parse_month("2023-11"), parse_month("2024-02"))] == [
        "2023-11",
        "2023-12",
        "2024-01",
        "2024-02",
    ]
    assert (
        listing_url("https://data.commoncrawl.org/", Month(2024, 1))
        == "https://data.commoncrawl.org/crawl-data/CC-NEWS/2024/01/warc.paths.gz"
    )
    for bad in ("2024-13", "2024-1", "24-01", "2015-01", "January"):
        with pytest.raises(ValueError):
            parse_month(bad)


def test_listing_paths_become_urls() -> None:
    data = listing(
        "crawl-data/CC-NEWS/2024/01/a.warc.gz", "", "crawl-data/CC-NEWS/2024/01/b.warc.gz"
    )
    assert read_listing(data, "http://mirror.test/cc") == [
        "http://mirror.test/cc/crawl-data/CC-NEWS/2024/01/a.warc.gz",
        "http://mirror.test/cc/crawl-data/CC-NEWS/2024/01/b.warc.gz",
    ]
    with pytest.raises(ListingError, match="cut short"):
        read_listing(b"\x1f\x8b\x08\x00broken", "http://x.test/")
    with pytest.raises(ListingError, match="no WARC"):
        read_listing(listing(), "http://x.test/")
    bomb = gzip.compress(b"a" * 20_000_000)
    with pytest.raises(ListingError, match="inflates"):
        read_listing(bomb, "http://x.test/")


def test_ccnews_prints_the_months_warc_urls_retrying_slowdown(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, file_server: FileServer
) -> None:
    names = cc_tree(file_server, tmp_path)
    file_server.slowdown[f"{TREE}/2024/02/warc.paths.gz"] = 1
    code, out, err = run(
        capsys, "ccnews", "--from", "2024-01", "--to", "2024-02", "--base-url", file_server.url
    )
    assert code == EXIT_OK, err
    assert out.splitlines() == [file_server.url + n for n in names]
    statuses = [s for p, _, s in file_server.log if p.endswith("2024/02/warc.paths.gz")]
    assert statuses == [503, 200]


def test_a_missing_month_is_reported_and_the_others_printed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, file_server: FileServer
) -> None:
    names = cc_tree(file_server, tmp_path)
    code, out, err = run(
        capsys, "ccnews", "--from", "2023-12", "--to", "2024-01", "--base-url", file_server.url
    )
    assert code == EXIT_FAILURES
    assert out.splitlines() == [file_server.url + n for n in names[:2]]
    assert "2023-12" in err and "404" in err


def test_ccnews_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "ccnews", "--from", "2024-03", "--to", "2024-01")[0] == EXIT_USAGE
    assert run(capsys, "ccnews", "--from", "2024/03")[0] == EXIT_USAGE
    assert run(capsys, "ccnews", "--from", "2024-01", "--base-url", "ftp://x")[0] == EXIT_USAGE


def test_ccnews_piped_into_warc_imports_by_url(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    file_server: FileServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cc_tree(file_server, tmp_path)
    code, out, _ = run(
        capsys, "ccnews", "--from", "2024-01", "--to", "2024-02", "--base-url", file_server.url
    )
    assert code == EXIT_OK
    file_server.cut[f"{TREE}/2024/01/CC-NEWS-20240102000000-00001.warc.gz"] = 1
    monkeypatch.setattr("sys.stdin", io.StringIO(out))
    db = tmp_path / "news.db"
    code, _, err = run(capsys, "warc", "-i", "-", "--db", str(db), "--processes", "0")
    assert code == EXIT_OK, err
    assert "3 files" in err and "12 new" in err
    with Store(db) as store:
        urls = {r["url"] for r in store.export()}
    assert urls == {c.url for c in demo_captures()[:12]}
    ranged = [r for p, r, _ in file_server.log if p.endswith("00001.warc.gz")]
    assert ranged[0] is None and ranged[1] and ranged[1].startswith("bytes=")

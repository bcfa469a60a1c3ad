"""`warc`, `load`: the commands as users run them, and the two paths giving the same store."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from scraper.cli import EXIT_FAILURES, EXIT_OK, EXIT_USAGE, cli, main
from scraper.store import Store
from tests.warcs import (
    Capture,
    demo_captures,
    exact_copy,
    fixture_captures,
    junk,
    near_copy,
    write_warc,
)

COMPARED = ("url", "headline", "body", "published", "duplicate_of")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def stored(db: Path) -> dict[str, dict[str, Any]]:
    """url -> the compared fields of every record, duplicates included."""
    with Store(db) as store:
        return {
            r["url"]: {k: r[k] for k in COMPARED} for r in store.export(include_duplicates=True)
        }


@pytest.fixture
def warcs(tmp_path: Path) -> list[Path]:
    """Three files in three layouts: demo and fixture pages, junk, an exact copy captured
    before its original (in a later file) and near copies, one across files."""
    demo, fixtures = demo_captures(), fixture_captures()
    first: list[Capture] = [*demo[:12], *junk(), near_copy(demo[3], "https://wire.test/n1", 300)]
    second = [*fixtures, exact_copy(demo[5], "https://wire.test/early", -120), *demo[12:20]]
    third = [*demo[20:], near_copy(demo[14], "https://wire.test/n2", 400)]
    return [
        write_warc(tmp_path / "one.warc.gz", first),
        write_warc(tmp_path / "two.warc.gz", second, compress="file"),
        write_warc(tmp_path / "three.warc", third, compress="none", version="1.0"),
    ]


def test_batch_commands_have_help() -> None:
    for name in ("warc", "load", "ccnews"):
        assert (cli.commands[name].help or "").strip(), name


def test_warc_db_exit_codes_and_summary(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, warcs: list[Path]
) -> None:
    db = str(tmp_path / "news.db")
    bad = tmp_path / "bad.warc.gz"
    bad.write_bytes(b"not a warc at all, just text\n")
    code, out, err = run(capsys, "warc", str(warcs[0]), str(bad), "--db", db, "--processes", "0")
    assert code == EXIT_FAILURES and out == ""
    assert "not a WARC" in err and str(bad) in err
    summary = err.strip().splitlines()[-1]
    assert summary.startswith("2 files, 1 failed; records:") and "(exit 1)" in summary
    code, _, err = run(capsys, "warc", str(warcs[0]), "--db", db, "--processes", "0")
    assert code == EXIT_OK and "imported" in err and "new" not in err.split("pages:")[1]


def test_warc_reads_a_list_from_stdin(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    warcs: list[Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(f"# files\n{warcs[0]}\n\n{warcs[2]}\n"))
    db = tmp_path / "news.db"
    code, _, err = run(capsys, "warc", "-i", "-", "--db", str(db), "--processes", "0")
    assert code == EXIT_OK, err
    assert err.startswith("2 files;")


@pytest.mark.parametrize(
    "argv",
    [
        ["warc"],
        ["warc", "x.warc", "--db", "a.db", "--out", "d"],
        ["warc", "x.warc", "--workers", "2"],
        ["warc", "x.warc", "--out", "d", "--workers", "2", "--scheduler", "tcp://h:8786"],
        ["warc", "x.warc", "--since", "2024-13-01"],
        ["warc", "x.warc", "--since", "2024-05-02", "--until", "2024-05-01"],
        ["warc", "x.warc", "--domains", "/no/such/file"],
        ["warc", "-i", "/no/such/list"],
        ["load", "/no/such/dir"],
    ],
)
def test_usage_errors_exit_2(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    argv: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run(capsys, *argv)[0] == EXIT_USAGE


def test_load_of_a_folder_without_a_dataset_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "load", str(tmp_path), "--db", str(tmp_path / "n.db"))
    assert code == EXIT_USAGE and "Parquet" in err


def test_equivalence_of_the_db_and_the_dask_paths(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, warcs: list[Path]
) -> None:
    """The issue's check: `warc FILES --db A` and `warc FILES --out D --workers 2` then
    `load D --db B` give the same articles and the same duplicate_of on every record."""
    files = [str(p) for p in warcs]
    a, b, out = tmp_path / "a.db", tmp_path / "b.db", tmp_path / "dataset"
    code, _, err = run(capsys, "warc", *files, "--db", str(a))
    assert code == EXIT_OK, err
    code, _, err = run(capsys, "warc", *files, "--out", str(out), "--workers", "2")
    assert code == EXIT_OK, err
    code, _, err = run(capsys, "load", str(out), "--db", str(b))
    assert code == EXIT_OK, err
    left, right = stored(a), stored(b)
    assert set(left) == set(right)
    for url, record in left.items():
        assert record == right[url], url
    demo = demo_captures()
    assert left["https://wire.test/early"]["duplicate_of"] is None  # captured first
    assert left[demo[5].url]["duplicate_of"] == "https://wire.test/early"
    assert left["https://wire.test/n1"]["duplicate_of"] == demo[3].url
    assert left["https://wire.test/n2"]["duplicate_of"] == demo[14].url
    for near, original in (
        ("https://wire.test/n1", demo[3].url),
        ("https://wire.test/n2", demo[14].url),
    ):
        assert "(agency)" in left[near]["body"] not in left[original]["body"]  # a near copy
    # Reversed file order: the same duplicates.
    c = tmp_path / "c.db"
    code, _, err = run(capsys, "warc", *reversed(files), "--db", str(c), "--processes", "0")
    assert code == EXIT_OK, err
    assert stored(c) == left

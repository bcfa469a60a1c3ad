"""The Dask engine: a LocalCluster of 2 worker processes, resume by markers, exit codes."""

from __future__ import annotations

import io
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from distributed import LocalCluster

from scraper.batch.dataset import DATASET, DONE, PARTS, part_name
from scraper.batch.dedup import run_dedup
from scraper.batch.engine import DatasetSummary, Progress, run_dataset
from scraper.batch.filters import Filters
from scraper.batch.task import process_file
from tests.warcs import demo_captures, exact_copy, junk, near_copy, write_warc


def result(out: Path) -> dict[str, str | None]:
    table = pa.concat_tables(pq.read_table(p) for p in sorted((out / DATASET).glob("*.parquet")))
    return dict(zip(table["url"].to_pylist(), table["duplicate_of"].to_pylist(), strict=True))


def test_cluster_run_resumes_by_files_and_matches_a_serial_run(tmp_path: Path) -> None:
    demo = demo_captures()
    a = write_warc(
        tmp_path / "a.warc.gz",
        [*demo[:8], exact_copy(demo[1], "https://mirror.test/a", -20), *junk()],
    )
    b = write_warc(
        tmp_path / "b.warc.gz",
        [*demo[8:14], near_copy(demo[9], "https://mirror.test/b", 300)],
        compress="file",
    )
    c = write_warc(tmp_path / "c.warc", demo[14:18], compress="none", version="1.0")
    bad = tmp_path / "bad.warc"
    bad.write_bytes(b"this is no archive\n" * 100)
    sources = [str(a), str(b), str(c), str(bad)]
    out = tmp_path / "out"
    # A run killed after one file: its part and marker are there, nothing else.
    process_file(str(a), out)

    summary = run_dataset(
        sources, out, workers=2, scheduler=None, filters=Filters(), progress=False
    )
    assert (summary.files, summary.skipped, summary.done) == (4, 1, 2)
    assert len(summary.failed) == 1 and "bad.warc" in summary.failed[0]
    assert summary.exit_code == 1 and "1 failed" in summary.line()
    assert summary.dedup is not None and summary.dedup.exact >= 1
    got = result(out)
    assert got[demo[1].url] == "https://mirror.test/a"  # the earlier copy is the original

    # The same files serially, in the reverse order: the same dataset.
    serial = tmp_path / "serial"
    for source in reversed(sources):
        process_file(source, serial)
    run_dedup(serial)
    assert result(serial) == got

    # The bad file repaired: the rerun does it alone, and the dataset includes it. This run
    # joins a running cluster by its scheduler's address, as --scheduler does.
    write_warc(bad, demo[18:20])
    with LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0"
    ) as cluster:
        summary = run_dataset(
            sources,
            out,
            workers=None,
            scheduler=cluster.scheduler_address,
            filters=Filters(),
            progress=False,
        )
    assert (summary.skipped, summary.done, summary.failed, summary.exit_code) == (3, 1, [], 0)
    assert (out / DONE / f"{part_name(str(bad))}.json").is_file()
    assert len(list((out / PARTS).glob("*.parquet"))) == 4
    assert set(result(out)) == set(got) | {c.url for c in demo[18:20]}


def test_progress_bar_draws_on_a_terminal_only() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    bar = Progress(3, 1, screen)
    bar.step()
    bar.step(failed=True)
    bar.close()
    assert "3/3 files, 1 failed" in screen.getvalue() and screen.getvalue().endswith("\n")
    pipe = io.StringIO()
    Progress(3, 0, pipe).close()
    assert pipe.getvalue() == ""


def test_summary_line_and_exit_code() -> None:
    summary = DatasetSummary(files=2, done=2)
    summary.counts.update({"html": 5, "articles": 4})
    assert summary.exit_code == 0
    assert summary.line().startswith("2 files in 0.0 s: 2 done, 0 already done, 0 failed")
    assert "5 html, 4 articles" in summary.line()

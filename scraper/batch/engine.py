"""The scale-out engine: Dask distributed maps the per-file task, then runs the dedup stages.

A LocalCluster of N worker processes (one thread each: extraction is CPU-bound Python) by
default, or an existing cluster joined by its scheduler address (Slurm via dask-jobqueue,
Kubernetes: see the README). The engine only maps task.process_file over the input files
and gathers the markers; what is done lives in the output folder, not in Dask: a rerun
lists the markers first, skips finished files and retries failed or unfinished ones, so a
killed run or a lost worker costs only the files that were not finished.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TextIO, TypeVar

from scraper.batch.dataset import DONE, part_name, read_marker
from scraper.batch.dedup import DedupSummary, run_dedup
from scraper.batch.filters import Filters
from scraper.batch.task import process_file

log = logging.getLogger(__name__)
T = TypeVar("T")
R = TypeVar("R")
# Counts shown in the summary line, in this order (the rest stay in the markers).
SUMMARY_COUNTS = ("html", "articles", "not_article", "filtered", "not_html", "not_2xx",
                  "too_large", "broken", "truncated")  # fmt: skip


@dataclass
class DatasetSummary:
    """What a run did: files done, skipped and failed, record counts, the dedup's result."""

    files: int = 0
    done: int = 0
    skipped: int = 0  # finished by an earlier run
    failed: list[str] = field(default_factory=list)  # "source: reason"
    counts: Counter[str] = field(default_factory=Counter)
    dedup: DedupSummary | None = None
    seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        """0 when every input was read whole, 1 when some failed (the others are done)."""
        return 1 if self.failed else 0

    def line(self) -> str:
        """The one-line summary printed at the end of a run."""
        shown = ", ".join(f"{self.counts[k]} {k}" for k in SUMMARY_COUNTS if self.counts[k])
        text = (
            f"{self.files} files in {self.seconds:.1f} s: {self.done} done,"
            f" {self.skipped} already done, {len(self.failed)} failed; {shown or 'no records'}"
        )
        if self.dedup is not None:
            text += f"; {self.dedup.line()}"
        return f"{text} (exit {self.exit_code})"


def run_dataset(
    sources: Sequence[str],
    out: Path,
    *,
    workers: int | None,
    scheduler: str | None,
    filters: Filters,
    progress: bool,
) -> DatasetSummary:
    """Every input into OUT/parts (one task per file), then the dedup into OUT/dataset."""
    started = time.monotonic()
    sources = list(dict.fromkeys(sources))
    summary = DatasetSummary(files=len(sources))
    todo: list[str] = []
    for source in sources:
        marker = read_marker(out / DONE / f"{part_name(source)}.json")
        if marker is not None and marker.get("status") == "ok":
            summary.skipped += 1
            summary.counts.update(marker.get("counts", {}))
        else:
            todo.append(source)
    out.mkdir(parents=True, exist_ok=True)
    with dask_client(workers, scheduler) as client:
        task = partial(process_file, out=out, filters=filters)
        bar = Progress(len(sources), summary.skipped, sys.stderr if progress else None)
        for source, marker, error in _map_tasks(client, task, todo):
            if marker is not None:
                summary.counts.update(marker.get("counts", {}))
                error = marker.get("error") if marker.get("status") != "ok" else None
            if error:
                where = error if source in error else f"{source}: {error}"
                summary.failed.append(where)
                log.error("%s", where)
            else:
                summary.done += 1
            bar.step(failed=bool(error))
        bar.close()
        summary.dedup = run_dedup(out, partial(_dask_map, client))
    summary.seconds = time.monotonic() - started
    return summary


def _map_tasks(
    client: Any, task: Callable[[str], dict[str, Any]], sources: Sequence[str]
) -> Iterator[tuple[str, dict[str, Any] | None, str | None]]:
    """(source, marker or None, error or None) per file, as they finish. A task that
    raised or whose worker was lost (KilledWorker after Dask's retries) is an error."""
    from distributed import as_completed

    futures = client.map(task, sources, pure=False)
    source_of = {f.key: s for f, s in zip(futures, sources, strict=True)}
    for future in as_completed(futures):  # type: ignore[no-untyped-call]
        source = source_of[future.key]
        try:
            yield source, future.result(), None
        except Exception as exc:  # the file stays unmarked: the next run retries it
            yield source, None, f"{type(exc).__name__}: {exc}"
        finally:
            future.release()


def _dask_map(client: Any, fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """The dedup's Mapper on the cluster: every item a task, results gathered."""
    if not items:
        return []
    return list(client.gather(client.map(fn, list(items), pure=False)))


@contextmanager
def dask_client(workers: int | None, scheduler: str | None) -> Iterator[Any]:
    """A Client on an existing scheduler, or on a LocalCluster of worker processes."""
    from distributed import Client, LocalCluster

    # Dask logs every worker start and stop at INFO: the run's own summary is what counts.
    logging.getLogger("distributed").setLevel(logging.WARNING)
    if scheduler:
        with Client(scheduler) as client:  # type: ignore[no-untyped-call]
            yield client
        return
    n = workers or os.cpu_count() or 1
    with (
        LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=n,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",  # a free port: never clash with another cluster
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,  # type: ignore[no-untyped-call]
    ):
        yield client


class Progress:
    """A one-line progress bar on a terminal; silent when stream is None or not a tty."""

    def __init__(self, total: int, done: int, stream: TextIO | None) -> None:
        self.total, self.done, self.failed = total, done, 0
        self.stream = stream if stream is not None and stream.isatty() else None
        self.started = time.monotonic()
        self._draw()

    def step(self, *, failed: bool = False) -> None:
        """One more file finished (or failed)."""
        self.done += 1
        self.failed += failed
        self._draw()

    def _draw(self) -> None:
        if self.stream is None:
            return
        width = 30
        filled = width * self.done // max(self.total, 1)
        elapsed = time.monotonic() - self.started
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} files,"
            f" {self.failed} failed, {elapsed:.0f} s"
        )
        self.stream.flush()

    def close(self) -> None:
        """End the bar's line."""
        if self.stream is not None:
            self.stream.write("\n")
            self.stream.flush()

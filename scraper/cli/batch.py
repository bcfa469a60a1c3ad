"""Batch commands: `warc` (WARC files into the database, or a Parquet dataset on Dask),
`load` (such a dataset into the database) and `ccnews` (the WARC URLs of CC-NEWS months).

scraper.batch needs the `batch` extra (FastWARC, Dask, pyarrow), so it is imported inside
the commands: `scrape.py URL` works without it.
"""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from scraper.cli.base import (
    EXIT_FAILURES,
    EXIT_OK,
    cli,
    db_option,
    fetch_config,
    fetch_options,
    listed_inputs,
    open_store,
    setup_logging,
)
from scraper.crawl import default_processes
from scraper.errors import ScraperError
from scraper.fetch import Fetcher
from scraper.inputs import read_list

BATCH_EXTRA = "batch mode needs the batch extra: pip install -e '.[batch]'"


def _batch() -> Any:
    """scraper.batch, or a usage error naming the extra to install."""
    try:
        import scraper.batch as batch
    except ImportError as exc:
        raise click.UsageError(f"{BATCH_EXTRA} ({exc})") from exc
    return batch


def _day(value: datetime | None) -> date | None:
    return value.date() if value else None


def _filters(batch: Any, domains: str | None, lang: str | None, since: Any, until: Any) -> Any:
    """The run's Filters from the options (a --domains file: one host or domain a line)."""
    names = None
    if domains is not None:
        try:
            with open(domains, encoding="utf-8") as handle:
                names = read_list(handle)
        except OSError as exc:
            raise click.BadParameter(f"cannot read {domains}: {exc.strerror}") from exc
    languages = [c for c in lang.replace(",", " ").split()] if lang else None
    if since and until and since > until:
        raise click.BadParameter("--since is after --until")
    return batch.Filters.of(domains=names, languages=languages, since=since, until=until)


@cli.command()
@click.argument("sources", nargs=-1)
@click.option(
    "-i",
    "--input",
    "input_file",
    metavar="LIST",
    help="Read WARC paths or URLs from LIST, one a line ('-' for stdin).",
)
@click.option("--db", help="Import into this SQLite database (the default: news.db).")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write a Parquet dataset to this folder on Dask instead (resumable).",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 4096),
    help="--out: worker processes of the local Dask cluster (default: the cores).",
)
@click.option(
    "--scheduler", metavar="ADDRESS", help="--out: join this Dask cluster (tcp://host:8786)."
)
@click.option("--domains", metavar="FILE", help="Keep only these hosts or domains (one a line).")
@click.option("--lang", metavar="CODES", help="Keep only these languages (en,de,...).")
@click.option(
    "--since", type=click.DateTime(["%Y-%m-%d"]), metavar="DATE", help="Published on or after."
)
@click.option(
    "--until", type=click.DateTime(["%Y-%m-%d"]), metavar="DATE", help="Published on or before."
)
@click.option(
    "--processes",
    type=click.IntRange(0, 64),
    default=default_processes(),
    show_default="one less than the cores, at most 4",
    help="--db: processes reading pages beside the writer (0: in the main process).",
)
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=10_000_000,
    show_default=True,
    help="--db: largest page read (--out reads pages up to 10 MB).",
)
@click.option("-v", "--verbose", is_flag=True, help="Log more to stderr.")
@click.pass_context
def warc(
    ctx: click.Context,
    sources: tuple[str, ...],
    input_file: str | None,
    db: str | None,
    out: Path | None,
    workers: int | None,
    scheduler: str | None,
    domains: str | None,
    lang: str | None,
    since: datetime | None,
    until: datetime | None,
    processes: int,
    max_bytes: int,
    verbose: bool,
) -> None:
    """Read WARC files or URLs (gzip per record, whole-file gzip or plain; WARC 1.0/1.1):
    every HTML response becomes a record, as if fetched.

    With --db (the default) into the database, like a crawl: deduplicated, with revisions
    and the raw archive; a file imported again stores nothing twice. With --out, on Dask:
    one Parquet part per input, then a dedup over all of them (load it with `load`).
    Exit 1 when some input failed (the others are done), 2 on a usage error."""
    batch = _batch()
    found = listed_inputs(sources, input_file)
    if not found:
        raise click.UsageError("no WARC files given (arguments, -i LIST, or -i - for stdin)")
    if db and out:
        raise click.UsageError("--db and --out are two ways to run: give one")
    if out is None and (workers or scheduler):
        raise click.UsageError("--workers and --scheduler go with --out")
    if workers and scheduler:
        raise click.UsageError("--workers starts a local cluster, --scheduler joins one: give one")
    filters = _filters(batch, domains, lang, _day(since), _day(until))
    setup_logging(verbose)
    if out is not None:
        summary = batch.run_dataset(
            found,
            out,
            workers=workers,
            scheduler=scheduler,
            filters=filters,
            progress=sys.stderr.isatty(),
        )
    else:
        with open_store(db or "news.db") as store:
            summary = batch.import_warcs(
                found,
                store,
                processes=processes,
                filters=filters,
                max_bytes=max_bytes,
                on_error=lambda message: click.echo(message, err=True),
            )
    click.echo(summary.line(), err=True)
    ctx.exit(summary.exit_code)


@cli.command()
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@db_option
@click.pass_context
def load(ctx: click.Context, path: Path, db: str) -> None:
    """Load a dataset written by `warc --out DIR` into the database, duplicate_of included."""
    batch = _batch()
    with open_store(db) as store:
        try:
            counts = batch.load_dataset(path, store)
        except ScraperError as exc:
            raise click.UsageError(str(exc)) from exc
    shown = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in counts.items() if n)
    click.echo(f"loaded {path}: {shown or 'nothing'}", err=True)
    ctx.exit(EXIT_FAILURES if counts.get("errors") or counts.get("failed") else EXIT_OK)


@cli.command()
@click.option("--from", "first", required=True, metavar="YYYY-MM", help="First month.")
@click.option("--to", "last", metavar="YYYY-MM", help="Last month (default: --from).")
@click.option(
    "--base-url",
    default="https://data.commoncrawl.org/",
    show_default=True,
    help="Common Crawl's data host (or a mirror).",
)
@fetch_options
@click.pass_context
def ccnews(
    ctx: click.Context, first: str, last: str | None, base_url: str, **fetch_opts: Any
) -> None:
    """Print the WARC URLs of CC-NEWS months, from their warc.paths.gz listings, one a line:
    pipe them into `scrape.py warc -i -`."""
    batch = _batch()
    try:
        start, end = batch.parse_month(first), batch.parse_month(last or first)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc
    if start > end:
        raise click.BadParameter(f"--from {start} is after --to {end}")
    if not base_url.startswith(("http://", "https://")):
        raise click.BadParameter(f"--base-url must be an http(s) URL: {base_url}")
    failed = 0
    with Fetcher(fetch_config(**fetch_opts)) as fetcher:
        for item in batch.ccnews_urls(start, end, fetcher, base_url):
            if isinstance(item, ScraperError):
                failed += 1
                click.echo(f"error: {item}", err=True)
            else:
                click.echo(item)
    ctx.exit(EXIT_FAILURES if failed else EXIT_OK)

"""Commands on single pages: `extract` (files, no network), `get` (`scrape.py URL`), `fetch`."""

from __future__ import annotations

import json
from typing import Any

import click

from scraper import extract as extract_page
from scraper.article import Article
from scraper.cli.base import (
    EXIT_FAILURES,
    EXIT_OK,
    cli,
    db_option,
    emit,
    fetch_config,
    fetch_options,
    listed_inputs,
    open_store,
    parse_now,
)
from scraper.errors import FetchError
from scraper.fetch import Fetcher
from scraper.inputs import expand, read_page
from scraper.pipeline import OUTCOMES, process
from scraper.pipeline import extract_page as extract_fetched


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--url", help="The page's URL (resolves relative links, dates in the URL). One input only."
)
@click.option(
    "--format", "fmt", type=click.Choice(["jsonl", "json"]), default="jsonl", show_default=True
)
@click.option(
    "--now",
    "now_text",
    metavar="ISO",
    help="Resolve relative dates ('3 hours ago') against this time.",
)
@click.pass_context
def extract(
    ctx: click.Context, paths: tuple[str, ...], url: str | None, fmt: str, now_text: str | None
) -> None:
    """Extract records from saved pages: .html or .html.gz files, folders of them, or - for stdin.

    Prints one JSON object per input, in input order."""
    names = list(expand(list(paths)))
    if url and len(names) > 1:
        raise click.UsageError("--url applies to a single input")
    now = parse_now(now_text)
    failed = 0
    records = []
    for name in names:
        try:
            data = read_page(name)
        except OSError as exc:
            problem = f"cannot read: {exc.strerror or exc}"
            record = Article(source=name, url=url, page_type="unknown", error=problem).to_dict()
        else:
            record = extract_page(data, url=url, now=now, source=name).to_dict()
        failed += bool(record.get("error"))
        if fmt == "json":
            records.append(record)
        else:
            emit(record, fmt)
    if fmt == "json":
        click.echo(
            json.dumps(
                records if len(paths) > 1 or len(records) != 1 else records[0],
                ensure_ascii=False,
                indent=2,
            )
        )
    ctx.exit(EXIT_FAILURES if failed else EXIT_OK)


@cli.command("get")
@click.argument("url")
@click.option(
    "--format", "fmt", type=click.Choice(["json", "jsonl"]), default="json", show_default=True
)
@fetch_options
@click.pass_context
def get(ctx: click.Context, url: str, fmt: str, **fetch_opts: Any) -> None:
    """Fetch one page and print its record (the default command: scrape.py URL). No database."""
    with Fetcher(fetch_config(**fetch_opts)) as fetcher:
        try:
            record = extract_fetched(fetcher.fetch(url)).to_dict()
        except FetchError as exc:
            record = Article(source=url, url=url, page_type="unknown", error=str(exc)).to_dict()
            click.echo(f"error: {exc}", err=True)
    emit(record, fmt)
    ctx.exit(EXIT_FAILURES if record["error"] else EXIT_OK)


@cli.command()
@click.argument("urls", nargs=-1)
@click.option(
    "-i",
    "--input",
    "input_file",
    metavar="FILE",
    help="Read URLs from FILE, one per line ('-' for stdin).",
)
@db_option
@fetch_options
@click.pass_context
def fetch(
    ctx: click.Context, urls: tuple[str, ...], input_file: str | None, db: str, **fetch_opts: Any
) -> None:
    """Fetch, extract and store pages; prints a summary. Known pages are revalidated (304)."""
    targets = listed_inputs(urls, input_file)
    if not targets:
        raise click.UsageError("no URLs given (arguments, --input FILE, or - for stdin)")
    counts = dict.fromkeys(OUTCOMES, 0)
    with open_store(db) as store, Fetcher(fetch_config(**fetch_opts)) as fetcher:
        for url in targets:
            result = process(url, fetcher, store)
            counts[result.outcome] += 1
            if result.error is not None:
                click.echo(f"error: {result.error}", err=True)
    summary = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in counts.items() if n)
    click.echo(f"{len(targets)} URLs: {summary}", err=True)
    ctx.exit(EXIT_FAILURES if counts["error"] else EXIT_OK)

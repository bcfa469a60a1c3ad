"""Commands on the database: `export`, `search`, `stats`, `history`, `reextract`."""

from __future__ import annotations

import json

import click

from scraper import extract as extract_page
from scraper.cli.base import EXIT_FAILURES, EXIT_OK, cli, db_option, iso_date, open_store
from scraper.crawl import runs as crawl_runs
from scraper.store import history_diffs, write_csv, write_jsonl, write_parquet


@cli.command()
@db_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv", "parquet", "warc"]),
    default="jsonl",
    show_default=True,
)
@click.option(
    "--since",
    metavar="DATE",
    callback=lambda _ctx, _param, value: iso_date(value),
    help="Only stories fetched at or after DATE (ISO 8601).",
)
@click.option("--site", metavar="HOST", help="Only stories from this host.")
@click.option(
    "--include-duplicates", is_flag=True, help="Also stories marked duplicate_of another."
)
@click.option(
    "-o", "--output", metavar="FILE", help="Write to FILE (required for parquet and warc)."
)
def export(
    db: str,
    fmt: str,
    since: str | None,
    site: str | None,
    include_duplicates: bool,
    output: str | None,
) -> None:
    """Print stored records (same keys as extract, plus fetched_at and duplicate_of)."""

    with open_store(db, existing=True) as store:
        if fmt == "warc":
            count = store.export_warc(output or "news.warc.gz")
        elif fmt == "parquet":
            count = write_parquet(
                store.export(since, site, include_duplicates), output or "news.parquet"
            )
        else:
            writer = write_csv if fmt == "csv" else write_jsonl
            with click.open_file(output or "-", "w", encoding="utf-8") as out:
                count = writer(store.export(since, site, include_duplicates), out)
    click.echo(f"{count} records exported", err=True)


@cli.command()
@click.argument("query")
@db_option
@click.option("--limit", type=int, default=20, show_default=True)
def search(query: str, db: str, limit: int) -> None:
    """Full-text search of headlines and bodies; prints the best matches with a snippet."""
    with open_store(db, existing=True) as store:
        hits = store.search(query, limit)
    for hit in hits:
        click.echo(f"{hit.get('published') or '':<25.25} {hit['headline'] or ''}")
        snippet = " ".join((hit.get("snippet") or "").split())
        click.echo(f"    {hit['canonical_url']}\n    {snippet}")
    click.echo(f"{len(hits)} matches", err=True)


@cli.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def stats(db: str, as_json: bool) -> None:
    """Per site: stories, duplicates, field coverage, errors; and the recorded crawl runs."""
    with open_store(db, existing=True) as store:
        per_site = store.stats()
        runs = crawl_runs(store.conn)
    if as_json:
        click.echo(json.dumps({"sites": per_site, "runs": runs}, ensure_ascii=False, indent=2))
        return
    heads = ("stories", "dups", "headline", "authors", "date", "bio", "errors")
    click.echo(f"{'site':<32} " + " ".join(f"{h:>8}" for h in heads))
    for site, row in per_site.items():
        cov = row["coverage"]
        click.echo(
            f"{site:<32.32} {row['articles']:>8} {row['duplicates']:>8} {cov['headline']:>8.0%} "
            f"{cov['authors']:>8.0%} {cov['published']:>8.0%} {cov['bio']:>8.0%} {row['errors']:>8}"
        )
    for run in runs:
        counts = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in run["counts"].items())
        click.echo(
            f"run {run['id']} {run['status']}: {run['started_at']} -> {run['ended_at'] or '?'},"
            f" exit {run['exit_code']}: {counts or 'nothing done'}"
        )


@cli.command()
@click.argument("url")
@db_option
@click.pass_context
def history(ctx: click.Context, url: str, db: str) -> None:
    """Every stored version of a story, and what changed between them (a unified diff)."""

    with open_store(db, existing=True) as store:
        revisions = store.history(url)
    if not revisions:
        click.echo(f"not in {db}: {url}", err=True)
        ctx.exit(EXIT_FAILURES)
    for rev in revisions:
        click.echo(f"revision {rev['id']} fetched {rev['fetched_at']}: {rev['headline']}")
    for diff in history_diffs(revisions):
        click.echo(diff)


@cli.command()
@db_option
@click.pass_context
def reextract(ctx: click.Context, db: str) -> None:
    """Rebuild every record from the archived responses with the current extractor (offline)."""
    with open_store(db, existing=True) as store:
        counts = store.reextract(extract_page)
    click.echo(", ".join(f"{n} {k}" for k, n in counts.items()), err=True)
    ctx.exit(EXIT_FAILURES if counts.get("errors") else EXIT_OK)

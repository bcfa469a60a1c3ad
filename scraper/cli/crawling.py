"""Commands that crawl: `crawl` (sites into the database) and `demo` (the bundled site)."""

from __future__ import annotations

import re
from contextlib import ExitStack
from datetime import date, datetime
from typing import Any

import click

from scraper.cli.base import cli, db_option, fetch_config, fetch_options, open_store, setup_logging
from scraper.cli.database import stats
from scraper.crawl import CrawlOptions, Progress, RunBusy, Scope, default_processes
from scraper.crawl import crawl as run_crawl
from scraper.fetch import FetchConfig


def _crawl(
    seeds: list[str], db: str, options: CrawlOptions, config: FetchConfig, verbose: bool
) -> int:
    """Run a crawl into db; returns its exit code. A bar on a terminal unless --verbose."""
    progress = Progress(tty=False) if verbose else Progress()
    with open_store(db) as store:
        try:
            return run_crawl(seeds, store, options, config, progress=progress).exit_code
        except RunBusy as exc:
            raise click.ClickException(f"{exc}; wait for it or stop it") from exc


@cli.command()
@click.argument("seeds", nargs=-1, required=True)
@db_option
@click.option("--max-pages", type=click.IntRange(min=1), help="Fetch at most N pages this run.")
@click.option("--max-depth", type=click.IntRange(min=0), help="Follow links at most D hops.")
@click.option(
    "--concurrency",
    type=click.IntRange(1, 256),
    default=8,
    show_default=True,
    help="Requests at once (never two to one host).",
)
@click.option(
    "--delay",
    type=click.FloatRange(min=0),
    default=1.0,
    show_default=True,
    help="Seconds between requests to a host (at least its Crawl-delay).",
)
@click.option(
    "--since",
    type=click.DateTime(["%Y-%m-%d"]),
    metavar="DATE",
    help="Skip sitemap and feed entries dated before DATE.",
)
@click.option(
    "--processes",
    type=click.IntRange(0, 64),
    default=default_processes(),
    show_default="one less than the cores, at most 4",
    help="Extra processes reading pages: extraction runs beside the fetching (0: in threads).",
)
@click.option("--allow", multiple=True, metavar="REGEX", help="Also crawl URLs matching REGEX.")
@click.option("--deny", multiple=True, metavar="REGEX", help="Never crawl URLs matching REGEX.")
@click.option("-v", "--verbose", is_flag=True, help="Log every page to stderr.")
@fetch_options
@click.pass_context
def crawl(
    ctx: click.Context,
    seeds: tuple[str, ...],
    db: str,
    since: datetime | None,
    verbose: bool,
    **opts: Any,
) -> None:
    """Crawl news sites from SEED URLs into the database: sitemaps, feeds, then links.

    Resumable (run the same command again after a kill) and incremental (known pages are
    revalidated on a schedule). A progress bar on a terminal, one summary line otherwise."""
    if bad := [s for s in seeds if not s.startswith(("http://", "https://"))]:
        raise click.UsageError(f"seeds must be http(s) URLs: {', '.join(bad)}")
    fetch_opts = {k: opts.pop(k) for k in ("user_agent", "timeout", "max_bytes", "ignore_robots")}
    try:
        options = CrawlOptions(since=since.date() if since else None, **opts)
        Scope.from_seeds(seeds, today=date.today(), allow=options.allow, deny=options.deny)
    except re.error as exc:
        raise click.BadParameter(f"bad --allow/--deny pattern: {exc}") from exc
    setup_logging(verbose)
    ctx.exit(_crawl(list(seeds), db, options, fetch_config(**fetch_opts), verbose))


@cli.command()
@db_option
@click.option(
    "--port",
    type=int,
    default=8642,
    show_default=True,
    help="Port on 127.0.0.1 (the same each time keeps re-runs incremental).",
)
@click.option("-v", "--verbose", is_flag=True, help="Log every page to stderr.")
@click.pass_context
def demo(ctx: click.Context, db: str, port: int, verbose: bool) -> None:
    """Serve the bundled demo news site on 127.0.0.1, crawl it into the database, show stats."""
    from scraper.demo_site import serve_demo

    setup_logging(verbose)
    with ExitStack() as stack:
        try:
            base = stack.enter_context(serve_demo(port=port))
        except OSError:  # the port is taken: any free one (a re-run then starts afresh)
            base = stack.enter_context(serve_demo())
        click.echo(f"Demo news site at {base}/, crawling it into {db}", err=True)
        code = _crawl([base + "/"], db, CrawlOptions(delay=0.0), FetchConfig(), verbose)
    ctx.invoke(stats, db=db, as_json=False)
    ctx.exit(code)

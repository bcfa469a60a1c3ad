"""Command line: `scrape.py URL`, `extract`, `fetch`, `crawl`, `export`, ... (see README).

Library errors become messages and exit codes here and nowhere else:
0 all good, 1 some inputs or pages failed, 2 usage or setup error."""

from __future__ import annotations

import json
import logging
import re
import sys
from contextlib import ExitStack
from datetime import date, datetime
from typing import Any

import click
from click_default_group import DefaultGroup

from scraper import extract as extract_page
from scraper.article import Article
from scraper.crawl import CrawlOptions, default_processes
from scraper.crawl import crawl as run_crawl
from scraper.errors import FetchError, StoreError
from scraper.fetch import FetchConfig, Fetcher
from scraper.frontier import RunBusy
from scraper.frontier import runs as crawl_runs
from scraper.inputs import expand, read_page
from scraper.pipeline import OUTCOMES, process
from scraper.pipeline import extract_page as extract_fetched
from scraper.progress import Progress
from scraper.scope import Scope
from scraper.store import Store

EXIT_OK, EXIT_FAILURES, EXIT_USAGE = 0, 1, 2


def _now(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"not an ISO 8601 date-time: {value}") from exc


def _iso(value: str | None) -> str | None:
    """An ISO 8601 date or date-time as given, after checking that it is one."""
    if value is not None:
        try:
            datetime.fromisoformat(value)
        except ValueError as exc:
            raise click.BadParameter(f"not an ISO 8601 date: {value}") from exc
    return value


def _emit(record: dict[str, Any], fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps(record, ensure_ascii=False, indent=2))
    else:
        click.echo(json.dumps(record, ensure_ascii=False))


@click.group(cls=DefaultGroup, default="get", default_if_no_args=False)
@click.version_option(package_name="scraper")
def cli() -> None:
    """News scraper and article extractor: headline, authors, dates, body, author bios."""


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
    now = _now(now_text)
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
            _emit(record, fmt)
    if fmt == "json":
        click.echo(
            json.dumps(
                records if len(paths) > 1 or len(records) != 1 else records[0],
                ensure_ascii=False,
                indent=2,
            )
        )
    ctx.exit(EXIT_FAILURES if failed else EXIT_OK)


def _fetch_options(fn: Any) -> Any:
    """Options every command that fetches shares."""
    options = [
        click.option(
            "--user-agent", help="User-Agent sent with every request (with a contact URL)."
        ),
        click.option(
            "--timeout",
            type=float,
            default=60.0,
            show_default=True,
            help="Seconds allowed for one page.",
        ),
        click.option(
            "--max-bytes",
            type=int,
            default=10_000_000,
            show_default=True,
            help="Largest page read.",
        ),
        click.option(
            "--ignore-robots", is_flag=True, help="Do not obey robots.txt (off by default)."
        ),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def _fetch_config(
    user_agent: str | None, timeout: float, max_bytes: int, ignore_robots: bool
) -> FetchConfig:
    base = FetchConfig()
    return FetchConfig(
        user_agent=user_agent or base.user_agent,
        total_timeout=timeout,
        max_bytes=max_bytes,
        respect_robots=not ignore_robots,
    )


def _open_store(db: str) -> Store:
    try:
        return Store(db)
    except StoreError as exc:
        raise click.UsageError(f"cannot open {db}: {exc}") from exc


db_option = click.option("--db", default="news.db", show_default=True, help="SQLite database file.")


@cli.command("get")
@click.argument("url")
@click.option(
    "--format", "fmt", type=click.Choice(["json", "jsonl"]), default="json", show_default=True
)
@_fetch_options
@click.pass_context
def get(ctx: click.Context, url: str, fmt: str, **fetch_opts: Any) -> None:
    """Fetch one page and print its record (the default command: scrape.py URL). No database."""
    with Fetcher(_fetch_config(**fetch_opts)) as fetcher:
        try:
            record = extract_fetched(fetcher.fetch(url)).to_dict()
        except FetchError as exc:
            record = Article(source=url, url=url, page_type="unknown", error=str(exc)).to_dict()
    _emit(record, fmt)
    ctx.exit(EXIT_FAILURES if record["error"] else EXIT_OK)


def _read_urls(urls: tuple[str, ...], input_file: str | None) -> list[str]:
    """URLs from the arguments, then from a file (one per line; '-' is stdin; # comments)."""
    found = [u for u in urls if u != "-"]
    if input_file or "-" in urls:
        try:
            handle = sys.stdin if input_file in (None, "-") else open(input_file, encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            raise click.BadParameter(f"cannot read {input_file}: {exc.strerror}") from exc
        with handle:
            found += [
                line.strip()
                for line in handle
                if line.strip() and not line.lstrip().startswith("#")
            ]
    return found


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
@_fetch_options
@click.pass_context
def fetch(
    ctx: click.Context, urls: tuple[str, ...], input_file: str | None, db: str, **fetch_opts: Any
) -> None:
    """Fetch, extract and store pages; prints a summary. Known pages are revalidated (304)."""
    targets = _read_urls(urls, input_file)
    if not targets:
        raise click.UsageError("no URLs given (arguments, --input FILE, or - for stdin)")
    counts = dict.fromkeys(OUTCOMES, 0)
    with _open_store(db) as store, Fetcher(_fetch_config(**fetch_opts)) as fetcher:
        for url in targets:
            result = process(url, fetcher, store)
            counts[result.outcome] += 1
            if result.error is not None:
                click.echo(f"error: {result.error}", err=True)
    summary = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in counts.items() if n)
    click.echo(f"{len(targets)} URLs: {summary}", err=True)
    ctx.exit(EXIT_FAILURES if counts["error"] else EXIT_OK)


def _setup_logging(verbose: bool) -> None:
    """Logs to stderr: every page with --verbose, warnings on a terminal, errors under cron."""
    level = logging.INFO if verbose else logging.WARNING if sys.stderr.isatty() else logging.ERROR
    logging.basicConfig(level=level, stream=sys.stderr, format="%(levelname)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one INFO line per request otherwise


def _crawl(
    seeds: list[str], db: str, options: CrawlOptions, config: FetchConfig, verbose: bool
) -> int:
    """Run a crawl into db; returns its exit code. A bar on a terminal unless --verbose."""
    progress = Progress(tty=False) if verbose else Progress()
    with _open_store(db) as store:
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
@_fetch_options
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
    _setup_logging(verbose)
    ctx.exit(_crawl(list(seeds), db, options, _fetch_config(**fetch_opts), verbose))


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
    from scraper.demo import serve_demo

    _setup_logging(verbose)
    with ExitStack() as stack:
        try:
            base = stack.enter_context(serve_demo(port=port))
        except OSError:  # the port is taken: any free one (a re-run then starts afresh)
            base = stack.enter_context(serve_demo())
        click.echo(f"Demo news site at {base}/, crawling it into {db}", err=True)
        code = _crawl([base + "/"], db, CrawlOptions(delay=0.0), FetchConfig(), verbose)
    ctx.invoke(stats, db=db, as_json=False)
    ctx.exit(code)


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
    callback=lambda _ctx, _param, value: _iso(value),
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
    from scraper import export as formats

    with _open_store(db) as store:
        if fmt == "warc":
            count = store.export_warc(output or "news.warc.gz")
        elif fmt == "parquet":
            count = formats.write_parquet(
                store.export(since, site, include_duplicates), output or "news.parquet"
            )
        else:
            writer = formats.write_csv if fmt == "csv" else formats.write_jsonl
            with click.open_file(output or "-", "w", encoding="utf-8") as out:
                count = writer(store.export(since, site, include_duplicates), out)
    click.echo(f"{count} records exported", err=True)


@cli.command()
@click.argument("query")
@db_option
@click.option("--limit", type=int, default=20, show_default=True)
def search(query: str, db: str, limit: int) -> None:
    """Full-text search of headlines and bodies; prints the best matches with a snippet."""
    with _open_store(db) as store:
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
    with _open_store(db) as store:
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
    from scraper.export import history_diffs

    with _open_store(db) as store:
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
    with _open_store(db) as store:
        counts = store.reextract(extract_page)
    click.echo(", ".join(f"{n} {k}" for k, n in counts.items()), err=True)
    ctx.exit(EXIT_FAILURES if counts.get("errors") else EXIT_OK)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code instead of exiting (tests call this)."""
    try:
        code = cli.main(args=argv, prog_name="scrape.py", standalone_mode=False)
        return code if isinstance(code, int) else EXIT_OK  # ctx.exit(n) comes back as n
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except StoreError as exc:
        click.echo(f"error: {exc}", err=True)
        return EXIT_USAGE
    except click.ClickException as exc:
        exc.show()
        return EXIT_USAGE
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())

"""What every command shares: the group, exit codes, option sets, parsing and output helpers."""

from __future__ import annotations

import json
import logging
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import click
from click_default_group import DefaultGroup

from scraper.errors import StoreError
from scraper.fetch import FetchConfig
from scraper.inputs import listed
from scraper.store import Store

EXIT_OK, EXIT_FAILURES, EXIT_USAGE = 0, 1, 2


def parse_now(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"not an ISO 8601 date-time: {value}") from exc


def iso_date(value: str | None) -> str | None:
    """An ISO 8601 date or date-time as given, after checking that it is one."""
    if value is not None:
        try:
            datetime.fromisoformat(value)
        except ValueError as exc:
            raise click.BadParameter(f"not an ISO 8601 date: {value}") from exc
    return value


def emit(record: dict[str, Any], fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps(record, ensure_ascii=False, indent=2))
    else:
        click.echo(json.dumps(record, ensure_ascii=False))


@click.group(cls=DefaultGroup, default="get", default_if_no_args=False)
@click.version_option(package_name="scraper")
def cli() -> None:
    """News scraper and article extractor: headline, authors, dates, body, author bios."""


def fetch_options(fn: Any) -> Any:
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


def fetch_config(
    user_agent: str | None, timeout: float, max_bytes: int, ignore_robots: bool
) -> FetchConfig:
    base = FetchConfig()
    return FetchConfig(
        user_agent=user_agent or base.user_agent,
        total_timeout=timeout,
        max_bytes=max_bytes,
        respect_robots=not ignore_robots,
    )


def listed_inputs(args: tuple[str, ...], list_file: str | None) -> list[str]:
    """The arguments, then the entries of `-i LIST` ('-' is stdin); an unreadable list is a
    usage error."""
    try:
        return listed(args, list_file)
    except OSError as exc:
        raise click.BadParameter(f"cannot read {list_file}: {exc.strerror}") from exc


def open_store(db: str, *, existing: bool = False) -> Store:
    """The database at db; with existing=True (commands that only read or rebuild it) a
    missing file is a usage error, not a new empty database made by a typo in --db."""
    if existing and db != ":memory:" and not Path(db).exists():
        raise click.UsageError(f"no database at {db} (crawl, fetch or warc --db make one)")
    try:
        return Store(db)
    except StoreError as exc:
        raise click.UsageError(f"cannot open {db}: {exc}") from exc


db_option = click.option("--db", default="news.db", show_default=True, help="SQLite database file.")


def setup_logging(verbose: bool) -> None:
    """Logs to stderr: every page with --verbose, warnings on a terminal, errors under cron."""
    level = logging.INFO if verbose else logging.WARNING if sys.stderr.isatty() else logging.ERROR
    logging.basicConfig(level=level, stream=sys.stderr, format="%(levelname)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one INFO line per request otherwise

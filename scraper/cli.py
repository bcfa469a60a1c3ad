"""Command line: `scrape.py URL`, `extract`, `fetch`, `crawl`, `export`, ... (see README).

Library errors become messages and exit codes here and nowhere else:
0 all good, 1 some inputs or pages failed, 2 usage or setup error."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import Any

import click
from click_default_group import DefaultGroup

from scraper import extract as extract_page
from scraper.inputs import expand, read_page

EXIT_OK, EXIT_FAILURES, EXIT_USAGE = 0, 1, 2


def _now(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"not an ISO 8601 date-time: {value}") from exc


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
            record: dict[str, Any] = {
                "source": name,
                "error": f"cannot read: {exc.strerror or exc}",
            }
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


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code instead of exiting (tests call this)."""
    try:
        cli.main(args=argv, prog_name="scrape.py", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        return EXIT_USAGE
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())

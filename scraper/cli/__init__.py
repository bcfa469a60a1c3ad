"""Command line: `scrape.py URL`, `extract`, `fetch`, `crawl`, `export`, ... (see README).

Library errors become messages and exit codes here and nowhere else: 0 all good; 1 an input
the user named failed (a URL of `fetch` or `get`, a file of `extract` or `warc`), or a crawl
was degraded (README: Exit codes); 2 usage or setup error; 130/143 on signals. One module per
family of commands (pages, crawling, database, batch); each registers its commands on the
group in base.py.
"""

from __future__ import annotations

import click

from scraper.cli import batch, crawling, database, pages
from scraper.cli.base import EXIT_FAILURES, EXIT_OK, EXIT_USAGE, cli
from scraper.errors import StoreError

__all__ = [
    "EXIT_FAILURES",
    "EXIT_OK",
    "EXIT_USAGE",
    "batch",
    "cli",
    "crawling",
    "database",
    "main",
    "pages",
]


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

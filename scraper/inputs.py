"""Reading inputs from disk: pages for `scrape.py extract` (files, gzip files, folders, stdin),
and lists of URLs or WARC sources for `fetch -i` and `warc -i`."""

from __future__ import annotations

import gzip
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

# File names `extract` picks up inside a folder.
PAGE_SUFFIXES: tuple[str, ...] = (".html", ".htm", ".xhtml", ".html.gz", ".htm.gz")
# A page file larger than this is not read whole (the extractor cuts pages to a bounded size).
MAX_PAGE_BYTES = 50_000_000


def expand(paths: list[str]) -> Iterator[str]:
    """Each argument in order; a folder becomes its page files, sorted, recursively."""
    for arg in paths:
        path = Path(arg)
        if arg != "-" and path.is_dir():
            found = (
                p for p in path.rglob("*") if p.is_file() and p.name.lower().endswith(PAGE_SUFFIXES)
            )
            yield from (str(p) for p in sorted(found))
        else:
            yield arg


def read_page(name: str) -> bytes:
    """The page's bytes: '-' is stdin; .gz files are decompressed, capped at MAX_PAGE_BYTES."""
    if name == "-":
        return sys.stdin.buffer.read(MAX_PAGE_BYTES)
    if name.lower().endswith(".gz"):
        with gzip.open(name, "rb") as fh:
            return fh.read(MAX_PAGE_BYTES)
    with open(name, "rb") as fh:
        return fh.read(MAX_PAGE_BYTES)


def read_list(lines: Iterable[str]) -> list[str]:
    """Entries of a list: one a line, blank lines and # comments skipped."""
    return [s for line in lines if (s := line.strip()) and not s.startswith("#")]


def listed(args: Sequence[str], list_file: str | None) -> list[str]:
    """The arguments, then the entries of list_file ('-', or a bare '-' argument, is stdin);
    OSError when the list cannot be read."""
    found = [a for a in args if a != "-"]
    if list_file is None and "-" not in args:
        return found
    if list_file in (None, "-"):
        return found + read_list(sys.stdin)
    with open(list_file, encoding="utf-8") as handle:
        return found + read_list(handle)

"""Reading the store out: records, search, stats, the raw archive, and the file formats.

Functions over a sqlite3 connection (the Store's); Store's methods are the public way in.
"""

from __future__ import annotations

import csv
import difflib
import gzip
import http
import io
import itertools
import json
import re
import sqlite3
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from scraper.article import RECORD_KEYS
from scraper.errors import StoreError
from scraper.store.rows import row_to_record

EXPORT_KEYS: tuple[str, ...] = (*RECORD_KEYS, "fetched_at", "duplicate_of")
RawPage = tuple[str, dict[str, Any], dict[str, str], bytes]  # url, fetch row, headers, body
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=\S)")
# Hop-by-hop and transfer headers that no longer describe the stored (decoded) body.
_STALE_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})


def dicts(cursor: sqlite3.Cursor) -> Iterator[dict[str, Any]]:
    """Rows of a cursor as dicts keyed by column name."""
    names = [d[0] for d in cursor.description]
    for row in cursor:
        yield dict(zip(names, row, strict=True))


def records(
    conn: sqlite3.Connection,
    since: str | None = None,
    site: str | None = None,
    include_duplicates: bool = False,
) -> Iterator[dict[str, Any]]:
    """Stored stories as records, plus fetched_at and duplicate_of (the first copy's URL)."""
    where, params = ["1"], []
    if since:
        where.append("a.fetched_at >= ?")
        params.append(utc_text(since))
    if site:
        where.append("a.site = ?")
        params.append(site.lower())
    if not include_duplicates:
        where.append("a.duplicate_of IS NULL")
    cursor = conn.execute(
        "SELECT a.*, d.canonical_url AS duplicate_of_url FROM articles a"
        f" LEFT JOIN articles d ON d.id = a.duplicate_of WHERE {' AND '.join(where)}"
        " ORDER BY a.id",
        params,
    )
    for row in dicts(cursor):
        record = row_to_record(row)
        record["fetched_at"] = row["fetched_at"]
        record["duplicate_of"] = row["duplicate_of_url"]
        yield record


def utc_text(moment: str) -> str:
    """A date or ISO time as the store writes times (UTC, +00:00) so text comparison works."""
    parsed = datetime.fromisoformat(moment.replace("Z", "+00:00"))
    if len(moment) <= 10 or parsed.tzinfo is None:
        return moment  # a date, or a local time taken as UTC
    return parsed.astimezone(UTC).isoformat(timespec="seconds")


def search(
    conn: sqlite3.Connection, query: str, limit: int = 20, include_duplicates: bool = False
) -> list[dict[str, Any]]:
    """Best FTS5 matches (bm25), each with a snippet where the words are [bracketed]."""
    sql = (
        "SELECT a.id, a.canonical_url, a.site, a.headline, a.published, a.duplicate_of,"
        " snippet(articles_fts, 1, '[', ']', '…', 16) AS snippet"
        " FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid"
        f" WHERE articles_fts MATCH ? {'' if include_duplicates else 'AND a.duplicate_of IS NULL'}"
        " ORDER BY rank LIMIT ?"
    )
    try:
        return list(dicts(conn.execute(sql, (query, limit))))
    except sqlite3.OperationalError:
        # Not FTS5 syntax (a stray quote, a hyphenated word): search the words literally.
        quoted = " ".join(f'"{w}"' for w in re.findall(r"\w+", query))
        return list(dicts(conn.execute(sql, (quoted or '""', limit))))


def stats(conn: sqlite3.Connection) -> dict[str, dict[str, Any]]:
    """Per site: stories, duplicates, share of stories where each field was found, errors."""
    fields = ("headline", "authors", "published", "bio")
    result: dict[str, dict[str, Any]] = {}
    for row in dicts(
        conn.execute(
            "SELECT site, count(*) AS articles, count(duplicate_of) AS duplicates,"
            " avg(headline IS NOT NULL) AS headline, avg(authors != '[]') AS authors,"
            " avg(published IS NOT NULL) AS published, avg(author_bios != '[]') AS bio"
            " FROM articles GROUP BY site ORDER BY site"
        )
    ):
        result[row["site"]] = {
            "articles": row["articles"],
            "duplicates": row["duplicates"],
            "coverage": {k: round(row[k], 3) for k in fields},
            "errors": 0,
        }
    for site, errors in conn.execute(
        "SELECT site, count(*) FROM fetches WHERE outcome = 'error' GROUP BY site"
    ):
        entry = result.setdefault(
            site, {"articles": 0, "duplicates": 0, "coverage": dict.fromkeys(fields, 0.0)}
        )
        entry["errors"] = errors
    return result


def raw_page(conn: sqlite3.Connection, fetch_id: int) -> RawPage | None:
    """(page URL, fetch row, headers, body) of one archived response."""
    cursor = conn.execute(
        "SELECT f.*, r.status AS raw_status, r.headers AS raw_headers, r.body AS raw_body"
        " FROM fetches f JOIN raw_responses r ON r.fetch_id = f.id WHERE f.id = ?",
        (fetch_id,),
    )
    row = next(dicts(cursor), None)
    if row is None:
        return None
    headers, body = json.loads(row.pop("raw_headers")), gzip.decompress(row.pop("raw_body"))
    return row["final_url"] or row["url"], row, headers, body


def raw_fetch_ids(conn: sqlite3.Connection, latest_only: bool) -> list[int]:
    """Fetch ids with an archived response: all, or the newest per page (final URL)."""
    if latest_only:
        sql = (
            "SELECT max(f.id) FROM fetches f JOIN raw_responses r ON r.fetch_id = f.id"
            " GROUP BY coalesce(f.final_url, f.url) ORDER BY 1"
        )
    else:
        sql = "SELECT fetch_id FROM raw_responses ORDER BY 1"
    # Ids first, pages one by one after: no read cursor stays open across the caller's writes.
    return [r[0] for r in conn.execute(sql)]


def write_jsonl(items: Iterable[dict[str, Any]], out: IO[str]) -> int:
    """One JSON object a line; returns the count."""
    count = 0
    for item in items:
        out.write(json.dumps(item, ensure_ascii=False) + "\n")
        count += 1
    return count


def write_csv(items: Iterable[dict[str, Any]], out: IO[str]) -> int:
    """A CSV with the export keys as header; lists and objects as JSON text."""
    writer = csv.DictWriter(out, fieldnames=EXPORT_KEYS, extrasaction="ignore")
    writer.writeheader()
    count = 0
    for item in items:
        writer.writerow({k: _csv_cell(item.get(k)) for k in EXPORT_KEYS})
        count += 1
    return count


def write_parquet(items: Iterable[dict[str, Any]], path: str | Path) -> int:
    """A Parquet file (needs the optional pyarrow); lists and objects as JSON text."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise StoreError("Parquet export needs pyarrow: pip install 'scraper[parquet]'") from exc
    rows = [{k: _csv_cell(item.get(k)) for k in EXPORT_KEYS} for item in items]
    pq.write_table(pa.Table.from_pylist(rows), str(path))
    return len(rows)


def _csv_cell(value: Any) -> Any:
    """Flat value for tabular formats: lists and dicts become JSON text."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else value


def write_warc(pages: Iterable[RawPage], path: str | Path) -> int:
    """A gzipped WARC 1.1 file: one response record per archived page; returns the count."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    count = 0
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True, warc_version="WARC/1.1")
        info = {"software": "scraper (news crawler)", "format": "WARC File Format 1.1"}
        writer.write_record(writer.create_warcinfo_record(Path(path).name, info))
        for url, row, headers, body in pages:
            status = row.get("raw_status") or row.get("status") or 200
            # The body is stored decoded, so the headers must not announce gzip or chunks.
            kept = [(k, v) for k, v in headers.items() if k.lower() not in _STALE_HEADERS]
            kept.append(("content-length", str(len(body))))
            statusline = f"{status} {_reason(status)}"
            http_headers = StatusAndHeaders(statusline, kept, protocol="HTTP/1.1")
            record = writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(body),
                length=len(body),
                http_headers=http_headers,
                warc_headers_dict={"WARC-Date": warc_date(row["fetched_at"])},
            )
            writer.write_record(record)
            count += 1
    return count


def _reason(status: int) -> str:
    """The standard reason phrase of a status code ('' when unknown)."""
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return ""


def warc_date(iso: str) -> str:
    """An ISO 8601 time as WARC-Date wants it: UTC, 'Z', whole seconds."""
    moment = datetime.fromisoformat(re.sub(r"Z$", "+00:00", iso))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def revision_diff(old: dict[str, Any], new: dict[str, Any]) -> str:
    """A unified diff of two revisions: headline, then one sentence a line (edits stand out)."""

    def lines(rev: dict[str, Any]) -> list[str]:
        out = [f"# {rev.get('headline') or ''}"]
        for paragraph in (rev.get("body") or "").split("\n\n"):
            out += ["", *_SENTENCE_END.split(paragraph.strip())]
        return out

    return "\n".join(
        difflib.unified_diff(
            lines(old),
            lines(new),
            fromfile=f"revision {old['id']} ({old['fetched_at']})",
            tofile=f"revision {new['id']} ({new['fetched_at']})",
            lineterm="",
        )
    )


def history_diffs(revisions: list[dict[str, Any]]) -> Iterator[str]:
    """The diff between each pair of consecutive revisions, oldest first."""
    for old, new in itertools.pairwise(revisions):
        yield revision_diff(old, new)

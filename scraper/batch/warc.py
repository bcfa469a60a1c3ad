"""WARC records in, pages out: every HTML response or resource record as if it were fetched.

Streamed record by record (a CC-NEWS file is ~1 GB): FastWARC reads the file (gzip per
record, whole-file gzip or plain; WARC 1.0 and 1.1); what it cannot read at all (ARC files)
goes to warcio. A record is judged on its WARC headers first (type, target URL, date,
length), then on its HTTP headers (status, Content-Type), and only then is its payload read,
capped like a fetch. Transfer and content encodings left inside a record (chunked, gzip,
br) are undone with warcio's readers. Every record lands in `counts` under its type and,
when it is not a page, the reason; a file that ends inside a record or is not a WARC raises
WarcError after the pages before the damage were yielded.
"""

from __future__ import annotations

import io
import logging
import zlib
from collections import Counter
from collections.abc import Generator, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from fastwarc.warc import ArchiveIterator, WarcRecord
from warcio.archiveiterator import ArchiveIterator as WarcioIterator
from warcio.bufferedreaders import BufferedReader, ChunkedDataReader
from warcio.exceptions import ArchiveLoadFailed

from scraper.article import Article
from scraper.batch.filters import Filters
from scraper.batch.sources import Stream, StreamConfig, is_url, open_source
from scraper.errors import WarcError
from scraper.extract import extract
from scraper.fetch import looks_like_html, parse_content_type

log = logging.getLogger(__name__)

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Record types that never hold a page; counted under their own name and skipped unread.
OTHER_TYPES = ("warcinfo", "request", "revisit", "metadata", "conversion", "continuation")
# Skip reasons, counted beside the record types.
SKIP_REASONS = ("not_html", "not_2xx", "too_large", "filtered", "broken", "truncated")
# HTTP headers may take this much beside the payload before a record counts as too large.
_HEADER_ROOM = 64 * 1024
_SNIFF = 1024


@dataclass(frozen=True)
class WarcPage:
    """One HTML capture from a WARC, shaped like scraper.fetch.FetchResult so the store
    saves it as a fetch (scraper.store FetchLike), plus where it came from."""

    url: str
    final_url: str
    status: int
    headers: dict[str, str]  # HTTP headers, lower-case names, repeats joined by ", "
    content: bytes  # payload with transfer and content encodings undone
    content_type: str | None
    encoding: str | None  # charset from Content-Type, not guessed
    fetched_at: str  # WARC-Date as ISO 8601 UTC
    etag: str | None = None
    last_modified: str | None = None
    elapsed: float = 0.0
    redirects: tuple[str, ...] = ()
    attempts: int = 1
    warc_file: str = ""
    offset: int = 0  # of the record in the file (of its gzip member when compressed)
    record_id: str = ""


def page_record(page: WarcPage) -> Article:
    """The record of a captured page: the same extract() as a crawl, relative dates resolved
    against the capture time (so a re-run, on any machine, gives the same record)."""
    return extract(
        page.content,
        url=page.final_url,
        encoding=page.encoding,
        now=datetime.fromisoformat(page.fetched_at),
        source=page.url,
    )


def iter_pages(
    source: str,
    counts: Counter[str],
    *,
    filters: Filters | None = None,
    max_bytes: int = 10_000_000,
    stream: StreamConfig | None = None,
) -> Iterator[WarcPage]:
    """The HTML pages of one WARC file or URL, in file order; every record counted.
    stream: timeouts and retries for a URL."""
    reader = _Reader(_file_name(source), counts, filters or Filters(), max_bytes)
    with open_source(source, stream) as opened:
        unread = yield from reader.fastwarc(opened)
    if unread:  # FastWARC read no record: an ARC file, or not an archive at all
        with open_source(source, stream) as opened:
            head = _head(opened)
        if not head:
            reader.fail("empty file")
        elif not head.startswith((b"WARC/", b"filedesc://")):
            reader.fail(f"not a WARC or ARC file (it starts with {head[:40]!r})")
        else:
            with open_source(source, stream) as opened:
                yield from reader.warcio(opened)
    if reader.failure is not None:
        raise reader.failure


def _file_name(source: str) -> str:
    """The input's name as provenance: the path as given, or the URL."""
    return source if is_url(source) else str(PurePosixPath(source))


class _Reader:
    """Turns the records of one input into pages, whichever library parsed them."""

    def __init__(self, name: str, counts: Counter[str], filters: Filters, cap: int) -> None:
        self.name, self.counts, self.filters, self.cap = name, counts, filters, cap
        self.failure: WarcError | None = None

    # -- FastWARC --------------------------------------------------------------------------

    def fastwarc(self, stream: Stream) -> Generator[WarcPage, None, bool]:
        """Pages via FastWARC; returns True when it could not read a first record."""
        records = 0
        try:
            for record in ArchiveIterator(stream, parse_http=False):
                records += 1
                page = self._fastwarc_page(record)
                if page is not None:
                    yield page
        except (OSError, ValueError) as exc:
            if records == 0:
                return True
            where = f"near byte {stream.tell()}"
            self.fail(f"unreadable after {records} records ({where}): {_short(exc)}")
        return records == 0

    def _fastwarc_page(self, record: WarcRecord) -> WarcPage | None:
        """A page from a FastWARC record, or None (counted) when it is not one."""
        headers = record.headers
        kind = _kind(headers.get("WARC-Type"))
        self.counts[kind] += 1
        # FastWARC hands out a record whose header block the file's end cut, with the
        # mandatory fields missing: the file is truncated there.
        if headers.get("Content-Length") is None or headers.get("WARC-Date") is None:
            self.fail(f"record cut short at byte {record.stream_pos}", "truncated")
            return None
        if kind not in ("response", "resource"):
            return None
        target = _target(headers.get("WARC-Target-URI"))
        fetched_at = _warc_date(headers.get("WARC-Date"))
        if not self._wanted(target, fetched_at):
            return None
        if record.content_length > self.cap + _HEADER_ROOM:
            self.counts["too_large"] += 1
            return None
        if kind == "resource":
            ctype = headers.get("Content-Type")
            status, http = 200, {"content-type": ctype} if ctype else {}
        else:
            try:
                record.parse_http(auto_decode="none")
                status_code = record.http_headers.status_code if record.http_headers else None
            except (OSError, ValueError, AttributeError):
                status_code = None
            if status_code is None:
                self.counts["broken"] += 1
                return None
            status, http = status_code, _header_dict(record.http_headers.items())
        if (skip := _http_skip(status, http)) is not None:
            self.counts[skip] += 1
            return None
        declared = record.content_length
        raw = _read_upto(record.reader, self.cap + 1)
        if len(raw) < declared and len(raw) <= self.cap:
            self.fail(f"record at byte {record.stream_pos} cut short", "truncated")
            return None
        return self._page(
            target, fetched_at, status, http, raw, record.stream_pos, headers.get("WARC-Record-ID")
        )

    # -- warcio ----------------------------------------------------------------------------

    def warcio(self, stream: Stream) -> Iterator[WarcPage]:
        """Pages via warcio: ARC files and the WARCs FastWARC refused."""
        records = 0
        iterator = WarcioIterator(stream, arc2warc=True)
        try:
            for record in iterator:
                records += 1
                page = self._warcio_page(record, iterator)
                if page is not None:
                    yield page
        except (ArchiveLoadFailed, OSError, ValueError, EOFError) as exc:
            self.fail(f"unreadable after {records} records: {_short(exc)}")

    def _warcio_page(self, record: Any, iterator: Any) -> WarcPage | None:
        """A page from a warcio record, or None (counted) when it is not one."""
        kind = _kind(record.rec_type)
        self.counts[kind] += 1
        if kind not in ("response", "resource"):
            return None
        target = _target(record.rec_headers.get_header("WARC-Target-URI"))
        fetched_at = _warc_date(record.rec_headers.get_header("WARC-Date"))
        if not self._wanted(target, fetched_at):
            return None
        if int(record.length or 0) > self.cap + _HEADER_ROOM:
            self.counts["too_large"] += 1
            return None
        http_headers = record.http_headers
        if kind == "resource" or http_headers is None:
            ctype = record.rec_headers.get_header("Content-Type")
            status, http = 200, {"content-type": ctype} if ctype else {}
        else:
            code = (http_headers.get_statuscode() or "").strip()
            if not code.isdigit():
                self.counts["broken"] += 1
                return None
            status, http = int(code), _header_dict(http_headers.headers)
        if (skip := _http_skip(status, http)) is not None:
            self.counts[skip] += 1
            return None
        raw = _read_upto(record.raw_stream, self.cap + 1)
        offset = iterator.get_record_offset()  # reads the record to its end: after the payload
        record_id = record.rec_headers.get_header("WARC-Record-ID")
        return self._page(target, fetched_at, status, http, raw, offset, record_id)

    # -- shared ----------------------------------------------------------------------------

    def _wanted(self, target: str, fetched_at: str | None) -> bool:
        """Cheap checks on WARC headers, before any payload is read."""
        if fetched_at is None or urlsplit(target).scheme not in ("http", "https"):
            self.counts["broken"] += 1
            return False
        filters = self.filters
        if not (filters.wants_url(target) and filters.wants_capture(fetched_at)):
            self.counts["filtered"] += 1
            return False
        return True

    def _page(
        self,
        url: str,
        fetched_at: str | None,
        status: int,
        http: dict[str, str],
        raw: bytes,
        offset: int,
        record_id: str | None,
    ) -> WarcPage | None:
        """The page, its payload decoded and capped; None (counted) when it is over the cap,
        undecodable, or turns out not to be HTML."""
        assert fetched_at is not None  # checked in _wanted
        if len(raw) > self.cap:
            self.counts["too_large"] += 1
            return None
        try:
            content = _decode(raw, http, self.cap)
        except (OSError, ValueError, EOFError, _OverCap) as exc:
            self.counts["too_large" if isinstance(exc, _OverCap) else "broken"] += 1
            return None
        media, charset = parse_content_type(http.get("content-type"))
        if media is None and not looks_like_html(content):
            self.counts["not_html"] += 1
            return None
        self.counts["html"] += 1
        return WarcPage(
            url=url,
            final_url=url,
            status=status,
            headers=http,
            content=content,
            content_type=media,
            encoding=charset,
            fetched_at=fetched_at,
            etag=http.get("etag"),
            last_modified=http.get("last-modified"),
            warc_file=self.name,
            offset=offset,
            record_id=record_id or "",
        )

    def fail(self, reason: str, count: str = "failed") -> None:
        """Remember the damage (the first reason wins) and count it; reading goes on."""
        self.counts[count] += 1
        if self.failure is None:
            self.failure = WarcError(reason, url=self.name)


def _read_upto(reader: Any, size: int) -> bytes:
    """Up to size bytes of a payload; fewer only at its end (a read may return short)."""
    out = bytearray()
    while len(out) < size and (piece := reader.read(size - len(out))):
        out += piece
    return bytes(out)


class _OverCap(Exception):
    """A decoded payload went over the size cap."""


def _head(stream: Stream, size: int = 64) -> bytes:
    """The first bytes of an input, gunzipped when it is gzip: enough to tell what it is."""
    data = stream.read(size * 16)
    if data[:2] == b"\x1f\x8b":
        try:
            return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data, size)
        except zlib.error:
            return data[:size]
    return data[:size]


def _short(exc: BaseException) -> str:
    """An exception's message cut to one readable line (warcio quotes the bad input)."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "..."


def _kind(value: str | None) -> str:
    """The WARC-Type as a count key (unknown types under 'unknown')."""
    kind = (value or "").strip().lower()
    return kind if kind in ("response", "resource", *OTHER_TYPES) else "unknown"


def _target(value: str | None) -> str:
    """WARC-Target-URI, without the angle brackets some WARC 1.0 writers put around it."""
    text = (value or "").strip()
    return text[1:-1].strip() if text.startswith("<") and text.endswith(">") else text


def _warc_date(value: str | None) -> str | None:
    """WARC-Date as ISO 8601 UTC (fractions kept, as WARC 1.1 gives them), None if bad."""
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).isoformat()


def _header_dict(items: Any) -> dict[str, str]:
    """HTTP headers as the fetcher keeps them: lower-case names, repeats joined by ', '."""
    out: dict[str, str] = {}
    for name, value in items:
        key = str(name).strip().lower()
        out[key] = f"{out[key]}, {value}" if key in out else str(value)
    return out


def _http_skip(status: int, http: Mapping[str, str]) -> str | None:
    """Why an HTTP answer is no page (not_2xx, not_html), judged before reading its body."""
    if not 200 <= status < 300:
        return "not_2xx"
    media, _ = parse_content_type(http.get("content-type"))
    if media is not None and media not in HTML_TYPES:
        return "not_html"
    return None


def _decode(raw: bytes, http: Mapping[str, str], cap: int) -> bytes:
    """Undo chunked transfer and gzip/deflate/br content encoding (warcio's readers, as
    warcio's own content_stream does), reading at most cap bytes of output."""
    encoding = (http.get("content-encoding") or "").strip().lower() or None
    if encoding not in BufferedReader.get_supported_decompressors():
        encoding = None
    chunked = "chunked" in (http.get("transfer-encoding") or "").lower()
    if not chunked and encoding is None:
        return raw
    reader: Any
    if chunked:
        reader = ChunkedDataReader(io.BytesIO(raw), decomp_type=encoding)
    else:
        reader = BufferedReader(io.BytesIO(raw), decomp_type=encoding)
    out = bytearray()
    while piece := reader.read(_SNIFF * 64):
        out += piece
        if len(out) > cap:
            raise _OverCap
    return bytes(out)


def record_kinds() -> tuple[str, ...]:
    """Every count key iter_pages may use, in summary order."""
    return ("response", "resource", *OTHER_TYPES, "unknown", "html", *SKIP_REASONS, "failed")

"""Reading WARC files: every compression and version, every record kind, bad input, URLs."""

from __future__ import annotations

import gzip
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from scraper.batch import Filters, HttpStream, StreamConfig, WarcError, iter_pages, page_record
from scraper.errors import HTTPStatus
from scraper.store import Store
from tests.warcs import (
    Capture,
    FileServer,
    demo_captures,
    file_server,
    fixture_captures,
    junk,
    page_html,
    warc_date,
    write_warc,
    zyte_captures,
)

__all__ = ["file_server"]  # the fixture, imported for pytest
FAST = StreamConfig(backoff=0.0, jitter=0.0)


def read(path: Path | str, **options: object) -> tuple[list, Counter[str]]:  # type: ignore[type-arg]
    counts: Counter[str] = Counter()
    return list(iter_pages(str(path), counts, **options)), counts  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("compress", "version"),
    [("record", "1.1"), ("record", "1.0"), ("file", "1.1"), ("none", "1.0")],
)
def test_every_layout_gives_the_same_pages(tmp_path: Path, compress: str, version: str) -> None:
    captures = demo_captures()[:6] + junk()
    path = write_warc(tmp_path / "x.warc", captures, compress=compress, version=version)
    pages, counts = read(path)
    assert [p.url for p in pages] == [c.url for c in captures[:6]]
    assert [p.content for p in pages] == [c.body for c in captures[:6]]
    assert counts["html"] == 6
    assert counts["response"] == 10  # 6 pages + png, 404, 301, broken HTTP
    for kind in ("request", "revisit", "metadata", "conversion", "not_html", "broken"):
        assert counts[kind] == 1, kind
    assert counts["not_2xx"] == 2


def test_a_page_looks_like_a_fetch(tmp_path: Path) -> None:
    body = page_html("Caf\xe9 opens", ["Un caf\xe9 ouvre ses portes."]).decode().encode("latin-1")
    captures = [
        Capture("https://a.test/one", body, date="2024-05-20T08:00:00.250Z",
                content_type="text/html; charset=ISO-8859-1",
                headers=(("ETag", '"v1"'), ("Last-Modified", "Mon, 20 May 2024 07:00:00 GMT"))),
        Capture("https://a.test/two", page_html("Two", ["x"]), date=warc_date(5)),
    ]  # fmt: skip
    path = write_warc(tmp_path / "p.warc.gz", captures)
    (one, two), _ = read(path)
    assert (one.url, one.final_url, one.status) == ("https://a.test/one",) * 2 + (200,)
    assert one.fetched_at == "2024-05-20T08:00:00.250000+00:00"
    assert two.fetched_at == "2024-05-20T08:05:00+00:00"
    assert (one.content_type, one.encoding) == ("text/html", "iso-8859-1")
    assert one.headers["etag"] == '"v1"' and one.etag == '"v1"'
    assert one.last_modified == "Mon, 20 May 2024 07:00:00 GMT"
    assert one.warc_file == str(path) and one.record_id.startswith("<urn:uuid:")
    assert 0 == one.offset < two.offset
    assert page_record(one).headline == "Café opens"  # decoded with the HTTP charset


def test_resource_records_are_pages_without_http_headers(tmp_path: Path) -> None:
    body = page_html("Resource", ["A stored page."])
    path = write_warc(tmp_path / "r.warc.gz", [Capture("https://r.test/a", body, kind="resource")])
    (page,), counts = read(path)
    assert counts["resource"] == 1 and counts["html"] == 1
    assert (page.status, page.content_type, page.content) == (200, "text/html", body)


def test_encodings_left_inside_a_record_are_undone(tmp_path: Path) -> None:
    body = page_html("Zipped", ["Sent gzip-compressed, chunked."])
    zipped = gzip.compress(body)
    chunked = (
        b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in (zipped[:50], zipped[50:]))
        + b"0\r\n\r\n"
    )
    http = (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n"
    )
    captures = [
        Capture("https://z.test/chunked", chunked, http=http),
        Capture("https://z.test/gzip", zipped, headers=(("Content-Encoding", "gzip"),)),
    ]
    pages, _ = read(write_warc(tmp_path / "z.warc.gz", captures))
    assert [p.content for p in pages] == [body, body]


def test_a_stale_content_encoding_header_over_a_decoded_body(tmp_path: Path) -> None:
    # Some archivers store the decoded body but keep the Content-Encoding header: warcio's
    # reader hands back what does not decompress as it is.
    body = page_html("Decoded", ["Stored decoded, header kept."])
    capture = Capture("https://z.test/stale", body, headers=(("Content-Encoding", "gzip"),))
    (page,), _ = read(write_warc(tmp_path / "z.warc.gz", [capture]))
    assert page.content == body


def test_html_without_content_type_is_sniffed(tmp_path: Path) -> None:
    captures = [
        Capture("https://s.test/page", page_html("Sniffed", ["x"]), content_type=None),
        Capture("https://s.test/blob", b"\x00\x01binary", content_type=None),
    ]
    pages, counts = read(write_warc(tmp_path / "s.warc", captures, compress="none"))
    assert [p.url for p in pages] == ["https://s.test/page"]
    assert counts["not_html"] == 1


def test_a_record_over_the_cap_is_skipped_unread(tmp_path: Path) -> None:
    big = b"<html><body>" + b"x" * 50_000_000 + b"</body></html>"
    captures = [
        Capture("https://big.test/huge", big),
        Capture("https://big.test/after", page_html("After", ["still read"])),
    ]
    pages, counts = read(write_warc(tmp_path / "big.warc", captures, compress="none"))
    assert [p.url for p in pages] == ["https://big.test/after"]
    assert counts["too_large"] == 1
    small = [Capture("https://big.test/mid", b"<html>" + b"y" * 5000 + b"</html>")]
    _, counts = read(write_warc(tmp_path / "mid.warc.gz", small), max_bytes=1000)
    assert counts["too_large"] == 1 and counts["html"] == 0


def test_a_gzip_bomb_inside_a_record_stops_at_the_cap(tmp_path: Path) -> None:
    bomb = gzip.compress(b"<html>" + b" " * 20_000_000)  # ~20 KB that inflate to 20 MB
    capture = Capture("https://bomb.test/", bomb, headers=(("Content-Encoding", "gzip"),))
    pages, counts = read(write_warc(tmp_path / "b.warc.gz", [capture]), max_bytes=1_000_000)
    assert pages == [] and counts["too_large"] == 1


@pytest.mark.parametrize("compress", ["record", "file", "none"])
def test_a_truncated_file_yields_what_it_can_then_fails(tmp_path: Path, compress: str) -> None:
    captures = demo_captures()[:3]
    whole = write_warc(tmp_path / "w.warc", captures, compress=compress)
    pages, _ = read(whole)
    data = whole.read_bytes()
    cut = tmp_path / "cut.warc"
    # Inside the last record; one gzip stream over the whole file has no record offsets.
    end = len(data) * 3 // 4 if compress == "file" else (pages[-1].offset + len(data)) // 2
    cut.write_bytes(data[:end])
    counts: Counter[str] = Counter()
    got = []
    with pytest.raises(WarcError, match=r"cut short|unreadable") as err:
        for page in iter_pages(str(cut), counts):
            got.append(page.url)
    expected = [c.url for c in captures[:2]]
    if compress == "file":  # FastWARC drops the undecoded tail of a cut stream: fewer pages
        assert got == expected[: len(got)]
    else:
        assert got == expected
    assert err.value.url == str(cut)


def test_broken_http_headers_cost_only_their_record(tmp_path: Path) -> None:
    captures = [
        Capture("https://b.test/bad", b"<html></html>", http=b"HTTP/1.1 200 OK\r\nno colon\r\n"),
        Capture("https://b.test/worse", b"<html></html>", http=b"garbage\r\n\r\n"),
        Capture("https://b.test/good", page_html("Good", ["fine"])),
    ]
    pages, counts = read(write_warc(tmp_path / "b.warc.gz", captures))
    assert [p.url for p in pages] == ["https://b.test/good"]
    assert counts["broken"] >= 1 and counts["response"] == 3


def test_a_target_uri_in_angle_brackets_is_read(tmp_path: Path) -> None:
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
    capture = Capture("<https://old.test/page>", page_html("Old writer", ["x"]), http=http)
    (page,), _ = read(write_warc(tmp_path / "o.warc", [capture], compress="none", version="1.0"))
    assert page.url == "https://old.test/page"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty file"),
        (b"<html><body>a web page, not an archive</body></html>\n" * 20, "not a WARC"),
        (gzip.compress(b"just some text\n" * 50), "not a WARC"),
        (b"\x1f\x8b\x08\x00garbage that is not gzip" * 10, "not a WARC"),
    ],
)
def test_inputs_that_are_no_warc_fail_clearly(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "in.warc.gz"
    path.write_bytes(data)
    with pytest.raises(WarcError, match=message):
        read(path)


def test_a_missing_file_fails_clearly(tmp_path: Path) -> None:
    with pytest.raises(WarcError, match="cannot open"):
        read(tmp_path / "nope.warc.gz")


def test_arc_files_are_read_through_warcio(tmp_path: Path) -> None:
    html = page_html("From an ARC", ["Old crawls are ARC files."])
    http = b"HTTP/1.0 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html
    desc = b"1 0 Test\nURL IP-address Archive-date Content-type Archive-length\n\n"
    data = b"filedesc://t.arc 0.0.0.0 20240101000000 text/plain %d\n%s\n" % (len(desc), desc)
    data += b"http://arc.test/page 1.2.3.4 20240102030405 text/html %d\n%s\n" % (len(http), http)
    path = tmp_path / "t.arc"
    path.write_bytes(data)
    (page,), counts = read(path)
    assert (page.url, page.fetched_at, page.content) == (
        "http://arc.test/page",
        "2024-01-02T03:04:05+00:00",
        html,
    )
    assert counts["html"] == 1


def test_filters_drop_records_before_reading_them(tmp_path: Path) -> None:
    captures = [
        Capture("https://www.keep.test/a", page_html("Kept", ["x"]), date=warc_date(0)),
        Capture("https://news.keep.test/b", page_html("Kept too", ["x"]), date=warc_date(1)),
        Capture("https://other.test/c", page_html("Other", ["x"]), date=warc_date(2)),
        Capture("https://keep.test/old", page_html("Old", ["x"]), date="2020-01-01T00:00:00Z"),
    ]
    filters = Filters.of(domains=["keep.test"], since=date(2024, 1, 1))
    pages, counts = read(write_warc(tmp_path / "f.warc.gz", captures), filters=filters)
    assert [p.url for p in pages] == ["https://www.keep.test/a", "https://news.keep.test/b"]
    assert counts["filtered"] == 2


def test_filters_on_the_record() -> None:
    from tests.conftest import make_article

    f = Filters.of(languages=["EN", "de-AT"], since=date(2024, 5, 1), until=date(2024, 5, 31))
    assert f.languages == frozenset({"en", "de"})
    assert f.wants_record(make_article(language="en", published="2024-05-14T16:07:00+02:00"))
    assert not f.wants_record(make_article(language="fr", published="2024-05-14"))
    assert not f.wants_record(make_article(language="en", published="2024-06-01"))
    assert not f.wants_record(make_article(language="en", published="2024-04-30T23:00:00Z"))
    undated = make_article(language="de", published=None)
    assert f.wants_record(undated, "2024-05-20T08:00:00+00:00")  # judged by the capture
    assert not f.wants_record(undated, "2024-07-01T00:00:00+00:00")
    assert not f.wants_capture("2024-04-01T00:00:00+00:00")
    assert f.wants_capture("2024-04-30T12:00:00+00:00")  # a day of margin
    assert Filters().wants_record(make_article(language=None, published=None))
    assert not Filters().active and f.active


def test_fixture_pages_go_through_extract_as_when_fetched(tmp_path: Path) -> None:
    captures = fixture_captures()
    pages, counts = read(write_warc(tmp_path / "fx.warc.gz", captures))
    assert counts["html"] == len(captures) == len(pages)
    records = [page_record(p) for p in pages]
    assert sum(r.page_type == "article" for r in records) >= len(records) - 3


def test_zyte_pages_round_trip(tmp_path: Path) -> None:
    captures = zyte_captures(limit=40)
    pages, counts = read(write_warc(tmp_path / "zyte.warc.gz", captures))
    assert counts["html"] == len(captures)
    assert [p.content for p in pages] == [c.body for c in captures]


def test_a_page_is_saved_like_a_fetch(tmp_path: Path, store: Store) -> None:
    (page,), _ = read(write_warc(tmp_path / "s.warc.gz", demo_captures()[:1]))
    outcome = store.save(page_record(page), page)
    assert outcome.status == "new"
    (row,) = store.export()
    assert row["fetched_at"] == page.fetched_at and row["url"] == page.url


# -- URLs ---------------------------------------------------------------------------------------


def test_a_warc_by_url_retries_slowdown_and_resumes_a_cut(
    tmp_path: Path, file_server: FileServer
) -> None:
    captures = demo_captures()[:5]
    data = write_warc(tmp_path / "u.warc.gz", captures).read_bytes()
    file_server.files["/crawl-data/x.warc.gz"] = data
    file_server.slowdown["/crawl-data/x.warc.gz"] = 1
    file_server.cut["/crawl-data/x.warc.gz"] = 1
    pages, _ = read(file_server.url + "/crawl-data/x.warc.gz", stream=FAST)
    assert [p.url for p in pages] == [c.url for c in captures]
    statuses = [(status, bool(ranged)) for _, ranged, status in file_server.log]
    assert statuses == [(503, False), (200, False), (206, True)]
    assert pages[0].warc_file == file_server.url + "/crawl-data/x.warc.gz"


def test_http_stream_waits_between_retries_and_gives_up(file_server: FileServer) -> None:
    file_server.files["/f"] = b"data"
    file_server.slowdown["/f"] = 10
    slept: list[float] = []
    config = StreamConfig(max_retries=2, backoff=0.5, jitter=0.0)
    with pytest.raises(HTTPStatus, match="503"):
        HttpStream(file_server.url + "/f", config, sleep=slept.append)
    assert slept == [0.5, 1.0]
    with pytest.raises(HTTPStatus, match="404"):
        HttpStream(file_server.url + "/missing", config, sleep=slept.append)


def test_http_stream_follows_a_redirect_to_a_mirror(file_server: FileServer) -> None:
    file_server.files["/mirror/f"] = b"warc bytes"
    file_server.redirects["/f"] = file_server.url + "/mirror/f"
    with HttpStream(file_server.url + "/f", FAST) as stream:
        assert stream.read() == b"warc bytes"


def test_http_stream_reads_in_pieces(file_server: FileServer) -> None:
    file_server.files["/f"] = bytes(range(256)) * 1000
    with HttpStream(file_server.url + "/f", FAST) as stream:
        first = stream.read(10)
        assert stream.tell() == 10
        rest = stream.read()
    assert first + rest == file_server.files["/f"]

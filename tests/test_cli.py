"""The command line: every subcommand documented, extract over files, and the fetch/store
commands end to end against a local server on 127.0.0.1."""

from __future__ import annotations

import gzip
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from scraper.article import RECORD_KEYS
from scraper.cli import EXIT_FAILURES, EXIT_OK, EXIT_USAGE, cli, main

FIXTURES = Path(__file__).parent / "fixtures"
KYIV = FIXTURES / "ghost-kyiv-independent.html"
ARTICLE = """<!doctype html><html lang="en"><head><title>Bridge reopens - Gazette</title>
<meta property="og:site_name" content="Gazette"></head><body><article><h1>Bridge reopens</h1>
<p class="byline">By Jane Doe</p>
<p>The old bridge over the river reopened on Monday after two years of repairs, the council
said.</p>
<p>Engineers replaced the deck, the railings and the lights, at a cost of four million pounds.</p>
<p>Traffic will be limited to one lane in each direction until the end of the month, officials
said.</p>
</article></body></html>"""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_every_subcommand_has_help_text() -> None:
    for name, command in cli.commands.items():
        assert command.help and len(command.help.strip()) > 20, name


def test_extract_one_file_prints_one_record_with_the_contract_keys(capsys) -> None:
    code, out, _ = run(capsys, "extract", str(KYIV))
    assert code == EXIT_OK
    lines = out.splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record["source"] == str(KYIV)
    assert record["headline"].startswith("Putin says West")
    assert len(record["paragraphs"]) == 16


def test_extract_folder_gz_and_stdin_keep_input_order(tmp_path, capsys, monkeypatch) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    shutil.copy(KYIV, folder / "b.html")
    with gzip.open(folder / "a.html.gz", "wb") as fh:
        fh.write(ARTICLE.encode())
    (folder / "notes.txt").write_text("not a page")
    monkeypatch.setattr("sys.stdin", _Stdin(ARTICLE.encode()))
    code, out, _ = run(capsys, "extract", str(folder), "-")
    assert code == EXIT_OK
    records = [json.loads(line) for line in out.splitlines()]
    assert [Path(r["source"]).name for r in records] == ["a.html.gz", "b.html", "-"]
    assert records[0]["headline"] == "Bridge reopens"
    assert records[2]["authors"] == ["Jane Doe"]


def test_extract_json_format_and_url(capsys) -> None:
    code, out, _ = run(
        capsys, "extract", "--format", "json", "--url", "https://g.example/a", str(KYIV)
    )
    assert code == EXIT_OK
    record = json.loads(out)
    assert record["url"] == "https://g.example/a"


def test_extract_missing_file_yields_an_error_line_and_exit_1(tmp_path, capsys) -> None:
    code, out, _ = run(capsys, "extract", str(tmp_path / "missing.html"), str(KYIV))
    assert code == EXIT_FAILURES
    first, second = (json.loads(line) for line in out.splitlines())
    assert "cannot read" in first["error"]
    assert tuple(first) == RECORD_KEYS  # every line has the same keys
    assert second["error"] is None


def test_usage_errors_exit_2(capsys) -> None:
    assert main(["extract", "--url", "https://x.example/", str(KYIV), str(KYIV)]) == EXIT_USAGE
    assert main(["export", "--format", "xml"]) == EXIT_USAGE
    assert main(["fetch"]) == EXIT_USAGE
    assert main(["fetch", "-i", "/nonexistent/urls.txt"]) == EXIT_USAGE
    assert main(["export", "--since", "last tuesday"]) == EXIT_USAGE


def test_get_prints_the_record_of_a_live_page(httpserver: HTTPServer, capsys) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/news/bridge").respond_with_data(ARTICLE, content_type="text/html")
    code, out, _ = run(capsys, httpserver.url_for("/news/bridge"))
    assert code == EXIT_OK
    record = json.loads(out)
    assert record["headline"] == "Bridge reopens"
    assert record["url"] == httpserver.url_for("/news/bridge")


def test_get_of_a_dead_page_prints_an_error_record_and_exits_1(
    httpserver: HTTPServer, capsys
) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/gone").respond_with_data("gone", status=404)
    code, out, err = run(capsys, "get", httpserver.url_for("/gone"))
    assert code == EXIT_FAILURES
    assert "404" in json.loads(out)["error"]
    # Said on stderr too, as fetch says it: a script reading only stdout still sees a record.
    assert err.lower().startswith("error: http 404 not found")
    assert httpserver.url_for("/gone") in err


def test_fetch_stores_then_revalidates_then_exports_and_shows_history(
    httpserver: HTTPServer, tmp_path, capsys
) -> None:
    db = str(tmp_path / "news.db")
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/news/bridge").respond_with_data(
        ARTICLE, content_type="text/html", headers={"ETag": '"v1"'}
    )
    httpserver.expect_request("/missing").respond_with_data("no", status=404)
    url = httpserver.url_for("/news/bridge")
    code, _, err = run(capsys, "fetch", "--db", db, url, httpserver.url_for("/missing"))
    assert code == EXIT_FAILURES  # the missing page failed; the other was stored
    assert "1 new" in err and "1 error" in err
    urls_file = tmp_path / "urls.txt"
    urls_file.write_text(f"# a comment\n{url}\n")
    code, _, err = run(capsys, "fetch", "--db", db, "--input", str(urls_file))
    assert code == EXIT_OK
    assert "1 unchanged" in err or "1 not modified" in err
    code, out, _ = run(capsys, "export", "--db", db)
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["headline"] for r in records] == ["Bridge reopens"]
    assert {"fetched_at", "duplicate_of"} <= records[0].keys()
    code, out, _ = run(capsys, "history", "--db", db, url)
    assert code == EXIT_OK and "Bridge reopens" in out
    code, out, _ = run(capsys, "search", "--db", db, "engineers")
    assert code == EXIT_OK and url in out
    code, out, _ = run(capsys, "stats", "--db", db)
    assert code == EXIT_OK and httpserver.host in out
    code, _, err = run(capsys, "reextract", "--db", db)
    assert code == EXIT_OK and "1 pages" in err and "0 errors" in err
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_export_csv_has_the_record_keys(httpserver: HTTPServer, tmp_path, capsys) -> None:
    db = str(tmp_path / "news.db")
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/a").respond_with_data(ARTICLE, content_type="text/html")
    assert main(["fetch", "--db", db, httpserver.url_for("/a")]) == EXIT_OK
    capsys.readouterr()
    _, out, _ = run(capsys, "export", "--db", db, "--format", "csv")
    header = out.splitlines()[0].split(",")
    assert header[:3] == ["source", "url", "canonical_url"]
    assert header[-2:] == ["fetched_at", "duplicate_of"]


class _Stdin:
    """sys.stdin stand-in with a .buffer, as extract reads bytes."""

    def __init__(self, data: bytes) -> None:
        import io

        self.buffer = io.BytesIO(data)


def test_fetch_records_a_non_html_page_as_skipped_not_failed(
    httpserver: HTTPServer, tmp_path, capsys
) -> None:
    db = str(tmp_path / "news.db")
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/report").respond_with_data(
        b"%PDF-1.4", content_type="application/pdf"
    )
    code, _, err = run(capsys, "fetch", "--db", db, httpserver.url_for("/report"))
    assert code == EXIT_OK and "1 skipped" in err
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT outcome, error FROM fetches").fetchone()[0] == "skipped"


@pytest.mark.parametrize(
    "argv",
    [
        ["export", "--format", "jsonl"],
        ["stats"],
        ["search", "harbour"],
        ["history", "https://x.example/a"],
        ["reextract"],
    ],
)
def test_reading_commands_refuse_a_missing_database(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str]
) -> None:
    db = tmp_path / "typo.db"
    code, out, err = run(capsys, *argv, "--db", str(db))
    assert code == EXIT_USAGE and out == ""
    assert f"no database at {db}" in err
    assert not db.exists()  # a typo in --db makes no empty database

"""The publication date in a page's app-state scripts: which keys name it, how scripts are read,
and where it stands among the other date sources."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from scraper.extract import dates, scriptdates
from scraper.extract.document import parse

NOW = datetime(2024, 5, 10, 12, tzinfo=UTC)
URL = "https://news.example.com/local/council-story-4821"
H1 = "<h1>Council approves new housing plan after long hearing</h1>"
STORY = "<p>" + "The council voted on Tuesday evening after a long hearing. " * 4 + "</p>"


def page(scripts: str, body: str = H1 + STORY, head: str = "") -> str:
    return f'<html lang="en"><head>{head}</head><body>{body}{scripts}</body></html>'


def pub(html: str) -> tuple[str, str] | None:
    cand = dates.published(parse(html, URL), NOW)
    return (cand.value, cand.source) if cand else None


@pytest.mark.parametrize(
    "key",
    [
        "firstPublicationDate",
        "datePublished",
        "publishTime",
        "published_at",
        "article_published_time",
        "article:published_time",
        "article_publicationdatetime_utc",
        "pubDate",
        "publish",
    ],
)
def test_keys_naming_the_publication(key: str) -> None:
    assert scriptdates.names_publication(key)


@pytest.mark.parametrize(
    "key",
    [
        "videoPublishedTime",
        "lastPublicationDate",
        "requestTimestamp",
        "today",
        "dateModified",
        "updatedAt",
        "publishedBy",
        "publisher",
    ],
)
def test_keys_naming_something_else(key: str) -> None:
    assert not scriptdates.names_publication(key)


def test_app_state_gives_the_date_when_nothing_else_does() -> None:
    state = {"video": {"videoPublishedTime": "2023-11-02T10:00:00Z"}}
    state["article"] = {"lastPublicationDate": "2024-03-02T18:20:00Z"}
    state["article"]["firstPublicationDate"] = "2024-03-02T07:45:00Z"
    html = page(f"<script>window.__STATE__ = {json.dumps(state)};</script>")
    assert pub(html) == ("2024-03-02T07:45:00+00:00", "script")


def test_escaped_json_and_unquoted_keys_are_read() -> None:
    value = '\\"publishTime\\":\\"2024-03-02T16:20:35+05:30\\"'
    escaped = f'<script>var s = JSON.parse("{{{value}}}");</script>'
    assert pub(page(escaped)) == ("2024-03-02T16:20:35+05:30", "script")
    unquoted = '<script>var page = {article_publicationdate: "2024-03-02", paper: 4};</script>'
    assert pub(page(unquoted)) == ("2024-03-02", "script")


def test_json_ld_and_external_scripts_are_not_read_again() -> None:
    thing = '{"@type": "Thing", "publishDate": "2024-03-02"}'
    jsonld = f'<script type="application/ld+json">{thing}</script>'
    assert pub(page(jsonld + '<script src="/app.js"></script>')) is None


def test_an_implausible_date_gives_way_to_the_next() -> None:
    state = '{"published": "2031-01-01T00:00:00Z", "datePublished": "2024-03-02T08:00:00Z"}'
    assert pub(page(f"<script>var a = {state};</script>")) == (
        "2024-03-02T08:00:00+00:00",
        "script",
    )


def test_the_page_s_metadata_and_visible_date_come_first() -> None:
    state = '<script>var a = {"datePublished": "2024-01-05T08:00:00Z"};</script>'
    meta = '<meta property="article:published_time" content="2024-03-02T08:00:00Z">'
    assert pub(page(state, head=meta)) == (
        "2024-03-02T08:00:00+00:00",
        "meta:article:published_time",
    )
    shown = H1 + "<p class='date'>Published March 2, 2024</p>" + STORY
    found = pub(page(state, body=shown))
    assert found is not None and found[0].startswith("2024-03-02") and found[1] != "script"


def test_script_text_read_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scriptdates, "MAX_SCRIPT_CHARS", 1000)
    filler = "<script>var x = '" + "a" * 2000 + "';</script>"
    state = '<script>var a = {"datePublished": "2024-03-02T08:00:00Z"};</script>'
    assert pub(page(filler + state)) is None
    assert pub(page(state + filler)) == ("2024-03-02T08:00:00+00:00", "script")

"""Published and modified dates: sources in order, ISO output, and the traps around a story."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from scraper.extract import dates, datetext
from scraper.extract.document import parse

NOW = datetime(2024, 5, 10, 12, tzinfo=UTC)
URL = "https://news.example.com/world/story-123"
H1 = "<h1>Council approves new housing plan after long hearing</h1>"


def page(head: str = "", body: str = "", jsonld: Any = None, lang: str = "en") -> str:
    script = f'<script type="application/ld+json">{json.dumps(jsonld)}</script>' if jsonld else ""
    return f'<html lang="{lang}"><head>{head}{script}</head><body>{body}</body></html>'


def pub(html: str, url: str = URL, now: datetime = NOW) -> tuple[str, str] | None:
    cand = dates.published(parse(html, url), now)
    return (cand.value, cand.source) if cand else None


def mod(html: str, url: str = URL, now: datetime = NOW) -> tuple[str, str] | None:
    cand = dates.modified(parse(html, url), now)
    return (cand.value, cand.source) if cand else None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022-02-01T21:46:00.000Z", "2022-02-01T21:46:00+00:00"),
        ("2022-02-01T23:46:00+02:00", "2022-02-01T23:46:00+02:00"),
        ("2022-02-01T23:46:00.1234567+0200", "2022-02-01T23:46:00+02:00"),
        ("2019-11-18 17:19:53 GMT", "2019-11-18T17:19:53+00:00"),
        ("2022-02-01T23:46", "2022-02-01T23:46:00"),
        ("2022-02-01", "2022-02-01"),
        ("20220201", "2022-02-01"),
        ("2022/02/01 10:05", "2022-02-01T10:05:00"),
        ("Tue, 01 Feb 2022 21:46:00 GMT", "2022-02-01T21:46:00+00:00"),
        ("1643751960", "2022-02-01T21:46:00+00:00"),
        ("1643751960000", "2022-02-01T21:46:00+00:00"),
    ],
)
def test_structured_formats(value: str, expected: str) -> None:
    when = datetext.parse_structured(value)
    assert when is not None
    assert datetext.iso(when) == expected


@pytest.mark.parametrize("value", ["", "yesterday", "2022-13-01", "2022-02-30", "not a date", None])
def test_structured_rejects_what_is_not_a_date(value: Any) -> None:
    assert datetext.parse_structured(value) is None


def test_jsonld_first_with_its_own_offset() -> None:
    html = page(
        '<meta property="article:published_time" content="2022-02-01T21:46:00.000Z">',
        jsonld={
            "@type": "NewsArticle",
            "datePublished": "2022-02-01T23:46:00+02:00",
            "dateModified": "2022-02-02T00:12:41+02:00",
        },
    )
    assert pub(html) == ("2022-02-01T23:46:00+02:00", "jsonld")
    assert mod(html) == ("2022-02-02T00:12:41+02:00", "jsonld")


def test_meta_then_microdata_then_other_meta() -> None:
    assert pub(
        page(
            '<meta property="article:published_time" content="2023-09-05T12:12:44+00:00">'
            '<meta name="pubdate" content="2020-01-01">'
        )
    ) == ("2023-09-05T12:12:44+00:00", "meta:article:published_time")
    assert pub(
        page(
            '<meta name="pubdate" content="2020-01-01">',
            f'{H1}<time itemprop="datePublished" datetime="2023-10-05T18:45:00-07:00">Oct 5</time>',
        )
    ) == ("2023-10-05T18:45:00-07:00", "microdata")
    assert pub(page('<meta name="parsely-pub-date" content="2019-11-13T21:26:50Z">')) == (
        "2019-11-13T21:26:50+00:00",
        "meta:parsely-pub-date",
    )
    assert mod(page('<meta property="og:updated_time" content="2024-01-02T03:04:05+01:00">')) == (
        "2024-01-02T03:04:05+01:00",
        "meta:og:updated_time",
    )


def test_time_element_near_the_headline_not_the_masthead_or_related() -> None:
    html = page(
        body='<header class="site-header"><time datetime="2022-12-04">Sunday</time></header>'
        f'<main><article><header>{H1}<div class="byline">By Ann Adams '
        '<time datetime="2022-02-01">February 1, 2022 11:46 pm</time></div></header>'
        "<p>Story.</p></article>"
        '<aside class="related"><article><h3>Other</h3><time datetime="2022-01-31">Jan 31</time>'
        "</article></aside></main>"
    )
    # The attribute gives the day; the visible text near it adds the time of day.
    assert pub(html) == ("2022-02-01T23:46:00", "time[datetime]")


def test_comment_dates_are_not_the_story_date() -> None:
    html = page(
        body=f"<article>{H1}<p>Story.</p></article>"
        '<div id="comments" class="comments-area"><time datetime="2023-09-05T09:44:02-05:00">'
        "September 5, 2023</time></div>"
    )
    assert pub(html) is None


def test_updated_time_element_is_the_modified_date() -> None:
    html = page(
        body=f"<article><header>{H1}"
        '<time class="entry-date published" datetime="2023-09-05T07:12:44-05:00">Sep 5</time>'
        '<span class="updated-label">Updated:</span> '
        '<time datetime="2023-09-06T09:02:10-05:00">Sep 6</time></header></article>'
    )
    assert pub(html) == ("2023-09-05T07:12:44-05:00", "time[datetime]")
    assert mod(html) == ("2023-09-06T09:02:10-05:00", "time[datetime]")


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("en", "March 3, 2024 at 4:15 p.m.", "2024-03-03T16:15:00"),
        ("en", "Published: March 3, 2024", "2024-03-03"),
        ("de", "1. März 2023, 14:05 Uhr", "2023-03-01T14:05:00"),
        ("uk", "1 лютого 2022, 23:46", "2022-02-01T23:46:00"),
        ("en", "3 hours ago", "2024-05-10T09:00:00+00:00"),
        ("de", "vor 3 Stunden", "2024-05-10T09:00:00+00:00"),
        ("en", "2 days ago", "2024-05-08"),
        ("uk", "2 дні тому", "2024-05-08"),
    ],
)
def test_visible_text_dates(lang: str, text: str, expected: str) -> None:
    html = page(body=f'<article>{H1}<div class="post-date">{text}</div></article>', lang=lang)
    assert pub(html) == (expected, "text")


@pytest.mark.parametrize("text", ["13 Aug", "February 2022", "14:22", "by Ann Adams"])
def test_vague_visible_text_is_not_a_date(text: str) -> None:
    html = page(body=f'<article>{H1}<div class="post-date">{text}</div></article>')
    assert pub(html) is None


def test_updated_label_gives_the_modified_date() -> None:
    html = page(
        body=f'<article>{H1}<div class="meta"><span class="date">March 3, 2024</span> '
        '<span class="artikel-aktualisiert">Aktualisiert: 4. März 2024, 08:30 Uhr</span></div>'
        "</article>",
        lang="de",
    )
    assert pub(html) == ("2024-03-03", "text")
    assert mod(html) == ("2024-03-04T08:30:00", "text")


@pytest.mark.parametrize(
    "url",
    [
        "https://x.com/2022/02/01/story",
        "https://x.com/news/2022-02-01-story.html",
        "https://x.com/news/story_20220201.html",
        "https://x.com/2022/2/1/story",
    ],
)
def test_url_dates(url: str) -> None:
    assert pub(page(body="<p>x</p>"), url) == ("2022-02-01", "url")


def test_url_date_is_never_a_modified_date() -> None:
    assert mod(page(body="<p>x</p>"), "https://x.com/2022/02/01/story") is None


def test_impossible_dates_fall_through_to_the_next_source() -> None:
    html = page(
        '<meta property="article:published_time" content="2099-01-01T00:00:00Z">',
        jsonld={"@type": "NewsArticle", "datePublished": "1970-01-01T00:00:00Z"},
    )
    assert pub(html, "https://x.com/2021/06/30/story") == ("2021-06-30", "url")


def test_two_days_ahead_is_the_limit() -> None:
    soon = (NOW + timedelta(days=1)).isoformat()
    late = (NOW + timedelta(days=3)).isoformat()
    assert pub(page(jsonld={"@type": "NewsArticle", "datePublished": soon})) is not None
    assert pub(page(jsonld={"@type": "NewsArticle", "datePublished": late})) is None


def test_now_in_another_zone() -> None:
    now = datetime(2024, 5, 10, 14, tzinfo=timezone(timedelta(hours=2)))
    html = page(body=f'<article>{H1}<div class="date">1 hour ago</div></article>')
    assert pub(html, now=now) == ("2024-05-10T11:00:00+00:00", "text")


def test_structured_sources_never_call_dateparser(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any) -> Any:
        raise AssertionError("dateparser was called")

    monkeypatch.setattr(datetext, "_parser", refuse)
    html = page('<meta property="article:published_time" content="2023-09-05T12:12:44Z">')
    assert pub(html) == ("2023-09-05T12:12:44+00:00", "meta:article:published_time")


def test_dates_before_1990_are_rejected() -> None:
    early = page(jsonld={"@type": "NewsArticle", "datePublished": "1989-12-31"})
    first = page(jsonld={"@type": "NewsArticle", "datePublished": "1990-01-01"})
    assert pub(early) is None
    assert pub(first) == ("1990-01-01", "jsonld")


def test_naive_now_is_accepted() -> None:
    naive = datetime(2024, 5, 10, 12)
    html = page(
        '<meta property="article:published_time" content="2024-05-09T08:00:00+02:00">',
        f'<article>{H1}<div class="updated">Updated 2 hours ago</div></article>',
    )
    assert pub(html, now=naive) == ("2024-05-09T08:00:00+02:00", "meta:article:published_time")
    assert mod(html, now=naive) == ("2024-05-10T10:00:00+00:00", "text")

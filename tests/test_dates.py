"""Published and modified dates: sources in order, ISO output, and the traps around a story."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest

from scraper.extract import datelabels, dates, datetext, fields, langguess
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


def test_a_shown_date_on_another_day_than_the_url_s_gives_way_to_the_url() -> None:
    # The address's full date is the day the story went out; the page shows another day (a
    # print edition's, an update's without its label): the address wins.
    html = page(body=f'<article>{H1}<span class="date">March 4, 2024</span></article>')
    assert pub(html, "https://x.com/2024/03/02/story") == ("2024-03-02", "url")
    # The same day shown with its time of day is kept, as it says more.
    html = page(body=f'<article>{H1}<span class="date">March 2, 2024 10:45 AM</span></article>')
    assert pub(html, "https://x.com/2024/03/02/story") == ("2024-03-02T10:45:00", "text")


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


# --- numeric dates: dots are day first, slashes follow the locale --------------------------------


@pytest.mark.parametrize(
    ("text", "month_first", "expected"),
    [
        ("07.11.2023", False, "2023-11-07"),
        ("07.11.2023", True, "2023-11-07"),  # dots are day first even in en-US
        ("7. 11. 2023", False, "2023-11-07"),
        ("07.11.23 14.05 Uhr", False, "2023-11-07T14:05:00"),
        ("Stand: 07.11.2023, 10:30", False, "2023-11-07T10:30:00"),
        ("03/04/2019", False, "2019-04-03"),
        ("03/04/2019", True, "2019-03-04"),
        ("13/04/2019", True, "2019-04-13"),  # 13 cannot be a month
        ("04/13/2019 2:05 pm", False, "2019-04-13T14:05:00"),
        ("2019-03-12 14:05", True, "2019-03-12T14:05:00"),
        ("12-03-2019 | 09h15", False, "2019-03-12T09:15:00"),
    ],
)
def test_numeric_dates(text: str, month_first: bool, expected: str) -> None:
    when = datetext.parse_numeric(text, month_first)
    assert when is not None
    assert datetext.iso(when) == expected


@pytest.mark.parametrize("text", ["v1.2.2019", "1.5 million", "31.02.2019", "3/4", "12.2019"])
def test_numeric_non_dates(text: str) -> None:
    assert datetext.parse_numeric(text) is None


def test_numeric_dates_never_call_dateparser(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any) -> Any:
        raise AssertionError("dateparser was called")

    monkeypatch.setattr(datetext, "_parser", refuse)
    html = page(body=f'<article>{H1}<div class="post-date">07.11.2023 14:05</div></article>')
    assert pub(html) == ("2023-11-07T14:05:00", "text")


def bare(body: str, head: str = "") -> str:
    """A page that declares no language at all."""
    return f"<html><head>{head}</head><body>{body}</body></html>"


GERMAN_STORY = (
    "<p>Die Stadt hat am Montag den neuen Plan für den Bau der Brücke vorgestellt, und der "
    "Bürgermeister sagte, dass die Arbeiten noch in diesem Jahr beginnen sollen. Die Kosten "
    "sind nach Angaben der Verwaltung nicht höher als geplant, auch wenn die Preise steigen.</p>"
)
ENGLISH_STORY = (
    "<p>The council approved the plan on Monday after a long hearing, and the mayor said that "
    "the work would begin this year. The cost was not higher than planned, according to the "
    "city, even though prices for steel and concrete have been rising for months.</p>"
)


def test_dotted_date_on_a_page_without_lang_is_day_first() -> None:
    html = bare(f'<article>{H1}<div class="meta-date">07.11.2023</div>{GERMAN_STORY}</article>')
    assert pub(html) == ("2023-11-07", "text")


@pytest.mark.parametrize(
    ("lang", "url", "expected"),
    [
        ("en-US", URL, "2019-03-04"),
        ("en-GB", URL, "2019-04-03"),
        ("en", URL, "2019-03-04"),  # English with no region, on a .com: month first
        ("en", "https://news.example.co.uk/story", "2019-04-03"),
        ("de", URL, "2019-04-03"),
    ],
)
def test_slashed_dates_follow_the_locale(lang: str, url: str, expected: str) -> None:
    html = page(body=f'<article>{H1}<span class="date">03/04/2019</span></article>', lang=lang)
    assert pub(html, url) == (expected, "text")


def test_language_is_guessed_from_the_paragraphs_when_none_is_declared() -> None:
    assert fields.language(parse(bare(GERMAN_STORY))) == "de"
    assert fields.language(parse(bare(ENGLISH_STORY))) == "en"
    assert fields.language(parse(bare("<p>" + "Опубліковано в неділю ввечері. " * 4 + "</p>")))
    assert fields.language(parse(bare("<p>Short.</p>"))) is None
    assert fields.language(parse(page(body=GERMAN_STORY, lang="fr"))) == "fr"  # declared wins


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Это проверка текста на русском языке, который мы пишем для теста, и ещё слова.", "ru"),
        ("Це перевірка тексту українською мовою, яку ми пишемо для тесту, і ще трохи слів.", "uk"),
        ("これは日本語のテキストです。ひらがなとカタカナと漢字が混ざっています。" * 2, "ja"),
        ("기사 내용은 한국어로 작성되었습니다. 이것은 테스트 문장입니다. " * 3, "ko"),
    ],
)
def test_language_guess_by_script(text: str, expected: str) -> None:
    assert langguess.guess_language(text) == expected


# --- structured variants: meta name spellings, itemprop, media objects ---------------------------


@pytest.mark.parametrize(
    "head",
    [
        '<meta name="article:published:time" content="2023-10-23T15:48:15+00:00">',
        '<meta property="article_published_time" content="2023-10-23T15:48:15+00:00">',
        '<meta name="publishDate" content="2023-10-23T15:48:15+00:00">',
        '<meta itemprop="datepublished" content="2023-10-23T15:48:15+00:00">',
    ],
)
def test_meta_name_spellings(head: str) -> None:
    found = pub(page(head))
    assert found is not None
    assert found[0] == "2023-10-23T15:48:15+00:00"


def test_meta_names_without_case_or_separators_keep_the_listed_name() -> None:
    head = '<meta name="DC_Date_Issued" content="2023-10-23">'
    assert pub(page(head)) == ("2023-10-23", "meta:dc.date.issued")


def test_itemprop_upload_date_and_visible_microdata_text() -> None:
    video = f'<div itemscope itemtype="https://schema.org/VideoObject">{H1}'
    video += '<meta itemprop="uploadDate" content="2023-06-01T08:00:00Z"></div>'
    assert pub(page(body=video)) == ("2023-06-01T08:00:00+00:00", "microdata")
    shown = f'<article>{H1}<span itemprop="datePublished">07.11.2023</span></article>'
    assert pub(bare(shown + GERMAN_STORY)) == ("2023-11-07", "microdata")


def test_datepublished_beats_an_earlier_datecreated() -> None:
    body = (
        f'<article itemscope itemtype="https://schema.org/NewsArticle">{H1}'
        '<meta itemprop="dateCreated" content="2018-09-25T20:52:55+03:00">'
        '<meta itemprop="datePublished" content="2018-09-24T16:45:00+03:00"></article>'
    )
    assert pub(page(body=body)) == ("2018-09-24T16:45:00+03:00", "microdata")


def test_video_page_jsonld_upload_date() -> None:
    video = {"@type": "VideoObject", "name": "Clip", "uploadDate": "2023-06-01T08:00:00Z"}
    assert pub(page(jsonld=video)) == ("2023-06-01T08:00:00+00:00", "jsonld")
    # An article's own meta date beats a video embedded in it.
    head = '<meta property="article:published_time" content="2023-06-02T09:00:00Z">'
    assert pub(page(head, jsonld=video)) == (
        "2023-06-02T09:00:00+00:00",
        "meta:article:published_time",
    )


def test_wordpress_published_updated_time_is_both() -> None:
    body = (
        f'<article><header>{H1}<time class="entry-date published updated" '
        'datetime="2023-09-05T07:12:44-05:00">Sep 5</time></header></article>'
    )
    assert pub(page(body=body)) == ("2023-09-05T07:12:44-05:00", "time[datetime]")
    assert mod(page(body=body)) == ("2023-09-05T07:12:44-05:00", "time[datetime]")


# --- labelled date lines anywhere in the story ---------------------------------------------------


def story(footer: str, lang: str = "en", after: str = "") -> str:
    """A story whose only date is a labelled line in its own footer, far from the headline."""
    paragraphs = "".join(
        f"<p>Paragraph {i} of the story, with enough words to read.</p>" for i in range(8)
    )
    body = (
        f'<div class="page"><main><article><header><div class="kicker">Local</div>{H1}</header>'
        f'<div class="article-body"><div class="inner"><div class="text">{paragraphs}</div></div>'
        f'</div><div class="article-footer"><p>{footer}</p></div></article>{after}</main></div>'
    )
    return page(body=body, lang=lang)


@pytest.mark.parametrize(
    ("lang", "line", "expected"),
    [
        ("de", "Veröffentlicht am 12.03.2019", "2019-03-12"),
        ("de", "Stand: 12.03.2019 14:05 Uhr", "2019-03-12T14:05:00"),
        ("de", "Sendung vom 16.10.2019", "2019-10-16"),
        ("en", "Posted on March 3, 2019", "2019-03-03"),
        ("fr", "Publié le 3 mars 2019 à 10h15", "2019-03-03T10:15:00"),
        ("es", "Publicado el 3 de marzo de 2019", "2019-03-03"),
        ("it", "Pubblicato il 3 marzo 2019", "2019-03-03"),
        ("nl", "Gepubliceerd op 3 maart 2019", "2019-03-03"),
        ("pl", "Opublikowano: 3 marca 2019", "2019-03-03"),
        ("ru", "Опубликовано: 3 марта 2019", "2019-03-03"),
        ("uk", "Опубліковано: 3 березня 2019", "2019-03-03"),
        ("ko", "기사입력 :[ 2019-03-03 14:05 ]", "2019-03-03T14:05:00"),
        ("en", "By Ann Adams | Published 03.04.2019", "2019-04-03"),
        ("de", "<strong>Datum</strong> 28.04.2023", "2023-04-28"),
        # A page that declares the wrong language: the label's language reads the month.
        ("en", "publiziert am 30. Juli 2018", "2018-07-30"),
        # Blogs and institutions: what kind of page it is, "vom" and the date.
        ("de", "Meldung vom 12.03.2019", "2019-03-12"),
        ("de", "Pressemitteilung vom 12. März 2019", "2019-03-12"),
        ("de", "Verfasst am 12. März 2019 von Max Muster", "2019-03-12"),
        ("de", "Veröffentlichungsdatum: 12.03.2019", "2019-03-12"),
        ("de", "Datum der Veröffentlichung: 12.03.2019", "2019-03-12"),
        ("en", "Written by Jane Roe on March 12, 2019", "2019-03-12"),
        ("en", "Date posted: March 12, 2019", "2019-03-12"),
        ("en", "Submitted on March 12, 2019", "2019-03-12"),
    ],
)
def test_labelled_date_line_in_the_story_footer(lang: str, line: str, expected: str) -> None:
    assert pub(story(line, lang)) == (expected, "text:label")


def test_labelled_line_gives_both_dates() -> None:
    html = story("Published 3 March 2019 · Updated 4 March 2019 at 9:30 am")
    assert pub(html) == ("2019-03-03", "text:label")
    assert mod(html) == ("2019-03-04T09:30:00", "text:label")


@pytest.mark.parametrize(
    "after",
    [
        '<aside class="related"><p>Published 1 March 2019</p></aside>',
        '<div id="comments"><div class="comment"><p>Posted on 2 March 2019</p></div></div>',
        "<blockquote><p>Published 2 March 2019</p></blockquote>",
        '<div class="more-stories"><p>Veröffentlicht am 02.03.2019</p></div>',
        '<div class="list"><div><h3><a href="/o">Other</a></h3>'
        "<p>Published 2 March 2019</p></div></div>",
    ],
)
def test_labelled_dates_of_other_stories_and_comments_are_not_read(after: str) -> None:
    assert pub(story("Share this story", after=after)) is None


def test_a_label_inside_a_sentence_is_not_a_date_line() -> None:
    sentence = (
        "The agency said the figures were published on March 3, 2019 and have not been revised "
        "since, although several councils asked for a review of the method last spring."
    )
    assert pub(story(sentence)) is None
    assert (
        pub(
            story(
                "The report was <em>published</em> on 3 March 2019, the agency said, "
                "and it has been cited many times since then by the city council."
            )
        )
        is None
    )


def test_masthead_date_with_a_label_is_not_the_story_date() -> None:
    html = story("Share this story").replace(
        '<div class="page">',
        '<div class="page"><header class="site-header"><p>Updated 4 March 2019</p>'
        "<p>Stand: 04.03.2019</p></header>",
    )
    assert pub(html) is None
    assert mod(html) is None


# --- dates far from the headline, classless date lines, update-only pages ------------------------


def far_story(meta: str, after: str = "") -> str:
    """A story whose header nests the h1 deep, with `meta` in an aside of the story's article."""
    paragraphs = "".join(
        f"<p>Paragraph {i} of the story, with enough words to read.</p>" for i in range(8)
    )
    return page(
        body='<div class="wrap"><main><article class="story">'
        f'<div class="a"><div class="b"><div class="c"><div class="d"><div class="e">{H1}'
        f'</div></div></div></div></div><aside class="story-aside">{meta}</aside>'
        f'<div class="story-text">{paragraphs}</div></article>{after}</main></div>'
    )


def test_time_element_in_an_aside_of_the_story_article() -> None:
    html = far_story(
        '<div class="x"><time datetime="2024-04-30T15:59:00+02:00">30. April</time></div>'
    )
    assert pub(html) == ("2024-04-30T15:59:00+02:00", "text:story")


def test_a_teaser_card_time_is_not_the_story_date() -> None:
    teaser = (
        '<div class="more"><div class="card"><h3><a href="/other">Other story</a></h3>'
        '<time datetime="2024-04-29T10:00:00+02:00">29. April</time></div></div>'
    )
    assert pub(far_story("<p>Share</p>", after=teaser)) is None


def test_rdfa_property_date() -> None:
    body = f'<article>{H1}<span property="schema:datePublished" content="2023-05-04">4 May</span>'
    assert pub(page(body=body + "</article>")) == ("2023-05-04", "microdata")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Friday 22 November 2024 08:49 GMT", "2024-11-22T08:49:00+00:00"),
        ("10.11.2025 17:59", "2025-11-10T17:59:00"),
    ],
)
def test_a_classless_date_line_beside_the_headline(line: str, expected: str) -> None:
    html = page(
        body=f'<main><article><div class="sc-1x"><div class="sc-2y">{H1}</div>'
        f'<div class="sc-3z"><span>{line}</span></div></div><p>Story text.</p></article></main>'
    )
    assert pub(html, now=datetime(2026, 1, 1, tzinfo=UTC)) == (expected, "text:header")


def test_a_date_in_the_story_text_or_a_link_is_not_a_header_line() -> None:
    html = page(
        body=f'<main><article><div class="sc-1x">{H1}<div class="sc-3z"><a href="/x">'
        "Archive: 10 November 2025</a></div></div><p>On 10 November 2025 the council met, and "
        "it voted to approve the plan after a long hearing.</p></article></main>"
    )
    assert pub(html, now=datetime(2026, 1, 1, tzinfo=UTC)) is None


def test_a_page_showing_only_its_update_time_gives_it_as_published() -> None:
    html = page(
        body=f'<article>{H1}<span class="date">Aktualisiert am 28.04.2023, 19:20</span></article>',
        lang="de",
    )
    assert mod(html) == ("2023-04-28T19:20:00", "text")
    assert pub(html) == ("2023-04-28T19:20:00", "modified:text")


def test_an_update_marked_date_stops_the_header_line_scan() -> None:
    html = page(
        body=f'<main><article><div class="sc-1x">{H1}<time class="entry-date updated">'
        "October 12, 2018</time><p>2018.04.05 ~ open run</p></div><p>Story.</p></article></main>"
    )
    assert mod(html) == ("2018-10-12", "text")
    assert pub(html) == ("2018-10-12", "modified:text")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Wednesday 20 November 2019 11:42, UK", "2019-11-20T11:42:00"),
        ("November 20, 2019 - 11:28 AMT", "2019-11-20T11:28:00+04:00"),
        (
            "Ann Lee Monday, November 18, 2019, 04:05 pm PT (07:05 pm ET)",
            "2019-11-18T16:05:00-08:00",
        ),
        # The byline a meta bar sets after the date, behind a separator.
        ("March 3, 2019 | by Jane Roe", "2019-03-03"),
        ("12 March 2019 · by Max Muster", "2019-03-12"),
    ],
)
def test_what_trails_a_date_line_is_dropped(text: str, expected: str) -> None:
    when = datetext.parse_text(text, ("en",), datetime(2020, 1, 1, tzinfo=UTC))
    assert when is not None
    assert datetext.iso(when) == expected


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("November 15, 2019", True),
        ("Monday, November 18th, 2019", True),
        ("Sun, Nov 17, 2019", True),
        ("18 NOV 2019", True),
        ("3rd Sept. 2018", True),
        ("may 3 2019,", True),
        ("Thursday 29 February 2024", True),
        ("February 30, 2019", False),  # no such day: dateparser decides
        ("Carrie Arnold November 15, 2019", False),  # not a date alone: dateparser decides
        ("Tues, Jan. 2, 2018", False),  # a weekday spelled otherwise: dateparser decides
        ("11:34 PM EST Nov 19, 2019", True),
        ("Fri 6:45 PM, Feb 16, 2018", True),
        ("November 19, 2019, 12:02 AM", True),
        ("Nov 20, 2019 13:38", True),
        ("Nov 20, 2019 13:38 PM", False),  # dateparser decides what this means
        ("Nov 20, 2019 1:38 pm AMT", False),  # a zone not in the short list
    ],
)
def test_english_dates_in_words_are_read_as_dateparser_reads_them(text: str, read: bool) -> None:
    mine = datetext._english_date(text)
    assert (mine is not None) == read
    if read:
        parser = datetext._parser(("en",), datetime(2024, 1, 1), "DMY")
        expected = parser.get_date_data(text).date_obj
        assert mine == expected
        assert mine is not None and mine.utcoffset() == expected.utcoffset()


def test_english_dates_in_words_skip_dateparser(monkeypatch: pytest.MonkeyPatch) -> None:
    class Refusing:
        def get_date_data(self, text: str) -> Any:
            raise AssertionError(f"dateparser asked for {text!r}")

    monkeypatch.setattr(datetext, "_parser", lambda *args: Refusing())
    now = datetime(2020, 1, 1, tzinfo=UTC)
    assert datetext.parse_text("Monday, November 18, 2019", ("en",), now) == date(2019, 11, 18)


def test_a_number_inside_a_sentence_is_not_a_date_line() -> None:
    text = "— Rep. Ann Lee on Sunday, October 13th, 2019 in an article in a local newspaper"
    assert datetext.parse_text(text, ("en",), datetime(2020, 1, 1, tzinfo=UTC)) is None


def _shown_page(machine: str, shown: str) -> str:
    jsonld = {"@type": "NewsArticle", "headline": "Council approves plan", "datePublished": machine}
    meta = f'<div class="meta"><time datetime="{machine}">{shown}</time></div>'
    story = f"<article>{H1}{meta}<p>{'The council met. ' * 20}</p></article>"
    return page(body=story, jsonld=jsonld)


def test_a_utc_time_takes_the_offset_of_the_local_time_the_page_shows() -> None:
    html = _shown_page("2019-11-19T07:03:25Z", "November 18, 2019 11:03 PM")
    assert pub(html) == ("2019-11-18T23:03:25-08:00", "jsonld")


@pytest.mark.parametrize(
    "shown",
    [
        "November 19, 2019 2:33 PM",  # +07:30 is no zone in use: another time, not this one
        "November 19, 2019",  # the page shows the UTC day
        "November 19, 2019 07:03 AM",  # the page shows UTC itself
        "November 18, 2019",  # a day without a time gives no offset
    ],
)
def test_a_utc_time_is_kept_when_the_page_shows_no_local_rendering_of_it(shown: str) -> None:
    html = _shown_page("2019-11-19T07:03:25Z", shown)
    assert pub(html) == ("2019-11-19T07:03:25+00:00", "jsonld")


def test_an_offset_time_is_never_moved_to_another_offset() -> None:
    html = _shown_page("2019-11-19T09:03:25+02:00", "November 18, 2019 11:03 PM")
    assert pub(html) == ("2019-11-19T09:03:25+02:00", "jsonld")


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("November 18, 2019 11:03 PM", -8),
        ("Posted Nov 18, 8:03 p.m.", -11),  # no year: the day and the minutes decide
        ("11:03 pm EST, Monday, November 18, 2019", None),  # EST is not -08:00
        ("19.11.2019, 08:03 Uhr", 1),
        ("19.11.2019, 8.03 Uhr", 1),
        ("19. November 2019, 07:03", 0),  # the page shows UTC itself
        ("November 20, 2019 11:03 PM", None),  # not this instant in any zone
        ("November 19, 2019 2:33 PM", None),  # +07:30 is no zone in use
        ("Updated 11:04 PM, Nov 18", None),
    ],
)
def test_the_offset_under_which_a_line_shows_a_utc_time(text: str, hours: float | None) -> None:
    found = dates.local_offset(text, datetime(2019, 11, 19, 7, 3))
    assert found == (None if hours is None else timedelta(hours=hours))


# --- machine dates in the attributes of date elements ---------------------------------------------


def _attr_page(meta: str, after: str = "") -> str:
    text = "<p>Die Stadt hat am Montag beschlossen, die Brücke zu sanieren.</p>" * 6
    return page(body=f"<main><article>{H1}{meta}{text}</article>{after}</main>", lang="de")


def test_hatom_abbr_title_gives_the_date_its_short_text_leaves_out() -> None:
    html = _attr_page(
        '<p><abbr class="published" title="2019-03-12T10:00:00+01:00">12.3.</abbr></p>'
    )
    assert pub(html) == ("2019-03-12T10:00:00+01:00", "attr")


def test_hatom_updated_title_is_the_modified_date() -> None:
    html = _attr_page(
        '<p><abbr class="published" title="2019-03-12T10:00:00+01:00">12.3.</abbr> '
        '<abbr class="updated" title="2019-03-14T08:30:00+01:00">14.3.</abbr></p>'
    )
    assert mod(html) == ("2019-03-14T08:30:00+01:00", "attr")
    assert pub(html) == ("2019-03-12T10:00:00+01:00", "attr")


def test_data_date_beats_a_relative_text() -> None:
    html = _attr_page('<div class="article-meta" data-date="2019-03-12">Vor fünf Jahren</div>')
    assert pub(html) == ("2019-03-12", "attr")


def test_data_dates_of_other_stories_are_not_read() -> None:
    related = (
        '<aside class="related"><h2>Mehr zum Thema</h2><ul><li class="teaser-date" '
        'data-date="2019-02-01"><a href="/a">Andere Meldung</a></li></ul></aside>'
    )
    assert pub(_attr_page("<p>Von Anna Berg</p>", after=related)) is None


# --- blog and institution pages -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["vor 2 Wochen", "3 months ago", "vor einem Jahr", "il y a 2 ans", "2 роки тому"]
)
def test_a_relative_date_in_weeks_months_or_years_gives_no_day(text: str) -> None:
    assert datetext.parse_text(text, ("de", "en", "fr", "uk"), NOW) is None


def test_a_relative_date_in_days_still_counts() -> None:
    assert datetext.parse_text("vor 3 Tagen", ("de", "en"), NOW) == (NOW - timedelta(days=3)).date()


@pytest.mark.parametrize(
    "line",
    [
        "Termin: 12.03.2019, 19 Uhr, Rathaus",
        "Wann: Samstag, 16. März 2019",
        "Anmeldeschluss 1. März 2019",
        "When: March 16, 2019 at 7 pm",
        "Deadline: 1 March 2019",
    ],
)
def test_an_event_or_deadline_line_is_not_the_story_date(line: str) -> None:
    text = "<p>Der Verein lädt alle Mitglieder zur Versammlung ein.</p>" * 4
    html = page(body=f"<main><article>{H1}{text}<p>{line}</p></article></main>", lang="de")
    assert pub(html) is None


def test_a_date_linked_to_its_archive_beside_the_headline() -> None:
    meta = (
        '<div><a href="/2019/03/12/">12. März 2019</a> von <a href="/author/max">Max</a>'
        "</div><p>Der Verein lädt alle Mitglieder zur Versammlung ein.</p>"
    )
    html = page(body=f"<main><article>{H1}{meta}</article></main>", lang="de")
    assert pub(html) == ("2019-03-12", "text:header")


@pytest.mark.parametrize("label", ["Letzte Änderung:", "Letzte Aktualisierung", "Änderungsdatum:"])
def test_german_update_labels(label: str) -> None:
    html = story(f"{label} 12.03.2019", lang="de")
    assert mod(html) == ("2019-03-12", "text:label")


def _release(first: str, lang: str = "de") -> str:
    rest = (
        "<p>Die Brücke aus dem Jahr 1927 zeigt seit Längerem Schäden am Mauerwerk und Geländer.</p>"
    )
    return page(body=f"<main><article>{H1}<p>{first}</p>{rest * 3}</article></main>", lang=lang)


@pytest.mark.parametrize(
    ("first", "expected"),
    [
        (
            "Lindenfeld, 12.03.2019 – Die Stadt saniert ab April die Brücke in der Altstadt, "
            "sagte die Bürgermeisterin.",
            "2019-03-12",
        ),
        (
            "Lindenfeld, 12. März 2019. Die Stadt saniert ab April die Brücke in der Altstadt, "
            "sagte die Bürgermeisterin.",
            "2019-03-12",
        ),
        (
            "SPRINGFIELD, March 12, 2019 — The city will repair the bridge in the old town from "
            "April, the mayor said.",
            "2019-03-12",
        ),
    ],
)
def test_a_dateline_opening_the_first_paragraph(first: str, expected: str) -> None:
    assert pub(_release(first)) == (expected, "text:dateline")


@pytest.mark.parametrize(
    "first",
    [
        "Am 12. März 2019 – einem Dienstag – beschloss der Rat, die Brücke in der Altstadt zu "
        "sanieren.",
        "Seit dem 12.03.2019: Die Brücke ist gesperrt, und der Verkehr wird über die "
        "Bahnhofstraße umgeleitet.",
        "Die Stadt saniert die Brücke. Lindenfeld, 12.03.2019 – so stand es im Amtsblatt, das "
        "an alle Haushalte ging.",
    ],
)
def test_a_date_in_the_first_sentence_is_no_dateline(first: str) -> None:
    assert pub(_release(first)) is None


def test_a_date_beside_a_link_in_a_list_of_links_is_another_story() -> None:
    related = (
        "<ul><li><span>07.03.2019</span> <a href='/a'>Neue Öffnungszeiten der Bücherei</a></li>"
        "<li><span>01.03.2019</span> <a href='/b'>Haushalt 2019 beschlossen</a></li></ul>"
    )
    text = (
        "<p>Die Stadt saniert ab April die Brücke in der Altstadt, sagte die Bürgermeisterin.</p>"
    )
    html = page(body=f"<div><div><div>{H1}{text * 3}</div>{related}</div></div>", lang="de")
    assert pub(html) is None


def test_a_meta_list_item_with_a_category_link_keeps_its_date() -> None:
    meta = (
        "<ul class='x'><li>in <a href='/news'>Neuigkeiten</a> am 12.03.2019</li>"
        "<li><a href='#c'>3 Kommentare</a></li></ul>"
    )
    text = (
        "<p>Die Stadt saniert ab April die Brücke in der Altstadt, sagte die Bürgermeisterin.</p>"
    )
    html = page(body=f"<main><article>{H1}{meta}{text * 3}</article></main>", lang="de")
    assert pub(html) == ("2019-03-12", "text:header")


def _column_page(title: str) -> str:
    menu = "".join(f"<li><a href='/k{i}'>Thema {i}</a> ({i})</li>" for i in range(150))
    text = "<p>Das Bürgerbüro im Rathaus ist ab April länger geöffnet, sagte der Bürgermeister.</p>"
    return page(
        head="<title>Neue Öffnungszeiten im Bürgerbüro</title>",
        body=f"<div><div><div class='l'><ul>{menu}</ul></div><div class='m'>{title}"
        f"<small><b>12.03.2019</b> - Kategorie: Ordnung</small>{text * 3}</div></div></div>",
        lang="de",
    )


def test_a_date_line_beside_the_headline_after_a_long_menu_column() -> None:
    assert pub(_column_page("<h1>Neue Öffnungszeiten im Bürgerbüro</h1>")) == (
        "2019-03-12",
        "text:header",
    )


def test_a_title_set_as_a_paragraph_anchors_the_date_line() -> None:
    html = _column_page("<p class='titel'>Neue Öffnungszeiten im Bürgerbüro</p>")
    assert pub(html) == ("2019-03-12", "text:header")


@pytest.mark.parametrize("name", ["fuss", "fusszeile", "rodape"])
def test_a_labelled_line_in_the_page_footer_named_in_another_language_is_not_read(
    name: str,
) -> None:
    text = "<p>Das Bürgerbüro im Rathaus ist ab April länger geöffnet, sagte der Bürgermeister.</p>"
    html = page(
        body=f"<div class='seite'><div class='inhalt'><div class='text'>{H1}{text * 3}</div></div>"
        f"<div id='{name}'><p>Gemeinde Oberhain · Stand: 14.03.2019</p></div></div>",
        lang="de",
    )
    assert pub(html) is None


@pytest.mark.parametrize(
    "head",
    [
        '<meta property="og:pubdate" content="2019-03-12">',
        '<meta name="DC.date.published" content="2019-03-12">',
        '<meta name="article_date_original" content="2019-03-12">',
    ],
)
def test_more_meta_names_of_the_publication_date(head: str) -> None:
    assert pub(page(head=head)) is not None
    assert pub(page(head=head))[0] == "2019-03-12"  # type: ignore[index]


@pytest.mark.parametrize("labels", [datelabels.PUBLISHED_LABELS, datelabels.UPDATED_LABELS])
def test_label_trie_matches_as_the_flat_alternation(labels: dict[str, tuple[str, ...]]) -> None:
    # The trie must find what the plain list would, longest label first: "first published"
    # before "published", "zuletzt aktualisiert" before "aktualisiert", any spacing or case.
    words = sorted({w for ws in labels.values() for w in ws}, key=len, reverse=True)
    flat = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)
    joiners = rf"(?:\s+(?:{datelabels._JOINERS}))?(?!\w)"
    plain = re.compile(rf"(?<!\w)(?:{flat}){joiners}", re.IGNORECASE)
    pattern = datelabels._label_pattern(labels)
    lines = []
    for i, word in enumerate(words):
        spaced = word.replace(" ", ["  ", "\n", " \t "][i % 3])
        lines.append(f"| {[spaced, spaced.upper(), spaced.title()][i % 3]} am 3. März")
        lines.append(f"x{word} {word}s {word}: 12.03.2019")
    text = "\n".join(lines)
    expected = [m.span() for m in plain.finditer(text)]
    assert len(expected) > len(words)
    assert [m.span() for m in pattern.finditer(text)] == expected


_STORY = (
    "<p>Die Kühltürme des stillgelegten Kraftwerks wurden am Morgen kontrolliert gesprengt.</p>"
)


def _lone_page(line: str, lang: str = "de") -> str:
    """A headline read in a breadcrumb (the only h1), the story's own header an h2 in the
    <article>, and the date line at the story's end, beyond header_line's reach, with no
    telling class."""
    crumbs = (
        "<ol class='breadcrumb'><li><a href='/'>Start</a></li>"
        "<li><h1>Kühltürme gesprengt</h1></li></ol>"
    )
    head = "<div class='article-header'><div class='item'><h2>Kühltürme gesprengt</h2></div></div>"
    return page(
        body=f"<main>{crumbs}</main><article><div class='x1'>{head}</div>"
        f"<div class='x2'><div class='x3'>{_STORY * 4}{line}</div></div></article>",
        lang=lang,
    )


@pytest.mark.parametrize(
    ("line", "lang", "expected"),
    [
        (
            "<div class='article-details'><span>25.03.2024 - 15:26 Uhr</span></div>",
            "de",
            "2024-03-25T15:26:00",
        ),
        ("<p>Freitag, 22. März 2024</p>", "de", "2024-03-22"),
        ("<div class='k7'>March 22, 2024 at 3:26 pm</div>", "en", "2024-03-22T15:26:00"),
        ("<p class='q'>Lindenfeld, den 3. März 2021<br>22.03.2024</p>", "de", "2024-03-22"),
    ],
)
def test_a_date_alone_on_its_own_line_in_the_story(line: str, lang: str, expected: str) -> None:
    assert pub(_lone_page(line, lang)) == (expected, "text:lone")


@pytest.mark.parametrize(
    "line",
    [
        "<p>Die Anlage war bis zum 31.12.2017 in Betrieb.</p>",  # a date inside a sentence
        "<p><a href='/2024/03/20/akw'>20.03.2024</a></p>",  # a link: another story's date
        "<div class='comment'><span>20.03.2024</span></div>",  # a comment's date
        "<blockquote><p>20.03.2024</p></blockquote>",  # a quote
    ],
)
def test_a_lone_date_that_is_not_the_story_s_is_not_read(line: str) -> None:
    assert pub(_lone_page(line)) is None


def test_a_lone_date_line_in_the_page_footer_is_not_read() -> None:
    html = _lone_page("").replace("</article>", "</article><footer><p>22.03.2024</p></footer>")
    assert pub(html) is None


def test_a_lone_date_in_the_top_bar_above_the_page_is_not_read() -> None:
    # Today's date in the masthead shares only <body> with the headline.
    html = _lone_page("").replace("<main>", "<div class='bar'>Freitag, 22. März 2024</div><main>")
    assert pub(html) is None

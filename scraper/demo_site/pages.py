"""The demo site's pages: thirty synthetic articles rendered the way real news pages are.

JSON-LD, OpenGraph, a byline, <time>, a photo credit, a newsletter box inside the body, an
author box and related links after it; listings (home, paged sections, authors, tags),
robots.txt with a Sitemap line, a sitemap index over an article and a news sitemap, and
RSS and Atom feeds. Everything is a pure function of the base URL, the same on every run.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from html import escape

from scraper.demo_site import content as c
from scraper.demo_site.feeds import Entry, atom_xml, rss_xml, sitemap_index_xml, urlset_xml

# The newest article's date; the others go back about 17 hours each. Fixed, so runs repeat.
NEWEST = datetime(2024, 5, 20, 9, 30, tzinfo=timezone(timedelta(hours=2)))
PER_PAGE = 5  # articles per section page, so every section has a page 2
HTML = "text/html; charset=utf-8"
XML = "application/xml; charset=utf-8"


@dataclass(frozen=True)
class DemoArticle:
    """One demo story: what the page shows, and what its record should say."""

    path: str
    section: str
    headline: str
    description: str
    authors: tuple[tuple[str, str, str, str], ...]  # (slug, name, role, bio)
    published: datetime
    modified: datetime | None
    paragraphs: tuple[str, ...]
    tags: tuple[str, ...]
    photo_credit: str


def slugify(text: str) -> str:
    """URL slug: lower-case words joined by hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _body(rng: random.Random, section: str, topic: str, lead: str) -> tuple[str, ...]:
    """The lead, then 4 to 6 paragraphs of pooled sentences filled in for this story."""
    place, person = rng.choice(c.PLACES), rng.choice(c.PEOPLE)
    pool = rng.sample(c.POOLS[section] + c.GENERAL, k=len(c.POOLS[section] + c.GENERAL))
    paragraphs, at = [lead], 0
    for _ in range(rng.randint(4, 6)):
        take = rng.randint(2, 3)
        sentences = [
            s.format(
                topic=topic,
                place=place,
                person=person,
                role=rng.choice(c.ROLES),
                n=rng.randint(12, 4800),
                pct=rng.randint(2, 38),
                year=rng.randint(1996, 2021),
            )
            for s in pool[at : at + take]
        ]
        at += take
        paragraphs.append(" ".join(s[0].upper() + s[1:] for s in sentences))
    return tuple(paragraphs)


def demo_articles() -> tuple[DemoArticle, ...]:
    """The demo's stories, newest first; the same on every run."""
    articles = []
    for i, (section, headline, topic, lead, tags) in enumerate(c.STORIES):
        rng = random.Random(i)
        published = NEWEST - timedelta(hours=17 * i + rng.randint(0, 4), minutes=rng.randint(0, 59))
        writers = 2 if i % 7 == 3 else 1  # some stories have two writers
        authors = tuple(c.AUTHORS[(i * 5 + k) % len(c.AUTHORS)] for k in range(writers))
        modified = published + timedelta(hours=3) if i % 4 == 1 else None
        articles.append(
            DemoArticle(
                path=f"/{section}/{published:%Y/%m/%d}/{slugify(headline)}",
                section=section,
                headline=headline,
                description=lead,
                authors=authors,
                published=published,
                modified=modified,
                paragraphs=_body(rng, section, topic, lead),
                tags=tags,
                photo_credit=c.PHOTO_CREDIT.format(person=rng.choice(c.PEOPLE)),
            )
        )
    return tuple(articles)


# ---- HTML --------------------------------------------------------------------------------


def _page(title: str, main: str, head: str = "", today: datetime = NEWEST) -> str:
    """The site's frame: masthead with today's date (a trap for date extractors), nav, footer."""
    nav = " ".join(f'<a href="/{s}/">{escape(n)}</a>' for s, n in c.SECTIONS.items())
    return (
        f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title>"
        f'<link rel="alternate" type="application/rss+xml" title="{c.SITE_NAME}" href="/feed.xml">'
        f'<link rel="alternate" type="application/atom+xml" href="/atom.xml">{head}</head>\n'
        f'<body><header class="masthead"><a class="logo" href="/">{c.SITE_NAME}</a> '
        f'<span class="today">{today:%A, %d %B %Y}</span><nav>{nav}</nav></header>\n'
        f"<main>{main}</main>\n<footer>© 2024 {c.SITE_NAME} · "
        '<a href="/about">About us</a> · <a href="/private/staff-notes">Staff</a></footer>'
        "</body></html>\n"
    )


def _teaser(a: DemoArticle) -> str:
    """A listing item: headline link, date, byline, summary."""
    names = " and ".join(name for _, name, _, _ in a.authors)
    return (
        f'<li class="teaser"><h3><a href="{a.path}">{escape(a.headline)}</a></h3>'
        f'<time datetime="{a.published.isoformat()}">{a.published:%d %b %Y}</time> '
        f'<span class="by">By {escape(names)}</span><p>{escape(a.description)}</p></li>'
    )


def _listing(title: str, items: list[DemoArticle], extra: str = "") -> str:
    """A listing page: home, section page, author or tag page."""
    teasers = "".join(_teaser(a) for a in items)
    return _page(f"{title} | {c.SITE_NAME}", f"<h1>{escape(title)}</h1><ul>{teasers}</ul>{extra}")


def _jsonld(a: DemoArticle, url: str) -> str:
    """The NewsArticle JSON-LD block most news sites carry."""
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a.headline,
        "description": a.description,
        "datePublished": a.published.isoformat(),
        "dateModified": (a.modified or a.published).isoformat(),
        "author": [
            {"@type": "Person", "name": n, "url": f"/author/{s}/"} for s, n, _, _ in a.authors
        ],
        "publisher": {"@type": "Organization", "name": c.SITE_NAME},
        "mainEntityOfPage": url,
        "articleSection": c.SECTIONS[a.section],
        "keywords": list(a.tags),
    }
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


def _article_page(a: DemoArticle, base: str, related: list[DemoArticle]) -> str:
    """One article as a real news page renders it, furniture and traps included."""
    url = base + a.path
    meta = {
        "og:title": a.headline,
        "og:type": "article",
        "og:url": url,
        "og:site_name": c.SITE_NAME,
        "og:description": a.description,
        "article:published_time": a.published.isoformat(),
        "article:section": c.SECTIONS[a.section],
    }
    head = f'<link rel="canonical" href="{url}">'
    head += f'<meta name="description" content="{escape(a.description)}">'
    head += "".join(f'<meta property="{k}" content="{escape(v)}">' for k, v in meta.items())
    head += "".join(f'<meta property="article:tag" content="{escape(t)}">' for t in a.tags)
    head += f'<script type="application/ld+json">{_jsonld(a, url)}</script>'
    byline = " and ".join(
        f'<a rel="author" href="/author/{s}/">{escape(n)}</a>' for s, n, _, _ in a.authors
    )
    paras = [f"<p>{escape(p)}</p>" for p in a.paragraphs]
    paras.insert(3, f'<aside class="newsletter"><p>{escape(c.NEWSLETTER)}</p></aside>')
    boxes = "".join(
        f'<div class="author-box"><p><strong>{escape(n)}</strong> · {escape(r)}</p>'
        f"<p>{escape(b)}</p></div>"
        for _, n, r, b in a.authors
    )
    tags = " ".join(f'<a href="/tag/{slugify(t)}/">{escape(t)}</a>' for t in a.tags)
    updated = (
        f' · Updated <time datetime="{a.modified.isoformat()}">{a.modified:%H:%M}</time>'
        if a.modified
        else ""
    )
    main = (
        f'<article><p class="kicker"><a href="/{a.section}/">{c.SECTIONS[a.section]}</a></p>'
        f'<h1>{escape(a.headline)}</h1><p class="byline">By {byline}</p>'
        f'<p class="dateline"><time datetime="{a.published.isoformat()}">'
        f"{a.published:%d %B %Y, %H:%M}</time>{updated}</p>"
        f'<figure><img src="/images/{slugify(a.headline)[:20]}.jpg" alt="">'
        f"<figcaption>{escape(a.photo_credit)}</figcaption></figure>"
        f'<div class="article-body">{"".join(paras)}</div><p class="tags">{tags}</p>'
        f'<section class="about-author"><h2>About the author</h2>{boxes}</section></article>'
        f'<aside class="related"><h2>More from {c.SITE_NAME}</h2><ul>'
        f"{''.join(_teaser(r) for r in related)}</ul></aside>"
    )
    return _page(f"{a.headline} | {c.SITE_NAME}", main, head)


def _pager(path: str, page: int, pages: int) -> str:
    """Previous/next links of a paged section."""
    links = []
    if page > 1:
        links.append(
            f'<a rel="prev" href="{path if page == 2 else f"{path}page/{page - 1}/"}">Newer</a>'
        )
    if page < pages:
        links.append(f'<a rel="next" href="{path}page/{page + 1}/">Older</a>')
    return f'<nav class="pager">{" ".join(links)}</nav>'


def render_site(base: str) -> dict[str, tuple[str, bytes]]:
    """Every page of the demo: path (no trailing slash) -> (content type, body)."""
    articles = demo_articles()
    html: dict[str, str] = {"/": _listing("Latest news", list(articles[:12]))}
    for i, a in enumerate(articles):
        html[a.path] = _article_page(
            a, base, [articles[(i + k) % len(articles)] for k in (1, 5, 11)]
        )
    for section, name in c.SECTIONS.items():
        items = [a for a in articles if a.section == section]
        pages = -(-len(items) // PER_PAGE)
        for n in range(1, pages + 1):
            path = f"/{section}" + (f"/page/{n}" if n > 1 else "")
            chunk = items[(n - 1) * PER_PAGE : n * PER_PAGE]
            html[path] = _listing(name, chunk, _pager(f"/{section}/", n, pages))
    for slug, name, role, bio in c.AUTHORS:
        mine = [a for a in articles if any(s == slug for s, *_ in a.authors)]
        html[f"/author/{slug}"] = _listing(name, mine, f"<p>{escape(role)}. {escape(bio)}</p>")
    for tag in sorted({t for a in articles for t in a.tags}):
        html[f"/tag/{slugify(tag)}"] = _listing(
            tag.capitalize(), [a for a in articles if tag in a.tags]
        )
    html["/about"] = _page(f"About | {c.SITE_NAME}", "<h1>About us</h1><p>A demo paper.</p>")
    html["/private/staff-notes"] = _page("Staff", "<h1>Staff only</h1>")  # robots.txt says no
    site = {path: (HTML, body.encode()) for path, body in html.items()}
    site.update(_machine_files(base, articles))
    return site


def _machine_files(base: str, articles: tuple[DemoArticle, ...]) -> dict[str, tuple[str, bytes]]:
    """robots.txt, the sitemap index and its children, and the feeds."""
    entries = [
        Entry(
            url=base + a.path,
            title=a.headline,
            published=a.published.isoformat(),
            lastmod=(a.modified or a.published).isoformat(),
            summary=a.description,
        )
        for a in articles
    ]
    # Feed links carry tracking parameters, as real feeds' do: the crawler must drop them.
    tracked = [
        Entry(e.url + "?utm_source=rss&utm_medium=feed", e.title, e.published, None, e.summary)
        for e in entries[:15]
    ]
    robots = f"User-agent: *\nDisallow: /private/\n\nSitemap: {base}/sitemap.xml\n"
    index = [Entry(base + "/sitemap-articles.xml"), Entry(base + "/sitemap-news.xml")]
    return {
        "/robots.txt": ("text/plain; charset=utf-8", robots.encode()),
        "/sitemap.xml": (XML, sitemap_index_xml(index)),
        "/sitemap-articles.xml": (
            XML,
            urlset_xml(Entry(e.url, lastmod=e.lastmod) for e in entries),
        ),
        "/sitemap-news.xml": (XML, urlset_xml(entries[:10], news_name=c.SITE_NAME)),
        "/feed.xml": (
            "application/rss+xml; charset=utf-8",
            rss_xml(c.SITE_NAME, base + "/", tracked),
        ),
        "/atom.xml": (
            "application/atom+xml; charset=utf-8",
            atom_xml(c.SITE_NAME, base + "/", entries[:15]),
        ),
    }

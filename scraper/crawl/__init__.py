"""Crawling: discovery, the frontier, scope and trap rules, the scheduler. Import from here.

crawler.py   Crawler: worker threads fetch and read, the main thread schedules and saves
tasks.py     what a worker does with one URL (page, sitemap, feed, robots.txt)
frontier.py  the crawl queue and the runs table, in the store's database
priority.py  what goes first: article-like URLs, the newest, sitemaps alternating with pages
patterns.py  URL templates and their budgets, which grow only while they yield articles
discover.py  sitemaps, feeds and links, all bounded
scope.py     what may be crawled, what looks like an article, trap rules
progress.py  the summary of a run, the progress bar and the summary line
"""

from scraper.crawl.crawler import CrawlOptions, crawl, default_processes
from scraper.crawl.frontier import RunBusy, runs
from scraper.crawl.progress import CrawlSummary, Progress
from scraper.crawl.scope import Scope
from scraper.crawl.tasks import reader_pool

__all__ = [
    "CrawlOptions",
    "CrawlSummary",
    "Progress",
    "RunBusy",
    "Scope",
    "crawl",
    "default_processes",
    "reader_pool",
    "runs",
]

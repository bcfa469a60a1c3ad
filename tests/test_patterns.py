"""URL templates and their budgets (scraper/crawl/patterns.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scraper.crawl.patterns import (
    GROWTH,
    PATH_BASE,
    QUERY_BASE,
    STOP_STREAK,
    Budget,
    Budgets,
    url_template,
    verdict,
)
from scraper.store import Store


@pytest.mark.parametrize(
    ("url", "template"),
    [
        ("/2024/05/01/council-approves-the-bridge", "h/{n}/{n}/{n}/{slug}"),
        ("/2005/01/02/old-story-now-gone", "h/{n}/{n}/{n}/{slug}"),  # same family
        ("/events/?day=5", "h/events?"),
        ("/events/?day=6&view=week", "h/events?"),  # names and values: one query space
        ("/shop/?colour=red&size=m&sort=price", "h/shop?"),
        ("/topic/politics-17", "h/topic/{id}"),
        ("/topic/transport-5988", "h/topic/{id}"),
        ("/world/", "h/world"),
        ("/", "h/"),
        ("/news/story-12345.html", "h/news/{id}.html"),
        ("/2024-05-01/briefing", "h/{date}/briefing"),
        ("/archive/page/7", "h/archive/page/{n}"),
        ("/climate-change", "h/{slug}"),
        ("/a/verylongsegmentwithoutanyseparators", "h/a/{slug}"),
    ],
)
def test_templates_abstract_numbers_dates_slugs_ids_and_queries(url: str, template: str) -> None:
    assert url_template("http://news.test" + url, "h") == template


def test_a_barren_template_closes_after_its_base_and_a_query_space_sooner() -> None:
    path, query = Budget("h/topic/{id}"), Budget("h/events?")
    spent = {}
    for budget in (path, query):
        while budget.open():
            budget.charge("miss")
        spent[budget.template] = budget.requests
    assert spent == {"h/topic/{id}": PATH_BASE, "h/events?": QUERY_BASE}
    assert QUERY_BASE < PATH_BASE


def test_articles_grow_the_budget_and_a_streak_of_misses_stops_it() -> None:
    budget = Budget("h/{n}/{n}/{n}/{slug}")
    for _ in range(10):
        budget.charge("article")
    assert budget.open() and budget.requests < PATH_BASE + GROWTH * 10
    for _ in range(STOP_STREAK - 1):
        budget.charge("miss")
        budget.charge("neutral")  # a 503 is not the template's fault
    assert budget.open()
    budget.charge("miss")
    assert not budget.open()  # budget left, but six misses in a row


@pytest.mark.parametrize(
    ("outcome", "transient", "expected"),
    [
        ("new", False, "article"),
        ("updated", False, "article"),
        ("duplicate", False, "miss"),  # a copy under one more URL earns nothing
        ("unchanged", False, "miss"),
        ("not_article", False, "miss"),
        ("error", False, "miss"),  # 404
        ("error", True, "neutral"),  # 503, unreachable
        ("skipped", False, "miss"),  # not HTML
    ],
)
def test_outcomes_count_as_articles_misses_or_neither(
    outcome: str, transient: bool, expected: str
) -> None:
    assert verdict(outcome, transient) == expected


def test_budgets_survive_reopening_and_a_new_run_forgives_only_yielding_templates(
    tmp_path: Path,
) -> None:
    with Store(tmp_path / "news.db") as store:
        budgets = Budgets(store.conn)
        for _ in range(STOP_STREAK):
            budgets.charge("h/events?", "miss")
        budgets.charge("h/{n}/{slug}", "article")
        for _ in range(STOP_STREAK):
            budgets.charge("h/{n}/{slug}", "miss")
        assert not budgets.get("h/events?").open() and not budgets.get("h/{n}/{slug}").open()
    with Store(tmp_path / "news.db") as store:
        budgets = Budgets(store.conn)
        assert not budgets.get("h/{n}/{slug}").open()  # a resume: still closed
        budgets.new_run()
        assert not budgets.get("h/events?").open()  # barren: closed for good
        assert budgets.get("h/{n}/{slug}").open()  # new stories arrive under old templates

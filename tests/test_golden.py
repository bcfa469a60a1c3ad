"""Golden pages: each tests/fixtures/NAME.html must give the hand-written record in NAME.json."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import scraper
from scraper.article import RECORD_KEYS, content_hash

FIXTURES = Path(__file__).parent / "fixtures"
# "Now" for relative dates: fixed, so records are reproducible; later than every fixture's date.
NOW = datetime(2025, 1, 1, 12, tzinfo=UTC)
# Fixtures whose page shows a relative date ("3 hours ago") state when they were saved.
SAVED_AT: dict[str, datetime] = {"relative-date": datetime(2024, 5, 10, 12, tzinfo=UTC)}
# Fields compared as written; word_count, content_hash and provenance are checked apart.
FIELDS = tuple(k for k in RECORD_KEYS if k not in ("word_count", "content_hash", "provenance"))


def _cases() -> list[Any]:
    cases = []
    for html in sorted(FIXTURES.glob("*.html")):
        if not html.with_suffix(".json").exists():
            continue
        cases.append(pytest.param(html.stem, id=html.stem))
    return cases


def _extract(name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    expected = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    html = (FIXTURES / f"{name}.html").read_bytes()
    now = SAVED_AT.get(name, NOW)
    record = scraper.extract(html, url=expected["url"], now=now).to_dict()
    return expected, record


def test_there_are_golden_pages() -> None:
    assert len(_cases()) >= 15


@pytest.mark.parametrize("name", _cases())
def test_golden(name: str) -> None:
    expected, record = _extract(name)
    assert tuple(record) == RECORD_KEYS, "record keys"
    for field in FIELDS:
        if field in expected:
            assert record[field] == expected[field], f"{name}: {field}"
    body = "\n\n".join(expected["paragraphs"]) or None
    words = sum(len(re.findall(r"\w+", p)) for p in expected["paragraphs"])
    assert record["word_count"] == words, f"{name}: word_count"
    assert record["content_hash"] == content_hash(body), f"{name}: content_hash"
    for key, source in expected.get("provenance", {}).items():
        assert record["provenance"].get(key) == source, f"{name}: provenance[{key!r}]"

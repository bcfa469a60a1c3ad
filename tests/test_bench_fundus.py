"""The fundus benchmark's fixed halves and its plumbing into score.py, on one page (fast)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from bench import fundus

DATA = fundus.DEFAULT_DATA
needs_data = pytest.mark.skipif(not fundus.has_data(DATA), reason="fundus data not present")


def test_half_of_is_a_fixed_function_of_the_name() -> None:
    # Pinned values: a change here moves pages between halves and breaks every comparison.
    assert [fundus.half_of(p) for p in ("KleineZeitung", "DiePresse", "SZ")] == ["A", "B", "A"]
    assert fundus.half_of("DiePresse") == fundus.half_of("DiePresse")


@needs_data
def test_halves_split_the_publishers_into_two_non_empty_parts() -> None:
    everything = fundus.load_gold(DATA)
    halves = {h: fundus.load_gold(DATA, h) for h in fundus.HALVES}
    publishers = {h: {d["publisher"] for d in docs} for h, docs in halves.items()}
    assert all(publishers.values())
    assert not publishers["A"] & publishers["B"]
    assert len(halves["A"]) + len(halves["B"]) == len(everything)


@needs_data
def test_score_plumbing_on_one_page(tmp_path: Path) -> None:
    scorer = fundus.load_scorer(DATA)
    gold = fundus.load_gold(DATA)[:1]
    doc = gold[0]
    perfect = {"source": doc["file"], "headline": doc["title"], "authors": doc["authors"]}
    perfect |= {"published": doc["published"], "paragraphs": doc["paragraphs"]}
    extract, to_record = fundus.load_tool("ours")
    html = (DATA / "html" / doc["file"]).read_bytes()
    ours = {"source": doc["file"], **to_record(extract(gzip.decompress(html), doc["url"]))}
    results = {}
    for name, record in (("perfect", perfect), ("ours", ours), ("error", {"error": "x"})):
        path = tmp_path / f"{name}.jsonl"
        path.write_text(json.dumps({"source": doc["file"], **record}) + "\n", encoding="utf-8")
        preds, info = scorer.load_predictions(str(path))
        results[name], _, _ = scorer.score(gold, preds, info["fields"])
    keys = ("title_lenient", "author_exact", "date_same_day", "body_f1")
    assert [results["perfect"][k] for k in keys] == [1.0, 1.0, 1.0, 1.0]
    assert results["error"]["missing_or_error"] == 1  # a worker's crash line counts as empty
    assert set(ours) >= {"headline", "authors", "published", "paragraphs", "body"}
    assert 0.0 <= results["ours"]["body_f1"] <= 1.0 and results["ours"]["missing_or_error"] == 0


def test_speed_table_gives_the_ratio_by_wall_clock_and_by_cpu_time(
    capsys: pytest.CaptureFixture[str],
) -> None:
    row = (
        "Zyte (2 pages)",
        {
            "ours": fundus.Speed(90.0, 120.0, 80.0, 25.0),
            "trafilatura": fundus.Speed(30.0, 60.0, 170.0, 37.0),
        },
    )
    fundus.print_speed([row], ["ours", "trafilatura"])
    head, line = capsys.readouterr().out.splitlines()
    assert "CPU p/s" in head and head.endswith("ours/trafilatura wall, CPU")
    assert line.split()[-2:] == ["3.00x,", "2.00x"]
    assert line.split()[3:7] == ["90.0", "120.0", "80.0", "25.0"]

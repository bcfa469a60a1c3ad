"""The Zyte benchmark's metric, on hand-made strings, so a wrong score cannot pass unnoticed."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

# Loaded by path: bench/ is not an installed package and pytest does not put the root on sys.path.
_SPEC = importlib.util.spec_from_file_location(
    "bench_zyte", Path(__file__).resolve().parents[1] / "bench" / "zyte.py"
)
assert _SPEC is not None and _SPEC.loader is not None
zyte = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(zyte)

TEXT = "The quick brown fox jumps over the lazy dog near the river bank."


def test_tokens_are_word_runs_with_case_kept() -> None:
    assert zyte.tokenize("Don't stop—it's 2019, Ünïcode_ok!") == [
        "Don",
        "t",
        "stop",
        "it",
        "s",
        "2019",
        "Ünïcode_ok",
    ]
    assert zyte.tokenize(None) == []


def test_shingles_are_a_multiset_of_four_token_runs() -> None:
    assert zyte.shingles("a b c d a b c d") == {
        ("a", "b", "c", "d"): 2,
        ("b", "c", "d", "a"): 1,
        ("c", "d", "a", "b"): 1,
        ("d", "a", "b", "c"): 1,
    }


def test_short_text_is_one_shingle_and_empty_text_none() -> None:
    assert zyte.shingles("only three words") == {("only", "three", "words"): 1}
    assert zyte.shingles("  ...  ") == {}


def test_identical_texts_score_one() -> None:
    score = zyte.score_page(TEXT, TEXT.replace(" ", "\n  "))
    assert (score.tp, score.fp, score.fn) == (1.0, 0.0, 0.0)
    assert score.precision == score.recall == score.f1 == 1.0
    assert zyte.is_exact(TEXT, TEXT.replace(" ", "\n\n"))


def test_case_and_punctuation_matter_as_the_benchmark_says() -> None:
    assert zyte.is_exact("Hello, world", "Hello world!")
    assert not zyte.is_exact("Hello world", "hello world")


def test_disjoint_texts_score_zero() -> None:
    score = zyte.score_page(TEXT, "Completely different words appear in this other sentence")
    assert score.tp == 0.0
    assert score.fp + score.fn == pytest.approx(1.0)
    assert score.precision == score.recall == score.f1 == 0.0


def test_partial_overlap_is_normalised_per_page() -> None:
    # truth: 8 shingles; prediction adds two tokens, i.e. two extra shingles.
    true = "one two three four five six seven eight nine ten eleven"
    score = zyte.score_page(true, true + " twelve thirteen")
    assert score.tp + score.fp + score.fn == pytest.approx(1.0)
    assert score.precision == pytest.approx(8 / 10)
    assert score.recall == 1.0
    assert score.f1 == pytest.approx(2 * 0.8 / 1.8)


def test_repeated_shingles_count_once_per_occurrence() -> None:
    score = zyte.score_page("a b c d", "a b c d a b c d")
    # pred shingles: abcd x2, bcda, cdab, dabc; truth: abcd once.
    assert score.precision == pytest.approx(1 / 5)
    assert score.recall == 1.0


def test_texts_shorter_than_a_shingle() -> None:
    assert zyte.score_page("two words", "two words").precision == 1.0
    assert zyte.score_page("two words", "two other").f1 == 0.0
    # One short shingle against a long text never matches a four-token shingle.
    assert zyte.score_page("two words", "two words and more").recall == 0.0


def test_empty_prediction_has_no_precision_and_zero_recall() -> None:
    score = zyte.score_page(TEXT, None)
    assert (score.tp, score.fp, score.fn) == (0.0, 0.0, 1.0)
    assert score.recall == 0.0
    summary = zyte.summarize([score], [zyte.is_exact(TEXT, None)])
    # The page is left out of the precision mean (TP + FP == 0): nothing predicted, so 0 overall.
    assert summary == {"f1": 0.0, "precision": 0.0, "recall": 0.0, "accuracy": 0.0}


def test_both_empty_is_a_perfect_page() -> None:
    score = zyte.score_page("", None)
    assert score.precision == score.recall == 1.0
    assert zyte.is_exact("", None)


def test_overall_scores_are_means_over_pages_then_f1() -> None:
    perfect = zyte.score_page(TEXT, TEXT)
    missed = zyte.score_page(TEXT, None)  # counts for recall only
    half = zyte.score_page("a b c d e", "a b c d x y z w")  # P 1/5, R 1/2
    summary = zyte.summarize([perfect, missed, half], [True, False, False])
    assert summary["precision"] == pytest.approx((1 + 1 / 5) / 2)
    assert summary["recall"] == pytest.approx((1 + 0 + 1 / 2) / 3)
    p, r = summary["precision"], summary["recall"]
    assert summary["f1"] == pytest.approx(2 * p * r / (p + r))
    assert summary["accuracy"] == pytest.approx(1 / 3)


def test_unmatched_runs_quote_missed_and_extra_text() -> None:
    true = "Alpha beta gamma delta. Epsilon zeta eta theta iota kappa."
    pred = "Alpha beta gamma delta. Subscribe to our newsletter today please."
    assert zyte.unmatched_runs(true, pred) == [
        "beta gamma delta. Epsilon zeta eta theta iota kappa"
    ]
    assert zyte.unmatched_runs(pred, true) == [
        "beta gamma delta. Subscribe to our newsletter today please"
    ]
    assert zyte.unmatched_runs(true, true) == []
    assert zyte.unmatched_runs("too short", None) == ["too short"]


def test_token_diff_counts_missing_and_extra_tokens() -> None:
    assert zyte.token_diff("a b c d", "a b x") == (2, 1)
    assert zyte.token_diff(TEXT, None) == (13, 0)

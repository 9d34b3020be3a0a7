"""Unification of several annotators' answers, against values worked out by hand."""

import pytest

from apps.exports import unify


def test_majority_label_wins_with_its_share():
    outcome = unify.unify_labels(["pos", "neg", "pos"])
    assert outcome == unify.LabelOutcome("pos", pytest.approx(2 / 3))


def test_tied_labels_give_no_label_and_say_so():
    outcome = unify.unify_labels(["pos", "neg"])
    assert outcome.value is None and outcome.tie and outcome.agreement == 0.5


def test_label_below_minimum_agreement_is_reported():
    outcome = unify.unify_labels(["a", "a", "b", "c"], min_agreement=0.6)
    assert outcome.value is None and outcome.below_threshold and outcome.agreement == 0.5
    assert unify.unify_labels(["a", "a", "b", "c"], min_agreement=0.5).value == "a"


def test_no_answers_no_label():
    assert unify.unify_labels([]).value is None


def test_multi_label_keeps_labels_chosen_by_more_than_half():
    # a: 3/3, b: 2/3, c: 1/3; with 4 annotators exactly half (2/4) is not a majority.
    assert unify.unify_multi_label([["a", "b"], ["a", "b", "c"], ["a"]]) == ["a", "b"]
    assert unify.unify_multi_label([["a"], ["a"], ["b"], ["b"]]) == []


def test_rating_strategies_exact_values():
    values = [2, 3, 2, 4]  # mean 2.75, median 2.5, majority 2, min 2, max 4
    assert unify.unify_rating(values, "mean") == 2.75
    assert unify.unify_rating(values, "median") == 2.5
    assert unify.unify_rating(values, "majority") == 2
    assert unify.unify_rating(values, "min") == 2
    assert unify.unify_rating(values, "max") == 4
    assert unify.unify_rating([1, 2], "majority") is None  # a tie
    assert unify.unify_rating([], "mean") is None


def test_ranking_by_mean_rank_with_shared_ranks():
    rankings = [
        [{"value": "a", "rank": 1}, {"value": "b", "rank": 2}, {"value": "c", "rank": 3}],
        [{"value": "a", "rank": 2}, {"value": "b", "rank": 1}, {"value": "c", "rank": 3}],
        [{"value": "a", "rank": 1}, {"value": "b", "rank": 3}, {"value": "c", "rank": 2}],
    ]
    # mean ranks: a 4/3, b 2, c 8/3
    assert unify.unify_ranking(rankings) == [
        {"value": "a", "rank": 1},
        {"value": "b", "rank": 2},
        {"value": "c", "rank": 3},
    ]
    tied = rankings[:2]  # a 1.5, b 1.5, c 3
    assert unify.unify_ranking(tied) == [
        {"value": "a", "rank": 1},
        {"value": "b", "rank": 1},
        {"value": "c", "rank": 2},
    ]


def test_text_all_or_first_skipping_blank_answers():
    assert unify.unify_text(["one", "  ", "two"], "all") == ["one", "two"]
    assert unify.unify_text(["  ", "one", "two"], "first") == "one"
    assert unify.unify_text([], "first") is None


def test_unify_dispatches_per_question_type():
    assert unify.unify("label_selection", ["x", "x", "y"]) == "x"
    assert unify.unify("rating", [1, 3], rating="mean") == 2
    assert unify.unify("text", ["a", "b"], text="first") == "a"
    assert unify.unify("span", [[]]) is None

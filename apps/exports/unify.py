"""Unifying several annotators' answers to one question of one record, per question type.

- labels (label_selection): the majority label; a tie, or a share of votes below
  `min_agreement`, gives no label (reported in the outcome);
- multi-label: every label chosen by more than half of the annotators (per-label majority);
- ratings: mean, median, majority (a tie gives none), min or max;
- rankings: options ordered by mean rank (equal means share a rank);
- text: all answers, or the first.

Every function takes the submitted answers' values in submission order.
"""

import statistics
from collections import Counter
from dataclasses import dataclass

RATING_STRATEGIES = ("mean", "median", "majority", "min", "max")
TEXT_STRATEGIES = ("all", "first")


@dataclass(frozen=True)
class LabelOutcome:
    value: str | None  # None when tied or below the threshold
    agreement: float  # share of annotators who chose the winning (or a tied) label
    tie: bool = False
    below_threshold: bool = False


def majority(values: list, *, min_agreement: float = 0.0) -> LabelOutcome:
    """The most frequent value; no value when several tie or too few agree."""
    if not values:
        return LabelOutcome(None, 0.0)
    counts = Counter(values).most_common()
    top_value, top_count = counts[0]
    share = top_count / len(values)
    if len(counts) > 1 and counts[1][1] == top_count:
        return LabelOutcome(None, share, tie=True)
    if share < min_agreement:
        return LabelOutcome(None, share, below_threshold=True)
    return LabelOutcome(top_value, share)


def unify_labels(values: list[str], *, min_agreement: float = 0.0) -> LabelOutcome:
    return majority(values, min_agreement=min_agreement)


def unify_multi_label(values: list[list[str]]) -> list[str]:
    """Labels chosen by more than half of the annotators, most chosen first."""
    if not values:
        return []
    counts = Counter(label for labels in values for label in set(labels))
    return [label for label, count in counts.most_common() if count * 2 > len(values)]


def unify_rating(values: list[int], strategy: str = "mean"):
    if not values:
        return None
    if strategy == "mean":
        return statistics.fmean(values)
    if strategy == "median":
        return statistics.median(values)
    if strategy == "majority":
        return majority(values).value
    if strategy == "min":
        return min(values)
    if strategy == "max":
        return max(values)
    raise ValueError(f"unknown rating strategy {strategy!r}")


def mean_ranks(values: list[list[dict]]) -> dict[str, float]:
    """Each option's mean rank over the rankings that rank it."""
    ranks: dict[str, list[int]] = {}
    for ranking in values:
        for item in ranking:
            if item.get("rank") is not None:
                ranks.setdefault(item["value"], []).append(item["rank"])
    return {option: statistics.fmean(r) for option, r in ranks.items()}


def unify_ranking(values: list[list[dict]]) -> list[dict]:
    """[{"value", "rank"}] best first; options with equal mean rank share a (dense) rank."""
    means = mean_ranks(values)
    ordered = sorted(means.items(), key=lambda pair: pair[1])
    unified, rank, previous = [], 0, None
    for option, mean in ordered:
        if mean != previous:
            rank += 1
            previous = mean
        unified.append({"value": option, "rank": rank})
    return unified


def unify_text(values: list[str], strategy: str = "all"):
    answers = [value for value in values if isinstance(value, str) and value.strip()]
    if strategy == "first":
        return answers[0] if answers else None
    return answers


def unify(
    question_type: str,
    values: list,
    *,
    rating: str = "mean",
    text: str = "all",
    min_agreement: float = 0.0,
):
    """The unified answer to a question of `question_type` (None or [] when there is none)."""
    if question_type == "label_selection":
        return unify_labels(values, min_agreement=min_agreement).value
    if question_type == "multi_label_selection":
        return unify_multi_label(values)
    if question_type == "rating":
        return unify_rating(values, rating)
    if question_type == "ranking":
        return unify_ranking(values)
    if question_type == "text":
        return unify_text(values, text)
    return None

"""Krippendorff's alpha and per-annotator agreement, against published and hand-worked values."""

import pytest

from apps.exports.agreement import alpha_from_counts, dataset_agreement

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", the four-observer example:
# 12 units, values 1–5, None where an observer gave no value.
# Published: nominal alpha = 0.743, ordinal (the package's check of the same data) = 0.815.
KRIPPENDORFF = {
    "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    "C": [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
}
LABELS_1_TO_5 = {
    "name": "grade",
    "settings": {"type": "label_selection", "options": [{"value": str(v)} for v in range(1, 6)]},
}
RATING_1_TO_5 = {
    "name": "grade",
    "settings": {"type": "rating", "options": [{"value": v} for v in range(1, 6)]},
}
TEXT_FIELD = [{"name": "text", "settings": {"type": "text"}}]


@pytest.fixture
def four_coders(world, make_user):
    return [
        world.ann1,
        world.ann2,
        make_user("ann3", workspaces=[world.ws_a]),
        make_user("ann4", workspaces=[world.ws_a]),
    ]


def _krippendorff_dataset(world, make_dataset, add_records, answer, coders, question, cast):
    dataset = make_dataset(world.ws_a, fields=TEXT_FIELD, questions=[question])
    records = add_records(dataset, [{"fields": {"text": f"unit {i}"}} for i in range(12)])
    for coder, values in zip(coders, KRIPPENDORFF.values(), strict=True):
        for record, value in zip(records, values, strict=True):
            if value is not None:
                answer(coder, record, {"grade": cast(value)})
    return dataset


def test_krippendorff_four_coder_nominal_example(
    world, make_dataset, add_records, answer, four_coders
):
    dataset = _krippendorff_dataset(
        world, make_dataset, add_records, answer, four_coders, LABELS_1_TO_5, str
    )
    (grade,) = dataset_agreement(dataset)["questions"]
    assert grade["level_of_measurement"] == "nominal"
    assert grade["units"] == 11  # unit 12 has a single value: not pairable
    assert grade["alpha"] == pytest.approx(0.743, abs=5e-4)


def test_krippendorff_four_coder_example_as_ratings_is_ordinal(
    world, make_dataset, add_records, answer, four_coders
):
    dataset = _krippendorff_dataset(
        world, make_dataset, add_records, answer, four_coders, RATING_1_TO_5, int
    )
    (grade,) = dataset_agreement(dataset)["questions"]
    assert grade["level_of_measurement"] == "ordinal"
    assert grade["alpha"] == pytest.approx(0.815, abs=5e-4)


def test_two_coder_nominal_alpha_by_hand():
    # Units (a,a) (a,b) (b,b) (b,b): coincidences o_aa=2, o_ab=o_ba=1, o_bb=4; n_a=3, n_b=5,
    # n=8. alpha = 1 - (n-1) * (o_ab+o_ba) / (n_a*n_b + n_b*n_a) = 1 - 7*2/30 = 0.5333…
    counts = [[2, 0], [1, 1], [0, 2], [0, 2]]
    assert alpha_from_counts(counts, "nominal", ["a", "b"]) == pytest.approx(1 - 14 / 30)


def test_alpha_is_undefined_without_pairable_or_varied_values():
    assert alpha_from_counts([], "nominal", ["a", "b"]) is None
    assert alpha_from_counts([[2, 0], [3, 0]], "nominal", ["a", "b"]) is None


def test_ranking_alpha_is_ordinal_over_option_ranks(world, make_dataset, add_records, answer):
    question = {
        "name": "order",
        "settings": {"type": "ranking", "options": [{"value": "x"}, {"value": "y"}]},
    }
    dataset = make_dataset(world.ws_a, fields=TEXT_FIELD, questions=[question])
    records = add_records(dataset, [{"fields": {"text": "t"}}, {"fields": {"text": "u"}}])
    ranked = lambda first, second: [{"value": first, "rank": 1}, {"value": second, "rank": 2}]  # noqa: E731
    # Both coders agree on every option's rank on both records: perfect agreement.
    for user in (world.ann1, world.ann2):
        answer(user, records[0], {"order": ranked("x", "y")})
        answer(user, records[1], {"order": ranked("y", "x")})
    (order,) = dataset_agreement(dataset)["questions"]
    assert order["level_of_measurement"] == "ordinal"
    assert order["units"] == 4  # (record, option) units
    assert order["alpha"] == pytest.approx(1.0)


def test_per_annotator_counts_and_agreement_with_the_unified_answer(
    world, make_dataset, add_records, answer, make_user
):
    ann3 = make_user("ann3", workspaces=[world.ws_a])
    question = {
        "name": "label",
        "settings": {"type": "label_selection", "options": [{"value": "a"}, {"value": "b"}]},
    }
    dataset = make_dataset(world.ws_a, fields=TEXT_FIELD, questions=[question])
    r1, r2, r3 = add_records(dataset, [{"fields": {"text": str(i)}} for i in range(3)])
    # r1: a a b → a (ann3 disagrees); r2: b b b → b; r3: only ann1 (not compared).
    for user, value in ((world.ann1, "a"), (world.ann2, "a"), (ann3, "b")):
        answer(user, r1, {"label": value})
    for user in (world.ann1, world.ann2, ann3):
        answer(user, r2, {"label": "b"})
    answer(world.ann1, r3, {"label": "a"})
    answer(world.ann2, r3, {"label": "b"}, status="draft")
    stats = {a["username"]: a for a in dataset_agreement(dataset)["annotators"]}
    assert stats["ann1"]["responses"] == {"submitted": 3, "draft": 0, "discarded": 0}
    assert stats["ann2"]["responses"] == {"submitted": 2, "draft": 1, "discarded": 0}
    assert stats["ann1"]["agreement"]["label"] == {"compared": 2, "agreed": 2, "rate": 1.0}
    assert stats["ann3"]["agreement"]["label"] == {"compared": 2, "agreed": 1, "rate": 0.5}


def test_text_questions_have_no_alpha(world, preference, answer):
    dataset, _records = preference
    names = [q["question"] for q in dataset_agreement(dataset)["questions"]]
    assert names == ["response_ranking"]

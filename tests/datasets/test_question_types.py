"""Question type plug-ins: settings schemas and answer values (pure functions, no database)."""

import pytest

from apps.core.errors import Loc, ValidationFailed
from apps.datasets import question_types
from apps.datasets.question_types import (
    label_selection,
    multi_label_selection,
    ranking,
    rating,
    span,
    text,
)

FIELDS = {
    "prompt": {"type": "text", "use_markdown": False},
    "reply": {"type": "text", "use_markdown": True},
    "picture": {"type": "image"},
}
LABEL_MODULES = [label_selection, multi_label_selection, span]
OPTION_MODULES = [label_selection, multi_label_selection, ranking, span]


def problems_of(clean, *args, **kwargs) -> dict[Loc, str]:
    """Call a clean_* function that must fail; its problems as {loc: message}."""
    with pytest.raises(ValidationFailed) as caught:
        clean(*args, **kwargs)
    return {problem.loc: str(problem.message) for problem in caught.value.problems}


def options(*values: str) -> list[dict]:
    """The options S2 sends: value and text, no description."""
    return [{"value": value, "text": value.title()} for value in values]


def with_required(module, given: dict) -> dict:
    """`given` plus what `module` needs besides options (span: a text field)."""
    return {"field": "prompt", **given} if module is span else given


RATING = rating.clean_settings({"options": [{"value": 1}, {"value": 2}]}, fields=FIELDS)
LABEL = label_selection.clean_settings({"options": options("pos", "neg", "neu")}, fields=FIELDS)
MULTI = multi_label_selection.clean_settings(
    {"options": options("news", "sport", "tech")}, fields=FIELDS
)
RANKING = ranking.clean_settings({"options": options("a", "b", "c")}, fields=FIELDS)
SPAN = span.clean_settings({"field": "prompt", "options": options("per", "org")}, fields=FIELDS)
SPAN_OVERLAPPING = {**SPAN, "allow_overlapping": True}


# registry


@pytest.mark.parametrize("module", [text, rating, *OPTION_MODULES])
def test_registry_finds_each_type_by_name(module):
    assert question_types.get(module.TYPE) is module
    assert question_types.REGISTRY[module.TYPE] is module


@pytest.mark.parametrize("type_name", ["image", "Rating", "", None, {"type": "text"}])
def test_registry_has_no_unknown_types(type_name):
    assert question_types.get(type_name) is None


def test_registry_lists_exactly_the_argilla_question_types():
    assert set(question_types.REGISTRY) == {
        "text",
        "rating",
        "label_selection",
        "multi_label_selection",
        "ranking",
        "span",
    }


# text


@pytest.mark.parametrize(
    "given, expected",
    [
        ({"type": "text"}, {"type": "text", "use_markdown": False}),
        ({"use_markdown": True, "junk": 1}, {"type": "text", "use_markdown": True}),
        ({"use_markdown": None}, {"type": "text", "use_markdown": False}),
    ],
)
def test_text_settings_default_to_plain_text(given, expected):
    assert text.clean_settings(given, fields=FIELDS) == expected


def test_text_settings_reject_a_non_bool_use_markdown():
    problems = problems_of(text.clean_settings, {"use_markdown": "true"}, fields=FIELDS)
    assert list(problems) == [("use_markdown",)]
    assert '"true"' in problems[("use_markdown",)]


@pytest.mark.parametrize("value", ["A better reply.", " ", "x" * 10_000])
def test_text_answer_is_a_non_empty_string(value):
    assert text.clean_value(value, {"type": "text"}) == value


@pytest.mark.parametrize(
    "value, shown", [("", "empty"), (3, "an integer: 3"), (["a"], '["a"]'), (None, "null")]
)
def test_text_answer_rejects_empty_and_non_strings(value, shown):
    problems = problems_of(text.clean_value, value, {"type": "text"})
    assert list(problems) == [()]
    assert shown in problems[()]


# rating


@pytest.mark.parametrize(
    "given_options, expected_values",
    [
        ([{"value": 1}, {"value": 2}], [1, 2]),
        ([{"value": 0}, {"value": 10}], [0, 10]),
        ([{"value": n} for n in range(11)], list(range(11))),
        ([{"value": 5, "text": "five", "id": "x"}, {"value": 3}], [5, 3]),
    ],
)
def test_rating_settings_keep_unique_values_in_order(given_options, expected_values):
    cleaned = rating.clean_settings(
        {"type": "rating", "options": given_options, "junk": 1}, fields={}
    )
    assert cleaned == {"type": "rating", "options": [{"value": v} for v in expected_values]}


@pytest.mark.parametrize(
    "given_options, loc, shown",
    [
        (None, ("options",), "null"),
        ("1,2,3", ("options",), '"1,2,3"'),
        ([{"value": 1}], ("options",), "at least 2"),
        ([{"value": n % 11} for n in range(12)], ("options",), "at most 11 items, got 12"),
        ([{"value": 1}, {"value": 11}], ("options", 1, "value"), "11"),
        ([{"value": -1}, {"value": 1}], ("options", 0, "value"), "-1"),
        ([{"value": 1}, {"value": 1.5}], ("options", 1, "value"), "1.5"),
        ([{"value": 1}, {"value": 2.0}], ("options", 1, "value"), "2.0"),
        ([{"value": 1}, {"value": True}], ("options", 1, "value"), "true"),
        ([{"value": 1}, {"value": "2"}], ("options", 1, "value"), '"2"'),
        ([{"value": 1}, {"text": "two"}], ("options", 1, "value"), "null"),
        ([{"value": 1}, 2], ("options", 1), "2"),
        ([{"value": 1}, {"value": 2}, {"value": 1}], ("options", 2, "value"), "1 appears"),
    ],
)
def test_rating_settings_reject_bad_options(given_options, loc, shown):
    problems = problems_of(rating.clean_settings, {"options": given_options}, fields={})
    assert loc in problems
    assert shown in problems[loc]


@pytest.mark.parametrize("value", [1, 2])
def test_rating_answer_is_one_of_the_values(value):
    assert rating.clean_value(value, RATING) == value


def test_rating_answer_outside_the_scale_names_the_scale():
    assert problems_of(rating.clean_value, 3, RATING) == {
        (): "3 is not one of the rating values [1, 2]."
    }


@pytest.mark.parametrize(
    "value, shown",
    [(True, "a boolean: true"), (1.0, "a number: 1.0"), ("1", 'a string: "1"'), (None, "null")],
)
def test_rating_answer_must_be_an_integer(value, shown):
    problems = problems_of(rating.clean_value, value, RATING)
    assert list(problems) == [()]
    assert "an integer" in problems[()] and shown in problems[()]


# option lists, shared by label_selection, multi_label_selection, ranking and span


@pytest.mark.parametrize("module", OPTION_MODULES)
@pytest.mark.parametrize(
    "given_option, expected_option",
    [
        (
            {"value": "pos", "text": "Positive"},
            {"value": "pos", "text": "Positive", "description": None},
        ),
        ({"value": "pos"}, {"value": "pos", "text": "pos", "description": None}),
        ({"value": "pos", "text": None}, {"value": "pos", "text": "pos", "description": None}),
        (
            {"value": "pos", "text": "P", "description": "Happy", "id": 4, "color": "red"},
            {"value": "pos", "text": "P", "description": "Happy"},
        ),
        (
            {"value": "pos", "text": "P", "description": ""},
            {"value": "pos", "text": "P", "description": None},
        ),
        (
            {"value": "v" * 200, "text": "t" * 500},
            {"value": "v" * 200, "text": "t" * 500, "description": None},
        ),
    ],
)
def test_options_are_normalized_to_value_text_description(module, given_option, expected_option):
    given = with_required(module, {"options": [given_option, {"value": "other", "text": "Other"}]})
    cleaned = module.clean_settings(given, fields=FIELDS)
    assert cleaned["options"] == [
        expected_option,
        {"value": "other", "text": "Other", "description": None},
    ]


@pytest.mark.parametrize("module", OPTION_MODULES)
@pytest.mark.parametrize(
    "given_options, loc, shown",
    [
        (None, ("options",), "null"),
        ({"value": "a"}, ("options",), '{"value": "a"}'),
        (["a", "b"], ("options", 0), '"a"'),
        ([{"text": "A"}, {"value": "b"}], ("options", 0, "value"), "required"),
        ([{"value": ""}, {"value": "b"}], ("options", 0, "value"), "empty"),
        ([{"value": 7}, {"value": "b"}], ("options", 0, "value"), "an integer: 7"),
        ([{"value": "v" * 201}, {"value": "b"}], ("options", 0, "value"), "201"),
        ([{"value": "a", "text": ""}, {"value": "b"}], ("options", 0, "text"), "empty"),
        ([{"value": "a", "text": 1}, {"value": "b"}], ("options", 0, "text"), "an integer: 1"),
        ([{"value": "a", "text": "t" * 501}, {"value": "b"}], ("options", 0, "text"), "501"),
        ([{"value": "a", "description": 5}, {"value": "b"}], ("options", 0, "description"), "5"),
        (
            [{"value": "a", "description": "d" * 1001}, {"value": "b"}],
            ("options", 0, "description"),
            "1001",
        ),
        (
            [{"value": "a"}, {"value": "b"}, {"value": "a", "text": "again"}],
            ("options", 2, "value"),
            '"a" appears more than once',
        ),
    ],
)
def test_bad_options_are_located_and_named(module, given_options, loc, shown):
    given = with_required(module, {"options": given_options})
    problems = problems_of(module.clean_settings, given, fields=FIELDS)
    assert loc in problems
    assert shown in problems[loc]


@pytest.mark.parametrize(
    "module, too_few, too_many",
    [
        (label_selection, 1, 501),
        (multi_label_selection, 1, 501),
        (ranking, 1, 51),
        (span, 0, 501),
    ],
)
def test_option_count_limits(module, too_few, too_many):
    for count in (too_few, too_many):
        given = with_required(module, {"options": options(*(f"o{n}" for n in range(count)))})
        problems = problems_of(module.clean_settings, given, fields=FIELDS)
        assert list(problems) == [("options",)]
        assert str(count) in problems[("options",)]
    for count in (too_few + 1, too_many - 1):
        given = with_required(module, {"options": options(*(f"o{n}" for n in range(count)))})
        assert len(module.clean_settings(given, fields=FIELDS)["options"]) == count


def test_option_problems_are_all_reported_at_once():
    given = {
        "options": [{"value": ""}, {"value": "b", "text": 2}, {"value": "b"}],
        "visible_options": 9,
    }
    problems = problems_of(label_selection.clean_settings, given, fields=FIELDS)
    assert set(problems) == {
        ("options", 0, "value"),
        ("options", 1, "text"),
        ("visible_options",),
    }


# visible_options (label_selection, multi_label_selection, span)


@pytest.mark.parametrize("module", LABEL_MODULES)
@pytest.mark.parametrize("count, visible", [(3, None), (3, 3), (5, 4), (5, 5), (2, None)])
def test_visible_options_is_null_or_3_to_the_option_count(module, count, visible):
    given = with_required(
        module, {"options": options(*(f"o{n}" for n in range(count))), "visible_options": visible}
    )
    assert module.clean_settings(given, fields=FIELDS)["visible_options"] == visible


@pytest.mark.parametrize("module", LABEL_MODULES)
def test_visible_options_key_is_always_present(module):
    given = with_required(module, {"options": options("a", "b")})
    cleaned = module.clean_settings(given, fields=FIELDS)
    assert "visible_options" in cleaned and cleaned["visible_options"] is None


@pytest.mark.parametrize("module", LABEL_MODULES)
@pytest.mark.parametrize(
    "count, visible, shown",
    [
        (5, 2, "from 3 to 5 (the option count), got an integer: 2"),
        (5, 6, "from 3 to 5 (the option count), got an integer: 6"),
        (2, 3, "fewer than 3 options"),
        (5, "4", 'a string: "4"'),
        (5, True, "a boolean: true"),
        (5, 4.0, "a number: 4.0"),
    ],
)
def test_bad_visible_options(module, count, visible, shown):
    given = with_required(
        module, {"options": options(*(f"o{n}" for n in range(count))), "visible_options": visible}
    )
    problems = problems_of(module.clean_settings, given, fields=FIELDS)
    assert list(problems) == [("visible_options",)]
    assert shown in problems[("visible_options",)]


def test_ranking_settings_drop_visible_options():
    given = {"options": options("a", "b", "c"), "visible_options": 3, "junk": True}
    assert ranking.clean_settings(given, fields=FIELDS) == {
        "type": "ranking",
        "options": [
            {"value": "a", "text": "A", "description": None},
            {"value": "b", "text": "B", "description": None},
            {"value": "c", "text": "C", "description": None},
        ],
    }


# label_selection


def test_label_settings_are_normalized():
    given = {
        "type": "label_selection",
        "options": options("pos", "neg"),
        "visible_options": None,
        "x": 1,
    }
    assert label_selection.clean_settings(given, fields=FIELDS) == {
        "type": "label_selection",
        "options": [
            {"value": "pos", "text": "Pos", "description": None},
            {"value": "neg", "text": "Neg", "description": None},
        ],
        "visible_options": None,
    }


@pytest.mark.parametrize("value", ["pos", "neg", "neu"])
def test_label_answer_is_one_of_the_labels(value):
    assert label_selection.clean_value(value, LABEL) == value


@pytest.mark.parametrize(
    "value, shown",
    [
        ("positive", '"positive" is not one of the labels ["pos", "neg", "neu"]'),
        ("POS", '"POS"'),
        (1, "an integer: 1"),
        (["pos"], '["pos"]'),
        (None, "null"),
    ],
)
def test_label_answer_rejects_other_values(value, shown):
    problems = problems_of(label_selection.clean_value, value, LABEL)
    assert list(problems) == [()]
    assert shown in problems[()]


# multi_label_selection


@pytest.mark.parametrize(
    "order, expected", [(None, "natural"), ("natural", "natural"), ("suggestion", "suggestion")]
)
def test_multi_label_options_order(order, expected):
    given = {"options": options("a", "b"), "options_order": order}
    cleaned = multi_label_selection.clean_settings(given, fields=FIELDS)
    assert cleaned == {
        "type": "multi_label_selection",
        "options": [
            {"value": "a", "text": "A", "description": None},
            {"value": "b", "text": "B", "description": None},
        ],
        "visible_options": None,
        "options_order": expected,
    }


@pytest.mark.parametrize(
    "order, shown", [("random", '"random"'), (1, "1"), ("Natural", '"Natural"')]
)
def test_multi_label_options_order_rejects_other_values(order, shown):
    given = {"options": options("a", "b"), "options_order": order}
    problems = problems_of(multi_label_selection.clean_settings, given, fields=FIELDS)
    assert list(problems) == [("options_order",)]
    assert shown in problems[("options_order",)]


@pytest.mark.parametrize("value", [["news"], ["tech", "news"], ["news", "sport", "tech"]])
def test_multi_label_answer_is_distinct_labels_in_the_given_order(value):
    assert multi_label_selection.clean_value(value, MULTI) == value


@pytest.mark.parametrize(
    "value, loc, shown",
    [
        ([], (), "at least 1 item, got 0"),
        ("news", (), 'a string: "news"'),
        (None, (), "null"),
        (["news", "cooking"], (1,), '"cooking" is not one of the labels'),
        (["news", 3], (1,), "an integer: 3"),
        (["news", "tech", "news"], (2,), '"news" appears more than once'),
    ],
)
def test_multi_label_answer_rejects_bad_values(value, loc, shown):
    problems = problems_of(multi_label_selection.clean_value, value, MULTI)
    assert list(problems) == [loc]
    assert shown in problems[loc]


# ranking


def test_ranking_answer_with_ranks_as_s1_sends_it():
    value = [{"value": "b", "rank": 1}, {"value": "a", "rank": 2}, {"value": "c", "rank": 3}]
    assert ranking.clean_value(value, RANKING) == value


def test_ranking_answer_without_ranks_as_s2_sends_it_gets_null_ranks():
    value = [{"value": "c"}, {"value": "a"}, {"value": "b"}]
    assert ranking.clean_value(value, RANKING) == [
        {"value": "c", "rank": None},
        {"value": "a", "rank": None},
        {"value": "b", "rank": None},
    ]


def test_ranking_answer_allows_ties_and_drops_extra_keys():
    value = [
        {"value": "a", "rank": 1, "x": 0},
        {"value": "b", "rank": 1},
        {"value": "c", "rank": 3},
    ]
    assert ranking.clean_value(value, RANKING) == [
        {"value": "a", "rank": 1},
        {"value": "b", "rank": 1},
        {"value": "c", "rank": 3},
    ]


@pytest.mark.parametrize(
    "value, loc, shown",
    [
        ("a", (), 'a string: "a"'),
        (None, (), "null"),
        ([], (), 'missing ["a", "b", "c"]'),
        ([{"value": "a"}, {"value": "b"}], (), 'missing ["c"]'),
        ([{"value": "a"}, {"value": "b"}, {"value": "c"}, "d"], (3,), '"d"'),
        ([{"value": "a"}, {"value": "b"}, {"value": "c"}, {"rank": 1}], (3, "value"), "null"),
        (
            [{"value": "a"}, {"value": "b"}, {"value": "c"}, {"value": "z"}],
            (3, "value"),
            '"z" is not one of the options ["a", "b", "c"]',
        ),
        (
            [{"value": "a"}, {"value": "b"}, {"value": "c"}, {"value": "a"}],
            (3, "value"),
            '"a" appears more than once',
        ),
        ([{"value": "a", "rank": 0}, {"value": "b"}, {"value": "c"}], (0, "rank"), "integer: 0"),
        ([{"value": "a", "rank": 4}, {"value": "b"}, {"value": "c"}], (0, "rank"), "1 to 3"),
        ([{"value": "a", "rank": "1"}, {"value": "b"}, {"value": "c"}], (0, "rank"), '"1"'),
        ([{"value": "a", "rank": True}, {"value": "b"}, {"value": "c"}], (0, "rank"), "true"),
        ([{"value": "a", "rank": 1.0}, {"value": "b"}, {"value": "c"}], (0, "rank"), "1.0"),
    ],
)
def test_ranking_answer_rejects_bad_values(value, loc, shown):
    problems = problems_of(ranking.clean_value, value, RANKING)
    assert list(problems) == [loc]
    assert shown in problems[loc]


# span settings


def test_span_settings_defaults():
    given = {"type": "span", "field": "prompt", "options": [{"value": "per", "text": "Person"}]}
    assert span.clean_settings({**given, "junk": 1}, fields=FIELDS) == {
        "type": "span",
        "field": "prompt",
        "options": [{"value": "per", "text": "Person", "description": None}],
        "visible_options": None,
        "allow_overlapping": False,
        "allow_character_annotation": True,
    }


def test_span_settings_keep_given_flags():
    given = {
        "field": "reply",
        "options": options("a"),
        "allow_overlapping": True,
        "allow_character_annotation": False,
    }
    cleaned = span.clean_settings(given, fields=FIELDS)
    assert cleaned["field"] == "reply"
    assert cleaned["allow_overlapping"] is True
    assert cleaned["allow_character_annotation"] is False


@pytest.mark.parametrize(
    "given, loc, shown",
    [
        ({}, ("field",), '["prompt", "reply"]'),
        ({"field": None}, ("field",), '["prompt", "reply"]'),
        (
            {"field": "answer"},
            ("field",),
            '"answer" is not one of the text fields ["prompt", "reply"]',
        ),
        ({"field": "picture"}, ("field",), '"picture" is not a text field (its type is "image")'),
        ({"field": 3}, ("field",), "an integer: 3"),
        ({"field": "prompt", "allow_overlapping": "yes"}, ("allow_overlapping",), '"yes"'),
        (
            {"field": "prompt", "allow_character_annotation": 0},
            ("allow_character_annotation",),
            "0",
        ),
    ],
)
def test_span_settings_reject_bad_values(given, loc, shown):
    problems = problems_of(span.clean_settings, {"options": options("a"), **given}, fields=FIELDS)
    assert list(problems) == [loc]
    assert shown in problems[loc]


def test_span_settings_need_a_field_even_in_a_dataset_without_text_fields():
    given = {"field": "picture", "options": options("a")}
    problems = problems_of(span.clean_settings, given, fields={"picture": {"type": "image"}})
    assert "[]" in problems[("field",)]


# span values


def test_span_answer_may_be_empty():
    assert span.clean_value([], SPAN) == []


def test_span_answer_keeps_label_start_end_only():
    value = [{"label": "per", "start": 0, "end": 4, "text": "Jane", "score": 1}]
    assert span.clean_value(value, SPAN) == [{"label": "per", "start": 0, "end": 4}]


@pytest.mark.parametrize(
    "value",
    [
        [{"label": "per", "start": 0, "end": 5}, {"label": "org", "start": 5, "end": 9}],
        [{"label": "org", "start": 6, "end": 9}, {"label": "per", "start": 0, "end": 1}],
        [{"label": "per", "start": 0, "end": 11}],
    ],
)
def test_span_answer_with_adjacent_or_separate_spans_inside_the_text(value):
    record_fields = {"prompt": "Jane at ACME", "reply": "x"}
    assert span.clean_value(value, SPAN, record_fields=record_fields) == value


@pytest.mark.parametrize("record_fields", [None, {}, {"reply": "x"}, {"prompt": None}])
def test_span_answer_is_not_bounded_when_the_text_is_unknown(record_fields):
    value = [{"label": "per", "start": 100, "end": 200}]
    assert span.clean_value(value, SPAN, record_fields=record_fields) == value


def test_span_answer_may_overlap_when_the_question_allows_it():
    value = [{"label": "per", "start": 0, "end": 5}, {"label": "org", "start": 2, "end": 8}]
    assert span.clean_value(value, SPAN_OVERLAPPING) == value


@pytest.mark.parametrize(
    "value, loc, shown",
    [
        ({"label": "per", "start": 0, "end": 1}, (), '{"label": "per"'),
        (None, (), "null"),
        (["per"], (0,), '"per"'),
        ([{"label": "loc", "start": 0, "end": 1}], (0, "label"), '"loc" is not one of the labels'),
        ([{"start": 0, "end": 1}], (0, "label"), "null"),
        ([{"label": "per", "start": -1, "end": 1}], (0, "start"), "-1"),
        ([{"label": "per", "start": "0", "end": 1}], (0, "start"), '"0"'),
        ([{"label": "per", "start": False, "end": 1}], (0, "start"), "false"),
        ([{"label": "per", "end": 1}], (0, "start"), "null"),
        (
            [{"label": "per", "start": 3, "end": 3}],
            (0, "end"),
            "end (3) must be greater than start (3)",
        ),
        ([{"label": "per", "start": 3, "end": 2}], (0, "end"), "end (2)"),
        ([{"label": "per", "start": 0, "end": 1.5}], (0, "end"), "1.5"),
        ([{"label": "per", "start": 0}], (0, "end"), "null"),
        (
            [{"label": "per", "start": 0, "end": 13}],
            (0, "end"),
            'end (13) is past the end of the field "prompt" (12 characters)',
        ),
        (
            [{"label": "per", "start": 0, "end": 5}, {"label": "org", "start": 4, "end": 8}],
            (1,),
            'span "org" 4–8 overlaps span 0 ("per" 0–5)',
        ),
        (
            [{"label": "org", "start": 4, "end": 8}, {"label": "per", "start": 0, "end": 5}],
            (0,),
            'span "org" 4–8 overlaps span 1 ("per" 0–5)',
        ),
        (
            [{"label": "per", "start": 0, "end": 10}, {"label": "org", "start": 6, "end": 8}],
            (1,),
            "overlaps span 0",
        ),
        (
            [{"label": "per", "start": 2, "end": 4}, {"label": "per", "start": 2, "end": 4}],
            (1,),
            "overlaps span 0",
        ),
    ],
)
def test_span_answer_rejects_bad_spans(value, loc, shown):
    problems = problems_of(span.clean_value, value, SPAN, record_fields={"prompt": "Jane at ACME"})
    assert list(problems) == [loc]
    assert shown in problems[loc]


def test_span_overlap_is_checked_against_the_furthest_reaching_earlier_span():
    value = [
        {"label": "per", "start": 0, "end": 10},
        {"label": "org", "start": 2, "end": 3},
        {"label": "org", "start": 5, "end": 6},
    ]
    problems = problems_of(span.clean_value, value, SPAN)
    assert set(problems) == {(1,), (2,)}
    assert "overlaps span 0" in problems[(2,)]


def test_span_answer_allows_10000_spans_and_no_more():
    spans = [{"label": "per", "start": n, "end": n + 1} for n in range(span.MAX_SPANS)]
    assert len(span.clean_value(spans, SPAN)) == 10_000
    problems = problems_of(span.clean_value, [*spans, {"label": "per", "start": 0, "end": 1}], SPAN)
    assert "at most 10000 items, got 10001" in problems[()]

"""Metadata property types: settings and record metadata values (pure functions, no database)."""

import math

import pytest

from apps.core.errors import Loc, ValidationFailed
from apps.datasets import metadata_types

TERMS = {"type": "terms", "values": ["news", "blog"]}
ANY_TERMS = {"type": "terms", "values": None}
INTEGER = {"type": "integer", "min": 0, "max": 10}
FLOAT = {"type": "float", "min": -1.0, "max": 1.0}


def problems_of(clean, *args, **kwargs) -> dict[Loc, str]:
    """Call a clean_* function that must fail; its problems as {loc: message}."""
    with pytest.raises(ValidationFailed) as caught:
        clean(*args, **kwargs)
    return {problem.loc: str(problem.message) for problem in caught.value.problems}


def test_types_are_the_argilla_metadata_types():
    assert metadata_types.TYPES == ("terms", "integer", "float")


@pytest.mark.parametrize("type_name", ["vector", "Terms", "", None, 3])
def test_unknown_type_is_reported_at_type(type_name):
    for problems in (
        problems_of(metadata_types.clean_settings, {"type": type_name}),
        problems_of(metadata_types.clean_value, "x", {"type": type_name}),
    ):
        assert list(problems) == [("type",)]
        assert '["terms", "integer", "float"]' in problems[("type",)]


def test_missing_type_is_reported_at_type():
    assert list(problems_of(metadata_types.clean_settings, {})) == [("type",)]


# settings


@pytest.mark.parametrize(
    "given, expected",
    [
        ({"type": "terms"}, {"type": "terms", "values": None}),
        ({"type": "terms", "values": ["a"]}, {"type": "terms", "values": ["a"]}),
        (
            {"type": "terms", "values": ["b", "a"], "visible_for_annotators": True},
            {"type": "terms", "values": ["b", "a"]},
        ),
        ({"type": "terms", "values": [str(n) for n in range(250)]}, None),
        ({"type": "integer"}, {"type": "integer", "min": None, "max": None}),
        (
            {"type": "integer", "min": -5, "max": 5, "x": 1},
            {"type": "integer", "min": -5, "max": 5},
        ),
        ({"type": "integer", "min": 3}, {"type": "integer", "min": 3, "max": None}),
        ({"type": "float"}, {"type": "float", "min": None, "max": None}),
        ({"type": "float", "min": 0, "max": 1}, {"type": "float", "min": 0.0, "max": 1.0}),
        ({"type": "float", "min": -0.5, "max": 0.25}, {"type": "float", "min": -0.5, "max": 0.25}),
        ({"type": "float", "max": 1e300}, {"type": "float", "min": None, "max": 1e300}),
    ],
)
def test_settings_are_normalized(given, expected):
    cleaned = metadata_types.clean_settings(given)
    assert cleaned == (expected or given)


def test_float_settings_bounds_become_floats():
    cleaned = metadata_types.clean_settings({"type": "float", "min": 0, "max": 1})
    assert isinstance(cleaned["min"], float) and isinstance(cleaned["max"], float)


@pytest.mark.parametrize(
    "given, loc, shown",
    [
        ({"type": "terms", "values": []}, ("values",), "at least 1 item, got 0"),
        ({"type": "terms", "values": "news"}, ("values",), '"news"'),
        (
            {"type": "terms", "values": [str(n) for n in range(251)]},
            ("values",),
            "at most 250 items, got 251",
        ),
        ({"type": "terms", "values": ["a", 2]}, ("values", 1), "an integer: 2"),
        ({"type": "terms", "values": ["a", None]}, ("values", 1), "null"),
        ({"type": "terms", "values": ["a", "b", "a"]}, ("values", 2), '"a" appears more than once'),
        ({"type": "integer", "min": 1.0}, ("min",), "a number: 1.0"),
        ({"type": "integer", "max": True}, ("max",), "a boolean: true"),
        ({"type": "integer", "max": "10"}, ("max",), '"10"'),
        ({"type": "integer", "min": 5, "max": 5}, ("max",), "max (5) must be greater than min (5)"),
        ({"type": "integer", "min": 6, "max": 5}, ("max",), "max (5) must be greater than min (6)"),
        ({"type": "float", "min": math.nan}, ("min",), "NaN"),
        ({"type": "float", "max": math.inf}, ("max",), "Infinity"),
        ({"type": "float", "min": False}, ("min",), "false"),
        ({"type": "float", "min": "0.5"}, ("min",), '"0.5"'),
        (
            {"type": "float", "min": 1.5, "max": 0.5},
            ("max",),
            "max (0.5) must be greater than min (1.5)",
        ),
    ],
)
def test_bad_settings_name_the_key_and_value(given, loc, shown):
    problems = problems_of(metadata_types.clean_settings, given)
    assert list(problems) == [loc]
    assert shown in problems[loc]


# values


@pytest.mark.parametrize(
    "value, prop",
    [
        ("news", TERMS),
        (["news", "blog"], TERMS),
        ([], TERMS),
        ("anything", ANY_TERMS),
        (["x", "y"], ANY_TERMS),
        (0, INTEGER),
        (10, INTEGER),
        (-(10**12), {"type": "integer", "min": None, "max": None}),
        (-1.0, FLOAT),
        (1, FLOAT),
        (0.5, FLOAT),
        (1e300, {"type": "float", "min": None, "max": None}),
    ],
)
def test_good_values_pass_unchanged(value, prop):
    assert metadata_types.clean_value(value, prop) == value


@pytest.mark.parametrize(
    "value, prop, loc, shown",
    [
        ("video", TERMS, (), '"video" is not one of the allowed terms ["news", "blog"]'),
        (["news", "video"], TERMS, (1,), '"video"'),
        (3, TERMS, (), "an integer: 3"),
        (3, ANY_TERMS, (), "an integer: 3"),
        (["a", None], ANY_TERMS, (1,), "null"),
        ({"a": 1}, ANY_TERMS, (), '{"a": 1}'),
        (11, INTEGER, (), "11 is above the maximum 10"),
        (-1, INTEGER, (), "-1 is below the minimum 0"),
        (1.0, INTEGER, (), "a number: 1.0"),
        (True, INTEGER, (), "a boolean: true"),
        ("5", INTEGER, (), '"5"'),
        (1.5, FLOAT, (), "1.5 is above the maximum 1.0"),
        (-2, FLOAT, (), "-2 is below the minimum -1.0"),
        (math.nan, FLOAT, (), "NaN"),
        (math.inf, {"type": "float", "min": None, "max": None}, (), "Infinity"),
        (-math.inf, {"type": "float", "min": None, "max": None}, (), "-Infinity"),
        (False, FLOAT, (), "false"),
        ("0.5", FLOAT, (), '"0.5"'),
    ],
)
def test_bad_values_name_the_value(value, prop, loc, shown):
    problems = problems_of(metadata_types.clean_value, value, prop)
    assert list(problems) == [loc]
    assert shown in problems[loc]


def test_terms_list_reports_every_bad_term():
    problems = problems_of(metadata_types.clean_value, ["x", "news", 1], TERMS)
    assert set(problems) == {(0,), (2,)}

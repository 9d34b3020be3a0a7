"""Metadata property types: what a record's metadata value may be, for filtering and sorting.

`terms`: a string (or a list of strings) from `values`, or any when `values` is null.
`integer` / `float`: a number within [min, max]; either bound may be null (open).
`clean_settings(settings)` returns normalized settings with `type` (unknown keys dropped) and
`clean_value(value, settings)` checks one record's value; both raise ValidationFailed.
"""

import math
from collections.abc import Callable
from functools import partial
from typing import Any

from django.utils.translation import gettext as _

from apps.core.errors import Loc, Problems, ValidationFailed
from apps.datasets._type_checks import (
    is_int,
    is_number,
    not_one_of,
    read_list,
    repeated,
    repeats,
    show,
    wrong_type,
)

TYPES = ("terms", "integer", "float")
MAX_TERMS = 250


def clean_settings(settings: dict) -> dict:
    return _type_of(settings)[0](settings)


def clean_value(value: Any, settings: dict) -> Any:
    return _type_of(settings)[1](value, settings)


def _type_of(settings: dict) -> tuple[Callable, Callable]:
    type_name = settings.get("type")
    if not isinstance(type_name, str) or type_name not in TYPES:
        raise ValidationFailed.single(("type",), not_one_of(type_name, list(TYPES), _("types")))
    return _CLEANERS[type_name]


# terms


def _clean_terms_settings(settings: dict) -> dict:
    problems = Problems()
    values = settings.get("values")
    if values is not None:
        terms = read_list(values, ("values",), problems=problems, min_items=1, max_items=MAX_TERMS)
        for index, term in enumerate(terms or []):
            if not isinstance(term, str):
                problems.add(("values", index), wrong_type(_("a string"), term))
        strings = ((index, term) for index, term in enumerate(terms or []) if isinstance(term, str))
        for index, term in repeats(strings):
            problems.add(("values", index), repeated(term))
    problems.raise_if_any()
    return {"type": "terms", "values": values}


def _clean_terms_value(value: Any, settings: dict) -> str | list[str]:
    """One term, or a list of terms (a record tagged with several)."""
    problems = Problems()
    if isinstance(value, list):
        for index, term in enumerate(value):
            _check_term(term, settings.get("values"), (index,), problems)
    else:
        _check_term(value, settings.get("values"), (), problems)
    problems.raise_if_any()
    return value


def _check_term(term: Any, allowed: list[str] | None, loc: Loc, problems: Problems) -> None:
    if not isinstance(term, str):
        problems.add(loc, wrong_type(_("a string or a list of strings"), term))
    elif allowed is not None and term not in allowed:
        problems.add(loc, not_one_of(term, allowed, _("allowed terms")))


# integer and float


def _clean_range_settings(settings: dict, *, integer: bool) -> dict:
    problems = Problems()
    bounds = {}
    for key in ("min", "max"):
        bound = settings.get(key)
        if bound is not None and not _is_bound(bound, integer=integer):
            expected = _("null or an integer") if integer else _("null or a finite number")
            problems.add((key,), wrong_type(expected, bound))
            bound = None
        bounds[key] = bound if integer or bound is None else float(bound)
    low, high = bounds["min"], bounds["max"]
    if low is not None and high is not None and low >= high:
        problems.add(
            ("max",),
            _("max (%(max)s) must be greater than min (%(min)s).")
            % {"max": show(high), "min": show(low)},
        )
    problems.raise_if_any()
    return {"type": "integer" if integer else "float", **bounds}


def _is_bound(value: Any, *, integer: bool) -> bool:
    if integer:
        return is_int(value)
    return is_number(value) and math.isfinite(value)


def _clean_range_value(value: Any, settings: dict, *, integer: bool) -> int | float:
    if not _is_bound(value, integer=integer):
        expected = _("an integer") if integer else _("a finite number")
        raise ValidationFailed.single((), wrong_type(expected, value))
    low, high = settings.get("min"), settings.get("max")
    if low is not None and value < low:
        raise ValidationFailed.single(
            (), _("%(value)s is below the minimum %(min)s.") % {"value": show(value), "min": low}
        )
    if high is not None and value > high:
        raise ValidationFailed.single(
            (), _("%(value)s is above the maximum %(max)s.") % {"value": show(value), "max": high}
        )
    return value


_CLEANERS: dict[str, tuple[Callable, Callable]] = {
    "terms": (_clean_terms_settings, _clean_terms_value),
    "integer": (
        partial(_clean_range_settings, integer=True),
        partial(_clean_range_value, integer=True),
    ),
    "float": (
        partial(_clean_range_settings, integer=False),
        partial(_clean_range_value, integer=False),
    ),
}

"""A rating question: pick one whole number from a scale such as 1..5 (values within 0..10)."""

from typing import Any

from django.utils.translation import gettext as _

from apps.core.errors import Problems, ValidationFailed
from apps.datasets._type_checks import (
    is_int,
    not_one_of,
    read_list,
    repeated,
    repeats,
    wrong_type,
)

TYPE = "rating"
MIN_OPTIONS, MAX_OPTIONS = 2, 11
MIN_VALUE, MAX_VALUE = 0, 10


def clean_settings(settings: dict, *, fields: dict[str, dict]) -> dict:
    problems = Problems()
    items = read_list(
        settings.get("options"),
        ("options",),
        problems=problems,
        min_items=MIN_OPTIONS,
        max_items=MAX_OPTIONS,
    )
    values = {}
    for index, item in enumerate(items or []):
        if not isinstance(item, dict):
            problems.add(("options", index), wrong_type(_('an object {"value": int}'), item))
            continue
        value = item.get("value")
        if not is_int(value) or not MIN_VALUE <= value <= MAX_VALUE:
            expected = _("a whole number from %(min)d to %(max)d") % {
                "min": MIN_VALUE,
                "max": MAX_VALUE,
            }
            problems.add(("options", index, "value"), wrong_type(expected, value))
            continue
        values[index] = value
    for index, value in repeats(values.items()):
        problems.add(("options", index, "value"), repeated(value))
    problems.raise_if_any()
    return {"type": TYPE, "options": [{"value": value} for value in values.values()]}


def clean_value(value: Any, settings: dict, *, record_fields: dict | None = None) -> int:
    allowed = [option["value"] for option in settings.get("options") or []]
    if not is_int(value):
        raise ValidationFailed.single((), wrong_type(_("an integer"), value))
    if value not in allowed:
        raise ValidationFailed.single((), not_one_of(value, allowed, _("rating values")))
    return value

"""A label question: pick exactly one label from the options."""

from typing import Any

from django.utils.translation import gettext_lazy

from apps.core.errors import Problems
from apps.datasets.question_types._options import check_option, clean_labels, option_values

TYPE = "label_selection"
MIN_OPTIONS = 2
# Lazy: translated only when a message is built, not for every valid value of a bulk request.
_LABELS = gettext_lazy("labels")


def clean_settings(settings: dict, *, fields: dict[str, dict]) -> dict:
    problems = Problems()
    labels = clean_labels(settings, problems=problems, min_items=MIN_OPTIONS)
    problems.raise_if_any()
    return {"type": TYPE, **labels}


def clean_value(value: Any, settings: dict, *, record_fields: dict | None = None) -> str:
    problems = Problems()
    check_option(value, option_values(settings), (), problems, _LABELS)
    problems.raise_if_any()
    return value

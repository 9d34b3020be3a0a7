"""A multi-label question: pick one or more distinct labels from the options."""

from typing import Any

from django.utils.translation import gettext_lazy

from apps.core.errors import Problems
from apps.datasets._type_checks import read_choice, read_list, repeated, repeats
from apps.datasets.question_types._options import check_option, clean_labels, option_values

TYPE = "multi_label_selection"
MIN_OPTIONS = 2
OPTIONS_ORDERS = ("natural", "suggestion")
# Lazy: translated only when a message is built, not once per label of a bulk request.
_LABELS = gettext_lazy("labels")


def clean_settings(settings: dict, *, fields: dict[str, dict]) -> dict:
    problems = Problems()
    labels = clean_labels(settings, problems=problems, min_items=MIN_OPTIONS)
    options_order = read_choice(
        settings, "options_order", OPTIONS_ORDERS, default="natural", problems=problems
    )
    problems.raise_if_any()
    return {"type": TYPE, **labels, "options_order": options_order}


def clean_value(value: Any, settings: dict, *, record_fields: dict | None = None) -> list[str]:
    problems = Problems()
    allowed = option_values(settings)
    labels = read_list(value, (), problems=problems, min_items=1) or []
    chosen = {
        index: label
        for index, label in enumerate(labels)
        if check_option(label, allowed, (index,), problems, _LABELS)
    }
    for index, label in repeats(chosen.items()):
        problems.add((index,), repeated(label))
    problems.raise_if_any()
    return labels

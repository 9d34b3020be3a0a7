"""Option lists shared by label_selection, multi_label_selection, ranking and span questions.

An option is {"value": str (1–200 chars), "text": str (1–500 chars, defaults to the value),
"description": str (1–1000 chars) | null}; values are unique within a question.
"""

from typing import Any

from django.utils.translation import gettext as _

from apps.core.errors import Loc, Problems
from apps.datasets._type_checks import (
    is_int,
    not_one_of,
    read_list,
    read_str,
    repeated,
    repeats,
    wrong_type,
)

MAX_VALUE_LENGTH = 200
MAX_TEXT_LENGTH = 500
MAX_DESCRIPTION_LENGTH = 1000
MAX_OPTIONS = 500  # Argilla's default for label and span questions
MIN_VISIBLE_OPTIONS = 3


def clean_options(
    raw: Any, *, problems: Problems, min_items: int, max_items: int = MAX_OPTIONS
) -> list[dict]:
    """The valid options of settings["options"], normalized; problems located under options."""
    items = read_list(
        raw, ("options",), problems=problems, min_items=min_items, max_items=max_items
    )
    options = {}
    for index, item in enumerate(items or []):
        option = _clean_option(item, ("options", index), problems)
        if option is not None:
            options[index] = option
    for index, value in repeats((index, option["value"]) for index, option in options.items()):
        problems.add(("options", index, "value"), repeated(value))
    return list(options.values())


def _clean_option(item: Any, loc: Loc, problems: Problems) -> dict | None:
    if not isinstance(item, dict):
        problems.add(loc, wrong_type(_("an object with value and text"), item))
        return None
    value = read_str(
        item.get("value"), (*loc, "value"), problems=problems, max_length=MAX_VALUE_LENGTH
    )
    text = item.get("text")
    if text is None:
        text = value  # S1/S2 always send a text, but a bare value is a fine label
    else:
        text = read_str(text, (*loc, "text"), problems=problems, max_length=MAX_TEXT_LENGTH)
    description = item.get("description")
    if description == "":
        description = None  # a blank form input means "no description"
    elif description is not None:
        description = read_str(
            description,
            (*loc, "description"),
            problems=problems,
            max_length=MAX_DESCRIPTION_LENGTH,
        )
    if value is None or text is None:
        return None
    return {"value": value, "text": text, "description": description}


def clean_labels(settings: dict, *, problems: Problems, min_items: int) -> dict:
    """settings["options"] and settings["visible_options"] of a label-like question."""
    raw_options = settings.get("options")
    options = clean_options(raw_options, problems=problems, min_items=min_items)
    # Count what was sent, so one bad option does not also flag visible_options.
    option_count = len(raw_options) if isinstance(raw_options, list) else len(options)
    visible_options = clean_visible_options(
        settings.get("visible_options"), option_count=option_count, problems=problems
    )
    return {"options": options, "visible_options": visible_options}


def clean_visible_options(raw: Any, *, option_count: int, problems: Problems) -> int | None:
    """How many options the UI shows before "show more": null (all) or 3..option_count."""
    if raw is None:
        return None
    if not is_int(raw) or not MIN_VISIBLE_OPTIONS <= raw <= option_count:
        if option_count < MIN_VISIBLE_OPTIONS:
            expected = _("null (fewer than %(min)d options)") % {"min": MIN_VISIBLE_OPTIONS}
        else:
            expected = _("null or a whole number from %(min)d to %(max)d (the option count)") % {
                "min": MIN_VISIBLE_OPTIONS,
                "max": option_count,
            }
        problems.add(("visible_options",), wrong_type(expected, raw))
        return None
    return raw


def option_values(settings: dict) -> list[str]:
    return [option["value"] for option in settings.get("options") or []]


def check_option(value: Any, allowed: list[str], loc: Loc, problems: Problems, what: str) -> bool:
    """Whether `value` is one of the `allowed` option values; records a problem if not."""
    if not isinstance(value, str):
        problems.add(loc, wrong_type(_("a string"), value))
        return False
    if value not in allowed:
        problems.add(loc, not_one_of(value, allowed, what))
        return False
    return True

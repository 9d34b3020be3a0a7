"""A ranking question: order every option, e.g. to compare model replies (ties allowed)."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.errors import Problems
from apps.datasets._type_checks import is_int, read_list, repeated, repeats, show, wrong_type
from apps.datasets.question_types._options import check_option, clean_options, option_values

TYPE = "ranking"
MIN_OPTIONS, MAX_OPTIONS = 2, 50
# Lazy: translated only when a message is built, not once per item of a bulk request.
_OPTIONS = gettext_lazy("options")


def clean_settings(settings: dict, *, fields: dict[str, dict]) -> dict:
    problems = Problems()
    options = clean_options(
        settings.get("options"), problems=problems, min_items=MIN_OPTIONS, max_items=MAX_OPTIONS
    )
    problems.raise_if_any()
    return {"type": TYPE, "options": options}


def clean_value(value: Any, settings: dict, *, record_fields: dict | None = None) -> list[dict]:
    """[{"value", "rank"}] naming every option once; a missing rank (S2 sends none) is null."""
    problems = Problems()
    allowed = option_values(settings)
    items = read_list(value, (), problems=problems)
    if items is None:  # not a list: nothing more to check
        problems.raise_if_any()
    cleaned = {}
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            problems.add((index,), wrong_type(_('an object {"value": str, "rank": int}'), item))
            continue
        rank = item.get("rank")
        if rank is not None and (not is_int(rank) or not 1 <= rank <= len(allowed)):
            expected = _("null or a rank from 1 to %(max)d") % {"max": len(allowed)}
            problems.add((index, "rank"), wrong_type(expected, rank))
        if check_option(item.get("value"), allowed, (index, "value"), problems, _OPTIONS):
            cleaned[index] = {"value": item["value"], "rank": rank}
    for index, option in repeats((index, item["value"]) for index, item in cleaned.items()):
        problems.add((index, "value"), repeated(option))
    ranked = {item["value"] for item in cleaned.values()}
    missing = [option for option in allowed if option not in ranked]
    if missing:
        problems.add(
            (), _("Every option must be ranked; missing %(missing)s.") % {"missing": show(missing)}
        )
    problems.raise_if_any()
    return list(cleaned.values())

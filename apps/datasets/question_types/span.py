"""A span question: mark labelled character ranges [start, end) in one text field of the record."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.errors import Problems
from apps.datasets._type_checks import (
    is_int,
    not_one_of,
    read_bool,
    read_list,
    show,
    wrong_type,
)
from apps.datasets.question_types._options import (
    check_option,
    clean_labels,
    option_values,
)

TYPE = "span"
MIN_OPTIONS = 1
MAX_SPANS = 10000
# Lazy: translated only when a message is built, not once per span of a bulk request.
_LABELS = gettext_lazy("labels")


def clean_settings(settings: dict, *, fields: dict[str, dict]) -> dict:
    problems = Problems()
    field = _clean_field(settings.get("field"), fields, problems)
    labels = clean_labels(settings, problems=problems, min_items=MIN_OPTIONS)
    allow_overlapping = read_bool(settings, "allow_overlapping", default=False, problems=problems)
    allow_character_annotation = read_bool(
        settings, "allow_character_annotation", default=True, problems=problems
    )
    problems.raise_if_any()
    return {
        "type": TYPE,
        "field": field,
        **labels,
        "allow_overlapping": allow_overlapping,
        "allow_character_annotation": allow_character_annotation,
    }


def _clean_field(name: Any, fields: dict[str, dict], problems: Problems) -> str | None:
    """The name of an existing text field: the one whose text the spans point into."""
    text_fields = [field for field, settings in fields.items() if settings.get("type") == "text"]
    if name is None:
        problems.add(
            ("field",),
            _("Name the text field to annotate, one of %(names)s.") % {"names": show(text_fields)},
        )
    elif not isinstance(name, str):
        problems.add(("field",), wrong_type(_("a field name"), name))
    elif name in fields and name not in text_fields:
        problems.add(
            ("field",),
            _("%(name)s is not a text field (its type is %(type)s); spans need one of %(names)s.")
            % {
                "name": show(name),
                "type": show(fields[name].get("type")),
                "names": show(text_fields),
            },
        )
    elif name not in text_fields:
        problems.add(("field",), not_one_of(name, text_fields, _("text fields")))
    else:
        return name
    return None


def clean_value(value: Any, settings: dict, *, record_fields: dict | None = None) -> list[dict]:
    """The spans with only label, start and end kept. With `record_fields`, each span must end
    inside the text of the question's field."""
    problems = Problems()
    items = read_list(value, (), problems=problems, max_items=MAX_SPANS)
    if items is None:  # not a list: nothing more to check
        problems.raise_if_any()
    field = settings.get("field")
    text = (record_fields or {}).get(field)
    text_length = len(text) if isinstance(text, str) else None
    allowed = option_values(settings)
    spans = {}
    for index, item in enumerate(items):
        span = _clean_span(item, (index,), allowed, field, text_length, problems)
        if span is not None:
            spans[index] = span
    if not settings.get("allow_overlapping"):
        _check_no_overlaps(spans, problems)
    problems.raise_if_any()
    return list(spans.values())


def _clean_span(
    item: Any,
    loc: tuple[int],
    allowed: list[str],
    field: str | None,
    text_length: int | None,
    problems: Problems,
) -> dict | None:
    if not isinstance(item, dict):
        problems.add(loc, wrong_type(_('an object {"label", "start", "end"}'), item))
        return None
    label_ok = check_option(item.get("label"), allowed, (*loc, "label"), problems, _LABELS)
    start, end = item.get("start"), item.get("end")
    start_ok = is_int(start) and start >= 0
    if not start_ok:
        problems.add((*loc, "start"), wrong_type(_("a whole number ≥ 0"), start))
    end_problem = None
    if not is_int(end):
        end_problem = wrong_type(_("an integer"), end)
    elif start_ok and end <= start:
        end_problem = _("end (%(end)d) must be greater than start (%(start)d).") % {
            "end": end,
            "start": start,
        }
    elif text_length is not None and end > text_length:
        end_problem = _(
            "end (%(end)d) is past the end of the field %(field)s (%(length)d characters)."
        ) % {"end": end, "field": show(field), "length": text_length}
    if end_problem:
        problems.add((*loc, "end"), end_problem)
    if not (label_ok and start_ok) or end_problem:
        return None
    return {"label": item["label"], "start": start, "end": end}


def _check_no_overlaps(spans: dict[int, dict], problems: Problems) -> None:
    """Sweep the spans by start; each must begin at or after the furthest end seen so far."""
    ordered = sorted(spans.items(), key=lambda pair: (pair[1]["start"], pair[1]["end"]))
    furthest: tuple[int, dict] | None = None
    for index, span in ordered:
        if furthest is not None and span["start"] < furthest[1]["end"]:
            other_index, other = furthest
            problems.add(
                (index,),
                _(
                    "The span %(label)s %(start)d–%(end)d overlaps span %(other_index)d "
                    "(%(other_label)s %(other_start)d–%(other_end)d); this question does not "
                    "allow overlapping spans."
                )
                % {
                    "label": show(span["label"]),
                    "start": span["start"],
                    "end": span["end"],
                    "other_index": other_index,
                    "other_label": show(other["label"]),
                    "other_start": other["start"],
                    "other_end": other["end"],
                },
            )
        if furthest is None or span["end"] > furthest[1]["end"]:
            furthest = (index, span)

"""Question types: what annotators answer. One plug-in module per type.

Each module defines `TYPE`,
`clean_settings(settings, *, fields) -> dict` (normalized settings with `type` and defaults,
unknown keys dropped; `fields` maps the dataset's field names to their settings) and
`clean_value(value, settings, *, record_fields=None)` (one response or suggestion value, possibly
normalized; `record_fields` are the record's field values when known). Both raise
ValidationFailed with locs relative to what they check. Adding a type means adding a module and
listing it here.
"""

from types import ModuleType

from apps.datasets.question_types import (
    label_selection,
    multi_label_selection,
    ranking,
    rating,
    span,
    text,
)

REGISTRY: dict[str, ModuleType] = {
    module.TYPE: module
    for module in (text, rating, label_selection, multi_label_selection, ranking, span)
}


def get(type_name: str) -> ModuleType | None:
    """The plug-in for `type_name`, or None for an unknown type."""
    return REGISTRY.get(type_name) if isinstance(type_name, str) else None

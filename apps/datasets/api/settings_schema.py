"""OpenAPI shapes of the `settings` of fields, questions and metadata properties, one per type.

Documentation only: the plug-ins (`field_types`, `question_types`, `metadata_types`) validate,
and their limits are read from them so the two cannot drift. Rules a JSON schema cannot say
(unique option values, a span's field being a text field, min < max) stay in the plug-ins.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.datasets import metadata_types
from apps.datasets.question_types import _options, ranking, rating, span
from apps.datasets.question_types.multi_label_selection import OPTIONS_ORDERS

# Without the lookahead of SETTING_NAME_PATTERN, which JSON-schema generators do not all read:
# lowercase letters, digits, '-' and '_', at least one letter or digit.
SETTING_NAME_SCHEMA = {
    "type": "string",
    "pattern": "^[a-z0-9_-]*[a-z0-9][a-z0-9_-]*$",
    "maxLength": 200,
}
# DATASET_NAME_PATTERN without its lookahead: no '-' or '_' first.
DATASET_NAME_SCHEMA = {
    "type": "string",
    "pattern": "^[a-zA-Z0-9 ][a-zA-Z0-9_ -]*$",
    "maxLength": 200,
}


def _typed(type_name: str, properties: dict | None = None, required=()) -> dict:
    return {
        "type": "object",
        "properties": {"type": {"type": "string", "enum": [type_name]}, **(properties or {})},
        "required": ["type", *required],
    }


_BOOL = {"type": "boolean"}
_OPTION = {
    "type": "object",
    "properties": {
        "value": {"type": "string", "minLength": 1, "maxLength": _options.MAX_VALUE_LENGTH},
        "text": {"type": "string", "minLength": 1, "maxLength": _options.MAX_TEXT_LENGTH},
        "description": {
            "type": "string",
            "nullable": True,
            "maxLength": _options.MAX_DESCRIPTION_LENGTH,
        },
    },
    "required": ["value", "text"],
}


def _options_list(min_items: int, max_items: int = _options.MAX_OPTIONS) -> dict:
    return {"type": "array", "items": _OPTION, "minItems": min_items, "maxItems": max_items}


_VISIBLE_OPTIONS = {
    "type": "integer",
    "nullable": True,
    "minimum": _options.MIN_VISIBLE_OPTIONS,
    "description": "null (all) or 3 to the option count.",
}
_LABELS = {"options": _options_list(2), "visible_options": _VISIBLE_OPTIONS}

FIELD_SETTINGS = {
    "oneOf": [
        _typed("text", {"use_markdown": _BOOL}),
        _typed("image"),
        _typed("chat", {"use_markdown": _BOOL}),
        _typed(
            "custom",
            {
                "template": {"type": "string", "minLength": 1, "pattern": r"\S"},
                "advanced_mode": _BOOL,
            },
            required=["template"],
        ),
    ],
    "description": "The field's type and its options.",
}
QUESTION_SETTINGS = {
    "oneOf": [
        _typed("text", {"use_markdown": _BOOL}),
        _typed(
            "rating",
            {
                "options": {
                    "type": "array",
                    "minItems": rating.MIN_OPTIONS,
                    "maxItems": rating.MAX_OPTIONS,
                    "items": {
                        "type": "object",
                        "properties": {
                            "value": {
                                "type": "integer",
                                "minimum": rating.MIN_VALUE,
                                "maximum": rating.MAX_VALUE,
                            }
                        },
                        "required": ["value"],
                    },
                }
            },
            required=["options"],
        ),
        _typed("label_selection", _LABELS, required=["options"]),
        _typed(
            "multi_label_selection",
            {**_LABELS, "options_order": {"type": "string", "enum": list(OPTIONS_ORDERS)}},
            required=["options"],
        ),
        _typed(
            "ranking",
            {"options": _options_list(ranking.MIN_OPTIONS, ranking.MAX_OPTIONS)},
            required=["options"],
        ),
        _typed(
            "span",
            {
                "field": {"type": "string", "description": "A text field of the dataset."},
                "options": _options_list(span.MIN_OPTIONS),
                "visible_options": _VISIBLE_OPTIONS,
                "allow_overlapping": _BOOL,
            },
            required=["field", "options"],
        ),
    ],
    "description": "The question's type and its options; option values are unique.",
}
_BOUND = {"nullable": True, "description": "Optional; min must be below max."}
METADATA_SETTINGS = {
    "oneOf": [
        _typed(
            "terms",
            {
                "values": {
                    "type": "array",
                    "nullable": True,
                    "items": {"type": "string"},
                    "minItems": 1,
                    "maxItems": metadata_types.MAX_TERMS,
                    "description": "Distinct terms; null accepts any.",
                },
                "visible_for_annotators": _BOOL,
            },
        ),
        _typed(
            "integer",
            {
                "min": {"type": "integer", **_BOUND},
                "max": {"type": "integer", **_BOUND},
                "visible_for_annotators": _BOOL,
            },
        ),
        _typed(
            "float",
            {
                "min": {"type": "number", **_BOUND},
                "max": {"type": "number", **_BOUND},
                "visible_for_annotators": _BOOL,
            },
        ),
    ],
    "description": "The property's type and its range or terms.",
}


def _documented(schema: dict, base=serializers.DictField):
    return extend_schema_field(schema)(type("SettingsIn", (base,), {}))


FieldSettingsIn = _documented(FIELD_SETTINGS)
QuestionSettingsIn = _documented(QUESTION_SETTINGS)
MetadataSettingsIn = _documented(METADATA_SETTINGS)
SettingNameIn = _documented(SETTING_NAME_SCHEMA, serializers.CharField)
DatasetNameIn = _documented(DATASET_NAME_SCHEMA, serializers.CharField)

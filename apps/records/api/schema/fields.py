"""Field shapes shared by the records API's OpenAPI serializers: answers, scores, vectors,
response values, inline input enums, and PATCH bodies that are not partial."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

_SPAN = {
    "type": "object",
    "properties": {
        "label": {"type": "string"},
        "start": {"type": "integer", "minimum": 0},
        "end": {"type": "integer", "minimum": 1},
    },
    "required": ["label", "start", "end"],
}
_RANK = {
    "type": "object",
    "properties": {
        "value": {"type": "string"},
        "rank": {"type": "integer", "minimum": 1, "nullable": True},
    },
    "required": ["value"],
}


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string", "description": "text, label_selection"},
            {"type": "integer", "description": "rating"},
            {
                "type": "array",
                "items": {"type": "string"},
                "description": "multi_label_selection",
            },
            {"type": "array", "items": _RANK, "description": "ranking"},
            {"type": "array", "items": _SPAN, "description": "span"},
        ],
        "description": "An answer to one question; its shape depends on the question type.",
    }
)
class AnswerField(serializers.JSONField):
    """§2.9: a response value or a suggestion value."""


@extend_schema_field(
    {
        "oneOf": [
            {"type": "number", "minimum": 0, "maximum": 1},
            {"type": "array", "items": {"type": "number", "minimum": 0, "maximum": 1}},
        ],
        "nullable": True,
        "description": "In [0, 1]; a list (one score per item) goes with a list value.",
    }
)
class ScoreField(serializers.JSONField):
    pass


def object_field(help_text: str, **kwargs) -> serializers.DictField:
    return serializers.DictField(help_text=help_text, **kwargs)


def vectors_field(**kwargs) -> serializers.DictField:
    return serializers.DictField(
        child=serializers.ListField(child=serializers.FloatField()),
        help_text="Vector name → list of floats (its dimensions).",
        **kwargs,
    )


class ResponseValue(serializers.Serializer):
    value = AnswerField()


def response_values_field(**kwargs) -> serializers.DictField:
    kwargs.setdefault("help_text", 'Question name → {"value": answer}.')
    return serializers.DictField(child=ResponseValue(), **kwargs)


def choice_in(choices, **kwargs) -> serializers.ChoiceField:
    """An input choice with its enum inline. The output shape owns the named enum component
    (e.g. ResponseStatusEnum); drf-spectacular warns when one choice set is hoisted from several
    components under one property name, and `anyOf` keeps this copy in place."""
    values = [value for value, _label in choices]
    field_class = extend_schema_field({"anyOf": [{"type": "string", "enum": values}]})(
        type("ChoiceIn", (serializers.ChoiceField,), {})
    )
    return field_class(choices=choices, **kwargs)


class NeverPartial:
    """drf-spectacular treats a PATCH body as partial (no key required, "Patched…" name); these
    PATCH bodies are not partial (the S1 bulk PATCH needs `items`)."""

    @property
    def partial(self) -> bool:
        return False

    @partial.setter
    def partial(self, value) -> None:
        pass

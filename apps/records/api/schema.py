"""OpenAPI shapes of records, suggestions and responses (argilla-api.md §2.8–2.11 and §3).

Documentation only: drf-spectacular reads these serializers, the views never run them. Record
bodies are checked as plain dicts by `apps.records.validation` and answers are rendered by
`apps.records.api.render` (a bulk call carries up to 500 records; DRF serializers are too slow for
that). Keep these classes in step with `render.py` and the contract, key by key.

Request shapes list the keys Loam reads; every other key is ignored, never rejected (the SDKs send
whole model dumps: `inserted_at`, `status`, `dataset_id`, …).
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from apps.records.models import RecordStatus, SuggestionType
from apps.responses.models import ResponseStatus

# ------------------------------------------------------------------------- value fields

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


def _object(help_text: str, **kwargs) -> serializers.DictField:
    return serializers.DictField(help_text=help_text, **kwargs)


def _vectors(**kwargs) -> serializers.DictField:
    return serializers.DictField(
        child=serializers.ListField(child=serializers.FloatField()),
        help_text="Vector name → list of floats (its dimensions).",
        **kwargs,
    )


class ResponseValue(serializers.Serializer):
    value = AnswerField()


def _response_values(**kwargs) -> serializers.DictField:
    kwargs.setdefault("help_text", 'Question name → {"value": answer}.')
    return serializers.DictField(child=ResponseValue(), **kwargs)


def _choice_in(choices, **kwargs) -> serializers.ChoiceField:
    """An input choice with its enum inline. The output shape owns the named enum component
    (e.g. ResponseStatusEnum); drf-spectacular warns when one choice set is hoisted from several
    components under one property name, and `anyOf` keeps this copy in place."""
    values = [value for value, _label in choices]
    field_class = extend_schema_field({"anyOf": [{"type": "string", "enum": values}]})(
        type("ChoiceIn", (serializers.ChoiceField,), {})
    )
    return field_class(choices=choices, **kwargs)


class _NeverPartial:
    """drf-spectacular treats a PATCH body as partial (no key required, "Patched…" name); these
    PATCH bodies are not partial (the S1 bulk PATCH needs `items`)."""

    @property
    def partial(self) -> bool:
        return False

    @partial.setter
    def partial(self, value) -> None:
        pass


# ------------------------------------------------------------------------------ output


@extend_schema_serializer(component_name="Response")
class ResponseOut(serializers.Serializer):
    id = serializers.UUIDField()
    values = _response_values(help_text='Question name → {"value": answer}; `{}` when empty.')
    status = serializers.ChoiceField(choices=ResponseStatus.choices)
    user_id = serializers.UUIDField()
    record_id = serializers.UUIDField()
    inserted_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    active_seconds = serializers.IntegerField(
        help_text="Loam: seconds the annotator was active on the record in the web app."
    )


@extend_schema_serializer(component_name="Suggestion")
class SuggestionOut(serializers.Serializer):
    id = serializers.UUIDField()
    question_id = serializers.UUIDField()
    value = AnswerField()
    score = ScoreField(allow_null=True)
    agent = serializers.CharField(allow_null=True)
    type = serializers.ChoiceField(choices=SuggestionType.choices, allow_null=True)
    record_id = serializers.UUIDField()
    inserted_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


@extend_schema_serializer(component_name="Record")
class RecordOut(serializers.Serializer):
    id = serializers.UUIDField()
    external_id = serializers.CharField(allow_null=True)
    status = serializers.ChoiceField(choices=RecordStatus.choices)
    fields = _object("Field name → value (§2.4).")
    metadata = _object("Metadata property name → value; `{}` when none.")
    dataset_id = serializers.UUIDField()
    inserted_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    responses = ResponseOut(
        many=True,
        required=False,
        help_text="Only with include=responses. Annotators see only their own.",
    )
    suggestions = SuggestionOut(
        many=True, required=False, help_text="Only with include=suggestions."
    )
    vectors = _vectors(required=False)


class RecordListOut(serializers.Serializer):
    items = RecordOut(many=True)
    total = serializers.IntegerField(help_text="Records matching the filters, all pages.")


class BulkOut(serializers.Serializer):
    items = RecordOut(
        many=True, help_text="The records written, in request order, with all their children."
    )


class BulkUpsertOut(BulkOut):
    updated_item_ids = serializers.ListField(
        child=serializers.UUIDField(), help_text="Ids of the records that already existed."
    )


class SearchHitOut(serializers.Serializer):
    record = RecordOut()
    query_score = serializers.FloatField(
        allow_null=True,
        help_text="Text relevance or vector similarity; null without a text or vector query.",
    )


class SearchOut(serializers.Serializer):
    items = SearchHitOut(many=True)
    total = serializers.IntegerField(
        help_text="Matching records (for a similarity query: the hits ranked, at most 1000)."
    )


class SuggestionListOut(serializers.Serializer):
    items = SuggestionOut(many=True)


# ------------------------------------------------------------------------------- input


class SuggestionIn(serializers.Serializer):
    question_id = serializers.UUIDField(
        required=False, allow_null=True, help_text="Required unless question_name is given."
    )
    question_name = serializers.CharField(
        required=False, allow_null=True, help_text="Used only when question_id is absent."
    )
    value = AnswerField()
    score = ScoreField(required=False, allow_null=True)
    agent = serializers.CharField(
        required=False,
        allow_null=True,
        min_length=1,
        max_length=200,
        help_text=r"Matches ^(?=.*[a-zA-Z0-9])[a-zA-Z0-9-_:\.\/\s]+$.",
    )
    type = _choice_in(SuggestionType.choices, required=False, allow_null=True)


class RecordResponseIn(serializers.Serializer):
    """A response inside a record item; one per user and record."""

    user_id = serializers.UUIDField(help_text="A member of the dataset's workspace.")
    status = _choice_in(ResponseStatus.choices, required=False, allow_null=True, default="draft")
    values = _response_values(required=False, allow_null=True)


class RecordCreateItem(serializers.Serializer):
    fields = _object("Field name → value; every required field of the dataset.")
    metadata = _object("Metadata property name → value.", required=False, allow_null=True)
    external_id = serializers.CharField(
        required=False, allow_null=True, max_length=2000, help_text="Unique in the dataset."
    )
    vectors = _vectors(required=False, allow_null=True)
    suggestions = SuggestionIn(many=True, required=False, allow_null=True)
    responses = RecordResponseIn(many=True, required=False, allow_null=True)


class RecordUpsertItem(RecordCreateItem):
    """Matched by external_id, then by id, within the dataset; an existing record keeps its
    fields. Unmatched items become new records (a client id that matches nothing is ignored)."""

    id = serializers.UUIDField(required=False, allow_null=True)
    fields = _object(
        "Field name → value; null or absent to update an existing record.",
        required=False,
        allow_null=True,
    )


class RecordUpdateItem(serializers.Serializer):
    id = serializers.UUIDField(help_text="An existing record of the dataset.")
    metadata = _object("Replaces the record's metadata.", required=False, allow_null=True)
    suggestions = SuggestionIn(many=True, required=False, allow_null=True)
    responses = RecordResponseIn(many=True, required=False, allow_null=True)
    vectors = _vectors(required=False, allow_null=True)


class RecordPatchIn(_NeverPartial, serializers.Serializer):
    """`fields`, `external_id`, `id` and the rest of a full record dump are ignored."""

    metadata = _object("Replaces the record's metadata.", required=False, allow_null=True)
    suggestions = SuggestionIn(many=True, required=False, allow_null=True)
    responses = RecordResponseIn(many=True, required=False, allow_null=True)
    vectors = _vectors(required=False, allow_null=True)


class BulkCreateIn(serializers.Serializer):
    items = serializers.ListField(child=RecordCreateItem(), min_length=1, max_length=500)


class BulkUpsertIn(serializers.Serializer):
    items = serializers.ListField(child=RecordUpsertItem(), min_length=1, max_length=500)


class RecordsCreateIn(serializers.Serializer):
    items = serializers.ListField(child=RecordCreateItem(), min_length=1, max_length=1000)


class RecordsUpdateIn(_NeverPartial, serializers.Serializer):
    """argilla-v1 update: existing records of the dataset, named by id."""

    items = serializers.ListField(child=RecordUpdateItem(), min_length=1, max_length=1000)


class ResponseIn(serializers.Serializer):
    values = _response_values(
        required=False, allow_null=True, help_text="Optional only when discarded."
    )
    status = _choice_in(ResponseStatus.choices)
    user_id = serializers.UUIDField(
        required=False, allow_null=True, help_text="Ignored: the caller is the author."
    )


# ----------------------------------------------------------------------------- search


class SearchScopeIn(serializers.Serializer):
    entity = serializers.ChoiceField(choices=["record", "metadata", "suggestion", "response"])
    property = serializers.CharField(
        required=False,
        allow_null=True,
        help_text=(
            "record: id, external_id, inserted_at, updated_at or status; suggestion: value "
            "(null), agent, score or type; response: status (with question null) or null."
        ),
    )
    metadata_property = serializers.CharField(
        required=False, allow_null=True, help_text="entity metadata: the property name."
    )
    question = serializers.CharField(
        required=False,
        allow_null=True,
        help_text="entity suggestion or response: the question name.",
    )


class SearchFilterIn(serializers.Serializer):
    type = serializers.ChoiceField(choices=["terms", "range"])
    scope = SearchScopeIn()
    values = serializers.ListField(
        child=serializers.JSONField(),
        required=False,
        min_length=1,
        max_length=250,
        help_text="terms: match any of these.",
    )
    ge = serializers.JSONField(
        required=False, allow_null=True, help_text="range: lower bound (number or ISO datetime)."
    )
    le = serializers.JSONField(
        required=False, allow_null=True, help_text="range: upper bound (number or ISO datetime)."
    )


class SearchFiltersIn(serializers.Serializer):
    type = serializers.CharField(required=False, help_text='"and"; ignored.')
    filters = serializers.ListField(child=SearchFilterIn(), min_length=1, max_length=50)

    def get_fields(self):
        fields = super().get_fields()
        fields["and"] = fields.pop("filters")  # a keyword in Python, a key on the wire
        return fields


class TextQueryIn(serializers.Serializer):
    q = serializers.CharField()
    field = serializers.CharField(
        required=False, allow_null=True, help_text="A text field name; null searches all."
    )


class VectorQueryIn(serializers.Serializer):
    name = serializers.CharField(help_text="A vector settings name of the dataset.")
    record_id = serializers.UUIDField(
        required=False, allow_null=True, help_text="Exactly one of record_id and value."
    )
    value = serializers.ListField(child=serializers.FloatField(), required=False, allow_null=True)
    order = serializers.ChoiceField(
        choices=["most_similar", "least_similar"], required=False, default="most_similar"
    )


class SearchQueryIn(serializers.Serializer):
    text = TextQueryIn(required=False, allow_null=True)
    vector = VectorQueryIn(required=False, allow_null=True)


class SearchSortIn(serializers.Serializer):
    scope = SearchScopeIn(help_text="A record property or a metadata property.")
    order = serializers.ChoiceField(choices=["asc", "desc"], required=False, default="asc")


class SearchIn(serializers.Serializer):
    query = SearchQueryIn(required=False, allow_null=True)
    filters = SearchFiltersIn(required=False, allow_null=True)
    sort = serializers.ListField(
        child=SearchSortIn(),
        required=False,
        allow_null=True,
        min_length=1,
        max_length=10,
        help_text="Default: inserted_at ascending.",
    )


# ------------------------------------------------------------------------ query params

OFFSET = OpenApiParameter(
    "offset",
    {"type": "integer", "minimum": 0, "maximum": 2**62, "default": 0},
    description="Records to skip.",
)
LIMIT = OpenApiParameter(
    "limit",
    {"type": "integer", "minimum": 1, "maximum": 1000, "default": 50},
    description="Page size.",
)
INCLUDE = OpenApiParameter(
    "include",
    {"type": "array", "items": {"type": "string"}},
    style="form",
    explode=True,
    description=(
        "Repeatable: responses, suggestions, vectors (all) or vectors:name1,name2. "
        "Without it a record has no such key. Comma-joined values are accepted too."
    ),
)
RESPONSE_STATUS = OpenApiParameter(
    "response_status",
    {"type": "array", "items": {"type": "string", "enum": [*ResponseStatus.values, "pending"]}},
    style="form",
    explode=True,
    description="Repeatable: records with a response in one of these statuses (pending: none).",
)
METADATA = OpenApiParameter(
    "metadata",
    {"type": "array", "items": {"type": "string"}},
    style="form",
    explode=True,
    description=(
        'Repeatable: name:v1,v2 (terms) or name:{"ge": 1, "le": 5} (range). '
        "Unknown names are ignored."
    ),
)
SORT_BY = OpenApiParameter(
    "sort_by",
    {"type": "array", "items": {"type": "string"}},
    style="form",
    explode=True,
    description=(
        "Repeatable: inserted_at, updated_at or metadata.<name>, with optional :asc or :desc. "
        "Default inserted_at:asc."
    ),
)


def ids_param(what: str) -> OpenApiParameter:
    return OpenApiParameter(
        "ids",
        {
            "type": "array",
            "items": {"type": "string", "format": "uuid"},
            "minItems": 1,
            "maxItems": 100,
        },
        required=True,
        style="form",
        explode=False,
        description=f"1 to 100 comma-separated {what} ids.",
    )


PAGE = [OFFSET, LIMIT, INCLUDE]
LIST_FILTERS = [RESPONSE_STATUS, METADATA, SORT_BY]

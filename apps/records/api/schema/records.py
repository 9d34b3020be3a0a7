"""OpenAPI shapes of records, suggestions and responses, out and in (§2.8–2.11)."""

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from apps.records.api.schema.fields import (
    AnswerField,
    NeverPartial,
    ScoreField,
    choice_in,
    object_field,
    response_values_field,
    vectors_field,
)
from apps.records.models import RecordStatus, SuggestionType
from apps.responses.models import ResponseStatus

# ------------------------------------------------------------------------------ output


@extend_schema_serializer(component_name="Response")
class ResponseOut(serializers.Serializer):
    id = serializers.UUIDField()
    values = response_values_field(help_text='Question name → {"value": answer}; `{}` when empty.')
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
    fields = object_field("Field name → value (§2.4).")
    metadata = object_field("Metadata property name → value; `{}` when none.")
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
    vectors = vectors_field(required=False)


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
    type = choice_in(SuggestionType.choices, required=False, allow_null=True)


class RecordResponseIn(serializers.Serializer):
    """A response inside a record item; one per user and record."""

    user_id = serializers.UUIDField(help_text="A member of the dataset's workspace.")
    status = choice_in(ResponseStatus.choices, required=False, allow_null=True, default="draft")
    values = response_values_field(required=False, allow_null=True)


class RecordCreateItem(serializers.Serializer):
    fields = object_field("Field name → value; every required field of the dataset.")
    metadata = object_field("Metadata property name → value.", required=False, allow_null=True)
    external_id = serializers.CharField(
        required=False, allow_null=True, max_length=2000, help_text="Unique in the dataset."
    )
    vectors = vectors_field(required=False, allow_null=True)
    suggestions = SuggestionIn(many=True, required=False, allow_null=True)
    responses = RecordResponseIn(many=True, required=False, allow_null=True)


class RecordUpsertItem(RecordCreateItem):
    """Matched by external_id, then by id, within the dataset; an existing record keeps its
    fields. Unmatched items become new records (a client id that matches nothing is ignored)."""

    id = serializers.UUIDField(required=False, allow_null=True)
    fields = object_field(
        "Field name → value; null or absent to update an existing record.",
        required=False,
        allow_null=True,
    )


class RecordUpdateItem(serializers.Serializer):
    id = serializers.UUIDField(help_text="An existing record of the dataset.")
    metadata = object_field("Replaces the record's metadata.", required=False, allow_null=True)
    suggestions = SuggestionIn(many=True, required=False, allow_null=True)
    responses = RecordResponseIn(many=True, required=False, allow_null=True)
    vectors = vectors_field(required=False, allow_null=True)


class RecordPatchIn(NeverPartial, serializers.Serializer):
    """`fields`, `external_id`, `id` and the rest of a full record dump are ignored."""

    metadata = object_field("Replaces the record's metadata.", required=False, allow_null=True)
    suggestions = SuggestionIn(many=True, required=False, allow_null=True)
    responses = RecordResponseIn(many=True, required=False, allow_null=True)
    vectors = vectors_field(required=False, allow_null=True)


class BulkCreateIn(serializers.Serializer):
    items = serializers.ListField(child=RecordCreateItem(), min_length=1, max_length=500)


class BulkUpsertIn(serializers.Serializer):
    items = serializers.ListField(child=RecordUpsertItem(), min_length=1, max_length=500)


class RecordsCreateIn(serializers.Serializer):
    items = serializers.ListField(child=RecordCreateItem(), min_length=1, max_length=1000)


class RecordsUpdateIn(NeverPartial, serializers.Serializer):
    """argilla-v1 update: existing records of the dataset, named by id."""

    items = serializers.ListField(child=RecordUpdateItem(), min_length=1, max_length=1000)


class ResponseIn(serializers.Serializer):
    values = response_values_field(
        required=False, allow_null=True, help_text="Optional only when discarded."
    )
    status = choice_in(ResponseStatus.choices)
    user_id = serializers.UUIDField(
        required=False, allow_null=True, help_text="Ignored: the caller is the author."
    )

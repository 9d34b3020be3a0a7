"""Wire shapes of datasets and their settings, field by field as in argilla-api.md §2.3–2.7.

Output serializers only read model attributes. Input serializers check types and presence
(a problem becomes a 422 whose `loc` names the key); every other rule lives in
`apps.datasets.services`. Keys a serializer does not declare — `id`, timestamps, `status`,
`dataset_id`, stale ids from `Dataset.from_disk` — are ignored, never trusted.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.datasets.api.settings_schema import (
    DatasetNameIn,
    FieldSettingsIn,
    MetadataSettingsIn,
    QuestionSettingsIn,
    SettingNameIn,
)
from apps.datasets.models import MAX_MIN_SUBMITTED, DatasetStatus, DistributionStrategy
from apps.datasets.settings_validation import MAX_VECTOR_DIMENSIONS

# ---------------------------------------------------------------------------- output


class DistributionSerializer(serializers.Serializer):
    strategy = serializers.ChoiceField(
        choices=DistributionStrategy.choices, default=DistributionStrategy.OVERLAP
    )
    min_submitted = serializers.IntegerField(min_value=1, max_value=MAX_MIN_SUBMITTED)


class DatasetSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    status = serializers.ChoiceField(choices=DatasetStatus.choices)
    guidelines = serializers.CharField(allow_null=True)
    allow_extra_metadata = serializers.BooleanField()
    distribution = DistributionSerializer()
    workspace_id = serializers.UUIDField()
    last_activity_at = serializers.DateTimeField(allow_null=True)
    inserted_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    metadata = serializers.JSONField(allow_null=True)


@extend_schema_field({"type": "object", "additionalProperties": True})
class SettingsField(serializers.DictField):
    """A setting's `settings` object, `type` included; stored normalized, output as stored."""


class _SettingSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    title = serializers.CharField()
    dataset_id = serializers.UUIDField()
    inserted_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class FieldSerializer(_SettingSerializer):
    required = serializers.BooleanField()
    description = serializers.CharField(allow_null=True)
    settings = SettingsField()


class QuestionSerializer(FieldSerializer):
    pass


class MetadataPropertySerializer(_SettingSerializer):
    visible_for_annotators = serializers.BooleanField()
    settings = SettingsField()


class VectorSettingsSerializer(_SettingSerializer):
    dimensions = serializers.IntegerField()


class ProgressSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    completed = serializers.IntegerField()
    pending = serializers.IntegerField()


class StatusCountsSerializer(serializers.Serializer):
    submitted = serializers.IntegerField()
    draft = serializers.IntegerField()
    discarded = serializers.IntegerField()


class UserProgressSerializer(serializers.Serializer):
    username = serializers.CharField()
    completed = StatusCountsSerializer()
    pending = StatusCountsSerializer()


class UsersProgressSerializer(serializers.Serializer):
    users = UserProgressSerializer(many=True)


class RecordsMetricsSerializer(serializers.Serializer):
    count = serializers.IntegerField()


class ResponsesMetricsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    count = serializers.IntegerField(help_text="The caller's responses (any status).")
    submitted = serializers.IntegerField()
    discarded = serializers.IntegerField()
    draft = serializers.IntegerField()
    pending = serializers.IntegerField()


class MetricsSerializer(serializers.Serializer):
    records = RecordsMetricsSerializer()
    responses = ResponsesMetricsSerializer()


def items_of(serializer_class: type[serializers.Serializer]) -> type[serializers.Serializer]:
    """`{"items": [...]}`, the shape of every unpaginated list, named for the schema."""
    name = serializer_class.__name__.replace("Serializer", "") + "ListSerializer"
    return type(name, (serializers.Serializer,), {"items": serializer_class(many=True)})


# ----------------------------------------------------------------------------- input


class DatasetListQuerySerializer(serializers.Serializer):
    workspace_id = serializers.UUIDField(required=False)
    name = serializers.CharField(required=False)
    status = serializers.ChoiceField(choices=DatasetStatus.choices, required=False)


class DatasetCreateSerializer(serializers.Serializer):
    name = DatasetNameIn(trim_whitespace=False)
    workspace_id = serializers.UUIDField()
    guidelines = serializers.CharField(
        allow_null=True, allow_blank=True, required=False, trim_whitespace=False
    )
    allow_extra_metadata = serializers.BooleanField(required=False, allow_null=True)
    distribution = DistributionSerializer(required=False, allow_null=True)


class DatasetUpdateSerializer(serializers.Serializer):
    """Only the keys sent are changed; `guidelines: null` clears, other nulls are 422."""

    name = DatasetNameIn(required=False, trim_whitespace=False)
    guidelines = serializers.CharField(
        allow_null=True, allow_blank=True, required=False, trim_whitespace=False
    )
    allow_extra_metadata = serializers.BooleanField(required=False)
    distribution = DistributionSerializer(required=False)


class _SettingCreateSerializer(serializers.Serializer):
    name = SettingNameIn(trim_whitespace=False)
    title = serializers.CharField(allow_null=True, allow_blank=True, required=False, max_length=500)


class FieldCreateSerializer(_SettingCreateSerializer):
    settings = FieldSettingsIn()
    required = serializers.BooleanField(allow_null=True, required=False)
    description = serializers.CharField(allow_null=True, allow_blank=True, required=False)


class QuestionCreateSerializer(FieldCreateSerializer):
    settings = QuestionSettingsIn()


class MetadataPropertyCreateSerializer(_SettingCreateSerializer):
    settings = MetadataSettingsIn(
        help_text="`type` plus its keys; may carry `visible_for_annotators` (argilla 2.x)."
    )
    visible_for_annotators = serializers.BooleanField(allow_null=True, required=False)


class VectorSettingsCreateSerializer(_SettingCreateSerializer):
    dimensions = serializers.IntegerField(min_value=1, max_value=MAX_VECTOR_DIMENSIONS)


class _SettingUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(allow_null=True, required=False, max_length=500)


class FieldUpdateSerializer(_SettingUpdateSerializer):
    settings = serializers.DictField(required=False, allow_null=True)
    required = serializers.BooleanField(required=False, allow_null=True)
    description = serializers.CharField(allow_null=True, allow_blank=True, required=False)


class QuestionUpdateSerializer(FieldUpdateSerializer):
    pass


class MetadataPropertyUpdateSerializer(_SettingUpdateSerializer):
    settings = serializers.DictField(required=False, allow_null=True)
    visible_for_annotators = serializers.BooleanField(allow_null=True, required=False)


class VectorSettingsUpdateSerializer(_SettingUpdateSerializer):
    pass

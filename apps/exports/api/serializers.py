from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.exports.models import ExportJob
from apps.exports.training import TASKS
from apps.exports.writers import FORMATS


class ExportQuerySerializer(serializers.Serializer):
    """The query of `GET /datasets/{id}/export`; every other parameter is a task option."""

    format = serializers.ChoiceField(choices=FORMATS, default="jsonl")
    task = serializers.ChoiceField(choices=TASKS, default="records")
    background = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_(
            "Run as a background job (answers 202 with the job). By default, datasets of "
            "more than 10,000 records export in the background."
        ),
    )


class ExportJobSerializer(serializers.ModelSerializer):
    dataset_id = serializers.UUIDField(read_only=True)
    progress = serializers.FloatField(read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ExportJob
        fields = (
            "id",
            "dataset_id",
            "format",
            "task",
            "options",
            "status",
            "total_records",
            "processed_records",
            "rows_written",
            "progress",
            "error",
            "download_url",
            "inserted_at",
            "updated_at",
            "finished_at",
        )

    def get_download_url(self, job) -> str | None:
        if job.status != "done":
            return None
        path = f"/api/v1/exports/{job.pk}/file"
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class AgreementQuestionSerializer(serializers.Serializer):
    question = serializers.CharField()
    type = serializers.CharField()
    level_of_measurement = serializers.CharField()
    units = serializers.IntegerField()
    alpha = serializers.FloatField(allow_null=True)


class AnnotatorAgreementSerializer(serializers.Serializer):
    compared = serializers.IntegerField()
    agreed = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)


class AnnotatorSerializer(serializers.Serializer):
    username = serializers.CharField()
    responses = serializers.DictField(child=serializers.IntegerField())
    agreement = serializers.DictField(child=AnnotatorAgreementSerializer())


class AgreementSerializer(serializers.Serializer):
    questions = AgreementQuestionSerializer(many=True)
    annotators = AnnotatorSerializer(many=True)

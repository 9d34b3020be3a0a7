"""Exports and agreement under /api/v1: owners and admins of the dataset's workspace only.

`GET /datasets/{id}/export` streams the file, or (large datasets, `background=true`) answers
202 with a job to poll at `/exports/{id}` and download from `/exports/{id}/file`.
"""

from django.http import FileResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.response import Response

from apps.core.access import NotFound
from apps.datasets.access import access_dataset, access_dataset_child
from apps.datasets.api.serializers import items_of
from apps.exports import services
from apps.exports.agreement import dataset_agreement
from apps.exports.api.serializers import (
    AgreementSerializer,
    ExportJobSerializer,
    ExportQuerySerializer,
)
from apps.exports.models import ExportJob
from apps.exports.writers import CONTENT_TYPES

_TASK_OPTIONS = [
    OpenApiParameter(name, str, description=description)
    for name, description in (
        ("layout", "records: `lists` (default) or `wide` (one column per annotator)"),
        ("question", "the question the task reads (default: the only one that fits)"),
        ("prompt_field", "the field holding the prompt (default: `prompt`)"),
        ("response_fields", "rm/dpo over a rating: the two response fields, comma-separated"),
        ("correction", "rm/dpo: the text question holding corrections, or `none`"),
        ("pairs", "rm/dpo over a ranking: `all` ordered pairs (default) or `best_worst`"),
        ("first_better", "rm/dpo over a rating: the value meaning the first is better (1)"),
        ("second_better", "rm/dpo over a rating: the value meaning the second is better (2)"),
        ("completion_field", "sft: a field approved by a rating/label question"),
        ("approve", "sft with completion_field and a label question: approving labels"),
        ("min_rating", "sft with completion_field and a rating question: the lowest approval"),
        ("rating", "how ratings unify: mean, median, majority, min, max"),
        ("answers", "sft: `all` submitted answers (default) or the `first`"),
        ("text_field", "text_classification: the field holding the text (default: `text`)"),
        ("min_agreement", "labels: the share of annotators that must agree (0–1)"),
        ("chat", "sft/rm/dpo: conversational columns (lists of messages)"),
    )
]


# The file of each format, by its media type (without parameters such as charset).
_FILE_ANSWERS = {
    (200, media_type.split(";")[0]): OpenApiResponse(
        OpenApiTypes.BINARY, description=_("The export file.")
    )
    for media_type in CONTENT_TYPES.values()
}


class FirstRenderer(DefaultContentNegotiation):
    """`?format=` names the export format here, not a DRF renderer."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class DatasetExportView(GenericAPIView):
    serializer_class = ExportJobSerializer
    content_negotiation_class = FirstRenderer

    @extend_schema(
        operation_id="export_dataset",
        parameters=[ExportQuerySerializer, *_TASK_OPTIONS],
        responses={
            **_FILE_ANSWERS,
            202: ExportJobSerializer,
            422: OpenApiResponse(description=_("The dataset cannot produce this task.")),
        },
    )
    def get(self, request, dataset_id):
        dataset = access_dataset(request.user, dataset_id, need="manage")
        query = ExportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        fmt, task = query.validated_data["format"], query.validated_data["task"]
        background = query.validated_data["background"]
        options = {
            key: value
            for key, value in request.query_params.items()
            if key not in ("format", "task", "background")
        }
        if background is None:
            background = services.runs_in_background(dataset)
        if background:
            job = services.start_background_export(
                dataset=dataset, user=request.user, format=fmt, task=task, options=options
            )
            return Response(
                ExportJobSerializer(job, context={"request": request}).data,
                status=status.HTTP_202_ACCEPTED,
            )
        export = services.prepare_export(dataset=dataset, format=fmt, task=task, options=options)
        response = StreamingHttpResponse(
            services.stream_export(export), content_type=export.content_type
        )
        response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
        return response


class DatasetExportJobsView(GenericAPIView):
    serializer_class = ExportJobSerializer

    @extend_schema(responses={200: items_of(ExportJobSerializer)})
    def get(self, request, dataset_id):
        dataset = access_dataset(request.user, dataset_id, need="manage")
        jobs = ExportJob.objects.filter(dataset=dataset).select_related("dataset")[:50]
        return Response(
            {"items": ExportJobSerializer(jobs, many=True, context={"request": request}).data}
        )


class ExportJobView(GenericAPIView):
    serializer_class = ExportJobSerializer

    def get(self, request, export_id):
        job = access_dataset_child(request.user, ExportJob, export_id, need="manage")
        return Response(ExportJobSerializer(job, context={"request": request}).data)


class ExportJobFileView(GenericAPIView):
    serializer_class = ExportJobSerializer

    @extend_schema(responses=_FILE_ANSWERS)
    def get(self, request, export_id):
        job = access_dataset_child(request.user, ExportJob, export_id, need="manage")
        path = services.export_file(job)
        if path is None:
            raise NotFound(_("This export has no file (yet)."))
        # Named by the format, not guessed from the file name (".jsonl" would be octet-stream).
        return FileResponse(
            open(path, "rb"),
            as_attachment=True,
            filename=path.name,
            content_type=CONTENT_TYPES[job.format],
        )


class DatasetAgreementView(GenericAPIView):
    """Krippendorff's alpha per question and per-annotator statistics."""

    serializer_class = AgreementSerializer

    def get(self, request, dataset_id):
        dataset = access_dataset(request.user, dataset_id, need="manage")
        return Response(dataset_agreement(dataset))

"""Datasets (argilla-api.md §2.3): one view class per URL, services for every write.

Reading needs view access (annotators of the workspace included); writing needs manage
access (owners, admins of the workspace). A dataset outside the caller's workspaces is 404.
"""

from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from apps.annotation.services import update_rules
from apps.core.errors import ValidationFailed
from apps.datasets import services
from apps.datasets.access import access_dataset, datasets_for
from apps.datasets.api import progress
from apps.datasets.api.serializers import (
    DatasetCreateSerializer,
    DatasetListQuerySerializer,
    DatasetSerializer,
    DatasetUpdateSerializer,
    MetricsSerializer,
    ProgressSerializer,
    UsersProgressSerializer,
    items_of,
)
from apps.workspaces.access import access_workspace

DatasetListSerializer = items_of(DatasetSerializer)


def _distribution_kwargs(distribution: dict | None) -> dict:
    # Overlap is the only strategy, so min_submitted is all a distribution changes.
    if distribution is None:
        return {}
    if "min_submitted" not in distribution:
        # A PATCH body is validated as partial, nested objects included: check it here.
        raise ValidationFailed.single(
            ("distribution", "min_submitted"), _("A distribution needs min_submitted.")
        )
    return {"min_submitted": distribution["min_submitted"]}


class MyDatasetsView(GenericAPIView):
    """`GET /api/v1/me/datasets`: every dataset the caller can see, oldest first."""

    serializer_class = DatasetSerializer

    @extend_schema(parameters=[DatasetListQuerySerializer], responses={200: DatasetListSerializer})
    def get(self, request):
        query = DatasetListQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters = query.validated_data
        datasets = datasets_for(request.user).order_by("inserted_at")
        if "workspace_id" in filters:
            datasets = datasets.filter(workspace_id=filters["workspace_id"])
        if "name" in filters:
            datasets = datasets.filter(name=filters["name"])
        if "status" in filters:
            datasets = datasets.filter(status=filters["status"])
        return Response({"items": DatasetSerializer(datasets, many=True).data})


class DatasetsView(GenericAPIView):
    """`POST /api/v1/datasets`: a draft dataset in a workspace the caller manages."""

    serializer_class = DatasetSerializer

    @extend_schema(
        request=DatasetCreateSerializer,
        responses={
            201: DatasetSerializer,
            404: OpenApiResponse(description="No such workspace among the caller's."),
        },
    )
    def post(self, request):
        body = DatasetCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        workspace = access_workspace(request.user, data["workspace_id"], need="manage")
        optional = {}
        if data.get("allow_extra_metadata") is not None:
            optional["allow_extra_metadata"] = data["allow_extra_metadata"]
        dataset = services.create_dataset(
            workspace=workspace,
            name=data["name"],
            guidelines=data.get("guidelines"),
            **optional,
            **_distribution_kwargs(data.get("distribution")),
        )
        return Response(DatasetSerializer(dataset).data, status=status.HTTP_201_CREATED)


class DatasetDetailView(GenericAPIView):
    serializer_class = DatasetSerializer

    def get(self, request, dataset_id):
        return Response(DatasetSerializer(access_dataset(request.user, dataset_id)).data)

    @extend_schema(request=DatasetUpdateSerializer, responses={200: DatasetSerializer})
    def patch(self, request, dataset_id):
        dataset = access_dataset(request.user, dataset_id, need="manage")
        body = DatasetUpdateSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        changes = dict(body.validated_data)
        min_submitted = _distribution_kwargs(changes.pop("distribution", None)).get(
            "min_submitted", dataset.min_submitted
        )
        with transaction.atomic():
            dataset = services.update_dataset(dataset=dataset, **changes)
            if min_submitted != dataset.min_submitted:
                # The overlap is an assignment rule: checked against the annotator pool and
                # re-dealt in assigned mode, exactly as the admin's rules form does.
                update_rules(dataset=dataset, min_submitted=min_submitted)
        return Response(DatasetSerializer(dataset).data)

    @extend_schema(responses={200: DatasetSerializer})
    def delete(self, request, dataset_id):
        dataset = access_dataset(request.user, dataset_id, need="manage")
        data = DatasetSerializer(dataset).data
        services.delete_dataset(dataset=dataset)
        return Response(data)


class DatasetPublishView(GenericAPIView):
    serializer_class = DatasetSerializer

    @extend_schema(request=None, responses={200: DatasetSerializer})
    def put(self, request, dataset_id):
        dataset = access_dataset(request.user, dataset_id, need="manage")
        dataset = services.publish_dataset(dataset=dataset)
        return Response(DatasetSerializer(dataset).data)


class DatasetProgressView(GenericAPIView):
    serializer_class = ProgressSerializer

    def get(self, request, dataset_id):
        dataset = access_dataset(request.user, dataset_id)
        return Response(progress.dataset_progress(dataset))


class DatasetUsersProgressView(GenericAPIView):
    """Per-user response counts: owners and admins of the workspace only."""

    serializer_class = UsersProgressSerializer

    def get(self, request, dataset_id):
        dataset = access_dataset(request.user, dataset_id, need="manage")
        return Response(progress.users_progress(dataset))


class MyDatasetMetricsView(GenericAPIView):
    """The caller's own counts; `records.count` for argilla-v1, `responses` for 2.x."""

    serializer_class = MetricsSerializer

    def get(self, request, dataset_id):
        dataset = access_dataset(request.user, dataset_id)
        return Response(progress.user_metrics(dataset, request.user))

"""A dataset's settings (argilla-api.md §2.4–2.7): fields, questions, metadata properties,
vector settings.

The four kinds share one shape of endpoint — list/create under the dataset, patch/delete by
id — so each URL is a small class naming its model, serializers and service. Children are
looked up through `access_dataset_child`, scoped to the caller's workspaces in the query.
"""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from apps.datasets import services
from apps.datasets.access import access_dataset, access_dataset_child
from apps.datasets.api import serializers as s
from apps.datasets.models import Field, MetadataProperty, Question, VectorSettings
from apps.datasets.selectors import visible_metadata_properties


class _DatasetSettingsView(GenericAPIView):
    """GET lists a dataset's settings of one kind; POST adds one (201)."""

    model: type
    create_serializer_class: type[Serializer]

    def add(self, dataset, data: dict):
        raise NotImplementedError

    def visible(self, request, queryset):
        return queryset

    def get(self, request, dataset_id):
        dataset = access_dataset(request.user, dataset_id)
        settings = self.visible(request, self.model.objects.filter(dataset=dataset))
        return Response({"items": self.serializer_class(settings, many=True).data})

    def post(self, request, dataset_id):
        dataset = access_dataset(request.user, dataset_id, need="manage")
        body = self.create_serializer_class(data=request.data)
        body.is_valid(raise_exception=True)
        setting = self.add(dataset, dict(body.validated_data))
        return Response(self.serializer_class(setting).data, status=status.HTTP_201_CREATED)


class _SettingDetailView(GenericAPIView):
    """PATCH edits what stays editable; DELETE answers the deleted object (200)."""

    model: type
    update_serializer_class: type[Serializer]

    def changes(self, data: dict) -> dict:
        # argilla 2.x dumps the whole model: a null means "not set", except that a null
        # description clears it.
        return {
            key: value for key, value in data.items() if value is not None or key == "description"
        }

    def patch(self, request, setting_id):
        setting = access_dataset_child(request.user, self.model, setting_id, need="manage")
        body = self.update_serializer_class(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        setting = services.update_setting(
            setting=setting, **self.changes(dict(body.validated_data))
        )
        return Response(self.serializer_class(setting).data)

    def delete(self, request, setting_id):
        setting = access_dataset_child(request.user, self.model, setting_id, need="manage")
        data = self.serializer_class(setting).data
        services.delete_setting(setting=setting)
        return Response(data)


def _list_and_create(output, create):
    return extend_schema_view(
        get=extend_schema(responses={200: s.items_of(output)}),
        post=extend_schema(request=create, responses={201: output}),
    )


def _update_and_delete(output, update):
    return extend_schema_view(
        patch=extend_schema(request=update, responses={200: output}),
        delete=extend_schema(responses={200: output}),
    )


# ---------------------------------------------------------------------------- fields


@_list_and_create(s.FieldSerializer, s.FieldCreateSerializer)
class DatasetFieldsView(_DatasetSettingsView):
    model = Field
    serializer_class = s.FieldSerializer
    create_serializer_class = s.FieldCreateSerializer

    def add(self, dataset, data):
        return services.add_field(dataset=dataset, **data)


@_update_and_delete(s.FieldSerializer, s.FieldUpdateSerializer)
class FieldDetailView(_SettingDetailView):
    model = Field
    serializer_class = s.FieldSerializer
    update_serializer_class = s.FieldUpdateSerializer


# ------------------------------------------------------------------------- questions


@_list_and_create(s.QuestionSerializer, s.QuestionCreateSerializer)
class DatasetQuestionsView(_DatasetSettingsView):
    model = Question
    serializer_class = s.QuestionSerializer
    create_serializer_class = s.QuestionCreateSerializer

    def add(self, dataset, data):
        return services.add_question(dataset=dataset, **data)


@_update_and_delete(s.QuestionSerializer, s.QuestionUpdateSerializer)
class QuestionDetailView(_SettingDetailView):
    model = Question
    serializer_class = s.QuestionSerializer
    update_serializer_class = s.QuestionUpdateSerializer


# --------------------------------------------------------------- metadata properties


class _MetadataPropertiesView(_DatasetSettingsView):
    model = MetadataProperty
    serializer_class = s.MetadataPropertySerializer
    create_serializer_class = s.MetadataPropertyCreateSerializer

    def visible(self, request, queryset):
        return visible_metadata_properties(request.user, queryset)

    def add(self, dataset, data):
        # argilla 2.x sends `visible_for_annotators` inside `settings` and may send a null
        # top-level one; the service reads the settings value when the top-level key is absent.
        if data.get("visible_for_annotators") is None:
            data.pop("visible_for_annotators", None)
        return services.add_metadata_property(dataset=dataset, **data)


@extend_schema_view(get=extend_schema(responses={200: s.items_of(s.MetadataPropertySerializer)}))
class MyDatasetMetadataPropertiesView(_MetadataPropertiesView):
    """`GET /api/v1/me/datasets/{id}/metadata-properties`: annotators see visible ones only."""

    http_method_names = ["get", "head", "options"]


@extend_schema_view(
    post=extend_schema(
        request=s.MetadataPropertyCreateSerializer, responses={201: s.MetadataPropertySerializer}
    )
)
class DatasetMetadataPropertiesView(_MetadataPropertiesView):
    http_method_names = ["post", "options"]


@_update_and_delete(s.MetadataPropertySerializer, s.MetadataPropertyUpdateSerializer)
class MetadataPropertyDetailView(_SettingDetailView):
    model = MetadataProperty
    serializer_class = s.MetadataPropertySerializer
    update_serializer_class = s.MetadataPropertyUpdateSerializer

    def changes(self, data):
        data = super().changes(data)
        settings = data.pop("settings", None) or {}
        if "visible_for_annotators" not in data:
            if isinstance(settings.get("visible_for_annotators"), bool):
                data["visible_for_annotators"] = settings["visible_for_annotators"]
        return data


# -------------------------------------------------------------------- vector settings


@_list_and_create(s.VectorSettingsSerializer, s.VectorSettingsCreateSerializer)
class DatasetVectorsSettingsView(_DatasetSettingsView):
    model = VectorSettings
    serializer_class = s.VectorSettingsSerializer
    create_serializer_class = s.VectorSettingsCreateSerializer

    def add(self, dataset, data):
        return services.add_vector_settings(dataset=dataset, **data)


@_update_and_delete(s.VectorSettingsSerializer, s.VectorSettingsUpdateSerializer)
class VectorSettingsDetailView(_SettingDetailView):
    model = VectorSettings
    serializer_class = s.VectorSettingsSerializer
    update_serializer_class = s.VectorSettingsUpdateSerializer

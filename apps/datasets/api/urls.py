"""Datasets and their settings under /api/v1 (no trailing slashes: the SDKs never redirect)."""

from django.urls import path

from apps.datasets.api import settings_views as settings
from apps.datasets.api import views

urlpatterns = [
    path("me/datasets", views.MyDatasetsView.as_view()),
    path("me/datasets/<str:dataset_id>/metrics", views.MyDatasetMetricsView.as_view()),
    path(
        "me/datasets/<str:dataset_id>/metadata-properties",
        settings.MyDatasetMetadataPropertiesView.as_view(),
    ),
    path("datasets", views.DatasetsView.as_view()),
    path("datasets/<str:dataset_id>", views.DatasetDetailView.as_view()),
    path("datasets/<str:dataset_id>/publish", views.DatasetPublishView.as_view()),
    path("datasets/<str:dataset_id>/progress", views.DatasetProgressView.as_view()),
    path("datasets/<str:dataset_id>/users/progress", views.DatasetUsersProgressView.as_view()),
    path("datasets/<str:dataset_id>/fields", settings.DatasetFieldsView.as_view()),
    path("datasets/<str:dataset_id>/questions", settings.DatasetQuestionsView.as_view()),
    path(
        "datasets/<str:dataset_id>/metadata-properties",
        settings.DatasetMetadataPropertiesView.as_view(),
    ),
    path(
        "datasets/<str:dataset_id>/vectors-settings", settings.DatasetVectorsSettingsView.as_view()
    ),
    path("fields/<str:setting_id>", settings.FieldDetailView.as_view()),
    path("questions/<str:setting_id>", settings.QuestionDetailView.as_view()),
    path("metadata-properties/<str:setting_id>", settings.MetadataPropertyDetailView.as_view()),
    path("vectors-settings/<str:setting_id>", settings.VectorSettingsDetailView.as_view()),
]

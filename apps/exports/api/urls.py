"""Exports and agreement under /api/v1 (no trailing slashes)."""

from django.urls import path

from apps.exports.api import views

urlpatterns = [
    path("datasets/<str:dataset_id>/export", views.DatasetExportView.as_view()),
    path("datasets/<str:dataset_id>/exports", views.DatasetExportJobsView.as_view()),
    path("datasets/<str:dataset_id>/agreement", views.DatasetAgreementView.as_view()),
    path("exports/<str:export_id>", views.ExportJobView.as_view()),
    path("exports/<str:export_id>/file", views.ExportJobFileView.as_view()),
]

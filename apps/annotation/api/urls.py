"""Loam's work-queue extension of /api/v1 (no trailing slashes, like the Argilla paths)."""

from django.urls import path

from apps.annotation.api import views

urlpatterns = [
    path("datasets/<str:dataset_id>/records/next", views.NextRecordView.as_view()),
]

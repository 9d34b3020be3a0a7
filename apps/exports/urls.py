"""Web pages of the exports app (include in config/urls.py: path("", include(...)))."""

from django.urls import path

from apps.exports import views

app_name = "exports"

urlpatterns = [
    path("datasets/<str:dataset_id>/dashboard", views.dashboard, name="dashboard"),
    path("datasets/<str:dataset_id>/dashboard/export", views.export, name="export"),
]

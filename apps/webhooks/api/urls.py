"""Webhooks under /api/v1 (no trailing slashes: the SDK never redirects)."""

from django.urls import path

from apps.webhooks.api import views

urlpatterns = [
    path("webhooks", views.WebhooksView.as_view()),
    path("webhooks/<str:webhook_id>", views.WebhookDetailView.as_view()),
    path("webhooks/<str:webhook_id>/ping", views.WebhookPingView.as_view()),
]

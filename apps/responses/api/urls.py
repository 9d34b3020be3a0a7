from django.urls import path

from apps.responses.api import views

urlpatterns = [
    path("records/<str:record_id>/responses", views.RecordResponsesView.as_view()),
    path("responses/<str:response_id>", views.ResponseView.as_view()),
]

from django.urls import path

from apps.records.api import views

urlpatterns = [
    path("datasets/<str:dataset_id>/records", views.DatasetRecordsView.as_view()),
    path("datasets/<str:dataset_id>/records/bulk", views.DatasetRecordsBulkView.as_view()),
    path("datasets/<str:dataset_id>/records/search", views.DatasetRecordsSearchView.as_view()),
    path(
        "me/datasets/<str:dataset_id>/records/search",
        views.MyDatasetRecordsSearchView.as_view(),
    ),
    path("records/<str:record_id>", views.RecordView.as_view()),
    path("records/<str:record_id>/suggestions", views.RecordSuggestionsView.as_view()),
    path("suggestions/<str:suggestion_id>", views.SuggestionView.as_view()),
]

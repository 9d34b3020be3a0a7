from django.urls import path

from apps.annotation.web import bulk, focus, home, records_list

app_name = "annotation"

urlpatterns = [
    path("", home.home, name="home"),
    path("profile", home.profile, name="profile"),
    path("profile/api-key", home.rotate_api_key, name="rotate_api_key"),
    path("language", home.set_language, name="set_language"),
    path("datasets/<str:dataset_id>/annotate", focus.annotate, name="annotate"),
    # before `respond`, whose <action> would take "lease"
    path("datasets/<str:dataset_id>/records/<str:record_id>/lease", focus.lease, name="lease"),
    path(
        "datasets/<str:dataset_id>/records/<str:record_id>/<slug:action>",
        focus.respond,
        name="respond",
    ),
    path("datasets/<str:dataset_id>/release", focus.release, name="release"),
    path("datasets/<str:dataset_id>/records", records_list.records_list, name="records"),
    path(
        "datasets/<str:dataset_id>/bulk-answer",
        bulk.bulk_answer_view,
        name="bulk_answer",
    ),
]

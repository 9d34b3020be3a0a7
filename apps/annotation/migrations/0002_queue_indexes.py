"""Indexes the work queue walks on other apps' tables (see apps/annotation/ordering.py).

- records_record (dataset_id, status, id): the shuffled order (records by their random id);
- records_suggestion (question_id, score as a number, record_id): uncertainty sampling.

They live here, next to the queries that need them; the insertion order uses the records
app's own `record_dataset_status`.
"""

from django.db import migrations, models
from django.db.models import F

from apps.annotation.ordering import ScoreKey


def _indexes(apps):
    record = apps.get_model("records", "Record")
    suggestion = apps.get_model("records", "Suggestion")
    return [
        (record, models.Index(fields=["dataset", "status", "id"], name="record_dataset_status_id")),
        (
            suggestion,
            models.Index(
                F("question"), ScoreKey("score"), F("record"), name="suggestion_score_queue"
            ),
        ),
    ]


def create_indexes(apps, schema_editor):
    for model, index in _indexes(apps):
        schema_editor.add_index(model, index)


def drop_indexes(apps, schema_editor):
    for model, index in _indexes(apps):
        schema_editor.remove_index(model, index)


class Migration(migrations.Migration):
    dependencies = [("annotation", "0001_initial"), ("records", "0002_metadata_gin_index")]
    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]

"""The shuffled order's index holds only pending records, as the insertion order's does
(records.Record.Meta, `record_pending_order`): `record_pending_id` replaces
`record_dataset_status_id`."""

from django.db import migrations, models


def _old(apps):
    record = apps.get_model("records", "Record")
    return record, models.Index(fields=["dataset", "status", "id"], name="record_dataset_status_id")


def _new(apps):
    record = apps.get_model("records", "Record")
    return record, models.Index(
        fields=["dataset", "id"], name="record_pending_id", condition=models.Q(status="pending")
    )


def forwards(apps, schema_editor):
    for make, change in ((_new, schema_editor.add_index), (_old, schema_editor.remove_index)):
        model, index = make(apps)
        change(model, index)


def backwards(apps, schema_editor):
    for make, change in ((_old, schema_editor.add_index), (_new, schema_editor.remove_index)):
        model, index = make(apps)
        change(model, index)


class Migration(migrations.Migration):
    dependencies = [("annotation", "0002_queue_indexes"), ("records", "0005_pending_order_index")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]

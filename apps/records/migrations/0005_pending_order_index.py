"""The open work queue's insertion-order index holds only pending records (see Record.Meta)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("datasets", "0001_initial"),
        ("records", "0004_record_inserted_at_default"),
    ]

    operations = [
        # The new index first: the queue keeps an index to walk while this runs.
        migrations.AddIndex(
            model_name="record",
            index=models.Index(
                condition=models.Q(("status", "pending")),
                fields=["dataset", "inserted_at", "id"],
                name="record_pending_order",
            ),
        ),
        migrations.RemoveIndex(model_name="record", name="record_dataset_status"),
    ]

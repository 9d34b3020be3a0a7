"""A GIN index on record metadata for the metadata filters."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("records", "0001_initial")]
    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS record_metadata_gin "
            "ON records_record USING gin (metadata jsonb_path_ops)",
            "DROP INDEX IF EXISTS record_metadata_gin",
            elidable=False,
        )
    ]

"""Drop the GIN index on the whole of `metadata` (migration 0002): no query uses it. The
metadata filters and sorts compare `metadata -> 'name'`, which each property's own B-tree
reads (apps/records/metadata_index.py); a GIN over `metadata` only serves `metadata @> …`.
It cost ~10% of a record's insert at bulk ingest (104 vs 116 µs per record row, bench notes
in the commit)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("records", "0008_vector_real_array")]
    operations = [
        migrations.RunSQL(
            "DROP INDEX IF EXISTS record_metadata_gin",
            "CREATE INDEX IF NOT EXISTS record_metadata_gin "
            "ON records_record USING gin (metadata jsonb_path_ops)",
            elidable=False,
        )
    ]

"""Vectors as `real[]` instead of packed float32 bytes: PostgreSQL (and pgvector, through a
cast to `vector(dimensions)`) can then compute with them. Existing rows are converted."""

from array import array

import django.contrib.postgres.fields
from django.db import migrations

import apps.records.models

BATCH = 2000


def convert(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        last = None
        while True:
            cursor.execute(
                "SELECT id, value FROM records_vector"
                + (" WHERE id > %s" if last else "")
                + " ORDER BY id LIMIT %s",
                [last, BATCH] if last else [BATCH],
            )
            rows = cursor.fetchall()
            if not rows:
                return
            ids = [row[0] for row in rows]
            values = [array("f", bytes(row[1])).tolist() for row in rows]
            cursor.execute(
                "UPDATE records_vector t SET value_real = v.value::real[] "
                "FROM (SELECT unnest(%s::uuid[]) AS id, "
                "unnest(%s::text[]) AS value) v WHERE t.id = v.id",
                [ids, ["{" + ",".join(map(repr, value)) + "}" for value in values]],
            )
            last = ids[-1]


def convert_back(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT id, value FROM records_vector")
        for vector_id, value in cursor.fetchall():
            cursor.execute(
                "UPDATE records_vector SET value_bytes = %s WHERE id = %s",
                [array("f", value).tobytes(), vector_id],
            )


class Migration(migrations.Migration):
    dependencies = [("records", "0007_record_search_vector")]
    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    "ALTER TABLE records_vector ADD COLUMN value_real real[]",
                    "ALTER TABLE records_vector DROP COLUMN value;"
                    "ALTER TABLE records_vector RENAME COLUMN value_bytes TO value;"
                    "ALTER TABLE records_vector ALTER COLUMN value SET NOT NULL",
                ),
                migrations.RunPython(convert, convert_back),
                migrations.RunSQL(
                    "ALTER TABLE records_vector DROP COLUMN value;"
                    "ALTER TABLE records_vector RENAME COLUMN value_real TO value;"
                    "ALTER TABLE records_vector ALTER COLUMN value SET NOT NULL",
                    "ALTER TABLE records_vector ADD COLUMN value_bytes bytea",
                ),
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="vector",
                    name="value",
                    field=django.contrib.postgres.fields.ArrayField(
                        base_field=apps.records.models.Float4Field(),
                        size=None,
                        verbose_name="value",
                    ),
                )
            ],
        )
    ]

"""Drop the foreign-key indexes that other indexes already cover (their leading column).

Each bulk insert writes every index of records_record and records_suggestion; these five
only cost writes. Only the indexes go: Django's plain AlterField would also drop and re-add
the foreign keys, re-validating every row of the tables under a lock.
"""

import django.db.models.deletion
from django.db import migrations, models

# (table, index, column): Django's generated names (the same on SQLite, which Loam once ran on).
REDUNDANT = [
    ("records_record", "records_record_dataset_id_68ee876e", "dataset_id"),
    ("records_suggestion", "records_suggestion_question_id_6a249697", "question_id"),
    ("records_suggestion", "records_suggestion_record_id_16453bc9", "record_id"),
    ("records_vector", "records_vector_record_id_d26b9238", "record_id"),
    ("records_vector", "records_vector_vector_settings_id_a36aef26", "vector_settings_id"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("datasets", "0001_initial"),
        ("records", "0002_metadata_gin_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f"DROP INDEX IF EXISTS {index}",
                    reverse_sql=f"CREATE INDEX IF NOT EXISTS {index} ON {table} ({column})",
                )
                for table, index, column in REDUNDANT
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="record",
                    name="dataset",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="records",
                        to="datasets.dataset",
                        verbose_name="dataset",
                    ),
                ),
                migrations.AlterField(
                    model_name="suggestion",
                    name="question",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="suggestions",
                        to="datasets.question",
                        verbose_name="question",
                    ),
                ),
                migrations.AlterField(
                    model_name="suggestion",
                    name="record",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="suggestions",
                        to="records.record",
                        verbose_name="record",
                    ),
                ),
                migrations.AlterField(
                    model_name="vector",
                    name="record",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="vectors",
                        to="records.record",
                        verbose_name="record",
                    ),
                ),
                migrations.AlterField(
                    model_name="vector",
                    name="vector_settings",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="vectors",
                        to="datasets.vectorsettings",
                        verbose_name="vector settings",
                    ),
                ),
            ],
        ),
    ]

"""Writing records with their suggestions and vectors, validated and all-or-nothing."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.datasets.errors import Problems, ValidationFailed
from apps.datasets.models import Dataset
from apps.datasets.schema import DatasetSchema
from apps.records.models import Record, Suggestion, Vector
from apps.records.validation import CleanRecord, clean_records


def ensure_published(dataset: Dataset) -> None:
    if not dataset.is_published:
        raise ValidationFailed.single(
            ("dataset",), _("Records cannot be added to a dataset that is not published.")
        )


def _check_new_external_ids(dataset: Dataset, records: list[CleanRecord]) -> None:
    external_ids = [r.external_id for r in records if r.external_id is not None]
    if not external_ids:
        return
    taken = set(
        Record.objects.filter(dataset=dataset, external_id__in=external_ids).values_list(
            "external_id", flat=True
        )
    )
    problems = Problems()
    for index, record in enumerate(records):
        if record.external_id in taken:
            problems.add(
                ("items", index, "external_id"),
                _("A record with external_id %(id)r already exists in this dataset.")
                % {"id": record.external_id},
            )
    problems.raise_if_any()


@transaction.atomic
def create_records(
    *, dataset: Dataset, items: list, schema: DatasetSchema | None = None
) -> list[Record]:
    """Validate and insert new records (with suggestions and vectors) in bulk.

    A constant number of queries whatever len(items): schema, external-id check, and one
    INSERT per table.
    """
    ensure_published(dataset)
    schema = schema or DatasetSchema.load(dataset)
    cleaned = clean_records(schema, items)
    _check_new_external_ids(dataset, cleaned)
    now = timezone.now()
    records = [
        Record(
            dataset=dataset,
            external_id=item.external_id,
            fields=item.fields,
            metadata=item.metadata or {},
            inserted_at=now,
            updated_at=now,
        )
        for item in cleaned
    ]
    Record.objects.bulk_create(records)
    Suggestion.objects.bulk_create(
        Suggestion(
            record=record,
            question=s.question,
            value=s.value,
            score=s.score,
            agent=s.agent,
            type=s.type,
        )
        for record, item in zip(records, cleaned, strict=True)
        for s in item.suggestions
    )
    Vector.objects.bulk_create(
        Vector(
            record=record,
            vector_settings=schema.vectors_settings[name],
            value=Vector.pack(values),
        )
        for record, item in zip(records, cleaned, strict=True)
        for name, values in item.vectors.items()
    )
    Dataset.objects.filter(pk=dataset.pk).update(last_activity_at=now)
    return records

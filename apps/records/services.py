"""Writing records with their suggestions and vectors, validated and all-or-nothing.

The API's bulk writes (create, upsert, update, with responses) are in `upsert.py`, and
exported from here. Every
insertion sends `signals.records_inserted` (the work queue deals the new records; webhooks),
every deletion `signals.records_deleting` first.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.errors import Problem, Problems, ValidationFailed
from apps.datasets.models import Dataset
from apps.datasets.schema import DatasetSchema
from apps.records import signals
from apps.records.models import Record, Suggestion, Vector
from apps.records.upsert import (  # noqa: F401  (the bulk writes: this is the app's face)
    MAX_BULK_ITEMS,
    UpsertResult,
    upsert_records,
)
from apps.records.validation import (
    CleanRecord,
    clean_records,
    clean_suggestions,
    ensure_published,
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
            # A microsecond apart, so the default order (inserted_at, id) is request order.
            inserted_at=now + timedelta(microseconds=index),
            updated_at=now,
        )
        for index, item in enumerate(cleaned)
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
            value=values,
        )
        for record, item in zip(records, cleaned, strict=True)
        for name, values in item.vectors.items()
    )
    Dataset.objects.filter(pk=dataset.pk).update(last_activity_at=now)
    signals.records_inserted.send(sender=Record, dataset=dataset, records=records)
    return records


@transaction.atomic
def delete_records(*, dataset: Dataset, ids: list) -> int:
    """Delete the given records of `dataset` (ids of other datasets are ignored)."""
    signals.records_deleting.send(
        sender=Record, dataset=dataset, records=Record.objects.filter(dataset=dataset, pk__in=ids)
    )
    deleted, _detail = Record.objects.filter(dataset=dataset, pk__in=ids).delete()
    Dataset.objects.filter(pk=dataset.pk).update(last_activity_at=timezone.now())
    return deleted


@transaction.atomic
def delete_record(*, record: Record) -> None:
    dataset_id = record.dataset_id
    signals.records_deleting.send(sender=Record, dataset=None, records=[record])
    record.delete()
    Dataset.objects.filter(pk=dataset_id).update(last_activity_at=timezone.now())


@transaction.atomic
def upsert_suggestion(*, record: Record, data, schema: DatasetSchema) -> tuple[Suggestion, bool]:
    """Create or replace the suggestion for one question of `record`; (suggestion, created)."""
    if not isinstance(data, dict):
        raise ValidationFailed.single((), _("A suggestion must be an object."))
    problems = Problems()
    cleaned = clean_suggestions(problems, schema, [data], record.fields)
    if problems:
        # Locations start with ("suggestions", 0); the body is the suggestion itself.
        raise ValidationFailed(Problem(p.loc[2:], p.message) for p in problems.items)
    s = cleaned[0]
    suggestion, created = Suggestion.objects.update_or_create(
        record=record,
        question=s.question,
        defaults={"value": s.value, "score": s.score, "agent": s.agent, "type": s.type},
    )
    return suggestion, created


@transaction.atomic
def delete_suggestions(*, record: Record, ids: list) -> int:
    return Suggestion.objects.filter(record=record, pk__in=ids).delete()[0]

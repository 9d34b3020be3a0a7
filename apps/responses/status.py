"""A record's status follows its submitted responses: completed at `min_submitted`.

Every write that changes a response's status locks the record rows first (in id order,
so concurrent writers never deadlock), then recomputes from committed data in one UPDATE.
"""

from collections.abc import Iterable
from uuid import UUID

from django.db.models import Case, Count, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual

from apps.datasets.models import Dataset
from apps.records.models import Record, RecordStatus
from apps.responses.models import Response, ResponseStatus


def lock_records(record_ids: Iterable[UUID]) -> None:
    """Row-lock records (PostgreSQL; SQLite serialises writers with BEGIN IMMEDIATE)."""
    list(
        Record.objects.select_for_update()
        .filter(pk__in=list(record_ids))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _status_for(min_submitted: int) -> Case:
    submitted = Coalesce(
        Subquery(
            Response.objects.filter(record=OuterRef("pk"), status=ResponseStatus.SUBMITTED)
            .order_by()
            .values("record")
            .annotate(n=Count("pk"))
            .values("n")[:1]
        ),
        0,
    )
    return Case(
        When(GreaterThanOrEqual(submitted, min_submitted), then=Value(RecordStatus.COMPLETED)),
        default=Value(RecordStatus.PENDING),
    )


def refresh_record_statuses(*, dataset: Dataset, record_ids: Iterable[UUID]) -> int:
    """Recompute the status of the given records (locked by the caller). One statement."""
    return Record.objects.filter(dataset=dataset, pk__in=list(record_ids)).update(
        status=_status_for(dataset.min_submitted)
    )


def recompute_dataset_statuses(*, dataset: Dataset) -> int:
    """Recompute every record of a dataset, e.g. after min_submitted changed. One statement."""
    return Record.objects.filter(dataset=dataset).update(status=_status_for(dataset.min_submitted))

"""How far a dataset is: records by status, and each annotator's answers and queue.

Constant query counts whatever the number of records or annotators.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from apps.annotation.models import Assignment
from apps.annotation.rules import pool_users, rules_for
from apps.datasets.models import Dataset
from apps.records.models import Record, RecordStatus
from apps.responses.models import Response, ResponseStatus


@dataclass(frozen=True)
class DatasetProgress:
    total: int
    pending: int
    completed: int


@dataclass(frozen=True)
class AnnotatorProgress:
    user_id: UUID
    username: str
    in_pool: bool
    submitted: int
    draft: int
    discarded: int
    remaining: int  # records still in their queue: pending, assigned to them, not answered


def datasets_progress(dataset_ids: Iterable[UUID]) -> dict[UUID, DatasetProgress]:
    """Records by status for each of `dataset_ids` (all zero when it has none). One query."""
    dataset_ids = list(dataset_ids)
    counts = dict.fromkeys(dataset_ids, DatasetProgress(0, 0, 0))
    rows = (
        Record.objects.filter(dataset_id__in=dataset_ids)
        .values("dataset_id")
        .annotate(total=Count("pk"), completed=Count("pk", filter=Q(status=RecordStatus.COMPLETED)))
        .order_by()
    )
    for row in rows:
        counts[row["dataset_id"]] = DatasetProgress(
            total=row["total"],
            pending=row["total"] - row["completed"],
            completed=row["completed"],
        )
    return counts


def with_record_counts(datasets: QuerySet[Dataset]) -> QuerySet[Dataset]:
    """`datasets` annotated with `records_total` and `records_completed` (subqueries in the
    same query: for lists of datasets, no query per row)."""
    records = Record.objects.filter(dataset=OuterRef("pk")).order_by().values("dataset")
    total = records.annotate(n=Count("pk")).values("n")
    completed = records.filter(status=RecordStatus.COMPLETED).annotate(n=Count("pk")).values("n")
    return datasets.annotate(
        records_total=Coalesce(Subquery(total), 0),
        records_completed=Coalesce(Subquery(completed), 0),
    )


def dataset_progress(dataset: Dataset) -> DatasetProgress:
    """Records of `dataset`: total, pending, completed. One query."""
    return datasets_progress([dataset.pk])[dataset.pk]


def annotator_progress(
    dataset: Dataset, *, progress: DatasetProgress | None = None
) -> list[AnnotatorProgress]:
    """Every pool member and everyone else who answered, by username. Four queries.

    Rules (1), the pool (1), responses by user, status and record status (1), and either
    the records still pending (1, open queue: everyone may take each of them) or the
    assignments still to answer (1, assigned mode). Pass `progress` to spare one.
    """
    rules = rules_for(dataset)
    pool = dict(pool_users(dataset, rules).values_list("pk", "username"))
    usernames = dict(pool)
    answered: dict[UUID, dict[str, int]] = {}
    answered_pending: dict[UUID, int] = {}
    rows = (
        Response.objects.filter(record__dataset=dataset)
        .values_list("user_id", "user__username", "status", "record__status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for user_id, username, status, record_status, n in rows:
        usernames[user_id] = username
        by_status = answered.setdefault(user_id, {})
        by_status[status] = by_status.get(status, 0) + n
        if record_status == RecordStatus.PENDING:
            answered_pending[user_id] = answered_pending.get(user_id, 0) + n

    if rules.is_assigned:
        still_to_answer = Response.objects.filter(record=OuterRef("record"), user=OuterRef("user"))
        remaining = dict(
            Assignment.objects.filter(dataset=dataset, record__status=RecordStatus.PENDING)
            .exclude(Exists(still_to_answer))
            .values_list("user_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
    else:
        pending = (progress or dataset_progress(dataset)).pending
        remaining = {user_id: pending - answered_pending.get(user_id, 0) for user_id in pool}

    result = []
    for user_id, username in sorted(usernames.items(), key=lambda item: item[1]):
        counts = answered.get(user_id, {})
        result.append(
            AnnotatorProgress(
                user_id=user_id,
                username=username,
                in_pool=user_id in pool,
                submitted=counts.get(ResponseStatus.SUBMITTED, 0),
                draft=counts.get(ResponseStatus.DRAFT, 0),
                discarded=counts.get(ResponseStatus.DISCARDED, 0),
                remaining=remaining.get(user_id, 0) if user_id in pool else 0,
            )
        )
    return result

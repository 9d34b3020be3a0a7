"""Where the annotator is: "n of N" in their queue, the way back to what they just answered,
and the walk through their own records of one status (draft, submitted, discarded).

A status walk follows the records' order (insertion time, then id), not the answers' times,
so a record keeps its place while it is edited. Every function runs a fixed number of
indexed queries, whatever the size of the dataset.
"""

from dataclasses import dataclass
from uuid import UUID

from django.db.models import Exists, OuterRef, Q

from apps.accounts.models import User
from apps.annotation.models import Assignment
from apps.annotation.rules import pool_users, rules_for
from apps.datasets.models import Dataset
from apps.records.models import Record, RecordStatus
from apps.responses.models import Response, ResponseStatus

PENDING = "pending"
VIEWS = (PENDING, *ResponseStatus.values)
FINAL = (ResponseStatus.SUBMITTED, ResponseStatus.DISCARDED)


@dataclass
class Position:
    view: str  # "pending" (the queue) or the status walked
    index: int | None = None  # 1-based place of the record shown; None: not in this view
    total: int = 0
    back: UUID | None = None  # queue: the record answered last before the one shown
    previous: UUID | None = None  # status walk: the neighbours of the record shown
    next: UUID | None = None


def clean_view(raw: str | None) -> str:
    return raw if raw in VIEWS else PENDING


def _mine(dataset: Dataset, user: User):
    return Response.objects.filter(user=user, record__dataset=dataset)


def remaining_for(dataset: Dataset, user: User, *, pending_records: int) -> int:
    """Records still waiting for `user`'s answer (their draft counts as waiting); none for
    someone outside the pool (an owner looking in). 3 queries."""
    rules = rules_for(dataset)
    if not pool_users(dataset, rules).filter(pk=user.pk).exists():
        return 0
    final_mine = _mine(dataset, user).filter(status__in=FINAL)
    if rules.is_assigned:
        answered = final_mine.filter(record=OuterRef("record"))
        return (
            Assignment.objects.filter(
                dataset=dataset, user=user, record__status=RecordStatus.PENDING
            )
            .exclude(Exists(answered))
            .count()
        )
    return pending_records - final_mine.filter(record__status=RecordStatus.PENDING).count()


def queue_position(
    dataset: Dataset, user: User, record: Record | None, *, progress, remaining: int
) -> Position:
    """The queue: "n of N" counts what `user` answered plus what still waits for them."""
    answered = progress.mine.submitted + progress.mine.discarded
    position = Position(view=PENDING, total=answered + remaining)
    if record is None:
        return position
    mine = _mine(dataset, user)
    shown = mine.filter(record=record).first()
    final = shown is not None and shown.status in FINAL
    if not final:
        position.index = answered + 1
    history = mine.filter(status__in=FINAL).exclude(record=record)
    if final:
        history = history.filter(updated_at__lt=shown.updated_at)
    position.back = history.order_by("-updated_at").values_list("record_id", flat=True).first()
    return position


def _before(record: Record) -> Q:
    return Q(record__inserted_at__lt=record.inserted_at) | Q(
        record__inserted_at=record.inserted_at, record_id__lt=record.pk
    )


def _after(record: Record) -> Q:
    return Q(record__inserted_at__gt=record.inserted_at) | Q(
        record__inserted_at=record.inserted_at, record_id__gt=record.pk
    )


def walk_position(dataset: Dataset, user: User, status: str, record: Record | None) -> Position:
    """`record`'s place among `user`'s records whose answer has `status`. 5 queries."""
    of_status = _mine(dataset, user).filter(status=status)
    position = Position(view=status, total=of_status.count())
    if record is None:
        return position
    ids = of_status.values_list("record_id", flat=True)
    position.previous = (
        ids.filter(_before(record)).order_by("-record__inserted_at", "-record_id").first()
    )
    position.next = ids.filter(_after(record)).order_by("record__inserted_at", "record_id").first()
    if of_status.filter(record=record).exists():
        position.index = of_status.filter(_before(record)).count() + 1
    return position


def first_of(dataset: Dataset, user: User, status: str, *, after: Record | None = None):
    """The first record of `user`'s walk through `status` (after `after`, if given)."""
    of_status = _mine(dataset, user).filter(status=status)
    if after is not None:
        of_status = of_status.filter(_after(after))
    first = of_status.order_by("record__inserted_at", "record_id").values("record_id")[:1]
    return Record.objects.filter(pk__in=first).first()

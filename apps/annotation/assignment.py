"""Assigned mode: spreading records over the pool, `min_submitted` annotators each."""

import heapq
import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from apps.annotation.models import Assignment, AssignmentRules, QueueOrder
from apps.annotation.ordering import UNSCORED_POSITION, ScoreKey
from apps.datasets.models import Dataset
from apps.records.models import Record, RecordStatus, Suggestion
from apps.responses.models import Response, ResponseStatus

_DELETE_CHUNK = 500


@dataclass(frozen=True)
class RebalanceResult:
    added: int
    removed: int


def _scores(rules: AssignmentRules, record_ids: list[UUID] | None) -> dict[UUID, float]:
    """Numeric suggestion scores for the order question (all records when ids is None)."""
    if rules.order != QueueOrder.SUGGESTION_SCORE or rules.order_question_id is None:
        return {}
    suggestions = Suggestion.objects.filter(question_id=rules.order_question_id)
    if record_ids is not None:
        suggestions = suggestions.filter(record_id__in=record_ids)
    rows = suggestions.annotate(key=ScoreKey("score")).filter(key__isnull=False)
    return dict(rows.values_list("record_id", "key"))


class _Positions:
    """Where an assignment sorts in its annotator's queue, by the rules' order."""

    def __init__(self, rules: AssignmentRules, scores: dict[UUID, float]):
        self.shuffled = rules.order == QueueOrder.SHUFFLED
        self.by_score = (
            rules.order == QueueOrder.SUGGESTION_SCORE and rules.order_question_id is not None
        )
        self.scores = scores

    def __call__(self, record_id: UUID, inserted_at) -> float:
        if self.shuffled:
            return random.random()
        if self.by_score:
            return self.scores.get(record_id, UNSCORED_POSITION)
        return inserted_at.timestamp()


def deal_new_records(
    *, dataset: Dataset, rules: AssignmentRules, pool: list[UUID], records: Iterable[Record]
) -> int:
    """Deal new records round the pool, k distinct annotators each, from `next_offset`.

    Dealing in turn keeps shares even across batches without counting what exists; a
    re-balance evens out whatever drifted (pool changes, discards). One INSERT.
    """
    records = list(records)
    if not records or not pool:
        return 0
    per_record = min(dataset.min_submitted, len(pool))
    positions = _Positions(rules, _scores(rules, [r.pk for r in records]))
    start = rules.next_offset % len(pool)
    rows = []
    for index, record in enumerate(records):
        first = start + index * per_record
        for slot in range(per_record):
            rows.append(
                Assignment(
                    dataset=dataset,
                    record_id=record.pk,
                    user_id=pool[(first + slot) % len(pool)],
                    position=positions(record.pk, record.inserted_at),
                )
            )
    Assignment.objects.bulk_create(rows, ignore_conflicts=True)
    rules.next_offset = (start + len(records) * per_record) % len(pool)
    AssignmentRules.objects.filter(pk=rules.pk).update(next_offset=rules.next_offset)
    return len(rows)


def rebalance(
    *, dataset: Dataset, rules: AssignmentRules, pool: list[UUID], reposition: bool = False
) -> RebalanceResult:
    """Re-spread the pending records' assignments evenly over `pool`, keeping all work.

    Kept whatever happens: every response, and the assignments of annotators who submitted
    or hold a draft. Dropped: assignments of annotators who left the pool without answering
    or who discarded the record (it needs someone else). Each pending record then gets
    `min_submitted` annotators counting its submitters, preferring its current ones, and
    everyone ends within one record of the same load. Completed records are left alone.
    `reposition` recomputes every position (the order changed). Memory grows with the
    dataset; the number of queries does not (deletes go in chunks).
    """
    k = dataset.min_submitted
    pool_set = set(pool)
    records = list(
        Record.objects.filter(dataset=dataset, status=RecordStatus.PENDING)
        .order_by("inserted_at", "id")
        .values_list("id", "inserted_at")
    )
    pending = {record_id for record_id, _at in records}
    existing: dict[UUID, dict[UUID, UUID]] = defaultdict(dict)  # record → user → assignment
    for pk, record_id, user_id in Assignment.objects.filter(dataset=dataset).values_list(
        "pk", "record_id", "user_id"
    ):
        if record_id in pending:
            existing[record_id][user_id] = pk
    answers: dict[UUID, dict[UUID, str]] = defaultdict(dict)
    for record_id, user_id, status in Response.objects.filter(
        record__dataset=dataset, record__status=RecordStatus.PENDING
    ).values_list("record_id", "user_id", "status"):
        answers[record_id][user_id] = status

    fixed: dict[UUID, set[UUID]] = {}  # annotators whose share of the record never moves
    movable: dict[UUID, list[UUID]] = {}  # current assignees who may be moved away
    open_slots = 0
    for record_id, _at in records:
        given = answers.get(record_id, {})
        assignees = existing.get(record_id, {})
        working = {u for u, s in given.items() if s == ResponseStatus.SUBMITTED}
        working |= {u for u in assignees if given.get(u) == ResponseStatus.DRAFT}
        fixed[record_id] = working
        movable[record_id] = [u for u in assignees if u in pool_set and u not in given]
        open_slots += max(0, k - len(working))
    quota = _quotas(pool, open_slots, movable)

    load: dict[UUID, int] = dict.fromkeys(pool, 0)
    desired: dict[UUID, set[UUID]] = {}
    for record_id, _at in records:  # keep current assignees up to their quota
        chosen = set()
        for user_id in movable[record_id]:
            if len(fixed[record_id]) + len(chosen) >= k:
                break
            if load[user_id] < quota[user_id]:
                chosen.add(user_id)
                load[user_id] += 1
        desired[record_id] = chosen
    heap = [(count, str(user_id), user_id) for user_id, count in load.items()]
    heapq.heapify(heap)
    for record_id, _at in records:  # fill the remaining slots with the least loaded
        taken = fixed[record_id] | desired[record_id] | set(answers.get(record_id, {}))
        missing = k - len(fixed[record_id]) - len(desired[record_id])
        skipped = []
        while missing > 0 and heap:
            count, tie, user_id = heapq.heappop(heap)
            if user_id in taken:
                skipped.append((count, tie, user_id))
                continue
            desired[record_id].add(user_id)
            taken.add(user_id)
            missing -= 1
            heapq.heappush(heap, (count + 1, tie, user_id))
        for entry in skipped:
            heapq.heappush(heap, entry)

    return _write(dataset, rules, records, existing, fixed, desired, reposition)


def _quotas(pool: list[UUID], slots: int, movable: dict[UUID, list[UUID]]) -> dict[UUID, int]:
    """Each annotator's even share of `slots`; the remainder goes to those who hold the most
    already, so that evening out moves as few assignments as possible."""
    if not pool:
        return {}
    share, remainder = divmod(slots, len(pool))
    held: dict[UUID, int] = dict.fromkeys(pool, 0)
    for assignees in movable.values():
        for user_id in assignees:
            held[user_id] += 1
    by_holding = sorted(pool, key=lambda user_id: (-held[user_id], str(user_id)))
    return {
        user_id: share + (1 if rank < remainder else 0) for rank, user_id in enumerate(by_holding)
    }


def _write(dataset, rules, records, existing, fixed, desired, reposition) -> RebalanceResult:
    positions = _Positions(rules, _scores(rules, None))
    removed: list[UUID] = []
    added: list[Assignment] = []
    for record_id, inserted_at in records:
        current = existing.get(record_id, {})
        # Submitters who were never assigned (they answered some other way) stay unassigned.
        keep = (fixed[record_id] & current.keys()) | desired[record_id]
        for user_id, pk in current.items():
            if user_id not in keep or reposition:
                removed.append(pk)
        for user_id in keep:
            if user_id not in current or reposition:
                position = positions(record_id, inserted_at)
                added.append(
                    Assignment(
                        dataset=dataset, record_id=record_id, user_id=user_id, position=position
                    )
                )
    for start in range(0, len(removed), _DELETE_CHUNK):
        Assignment.objects.filter(pk__in=removed[start : start + _DELETE_CHUNK]).delete()
    Assignment.objects.bulk_create(added, batch_size=5000)
    return RebalanceResult(added=len(added), removed=len(removed))


def drop_assignments(*, dataset: Dataset) -> int:
    """Forget every assignment of the dataset (back to the open queue). One DELETE."""
    deleted, _by_model = Assignment.objects.filter(dataset=dataset).delete()
    return deleted

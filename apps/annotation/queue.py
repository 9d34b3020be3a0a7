"""The work queue: the next record for an annotator, leases and skips.

`next_record` looks, in this order, for the annotator's oldest draft, the record they
already hold on lease, a new record from their queue (the dataset's mode and order, see
`ordering`), then the records they skipped. The record found is leased to them for the
rules' `lease_minutes`; a lease counts towards the record's overlap until it expires, so
with `min_submitted = k` no more than k annotators hold or have submitted a record.

Concurrency: the new record is taken with `SELECT … FOR UPDATE SKIP LOCKED` (annotators
racing for the same record spread over the next ones instead of waiting), and its room is
re-checked by the statement that writes the lease, in a fresh snapshot that sees every
lease committed before.

Each call runs a constant number of indexed queries. The scan for a new record resumes at
the annotator's *mark*, the first record of their order they have neither answered nor
skipped, so it does not walk back over everything they did. Marks restart from the
beginning when they are older than the lease (which bounds how long anything can be
missed), when min_submitted or the rules change, and when records are inserted where they
may sort before a mark.
"""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.annotation.models import AnnotatorQueue, AssignmentRules, Skip
from apps.annotation.ordering import Segment, segments_for
from apps.annotation.scan import (
    Asker,
    key_of,
    rules_and_membership,
    seat_with_rules,
    write_seat,
)
from apps.core.errors import ValidationFailed
from apps.datasets.models import Dataset
from apps.records.models import Record

# A locked candidate that turns out full (a lease committed meanwhile): try the next ones.
_CLAIM_ATTEMPTS = 3


@dataclass(frozen=True)
class Mark:
    """Where an annotator's next scan resumes, and what it was found under.

    Stored in `AnnotatorQueue.mark` as JSON with short keys (`as_json`): rows written before
    this class existed read back unchanged, and `restart_marks` filters on `end`.
    """

    since: str  # ISO time the scan last started from the beginning ("at")
    min_submitted: int | None = None  # the dataset's min_submitted then ("m")
    rules: str | None = None  # `_rules_signature` then ("r")
    segment: int | None = None  # index of the segment the mark is in ("s")
    key: list | None = None  # order key of the first record still owed, JSON-ready ("k")
    exhausted: bool = False  # nothing left to owe from the start ("end")

    @classmethod
    def from_json(cls, stored: dict | None) -> "Mark | None":
        if not stored or "at" not in stored:
            return None
        return cls(
            since=stored["at"],
            min_submitted=stored.get("m"),
            rules=stored.get("r"),
            segment=stored.get("s"),
            key=stored.get("k"),
            exhausted=bool(stored.get("end")),
        )

    def as_json(self) -> dict:
        stored = {"at": self.since, "m": self.min_submitted, "r": self.rules}
        if self.segment is not None:
            stored.update(s=self.segment, k=self.key)
        if self.exhausted:
            stored["end"] = True
        return stored


@dataclass
class _Turn:
    """One call of next_record: who asks, under which rules, at what time."""

    dataset: Dataset
    user: User
    rules: AssignmentRules
    seat: AnnotatorQueue
    now: datetime
    asker: Asker
    mark: Mark | None = None  # the new mark to save, once the scan ran
    lease_expires_at: datetime | None = None  # of the lease last written

    @property
    def lease(self) -> timedelta:
        return timedelta(minutes=self.rules.lease_minutes)


def _take(turn: _Turn, record: Record | None, *, check_room: bool) -> bool:
    """Lease `record` (None: hold nothing) to the annotator and save their mark. With
    `check_room`, only if the record still has room (see `write_seat`). Whether taken."""
    turn.lease_expires_at = turn.now + turn.lease if record else None
    room = turn.asker.room() if check_room and not turn.rules.is_assigned else None
    return write_seat(
        turn.seat.pk,
        record_id=record.pk if record else None,
        lease_expires_at=turn.lease_expires_at,
        now=turn.now,
        mark=turn.mark.as_json() if turn.mark is not None else None,
        room=room,
    )


def _draft_or_held(turn: _Turn) -> Record | None:
    seat = turn.seat
    held = seat.record_id
    if held is not None and (seat.lease_expires_at is None or seat.lease_expires_at <= turn.now):
        held = None
    # Known from the locking query (see `seat_with_rules`); a seat just made knows nothing.
    may_draft, held_finished = getattr(seat, "may_draft", True), getattr(seat, "held_finished", 0)
    if not may_draft and (held is None or held_finished):
        return None
    record = turn.asker.draft_or_held(held, assigned=turn.rules.is_assigned)
    if record is not None:
        _take(turn, record, check_room=False)  # theirs already: it counts towards the room
    return record


def _first_skipped(turn: _Turn) -> Record | None:
    record = turn.asker.first_skipped(assigned=turn.rules.is_assigned)
    if record is not None and _take(turn, record, check_room=True):
        return record
    return None


def _claim(turn: _Turn, segment: Segment, key, *, mark_index: int | None = None) -> Record | None:
    """Lease the first record of `segment` from `key` on that still has room. With
    `mark_index` (the segment's place), the first attempt also moves the annotator's mark to
    the first record they owe from `key` on."""
    inclusive = True
    for _attempt in range(_CLAIM_ATTEMPTS):
        record = turn.asker.claim(
            segment,
            key,
            inclusive=inclusive,
            with_room=not turn.rules.is_assigned,
            with_mark=mark_index is not None,
        )
        if record is None:
            return None
        if mark_index is not None:
            turn.mark = replace(
                turn.mark, segment=mark_index, key=key_of(record, segment, prefix="mk")
            )
            mark_index = None
        if _take(turn, record, check_room=True):
            return record
        # A lease committed after the claim's snapshot filled it: try the next ones.
        key, inclusive = key_of(record, segment), False
    return None


def _rules_signature(rules: AssignmentRules) -> str:
    return f"{rules.mode}:{rules.order}:{rules.order_question_id}"


def _start(turn: _Turn) -> tuple[int, list | None] | None:
    """Where this turn's scan begins: the mark if still trusted, else the very start (None:
    the annotator had run out). Starts the turn's new mark."""
    stored = Mark.from_json(turn.seat.mark)
    signature = _rules_signature(turn.rules)
    fresh = (
        stored is not None
        and stored.min_submitted == turn.dataset.min_submitted
        and stored.rules == signature
        and datetime.fromisoformat(stored.since) > turn.now - turn.lease
    )
    since = stored.since if fresh else turn.now.isoformat()
    turn.mark = Mark(since=since, min_submitted=turn.dataset.min_submitted, rules=signature)
    if not fresh:
        return 0, None
    if stored.exhausted:
        return None
    return stored.segment, stored.key


def _scan(turn: _Turn) -> Record | None:
    """A new record for the annotator, moving their mark to the first one they still owe."""
    start = _start(turn)
    if start is None:
        turn.mark = replace(turn.mark, exhausted=True)
        return None
    segments = segments_for(
        rules=turn.rules, user=turn.user, seat=turn.seat, dataset_id=turn.dataset.pk
    )
    start_segment, start_key = start
    found_mark = False
    for index in range(start_segment, len(segments)):
        segment = segments[index]
        key = start_key if index == start_segment else None
        if found_mark:
            record = _claim(turn, segment, key)
        else:
            record = _claim(turn, segment, key, mark_index=index)
            if record is not None:
                return record
            # Nothing to take here: is anything still owed (held by others, say)?
            key = turn.asker.first_owed_key(segment, key)
            if key is not None:
                turn.mark = replace(turn.mark, segment=index, key=key)
                found_mark = True
            continue
        if record is not None:
            return record
    if not found_mark:
        turn.mark = replace(turn.mark, exhausted=True)
    return None


def _first_seat(dataset: Dataset, user: User) -> AnnotatorQueue:
    """The annotator's queue row, made on their first turn (`seat_with_rules` found none),
    locked: one call at a time per annotator and dataset. A concurrent first turn that made
    it meanwhile is found by get_or_create, which retries its lookup."""
    seat, _created = AnnotatorQueue.objects.select_for_update().get_or_create(
        dataset=dataset, user=user
    )
    return seat


@transaction.atomic
def next_record(*, dataset: Dataset, user: User) -> Record | None:
    """The record `user` should annotate next in `dataset`, leased to them; None if none.

    The record carries `lease_expires_at`, until when it is reserved for them.

    None means nothing is available to them right now: they are not in the pool, they have
    answered everything they may, or the remaining records are held by others (leases
    expire, so asking again later may give one).
    """
    found = seat_with_rules(dataset, user)
    if found is None:  # their first turn in this dataset
        rules, in_pool = rules_and_membership(dataset, user)
        seat = _first_seat(dataset, user) if in_pool else None
    else:
        seat, rules, in_pool = found
    if not in_pool:
        # Someone taken out of the pool gives back what they held.
        AnnotatorQueue.objects.filter(dataset=dataset, user=user, record__isnull=False).update(
            record=None, lease_expires_at=None
        )
        return None
    now = timezone.now()
    turn = _Turn(
        dataset=dataset,
        user=user,
        rules=rules,
        seat=seat,
        now=now,
        asker=Asker(
            dataset_id=dataset.pk, user_id=user.pk, now=now, min_submitted=dataset.min_submitted
        ),
    )
    record = _draft_or_held(turn) or _scan(turn) or _first_skipped(turn)
    if record is None:
        _take(turn, None, check_room=False)
        return None
    record.dataset = dataset  # callers submit next: spare them a query for it
    record.lease_expires_at = turn.lease_expires_at
    return record


@transaction.atomic
def skip(*, dataset: Dataset, user: User, record: Record) -> None:
    """Put `record` aside: `user` gets it again only once nothing else is left for them.

    Releases their lease on it, so someone else may take it meanwhile.
    """
    if record.dataset_id != dataset.pk:
        raise ValidationFailed.single(("record_id",), _("This record is not in this dataset."))
    Skip.objects.update_or_create(
        record=record, user=user, defaults={"dataset": dataset, "skipped_at": timezone.now()}
    )
    AnnotatorQueue.objects.filter(dataset=dataset, user=user, record=record).update(
        record=None, lease_expires_at=None
    )


@transaction.atomic
def release(*, dataset: Dataset, user: User) -> None:
    """Give back whatever `user` holds in `dataset` (e.g. they left the annotation view)."""
    AnnotatorQueue.objects.filter(dataset=dataset, user=user).update(
        record=None, lease_expires_at=None
    )


def restart_marks(*, dataset: Dataset, only_exhausted: bool = False) -> int:
    """Make every annotator's next scan start from the beginning of their order.

    Called when records may now sort before a mark (new records, re-balanced assignments).
    With `only_exhausted`, only annotators who had reached the end restart.
    """
    seats = AnnotatorQueue.objects.filter(dataset=dataset)
    if only_exhausted:
        seats = seats.filter(mark__end=True)
    return seats.update(mark=None)

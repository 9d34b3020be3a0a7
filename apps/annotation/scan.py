"""The queue's SQL: each function runs one statement (mostly over `records_record r`).

Written out by hand for speed (see `ordering`), with PostgreSQL's row locks (`SKIP LOCKED`)
and planner hints. psycopg binds UUIDs and aware datetimes as they are.
"""

import uuid
from collections.abc import Sequence
from datetime import datetime

from django.db import connection

from apps.accounts.models import Role, User
from apps.annotation.models import AnnotatorQueue, AssignmentRules, PoolKind, Skip
from apps.annotation.ordering import ASSIGNMENTS, RECORDS, Segment
from apps.records.models import Record, RecordStatus
from apps.records.sql import build, hot_cursor, rows_as
from apps.responses.models import Response, ResponseStatus
from apps.workspaces.models import WorkspaceMember

RESPONSES = Response._meta.db_table
SKIPS = Skip._meta.db_table
QUEUES = AnnotatorQueue._meta.db_table
RULES = AssignmentRules._meta.db_table
NAMED = AssignmentRules.annotators.through._meta.db_table
MEMBERS = WorkspaceMember._meta.db_table

_COLUMNS = ", ".join(f"r.{f.column}" for f in Record._meta.concrete_fields)
# Written into the SQL, not passed: a prepared statement's generic plan can use the queue's
# partial indexes (`WHERE status = 'pending'`) only when the condition is a literal.
_IS_PENDING = f"r.status = '{RecordStatus.PENDING}'"
_SUBMITTED = ResponseStatus.SUBMITTED
_DISCARDED = ResponseStatus.DISCARDED
_DRAFT = ResponseStatus.DRAFT
_MARK = AnnotatorQueue._meta.get_field("mark")


# Lock the record taken; pass over records someone else is taking.
_LOCK = " FOR UPDATE OF r SKIP LOCKED"


def _first_record(sql: str, params: Sequence) -> Record | None:
    return next(iter(rows_as(Record, sql, params)), None)


# Keeps a NOT EXISTS a lookup per candidate record (`OFFSET 0` stops the planner from
# turning it into an anti join). A scan stops after a few candidates, but the planner prices
# the anti join for the whole order: in the shuffled order (by record id) it chose a merge
# anti join that read every response of the annotator's, in record-id order, on every call:
# slower with each answer.
_PER_ROW_PROBE = " OFFSET 0"


def _relax_commit() -> str:
    """This transaction's commit need not wait for the WAL flush (a column
    for the rules query: `set_config(…, is_local)` is `SET LOCAL`, without a round trip).

    A lease is bookkeeping: should the server crash, losing the last few milliseconds of
    leases only hands those records out again. Only when the queue's transaction is the
    outermost one, so that no caller's write (a response!) is ever committed this way.
    """
    outermost = connection.in_atomic_block and not connection.savepoint_ids
    if outermost and connection.commit_on_exit:
        return ", set_config('synchronous_commit', 'off', true) AS relaxed"
    return ""


def _member_sql() -> str:
    return f"SELECT 1 FROM {MEMBERS} m WHERE m.workspace_id = %s AND m.user_id = %s"


def _named_sql(rules_alias: str) -> str:
    return (
        f"SELECT 1 FROM {NAMED} n WHERE n.assignmentrules_id = {rules_alias}.id AND n.user_id = %s"
    )


def _in_pool(user: User, rules: AssignmentRules, is_member, is_named) -> bool:
    """`rules.pool_users`' rule, with the role and activity read from `user` as loaded."""
    if not (user.is_active and is_member):
        return False
    if not rules._state.adding and rules.pool_kind == PoolKind.NAMED:
        return bool(is_named)
    return user.role == Role.ANNOTATOR


def rules_and_membership(dataset, user: User) -> tuple[AssignmentRules, bool]:
    """The dataset's rules (unsaved defaults without a row), and whether `user` is in its
    pool. One query; two for a dataset without rules. Relaxes the commit (see
    `_relax_commit`): only the queue calls it."""
    sql = (
        f"SELECT r.*, EXISTS({_member_sql()}) AS is_member, EXISTS({_named_sql('r')})"
        f" AS is_named{_relax_commit()} FROM {RULES} r WHERE r.dataset_id = %s"
    )
    params = [dataset.workspace_id, user.pk, user.pk, dataset.pk]
    rules = next(iter(rows_as(AssignmentRules, sql, params)), None)
    if rules is None:
        with hot_cursor() as cursor:
            cursor.execute(
                f"SELECT EXISTS({_member_sql()}){_relax_commit()}",
                [dataset.workspace_id, user.pk],
            )
            is_member = cursor.fetchone()[0]
        rules, is_named = AssignmentRules(dataset=dataset), False
    else:
        rules.dataset = dataset
        is_member, is_named = rules.is_member, rules.is_named
    return rules, _in_pool(user, rules, is_member, is_named)


_RULES_COLUMNS = [f.column for f in AssignmentRules._meta.concrete_fields]


def seat_with_rules(dataset, user: User):
    """(the annotator's queue row, locked; the rules; whether they are in the pool) in one
    query — what `rules_and_membership` answers, plus the locked row — or None before the
    annotator's first turn (no queue row yet). Relaxes the commit, as the first.

    The row also says whether the annotator may have a draft in the dataset (`may_draft`)
    and whether they have finished the record they hold (`held_finished`): when neither
    calls for it, the turn skips looking for a draft or the held record."""
    quote = connection.ops.quote_name
    rules_columns = ", ".join(f"g.{quote(c)} AS rule_{c}" for c in _RULES_COLUMNS)
    lock = " FOR UPDATE OF q" if connection.features.has_select_for_update else ""
    sql = (
        f"SELECT q.*, {rules_columns}, EXISTS({_member_sql()}) AS is_member,"
        f" EXISTS({_named_sql('g')}) AS is_named,"
        f" EXISTS(SELECT 1 FROM {RESPONSES} a JOIN {RECORDS} r ON r.id = a.record_id"
        " WHERE a.user_id = q.user_id AND a.status = %s AND r.dataset_id = q.dataset_id)"
        f" AS may_draft, EXISTS(SELECT 1 FROM {RESPONSES} a WHERE a.record_id = q.record_id"
        " AND a.user_id = q.user_id AND a.status IN (%s, %s)) AS held_finished"
        f"{_relax_commit()} FROM {QUEUES} q LEFT JOIN {RULES} g ON g.dataset_id = q.dataset_id"
        f" WHERE q.dataset_id = %s AND q.user_id = %s{lock}"
    )
    params = [dataset.workspace_id, user.pk, user.pk, _DRAFT, _SUBMITTED, _DISCARDED]
    params += [dataset.pk, user.pk]
    seat = next(iter(rows_as(AnnotatorQueue, sql, params)), None)
    if seat is None:
        return None
    if seat.rule_id is None:
        rules = AssignmentRules(dataset=dataset)
    else:
        values = [getattr(seat, f"rule_{c}") for c in _RULES_COLUMNS]
        rules = build(AssignmentRules, tuple(_RULES_COLUMNS), values)
        rules.dataset = dataset
    return seat, rules, _in_pool(user, rules, seat.is_member, seat.is_named)


def write_seat(
    seat_id, *, record_id, lease_expires_at, now: datetime, mark=None, room=None
) -> bool:
    """Record the lease (or its end) and, when given, the new mark. With `room` (an
    `Asker.room()`), only if the record still has room, checked in this statement's fresh
    snapshot, which sees every lease committed before. Whether the seat was written."""
    sets = "record_id = %s, lease_expires_at = %s, updated_at = %s"
    params = [record_id, lease_expires_at, now]
    if mark is not None:
        sets += ", mark = %s"
        params.append(_MARK.get_db_prep_value(mark, connection))
    sql = f"UPDATE {QUEUES} SET {sets} WHERE id = %s"
    params.append(seat_id)
    if room is not None:
        room_sql, room_params = room
        sql += f" AND EXISTS (SELECT 1 FROM {RECORDS} r WHERE r.id = %s{room_sql})"
        params += [record_id, *room_params]
    with hot_cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount == 1


class Asker:
    """The conditions shared by one annotator's queries at one moment."""

    def __init__(self, *, dataset_id, user_id, now: datetime, min_submitted: int):
        self.dataset_id = dataset_id
        self.user_id = user_id
        self.now = now
        self.min_submitted = min_submitted

    def _not_answered(self) -> tuple[str, list]:
        probe = _PER_ROW_PROBE
        return (
            f" AND NOT EXISTS (SELECT 1 FROM {RESPONSES} a"
            f" WHERE a.record_id = r.id AND a.user_id = %s{probe})"
            f" AND NOT EXISTS (SELECT 1 FROM {SKIPS} s"
            f" WHERE s.record_id = r.id AND s.user_id = %s{probe})",
            [self.user_id, self.user_id],
        )

    def _not_finished(self) -> tuple[str, list]:
        return (
            f" AND NOT EXISTS (SELECT 1 FROM {RESPONSES} a WHERE a.record_id = r.id"
            " AND a.user_id = %s AND a.status IN (%s, %s))",
            [self.user_id, _SUBMITTED, _DISCARDED],
        )

    def room(self) -> tuple[str, list]:
        """Submitted responses plus other annotators' live leases stay below min_submitted.

        A lease stops counting once its holder submitted (then the response counts) or
        discarded (then the record needs someone else).
        """
        return (
            f" AND ((SELECT COUNT(*) FROM {RESPONSES} c"
            " WHERE c.record_id = r.id AND c.status = %s)"
            f" + (SELECT COUNT(*) FROM {QUEUES} q WHERE q.record_id = r.id"
            " AND q.lease_expires_at > %s AND q.user_id <> %s"
            f" AND NOT EXISTS (SELECT 1 FROM {RESPONSES} d WHERE d.record_id = q.record_id"
            " AND d.user_id = q.user_id AND d.status IN (%s, %s)))) < %s",
            [_SUBMITTED, self.now, self.user_id, _SUBMITTED, _DISCARDED, self.min_submitted],
        )

    def _segment_from(self, segment: Segment, key, inclusive: bool) -> tuple[str, list]:
        sql = (
            f" FROM {RECORDS} r {segment.join}"
            f" WHERE r.dataset_id = %s AND {_IS_PENDING} {segment.where}"
        )
        params = [*segment.join_params, self.dataset_id, *segment.where_params]
        not_answered, more = self._not_answered()
        sql, params = sql + not_answered, params + more
        if key is not None:
            parts = [f.to_python(v) for f, v in zip(segment.key_fields, key, strict=True)]
            placeholders = ", ".join(["%s"] * len(parts))
            operator = ">=" if inclusive else ">"
            sql += f" AND ({', '.join(segment.keys)}) {operator} ({placeholders})"
            params += parts
        return sql, params

    def first_owed_key(self, segment: Segment, key) -> list | None:
        """The order key of the first record of `segment` from `key` on that this annotator
        has neither answered nor skipped, whether or not it has room. One query."""
        body, params = self._segment_from(segment, key, inclusive=True)
        names = ", ".join(f"{sql} AS qk{i}" for i, sql in enumerate(segment.keys))
        order = ", ".join(segment.keys)
        with hot_cursor() as cursor:
            cursor.execute(f"SELECT {names}{body} ORDER BY {order} LIMIT 1", params)
            row = cursor.fetchone()
        if row is None:
            return None
        return [_json(f.to_python(v)) for f, v in zip(segment.key_fields, row, strict=True)]

    def claim(
        self, segment: Segment, key, *, inclusive: bool, with_room: bool, with_mark: bool = False
    ) -> Record | None:
        """Lock the first record of `segment` from `key` on that this annotator owes and
        (`with_room`) that has room. One query; the record carries its key as `qk0…` and,
        `with_mark`, the key of the first record they owe from `key` on (room or not) as
        `mk0…` — what `first_owed_key` would answer, without a query of its own."""
        body, params = self._segment_from(segment, key, inclusive=inclusive)
        if with_room:
            room, more = self.room()
            body, params = body + room, params + more
        order = ", ".join(segment.keys)
        names = ", ".join(f"{sql} AS qk{i}" for i, sql in enumerate(segment.keys))
        if with_mark:
            owed, owed_params = self._segment_from(segment, key, inclusive=True)
            marks = [
                f"(SELECT {sql}{owed} ORDER BY {order} LIMIT 1) AS mk{i}"
                for i, sql in enumerate(segment.keys)
            ]
            names += ", " + ", ".join(marks)
            params = owed_params * len(marks) + params
        sql = f"SELECT {_COLUMNS}, {names}{body} ORDER BY {order} LIMIT 1{_LOCK}"
        return _first_record(sql, params)

    def _draft(self) -> tuple[str, list]:
        """The annotator's draft on the earliest record, skipped ones aside."""
        sql = (
            f"SELECT {_COLUMNS}, 0 AS pick FROM {RECORDS} r JOIN {RESPONSES} a"
            " ON a.record_id = r.id AND a.user_id = %s AND a.status = %s WHERE r.dataset_id = %s"
            f" AND NOT EXISTS (SELECT 1 FROM {SKIPS} s WHERE s.record_id = r.id AND s.user_id = %s)"
            " ORDER BY r.inserted_at, r.id LIMIT 1"
        )
        return sql, [self.user_id, _DRAFT, self.dataset_id, self.user_id]

    def _assigned_join(self, assigned: bool) -> tuple[str, list]:
        if not assigned:
            return "", []
        return (
            f" JOIN {ASSIGNMENTS} g ON g.record_id = r.id AND g.user_id = %s",
            [self.user_id],
        )

    def _held(self, record_id, *, assigned: bool) -> tuple[str, list]:
        """The record on lease, if still pending, unfinished (and still assigned)."""
        join, params = self._assigned_join(assigned)
        not_finished, more = self._not_finished()
        sql = (
            f"SELECT {_COLUMNS}, 1 AS pick FROM {RECORDS} r{join}"
            f" WHERE r.id = %s AND r.dataset_id = %s AND {_IS_PENDING}{not_finished}"
        )
        return sql, [*params, record_id, self.dataset_id, *more]

    def draft_or_held(self, held_id, *, assigned: bool) -> Record | None:
        """The annotator's first draft, else the record they hold (`held_id`, if any). One
        query: drafts come first."""
        sql, params = self._draft()
        if held_id is not None:
            held, more = self._held(held_id, assigned=assigned)
            sql = f"SELECT * FROM ({sql}) d UNION ALL {held} ORDER BY pick LIMIT 1"
            params += more
        return _first_record(sql, params)

    def first_skipped(self, *, assigned: bool) -> Record | None:
        """Lock the record the annotator skipped longest ago that they may still take."""
        join, params = self._assigned_join(assigned)
        not_finished, more = self._not_finished()
        sql = (
            f"SELECT {_COLUMNS} FROM {RECORDS} r"
            f" JOIN {SKIPS} s ON s.record_id = r.id AND s.user_id = %s{join}"
            f" WHERE r.dataset_id = %s AND {_IS_PENDING}{not_finished}"
        )
        params = [self.user_id, *params, self.dataset_id, *more]
        if not assigned:
            room, extra = self.room()
            sql, params = sql + room, params + extra
        return _first_record(sql + f" ORDER BY s.skipped_at, r.id LIMIT 1{_LOCK}", params)


def _json(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def key_of(record: Record, segment: Segment, prefix: str = "qk") -> list:
    """A claimed record's order key (`prefix="mk"`: the mark found with it), JSON-ready."""
    return [
        _json(f.to_python(getattr(record, f"{prefix}{i}")))
        for i, f in enumerate(segment.key_fields)
    ]

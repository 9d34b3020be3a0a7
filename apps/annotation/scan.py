"""The queue's SQL: each function runs one statement (mostly over the records table, `r`).

Written out by hand for speed (see `ordering`), with PostgreSQL's row locks (`SKIP LOCKED`)
and planner hints. psycopg binds UUIDs and aware datetimes as they are.

Parameters are named (`%(user)s`): a statement is put together from fragments, and a name
stands for one value wherever it appears, so the fragments' order does not matter. An
`Asker`'s statements bind its `params` (the annotator, the dataset, the moment, the
statuses) plus the segment's and the key's; psycopg ignores the names a statement does not
use.
"""

import uuid
from datetime import datetime

from django.db import connection

from apps.accounts.models import Role, User
from apps.annotation.models import AnnotatorQueue, AssignmentRules, PoolKind, Skip
from apps.annotation.ordering import ASSIGNMENTS, RECORDS, Segment
from apps.core.db import in_outermost_atomic_block
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
_STATUSES = {"submitted": _SUBMITTED, "discarded": _DISCARDED, "draft": _DRAFT}


# Lock the record taken; pass over records someone else is taking.
_LOCK = " FOR UPDATE OF r SKIP LOCKED"


def _first_record(sql: str, params: dict) -> Record | None:
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
    if in_outermost_atomic_block():
        return ", set_config('synchronous_commit', 'off', true) AS relaxed"
    return ""


def _merged(*parts: dict) -> dict:
    """The parameters of several fragments; a name bound twice must mean the same value."""
    params = {}
    for part in parts:
        for name, value in part.items():
            if params.setdefault(name, value) != value:
                raise ValueError(f"Parameter {name!r} bound to two values")
    return params


def _member_sql() -> str:
    return (
        f"SELECT 1 FROM {MEMBERS} m WHERE m.workspace_id = %(workspace)s AND m.user_id = %(user)s"
    )


def _named_sql(rules_alias: str) -> str:
    return (
        f"SELECT 1 FROM {NAMED} n"
        f" WHERE n.assignmentrules_id = {rules_alias}.id AND n.user_id = %(user)s"
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
        f" AS is_named{_relax_commit()} FROM {RULES} r WHERE r.dataset_id = %(dataset)s"
    )
    params = {"workspace": dataset.workspace_id, "user": user.pk, "dataset": dataset.pk}
    rules = next(iter(rows_as(AssignmentRules, sql, params)), None)
    if rules is None:
        with hot_cursor() as cursor:
            cursor.execute(f"SELECT EXISTS({_member_sql()}){_relax_commit()}", params)
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
        " WHERE a.user_id = q.user_id AND a.status = %(draft)s AND r.dataset_id = q.dataset_id)"
        f" AS may_draft, EXISTS(SELECT 1 FROM {RESPONSES} a WHERE a.record_id = q.record_id"
        " AND a.user_id = q.user_id AND a.status IN (%(submitted)s, %(discarded)s))"
        f" AS held_finished{_relax_commit()}"
        f" FROM {QUEUES} q LEFT JOIN {RULES} g ON g.dataset_id = q.dataset_id"
        f" WHERE q.dataset_id = %(dataset)s AND q.user_id = %(user)s{lock}"
    )
    params = {
        "workspace": dataset.workspace_id,
        "user": user.pk,
        "dataset": dataset.pk,
        **_STATUSES,
    }
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
    sets = "record_id = %(record)s, lease_expires_at = %(lease_expires_at)s, updated_at = %(now)s"
    params = {
        "record": record_id,
        "lease_expires_at": lease_expires_at,
        "now": now,
        "seat": seat_id,
    }
    if mark is not None:
        sets += ", mark = %(mark)s"
        params["mark"] = _MARK.get_db_prep_value(mark, connection)
    sql = f"UPDATE {QUEUES} SET {sets} WHERE id = %(seat)s"
    if room is not None:
        room_sql, room_params = room
        sql += f" AND EXISTS (SELECT 1 FROM {RECORDS} r WHERE r.id = %(record)s{room_sql})"
        params = _merged(params, room_params)
    with hot_cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount == 1


class Asker:
    """The conditions shared by one annotator's queries at one moment, bound by name."""

    def __init__(self, *, dataset_id, user_id, now: datetime, min_submitted: int):
        self.params = {
            "dataset": dataset_id,
            "user": user_id,
            "now": now,
            "min_submitted": min_submitted,
            **_STATUSES,
        }

    def _not_answered(self) -> str:
        probe = _PER_ROW_PROBE
        return (
            f" AND NOT EXISTS (SELECT 1 FROM {RESPONSES} a"
            f" WHERE a.record_id = r.id AND a.user_id = %(user)s{probe})"
            f" AND NOT EXISTS (SELECT 1 FROM {SKIPS} s"
            f" WHERE s.record_id = r.id AND s.user_id = %(user)s{probe})"
        )

    def _not_finished(self) -> str:
        return (
            f" AND NOT EXISTS (SELECT 1 FROM {RESPONSES} a WHERE a.record_id = r.id"
            " AND a.user_id = %(user)s AND a.status IN (%(submitted)s, %(discarded)s))"
        )

    def room(self) -> tuple[str, dict]:
        """Submitted responses plus other annotators' live leases stay below min_submitted.

        A lease stops counting once its holder submitted (then the response counts) or
        discarded (then the record needs someone else).
        """
        return (
            f" AND ((SELECT COUNT(*) FROM {RESPONSES} c"
            " WHERE c.record_id = r.id AND c.status = %(submitted)s)"
            f" + (SELECT COUNT(*) FROM {QUEUES} q WHERE q.record_id = r.id"
            " AND q.lease_expires_at > %(now)s AND q.user_id <> %(user)s"
            f" AND NOT EXISTS (SELECT 1 FROM {RESPONSES} d WHERE d.record_id = q.record_id"
            " AND d.user_id = q.user_id AND d.status IN (%(submitted)s, %(discarded)s))))"
            " < %(min_submitted)s",
            self.params,
        )

    def _segment_from(self, segment: Segment, key, inclusive: bool) -> str:
        """FROM … WHERE for the records of `segment` the annotator owes, from `key` on
        (its parts bound as `key0`, `key1`…, see `_key_params`)."""
        sql = (
            f" FROM {RECORDS} r {segment.join}"
            f" WHERE r.dataset_id = %(dataset)s AND {_IS_PENDING} {segment.where}"
            f"{self._not_answered()}"
        )
        if key is not None:
            placeholders = ", ".join(f"%(key{i})s" for i in range(len(segment.key_fields)))
            operator = ">=" if inclusive else ">"
            sql += f" AND ({', '.join(segment.keys)}) {operator} ({placeholders})"
        return sql

    def _segment_params(self, segment: Segment, key) -> dict:
        """What a statement over `segment` from `key` binds."""
        params = _merged(self.params, segment.params)
        if key is not None:
            parts = zip(segment.key_fields, key, strict=True)
            params.update({f"key{i}": f.to_python(v) for i, (f, v) in enumerate(parts)})
        return params

    def first_owed_key(self, segment: Segment, key) -> list | None:
        """The order key of the first record of `segment` from `key` on that this annotator
        has neither answered nor skipped, whether or not it has room. One query."""
        body = self._segment_from(segment, key, inclusive=True)
        names = ", ".join(f"{sql} AS qk{i}" for i, sql in enumerate(segment.keys))
        order = ", ".join(segment.keys)
        with hot_cursor() as cursor:
            cursor.execute(
                f"SELECT {names}{body} ORDER BY {order} LIMIT 1",
                self._segment_params(segment, key),
            )
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
        body = self._segment_from(segment, key, inclusive=inclusive)
        if with_room:
            body += self.room()[0]
        order = ", ".join(segment.keys)
        names = ", ".join(f"{sql} AS qk{i}" for i, sql in enumerate(segment.keys))
        if with_mark:
            owed = self._segment_from(segment, key, inclusive=True)
            names += "".join(
                f", (SELECT {sql}{owed} ORDER BY {order} LIMIT 1) AS mk{i}"
                for i, sql in enumerate(segment.keys)
            )
        sql = f"SELECT {_COLUMNS}, {names}{body} ORDER BY {order} LIMIT 1{_LOCK}"
        return _first_record(sql, self._segment_params(segment, key))

    def _draft(self) -> str:
        """The annotator's draft on the earliest record, skipped ones aside."""
        return (
            f"SELECT {_COLUMNS}, 0 AS pick FROM {RECORDS} r JOIN {RESPONSES} a"
            " ON a.record_id = r.id AND a.user_id = %(user)s AND a.status = %(draft)s"
            " WHERE r.dataset_id = %(dataset)s"
            f" AND NOT EXISTS (SELECT 1 FROM {SKIPS} s"
            " WHERE s.record_id = r.id AND s.user_id = %(user)s)"
            " ORDER BY r.inserted_at, r.id LIMIT 1"
        )

    def _assigned_join(self, assigned: bool) -> str:
        if not assigned:
            return ""
        return f" JOIN {ASSIGNMENTS} g ON g.record_id = r.id AND g.user_id = %(user)s"

    def _held(self, *, assigned: bool) -> str:
        """The record on lease (`%(held)s`), if still pending, unfinished (and still
        assigned)."""
        return (
            f"SELECT {_COLUMNS}, 1 AS pick FROM {RECORDS} r{self._assigned_join(assigned)}"
            f" WHERE r.id = %(held)s AND r.dataset_id = %(dataset)s AND {_IS_PENDING}"
            f"{self._not_finished()}"
        )

    def draft_or_held(self, held_id, *, assigned: bool) -> Record | None:
        """The annotator's first draft, else the record they hold (`held_id`, if any). One
        query: drafts come first."""
        sql = self._draft()
        if held_id is None:
            return _first_record(sql, self.params)
        sql = f"SELECT * FROM ({sql}) d UNION ALL {self._held(assigned=assigned)}"
        return _first_record(f"{sql} ORDER BY pick LIMIT 1", {**self.params, "held": held_id})

    def first_skipped(self, *, assigned: bool) -> Record | None:
        """Lock the record the annotator skipped longest ago that they may still take."""
        sql = (
            f"SELECT {_COLUMNS} FROM {RECORDS} r"
            f" JOIN {SKIPS} s ON s.record_id = r.id AND s.user_id = %(user)s"
            f"{self._assigned_join(assigned)}"
            f" WHERE r.dataset_id = %(dataset)s AND {_IS_PENDING}{self._not_finished()}"
        )
        if not assigned:
            sql += self.room()[0]
        return _first_record(sql + f" ORDER BY s.skipped_at, r.id LIMIT 1{_LOCK}", self.params)


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

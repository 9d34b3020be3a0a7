"""A record's status follows its submitted responses: completed at `min_submitted`.

Every write that changes a response's status locks the record rows first (in id order,
so concurrent writers never deadlock), then recomputes in one UPDATE: `status_update`, run
alone (a deletion, a new min_submitted) or inside the statement that writes the responses
(`services._write`). `status_case` is the rule and `submitted_count` the count, each
written once. The statements are written out by hand: they run on every submit.
"""

from collections.abc import Iterable
from uuid import UUID

from apps.datasets.models import Dataset
from apps.records.models import Record, RecordStatus
from apps.records.sql import for_update, hot_cursor, in_ids
from apps.responses import signals
from apps.responses.models import Response, ResponseStatus

DATASETS = Dataset._meta.db_table
RECORDS = Record._meta.db_table
RESPONSES = Response._meta.db_table


def lock_records(record_ids: Iterable[UUID]) -> None:
    """Row-lock records, in id order."""
    ids = sorted(set(record_ids))
    if not ids:
        return
    where, params = in_ids("id", ids)
    with hot_cursor() as cursor:
        cursor.execute(f"SELECT id FROM {RECORDS} WHERE {where} ORDER BY id{for_update()}", params)


def status_case(submitted_count: str, dataset_id) -> tuple[str, list]:
    """The rule, as SQL: the status of a record with `submitted_count` (an SQL expression)
    submitted responses. min_submitted is read in the statement: a caller's Dataset object
    may be out of date."""
    return (
        f"CASE WHEN {submitted_count} >= (SELECT min_submitted FROM {DATASETS} WHERE id = %s)"
        " THEN %s ELSE %s END",
        [dataset_id, RecordStatus.COMPLETED, RecordStatus.PENDING],
    )


def submitted_count(record_id: str, saved: str | None = None) -> str:
    """The count, as SQL: the submitted responses of the record whose id is the SQL
    `record_id`. `saved` names a CTE of responses the same statement writes, which its
    snapshot does not show yet: they count instead of the stored rows they replace."""
    stored = (
        f"SELECT COUNT(*) FROM {RESPONSES} c WHERE c.record_id = {record_id}"
        f" AND c.status = '{ResponseStatus.SUBMITTED}'"
    )
    if saved is None:
        return f"({stored})"
    return (
        f"(({stored} AND NOT EXISTS (SELECT FROM {saved} s WHERE s.record_id = c.record_id"
        f" AND s.user_id = c.user_id)) + (SELECT COUNT(*) FROM {saved} s"
        f" WHERE s.record_id = {record_id} AND s.status = '{ResponseStatus.SUBMITTED}'))"
    )


def status_update(
    dataset_id, where: str, where_params: list, saved: str | None = None
) -> tuple[str, list]:
    """The UPDATE setting each of the dataset's records (narrowed by `where`) to the status
    its submitted responses call for, returning (id, status) of those it changed. Only
    records whose status changes are written: a submit that leaves a record pending costs no
    new row version (and no index entries) of the record."""
    case, case_params = status_case(submitted_count(f"{RECORDS}.id", saved), dataset_id)
    sql = (
        f"UPDATE {RECORDS} SET status = {case} WHERE dataset_id = %s AND {where}"
        f" AND status <> {case} RETURNING id, status"
    )
    return sql, [*case_params, dataset_id, *where_params, *case_params]


def announce_completed(dataset: Dataset, changed) -> None:
    """`changed`: (record id, new status) pairs; the records that became completed are
    announced (`signals.records_completed`)."""
    completed = list(
        dict.fromkeys(rid for rid, status in changed if status == RecordStatus.COMPLETED)
    )
    if completed:
        signals.records_completed.send(sender=Record, dataset=dataset, record_ids=completed)


def _write_statuses(dataset: Dataset, where: str = "TRUE", where_params: list | None = None) -> int:
    sql, params = status_update(dataset.pk, where, where_params or [])
    with hot_cursor() as cursor:
        cursor.execute(sql, params)
        changed = cursor.fetchall()
    announce_completed(dataset, changed)
    return len(changed)


def refresh_record_statuses(*, dataset: Dataset, record_ids: Iterable[UUID]) -> int:
    """Recompute the status of the given records (locked by the caller). One statement."""
    ids = list(record_ids)
    if not ids:
        return 0
    where, params = in_ids("id", ids)
    return _write_statuses(dataset, where, params)


def recompute_dataset_statuses(*, dataset: Dataset) -> int:
    """Recompute every record of a dataset, e.g. after min_submitted changed. One statement."""
    return _write_statuses(dataset)


def recompute_after_min_submitted(sender, dataset: Dataset, **kwargs) -> None:
    """Receiver of `datasets.signals.min_submitted_changed` (connected in apps.py)."""
    recompute_dataset_statuses(dataset=dataset)

"""A record's status follows its submitted responses: completed at `min_submitted`.

Every write that changes a response's status locks the record rows first (in id order,
so concurrent writers never deadlock), then recomputes from committed data in one UPDATE.
Both statements are written out by hand: they run on every submit.
"""

from collections.abc import Iterable
from uuid import UUID

from apps.datasets.models import Dataset
from apps.records.models import Record, RecordStatus
from apps.records.sql import for_update, hot_cursor, in_ids
from apps.responses.models import Response, ResponseStatus
from apps.webhooks import events as webhooks

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


def _write_statuses(dataset: Dataset, where: str = "", where_params: list | None = None) -> int:
    """Set each of the dataset's records (narrowed by `where`) to the status its submitted
    responses call for. Only records whose status changes are written: a submit that
    leaves a record pending costs no new row version (and no index entries) of the record.
    """
    case, case_params = status_case(
        f"(SELECT COUNT(*) FROM {RESPONSES} c WHERE c.record_id = {RECORDS}.id"
        f" AND c.status = '{ResponseStatus.SUBMITTED}')",
        dataset.pk,
    )
    sql = (
        f"UPDATE {RECORDS} SET status = {case} WHERE dataset_id = %s{where} AND status <> {case}"
        " RETURNING id, status"
    )
    params = [*case_params, dataset.pk, *(where_params or []), *case_params]
    with hot_cursor() as cursor:
        cursor.execute(sql, params)
        changed = cursor.fetchall()
    # Records that just became completed: a webhook event each, once this commits.
    webhooks.records_completed(
        dataset, [record_id for record_id, status in changed if status == RecordStatus.COMPLETED]
    )
    return len(changed)


def refresh_record_statuses(*, dataset: Dataset, record_ids: Iterable[UUID]) -> int:
    """Recompute the status of the given records (locked by the caller). One statement."""
    ids = list(record_ids)
    if not ids:
        return 0
    where, params = in_ids("id", ids)
    return _write_statuses(dataset, f" AND {where}", params)


def recompute_dataset_statuses(*, dataset: Dataset) -> int:
    """Recompute every record of a dataset, e.g. after min_submitted changed. One statement."""
    return _write_statuses(dataset)

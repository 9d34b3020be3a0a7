"""Writing responses: `save_response` for one, `save_responses` for many. Every face uses them.

| face                                              | calls                                      |
|---------------------------------------------------|--------------------------------------------|
| API POST /records/{id}/responses                  | save_response(create_only=True): a second  |
|                                                   | response by the same user is a Conflict    |
| API PUT /responses/{id}                           | save_response (for the response's user)    |
| API record bulk upsert with responses             | save_responses, through the hook this app  |
| (records.upsert)                                  | registers in ResponsesConfig.ready()       |
| web focus view (annotation.web.focus)             | save_response (with active_seconds)        |
| web bulk answer (annotation.web.bulk)             | bulk_answer, which calls save_responses    |
| admin (read-only), seed_demo (no responses)       | nothing: they write no responses           |
| API DELETE /responses/{id}, admin delete          | delete_response                            |

Both writers share: the validation (`validation.clean_values`: `save_response` calls it,
`save_responses` takes values it cleaned), the upsert with the record-status refresh in the
same statement (`_write`; `status.status_case` stays the only status rule), the lock on the
records (in id order) and the events (`signals.responses_written`, then
`signals.records_completed`). Only brand-new records' responses, which nothing can have
answered or locked, go in by COPY and have their statuses refreshed after.

The record row is locked before anything is written, so two annotators submitting the
same record at once are serialised and the second sees the first when counting.
"""

from collections.abc import Sequence
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.errors import Conflict, ValidationFailed
from apps.datasets.models import Dataset, Question
from apps.datasets.schema import DatasetSchema
from apps.records.bulk import insert_rows, select_rows
from apps.records.models import Record
from apps.records.sql import for_update, hot_cursor, rows_as
from apps.responses import signals
from apps.responses.models import Response, ResponseStatus
from apps.responses.status import (
    announce_completed,
    lock_records,
    refresh_record_statuses,
    status_update,
)
from apps.responses.validation import ResponseWrite, clean_values, missing_required

# last_activity_at is kept to the minute: rewriting it on every submit would make the one
# dataset row a lock that every annotator of the dataset queues behind.
ACTIVITY_RESOLUTION = timedelta(minutes=1)

DATASETS = Dataset._meta.db_table
RECORDS = Record._meta.db_table
RESPONSES = Response._meta.db_table
_VALUES_FIELD = Response._meta.get_field("values")
VALUES = connection.ops.quote_name(_VALUES_FIELD.column)
_FIELDS = Response._meta.concrete_fields
_COLUMNS = ", ".join(connection.ops.quote_name(f.column) for f in _FIELDS)
_LOCK_WITH_QUESTIONS = (
    f"SELECT q.* FROM {RECORDS} r"
    f" JOIN {Question._meta.db_table} q ON q.dataset_id = r.dataset_id"
    " WHERE r.id = %s ORDER BY q.position, q.inserted_at"
)
_REPLACE = (
    f"DO UPDATE SET {VALUES} = excluded.{VALUES}, status = excluded.status,"
    " updated_at = excluded.updated_at,"
    f" active_seconds = {RESPONSES}.active_seconds + excluded.active_seconds"
)


# When this process last stamped each dataset: within the minute, the UPDATE would change
# nothing, so it is not sent (a round trip saved on most submits).
_stamped: dict = {}


def touch_activity(dataset: Dataset, now) -> None:
    last = _stamped.get(dataset.pk)
    if last is not None and last > now - ACTIVITY_RESOLUTION:
        return
    _stamped[dataset.pk] = now
    with hot_cursor() as cursor:
        cursor.execute(
            f"UPDATE {DATASETS} SET last_activity_at = %s WHERE id = %s"
            " AND (last_activity_at IS NULL OR last_activity_at < %s)",
            [now, dataset.pk, now - ACTIVITY_RESOLUTION],
        )


def _lock_and_clean(record: Record, values, status: str, schema: DatasetSchema | None) -> dict:
    """Lock the record (see the module's docstring), then validate the values against its
    dataset's questions: loaded by the locking query itself unless `schema` is given."""
    if schema is None:
        questions = rows_as(Question, _LOCK_WITH_QUESTIONS + for_update("r"), [record.pk])
        if not questions:
            lock_records([record.pk])  # nothing joined, so nothing locked
        schema = DatasetSchema(dataset=record.dataset, questions={q.name: q for q in questions})
    else:
        lock_records([record.pk])
    return clean_values(schema, values, status=status, record_fields=record.fields)


def _write(dataset_id, source: str, params: list, *, create_only: bool = False) -> list:
    """The upsert: insert or replace the (record, user) responses of `source` (rows of every
    column, in the model's order) and bring their records' statuses in step, in one
    statement. Its status update counts the stored submitted responses it does not replace,
    plus the ones written (`status.submitted_count`). The records are locked by the caller.

    Returns the responses written, each with `was_inserted` (else it replaced one) and
    `record_status` (the record's new status, None when unchanged). `create_only`: a
    (record, user) that has a response already is left alone, and not returned."""
    on_conflict = "DO NOTHING" if create_only else _REPLACE
    refresh, refresh_params = status_update(
        dataset_id, "id IN (SELECT record_id FROM saved)", [], saved="saved"
    )
    return rows_as(
        Response,
        f"WITH saved AS (INSERT INTO {RESPONSES} ({_COLUMNS}) {source}"
        f" ON CONFLICT (record_id, user_id) {on_conflict}"
        # xmax is 0 on a row just inserted: the event is response.created, else updated.
        f" RETURNING *, (xmax = 0) AS was_inserted), refreshed AS ({refresh})"
        " SELECT saved.*, refreshed.status AS record_status"
        " FROM saved LEFT JOIN refreshed ON refreshed.id = saved.record_id",
        [*params, *refresh_params],
    )


def _announce(dataset: Dataset, written: Sequence, changed) -> None:
    """The events of a write: the responses (created or updated), then the records they
    completed. `written`: the responses written; `changed`: (record id, new status)."""
    signals.responses_written.send(
        sender=Response,
        dataset=dataset,
        created=[(r.record_id, r.user_id) for r in written if r.was_inserted],
        updated=[(r.record_id, r.user_id) for r in written if not r.was_inserted],
    )
    announce_completed(dataset, changed)


@transaction.atomic
def save_response(
    *,
    user: User,
    record: Record,
    values,
    status: str,
    schema: DatasetSchema | None = None,
    active_seconds: int = 0,
    create_only: bool = False,
) -> Response:
    """Create or replace `user`'s response to `record`, validated; a Conflict if
    `create_only` and the user has answered the record already (the API's create).

    `active_seconds` (time spent since the last save) adds to the response's total.
    Queries: lock with the questions (unless `schema` is given), the write, and the
    dataset's activity stamp at most once a minute."""
    cleaned = _lock_and_clean(record, values, status, schema)
    now = timezone.now()
    row = {
        "id": Response._meta.pk.get_default(),
        "record_id": record.pk,
        "user_id": user.pk,
        "values": _VALUES_FIELD.get_db_prep_value(cleaned, connection),
        "status": status,
        "active_seconds": active_seconds,
        "inserted_at": now,
        "updated_at": now,
    }
    source = f"VALUES ({', '.join(['%s'] * len(_FIELDS))})"
    written = _write(
        record.dataset_id, source, [row[f.attname] for f in _FIELDS], create_only=create_only
    )
    if not written:
        raise Conflict.single(
            ("user_id",), _("This user has already responded to this record; update it instead.")
        )
    response = written[0]
    response.record, response.user = record, user
    dataset = schema.dataset if schema else record.dataset
    _announce(dataset, written, [(record.pk, response.record_status)])
    touch_activity(dataset, now)
    return response


# No savepoint of its own: inside a caller's transaction (a bulk answer, a record upsert)
# it would cost two queries and undo nothing the caller would not undo anyway.
@transaction.atomic(savepoint=False)
def save_responses(
    *,
    dataset: Dataset,
    writes: Sequence[ResponseWrite],
    new_records: bool = False,
    locked: bool = False,
    stamp_activity: bool = True,
) -> None:
    """Create or replace many responses of `dataset`'s records, their values cleaned by
    `validation.clean_values` (a bulk caller reports problems by item, so it cleans them).

    Queries: the lock on the records (in id order; none if the caller holds it, `locked`),
    then one write that refreshes the statuses too. `new_records`: every record was inserted
    by this transaction, so nothing else sees, locks or has answered them: the responses go
    in by COPY and one UPDATE refreshes the statuses. `stamp_activity`: False when the
    caller stamps the dataset's last activity itself (a record upsert does)."""
    if not writes:
        return
    now = timezone.now()
    rows = [
        {
            "id": Response._meta.pk.get_default(),
            "record_id": w.record_id,
            "user_id": w.user_id,
            "values": w.values,
            "status": w.status,
            "inserted_at": now,
            "updated_at": now,
        }
        for w in writes
    ]
    record_ids = list(dict.fromkeys(w.record_id for w in writes))
    if new_records:
        insert_rows(Response, rows)
        signals.responses_written.send(
            sender=Response,
            dataset=dataset,
            created=[(w.record_id, w.user_id) for w in writes],
            updated=[],
        )
        refresh_record_statuses(dataset=dataset, record_ids=record_ids)
    else:
        if not locked:
            lock_records(record_ids)
        source, params = select_rows(Response, rows)
        written = _write(dataset.pk, source, params)
        _announce(dataset, written, [(r.record_id, r.record_status) for r in written])
    if stamp_activity:
        touch_activity(dataset, now)


@transaction.atomic
def delete_response(*, response: Response) -> None:
    record = response.record
    lock_records([record.pk])
    signals.response_deleting.send(sender=Response, response=response)
    response.delete()
    refresh_record_statuses(dataset=record.dataset, record_ids=[record.pk])
    touch_activity(record.dataset, timezone.now())


BULK_ANSWER_LIMIT = 5000


@transaction.atomic
def bulk_answer(*, user: User, dataset: Dataset, records: list[Record], question, value) -> int:
    """Give one answer to `question` on many records at once (the records list's bulk answer).

    The answer is merged into each of `user`'s responses; a response that then answers every
    required question is submitted, else it stays (or becomes) a draft. Queries: the
    questions, the lock, the user's responses to merge into, the write (`save_responses`).
    """
    if len(records) > BULK_ANSWER_LIMIT:
        raise ValidationFailed.single(
            ("records",),
            _("Bulk answers are limited to %(n)d records at a time.") % {"n": BULK_ANSWER_LIMIT},
        )
    schema = DatasetSchema.load_questions(dataset)
    answer = {question.name: {"value": value}}
    answer = clean_values(schema, answer, status=ResponseStatus.DRAFT)
    ids = [record.pk for record in records]
    lock_records(ids)
    existing = dict(
        Response.objects.filter(user=user, record_id__in=ids).values_list("record_id", "values")
    )
    writes = []
    for record in records:
        values = {**existing.get(record.pk, {}), **answer}
        complete = not missing_required(schema, values)
        status = ResponseStatus.SUBMITTED if complete else ResponseStatus.DRAFT
        writes.append(ResponseWrite(record.pk, user.pk, status, values))
    save_responses(dataset=dataset, writes=writes, locked=True)
    return len(records)

"""Writing responses: validate, store one per (record, user), keep record status in step.

The record row is locked before anything is written, so two annotators submitting the
same record at once are serialised and the second sees the first when counting.
"""

import uuid
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.errors import Conflict, ValidationFailed
from apps.datasets import question_types
from apps.datasets.models import Dataset, Question
from apps.datasets.schema import DatasetSchema
from apps.records.models import Record, RecordStatus
from apps.records.sql import for_update, hot_cursor, rows_as
from apps.responses.models import Response, ResponseStatus
from apps.responses.status import lock_records, refresh_record_statuses, status_case
from apps.responses.validation import clean_values
from apps.webhooks import events as webhooks
from apps.webhooks.models import Event

# last_activity_at is kept to the minute: rewriting it on every submit would make the one
# dataset row a lock that every annotator of the dataset queues behind.
ACTIVITY_RESOLUTION = timedelta(minutes=1)

DATASETS = Dataset._meta.db_table
RECORDS = Record._meta.db_table
RESPONSES = Response._meta.db_table
_VALUES_FIELD = Response._meta.get_field("values")
VALUES = connection.ops.quote_name(_VALUES_FIELD.column)
_LOCK_WITH_QUESTIONS = (
    f"SELECT q.* FROM {RECORDS} r"
    f" JOIN {Question._meta.db_table} q ON q.dataset_id = r.dataset_id"
    " WHERE r.id = %s ORDER BY q.position, q.inserted_at"
)


def _after_write(record: Record) -> None:
    dataset = record.dataset
    refresh_record_statuses(dataset=dataset, record_ids=[record.pk])
    touch_activity(dataset, timezone.now())


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


def _upsert(
    *, record: Record, user: User, values: dict, status: str, active_seconds: int = 0
) -> Response:
    """Insert or replace the (record, user) response and bring the record's status in step,
    in one statement: its status update counts the others' submitted responses, plus this
    one. The record is locked by the caller."""
    now = timezone.now()
    upsert = (
        f"INSERT INTO {RESPONSES} (id, record_id, user_id, {VALUES}, status, inserted_at,"
        " updated_at, active_seconds) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
        f" ON CONFLICT (record_id, user_id) DO UPDATE SET {VALUES} = excluded.{VALUES},"
        " status = excluded.status, updated_at = excluded.updated_at,"
        f" active_seconds = {RESPONSES}.active_seconds + excluded.active_seconds"
        # xmax is 0 on a row just inserted: the webhook event is response.created, else updated.
        " RETURNING *, (xmax = 0) AS was_inserted"
    )
    values_sql = _VALUES_FIELD.get_db_prep_value(values, connection)
    params = [uuid.uuid4(), record.pk, user.pk, values_sql, status, now, now, active_seconds]
    case, case_params = status_case(
        f"((SELECT COUNT(*) FROM {RESPONSES} c WHERE c.record_id = %s AND c.user_id <> %s"
        f" AND c.status = '{ResponseStatus.SUBMITTED}')"
        f" + (SELECT COUNT(*) FROM saved WHERE saved.status = '{ResponseStatus.SUBMITTED}'))",
        record.dataset_id,
    )
    case_params = [record.pk, user.pk, *case_params]
    response = rows_as(
        Response,
        f"WITH saved AS ({upsert}), refreshed AS (UPDATE {RECORDS} SET status = {case}"
        f" WHERE id = %s AND status <> {case} RETURNING status)"
        " SELECT saved.*, (SELECT status FROM refreshed) AS record_status FROM saved",
        [*params, *case_params, record.pk, *case_params],
    )[0]
    response.record, response.user = record, user
    webhooks.response_event(
        Event.RESPONSE_CREATED if response.was_inserted else Event.RESPONSE_UPDATED, response
    )
    if response.record_status == RecordStatus.COMPLETED:
        webhooks.records_completed(record.dataset, [record.pk])
    return response


@transaction.atomic
def save_response(
    *,
    user: User,
    record: Record,
    values,
    status: str,
    schema: DatasetSchema | None = None,
    active_seconds: int = 0,
) -> Response:
    """Create or replace `user`'s response to `record` (the annotation UI's save/submit).

    `active_seconds` (time spent since the last save) adds to the response's total."""
    cleaned = _lock_and_clean(record, values, status, schema)
    response = _upsert(
        record=record, user=user, values=cleaned, status=status, active_seconds=active_seconds
    )
    touch_activity(schema.dataset if schema else record.dataset, timezone.now())
    return response


@transaction.atomic
def create_response(
    *, user: User, record: Record, values, status: str, schema: DatasetSchema | None = None
) -> Response:
    """A first response by `user` to `record`; a second one is a Conflict."""
    cleaned = _lock_and_clean(record, values, status, schema)
    if Response.objects.filter(record=record, user=user).exists():
        raise Conflict.single(
            ("user_id",), _("This user has already responded to this record; update it instead.")
        )
    response = Response.objects.create(record=record, user=user, values=cleaned, status=status)
    _after_write(record)
    webhooks.response_event(Event.RESPONSE_CREATED, response)
    return response


@transaction.atomic
def update_response(*, response: Response, values, status: str) -> Response:
    record = response.record
    response.values = _lock_and_clean(record, values, status, None)
    response.status = status
    response.save(update_fields=["values", "status", "updated_at"])
    _after_write(record)
    webhooks.response_event(Event.RESPONSE_UPDATED, response)
    return response


@transaction.atomic
def delete_response(*, response: Response) -> None:
    record = response.record
    lock_records([record.pk])
    webhooks.response_event(Event.RESPONSE_DELETED, response)
    response.delete()
    _after_write(record)


BULK_ANSWER_LIMIT = 5000


@transaction.atomic
def bulk_answer(*, user: User, dataset: Dataset, records: list[Record], question, value) -> int:
    """Give one answer to `question` on many records at once (the records list's bulk answer).

    The answer is merged into each of `user`'s responses; a response that then answers every
    required question is submitted, else it stays (or becomes) a draft. Constant queries.
    """
    if len(records) > BULK_ANSWER_LIMIT:
        raise ValidationFailed.single(
            ("records",),
            _("Bulk answers are limited to %(n)d records at a time.") % {"n": BULK_ANSWER_LIMIT},
        )
    plugin = question_types.get(question.settings.get("type"))
    try:
        value = plugin.clean_value(value, question.settings)
    except ValidationFailed as error:
        raise error.prefixed("values", question.name, "value") from None
    schema = DatasetSchema.load_questions(dataset)
    required = {name for name, q in schema.questions.items() if q.required}
    ids = [record.pk for record in records]
    lock_records(ids)
    existing = {r.record_id: r for r in Response.objects.filter(user=user, record_id__in=ids)}
    now = timezone.now()
    to_create, to_update = [], []
    for record in records:
        response = existing.get(record.pk)
        values = {**(response.values if response else {}), question.name: {"value": value}}
        status = ResponseStatus.SUBMITTED if required <= values.keys() else ResponseStatus.DRAFT
        if response is None:
            to_create.append(Response(record=record, user=user, values=values, status=status))
        else:
            response.values, response.status, response.updated_at = values, status, now
            to_update.append(response)
    Response.objects.bulk_create(to_create)
    Response.objects.bulk_update(to_update, ["values", "status", "updated_at"])
    webhooks.responses_written(
        dataset,
        created=[(r.record_id, user.pk) for r in to_create],
        updated=[(r.record_id, user.pk) for r in to_update],
    )
    refresh_record_statuses(dataset=dataset, record_ids=ids)
    touch_activity(dataset, now)
    return len(records)

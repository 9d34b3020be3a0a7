"""Writing responses: validate, store one per (record, user), keep record status in step.

The record row is locked before anything is written, so two annotators submitting the
same record at once are serialised and the second sees the first when counting.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.datasets.errors import Conflict
from apps.datasets.models import Dataset
from apps.datasets.schema import DatasetSchema
from apps.records.models import Record
from apps.responses.models import Response
from apps.responses.status import lock_records, refresh_record_statuses
from apps.responses.validation import clean_values


def _after_write(record: Record) -> None:
    dataset = record.dataset
    refresh_record_statuses(dataset=dataset, record_ids=[record.pk])
    Dataset.objects.filter(pk=dataset.pk).update(last_activity_at=timezone.now())


def _clean(record: Record, values, status: str, schema: DatasetSchema | None) -> dict:
    schema = schema or DatasetSchema.load(record.dataset)
    return clean_values(schema, values, status=status, record_fields=record.fields)


@transaction.atomic
def save_response(
    *, user: User, record: Record, values, status: str, schema: DatasetSchema | None = None
) -> Response:
    """Create or replace `user`'s response to `record` (the annotation UI's save/submit)."""
    lock_records([record.pk])
    cleaned = _clean(record, values, status, schema)
    response, _created = Response.objects.update_or_create(
        record=record, user=user, defaults={"values": cleaned, "status": status}
    )
    _after_write(record)
    return response


@transaction.atomic
def create_response(
    *, user: User, record: Record, values, status: str, schema: DatasetSchema | None = None
) -> Response:
    """A first response by `user` to `record`; a second one is a Conflict."""
    lock_records([record.pk])
    cleaned = _clean(record, values, status, schema)
    if Response.objects.filter(record=record, user=user).exists():
        raise Conflict.single(
            ("user_id",), _("This user has already responded to this record; update it instead.")
        )
    response = Response.objects.create(record=record, user=user, values=cleaned, status=status)
    _after_write(record)
    return response


@transaction.atomic
def update_response(*, response: Response, values, status: str) -> Response:
    record = response.record
    lock_records([record.pk])
    response.values = _clean(record, values, status, None)
    response.status = status
    response.save(update_fields=["values", "status", "updated_at"])
    _after_write(record)
    return response


@transaction.atomic
def delete_response(*, response: Response) -> None:
    record = response.record
    lock_records([record.pk])
    response.delete()
    _after_write(record)

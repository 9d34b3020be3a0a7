"""A record is completed at min_submitted submitted responses, and pending again below it."""

import threading

import pytest
from django.db import connection

from apps.datasets import services as dataset_services
from apps.records.models import Record, RecordStatus
from apps.records.services import create_records
from apps.responses.models import Response
from apps.responses.services import delete_response, save_response

FIELDS = {"prompt": "p", "response-1": "a", "response-2": "b"}
ANSWER = {"response_ranking": {"value": 2}}


def _record(make_dataset, workspace, **dataset_attrs):
    dataset = make_dataset(workspace, **dataset_attrs)
    [record] = create_records(dataset=dataset, items=[{"fields": FIELDS}])
    return record


def _status(record) -> str:
    return Record.objects.values_list("status", flat=True).get(pk=record.pk)


def test_one_submission_completes_by_default(world, make_dataset):
    record = _record(make_dataset, world.ws_a)
    assert _status(record) == RecordStatus.PENDING
    save_response(user=world.ann1, record=record, values=ANSWER, status="submitted")
    assert _status(record) == RecordStatus.COMPLETED


def test_drafts_and_discards_do_not_complete(world, make_dataset):
    record = _record(make_dataset, world.ws_a)
    save_response(user=world.ann1, record=record, values=ANSWER, status="draft")
    save_response(user=world.ann2, record=record, values=None, status="discarded")
    assert _status(record) == RecordStatus.PENDING


def test_min_submitted_two_needs_two_annotators(world, make_dataset):
    record = _record(make_dataset, world.ws_a, min_submitted=2)
    save_response(user=world.ann1, record=record, values=ANSWER, status="submitted")
    assert _status(record) == RecordStatus.PENDING
    save_response(user=world.ann2, record=record, values=ANSWER, status="submitted")
    assert _status(record) == RecordStatus.COMPLETED


def test_discarding_below_min_submitted_goes_back_to_pending(world, make_dataset):
    record = _record(make_dataset, world.ws_a)
    save_response(user=world.ann1, record=record, values=ANSWER, status="submitted")
    save_response(user=world.ann1, record=record, values=None, status="discarded")
    assert _status(record) == RecordStatus.PENDING


def test_deleting_a_submission_goes_back_to_pending(world, make_dataset):
    record = _record(make_dataset, world.ws_a)
    response = save_response(user=world.ann1, record=record, values=ANSWER, status="submitted")
    delete_response(response=response)
    assert _status(record) == RecordStatus.PENDING


def test_changing_min_submitted_recomputes_every_record(world, make_dataset):
    dataset = make_dataset(world.ws_a)
    records = create_records(dataset=dataset, items=[{"fields": FIELDS} for _ in range(3)])
    for record in records[:2]:
        save_response(user=world.ann1, record=record, values=ANSWER, status="submitted")
    save_response(user=world.ann2, record=records[0], values=ANSWER, status="submitted")
    dataset_services.update_dataset(dataset=dataset, min_submitted=2)
    assert [_status(r) for r in records] == ["completed", "pending", "pending"]
    dataset_services.update_dataset(dataset=dataset, min_submitted=1)
    assert [_status(r) for r in records] == ["completed", "completed", "pending"]


def test_one_response_per_record_and_user(world, make_dataset):
    record = _record(make_dataset, world.ws_a)
    save_response(user=world.ann1, record=record, values=ANSWER, status="draft")
    save_response(user=world.ann1, record=record, values=ANSWER, status="submitted")
    assert Response.objects.filter(record=record, user=world.ann1).count() == 1


def test_invalid_submission_stores_nothing(world, make_dataset):
    from apps.core.errors import ValidationFailed

    record = _record(make_dataset, world.ws_a)
    with pytest.raises(ValidationFailed) as caught:
        save_response(
            user=world.ann1,
            record=record,
            values={"response_ranking": {"value": 7}},
            status="submitted",
        )
    assert caught.value.problems[0].loc[:2] == ("values", "response_ranking")
    assert not Response.objects.filter(record=record).exists()
    assert _status(record) == RecordStatus.PENDING


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_complete_the_record(world, make_dataset):
    """Two annotators submit the same record at the same moment, 15 times over.

    Without the record lock both transactions count only their own response and the record
    stays pending although it has two submissions.
    """
    dataset = make_dataset(world.ws_a, min_submitted=2)
    records = create_records(dataset=dataset, items=[{"fields": FIELDS} for _ in range(15)])
    errors = []

    def submit(user, record, barrier):
        try:
            barrier.wait(timeout=10)
            save_response(user=user, record=record, values=ANSWER, status="submitted")
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)
        finally:
            connection.close()

    for record in records:
        barrier = threading.Barrier(2)
        threads = [
            threading.Thread(target=submit, args=(user, record, barrier))
            for user in (world.ann1, world.ann2)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert errors == []
    statuses = list(
        Record.objects.filter(dataset=dataset)
        .values_list("status", flat=True)
        .order_by()
        .distinct()
    )
    assert statuses == [RecordStatus.COMPLETED]
    assert Response.objects.filter(record__dataset=dataset, status="submitted").count() == 30


def test_last_activity_is_kept_to_the_minute(world, make_dataset, monkeypatch):
    from datetime import timedelta

    from apps.datasets.models import Dataset

    record = _record(make_dataset, world.ws_a)
    save_response(user=world.ann1, record=record, values=ANSWER, status="draft")
    first = Dataset.objects.get(pk=record.dataset_id).last_activity_at
    assert first is not None
    save_response(user=world.ann1, record=record, values=ANSWER, status="submitted")
    assert Dataset.objects.get(pk=record.dataset_id).last_activity_at == first
    later = first + timedelta(minutes=2)
    monkeypatch.setattr("apps.responses.services.timezone.now", lambda: later)
    save_response(user=world.ann2, record=record, values=ANSWER, status="submitted")
    assert Dataset.objects.get(pk=record.dataset_id).last_activity_at == later

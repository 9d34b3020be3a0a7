"""The two response writers every face uses: `save_response` (one) and `save_responses`
(many). Same validation, same upsert, same status rule, same events."""

import pytest

from apps.core.errors import Conflict, ValidationFailed
from apps.records.models import Record, RecordStatus
from apps.records.services import create_records
from apps.responses import signals
from apps.responses.models import Response
from apps.responses.services import save_response, save_responses
from apps.responses.validation import ResponseWrite
from apps.webhooks import events
from apps.webhooks import services as webhooks
from apps.webhooks.models import Delivery

FIELDS = {"prompt": "p", "response-1": "a", "response-2": "b"}
ANSWER = {"response_ranking": {"value": 2}}
PUBLIC = "https://93.184.215.14/hooks"


@pytest.fixture
def heard():
    """What a second listener of the response signals hears (the webhooks are the first):
    connecting one is all it takes."""
    log = []

    def on_written(sender, *, dataset, created, updated, **kwargs):
        log.append(("written", sorted(created), sorted(updated)))

    def on_completed(sender, *, dataset, record_ids, **kwargs):
        log.append(("completed", sorted(record_ids)))

    signals.responses_written.connect(on_written, dispatch_uid="test_writers_written")
    signals.records_completed.connect(on_completed, dispatch_uid="test_writers_completed")
    yield log
    signals.responses_written.disconnect(dispatch_uid="test_writers_written")
    signals.records_completed.disconnect(dispatch_uid="test_writers_completed")


def _records(make_dataset, world, count, **dataset_attrs):
    dataset = make_dataset(world.ws_a, **dataset_attrs)
    return dataset, create_records(dataset=dataset, items=[{"fields": FIELDS}] * count)


def _statuses(records) -> list[str]:
    by_id = dict(Record.objects.filter(pk__in=[r.pk for r in records]).values_list("pk", "status"))
    return [by_id[r.pk] for r in records]


def _cleaned(record, user, status="submitted"):
    from apps.datasets.schema import DatasetSchema
    from apps.responses.validation import clean_values

    schema = DatasetSchema.load_questions(record.dataset)
    return ResponseWrite(record.pk, user.pk, status, clean_values(schema, ANSWER, status=status))


# --- one --------------------------------------------------------------------------------


def test_save_response_creates_then_replaces_and_completes_at_overlap_two(
    world, make_dataset, heard
):
    dataset, [record] = _records(make_dataset, world, 1, min_submitted=2)
    first = save_response(user=world.ann1, record=record, values=ANSWER, status="draft")
    again = save_response(user=world.ann1, record=record, values=ANSWER, status="submitted")
    assert again.pk == first.pk and again.status == "submitted"
    assert _statuses([record]) == [RecordStatus.PENDING]  # one of two submitted
    save_response(user=world.ann2, record=record, values=ANSWER, status="submitted")
    assert _statuses([record]) == [RecordStatus.COMPLETED]
    pair1, pair2 = (record.pk, world.ann1.pk), (record.pk, world.ann2.pk)
    assert heard == [
        ("written", [pair1], []),
        ("written", [], [pair1]),
        ("written", [pair2], []),
        ("completed", [record.pk]),
    ]


def test_save_response_adds_active_seconds(world, make_dataset):
    _dataset, [record] = _records(make_dataset, world, 1)
    save_response(user=world.ann1, record=record, values=ANSWER, status="draft", active_seconds=30)
    saved = save_response(
        user=world.ann1, record=record, values=ANSWER, status="submitted", active_seconds=12
    )
    assert saved.active_seconds == 42
    assert Response.objects.get(pk=saved.pk).active_seconds == 42


def test_save_response_create_only_is_a_conflict_the_second_time(world, make_dataset, heard):
    _dataset, [record] = _records(make_dataset, world, 1)
    save_response(user=world.ann1, record=record, values=ANSWER, status="draft", create_only=True)
    with pytest.raises(Conflict):
        save_response(
            user=world.ann1, record=record, values=ANSWER, status="submitted", create_only=True
        )
    assert Response.objects.get(record=record).status == "draft"
    assert len(heard) == 1


def test_save_response_validates_before_writing(world, make_dataset):
    _dataset, [record] = _records(make_dataset, world, 1)
    with pytest.raises(ValidationFailed) as error:
        save_response(user=world.ann1, record=record, values={}, status="submitted")
    assert error.value.problems[0].loc == ("values", "response_ranking")
    assert not Response.objects.exists()


# --- many -------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 30])
def test_save_responses_completes_at_overlap_two_in_constant_queries(
    world, make_dataset, heard, django_assert_num_queries, count
):
    dataset, records = _records(make_dataset, world, count, min_submitted=2)
    save_response(user=world.ann2, record=records[0], values=ANSWER, status="submitted")
    heard.clear()
    writes = [_cleaned(r, world.ann1) for r in records]
    writes += [_cleaned(records[0], world.ann2, status="draft")]  # replaces ann2's submit
    # Lock the records (in id order), then one statement: the upsert and the statuses.
    # (The dataset's last activity was stamped by the save above: not again this minute.)
    with django_assert_num_queries(2):
        save_responses(dataset=dataset, writes=writes)
    assert _statuses(records) == [RecordStatus.PENDING] * count  # one submit each
    created = sorted((r.pk, world.ann1.pk) for r in records)
    assert heard == [("written", created, [(records[0].pk, world.ann2.pk)])]

    heard.clear()
    save_responses(dataset=dataset, writes=[_cleaned(r, world.ann2) for r in records])
    assert _statuses(records) == [RecordStatus.COMPLETED] * count
    updated = [(records[0].pk, world.ann2.pk)]
    created = sorted((r.pk, world.ann2.pk) for r in records[1:])
    assert heard == [("written", created, updated), ("completed", sorted(r.pk for r in records))]
    stored = Response.objects.get(record=records[0], user=world.ann1)
    assert stored.values == ANSWER and stored.status == "submitted"


def test_save_responses_for_new_records_copies_them_in(world, make_dataset, heard):
    dataset, records = _records(make_dataset, world, 3)
    writes = [_cleaned(r, world.ann1) for r in records[:2]]
    writes += [_cleaned(records[2], world.ann1, status="draft")]
    save_responses(dataset=dataset, writes=writes, new_records=True)
    assert _statuses(records) == ["completed", "completed", "pending"]
    assert heard == [
        ("written", sorted((r.pk, world.ann1.pk) for r in records), []),
        ("completed", sorted(r.pk for r in records[:2])),
    ]


def test_both_writers_schedule_webhooks_after_the_commit(
    world, make_dataset, django_capture_on_commit_callbacks
):
    webhooks.create_webhook(
        url=PUBLIC, events=["response.created", "response.updated", "record.completed"]
    )
    dataset, records = _records(make_dataset, world, 2)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        save_response(user=world.ann1, record=records[0], values=ANSWER, status="draft")
        save_responses(dataset=dataset, writes=[_cleaned(r, world.ann1) for r in records])
    assert not Delivery.objects.exists()  # nothing before the commit
    for callback in callbacks:
        callback()
    events.expand_pending()
    kinds = list(Delivery.objects.order_by("inserted_at", "id").values_list("event", flat=True))
    assert kinds == [
        "response.created",
        "response.created",
        "response.updated",
        "record.completed",
        "record.completed",
    ]


# --- the dataset each response carries (migration responses/0003) ------------------------


def test_every_writer_stores_the_responses_dataset(world, make_dataset):
    """The database fills a response's `dataset_id` (a trigger): check it after each way a
    response is written: one, many, with new records (COPY), and the ORM."""
    from django.db import connection

    from apps.records.services import upsert_records

    dataset, (first, second, third) = _records(make_dataset, world, 3)
    save_response(user=world.ann1, record=first, values=ANSWER, status="submitted")
    save_responses(
        dataset=dataset, writes=[_cleaned(second, world.ann1), _cleaned(third, world.ann2)]
    )
    Response.objects.create(record=first, user=world.ann2, status="draft")
    other = make_dataset(world.ws_a)
    answer = {"user_id": str(world.ann1.id), "status": "submitted", "values": ANSWER}
    upsert_records(dataset=other, items=[{"fields": FIELDS, "responses": [answer]}], mode="create")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.dataset_id = rec.dataset_id, count(*) FROM responses_response r "
            "JOIN records_record rec ON rec.id = r.record_id GROUP BY 1"
        )
        assert dict(cursor.fetchall()) == {True: 5}

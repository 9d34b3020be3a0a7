"""Events: emitted by the domain services once their transaction commits, never for work that
was rolled back, from every face, one per record in bulk (enqueued in bulk)."""

import orjson
import pytest
from django.db import transaction
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from apps.datasets import services as datasets
from apps.records import services as records
from apps.responses import services as responses
from apps.webhooks import events
from apps.webhooks.models import Delivery, Event, PendingEvent
from tests.admin_helpers import form_data

PUBLIC = "https://93.184.215.14/hooks"


def _delivered(**filters):
    events.expand_pending()  # what the worker does first
    return [
        (d.event, orjson.loads(d.body)["data"])
        for d in Delivery.objects.filter(**filters).order_by("inserted_at", "id")
    ]


def _item(n, **extra):
    fields = {"prompt": f"p{n}", "response-1": "a", "response-2": "b"}
    return {"external_id": f"r{n}", "fields": fields, **extra}


def test_no_event_for_a_rolled_back_transaction(transactional_db, world, make_webhook):
    make_webhook(PUBLIC, events=["dataset.created"])
    with pytest.raises(RuntimeError), transaction.atomic():
        datasets.create_dataset(workspace=world.ws_a, name="rolled-back")
        raise RuntimeError("the request failed after the write")
    assert not Delivery.objects.exists()
    datasets.create_dataset(workspace=world.ws_a, name="kept")
    assert [data["name"] for _event, data in _delivered()] == ["kept"]


def test_a_dataset_life_emits_every_event_in_order(
    transactional_db, world, make_webhook, make_dataset
):
    make_webhook(PUBLIC, events=Event.values)
    # Every service commits (transactional_db), so its events are queued right then; the
    # worker expands them between steps (created/updated events read what they name then).
    worker = events.expand_pending
    dataset = make_dataset(world.ws_a, name="life")
    datasets.update_dataset(dataset=dataset, guidelines="Be kind.")
    records.upsert_records(dataset=dataset, items=[_item(1), _item(2)])
    worker()
    answer = {"response_ranking": {"value": 2}}
    first = dataset.records.get(external_id="r1")
    response = responses.save_response(user=world.ann1, record=first, values=answer, status="draft")
    worker()
    responses.save_response(user=world.ann1, record=first, values=answer, status="submitted")
    worker()
    responses.delete_response(response=response)
    records.delete_records(dataset=dataset, ids=[first.pk])
    dataset_id = dataset.pk
    datasets.delete_dataset(dataset=dataset)
    kinds = [kind for kind, _data in _delivered()]
    assert kinds == [
        "dataset.created",
        "dataset.published",
        "dataset.updated",
        "record.created",
        "record.created",
        "response.created",
        "response.updated",
        "record.completed",
        "response.deleted",
        "record.deleted",
        "dataset.deleted",
    ]
    data = dict(reversed(_delivered()))  # the first payload of each event
    workspace = {"id", "name", "inserted_at", "updated_at"}
    assert set(data["dataset.created"]["workspace"]) == workspace
    assert data["dataset.created"]["name"] == "life"
    assert data["dataset.updated"]["guidelines"] == "Be kind."
    assert data["record.created"]["dataset"]["workspace"]["name"] == "workspace-a"
    assert data["record.created"]["external_id"] == "r1" and "vectors" not in data["record.created"]
    assert data["record.completed"]["status"] == "completed"
    created = data["response.created"]
    assert created["user"]["id"] == str(world.ann1.pk) and "user_id" not in created
    assert created["record"]["dataset"]["name"] == "life" and created["status"] == "draft"
    assert data["response.updated"]["status"] == "submitted"
    assert data["record.deleted"]["id"] == str(first.pk)
    assert data["dataset.deleted"]["id"] == str(dataset_id)


def test_only_subscribed_enabled_webhooks_get_events(
    world, make_webhook, make_dataset, django_capture_on_commit_callbacks
):
    records_hook = make_webhook(PUBLIC, events=["record.created"])
    datasets_hook = make_webhook(PUBLIC, events=["dataset.created", "record.created"])
    make_webhook(PUBLIC, events=["record.created"], enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        dataset = make_dataset(world.ws_a)
        records.upsert_records(dataset=dataset, items=[_item(1)])
    assert [e for e, _d in _delivered(webhook=records_hook)] == ["record.created"]
    assert [e for e, _d in _delivered(webhook=datasets_hook)] == [
        "dataset.created",
        "record.created",
    ]
    assert Delivery.objects.count() == 3
    # One event, one id, whichever webhook receives it.
    assert len(set(Delivery.objects.filter(event="record.created").values_list("event_id"))) == 1


def test_bulk_emits_one_event_per_record_and_enqueues_once_per_webhook(
    world, make_webhook, make_dataset, django_capture_on_commit_callbacks
):
    webhook = make_webhook(PUBLIC, events=["record.created", "record.updated"])
    dataset = make_dataset(world.ws_a)
    tasks_before = DBTaskResult.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        for start in range(0, 5000, 500):
            items = [_item(n) for n in range(start, start + 500)]
            records.upsert_records(dataset=dataset, items=items)
    # The requests wrote one pending event each, and enqueued one task each.
    assert PendingEvent.objects.count() == 10
    assert DBTaskResult.objects.count() - tasks_before == 10
    assert events.expand_pending() == 5000  # the worker's part
    assert Delivery.objects.filter(webhook=webhook, event="record.created").count() == 5000
    ids = [orjson.loads(body)["data"]["external_id"] for body in _bodies(webhook)]
    assert ids == [f"r{n}" for n in range(5000)]  # queued in the order written

    with django_capture_on_commit_callbacks(execute=True):
        records.upsert_records(
            dataset=dataset, items=[_item(n, metadata={"n": n}) for n in range(3)]
        )
    updated = _delivered(event="record.updated")
    assert [d["metadata"] for _e, d in updated] == [{"n": 0}, {"n": 1}, {"n": 2}]


def _bodies(webhook):
    return (
        Delivery.objects.filter(webhook=webhook)
        .order_by("inserted_at", "id")
        .values_list("body", flat=True)
    )


def test_publishing_costs_the_same_queries_for_1_and_50_records(
    world, make_webhook, make_dataset, django_assert_num_queries, django_capture_on_commit_callbacks
):
    make_webhook(PUBLIC, events=["record.created"])
    dataset = make_dataset(world.ws_a)
    for count in (1, 50):
        with django_capture_on_commit_callbacks() as callbacks:
            records.upsert_records(
                dataset=dataset, items=[_item(f"{count}-{n}") for n in range(count)]
            )
        # Which webhooks listen; then in a transaction of its own (here a savepoint and its
        # release) that does not wait for the disk (SET LOCAL), the pending event (the
        # payloads, from the rows just written) and the delivery task enqueued.
        with django_assert_num_queries(6):
            for callback in callbacks:
                callback()


def test_nobody_listening_costs_one_query(
    world, make_dataset, django_assert_num_queries, django_capture_on_commit_callbacks
):
    dataset = make_dataset(world.ws_a)
    with django_capture_on_commit_callbacks() as callbacks:
        records.upsert_records(dataset=dataset, items=[_item(n) for n in range(20)])
    with django_assert_num_queries(1):  # which webhooks listen to record.created: none
        for callback in callbacks:
            callback()
    assert not Delivery.objects.exists()


def test_the_api_and_the_admin_emit_too(
    world, api, make_webhook, client, django_capture_on_commit_callbacks
):
    make_webhook(PUBLIC, events=["dataset.created"])
    with django_capture_on_commit_callbacks(execute=True):
        created = api(world.owner).post(
            "/api/v1/datasets",
            {"name": "from-api", "workspace_id": str(world.ws_a.pk)},
            format="json",
        )
        assert created.status_code == 201
        client.force_login(world.owner)
        data = form_data(client.get(reverse("admin:datasets_dataset_add")))
        data.update({"workspace": world.ws_a.pk, "name": "from-admin", "min_submitted": 1})
        answer = client.post(reverse("admin:datasets_dataset_add"), data)
        assert answer.status_code == 302
    assert [d["name"] for _e, d in _delivered()] == ["from-api", "from-admin"]


def test_the_web_apps_bulk_answer_emits_per_response_and_completion(
    world, make_webhook, make_dataset, django_capture_on_commit_callbacks
):
    make_webhook(PUBLIC, events=["response.created", "response.updated", "record.completed"])
    dataset = make_dataset(world.ws_a)
    records.upsert_records(dataset=dataset, items=[_item(n) for n in range(3)])
    chosen = list(dataset.records.order_by("inserted_at"))
    question = dataset.questions.get(name="response_ranking")
    responses.save_response(
        user=world.ann1,
        record=chosen[0],
        values={"correct_response": {"value": "x"}},
        status="draft",
    )
    with django_capture_on_commit_callbacks(execute=True):
        responses.bulk_answer(
            user=world.ann1, dataset=dataset, records=chosen, question=question, value=3
        )
    delivered = _delivered()
    assert [kind for kind, _d in delivered] == [
        "response.created",
        "response.created",
        "response.updated",
        "record.completed",
        "record.completed",
        "record.completed",
    ]
    assert {d["record"]["external_id"] for _k, d in delivered[:3]} == {"r0", "r1", "r2"}

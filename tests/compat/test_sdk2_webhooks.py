"""argilla 2.x webhooks against Loam's live server: the SDK manages them (create, list, update,
disable, ping, delete) and a receiver on 127.0.0.1 gets a dataset's life as signed events that
`standardwebhooks` verifies and `WebhookEvent.parsed(client)` turns into SDK objects."""

import json

import pytest
from standardwebhooks.webhooks import Webhook as StandardWebhook

from apps.webhooks.models import Webhook
from tests.webhooks.receiver import Receiver

from .conftest import TEAM

pytestmark = [pytest.mark.compat, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def receiver(settings):
    # Deliveries run as the request's transaction commits (the immediate task backend), so
    # each SDK call returns after its events reached the receiver.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.LOAM_WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    receiver = Receiver()
    yield receiver
    receiver.close()


@pytest.fixture
def owner(team, connect):
    return connect(team.owner_key)


def verified(receiver, secret) -> list[dict]:
    """Every payload received, its signature checked as the SDK's listener checks it."""
    return [
        StandardWebhook(secret).verify(r["body"], {k.lower(): v for k, v in r["headers"].items()})
        for r in receiver.requests
    ]


def test_sdk_manages_webhooks(rg, team, owner, receiver):
    webhook = rg.Webhook(
        url=receiver.url, events=["dataset.created"], description="ci", _client=owner
    ).create()
    assert webhook.id is not None and webhook.secret.startswith("whsec_")
    assert [w.id for w in owner.webhooks] == [webhook.id]
    assert owner.webhooks[0].secret == webhook.secret

    webhook.events = ["dataset.created", "record.completed"]
    webhook.description = "retrain when done"
    webhook.update()
    stored = Webhook.objects.get(pk=webhook.id)
    assert stored.events == ["dataset.created", "record.completed"]
    assert stored.description == "retrain when done"

    webhook.enabled = False
    webhook.update()
    assert Webhook.objects.get(pk=webhook.id).enabled is False
    rg.Dataset(
        name="unheard",
        workspace=TEAM,
        settings=rg.Settings(
            fields=[rg.TextField(name="text")],
            questions=[rg.LabelQuestion(name="label", labels=["a", "b"])],
        ),
        client=owner,
    ).create()
    assert receiver.requests == []  # disabled: nothing sent

    webhook.enabled = True
    webhook.update()
    owner.api.webhooks.ping(webhook.id)
    (ping,) = verified(receiver, webhook.secret)
    assert ping["type"] == "ping" and ping["data"]["agent"] == "loam"

    webhook.delete()
    assert list(owner.webhooks) == [] and not Webhook.objects.exists()


def test_sdk_rejections(rg, team, owner, connect):
    with pytest.raises(Exception) as refused:
        rg.Webhook(url="http://10.0.0.1/hook", events=["dataset.created"], _client=owner).create()
    assert "422" in str(refused.value) or "private" in str(refused.value)
    admin = connect(team.admin_key)
    with pytest.raises(Exception) as forbidden:
        rg.Webhook(url="https://93.184.215.14/", events=["dataset.created"], _client=admin).create()
    assert "403" in str(forbidden.value) or "orbidden" in type(forbidden.value).__name__
    assert not Webhook.objects.exists()


def test_a_receiver_gets_a_dataset_life_parsed_by_the_sdk(rg, team, owner, connect, receiver):
    from argilla.webhooks import WebhookEvent
    from argilla.webhooks._event import DatasetEvent, RecordEvent, UserResponseEvent

    webhook = rg.Webhook(
        url=receiver.url,
        events=[
            "dataset.created",
            "dataset.published",
            "record.created",
            "response.created",
            "record.completed",
        ],
        _client=owner,
    ).create()
    settings = rg.Settings(
        fields=[rg.TextField(name="text")],
        questions=[rg.LabelQuestion(name="label", labels=["a", "b"])],
        distribution=rg.TaskDistribution(min_submitted=1),
    )
    dataset = rg.Dataset(name="hooked", workspace=TEAM, settings=settings, client=owner).create()
    dataset.records.log([{"id": "r1", "text": "hello"}, {"id": "r2", "text": "bye"}])
    annotator = connect(team.ann1_key)
    record = next(iter(dataset.records(query=rg.Query(filter=rg.Filter(("id", "==", "r1"))))))
    record.responses.add(rg.Response("label", "a", annotator.me.id, status="submitted"))
    dataset.records.log([record])

    payloads = verified(receiver, webhook.secret)
    assert [p["type"] for p in payloads] == [
        "dataset.created",
        "dataset.published",
        "record.created",
        "record.created",
        "response.created",
        "record.completed",
    ]
    ids = [r["headers"]["webhook-id"] for r in receiver.requests]
    assert len(set(ids)) == len(ids)  # one id per event

    parsed = [WebhookEvent.model_validate(p).parsed(owner) for p in payloads]
    created, published, first, second, answered, completed = parsed
    assert isinstance(created, DatasetEvent) and created.dataset.name == "hooked"
    assert created.dataset.workspace.name == TEAM
    assert isinstance(published, DatasetEvent) and published.dataset.id == dataset.id
    assert isinstance(first, RecordEvent)
    assert [first.record.id, second.record.id] == ["r1", "r2"]
    assert first.record.fields["text"] == "hello"
    assert first.record.dataset.name == "hooked"
    assert isinstance(answered, UserResponseEvent)
    assert str(answered.response.user_id) == str(annotator.me.id)
    assert [(r.question_name, r.value) for r in answered.response] == [("label", "a")]
    assert answered.response.status == "submitted"
    assert isinstance(completed, RecordEvent) and completed.record.id == "r1"
    assert completed.record.status == "completed"
    assert json.loads(receiver.requests[-1]["body"])["data"]["status"] == "completed"

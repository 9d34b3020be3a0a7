"""Sending: Standard Webhooks signatures, retries with backoff, order, disabled and deleted
webhooks, no redirects, and the target checked again at delivery time."""

import json
import socket
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from standardwebhooks.webhooks import Webhook as StandardWebhook

from apps.webhooks import delivery as sending
from apps.webhooks import events, services
from apps.webhooks.models import Delivery, DeliveryStatus, PendingEvent


def _queue(webhook, *names):
    """Queue one event per name for `webhook` (as a commit would), oldest first."""
    for name in names:
        events.publish("dataset.created", [{"name": name}], webhook_ids=[webhook.pk])


def _names(receiver):
    return [json.loads(r["body"])["data"]["name"] for r in receiver.requests]


def test_deliveries_are_signed_per_standard_webhooks(receiver, make_webhook):
    webhook = make_webhook(receiver.url)
    _queue(webhook, "first")
    assert sending.deliver_pending(webhook.pk) == 1
    (request,) = receiver.requests
    headers = {k.lower(): v for k, v in request["headers"].items()}
    payload = StandardWebhook(webhook.secret).verify(request["body"], headers)
    assert payload["type"] == "dataset.created" and payload["data"] == {"name": "first"}
    assert headers["content-type"] == "application/json"
    delivery = Delivery.objects.get()
    assert headers["webhook-id"] == str(delivery.event_id)
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("delivered", 1, 200)
    with pytest.raises(Exception, match="[Ss]ignature"):
        StandardWebhook(services.signing.new_secret()).verify(request["body"], headers)


def test_a_receiver_failing_twice_gets_the_event_again_with_backoff(receiver, make_webhook):
    receiver.answers.extend([500, 503])
    webhook = make_webhook(receiver.url)
    _queue(webhook, "first", "second")
    start = timezone.now()

    assert sending.deliver_pending(webhook.pk, now=start) == 0
    head = Delivery.objects.order_by("inserted_at").first()
    assert (head.status, head.attempts, head.response_status) == ("pending", 1, 500)
    assert head.next_attempt_at == start + sending.BACKOFF[0]
    # The worker is asked to come back then (a deferred task in the database backend).
    retry = DBTaskResult.objects.get(run_after=head.next_attempt_at)
    assert retry.task_path == "apps.webhooks.tasks.deliver_webhook"
    # Not due yet: nothing is sent, and the second event waits behind the first.
    assert sending.deliver_pending(webhook.pk, now=start + timedelta(seconds=1)) == 0
    assert len(receiver.requests) == 1

    later = start + sending.BACKOFF[0]
    assert sending.deliver_pending(webhook.pk, now=later) == 0
    head.refresh_from_db()
    assert (head.attempts, head.response_status) == (2, 503)
    assert head.next_attempt_at == later + sending.BACKOFF[1]

    assert sending.deliver_pending(webhook.pk, now=later + sending.BACKOFF[1]) == 2
    assert _names(receiver) == ["first", "first", "first", "second"]
    ids = [r["headers"]["webhook-id"] for r in receiver.requests]
    assert ids[0] == ids[1] == ids[2] != ids[3]  # one id per event, on every try
    head.refresh_from_db()
    assert (head.status, head.attempts) == ("delivered", 3)


def test_backoff_spans_about_a_day():
    total = sum(sending.BACKOFF, timedelta())
    assert timedelta(hours=20) <= total <= timedelta(hours=30)
    assert all(b > a for a, b in zip(sending.BACKOFF, sending.BACKOFF[1:], strict=False))


def test_429_and_network_errors_are_retried_4xx_is_final(receiver, make_webhook):
    receiver.answers.extend([429, 404])
    webhook = make_webhook(receiver.url)
    _queue(webhook, "first", "second")
    now = timezone.now()
    sending.deliver_pending(webhook.pk, now=now)
    sending.deliver_pending(webhook.pk, now=now + sending.BACKOFF[0])
    first, second = Delivery.objects.order_by("inserted_at")
    assert (first.status, first.attempts, first.response_status) == ("failed", 2, 404)
    assert second.status == "delivered"  # a final failure lets the next event go

    receiver.close()  # nobody listens any more: a network error
    _queue(webhook, "third")
    sending.deliver_pending(webhook.pk, now=now + timedelta(days=1))
    third = Delivery.objects.order_by("inserted_at").last()
    assert (third.status, third.response_status) == ("pending", None)
    assert third.error


def test_the_last_try_gives_up(receiver, make_webhook):
    webhook = make_webhook(receiver.url)
    _queue(webhook, "doomed")
    Delivery.objects.update(attempts=sending.MAX_ATTEMPTS - 1)
    receiver.answers.append(502)
    sending.deliver_pending(webhook.pk)
    assert Delivery.objects.get().status == DeliveryStatus.FAILED


def test_redirects_are_not_followed(receiver, make_webhook):
    receiver.answers.append((307, {"Location": "/elsewhere"}))
    webhook = make_webhook(receiver.url)
    _queue(webhook, "first")
    sending.deliver_pending(webhook.pk)
    assert [r["path"] for r in receiver.requests] == ["/hook"]
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.response_status) == ("failed", 307)


def test_a_disabled_webhook_gets_nothing(receiver, make_webhook):
    webhook = make_webhook(receiver.url)
    _queue(webhook, "queued before")
    services.update_webhook(webhook=webhook, enabled=False)
    sending.deliver_pending(webhook.pk)
    assert receiver.requests == []
    assert Delivery.objects.get().status == DeliveryStatus.FAILED
    # And no new event is even queued for it.
    events.queue("dataset.created", lambda: {"items": [{"name": "x"}]})
    assert not PendingEvent.objects.exists() and Delivery.objects.count() == 1


def test_a_deleted_webhook_stops_at_once(receiver, make_webhook):
    webhook = make_webhook(receiver.url)
    _queue(webhook, "first")
    webhook_id = webhook.pk
    services.delete_webhook(webhook=webhook)
    assert sending.deliver_pending(webhook_id) == 0
    assert receiver.requests == [] and not Delivery.objects.exists()


def test_a_dns_answer_turned_private_before_delivery_is_not_sent(make_webhook, monkeypatch):
    public = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", 80))]
    answer = {"hooks.example.com": public}
    real = socket.getaddrinfo
    monkeypatch.setattr(
        socket, "getaddrinfo", lambda host, *a, **k: answer.get(host) or real(host, *a, **k)
    )
    webhook = make_webhook("http://hooks.example.com/hook")
    _queue(webhook, "first")
    # The name now points inside the network (where the worker could reach an internal host).
    answer["hooks.example.com"] = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", 80))]
    connections = []
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: connections.append(a))
    sending.deliver_pending(webhook.pk)
    assert connections == []  # refused before any connection
    delivery = Delivery.objects.get()
    assert delivery.status == "pending" and "10.0.0.7" in delivery.error
    assert delivery.response_status is None


def test_pruning_keeps_pending_and_recent_deliveries(make_webhook):
    from django.core.management import call_command

    webhook = make_webhook("https://93.184.215.14/hook")
    _queue(webhook, "old delivered", "old pending", "recent delivered")
    old, old_pending, recent = Delivery.objects.order_by("inserted_at")
    long_ago = timezone.now() - timedelta(days=40)
    Delivery.objects.filter(pk__in=[old.pk, old_pending.pk]).update(inserted_at=long_ago)
    Delivery.objects.filter(pk__in=[old.pk, recent.pk]).update(status=DeliveryStatus.DELIVERED)
    call_command("prune_webhook_deliveries", "--days", "30")
    assert set(Delivery.objects.values_list("pk", flat=True)) == {old_pending.pk, recent.pk}

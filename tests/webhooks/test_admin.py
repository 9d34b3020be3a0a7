"""Webhooks in the admin: owners only; each webhook shows its recent deliveries."""

from django.urls import reverse

from apps.webhooks import events
from apps.webhooks.models import Delivery, Webhook
from tests.admin_helpers import form_data

PUBLIC = "https://93.184.215.14/hooks"


def test_owner_sees_webhooks_with_their_recent_deliveries(client, world, make_webhook):
    webhook = make_webhook(PUBLIC, events=["record.created", "dataset.created"])
    other = make_webhook("https://93.184.215.15/other")
    events.publish("record.created", [{"id": "x"}], webhook_ids=[webhook.pk])
    Delivery.objects.filter(webhook=webhook).update(
        response_status=503, error="503 Service Unavailable", attempts=2
    )
    events.publish("dataset.created", [{"id": "y"}], webhook_ids=[other.pk])
    client.force_login(world.owner)

    listing = client.get(reverse("admin:webhooks_webhook_changelist")).content.decode()
    assert PUBLIC in listing and "record.created, dataset.created" in listing

    page = client.get(reverse("admin:webhooks_webhook_change", args=[webhook.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "503 Service Unavailable" in html and "record.created" in html
    assert webhook.secret in html
    assert "93.184.215.15" not in html  # the other webhook's deliveries are not listed


def test_owner_adds_a_webhook_through_the_shared_rules(client, world, settings):
    client.force_login(world.owner)
    url = reverse("admin:webhooks_webhook_add")
    data = form_data(client.get(url))  # with the deliveries inline's management form
    data.update({"events": ["record.created"], "enabled": "on", "description": ""})
    refused = client.post(url, {**data, "url": "http://10.0.0.1/x"})
    assert refused.status_code == 200 and "private or reserved" in refused.content.decode()
    added = client.post(url, {**data, "url": PUBLIC})
    assert added.status_code == 302
    webhook = Webhook.objects.get()
    assert webhook.secret.startswith("whsec_") and webhook.description is None


def test_admins_and_annotators_cannot_see_webhooks(client, world, make_webhook):
    webhook = make_webhook(PUBLIC)
    for user in (world.admin, world.ann1):
        client.force_login(user)
        for name, args in (("changelist", []), ("change", [webhook.pk]), ("add", [])):
            page = client.get(reverse(f"admin:webhooks_webhook_{name}", args=args))
            assert page.status_code in (302, 403), (user, name)
        assert client.get(reverse("admin:webhooks_delivery_changelist")).status_code in (302, 403)
    client.force_login(world.admin)
    assert "webhooks" not in client.get(reverse("admin:index")).content.decode().lower()

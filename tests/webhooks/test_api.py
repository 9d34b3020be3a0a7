"""/api/v1/webhooks: the shapes the argilla 2.x SDK reads, validation (422 by field), and
owners only."""

import uuid

import pytest

from apps.webhooks.models import Delivery, Webhook

PUBLIC = "https://93.184.215.14/hooks"


def _create(api, user, **body):
    return api(user).post(
        "/api/v1/webhooks", {"url": PUBLIC, "events": ["record.created"], **body}, format="json"
    )


def test_owner_creates_lists_updates_and_deletes(world, api):
    created = _create(api, world.owner, description="retrain")
    assert created.status_code == 201
    body = created.json()
    assert set(body) == {
        "id",
        "url",
        "events",
        "enabled",
        "description",
        "secret",
        "inserted_at",
        "updated_at",
    }
    assert body["enabled"] is True and body["description"] == "retrain"
    assert body["secret"].startswith("whsec_") and len(body["secret"]) > 40

    listed = api(world.owner).get("/api/v1/webhooks").json()["items"]
    assert [item["id"] for item in listed] == [body["id"]]
    assert listed[0]["secret"] == body["secret"]

    # The SDK sends its whole dump: only url/events/enabled/description are applied.
    dump = {**body, "enabled": False, "events": ["record.created", "response.created"]}
    dump |= {"secret": "whsec_forged", "id": str(uuid.uuid4())}
    updated = api(world.owner).patch(f"/api/v1/webhooks/{body['id']}", dump, format="json")
    assert updated.status_code == 200
    assert updated.json()["enabled"] is False
    assert updated.json()["events"] == ["record.created", "response.created"]
    assert updated.json()["secret"] == body["secret"] and updated.json()["id"] == body["id"]

    deleted = api(world.owner).delete(f"/api/v1/webhooks/{body['id']}")
    assert deleted.status_code == 200 and deleted.json()["id"] == body["id"]
    assert not Webhook.objects.exists()


def test_ping_queues_a_ping_delivery(world, api):
    webhook_id = _create(api, world.owner).json()["id"]
    assert api(world.owner).post(f"/api/v1/webhooks/{webhook_id}/ping").status_code == 204
    delivery = Delivery.objects.get(webhook_id=webhook_id)
    assert delivery.event == "ping" and '"type":"ping"' in delivery.body


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "ftp://93.184.215.14/x"}, "url"),
        ({"url": "http://127.0.0.1:9/x"}, "url"),
        ({"url": "http://[::ffff:10.0.0.1]/x"}, "url"),
        ({"url": "http://169.254.169.254/latest/meta-data"}, "url"),
        ({"url": ""}, "url"),
        ({"events": []}, "events"),
        ({"events": ["record.created", "record.created"]}, "events"),
        ({"events": ["record.exploded"]}, "events"),
        ({"events": [{}]}, "events"),  # the fuzzer's find: an object was a 500 (unhashable)
        ({"events": [["record.created"]]}, "events"),
        ({"description": ""}, "description"),
        ({"description": "x" * 1001}, "description"),
    ],
)
def test_invalid_bodies_are_422_naming_the_field(world, api, body, field):
    response = _create(api, world.owner, **body)
    assert response.status_code == 422, response.json()
    locs = [error["loc"] for error in response.json()["detail"]["params"]["errors"]]
    assert any(loc[1] == field for loc in locs), locs
    assert not Webhook.objects.exists()


def test_missing_url_is_422(world, api):
    response = api(world.owner).post(
        "/api/v1/webhooks", {"events": ["record.created"]}, format="json"
    )
    assert response.status_code == 422
    assert response.json()["detail"]["params"]["errors"][0]["loc"] == ["body", "url"]


def test_update_to_a_private_target_is_422(world, api):
    webhook_id = _create(api, world.owner).json()["id"]
    response = api(world.owner).patch(
        f"/api/v1/webhooks/{webhook_id}", {"url": "http://10.0.0.1/x"}, format="json"
    )
    assert response.status_code == 422
    assert Webhook.objects.get(pk=webhook_id).url == PUBLIC


@pytest.mark.parametrize("who", ["admin", "ann1", "admin_b", "outsider"])
def test_only_owners_may_touch_webhooks(world, api, who):
    webhook_id = _create(api, world.owner).json()["id"]
    client = api(getattr(world, who))
    assert client.get("/api/v1/webhooks").status_code == 403
    assert _create(api, getattr(world, who)).status_code == 403
    url = f"/api/v1/webhooks/{webhook_id}"
    assert client.patch(url, {"enabled": False}, format="json").status_code == 403
    assert client.delete(url).status_code == 403
    assert client.post(f"{url}/ping").status_code == 403
    assert Webhook.objects.get(pk=webhook_id).enabled is True
    assert not Delivery.objects.exists()


def test_anonymous_is_401(world, api):
    assert api(None).get("/api/v1/webhooks").status_code == 401


def test_unknown_webhook_is_404(world, api):
    for path in (f"/api/v1/webhooks/{uuid.uuid4()}", "/api/v1/webhooks/not-a-uuid"):
        assert api(world.owner).delete(path).status_code == 404
        assert api(world.owner).post(f"{path}/ping").status_code == 404

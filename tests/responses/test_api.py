"""Responses: any member answers for themselves; annotators touch only their own."""

import pytest

from apps.records.models import Record
from apps.records.services import upsert_records

pytestmark = pytest.mark.django_db

VALUES = {"response_ranking": {"value": 2}}


@pytest.fixture
def record(world, make_dataset):
    dataset = make_dataset(world.ws_a)
    fields = {"prompt": "p", "response-1": "a", "response-2": "b"}
    upsert_records(dataset=dataset, items=[{"fields": fields}], mode="create")
    return Record.objects.get(dataset=dataset)


def test_create_update_delete_own_response(api, world, record):
    client = api(world.ann1)
    created = client.post(
        f"/api/v1/records/{record.id}/responses",
        {"values": VALUES, "status": "submitted", "user_id": str(world.ann2.id)},
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["user_id"] == str(world.ann1.id) and body["values"] == VALUES
    record.refresh_from_db()
    assert record.status == "completed"
    again = client.post(
        f"/api/v1/records/{record.id}/responses",
        {"values": VALUES, "status": "draft"},
        format="json",
    )
    assert again.status_code == 409
    updated = client.put(
        f"/api/v1/responses/{body['id']}", {"values": {}, "status": "discarded"}, format="json"
    )
    assert updated.status_code == 200 and updated.json()["status"] == "discarded"
    record.refresh_from_db()
    assert record.status == "pending"
    # Another annotator may not touch it; an outsider does not see it.
    assert api(world.ann2).delete(f"/api/v1/responses/{body['id']}").status_code == 403
    assert api(world.outsider).delete(f"/api/v1/responses/{body['id']}").status_code == 404
    deleted = client.delete(f"/api/v1/responses/{body['id']}")
    assert deleted.status_code == 200 and deleted.json()["id"] == body["id"]


@pytest.mark.parametrize(
    "body",
    [
        {"values": {"nope": {"value": 1}}, "status": "submitted"},
        {"values": {"response_ranking": {"value": 9}}, "status": "submitted"},
        {"values": {}, "status": "submitted"},
        {"values": VALUES, "status": "weird"},
        [1, 2],
    ],
)
def test_bad_responses_are_422(api, world, record, body):
    answer = api(world.ann1).post(f"/api/v1/records/{record.id}/responses", body, format="json")
    assert answer.status_code == 422, answer.content
    assert not record.responses.exists()


@pytest.mark.parametrize(
    ("who", "code"),
    [("owner", 201), ("admin", 201), ("ann1", 201), ("admin_b", 404), ("outsider", 404)],
)
def test_response_permissions(api, world, record, who, code):
    answer = api(getattr(world, who)).post(
        f"/api/v1/records/{record.id}/responses",
        {"values": VALUES, "status": "draft"},
        format="json",
    )
    assert answer.status_code == code


def test_no_or_wrong_key_is_401(api, world, record):
    url = f"/api/v1/records/{record.id}/responses"
    assert api(None).post(url, {}, format="json").status_code == 401
    assert api(None, key="bad").post(url, {}, format="json").status_code == 401

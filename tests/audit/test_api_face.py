"""Every audited action the API can do leaves one entry, face `api`, with who did it."""

from apps.audit.models import AuditEntry
from apps.datasets.models import Dataset
from apps.records.models import Record
from apps.webhooks.models import Webhook
from tests.audit.conftest import trail

PUBLIC = "https://93.184.215.14/hooks"


def test_a_dataset_life_through_the_api(world, api, committed):
    client = api(world.admin)
    with committed():
        created = client.post(
            "/api/v1/datasets", {"name": "life", "workspace_id": str(world.ws_a.pk)}, format="json"
        )
    dataset_id = created.json()["id"]
    base = f"/api/v1/datasets/{dataset_id}"
    with committed():
        field = {"name": "text", "settings": {"type": "text"}}
        assert client.post(f"{base}/fields", field, format="json").status_code == 201
        question = {
            "name": "good",
            "settings": {"type": "rating", "options": [{"value": 1}, {"value": 2}]},
        }
        question = client.post(f"{base}/questions", question, format="json").json()
        terms = {"name": "topic", "settings": {"type": "terms", "values": ["a"]}}
        meta = client.post(f"{base}/metadata-properties", terms, format="json").json()
        assert client.put(f"{base}/publish").status_code == 200
        patched = client.patch(base, {"guidelines": "Be kind."}, format="json")
        assert patched.status_code == 200
        retitled = {"title": "Is it good?"}
        question_url = f"/api/v1/questions/{question['id']}"
        assert client.patch(question_url, retitled, format="json").status_code == 200
        meta_url = f"/api/v1/metadata-properties/{meta['id']}"
        assert client.delete(meta_url).status_code == 200
        items = {"items": [{"fields": {"text": f"t{i}"}} for i in range(3)]}
        assert client.post(f"{base}/records/bulk", items, format="json").status_code in (200, 201)
        ids = ",".join(str(pk) for pk in Record.objects.values_list("pk", flat=True)[:2])
        assert client.delete(f"{base}/records?ids={ids}").status_code in (200, 204)
        assert client.delete(base).status_code == 200

    assert not Dataset.objects.filter(pk=dataset_id).exists()
    assert trail("target_label") == [
        ("api", "dataset.created", "adam", "life"),
        ("api", "dataset.setting_added", "adam", "text"),
        ("api", "dataset.setting_added", "adam", "good"),
        ("api", "dataset.setting_added", "adam", "topic"),
        ("api", "dataset.published", "adam", "life"),
        ("api", "dataset.updated", "adam", "life"),
        ("api", "dataset.setting_updated", "adam", "good"),
        ("api", "dataset.setting_deleted", "adam", "topic"),
        ("api", "records.deleted", "adam", "2"),
        ("api", "dataset.deleted", "adam", "life"),
    ]
    # The dataset is gone; its entries still name it and its workspace.
    kept = AuditEntry.objects.filter(dataset_id=dataset_id)
    assert {(e.workspace_name, e.dataset_name) for e in kept} == {("workspace-a", "life")}
    updated = AuditEntry.objects.get(action="dataset.updated")
    assert updated.details == {"changes": {"guidelines": [None, "Be kind."]}}
    assert updated.ip == "127.0.0.1"
    retitled = AuditEntry.objects.get(action="dataset.setting_updated")
    assert retitled.details["changes"] == {"title": ["good", "Is it good?"]}
    deleted = AuditEntry.objects.get(action="records.deleted")
    assert deleted.details["count"] == 2 and sorted(deleted.details["ids"]) == sorted(
        ids.split(",")
    )


def test_people_and_memberships_through_the_api(world, api, committed):
    client = api(world.owner)
    with committed():
        body = {"username": "newbie", "password": "pw-loam-1234", "role": "annotator"}
        user_id = client.post("/api/v1/users", body, format="json").json()["id"]
        assert (
            client.patch(f"/api/v1/users/{user_id}", {"role": "admin"}, format="json").status_code
            == 200
        )
        assert (
            client.patch(
                f"/api/v1/users/{user_id}", {"first_name": "Nel"}, format="json"
            ).status_code
            == 200
        )
        member = f"/api/v1/workspaces/{world.ws_b.pk}/users/{user_id}"
        assert client.post(member).status_code == 201
        assert client.delete(member).status_code == 200

    assert trail("target_label", "workspace_name") == [
        ("api", "user.created", "olivia", "newbie", ""),
        ("api", "user.role_changed", "olivia", "newbie", ""),
        ("api", "user.updated", "olivia", "newbie", ""),
        ("api", "membership.added", "olivia", "newbie", "workspace-b"),
        ("api", "membership.removed", "olivia", "newbie", "workspace-b"),
    ]
    role = AuditEntry.objects.get(action="user.role_changed")
    assert role.details == {"changes": {"role": ["annotator", "admin"]}}


def test_a_new_users_workspaces_are_memberships_in_the_trail(world, api, committed):
    body = {"username": "joiner", "password": "pw-loam-1234", "workspaces": ["workspace-a"]}
    with committed():
        assert api(world.owner).post("/api/v1/users", body, format="json").status_code == 201
    assert trail("workspace_name") == [
        ("api", "user.created", "olivia", ""),
        ("api", "membership.added", "olivia", "workspace-a"),
    ]


def test_webhooks_through_the_api(world, api, committed):
    client = api(world.owner)
    with committed():
        body = {"url": PUBLIC, "events": ["dataset.created"]}
        hook_id = client.post("/api/v1/webhooks", body, format="json").json()["id"]
        patch = {"enabled": False}
        assert client.patch(f"/api/v1/webhooks/{hook_id}", patch, format="json").status_code == 200
        assert client.delete(f"/api/v1/webhooks/{hook_id}").status_code in (200, 204)

    assert not Webhook.objects.exists()
    assert trail("target_label") == [
        ("api", "webhook.created", "olivia", PUBLIC),
        ("api", "webhook.updated", "olivia", PUBLIC),
        ("api", "webhook.deleted", "olivia", PUBLIC),
    ]
    updated = AuditEntry.objects.get(action="webhook.updated")
    assert updated.details == {"changes": {"enabled": [True, False]}}


def test_exports_streamed_and_served_through_the_api(
    world, api, demo, committed, settings, tmp_path
):
    from apps.exports import services as exports

    settings.LOAM_EXPORT_DIR = tmp_path
    dataset, _records = demo
    client = api(world.admin)
    with committed():
        response = client.get(f"/api/v1/datasets/{dataset.pk}/export?format=jsonl")
        assert response.status_code == 200
        b"".join(response.streaming_content)
        job = exports.start_background_export(
            dataset=dataset, user=world.admin, format="csv", task="records"
        )
    exports.run_export(job)  # what the worker does
    with committed():
        served = client.get(f"/api/v1/exports/{job.pk}/file")
        assert served.status_code == 200
        b"".join(served.streaming_content)

    downloads = trail("dataset_name", "target_id", action="export.downloaded")
    assert downloads == [
        ("api", "export.downloaded", "adam", dataset.name, ""),
        ("api", "export.downloaded", "adam", dataset.name, str(job.pk)),
    ]


def test_a_refused_request_leaves_no_entry(world, api, committed):
    with committed():
        body = {"name": "bad/name", "workspace_id": str(world.ws_a.pk)}
        assert api(world.admin).post("/api/v1/datasets", body, format="json").status_code == 422
        other = {"name": "theirs", "workspace_id": str(world.ws_b.pk)}
        assert api(world.admin).post("/api/v1/datasets", other, format="json").status_code >= 400
    assert trail() == []


def test_removing_people_through_the_api(world, api, committed):
    """The SDK's `user.delete()` deactivates; `?hard=true` deletes: both audited, face api."""
    client = api(world.owner)
    with committed():
        assert client.delete(f"/api/v1/users/{world.ann1.pk}").status_code == 200
        hard = client.delete(f"/api/v1/users/{world.ann2.pk}?hard=true")
        assert hard.status_code == 200
    assert trail("target_label") == [
        ("api", "user.deactivated", "olivia", "ann1"),
        ("api", "user.deleted", "olivia", "ann2"),
    ]

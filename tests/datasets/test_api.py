"""Datasets over the API: shapes, exact status codes, body variants, and who may do what."""

import uuid

import pytest

from apps.datasets.models import Dataset, DatasetStatus
from apps.records.models import Record, RecordStatus
from apps.responses.models import Response, ResponseStatus

DATASET_KEYS = {
    "id",
    "name",
    "status",
    "guidelines",
    "allow_extra_metadata",
    "distribution",
    "workspace_id",
    "last_activity_at",
    "inserted_at",
    "updated_at",
    "metadata",
}


def _loc(response) -> list:
    return [error["loc"] for error in response.json()["detail"]["params"]["errors"]]


# ------------------------------------------------------------------------- shapes


def test_dataset_shape(world, api, make_dataset):
    dataset = make_dataset(world.ws_a, name="prefs", guidelines="Be kind.")
    response = api(world.ann1).get(f"/api/v1/datasets/{dataset.id}")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == DATASET_KEYS
    assert body["id"] == str(dataset.id)
    assert body["name"] == "prefs"
    assert body["status"] == "ready"
    assert body["guidelines"] == "Be kind."
    assert body["allow_extra_metadata"] is True
    assert body["distribution"] == {"strategy": "overlap", "min_submitted": 1}
    assert body["workspace_id"] == str(world.ws_a.id)
    assert body["last_activity_at"] is None and body["metadata"] is None
    assert body["inserted_at"] and body["updated_at"]


def test_my_datasets_lists_only_visible_ones_with_filters(world, api, make_dataset):
    a1 = make_dataset(world.ws_a, name="a-one")
    make_dataset(world.ws_a, name="a-two", publish=False)
    make_dataset(world.ws_b, name="b-one")

    def names(user, query=""):
        response = api(user).get(f"/api/v1/me/datasets{query}")
        assert response.status_code == 200
        return [d["name"] for d in response.json()["items"]]

    assert names(world.ann1) == ["a-one", "a-two"]
    assert names(world.outsider) == ["b-one"]
    assert names(world.owner) == ["a-one", "a-two", "b-one"]
    assert names(world.owner, f"?workspace_id={world.ws_b.id}") == ["b-one"]
    assert names(world.owner, "?status=draft") == ["a-two"]
    assert names(world.owner, "?name=a-one") == ["a-one"]
    assert names(world.outsider, f"?workspace_id={world.ws_a.id}") == []
    assert api(world.owner).get("/api/v1/me/datasets?workspace_id=nope").status_code == 422
    item = api(world.ann1).get("/api/v1/me/datasets").json()["items"][0]
    assert item["id"] == str(a1.id) and set(item) == DATASET_KEYS


def test_my_datasets_query_count_is_constant(world, api, make_workspace, django_assert_num_queries):
    from apps.datasets import services

    client = api(world.admin)
    for n in (1, 50):
        workspace = make_workspace()
        world.admin.memberships.create(workspace=workspace)
        for i in range(n):
            services.create_dataset(workspace=workspace, name=f"ds-{n}-{i}")
        # 1. the API key and its user  2-3. the user's rate budget (cache read, write)
        # 4. the datasets of the caller's workspaces
        with django_assert_num_queries(4):
            response = client.get(f"/api/v1/me/datasets?workspace_id={workspace.id}")
        assert len(response.json()["items"]) == n


# ------------------------------------------------------------------------- create


def test_create_minimal_is_201_draft(world, api):
    body = {"name": "new ds", "workspace_id": str(world.ws_a.id)}
    response = api(world.admin).post("/api/v1/datasets", body, format="json")
    assert response.status_code == 201
    data = response.json()
    assert set(data) == DATASET_KEYS
    assert data["status"] == "draft" and data["name"] == "new ds"
    assert data["distribution"] == {"strategy": "overlap", "min_submitted": 1}
    assert data["allow_extra_metadata"] is True and data["guidelines"] is None


def test_create_from_disk_dump_ignores_ids_timestamps_status(world, api, make_dataset):
    old = make_dataset(world.ws_a, name="exported")
    body = {
        "id": str(old.id),
        "inserted_at": "2024-05-01T10:00:00",
        "updated_at": "2024-05-01T10:00:00",
        "name": "imported",
        "status": "ready",
        "guidelines": "Read me.",
        "allow_extra_metadata": False,
        "distribution": {"strategy": "overlap", "min_submitted": 2},
        "workspace_id": str(world.ws_a.id),
        "last_activity_at": "2024-05-01T10:00:00",
        "junk": {"x": 1},
    }
    response = api(world.owner).post("/api/v1/datasets", body, format="json")
    assert response.status_code == 201
    data = response.json()
    assert data["id"] != str(old.id)
    assert data["status"] == "draft"
    assert data["guidelines"] == "Read me."
    assert data["allow_extra_metadata"] is False
    assert data["distribution"] == {"strategy": "overlap", "min_submitted": 2}
    assert data["last_activity_at"] is None


def test_create_legacy_body(world, api):
    body = {"name": "legacy", "workspace_id": str(world.ws_a.id), "allow_extra_metadata": True}
    assert api(world.admin).post("/api/v1/datasets", body, format="json").status_code == 201


def test_create_duplicate_name_is_409_and_bad_input_422(world, api, make_dataset):
    make_dataset(world.ws_a, name="taken")
    client = api(world.owner)
    ws = str(world.ws_a.id)
    dup = client.post("/api/v1/datasets", {"name": "taken", "workspace_id": ws}, format="json")
    assert dup.status_code == 409
    # Same name in another workspace is fine.
    other = {"name": "taken", "workspace_id": str(world.ws_b.id)}
    assert client.post("/api/v1/datasets", other, format="json").status_code == 201
    bad = client.post("/api/v1/datasets", {"name": "bad/name", "workspace_id": ws}, format="json")
    assert bad.status_code == 422 and _loc(bad) == [["body", "name"]]
    missing = client.post("/api/v1/datasets", {"name": "x"}, format="json")
    assert missing.status_code == 422 and _loc(missing) == [["body", "workspace_id"]]
    zero = {"name": "z", "workspace_id": ws, "distribution": {"min_submitted": 0}}
    response = client.post("/api/v1/datasets", zero, format="json")
    assert response.status_code == 422
    assert _loc(response) == [["body", "distribution", "min_submitted"]]


@pytest.mark.parametrize(
    "who, workspace, expected",
    [
        ("owner", "ws_a", 201),
        ("admin", "ws_a", 201),
        ("admin_b", "ws_a", 404),
        ("ann1", "ws_a", 403),
        ("outsider", "ws_a", 404),
        ("owner", None, 404),
    ],
)
def test_create_permissions(world, api, who, workspace, expected):
    workspace_id = getattr(world, workspace).id if workspace else uuid.uuid4()
    body = {"name": "perm", "workspace_id": str(workspace_id)}
    response = api(getattr(world, who)).post("/api/v1/datasets", body, format="json")
    assert response.status_code == expected
    assert Dataset.objects.filter(name="perm").exists() == (expected == 201)


@pytest.mark.parametrize("key", [None, "wrong-key"])
def test_no_or_wrong_key_is_401_everywhere(world, api, make_dataset, key):
    dataset = make_dataset(world.ws_a)
    client = api(None, key=key)
    base = f"/api/v1/datasets/{dataset.id}"
    assert client.get("/api/v1/me/datasets").status_code == 401
    assert client.post("/api/v1/datasets", {"name": "x"}, format="json").status_code == 401
    assert client.get(base).status_code == 401
    assert client.patch(base, {"name": "y"}, format="json").status_code == 401
    assert client.delete(base).status_code == 401
    assert client.put(f"{base}/publish").status_code == 401
    assert client.get(f"{base}/progress").status_code == 401
    assert client.get(f"{base}/users/progress").status_code == 401
    assert client.get(f"/api/v1/me/datasets/{dataset.id}/metrics").status_code == 401
    assert Dataset.objects.filter(pk=dataset.pk).exists()


# ---------------------------------------------------------------- read permissions

READERS = [("owner", 200), ("admin", 200), ("admin_b", 404), ("ann1", 200), ("outsider", 404)]
MANAGERS = [("owner", 200), ("admin", 200), ("admin_b", 404), ("ann1", 403), ("outsider", 404)]


@pytest.mark.parametrize("who, expected", READERS)
@pytest.mark.parametrize("path", ["", "/progress", "metrics"])
def test_read_permissions(world, api, make_dataset, who, expected, path):
    dataset = make_dataset(world.ws_a)
    if path == "metrics":
        url = f"/api/v1/me/datasets/{dataset.id}/metrics"
    else:
        url = f"/api/v1/datasets/{dataset.id}{path}"
    assert api(getattr(world, who)).get(url).status_code == expected


def test_unknown_or_malformed_dataset_id_is_404(world, api):
    client = api(world.owner)
    assert client.get(f"/api/v1/datasets/{uuid.uuid4()}").status_code == 404
    assert client.get("/api/v1/datasets/not-a-uuid").status_code == 404


# ----------------------------------------------------------------------- update


def test_patch_s2_body(world, api, make_dataset):
    dataset = make_dataset(world.ws_a, name="before", guidelines="old")
    body = {
        "id": str(dataset.id),
        "name": "after",
        "guidelines": "new",
        "allow_extra_metadata": False,
        "distribution": {"strategy": "overlap", "min_submitted": 2},
    }
    response = api(world.admin).patch(f"/api/v1/datasets/{dataset.id}", body, format="json")
    assert response.status_code == 200
    data = response.json()
    assert data["name"] == "after" and data["guidelines"] == "new"
    assert data["allow_extra_metadata"] is False
    assert data["distribution"] == {"strategy": "overlap", "min_submitted": 2}
    dataset.refresh_from_db()
    assert dataset.min_submitted == 2 and dataset.name == "after"


def test_patch_unchanged_distribution_and_guidelines_null_clears(world, api, make_dataset):
    dataset = make_dataset(world.ws_a, guidelines="old")
    url = f"/api/v1/datasets/{dataset.id}"
    body = {"guidelines": None, "distribution": {"strategy": "overlap", "min_submitted": 1}}
    response = api(world.owner).patch(url, body, format="json")
    assert response.status_code == 200
    assert response.json()["guidelines"] is None


def test_patch_min_submitted_beyond_the_named_pool_is_422(world, api, make_dataset):
    """The admin rejects an overlap larger than the annotator pool; so must the API."""
    from apps.annotation.services import update_rules

    dataset = make_dataset(world.ws_a, name="pooled")
    update_rules(dataset=dataset, pool_kind="named", annotators=[world.ann1])
    body = {"name": "renamed", "distribution": {"strategy": "overlap", "min_submitted": 2}}
    response = api(world.owner).patch(f"/api/v1/datasets/{dataset.id}", body, format="json")
    assert response.status_code == 422
    assert "pool" in str(response.json()["detail"]).lower()
    dataset.refresh_from_db()
    assert (dataset.min_submitted, dataset.name) == (1, "pooled")


@pytest.mark.parametrize("key", ["name", "allow_extra_metadata", "distribution"])
def test_patch_null_is_422(world, api, make_dataset, key):
    dataset = make_dataset(world.ws_a)
    response = api(world.owner).patch(f"/api/v1/datasets/{dataset.id}", {key: None}, format="json")
    assert response.status_code == 422
    assert _loc(response) == [["body", key]]


def test_patch_bad_strategy_and_duplicate_name(world, api, make_dataset):
    dataset = make_dataset(world.ws_a)
    make_dataset(world.ws_a, name="other")
    client = api(world.owner)
    url = f"/api/v1/datasets/{dataset.id}"
    bad = {"distribution": {"strategy": "round_robin", "min_submitted": 1}}
    response = client.patch(url, bad, format="json")
    assert response.status_code == 422
    assert _loc(response) == [["body", "distribution", "strategy"]]
    assert client.patch(url, {"name": "other"}, format="json").status_code == 409


@pytest.mark.parametrize("who, expected", MANAGERS)
def test_patch_permissions(world, api, make_dataset, who, expected):
    dataset = make_dataset(world.ws_a, name="keep")
    url = f"/api/v1/datasets/{dataset.id}"
    response = api(getattr(world, who)).patch(url, {"name": "changed"}, format="json")
    assert response.status_code == expected
    dataset.refresh_from_db()
    assert (dataset.name == "changed") == (expected == 200)


# ----------------------------------------------------------------- delete, publish


@pytest.mark.parametrize("who, expected", MANAGERS)
def test_delete_answers_the_dataset(world, api, make_dataset, who, expected):
    dataset = make_dataset(world.ws_a)
    response = api(getattr(world, who)).delete(f"/api/v1/datasets/{dataset.id}")
    assert response.status_code == expected
    if expected == 200:
        assert response.json()["id"] == str(dataset.id)
        assert set(response.json()) == DATASET_KEYS
    assert Dataset.objects.filter(pk=dataset.pk).exists() == (expected != 200)


@pytest.mark.parametrize("who, expected", MANAGERS)
def test_publish_permissions(world, api, make_dataset, who, expected):
    dataset = make_dataset(world.ws_a, publish=False)
    response = api(getattr(world, who)).put(f"/api/v1/datasets/{dataset.id}/publish")
    assert response.status_code == expected
    if expected == 200:
        assert response.json()["status"] == "ready"
    dataset.refresh_from_db()
    assert (dataset.status == DatasetStatus.READY) == (expected == 200)


def test_publish_needs_fields_and_questions(world, api, make_dataset):
    dataset = make_dataset(world.ws_a, fields=[], questions=[], publish=False)
    response = api(world.owner).put(f"/api/v1/datasets/{dataset.id}/publish")
    assert response.status_code == 422
    assert _loc(response) == [["body", "fields"], ["body", "questions"]]


def test_publish_twice_is_422(world, api, make_dataset):
    dataset = make_dataset(world.ws_a)
    assert api(world.owner).put(f"/api/v1/datasets/{dataset.id}/publish").status_code == 422


# ------------------------------------------------------------- progress, metrics


@pytest.fixture
def answered(world, make_dataset):
    """Three records: r1 completed (ann1 submitted), r2 pending with ann2's draft, r3 bare."""
    dataset = make_dataset(world.ws_a)
    r1, r2, r3 = (
        Record.objects.create(dataset=dataset, fields={"prompt": str(i)}) for i in range(3)
    )
    Response.objects.create(record=r1, user=world.ann1, status=ResponseStatus.SUBMITTED)
    Response.objects.create(record=r2, user=world.ann2, status=ResponseStatus.DRAFT)
    Response.objects.create(record=r2, user=world.ann1, status=ResponseStatus.DISCARDED)
    Record.objects.filter(pk=r1.pk).update(status=RecordStatus.COMPLETED)
    return dataset


def test_progress(world, api, answered):
    response = api(world.ann1).get(f"/api/v1/datasets/{answered.id}/progress")
    assert response.status_code == 200
    assert response.json() == {"total": 3, "completed": 1, "pending": 2}


def test_users_progress(world, api, answered):
    response = api(world.admin).get(f"/api/v1/datasets/{answered.id}/users/progress")
    assert response.status_code == 200
    assert response.json() == {
        "users": [
            {
                "username": "ann1",
                "completed": {"submitted": 1, "draft": 0, "discarded": 0},
                "pending": {"submitted": 0, "draft": 0, "discarded": 1},
            },
            {
                "username": "ann2",
                "completed": {"submitted": 0, "draft": 0, "discarded": 0},
                "pending": {"submitted": 0, "draft": 1, "discarded": 0},
            },
        ]
    }


@pytest.mark.parametrize("who, expected", MANAGERS)
def test_users_progress_permissions(world, api, answered, who, expected):
    url = f"/api/v1/datasets/{answered.id}/users/progress"
    assert api(getattr(world, who)).get(url).status_code == expected


def test_metrics_count_the_callers_responses(world, api, answered):
    body = api(world.ann1).get(f"/api/v1/me/datasets/{answered.id}/metrics").json()
    assert body["records"] == {"count": 3}
    responses = body["responses"]
    assert {k: responses[k] for k in ("submitted", "discarded", "draft", "pending")} == {
        "submitted": 1,
        "discarded": 1,
        "draft": 0,
        "pending": 1,
    }
    assert responses["total"] == 3
    body = api(world.ann2).get(f"/api/v1/me/datasets/{answered.id}/metrics").json()
    assert body["responses"]["draft"] == 1 and body["responses"]["pending"] == 1
    assert body["responses"]["total"] == 2  # r1 is completed by others, not pending for ann2


def test_empty_dataset_progress_and_metrics(world, api, make_dataset):
    dataset = make_dataset(world.ws_a)
    client = api(world.owner)
    assert client.get(f"/api/v1/datasets/{dataset.id}/progress").json() == {
        "total": 0,
        "completed": 0,
        "pending": 0,
    }
    assert client.get(f"/api/v1/datasets/{dataset.id}/users/progress").json() == {"users": []}
    metrics = client.get(f"/api/v1/me/datasets/{dataset.id}/metrics").json()
    assert metrics["records"]["count"] == 0 and metrics["responses"]["total"] == 0

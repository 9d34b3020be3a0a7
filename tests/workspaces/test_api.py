"""Workspaces and their members over the API: shapes, exact status codes, who may do what."""

import uuid

import pytest

from apps.workspaces.models import Workspace


def test_my_workspaces_scoped_and_ordered(world, api):
    items = api(world.ann1).get("/api/v1/me/workspaces").json()["items"]
    assert [w["name"] for w in items] == ["workspace-a"]
    items = api(world.owner).get("/api/v1/me/workspaces").json()["items"]
    assert [w["name"] for w in items] == ["workspace-a", "workspace-b"]
    assert set(items[0]) >= {"id", "name", "inserted_at", "updated_at"}


@pytest.mark.parametrize(
    "who, expected", [("owner", 201), ("admin", 403), ("ann1", 403), (None, 401)]
)
def test_create_workspace_is_for_owners(world, api, who, expected):
    client = api(getattr(world, who) if who else None)
    body = {"id": None, "inserted_at": None, "updated_at": None, "name": "new-ws"}
    response = client.post("/api/v1/workspaces", body, format="json")
    assert response.status_code == expected
    assert Workspace.objects.filter(name="new-ws").exists() == (expected == 201)


def test_workspace_conflicts_and_bad_names(world, api):
    client = api(world.owner)
    assert (
        client.post("/api/v1/workspaces", {"name": "workspace-a"}, format="json").status_code == 409
    )
    response = client.post("/api/v1/workspaces", {"name": "bad name"}, format="json")
    assert response.status_code == 422
    assert response.json()["detail"]["params"]["errors"][0]["loc"] == ["body", "name"]
    assert client.post("/api/workspaces", {"name": "legacy-ws"}, format="json").status_code == 200


@pytest.mark.parametrize(
    "who, expected", [("owner", 200), ("admin", 200), ("ann1", 200), ("outsider", 404)]
)
def test_get_workspace_hides_other_tenants(world, api, who, expected):
    response = api(getattr(world, who)).get(f"/api/v1/workspaces/{world.ws_a.id}")
    assert response.status_code == expected


def test_members_add_list_remove(world, api, make_user):
    client = api(world.owner)
    newcomer = make_user("newcomer")
    url = f"/api/v1/workspaces/{world.ws_a.id}/users"
    response = client.post(url, {"user_id": str(newcomer.id)}, format="json")
    assert response.status_code == 201 and response.json()["username"] == "newcomer"
    assert client.post(url, {"user_id": str(newcomer.id)}, format="json").status_code == 409
    assert client.post(url, {"user_id": str(uuid.uuid4())}, format="json").status_code == 422
    names = [u["username"] for u in client.get(url).json()["items"]]
    assert "newcomer" in names and "outsider" not in names
    assert api(world.admin).get(url).status_code == 200
    assert api(world.ann1).get(url).status_code == 403
    assert api(world.admin_b).get(url).status_code == 404
    assert client.delete(f"{url}/{newcomer.id}").status_code == 200
    assert client.delete(f"{url}/{newcomer.id}").status_code == 404
    legacy = client.get(f"/api/workspaces/{world.ws_a.id}/users").json()
    assert isinstance(legacy, list)

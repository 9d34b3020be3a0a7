"""Users, workspaces and members: shapes, exact status codes, and who may do what."""

import uuid

import pytest

from apps.accounts.models import User
from apps.workspaces.models import Workspace


def test_me(world, api):
    response = api(world.ann1).get("/api/v1/me")
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "ann1" and body["role"] == "annotator"
    assert body["id"] == str(world.ann1.id)
    assert body["first_name"] == "ann1"  # never empty: argilla-v1 requires it


@pytest.mark.parametrize("key", [None, "wrong-key"])
def test_missing_or_wrong_key_is_401(world, api, key):
    client = api(None, key=key)
    assert client.get("/api/v1/me").status_code == 401
    assert client.get("/api/me").status_code == 401


def test_legacy_me_echoes_the_callers_key_and_workspaces(world, api_key_for):
    from rest_framework.test import APIClient

    key = api_key_for(world.admin)
    client = APIClient()
    client.credentials(HTTP_X_ARGILLA_API_KEY=key)
    body = client.get("/api/me").json()
    assert body["api_key"] == key
    assert body["workspaces"] == ["workspace-a"]
    for required in ("id", "first_name", "username", "role", "inserted_at", "updated_at"):
        assert body[required]


def test_info_needs_no_key(db, api):
    body = api(None).get("/api/_info").json()
    assert isinstance(body["version"], str) and body["version"].count(".") == 2


def test_no_trailing_slash_redirects(world, api):
    assert api(world.owner).get("/api/v1/me/").status_code == 404


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


def test_create_user(world, api):
    client = api(world.owner)
    body = {
        "id": None,
        "inserted_at": None,
        "updated_at": None,
        "username": "newbie",
        "role": "annotator",
        "first_name": "New",
        "last_name": None,
        "password": "a-good-password",
    }
    response = client.post("/api/v1/users", body, format="json")
    assert response.status_code == 201
    assert "password" not in response.json()
    assert User.objects.get(username="newbie").check_password("a-good-password")
    assert client.post("/api/v1/users", body, format="json").status_code == 409
    short = {**body, "username": "other", "password": "short"}
    response = client.post("/api/v1/users", short, format="json")
    assert response.status_code == 422
    assert response.json()["detail"]["params"]["errors"][0]["loc"] == ["body", "password"]
    assert (
        api(world.admin)
        .post("/api/v1/users", {**body, "username": "x1"}, format="json")
        .status_code
        == 403
    )


def test_users_visible_to_admin_are_their_members(world, api):
    names = {u["username"] for u in api(world.admin).get("/api/v1/users").json()["items"]}
    assert names == {"adam", "ann1", "ann2"}
    assert api(world.admin).get(f"/api/v1/users/{world.outsider.id}").status_code == 404
    assert api(world.ann1).get("/api/v1/users").status_code == 403


def test_malformed_json_is_400(world, api):
    response = api(world.owner).post(
        "/api/v1/workspaces", data="{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert "Malformed JSON" in response.json()["detail"]

"""Users over the API (/me, /users): shapes, exact status codes, and who may do what.

Also what an SDK meets first when it connects: the key checked on /me, /_info without a key,
no trailing slashes, a 400 for malformed JSON. Workspaces and members: tests/workspaces."""

import pytest

from apps.accounts.models import User


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

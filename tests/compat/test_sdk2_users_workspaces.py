"""argilla 2.x: connecting, users, workspaces and memberships."""

import pytest

from apps.accounts.models import ApiKey, Role, User
from apps.workspaces.models import Workspace, WorkspaceMember

pytestmark = [pytest.mark.compat, pytest.mark.django_db(transaction=True)]


def test_connect_reports_the_caller(team, connect):
    client = connect(team.owner_key)

    assert client.me.username == "compat-owner"
    assert client.me.role == "owner"
    assert str(client.me.id) == str(team.owner.id)


def test_connect_with_a_wrong_key_is_a_credentials_error(team, connect, rg):
    from argilla._exceptions import ArgillaCredentialsError

    with pytest.raises(ArgillaCredentialsError):
        connect("not-a-key")


def test_annotator_connects_and_sees_only_their_workspace(team, connect):
    Workspace.objects.create(name="someone-else")
    client = connect(team.ann1_key)

    assert client.me.role == "annotator"
    assert [ws.name for ws in client.workspaces] == ["compat-team"]


def test_owner_creates_workspace_and_user_and_adds_the_user(team, connect, rg):
    client = connect(team.owner_key)

    workspace = rg.Workspace(name="labellers", client=client).create()
    user = rg.User(
        username="newbie", password="newbie-pass-123", role="annotator", client=client
    ).create()
    added = workspace.add_user(user)

    assert added.username == "newbie"
    assert workspace.id is not None and user.id is not None
    db_user = User.objects.get(username="newbie")
    assert str(db_user.id) == str(user.id)
    assert db_user.role == Role.ANNOTATOR
    assert db_user.check_password("newbie-pass-123")
    assert Workspace.objects.filter(id=workspace.id, name="labellers").exists()
    assert WorkspaceMember.objects.filter(workspace_id=workspace.id, user=db_user).exists()
    assert [u.username for u in workspace.users] == ["newbie"]
    # The new user can connect with a key issued for them.
    key = ApiKey.issue(user=db_user)[1]
    assert [ws.name for ws in connect(key).workspaces] == ["labellers"]


def test_add_user_by_name_and_listings(team, connect, rg):
    client = connect(team.owner_key)
    workspace = client.workspaces("compat-team")

    rg.User(username="by-name", password="by-name-pass-1", client=client).create()
    workspace.add_user("by-name")

    assert {u.username for u in workspace.users} == {
        "compat-admin",
        "compat-ann1",
        "compat-ann2",
        "by-name",
    }
    assert client.users("compat-ann1").role == "annotator"
    assert client.users(id=team.ann2.id).username == "compat-ann2"
    assert {"compat-owner", "compat-ann1", "by-name"} <= {u.username for u in client.users}
    assert "compat-team" in [ws.name for ws in client.workspaces]


def test_remove_user_from_workspace_and_delete_user(team, connect, rg):
    client = connect(team.owner_key)
    workspace = client.workspaces("compat-team")
    user = client.users("compat-ann2")

    workspace.remove_user(user)
    assert not WorkspaceMember.objects.filter(workspace=team.workspace, user=team.ann2).exists()

    user.delete()  # deactivates (README, Removing people): no sign-in, no keys, answers kept
    assert not User.objects.get(username="compat-ann2").is_active


def test_duplicate_workspace_is_a_conflict(team, connect, rg):
    from argilla._exceptions import ConflictError

    client = connect(team.owner_key)
    with pytest.raises(ConflictError):
        rg.Workspace(name="compat-team", client=client).create()
    assert Workspace.objects.filter(name="compat-team").count() == 1


def test_annotator_cannot_create_users(team, connect, rg):
    from argilla._exceptions import ForbiddenError

    client = connect(team.ann1_key)
    with pytest.raises(ForbiddenError):
        rg.User(username="sneaky", password="sneaky-pass-1", client=client).create()
    assert not User.objects.filter(username="sneaky").exists()

"""The user admin applies `accounts.services`' rules, as the API does.

A user added in the admin is made by `create_user`: the same username rule (shown on the
username field), an API key; a refused add writes nothing (no user, no membership).
"""

import pytest
from django.urls import reverse

from apps.accounts.models import ApiKey, Role, User
from apps.workspaces.models import WorkspaceMember
from tests.admin_helpers import change_url, messages_of, user_add_data, user_change_data

ADD = "admin:accounts_user_add"


def api_create_user(api, owner, username):
    body = {"username": username, "password": "a-Long-pass-4321", "role": "annotator"}
    return api(owner).post("/api/v1/users", body, format="json")


@pytest.mark.parametrize("who", ["owner", "admin"])
def test_added_user_gets_an_api_key_and_the_membership(client, world, who):
    client.force_login(getattr(world, who))

    page = client.post(reverse(ADD), user_add_data(world.ws_a))

    assert page.status_code == 302
    created = User.objects.get(username="newbie")
    assert ApiKey.objects.filter(user=created).count() == 1  # as create_user issues one
    assert list(created.workspaces.all()) == [world.ws_a]
    assert created.check_password("a-Long-pass-4321")


@pytest.mark.parametrize("who", ["owner", "admin"])
@pytest.mark.parametrize("username", ["-dash-first", "dotted.name", "at@home"])
def test_username_rule_shows_on_the_field_and_nothing_is_written(client, world, who, username, api):
    # Django's own username validator accepts these; the service (and so the API) does not.
    client.force_login(getattr(world, who))
    users_before = User.objects.count()

    page = client.post(reverse(ADD), {**user_add_data(world.ws_a), "username": username})
    by_api = api_create_user(api, world.owner, username)

    assert page.status_code == 200
    [error] = page.context["adminform"].form.errors["username"]
    assert "is not a valid username" in error
    assert by_api.status_code == 422
    assert User.objects.count() == users_before
    assert not WorkspaceMember.objects.filter(user__username=username).exists()


def test_names_differing_only_in_case_are_allowed_as_in_the_api(client, world, api):
    client.force_login(world.owner)

    page = client.post(reverse(ADD), {**user_add_data(world.ws_a), "username": "ANN1"})
    by_api = api_create_user(api, world.owner, "Ann1")

    assert page.status_code == 302 and by_api.status_code == 201
    taken = client.post(reverse(ADD), {**user_add_data(world.ws_a), "username": "ann1"})
    assert taken.status_code == 200 and "username" in taken.context["adminform"].form.errors


def test_password_change_goes_through_the_service(client, world):
    client.force_login(world.admin)
    url = reverse("admin:auth_user_password_change", args=[world.ann1.pk])

    page = client.post(
        url,
        {"usable_password": "true", "password1": "n3w-Pass-word", "password2": "n3w-Pass-word"},
    )

    assert page.status_code == 302
    world.ann1.refresh_from_db()
    assert world.ann1.check_password("n3w-Pass-word")


def test_owner_cannot_delete_themselves(client, world):
    client.force_login(world.owner)

    page = client.post(reverse("admin:accounts_user_delete", args=[world.owner.pk]), {"post": 1})

    assert page.status_code == 302
    assert messages_of(page) == ["You cannot delete yourself."]
    assert User.objects.filter(pk=world.owner.pk).exists()


def test_owner_bulk_delete_including_themselves_deletes_nobody(client, world):
    client.force_login(world.owner)

    page = client.post(
        reverse("admin:accounts_user_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [world.ann2.pk, world.owner.pk],
            "post": "yes",
        },
    )

    assert page.status_code == 302
    assert "You cannot delete yourself." in messages_of(page)
    assert User.objects.filter(pk__in=[world.ann2.pk, world.owner.pk]).count() == 2


def test_owner_deletes_a_user(client, world):
    client.force_login(world.owner)

    page = client.post(reverse("admin:accounts_user_delete", args=[world.ann2.pk]), {"post": 1})

    assert page.status_code == 302
    assert not User.objects.filter(pk=world.ann2.pk).exists()


def test_role_change_is_saved_by_the_service(client, world):
    client.force_login(world.owner)

    saved = client.post(change_url(world.ann1), user_change_data(world.ann1, role=Role.ADMIN))

    assert saved.status_code == 302
    world.ann1.refresh_from_db()
    assert world.ann1.role == Role.ADMIN and world.ann1.is_staff


# API keys


def test_api_keys_never_show_the_key_or_its_hash(client, world):
    api_key, clear = ApiKey.issue(user=world.ann1, name="laptop")
    client.force_login(world.owner)

    pages = [
        client.get(reverse("admin:accounts_apikey_changelist")),
        client.get(change_url(api_key)),
        client.get(change_url(world.ann1)),
    ]

    for page in pages:
        html = page.content.decode()
        assert page.status_code == 200
        assert api_key.prefix in html
        assert clear not in html and api_key.hashed_key not in html


def test_admin_sees_keys_of_own_members_but_not_owners(client, world):
    mine = ApiKey.issue(user=world.ann1)[0]
    WorkspaceMember.objects.create(workspace=world.ws_a, user=world.owner)
    owners = ApiKey.issue(user=world.owner)[0]
    client.force_login(world.admin)

    page = client.get(reverse("admin:accounts_apikey_changelist"))

    assert set(page.context["cl"].result_list) == {mine}
    assert client.get(change_url(owners)).status_code == 302

"""The same actions from the web app, the admin and management commands: face `web`,
`admin` or `command`; sign-ins and failed sign-ins through allauth and the admin login."""

import json

from django.core.management import call_command
from django.urls import reverse

from apps.accounts.models import Role, User
from apps.audit.models import AuditEntry
from tests.admin_helpers import change_url, form_data, user_add_data, user_change_data
from tests.audit.conftest import trail

PUBLIC = "https://93.184.215.14/hooks"


# --- The web app ---------------------------------------------------------------------------------


def test_rotating_my_api_key_on_the_profile_page(world, login, committed):
    client = login(world.ann1)
    with committed():
        page = client.post(reverse("annotation:rotate_api_key"))
    assert page.status_code == 302
    assert trail("target_label", "details") == [
        ("web", "user.api_key_issued", "ann1", "ann1", {"name": "web"})
    ]


def test_downloading_an_export_from_the_dashboard(world, login, demo, committed):
    dataset, _records = demo
    url = reverse("exports:export", args=[dataset.pk])
    client = login(world.admin)
    with committed():
        response = client.post(url, {"format": "csv", "task": "records"})
        b"".join(response.streaming_content)
    assert trail("dataset_name", "details") == [
        ("web", "export.downloaded", "adam", dataset.name, {"format": "csv", "task": "records"})
    ]


def test_signing_in_and_failing_to(client, world, committed):
    with committed():
        wrong = client.post("/accounts/login/", {"login": "ann1", "password": "wrong-pw-123"})
        right = client.post("/accounts/login/", {"login": "ann1", "password": "pw-loam-123"})
    assert wrong.status_code == 200 and right.status_code == 302
    assert trail("target_label", "actor_id") == [
        ("web", "auth.sign_in_failed", "ann1", "ann1", None),
        ("web", "auth.signed_in", "ann1", "ann1", world.ann1.pk),
    ]
    failed = AuditEntry.objects.get(action="auth.sign_in_failed")
    assert "wrong-pw-123" not in json.dumps(failed.details)


def test_signing_in_on_the_way_to_the_admin(client, world, committed):
    """The admin has no login of its own: its door is the sign-in page (face web)."""
    admin_door = client.get(reverse("admin:index")).url
    login_url = client.get(admin_door).url
    assert login_url.startswith("/accounts/login/")
    with committed():
        client.post(login_url, {"login": "adam", "password": "nope-nope-1"})
        page = client.post(login_url, {"login": "adam", "password": "pw-loam-123"})
    assert page.status_code == 302
    assert trail() == [
        ("web", "auth.sign_in_failed", "adam"),
        ("web", "auth.signed_in", "adam"),
    ]


# --- The admin ----------------------------------------------------------------------------------


def test_creating_a_dataset_with_settings_in_the_admin(client, world, committed):
    client.force_login(world.admin)
    add = reverse("admin:datasets_dataset_add")
    data = form_data(client.get(add))
    data.update({"workspace": world.ws_a.pk, "name": "fresh", "min_submitted": 1})
    data.update({"fields-TOTAL_FORMS": 1, "fields-0-name": "text", "fields-0-position": 0})
    data.update({"fields-0-type": "text", "fields-0-required": "on"})
    with committed():
        page = client.post(add, data)
    assert page.status_code == 302
    assert trail("target_label") == [
        ("admin", "dataset.created", "adam", "fresh"),
        ("admin", "dataset.setting_added", "adam", "text"),
    ]


def test_deleting_a_dataset_in_the_admin(client, world, make_dataset, committed):
    dataset = make_dataset(world.ws_a, name="doomed")
    client.force_login(world.owner)
    with committed():
        page = client.post(reverse("admin:datasets_dataset_delete", args=[dataset.pk]), {"post": 1})
    assert page.status_code == 302
    assert trail("dataset_name") == [("admin", "dataset.deleted", "olivia", "doomed")]


def test_people_in_the_admin(client, world, committed):
    client.force_login(world.admin)
    with committed():
        added = client.post(reverse("admin:accounts_user_add"), user_add_data(world.ws_a))
    assert added.status_code == 302
    newbie = User.objects.get(username="newbie")
    with committed():
        changed = client.post(change_url(newbie), user_change_data(newbie, role=Role.ADMIN))
    assert changed.status_code == 302
    assert trail("target_label", "workspace_name") == [
        ("admin", "user.created", "adam", "newbie", ""),
        ("admin", "membership.added", "adam", "newbie", "workspace-a"),
        ("admin", "user.role_changed", "adam", "newbie", ""),
    ]
    # The admin form changes the instance before the service sees it: the stored row is
    # what the change is measured against.
    role = AuditEntry.objects.get(action="user.role_changed")
    assert role.details == {"changes": {"role": ["annotator", "admin"]}}


def test_webhooks_in_the_admin(client, world, committed):
    client.force_login(world.owner)
    url = reverse("admin:webhooks_webhook_add")
    data = form_data(client.get(url))  # with the deliveries inline's management form
    data.update({"url": PUBLIC, "events": ["dataset.created"], "enabled": "on"})
    with committed():
        page = client.post(url, data)
    assert page.status_code == 302, page.context["adminform"].form.errors
    assert trail("target_label") == [("admin", "webhook.created", "olivia", PUBLIC)]


def test_exporting_from_the_admin(client, world, demo, committed):
    dataset, _records = demo
    client.force_login(world.admin)
    body = {
        "action": "export_datasets",
        "_selected_action": [dataset.pk],
        "apply": "1",
        "format": "jsonl",
        "task": "records",
        "options": "",
    }
    with committed():
        response = client.post(reverse("admin:datasets_dataset_changelist"), body)
        b"".join(response.streaming_content)
    assert trail("dataset_name") == [("admin", "export.downloaded", "adam", dataset.name)]


# --- Commands -------------------------------------------------------------------------------------


def test_commands_are_the_command_face(world, demo, committed, tmp_path):
    dataset, _records = demo
    with committed():
        call_command(
            "create_user", "cli-user", "--role", "annotator", stdout=open("/dev/null", "w")
        )
        call_command(
            "export_dataset",
            str(dataset.pk),
            "-o",
            str(tmp_path / "out.jsonl"),
            stdout=open("/dev/null", "w"),
        )
    assert trail("target_label") == [
        ("command", "user.created", "", "cli-user"),
        ("command", "export.downloaded", "", "records (jsonl)"),
    ]

"""The workspace admin applies `workspaces.services`' rules, as the API does.

A workspace holding datasets is not deleted (by the delete page or the bulk action): its
datasets are listed, the service's message shows, and nothing is removed. Members join and
leave through the services.
"""

import pytest
from django.urls import reverse

from apps.workspaces.models import Workspace, WorkspaceMember
from tests.admin_helpers import change_url, form_data, messages_of

REFUSAL = "Delete the workspace's datasets before the workspace."
CHANGELIST = "admin:workspaces_workspace_changelist"


def delete_url(workspace) -> str:
    return reverse("admin:workspaces_workspace_delete", args=[workspace.pk])


def test_delete_page_refuses_a_workspace_with_datasets(client, world, make_dataset):
    dataset = make_dataset(world.ws_a, name="alpha-data")
    client.force_login(world.owner)

    page = client.get(delete_url(world.ws_a))

    assert page.status_code == 200
    assert [str(d) for d in page.context["protected"]] == [
        f'Dataset: <a href="{change_url(dataset)}">alpha-data</a>'
    ]
    assert messages_of(page) == [f"workspace-a: {REFUSAL}"]
    assert 'name="post"' not in page.content.decode()  # no "Yes, I'm sure" to press


def test_confirming_the_delete_of_a_workspace_with_datasets_deletes_nothing(
    client, world, make_dataset, api
):
    make_dataset(world.ws_a)
    client.force_login(world.owner)

    page = client.post(delete_url(world.ws_a), {"post": "yes"})
    by_api = api(world.owner).delete(f"/api/v1/workspaces/{world.ws_a.pk}")

    assert page.status_code == 200  # the page again, listing the datasets
    assert REFUSAL in " ".join(messages_of(page))
    assert by_api.status_code == 409  # the API refuses the same workspace, by the same rule
    assert Workspace.objects.filter(pk=world.ws_a.pk).exists()
    assert world.ws_a.datasets.count() == 1


def test_bulk_delete_refuses_if_any_selected_workspace_has_datasets(
    client, world, make_dataset, make_workspace
):
    empty = make_workspace()
    make_dataset(world.ws_b)
    client.force_login(world.owner)
    selected = {"action": "delete_selected", "_selected_action": [empty.pk, world.ws_b.pk]}

    page = client.post(reverse(CHANGELIST), {**selected, "post": "yes"})

    assert page.status_code == 200
    assert messages_of(page) == [f"workspace-b: {REFUSAL}"]
    assert Workspace.objects.filter(pk__in=[empty.pk, world.ws_b.pk]).count() == 2  # all or none


def test_empty_workspace_is_deleted_with_its_memberships(client, world, make_workspace):
    empty = make_workspace()
    WorkspaceMember.objects.create(workspace=empty, user=world.ann1)
    client.force_login(world.owner)

    confirm = client.get(delete_url(empty))
    page = client.post(delete_url(empty), {"post": "yes"})

    assert confirm.status_code == 200 and not confirm.context["protected"]
    assert 'name="post"' in confirm.content.decode()
    assert page.status_code == 302
    assert not Workspace.objects.filter(pk=empty.pk).exists()
    assert not WorkspaceMember.objects.filter(workspace_id=empty.pk).exists()


def test_bulk_delete_of_empty_workspaces(client, world, make_workspace):
    spare = [make_workspace(), make_workspace()]
    client.force_login(world.owner)

    page = client.post(
        reverse(CHANGELIST),
        {"action": "delete_selected", "_selected_action": [w.pk for w in spare], "post": "yes"},
    )

    assert page.status_code == 302
    assert not Workspace.objects.filter(pk__in=[w.pk for w in spare]).exists()


@pytest.mark.parametrize("who", ["admin", "admin_b"])
def test_workspace_admins_cannot_delete_workspaces(client, world, who):
    client.force_login(getattr(world, who))

    page = client.post(delete_url(world.ws_a), {"post": "yes"})

    assert page.status_code in (302, 403)  # forbidden, or missing for another tenant's admin
    assert Workspace.objects.filter(pk=world.ws_a.pk).exists()


def test_owner_creates_a_workspace_through_the_service(client, world):
    client.force_login(world.owner)
    data = form_data(client.get(reverse("admin:workspaces_workspace_add")))

    bad = client.post(reverse("admin:workspaces_workspace_add"), {**data, "name": "no spaces"})
    good = client.post(reverse("admin:workspaces_workspace_add"), {**data, "name": "fresh"})

    assert bad.status_code == 200 and "name" in bad.context["adminform"].form.errors
    assert good.status_code == 302
    assert Workspace.objects.filter(name="fresh").exists()
    assert not Workspace.objects.filter(name="no spaces").exists()


def test_members_join_and_leave_through_the_services(client, world):
    client.force_login(world.owner)
    data = form_data(client.get(change_url(world.ws_a)))
    rows = int(data["memberships-TOTAL_FORMS"])
    ann2 = next(i for i in range(rows) if data[f"memberships-{i}-user"] == world.ann2.pk)
    data[f"memberships-{ann2}-DELETE"] = "on"
    data.update(
        {"memberships-TOTAL_FORMS": rows + 1, f"memberships-{rows}-user": world.outsider.pk}
    )

    page = client.post(change_url(world.ws_a), data)

    assert page.status_code == 302
    members = set(world.ws_a.memberships.values_list("user__username", flat=True))
    assert members == {"adam", "ann1", "outsider"}

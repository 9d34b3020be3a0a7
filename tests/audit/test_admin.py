"""The audit trail in the admin: owners see everything, a workspace admin their workspaces'
entries and their own; nobody adds, changes or deletes; the list's queries do not grow."""

import pytest
from django.urls import reverse

from apps.audit.models import AuditEntry
from apps.datasets import services as datasets
from apps.webhooks import services as webhooks
from apps.workspaces import services as workspaces

LIST = "admin:audit_auditentry_changelist"


@pytest.fixture
def both_tenants(world, make_dataset, committed, client):
    """Entries in A (a dataset, a membership), in B (a dataset), and of no workspace (adam's
    and bob's sign-ins, an owner's webhook)."""
    with committed():
        world.ds_a = datasets.create_dataset(workspace=world.ws_a, name="alpha-data")
        workspaces.add_member(workspace=world.ws_a, user=world.outsider)
        world.ds_b = datasets.create_dataset(workspace=world.ws_b, name="bravo-secret")
        webhooks.create_webhook(url="https://93.184.215.14/hooks", events=["dataset.created"])
        for user in (world.admin, world.admin_b):
            client.post("/accounts/login/", {"login": user.username, "password": "pw-loam-123"})
            client.logout()
    return world


def _listed(client, user, query=""):
    client.force_login(user)
    page = client.get(reverse(LIST) + query)
    assert page.status_code == 200
    return sorted((e.action, e.target_label) for e in page.context["cl"].result_list)


def test_owners_see_every_entry(client, both_tenants):
    assert len(_listed(client, both_tenants.owner)) == AuditEntry.objects.count() == 6


def test_an_admin_of_a_sees_nothing_of_b(client, both_tenants):
    listed = _listed(client, both_tenants.admin)
    assert listed == [
        ("auth.signed_in", "adam"),
        ("dataset.created", "alpha-data"),
        ("membership.added", "outsider"),
    ]
    other = AuditEntry.objects.get(dataset_name="bravo-secret")
    client.force_login(both_tenants.admin)
    page = client.get(reverse("admin:audit_auditentry_change", args=[other.pk]))
    assert page.status_code == 302  # "doesn't exist": as for anything out of scope
    assert "bravo-secret" not in client.get(reverse(LIST)).content.decode()


def test_an_admin_of_b_sees_nothing_of_a(client, both_tenants):
    assert _listed(client, both_tenants.admin_b) == [
        ("auth.signed_in", "bob"),
        ("dataset.created", "bravo-secret"),
    ]


def test_annotators_never_enter(client, both_tenants):
    client.force_login(both_tenants.ann1)
    assert client.get(reverse(LIST)).status_code == 302  # to the admin's login


def test_filters_by_action_dataset_and_actor(client, both_tenants):
    owner = both_tenants.owner
    assert _listed(client, owner, "?action__exact=auth.signed_in") == [
        ("auth.signed_in", "adam"),
        ("auth.signed_in", "bob"),
    ]
    assert _listed(client, owner, f"?dataset_id={both_tenants.ds_a.pk}") == [
        ("dataset.created", "alpha-data")
    ]
    assert _listed(client, owner, f"?actor__id__exact={both_tenants.admin_b.pk}") == [
        ("auth.signed_in", "bob")
    ]


def test_the_dataset_filter_offers_only_datasets_in_scope(client, both_tenants):
    client.force_login(both_tenants.admin)
    html = client.get(reverse(LIST)).content.decode()
    assert "alpha-data" in html and "bravo-secret" not in html


def test_entries_are_never_editable(client, both_tenants):
    entry = AuditEntry.objects.get(dataset_name="alpha-data")
    client.force_login(both_tenants.owner)
    change = reverse("admin:audit_auditentry_change", args=[entry.pk])
    page = client.get(change)
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert client.post(change, {"target_label": "forged"}).status_code == 403
    assert client.get(reverse("admin:audit_auditentry_add")).status_code == 403
    delete = reverse("admin:audit_auditentry_delete", args=[entry.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    bulk = {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"}
    client.post(reverse(LIST), bulk)
    assert AuditEntry.objects.get(pk=entry.pk).target_label == "alpha-data"


def _entries(world, committed, count):
    with committed():
        for index in range(count):
            datasets.create_dataset(
                workspace=world.ws_a, name=f"grown-{AuditEntry.objects.count()}-{index}"
            )


# 1 the session, 2 the user, 3 the people of the actor filter, 4 the datasets of the dataset
# filter, 5 COUNT of the entries in scope, 6 the page of entries; the same for an admin (the
# sidebar's sections decide by role, not by Django's permission tables).
@pytest.mark.parametrize(("who", "queries"), [("owner", 6), ("admin", 6)])
@pytest.mark.parametrize("count", [1, 50])
def test_list_queries_do_not_grow_with_entries(
    client, world, committed, django_assert_num_queries, who, queries, count
):
    _entries(world, committed, count)
    client.force_login(getattr(world, who))

    with django_assert_num_queries(queries):
        page = client.get(reverse(LIST))

    assert len(page.context["cl"].result_list) == min(count, 50)

"""Multi-tenancy of the Django admin.

Adam (admin of workspace A) sees and changes only A and what lives in it; another
workspace's objects answer like missing ones and leave no trace (names) on his pages.
Olivia (owner) sees everything. Annotators never get in.
"""

import re

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from apps.accounts.models import ApiKey, Role, User
from apps.workspaces.models import WorkspaceMember
from config.admin_site import LoamAdminSite
from tests.admin_helpers import (
    build_tenant_data,
    change_url,
    inline_management,
    user_add_data,
    user_change_data,
)

# Everything of workspace B that could leak into a page: names, usernames, external ids.
B_TRACES = ("workspace-b", "bravo-secret", "rec-b", "bob", "outsider")

CHANGELISTS = [
    "admin:datasets_dataset_changelist",
    "admin:records_record_changelist",
    "admin:records_suggestion_changelist",
    "admin:records_vector_changelist",
    "admin:responses_response_changelist",
    "admin:workspaces_workspace_changelist",
    "admin:accounts_user_changelist",
    "admin:accounts_apikey_changelist",
]


@pytest.fixture
def data(world, make_dataset):
    return build_tenant_data(world, make_dataset)


# A CSRF token is 64 random letters and digits: it holds "bob" about once in 4,000 pages.
_CSRF_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[A-Za-z0-9]+')


def assert_no_trace_of_b(html: str) -> None:
    html = _CSRF_TOKEN.sub("", html)
    leaked = [trace for trace in B_TRACES if trace in html]
    assert not leaked, f"workspace B leaked into the page: {leaked}"


def b_objects(data):
    """One object of each admin-registered kind that lives in workspace B."""
    return [
        data.ws_b,
        data.ds_b,
        data.rec_b,
        data.rec_b.suggestions.get(),
        data.rec_b.vectors.get(),
        data.rec_b.responses.get(),
        data.admin_b,
        ApiKey.issue(user=data.outsider)[0],
    ]


# what an admin sees


@pytest.mark.parametrize("url_name", CHANGELISTS)
def test_admin_changelists_show_nothing_of_another_workspace(client, data, url_name):
    ApiKey.issue(user=data.outsider, name="bravo-secret-key")
    client.force_login(data.admin)

    page = client.get(reverse(url_name))

    assert page.status_code == 200
    assert_no_trace_of_b(page.content.decode())


def test_admin_sees_own_workspace_data(client, data):
    client.force_login(data.admin)

    datasets = client.get(reverse("admin:datasets_dataset_changelist")).content.decode()
    records = client.get(reverse("admin:records_record_changelist")).content.decode()
    responses = client.get(reverse("admin:responses_response_changelist")).content.decode()

    assert "alpha-data" in datasets
    assert "rec-a-0" in records
    assert "rec-a-0" in responses and "ann1" in responses


def test_admin_cannot_open_another_workspace_objects(client, data):
    client.force_login(data.admin)

    for obj in b_objects(data):
        page = client.get(change_url(obj), follow=True)

        # Django's answer for a missing object: back to the index with "doesn't exist".
        assert page.redirect_chain == [(reverse("admin:index"), 302)], obj
        assert "doesn’t exist" in page.content.decode()
        assert_no_trace_of_b(page.content.decode())


@pytest.mark.parametrize("view", ["history", "delete"])
def test_admin_cannot_see_history_or_delete_another_workspace_objects(client, data, view):
    client.force_login(data.admin)

    for obj in b_objects(data):
        opts = obj._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[obj.pk])
        page = client.get(url, follow=True)

        # Missing (redirect), or forbidden where the admin may never delete (users).
        assert page.redirect_chain == [(reverse("admin:index"), 302)] or page.status_code == 403
        assert_no_trace_of_b(page.content.decode())
        assert type(obj).objects.filter(pk=obj.pk).exists()


def test_admin_index_lists_the_models_without_other_workspaces(client, data):
    client.force_login(data.admin)

    page = client.get(reverse("admin:index"))

    html = page.content.decode()
    for title in ("Datasets", "Records", "Responses", "Workspaces", "Users", "API keys"):
        assert title in html
    assert "Groups" not in html and "Email addresses" not in html
    assert_no_trace_of_b(html)


def test_admin_cannot_change_or_delete_another_workspace_dataset(client, data):
    client.force_login(data.admin)
    url = change_url(data.ds_b)

    changed = client.post(url, {"name": "stolen"})
    deleted = client.post(reverse("admin:datasets_dataset_delete", args=[data.ds_b.pk]))
    bulk = client.post(
        reverse("admin:datasets_dataset_changelist"),
        {"action": "delete_selected", "_selected_action": [data.ds_b.pk], "post": "yes"},
    )

    assert changed.status_code == deleted.status_code == bulk.status_code == 302
    data.ds_b.refresh_from_db()
    assert data.ds_b.name == "bravo-secret"


def test_dataset_add_form_offers_only_own_workspaces(client, data):
    client.force_login(data.admin)

    page = client.get(reverse("admin:datasets_dataset_add"))

    workspaces = page.context["adminform"].form.fields["workspace"].queryset
    assert list(workspaces) == [data.ws_a]
    assert_no_trace_of_b(page.content.decode())


def test_admin_cannot_create_a_dataset_in_another_workspace(client, data):
    client.force_login(data.admin)

    page = client.post(
        reverse("admin:datasets_dataset_add"),
        {
            "workspace": data.ws_b.pk,
            "name": "planted",
            "min_submitted": 1,
            **inline_management("fields", 0),
            **inline_management("questions", 0),
            **inline_management("metadata_properties", 0),
            **inline_management("vectors_settings", 0),
        },
    )

    assert page.status_code == 200  # the form again, with an error on workspace
    assert "workspace" in page.context["adminform"].form.errors
    assert not data.ws_b.datasets.filter(name="planted").exists()


def test_list_filters_offer_only_own_workspace_objects(client, data, make_dataset):
    make_dataset(data.ws_a, name="alpha-two")  # a filter shows from two choices on
    client.force_login(data.admin)

    records = client.get(reverse("admin:records_record_changelist"))
    responses = client.get(reverse("admin:responses_response_changelist"))

    dataset_filter = records.context["cl"].filter_specs[1]
    assert {label for _pk, label in dataset_filter.lookup_choices} == {"alpha-data", "alpha-two"}
    user_filter = responses.context["cl"].filter_specs[1]
    assert {label for _pk, label in user_filter.lookup_choices} == {"adam", "ann1", "ann2"}


def test_workspace_member_choices_are_users_of_own_workspaces(client, data):
    client.force_login(data.admin)

    page = client.get(change_url(data.ws_a))

    formset = page.context["inline_admin_formsets"][0].formset
    choices = {label for _value, label in formset.form.base_fields["user"].choices if _value}
    assert choices == {"adam", "ann1", "ann2"}
    assert_no_trace_of_b(page.content.decode())


def test_shared_user_shows_only_the_admins_workspaces(client, data):
    WorkspaceMember.objects.create(workspace=data.ws_b, user=data.ann2)
    client.force_login(data.admin)

    listing = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    detail = client.get(change_url(data.ann2)).content.decode()

    assert "workspace-a" in listing
    assert_no_trace_of_b(listing)
    assert_no_trace_of_b(detail)


# what an owner sees


@pytest.mark.parametrize("url_name", CHANGELISTS[:5])
def test_owner_sees_every_workspace(client, data, url_name):
    client.force_login(data.owner)

    html = client.get(reverse(url_name)).content.decode()

    assert "alpha-data" in html or "rec-a" in html
    assert "bravo-secret" in html or "rec-b" in html


def test_owner_can_open_any_workspace_dataset(client, data):
    client.force_login(data.owner)

    assert client.get(change_url(data.ds_b)).status_code == 200
    assert client.get(change_url(data.ws_b)).status_code == 200


# who may enter


@pytest.mark.parametrize("url_name", ["admin:index", *CHANGELISTS])
def test_annotator_is_sent_to_the_admin_login(client, data, url_name):
    client.force_login(data.ann1)

    page = client.get(reverse(url_name))

    assert page.status_code == 302
    assert page.url.startswith(reverse("admin:login"))


def test_annotator_cannot_log_into_the_admin(client, data):
    # The admin takes no password: its login sends everyone to the sign-in door.
    page = client.post(reverse("admin:login"), {"username": "ann1", "password": "pw-loam-123"})

    assert page.status_code == 302 and page.url.startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


def test_inactive_admin_cannot_enter(client, data):
    data.admin.is_active = False
    data.admin.save()
    client.force_login(data.admin)

    assert client.get(reverse("admin:index")).status_code == 302


def test_site_requires_the_role_not_just_the_staff_flag(data):
    # A stale is_staff (written around User.save) does not open the admin to an annotator.
    User.objects.filter(pk=data.ann1.pk).update(is_staff=True)
    request = RequestFactory().get("/admin/")
    request.user = User.objects.get(pk=data.ann1.pk)

    assert LoamAdminSite().has_permission(request) is False


def test_admin_site_is_loams():
    # Needs "config.admin_site.LoamAdminConfig" in place of "django.contrib.admin".
    assert isinstance(admin.site, LoamAdminSite)


# users


def test_admin_sees_only_users_of_own_workspaces(client, data):
    client.force_login(data.admin)

    page = client.get(reverse("admin:accounts_user_changelist"))

    shown = {user.username for user in page.context["cl"].result_list}
    assert shown == {"adam", "ann1", "ann2"}


def test_admin_cannot_make_anyone_owner(client, data):
    client.force_login(data.admin)

    page = client.post(change_url(data.ann1), user_change_data(data.ann1, role=Role.OWNER))

    assert page.status_code == 200
    assert "role" in page.context["adminform"].form.errors
    data.ann1.refresh_from_db()
    assert data.ann1.role == Role.ANNOTATOR and not data.ann1.is_superuser


def test_admin_can_promote_a_member_to_admin(client, data):
    client.force_login(data.admin)

    page = client.post(change_url(data.ann1), user_change_data(data.ann1, role=Role.ADMIN))

    assert page.status_code == 302
    data.ann1.refresh_from_db()
    assert data.ann1.role == Role.ADMIN and data.ann1.is_staff


def test_admin_cannot_edit_an_owner_of_their_workspace(client, data):
    WorkspaceMember.objects.create(workspace=data.ws_a, user=data.owner)
    client.force_login(data.admin)

    view = client.get(change_url(data.owner))
    change = client.post(change_url(data.owner), user_change_data(data.owner, role=Role.ANNOTATOR))
    password = client.get(reverse("admin:auth_user_password_change", args=[data.owner.pk]))

    assert view.status_code == 200 and not view.context["has_change_permission"]
    assert change.status_code == 403
    assert password.status_code == 403
    data.owner.refresh_from_db()
    assert data.owner.role == Role.OWNER


def test_admin_cannot_open_users_outside_their_workspaces(client, data):
    client.force_login(data.admin)

    page = client.get(change_url(data.outsider), follow=True)

    assert page.redirect_chain == [(reverse("admin:index"), 302)]


def test_admin_creates_a_user_in_their_workspace(client, data):
    client.force_login(data.admin)

    page = client.post(reverse("admin:accounts_user_add"), user_add_data(data.ws_a))

    assert page.status_code == 302
    created = User.objects.get(username="newbie")
    assert created.check_password("a-Long-pass-4321")
    assert list(created.workspaces.all()) == [data.ws_a]


def test_admin_cannot_create_a_user_outside_their_workspaces(client, data):
    client.force_login(data.admin)

    in_b = client.post(reverse("admin:accounts_user_add"), user_add_data(data.ws_b))
    nowhere = client.post(
        reverse("admin:accounts_user_add"), user_add_data(data.ws_a, memberships=0)
    )
    as_owner = client.post(
        reverse("admin:accounts_user_add"), user_add_data(data.ws_a, role=Role.OWNER)
    )

    assert in_b.status_code == nowhere.status_code == as_owner.status_code == 200
    assert not User.objects.filter(username="newbie").exists()


def test_admin_cannot_add_workspaces_or_delete_users(client, data):
    client.force_login(data.admin)

    assert client.get(reverse("admin:workspaces_workspace_add")).status_code == 403
    assert client.get(reverse("admin:accounts_user_delete", args=[data.ann1.pk])).status_code == 403

"""Every admin changelist: constant query counts (3 rows cost as many queries as 30)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.models import ApiKey
from apps.responses.models import Response
from apps.workspaces.models import WorkspaceMember
from tests.admin_helpers import add_records


def grow_datasets(world, count, make_dataset):
    for _ in range(count):
        make_dataset(world.ws_a)


def grow_records(world, count, make_dataset):
    dataset = getattr(world, "grown", None) or make_dataset(world.ws_a)
    world.grown = dataset
    vectors = dataset.vectors_settings.first() or dataset.vectors_settings.create(
        name="emb", title="emb", dimensions=2
    )
    add_records(
        dataset, count, prefix=f"g{dataset.records.count()}", user=None, vector_settings=vectors
    )
    for record in dataset.records.filter(responses__isnull=True)[:count]:
        Response.objects.create(record=record, user=world.ann1, values={}, status="submitted")


def grow_users(world, count, make_user):
    for _ in range(count):
        make_user(workspaces=[world.ws_a])


def grow_workspaces(world, count, make_workspace):
    for _ in range(count):
        WorkspaceMember.objects.create(workspace=make_workspace(), user=world.admin)


def grow_api_keys(world, count, _factory):
    for _ in range(count):
        ApiKey.issue(user=world.ann1)


CHANGELIST_GROWTH = [
    ("admin:datasets_dataset_changelist", grow_datasets, "make_dataset"),
    ("admin:records_record_changelist", grow_records, "make_dataset"),
    ("admin:records_suggestion_changelist", grow_records, "make_dataset"),
    ("admin:records_vector_changelist", grow_records, "make_dataset"),
    ("admin:responses_response_changelist", grow_records, "make_dataset"),
    ("admin:accounts_user_changelist", grow_users, "make_user"),
    ("admin:workspaces_workspace_changelist", grow_workspaces, "make_workspace"),
    ("admin:accounts_apikey_changelist", grow_api_keys, "make_user"),
]


@pytest.mark.parametrize("url_name, grow, factory", CHANGELIST_GROWTH)
def test_changelist_queries_do_not_grow_with_rows(
    client, world, request, django_assert_max_num_queries, url_name, grow, factory
):
    make = request.getfixturevalue(factory)
    grow(world, 3, make)
    client.force_login(world.admin)
    url = reverse(url_name)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    grow(world, 27, make)

    with django_assert_max_num_queries(len(small)):
        page = client.get(url)

    assert len(page.context["cl"].result_list) >= 30


def test_record_changelist_query_count(client, world, make_dataset, django_assert_num_queries):
    grow_records(world, 30, make_dataset)
    client.force_login(world.admin)

    # 1 the session, 2 the user,
    # 3 the admin's datasets (choices of the dataset filter),
    # 4 COUNT of the records in scope (the paginator; no second, unfiltered count),
    # 5 the page of records joined to their dataset and workspace.
    # (No Django permissions: the task queue's admin, the one plain ModelAdmin, asks the
    # role first, and a workspace admin is no owner.)
    with django_assert_num_queries(5):
        page = client.get(reverse("admin:records_record_changelist"))

    assert len(page.context["cl"].result_list) == 30

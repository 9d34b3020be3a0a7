"""Every app's accessors (`apps/<app>/access.py`) in the two-tenant world: the outsider of
workspace B gets the answer a missing id gets (NotFound), a member whose role is too weak
gets PermissionDenied, and "owner, or admin of this workspace" is one rule."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied
from rest_framework.test import APIClient

from apps.accounts.access import access_user
from apps.accounts.models import Role
from apps.core.access import NotFound
from apps.datasets.access import access_dataset, access_dataset_child
from apps.datasets.models import Question
from apps.records.access import access_record, access_suggestion, record_of, records_of
from apps.records.models import Record, Suggestion
from apps.responses.access import access_response
from apps.responses.models import Response
from apps.webhooks.access import access_webhook
from apps.webhooks.models import Webhook
from apps.workspaces.access import access_workspace, managed_workspaces_for


@pytest.fixture
def tenant_data(world, make_dataset):
    """In workspace A: a published dataset with a record, ann1's response to it and a
    suggestion; and a draft dataset."""

    class Data:
        pass

    d = Data()
    d.dataset = make_dataset(world.ws_a)
    d.draft = make_dataset(world.ws_a, publish=False)
    d.record = Record.objects.create(dataset=d.dataset, fields={"prompt": "p"})
    d.question = Question.objects.get(dataset=d.dataset, name="response_ranking")
    d.suggestion = Suggestion.objects.create(record=d.record, question=d.question, value=1)
    d.response = Response.objects.create(
        record=d.record,
        user=world.ann1,
        values={"response_ranking": {"value": 2}},
        status="draft",
    )
    return d


def _same_as_missing(access, user, real_id):
    """`user` asking for `real_id` gets exactly what asking for a random id gets."""
    with pytest.raises(NotFound) as theirs:
        access(user, real_id)
    with pytest.raises(NotFound) as missing:
        access(user, uuid.uuid4())
    assert str(theirs.value) == str(missing.value)
    with pytest.raises(NotFound):
        access(user, "not-a-uuid")


def test_outsider_cannot_reach_another_workspaces_record(world, tenant_data):
    _same_as_missing(access_record, world.outsider, tenant_data.record.pk)
    _same_as_missing(access_record, world.admin_b, tenant_data.record.pk)
    assert access_record(world.ann1, tenant_data.record.pk) == tenant_data.record
    assert access_record(world.owner, str(tenant_data.record.pk)) == tenant_data.record


def test_annotator_cannot_manage_a_record_admin_and_owner_can(world, tenant_data):
    with pytest.raises(PermissionDenied, match="Only owners and admins can change records."):
        access_record(world.ann1, tenant_data.record.pk, need="manage")
    for user in (world.admin, world.owner):
        assert access_record(user, tenant_data.record.pk, need="manage") == tenant_data.record


def test_outsider_cannot_reach_another_workspaces_suggestion(world, tenant_data):
    _same_as_missing(access_suggestion, world.outsider, tenant_data.suggestion.pk)
    with pytest.raises(PermissionDenied):
        access_suggestion(world.ann2, tenant_data.suggestion.pk, need="manage")
    found = access_suggestion(world.admin, tenant_data.suggestion.pk, need="manage")
    assert found == tenant_data.suggestion


def test_record_of_answers_only_for_its_own_dataset(world, tenant_data, make_dataset):
    other = make_dataset(world.ws_a)
    assert record_of(tenant_data.dataset, tenant_data.record.pk) == tenant_data.record
    with pytest.raises(NotFound):
        record_of(other, tenant_data.record.pk)
    assert records_of(other, [tenant_data.record.pk, uuid.uuid4()]) == []
    assert records_of(tenant_data.dataset, [tenant_data.record.pk]) == [tenant_data.record]


def test_outsider_cannot_reach_another_workspaces_response(world, tenant_data):
    _same_as_missing(access_response, world.outsider, tenant_data.response.pk)
    _same_as_missing(access_response, world.admin_b, tenant_data.response.pk)


def test_annotator_touches_only_their_own_response(world, tenant_data):
    assert access_response(world.ann1, tenant_data.response.pk) == tenant_data.response
    with pytest.raises(PermissionDenied, match="You can only change your own responses."):
        access_response(world.ann2, tenant_data.response.pk)
    for user in (world.admin, world.owner):
        assert access_response(user, tenant_data.response.pk) == tenant_data.response


def test_users_see_only_who_their_role_and_workspaces_allow(world):
    _same_as_missing(access_user, world.admin, world.outsider.pk)  # not in their workspace
    _same_as_missing(access_user, world.ann1, world.ann2.pk)  # annotators: only themselves
    assert access_user(world.ann1, world.ann1.pk) == world.ann1
    assert access_user(world.admin, world.ann2.pk) == world.ann2
    assert access_user(world.owner, world.outsider.pk) == world.outsider


def test_only_owners_reach_webhooks(world, db):
    webhook = Webhook.objects.create(url="https://example.com/hook", events=["record.created"])
    assert access_webhook(world.owner, webhook.pk) == webhook
    for user in (world.admin, world.ann1, world.outsider):
        _same_as_missing(access_webhook, user, webhook.pk)


def test_dataset_children_of_another_workspace_look_missing(world, tenant_data):
    def access_question(user, question_id):
        return access_dataset_child(user, Question, question_id)

    _same_as_missing(access_question, world.outsider, tenant_data.question.pk)
    with pytest.raises(PermissionDenied):
        access_dataset_child(world.ann1, Question, tenant_data.question.pk, need="manage")
    assert access_dataset_child(world.admin, Question, tenant_data.question.pk, need="manage")


def test_annotate_needs_a_published_dataset(world, tenant_data):
    assert access_dataset(world.ann1, tenant_data.dataset.pk, need="annotate")
    with pytest.raises(NotFound, match="This dataset is not published yet."):
        access_dataset(world.ann1, tenant_data.draft.pk, need="annotate")
    assert access_dataset(world.ann1, tenant_data.draft.pk) == tenant_data.draft
    _same_as_missing(access_dataset, world.outsider, tenant_data.dataset.pk)


def test_owner_or_admin_of_this_workspace_is_one_rule(world):
    assert [u.is_manager for u in (world.owner, world.admin, world.ann1)] == [True, True, False]
    assert set(managed_workspaces_for(world.owner)) == {world.ws_a, world.ws_b}
    assert list(managed_workspaces_for(world.admin)) == [world.ws_a]
    assert list(managed_workspaces_for(world.ann1)) == []
    # An admin of workspace B manages nothing of A: A looks missing to them.
    _same_as_missing(access_workspace, world.admin_b, world.ws_a.pk)
    with pytest.raises(PermissionDenied):
        access_workspace(world.ann1, world.ws_a.pk, need="manage")
    assert access_workspace(world.admin, world.ws_a.pk, need="manage") == world.ws_a


def test_the_role_decides_the_admin_flags(make_user):
    admin = make_user(role=Role.ADMIN)
    annotator = make_user()
    assert (admin.is_staff, admin.is_superuser) == (True, False)
    assert (annotator.is_staff, annotator.is_superuser) == (False, False)


def test_next_record_api_keeps_answering_null_for_a_draft(world, tenant_data):
    # The API's next record asks need="view", not "annotate": a draft is no 404 there.
    client = APIClient()
    client.force_authenticate(world.ann1)
    answer = client.get(f"/api/v1/datasets/{tenant_data.draft.pk}/records/next")
    assert answer.status_code == 200
    assert answer.json()["item"] is None

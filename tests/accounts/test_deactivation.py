"""Removing people keeps the data true: deactivation by default (no sign-in, no API keys,
answers kept), and a hard delete recounts the statuses of the records they answered."""

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts import services, signals
from apps.accounts.models import ApiKey, Role, User
from apps.core.errors import Conflict
from apps.records.models import Record, RecordStatus
from apps.records.services import create_records
from apps.responses.models import Response
from apps.responses.services import save_response
from tests.admin_helpers import change_url, user_change_data

pytestmark = pytest.mark.django_db

ANSWER = {"response_ranking": {"value": 1}}


@pytest.fixture
def overlap_2(world, make_dataset):
    """A dataset needing two submitted responses per record; ann1 and ann2 both submitted
    the first record (completed), only ann2 the second (pending)."""
    dataset = make_dataset(world.ws_a, min_submitted=2)
    both, one = create_records(
        dataset=dataset,
        items=[
            {"fields": {"prompt": f"P{i}", "response-1": "a", "response-2": "b"}} for i in range(2)
        ],
    )
    for user, record in ((world.ann1, both), (world.ann2, both), (world.ann2, one)):
        save_response(user=user, record=record, values=ANSWER, status="submitted")
    return dataset, both, one


def _status(record) -> str:
    return Record.objects.values_list("status", flat=True).get(pk=record.pk)


@pytest.fixture
def heard():
    """The people signals sent during the test: [(signal name, user)]."""
    events = []
    receivers = {}
    for name in ("user_deactivated", "user_reactivated", "user_deleting"):

        def receive(sender, user, name=name, **kwargs):
            assert sender is User
            events.append((name, user.username))

        receivers[name] = receive
        getattr(signals, name).connect(receive)
    yield events
    for name, receive in receivers.items():
        getattr(signals, name).disconnect(receive)


# Hard delete


def test_hard_deleting_an_annotator_recounts_the_records_they_completed(world, overlap_2, heard):
    dataset, both, one = overlap_2
    assert _status(both) == RecordStatus.COMPLETED

    services.delete_user(user=world.ann2, actor=world.owner)

    assert _status(both) == RecordStatus.PENDING  # one submitted response of two left
    assert _status(one) == RecordStatus.PENDING
    assert list(Response.objects.filter(record=both).values_list("user", flat=True)) == [
        world.ann1.pk
    ]
    assert not User.objects.filter(pk=world.ann2.pk).exists()
    assert heard == [("user_deleting", "ann2")]


def test_a_refused_hard_delete_leaves_answers_and_statuses(world, overlap_2):
    dataset, both, _one = overlap_2

    with pytest.raises(Conflict):
        services.delete_user(user=world.owner, actor=world.owner)

    assert _status(both) == RecordStatus.COMPLETED


# Deactivation


def test_deactivating_keeps_answers_and_statuses_and_stops_keys_and_login(
    world, overlap_2, api, heard
):
    _dataset, both, _one = overlap_2
    key = ApiKey.issue(user=world.ann2)[1]
    world.ann2.set_password("ann2-pass-123")
    world.ann2.save()

    services.deactivate_user(user=world.ann2, actor=world.owner)

    assert _status(both) == RecordStatus.COMPLETED
    assert Response.objects.filter(user=world.ann2).count() == 2
    assert api(None, key=key).get("/api/v1/me").status_code == 401
    browser = Client()
    refused = browser.post(reverse("account_login"), {"login": "ann2", "password": "ann2-pass-123"})
    assert refused.status_code == 302 and refused.url == reverse("account_inactive")
    assert "_auth_user_id" not in browser.session
    assert heard == [("user_deactivated", "ann2")]

    services.reactivate_user(user=world.ann2, actor=world.owner)

    assert api(None, key=key).get("/api/v1/me").status_code == 200
    assert heard == [("user_deactivated", "ann2"), ("user_reactivated", "ann2")]


def test_a_deactivated_users_session_ends(world, login):
    client = login(world.ann1)
    assert client.get("/").status_code == 200

    services.deactivate_user(user=world.ann1, actor=world.owner)

    assert client.get("/").status_code == 302  # to the login page


def test_deactivating_twice_signals_once(world, heard):
    services.deactivate_user(user=world.ann1, actor=world.owner)
    services.deactivate_user(user=world.ann1, actor=world.owner)

    assert heard == [("user_deactivated", "ann1")]


def test_nobody_deactivates_themselves(world):
    with pytest.raises(Conflict):
        services.deactivate_user(user=world.owner, actor=world.owner)

    world.owner.refresh_from_db()
    assert world.owner.is_active


# API: DELETE deactivates unless ?hard=true


@pytest.mark.parametrize("prefix", ["/api/v1/users", "/api/users"])
def test_api_delete_deactivates_by_default(world, overlap_2, api, prefix):
    _dataset, both, _one = overlap_2

    answer = api(world.owner).delete(f"{prefix}/{world.ann2.pk}")

    assert answer.status_code == 200 and answer.json()["username"] == "ann2"
    world.ann2.refresh_from_db()
    assert not world.ann2.is_active
    assert _status(both) == RecordStatus.COMPLETED
    assert Response.objects.filter(user=world.ann2).count() == 2


@pytest.mark.parametrize("prefix", ["/api/v1/users", "/api/users"])
def test_api_hard_delete_deletes_and_recounts(world, overlap_2, api, prefix):
    _dataset, both, _one = overlap_2

    answer = api(world.owner).delete(f"{prefix}/{world.ann2.pk}?hard=true")

    assert answer.status_code == 200 and answer.json()["username"] == "ann2"
    assert not User.objects.filter(pk=world.ann2.pk).exists()
    assert _status(both) == RecordStatus.PENDING


def test_api_delete_names_a_bad_hard_flag(world, api):
    answer = api(world.owner).delete(f"/api/v1/users/{world.ann2.pk}?hard=maybe")

    assert answer.status_code == 422
    assert [e["loc"][-1] for e in answer.json()["detail"]["params"]["errors"]] == ["hard"]
    world.ann2.refresh_from_db()
    assert world.ann2.is_active


def test_api_delete_is_for_owners_and_never_yourself(world, api):
    assert api(world.admin).delete(f"/api/v1/users/{world.ann1.pk}").status_code == 403
    assert api(world.owner).delete(f"/api/v1/users/{world.owner.pk}").status_code == 409
    assert User.objects.filter(is_active=False).count() == 0


# Admin


def _changelist_action(client, action, users):
    return client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": action, "index": 0, "_selected_action": [u.pk for u in users]},
    )


def test_admin_actions_deactivate_and_reactivate(world, overlap_2, heard, login):
    client = login(world.owner)

    done = _changelist_action(client, "deactivate_users", [world.ann1, world.ann2])

    assert done.status_code == 302
    assert set(User.objects.filter(is_active=False).values_list("username", flat=True)) == {
        "ann1",
        "ann2",
    }
    assert Response.objects.filter(user=world.ann2).count() == 2

    _changelist_action(client, "reactivate_users", [world.ann2])

    assert set(User.objects.filter(is_active=False).values_list("username", flat=True)) == {"ann1"}
    assert sorted(heard) == [
        ("user_deactivated", "ann1"),
        ("user_deactivated", "ann2"),
        ("user_reactivated", "ann2"),
    ]


def test_an_admin_deactivates_in_their_workspaces_but_never_an_owner(world, login):
    client = login(world.admin)

    _changelist_action(client, "deactivate_users", [world.ann1])
    _changelist_action(client, "deactivate_users", [world.owner])

    assert list(User.objects.filter(is_active=False).values_list("username", flat=True)) == ["ann1"]


def test_the_delete_page_offers_deactivation_and_counts_the_answers(world, overlap_2, login):
    client = login(world.owner)

    page = client.get(reverse("admin:accounts_user_delete", args=[world.ann2.pk]))

    text = page.content.decode()
    assert page.status_code == 200
    assert "Deactivate instead" in text
    assert "Deleting removes 2 answers for good" in text
    assert 'name="action" value="deactivate_users"' in text
    assert f'name="_selected_action" value="{world.ann2.pk}"' in text


def test_the_bulk_delete_page_offers_deactivation(world, overlap_2, login):
    client = login(world.owner)

    page = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "delete_selected", "_selected_action": [world.ann1.pk, world.ann2.pk]},
    )

    text = page.content.decode()
    assert "Deactivate instead" in text and "Deleting removes 3 answers for good" in text


def test_unticking_active_in_the_change_form_deactivates_through_the_service(world, login, heard):
    saved = login(world.owner).post(
        change_url(world.ann1), user_change_data(world.ann1, is_active="")
    )

    assert saved.status_code == 302
    world.ann1.refresh_from_db()
    assert not world.ann1.is_active
    assert heard == [("user_deactivated", "ann1")]


def test_annotators_keep_their_role_when_deactivated(world):
    services.deactivate_user(user=world.ann1, actor=world.owner)
    world.ann1.refresh_from_db()
    assert world.ann1.role == Role.ANNOTATOR


def test_the_delete_page_of_an_inactive_user_only_counts_the_answers(world, overlap_2, login):
    services.deactivate_user(user=world.ann2, actor=world.owner)

    page = login(world.owner).get(reverse("admin:accounts_user_delete", args=[world.ann2.pk]))

    text = page.content.decode()
    assert "Deleting removes 2 answers for good" in text
    assert "Deactivate instead" not in text

"""Assigned mode: records spread evenly over the pool, min_submitted annotators each."""

from collections import Counter

import pytest

from apps.annotation.models import Assignment
from apps.annotation.queue import next_record
from apps.annotation.services import rebalance_assignments, update_rules
from apps.core.errors import ValidationFailed
from apps.records.services import create_records
from apps.responses.models import Response
from tests.annotation.conftest import answer, drain, record_items


@pytest.fixture
def team(world, make_user):
    """ann1, ann2 and ann3: the annotators of workspace A."""
    return [world.ann1, world.ann2, make_user("ann3", workspaces=[world.ws_a])]


def _assigned(dataset) -> dict:
    """{external_id: {username, …}}"""
    result: dict = {}
    for external_id, username in Assignment.objects.filter(dataset=dataset).values_list(
        "record__external_id", "user__username"
    ):
        result.setdefault(external_id, set()).add(username)
    return result


def _loads(dataset) -> Counter:
    return Counter(
        Assignment.objects.filter(dataset=dataset).values_list("user__username", flat=True)
    )


def test_records_inserted_later_are_spread_evenly(world, team, make_dataset):
    dataset = make_dataset(world.ws_a, min_submitted=2)
    update_rules(dataset=dataset, mode="assigned")
    create_records(dataset=dataset, items=record_items(4))
    create_records(dataset=dataset, items=record_items(5, start=4))
    assigned = _assigned(dataset)
    assert len(assigned) == 9 and all(len(users) == 2 for users in assigned.values())
    assert _loads(dataset) == {"ann1": 6, "ann2": 6, "ann3": 6}


def test_switching_to_assigned_spreads_the_existing_records(world, team, queue_dataset):
    dataset = queue_dataset(6)
    update_rules(dataset=dataset, mode="assigned")
    assert all(len(users) == 1 for users in _assigned(dataset).values())
    assert _loads(dataset) == {"ann1": 2, "ann2": 2, "ann3": 2}


def test_an_annotator_only_sees_their_records(world, team, queue_dataset):
    dataset = queue_dataset(6, min_submitted=2)
    update_rules(dataset=dataset, mode="assigned")
    assigned = _assigned(dataset)
    mine = sorted(e for e, users in assigned.items() if "ann1" in users)
    assert drain(dataset, world.ann1) == mine  # in insertion order
    assert next_record(dataset=dataset, user=world.admin) is None


def test_a_shuffled_assigned_queue_holds_the_same_records(world, team, queue_dataset):
    dataset = queue_dataset(9)
    update_rules(dataset=dataset, mode="assigned", order="shuffled")
    mine = {e for e, users in _assigned(dataset).items() if "ann2" in users}
    assert set(drain(dataset, world.ann2)) == mine


def test_rebalance_after_someone_joins_keeps_every_response(world, team, make_user, queue_dataset):
    dataset = queue_dataset(9)
    update_rules(dataset=dataset, mode="assigned")
    done_by_ann1 = []
    for _ in range(2):
        record = next_record(dataset=dataset, user=world.ann1)
        answer(world.ann1, record)
        done_by_ann1.append(record.external_id)
    newcomer = make_user("ann4", workspaces=[world.ws_a])

    result = rebalance_assignments(dataset=dataset)

    assert result.added > 0
    assigned = _assigned(dataset)
    for external_id in done_by_ann1:
        assert assigned[external_id] == {"ann1"}  # done work stays where it is
    assert Response.objects.filter(record__dataset=dataset, user=world.ann1).count() == 2
    pending = set(dataset.records.filter(status="pending").values_list("external_id", flat=True))
    assert all(len(assigned[e]) == 1 for e in pending)
    still_to_do = Counter(username for e in pending for username in assigned[e])
    assert sorted(still_to_do.values()) == [1, 2, 2, 2]  # 7 records over 4 people
    assert still_to_do["ann4"] >= 1
    assert next_record(dataset=dataset, user=newcomer) is not None


def test_rebalance_after_someone_leaves(world, team, queue_dataset):
    dataset = queue_dataset(6, min_submitted=2)
    update_rules(dataset=dataset, mode="assigned")
    ann3 = team[2]
    first = next_record(dataset=dataset, user=ann3)
    answer(ann3, first)
    ann3.memberships.all().delete()

    rebalance_assignments(dataset=dataset)

    assigned = _assigned(dataset)
    assert assigned[first.external_id] >= {"ann3"}  # their submission stays counted
    assert all(len(users) == 2 for users in assigned.values())
    others = [users for e, users in assigned.items() if e != first.external_id]
    assert all(users == {"ann1", "ann2"} for users in others)
    assert Response.objects.filter(user=ann3, record=first).exists()


def test_rebalance_replaces_an_annotator_who_discarded(world, team, queue_dataset):
    dataset = queue_dataset(3)
    update_rules(dataset=dataset, mode="assigned")
    record = next_record(dataset=dataset, user=world.ann1)
    answer(world.ann1, record, "discarded")
    rebalance_assignments(dataset=dataset)
    assert "ann1" not in _assigned(dataset)[record.external_id]
    assert len(_assigned(dataset)[record.external_id]) == 1


def test_rebalance_after_raising_min_submitted(world, team, queue_dataset):
    dataset = queue_dataset(3)
    update_rules(dataset=dataset, mode="assigned")
    update_rules(dataset=dataset, min_submitted=3)
    assert all(users == {"ann1", "ann2", "ann3"} for users in _assigned(dataset).values())


def test_only_assigned_datasets_can_be_rebalanced(world, queue_dataset):
    dataset = queue_dataset(2)
    with pytest.raises(ValidationFailed) as caught:
        rebalance_assignments(dataset=dataset)
    assert caught.value.problems[0].loc == ("mode",)


def test_back_to_the_open_queue_drops_assignments(world, team, queue_dataset):
    dataset = queue_dataset(3)
    update_rules(dataset=dataset, mode="assigned")
    update_rules(dataset=dataset, mode="open")
    assert not Assignment.objects.filter(dataset=dataset).exists()
    assert len(drain(dataset, world.ann1)) == 3

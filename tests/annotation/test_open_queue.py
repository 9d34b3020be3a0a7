"""The open queue: anyone in the pool takes the next record that still needs answers."""

from datetime import timedelta

from django.utils import timezone

from apps.accounts.models import Role
from apps.annotation.models import AnnotatorQueue
from apps.annotation.queue import next_record, release, skip
from apps.annotation.services import update_rules
from apps.records.services import create_records
from tests.annotation.conftest import answer, drain, record_items


def _expire_leases(dataset) -> None:
    AnnotatorQueue.objects.filter(dataset=dataset).update(
        lease_expires_at=timezone.now() - timedelta(seconds=1)
    )


def test_records_come_in_insertion_order(world, queue_dataset):
    dataset = queue_dataset(4)
    assert drain(dataset, world.ann1) == ["r0000", "r0001", "r0002", "r0003"]


def test_the_same_record_until_it_is_answered(world, queue_dataset):
    dataset = queue_dataset(3)
    first = next_record(dataset=dataset, user=world.ann1)
    assert next_record(dataset=dataset, user=world.ann1) == first
    answer(world.ann1, first)
    assert next_record(dataset=dataset, user=world.ann1) != first


def test_answered_records_are_never_offered_again(world, queue_dataset):
    dataset = queue_dataset(3, min_submitted=3)
    statuses = ["submitted", "discarded", "submitted"]
    for status in statuses:
        answer(world.ann1, next_record(dataset=dataset, user=world.ann1), status)
    assert next_record(dataset=dataset, user=world.ann1) is None
    # The records still need two more annotators each: ann2 gets all three.
    assert len(drain(dataset, world.ann2)) == 3


def test_drafts_come_first(world, queue_dataset):
    dataset = queue_dataset(4)
    records = {r.external_id: r for r in dataset.records.all()}
    answer(world.ann1, records["r0002"], "draft")
    assert next_record(dataset=dataset, user=world.ann1).external_id == "r0002"
    answer(world.ann1, records["r0002"], "submitted")
    assert next_record(dataset=dataset, user=world.ann1).external_id == "r0000"


def test_a_lease_keeps_others_off_a_record_beyond_the_overlap(world, make_user, queue_dataset):
    ann3 = make_user("ann3", workspaces=[world.ws_a])
    dataset = queue_dataset(3, min_submitted=2)
    first = next_record(dataset=dataset, user=world.ann1)
    assert next_record(dataset=dataset, user=world.ann2) == first  # overlap 2: two may hold it
    assert next_record(dataset=dataset, user=ann3) != first


def test_a_submission_and_a_lease_fill_the_overlap_together(world, make_user, queue_dataset):
    ann3 = make_user("ann3", workspaces=[world.ws_a])
    dataset = queue_dataset(2, min_submitted=2)
    first = next_record(dataset=dataset, user=world.ann1)
    answer(world.ann1, first)
    assert next_record(dataset=dataset, user=world.ann2) == first
    assert next_record(dataset=dataset, user=ann3).external_id == "r0001"


def test_a_discard_frees_the_place(world, queue_dataset):
    dataset = queue_dataset(2)
    first = next_record(dataset=dataset, user=world.ann1)
    answer(world.ann1, first, "discarded")
    assert next_record(dataset=dataset, user=world.ann2) == first


def test_an_expired_lease_returns_the_record(world, queue_dataset):
    dataset = queue_dataset(2)
    first = next_record(dataset=dataset, user=world.ann1)
    assert next_record(dataset=dataset, user=world.ann2) != first
    _expire_leases(dataset)
    AnnotatorQueue.objects.filter(user=world.ann2).update(record=None, lease_expires_at=None)
    assert next_record(dataset=dataset, user=world.ann2) == first


def test_an_abandoned_record_returns_to_annotators_past_it(world, queue_dataset):
    dataset = queue_dataset(4)
    abandoned = next_record(dataset=dataset, user=world.ann1)
    assert drain(dataset, world.ann2) == ["r0001", "r0002", "r0003"]
    assert next_record(dataset=dataset, user=world.ann2) is None
    _expire_leases(dataset)
    assert next_record(dataset=dataset, user=world.ann2) == abandoned


def test_release_gives_the_record_back(world, queue_dataset):
    dataset = queue_dataset(2)
    first = next_record(dataset=dataset, user=world.ann1)
    release(dataset=dataset, user=world.ann1)
    assert next_record(dataset=dataset, user=world.ann2) == first


def test_skipped_records_come_back_once_nothing_else_is_left(world, queue_dataset):
    dataset = queue_dataset(3)
    first = next_record(dataset=dataset, user=world.ann1)
    skip(dataset=dataset, user=world.ann1, record=first)
    assert drain(dataset, world.ann1) == ["r0001", "r0002", "r0000"]


def test_a_skipped_record_goes_to_someone_else_meanwhile(world, queue_dataset):
    dataset = queue_dataset(3)
    first = next_record(dataset=dataset, user=world.ann1)
    skip(dataset=dataset, user=world.ann1, record=first)
    assert next_record(dataset=dataset, user=world.ann2) == first


def test_new_records_reach_an_annotator_who_had_run_out(world, queue_dataset):
    dataset = queue_dataset(2)
    assert drain(dataset, world.ann1) == ["r0000", "r0001"]
    create_records(dataset=dataset, items=record_items(2, start=2))
    assert drain(dataset, world.ann1) == ["r0002", "r0003"]


def test_completed_records_reopen_when_min_submitted_rises(world, queue_dataset):
    dataset = queue_dataset(2)
    assert drain(dataset, world.ann1) == ["r0000", "r0001"]
    assert next_record(dataset=dataset, user=world.ann2) is None
    update_rules(dataset=dataset, min_submitted=2)
    assert drain(dataset, world.ann2) == ["r0000", "r0001"]
    assert set(dataset.records.values_list("status", flat=True)) == {"completed"}


def test_only_the_pool_gets_records(world, queue_dataset):
    dataset = queue_dataset(2)
    assert next_record(dataset=dataset, user=world.outsider) is None  # another workspace
    assert next_record(dataset=dataset, user=world.admin) is None  # not an annotator
    update_rules(dataset=dataset, pool_kind="named", annotators=[world.ann2, world.admin])
    assert next_record(dataset=dataset, user=world.ann1) is None
    assert next_record(dataset=dataset, user=world.admin) is not None


def test_a_named_member_who_leaves_the_workspace_leaves_the_pool(world, make_user, queue_dataset):
    helper = make_user("helper", role=Role.ANNOTATOR, workspaces=[world.ws_a])
    dataset = queue_dataset(2)
    update_rules(dataset=dataset, pool_kind="named", annotators=[helper])
    helper.memberships.all().delete()
    assert next_record(dataset=dataset, user=helper) is None


def test_a_draft_dataset_has_no_queue(world, make_dataset):
    dataset = make_dataset(world.ws_a, publish=False)
    assert next_record(dataset=dataset, user=world.ann1) is None

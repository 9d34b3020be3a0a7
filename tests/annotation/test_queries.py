"""next_record runs the same few indexed queries whatever the size of the dataset."""

import pytest

from apps.annotation.queue import next_record
from apps.annotation.services import update_rules
from apps.records.services import create_records
from tests.annotation.conftest import answer, record_items


@pytest.mark.parametrize("size", [3, 80])
def test_open_queue_query_count_is_flat(world, make_dataset, django_assert_num_queries, size):
    dataset = make_dataset(world.ws_a, min_submitted=2)
    create_records(dataset=dataset, items=record_items(size))
    answer(world.ann1, next_record(dataset=dataset, user=world.ann1))
    next_record(dataset=dataset, user=world.ann2)  # someone else holds one

    # savepoint; 1. the annotator's queue row, locked, with the rules, pool membership, and
    # whether they have drafts or hold an unfinished record (neither: no query for those)
    # 2. the next record with room, locked (FOR UPDATE SKIP LOCKED), with their new mark:
    # the first record they still owe  3. the lease written if its room holds in a fresh
    # snapshot; release savepoint
    with django_assert_num_queries(5):
        record = next_record(dataset=dataset, user=world.ann1)
    assert record is not None


@pytest.mark.parametrize("size", [3, 80])
def test_assigned_queue_query_count_is_flat(world, make_dataset, django_assert_num_queries, size):
    dataset = make_dataset(world.ws_a)
    update_rules(dataset=dataset, mode="assigned")
    create_records(dataset=dataset, items=record_items(size * 2))
    answer(world.ann1, next_record(dataset=dataset, user=world.ann1))

    # savepoint; 1. queue row, locked, with rules, pool membership, drafts or an unfinished
    # held record (none here)  2. next assigned record, locked (the assignment is the place:
    # no room to check), with the mark  3. the lease written; release savepoint
    with django_assert_num_queries(5):
        record = next_record(dataset=dataset, user=world.ann1)
    assert record is not None


def test_a_draft_or_an_unfinished_held_record_is_still_looked_for(world, make_dataset):
    from apps.annotation.queue import release

    dataset = make_dataset(world.ws_a, min_submitted=2)
    create_records(dataset=dataset, items=record_items(5))
    held = next_record(dataset=dataset, user=world.ann1)
    assert next_record(dataset=dataset, user=world.ann1) == held  # unanswered: kept
    answer(world.ann1, held, status="draft")
    release(dataset=dataset, user=world.ann1)  # holds nothing now, but has a draft
    assert next_record(dataset=dataset, user=world.ann1) == held

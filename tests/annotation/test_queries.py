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

    # savepoint; 1. the annotator's queue row, locked, with the rules and pool membership
    # 2. their oldest draft, else the record they held (answered now)  3. the next record
    # with room, locked (FOR UPDATE SKIP LOCKED), with their new mark: the first record they
    # still owe  4. the lease written if its room holds in a fresh snapshot; release savepoint
    with django_assert_num_queries(6):
        record = next_record(dataset=dataset, user=world.ann1)
    assert record is not None


@pytest.mark.parametrize("size", [3, 80])
def test_assigned_queue_query_count_is_flat(world, make_dataset, django_assert_num_queries, size):
    dataset = make_dataset(world.ws_a)
    update_rules(dataset=dataset, mode="assigned")
    create_records(dataset=dataset, items=record_items(size * 2))
    answer(world.ann1, next_record(dataset=dataset, user=world.ann1))

    # savepoint; 1. queue row, locked, with rules and pool membership  2. oldest draft or
    # held record  3. next assigned record, locked (the assignment is the place: no room to
    # check), with the mark  4. the lease written; release savepoint
    with django_assert_num_queries(6):
        record = next_record(dataset=dataset, user=world.ann1)
    assert record is not None

"""Progress: records by status, and each annotator's answers and what is left for them."""

import pytest

from apps.annotation.progress import annotator_progress, dataset_progress, datasets_progress
from apps.annotation.queue import next_record
from apps.annotation.services import update_rules
from apps.records.services import create_records
from tests.annotation.conftest import answer, record_items


def _by_user(rows) -> dict:
    return {
        row.username: (row.submitted, row.draft, row.discarded, row.remaining, row.in_pool)
        for row in rows
    }


def test_dataset_progress_counts_records_by_status(world, queue_dataset):
    dataset = queue_dataset(4)
    answer(world.ann1, next_record(dataset=dataset, user=world.ann1))
    progress = dataset_progress(dataset)
    assert (progress.total, progress.pending, progress.completed) == (4, 3, 1)


def test_open_queue_progress_per_annotator(world, queue_dataset):
    dataset = queue_dataset(5, min_submitted=2)
    records = list(dataset.records.order_by("inserted_at"))
    answer(world.ann1, records[0])
    answer(world.ann1, records[1], "draft")
    answer(world.ann1, records[2], "discarded")
    answer(world.ann2, records[0])  # completes records[0]
    answer(world.owner, records[3])  # not in the pool, but answered

    rows = annotator_progress(dataset)

    assert [row.username for row in rows] == ["ann1", "ann2", "olivia"]
    assert _by_user(rows) == {
        # 4 pending records, minus the 2 ann1 answered (draft and discarded)
        "ann1": (1, 1, 1, 2, True),
        "ann2": (1, 0, 0, 4, True),
        "olivia": (1, 0, 0, 0, False),
    }


def test_assigned_progress_counts_only_what_is_assigned(world, queue_dataset):
    dataset = queue_dataset(4)
    update_rules(dataset=dataset, mode="assigned")
    answer(world.ann1, next_record(dataset=dataset, user=world.ann1))
    assert _by_user(annotator_progress(dataset)) == {
        "ann1": (1, 0, 0, 1, True),
        "ann2": (0, 0, 0, 2, True),
    }


@pytest.mark.parametrize("size", [1, 40])
def test_progress_runs_a_constant_number_of_queries(
    world, make_user, make_dataset, django_assert_num_queries, size
):
    dataset = make_dataset(world.ws_a)
    records = create_records(dataset=dataset, items=record_items(size))
    for index in range(size % 7 + 1):
        annotator = make_user(workspaces=[world.ws_a])
        answer(annotator, records[index % size])

    # 1. records by status
    with django_assert_num_queries(1):
        progress = dataset_progress(dataset)
    # 1. rules  2. the pool  3. responses by user and status
    with django_assert_num_queries(3):
        rows = annotator_progress(dataset, progress=progress)
    assert len(rows) == 2 + size % 7 + 1


def test_several_datasets_in_one_query(world, make_dataset, django_assert_num_queries):
    empty = make_dataset(world.ws_a)
    full = make_dataset(world.ws_a)
    create_records(dataset=full, items=record_items(3))
    # 1. records by dataset and status
    with django_assert_num_queries(1):
        progress = datasets_progress([empty.pk, full.pk])
    assert (progress[empty.pk].total, progress[full.pk].pending) == (0, 3)

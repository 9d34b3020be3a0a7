"""Helpers for the work-queue tests: datasets with records, answering, reading the queue."""

import pytest

from apps.annotation.queue import next_record
from apps.records.services import create_records
from apps.responses.services import save_response

ANSWER = {"response_ranking": {"value": 2}}


def record_items(count: int, *, start: int = 0, scores: list | None = None) -> list[dict]:
    items = []
    for index in range(start, start + count):
        item = {
            "external_id": f"r{index:04d}",
            "fields": {"prompt": f"p{index}", "response-1": "a", "response-2": "b"},
        }
        score = scores[index - start] if scores is not None else None
        if score is not None:
            item["suggestions"] = [
                {"question_name": "response_ranking", "value": 1, "score": score}
            ]
        items.append(item)
    return items


def answer(user, record, status="submitted"):
    values = None if status == "discarded" else ANSWER
    return save_response(user=user, record=record, values=values, status=status)


def drain(dataset, user, *, status="submitted", limit=1000) -> list[str]:
    """Ask for records and answer each until the queue is empty; their external ids."""
    seen = []
    for _ in range(limit):
        record = next_record(dataset=dataset, user=user)
        if record is None:
            return seen
        seen.append(record.external_id)
        answer(user, record, status)
    raise AssertionError("the queue never ran out")


@pytest.fixture
def queue_dataset(world, make_dataset):
    """A published dataset of workspace A with `count` records (ids r0000, r0001, …).

    One record per insert: records of one batch share `inserted_at`, so only separate
    inserts have an insertion order of their own.
    """

    def make(count: int = 5, *, scores: list | None = None, **dataset_attrs):
        dataset = make_dataset(world.ws_a, **dataset_attrs)
        for index in range(count):
            score = [scores[index]] if scores is not None else None
            create_records(dataset=dataset, items=record_items(1, start=index, scores=score))
        return dataset

    return make

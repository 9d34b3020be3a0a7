"""The queue's resume mark: a `Mark` in Python, the same short-keyed JSON in the database."""

from apps.annotation.models import AnnotatorQueue
from apps.annotation.queue import Mark, next_record
from tests.annotation.conftest import answer

STORED = {"at": "2026-01-02T03:04:05+00:00", "m": 2, "r": "open:inserted:None"}


def test_a_stored_mark_reads_back_as_it_was_written():
    with_key = {**STORED, "s": 1, "k": ["2026-01-01T00:00:00+00:00", "0f0e"]}
    assert Mark.from_json(with_key) == Mark(
        since=STORED["at"],
        min_submitted=2,
        rules="open:inserted:None",
        segment=1,
        key=["2026-01-01T00:00:00+00:00", "0f0e"],
    )
    assert Mark.from_json(with_key).as_json() == with_key
    exhausted = {**STORED, "end": True}
    assert Mark.from_json(exhausted).exhausted
    assert Mark.from_json(exhausted).as_json() == exhausted


def test_no_mark_stored_is_none():
    assert Mark.from_json(None) is None
    assert Mark.from_json({}) is None


def test_a_turn_stores_the_first_record_still_owed(world, queue_dataset):
    dataset = queue_dataset(3)
    first = next_record(dataset=dataset, user=world.ann1)
    answer(world.ann1, first)
    second = next_record(dataset=dataset, user=world.ann1)
    stored = AnnotatorQueue.objects.get(dataset=dataset, user=world.ann1).mark
    assert set(stored) == {"at", "m", "r", "s", "k"}
    assert stored["m"] == dataset.min_submitted and stored["s"] == 0
    assert stored["k"] == [second.inserted_at.isoformat(), str(second.pk)]


def test_an_annotator_who_ran_out_has_an_exhausted_mark(world, queue_dataset):
    dataset = queue_dataset(1)
    answer(world.ann1, next_record(dataset=dataset, user=world.ann1))
    assert next_record(dataset=dataset, user=world.ann1) is None
    stored = AnnotatorQueue.objects.get(dataset=dataset, user=world.ann1).mark
    assert Mark.from_json(stored).exhausted

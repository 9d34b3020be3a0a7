"""Queue orders: insertion (see test_open_queue), shuffled per annotator, suggestion score."""

import uuid

from apps.annotation.models import AnnotatorQueue
from apps.annotation.queue import next_record
from apps.annotation.services import update_rules
from apps.datasets.models import Question
from tests.annotation.conftest import answer, drain


def _ids_by_external(dataset) -> dict:
    return dict(dataset.records.values_list("external_id", "id"))


def _rotated(ids_by_external: dict, offset: uuid.UUID) -> list[str]:
    by_id = sorted(ids_by_external, key=lambda external: ids_by_external[external])
    after = [e for e in by_id if ids_by_external[e] >= offset]
    before = [e for e in by_id if ids_by_external[e] < offset]
    return after + before


def _seat_with_offset(dataset, user, offset: uuid.UUID) -> None:
    AnnotatorQueue.objects.create(dataset=dataset, user=user, shuffle_offset=offset)


def test_shuffled_order_starts_at_each_annotators_own_place(world, queue_dataset):
    dataset = queue_dataset(8)
    update_rules(dataset=dataset, order="shuffled")
    ids = _ids_by_external(dataset)
    by_id = sorted(ids.values())
    # ann1 starts at the 3rd record of the random-id order, ann2 at the 7th.
    _seat_with_offset(dataset, world.ann1, by_id[2])
    _seat_with_offset(dataset, world.ann2, by_id[6])

    first_of_ann1 = next_record(dataset=dataset, user=world.ann1)
    first_of_ann2 = next_record(dataset=dataset, user=world.ann2)
    assert first_of_ann1.pk == by_id[2] and first_of_ann2.pk == by_id[6]
    answer(world.ann1, first_of_ann1)
    answer(world.ann2, first_of_ann2)

    rest_of_ann1 = drain(dataset, world.ann1)
    expected = [e for e in _rotated(ids, by_id[2]) if ids[e] != by_id[6]][1:]
    assert rest_of_ann1 == expected
    assert rest_of_ann1 != sorted(rest_of_ann1)  # not the insertion order


def test_shuffled_order_is_stable_for_an_annotator(world, queue_dataset):
    dataset = queue_dataset(6, min_submitted=2)
    update_rules(dataset=dataset, order="shuffled")
    first = next_record(dataset=dataset, user=world.ann1)
    assert next_record(dataset=dataset, user=world.ann1) == first
    offset = AnnotatorQueue.objects.get(dataset=dataset, user=world.ann1).shuffle_offset
    assert [first.external_id, *drain(dataset, world.ann1)[1:]] == _rotated(
        _ids_by_external(dataset), offset
    )


def test_suggestion_score_lowest_first_then_the_unscored(world, queue_dataset):
    dataset = queue_dataset(5, scores=[0.9, 0.1, None, 0.5, 0.1])
    question = Question.objects.get(dataset=dataset, name="response_ranking")
    update_rules(dataset=dataset, order="suggestion_score", order_question=question)
    ids = _ids_by_external(dataset)
    ties = sorted(["r0001", "r0004"], key=lambda external: ids[external])
    assert drain(dataset, world.ann1) == [*ties, "r0003", "r0000", "r0002"]


def test_suggestion_score_ignores_other_questions_scores(world, queue_dataset):
    dataset = queue_dataset(3, scores=[0.9, 0.1, 0.5])
    other = Question.objects.get(dataset=dataset, name="correct_response")
    update_rules(dataset=dataset, order="suggestion_score", order_question=other)
    assert drain(dataset, world.ann1) == ["r0000", "r0001", "r0002"]  # none scored: inserted


def test_changing_the_order_applies_at_the_next_call(world, queue_dataset):
    dataset = queue_dataset(3, scores=[0.9, 0.5, 0.1])
    assert next_record(dataset=dataset, user=world.ann1).external_id == "r0000"
    question = Question.objects.get(dataset=dataset, name="response_ranking")
    update_rules(dataset=dataset, order="suggestion_score", order_question=question)
    answer(world.ann1, dataset.records.get(external_id="r0000"))
    assert drain(dataset, world.ann1) == ["r0002", "r0001"]

"""Editing assignment rules: validation, defaults, min_submitted and record statuses."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.annotation.models import AssignmentRules
from apps.annotation.rules import rules_for
from apps.annotation.services import update_rules
from apps.core.errors import ValidationFailed
from apps.datasets import services as dataset_services
from apps.datasets.models import Question
from apps.records.services import create_records
from tests.annotation.conftest import answer, record_items


def _problems(call) -> dict:
    with pytest.raises(ValidationFailed) as caught:
        call()
    return {problem.loc: str(problem.message) for problem in caught.value.problems}


def test_a_dataset_without_rules_uses_the_defaults(world, make_dataset):
    dataset = make_dataset(world.ws_a, publish=False)
    rules = rules_for(dataset)
    assert rules._state.adding
    assert (rules.pool_kind, rules.mode, rules.order, rules.lease_minutes) == (
        "workspace",
        "open",
        "inserted",
        15,
    )


def test_publishing_makes_the_rules_explicit(world, make_dataset):
    dataset = make_dataset(world.ws_a)
    assert AssignmentRules.objects.filter(dataset=dataset, mode="open").exists()


def test_a_named_pool_smaller_than_min_submitted_is_rejected(world, make_dataset):
    dataset = make_dataset(world.ws_a, min_submitted=2)
    problems = _problems(
        lambda: update_rules(dataset=dataset, pool_kind="named", annotators=[world.ann1])
    )
    assert list(problems) == [("annotators",)]
    assert "The pool has 1 annotator but min_submitted is 2" in problems[("annotators",)]
    assert rules_for(dataset).pool_kind == "workspace"  # nothing saved


def test_raising_min_submitted_above_the_named_pool_is_rejected(world, make_dataset):
    dataset = make_dataset(world.ws_a)
    update_rules(dataset=dataset, pool_kind="named", annotators=[world.ann1, world.ann2])
    problems = _problems(lambda: update_rules(dataset=dataset, min_submitted=3))
    assert "min_submitted is 3" in problems[("annotators",)]
    dataset.refresh_from_db()
    assert dataset.min_submitted == 1


def test_assigned_mode_needs_enough_annotators_in_the_workspace(world, make_dataset):
    dataset = make_dataset(world.ws_a, min_submitted=3)  # ann1 and ann2 only
    problems = _problems(lambda: update_rules(dataset=dataset, mode="assigned"))
    assert "The pool has 2 annotators" in problems[("pool_kind",)]


def test_named_annotators_must_belong_to_the_workspace(world, make_dataset):
    dataset = make_dataset(world.ws_a)
    problems = _problems(
        lambda: update_rules(
            dataset=dataset, pool_kind="named", annotators=[world.ann1, world.outsider]
        )
    )
    assert (
        "outsider is not an active member of workspace workspace-a" in problems[("annotators", 1)]
    )


def test_every_problem_is_reported_at_once(world, make_dataset):
    dataset = make_dataset(world.ws_a)
    problems = _problems(
        lambda: update_rules(
            dataset=dataset, mode="round-robin", order="suggestion_score", lease_minutes=0
        )
    )
    assert set(problems) == {("mode",), ("order_question",), ("lease_minutes",)}


def test_the_score_question_must_belong_to_the_dataset(world, make_dataset):
    dataset = make_dataset(world.ws_a)
    other = make_dataset(world.ws_a)
    question = Question.objects.get(dataset=other, name="response_ranking")
    problems = _problems(
        lambda: update_rules(dataset=dataset, order="suggestion_score", order_question=question)
    )
    assert list(problems) == [("order_question",)]


def test_the_score_question_is_forgotten_with_another_order(world, make_dataset):
    dataset = make_dataset(world.ws_a)
    question = Question.objects.get(dataset=dataset, name="response_ranking")
    update_rules(dataset=dataset, order="suggestion_score", order_question=question)
    rules = update_rules(dataset=dataset, order="inserted")
    assert rules.order_question is None


def test_min_submitted_through_the_rules_recomputes_statuses_in_one_statement(world, make_dataset):
    dataset = make_dataset(world.ws_a)
    records = create_records(dataset=dataset, items=record_items(30))
    answer(world.ann1, records[0])
    answer(world.ann2, records[0])
    answer(world.ann1, records[1])

    with CaptureQueriesContext(connection) as queries:
        update_rules(dataset=dataset, min_submitted=2)

    record_updates = [q for q in queries if re.match(r'UPDATE "?records_record"? ', q["sql"])]
    assert len(record_updates) == 1
    statuses = dict(dataset.records.values_list("external_id", "status"))
    assert statuses[records[0].external_id] == "completed"
    assert statuses[records[1].external_id] == "pending"
    assert list(statuses.values()).count("completed") == 1


def test_lowering_min_submitted_completes_records(world, make_dataset):
    dataset = make_dataset(world.ws_a, min_submitted=2)
    [record] = create_records(dataset=dataset, items=record_items(1))
    answer(world.ann1, record)
    dataset_services.update_dataset(dataset=dataset, min_submitted=1)
    record.refresh_from_db()
    assert record.status == "completed"

"""Response values per question type; required questions only on submit."""

import pytest

from apps.core.errors import ValidationFailed
from apps.datasets.schema import DatasetSchema
from apps.responses.validation import clean_values

QUESTIONS = [
    {
        "name": "rating",
        "required": True,
        "settings": {"type": "rating", "options": [{"value": 1}, {"value": 2}]},
    },
    {"name": "note", "required": False, "settings": {"type": "text"}},
    {
        "name": "label",
        "required": False,
        "settings": {
            "type": "label_selection",
            "options": [{"value": "good", "text": "Good"}, {"value": "bad", "text": "Bad"}],
        },
    },
    {
        "name": "ents",
        "required": False,
        "settings": {
            "type": "span",
            "field": "text",
            "options": [{"value": "PER", "text": "Person"}],
        },
    },
]


@pytest.fixture
def schema(world, make_dataset):
    dataset = make_dataset(
        world.ws_a, fields=[{"name": "text", "settings": {"type": "text"}}], questions=QUESTIONS
    )
    return DatasetSchema.load(dataset)


def test_submitted_needs_required_questions(schema):
    with pytest.raises(ValidationFailed) as caught:
        clean_values(schema, {"note": {"value": "hi"}}, status="submitted")
    assert [p.loc for p in caught.value.problems] == [("values", "rating")]


def test_draft_may_be_partial(schema):
    assert clean_values(schema, {"note": {"value": "hi"}}, status="draft") == {
        "note": {"value": "hi"}
    }


def test_discarded_may_have_no_values(schema):
    assert clean_values(schema, None, status="discarded") == {}
    with pytest.raises(ValidationFailed):
        clean_values(schema, None, status="draft")


def test_null_answers_are_dropped_but_required_still_checked(schema):
    values = {"rating": {"value": 2}, "note": {"value": None}}
    assert clean_values(schema, values, status="submitted") == {"rating": {"value": 2}}
    with pytest.raises(ValidationFailed):
        clean_values(schema, {"rating": {"value": None}}, status="submitted")


@pytest.mark.parametrize(
    "values, loc",
    [
        ({"rating": {"value": 5}}, ("values", "rating", "value")),
        ({"rating": 2}, ("values", "rating")),
        ({"label": {"value": "meh"}}, ("values", "label", "value")),
        ({"nope": {"value": 1}}, ("values", "nope")),
        ({"note": {"value": ""}}, ("values", "note", "value")),
    ],
)
def test_bad_values_are_located(schema, values, loc):
    with pytest.raises(ValidationFailed) as caught:
        clean_values(schema, values, status="draft")
    assert caught.value.problems[0].loc[: len(loc)] == loc


def test_span_offsets_checked_against_the_record_text(schema):
    inside = {"ents": {"value": [{"label": "PER", "start": 0, "end": 3}]}}
    assert clean_values(schema, inside, status="draft", record_fields={"text": "Ada Lovelace"})
    outside = {"ents": {"value": [{"label": "PER", "start": 0, "end": 30}]}}
    with pytest.raises(ValidationFailed):
        clean_values(schema, outside, status="draft", record_fields={"text": "Ada Lovelace"})


def test_unknown_status_is_rejected(schema):
    with pytest.raises(ValidationFailed) as caught:
        clean_values(schema, {}, status="done")
    assert caught.value.problems[0].loc == ("status",)

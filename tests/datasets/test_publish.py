"""Draft → ready: what publishing needs, and what it freezes."""

import pytest

from apps.core.errors import Conflict, ValidationFailed
from apps.datasets import services
from apps.datasets.models import DatasetStatus, Field, Question
from apps.records.models import Record
from apps.records.services import create_records
from apps.responses.models import Response
from apps.responses.services import save_response

TEXT = {"type": "text"}
RATING = {"type": "rating", "options": [{"value": 1}, {"value": 2}]}


def test_new_dataset_is_a_draft(world):
    dataset = services.create_dataset(workspace=world.ws_a, name="fresh")
    assert dataset.status == DatasetStatus.DRAFT
    assert dataset.distribution == {"strategy": "overlap", "min_submitted": 1}
    assert dataset.allow_extra_metadata is True


@pytest.mark.parametrize(
    "with_field, with_question, missing",
    [(False, False, {"fields", "questions"}), (True, False, {"questions"}), (False, True, set())],
)
def test_publish_needs_a_field_and_a_question(world, with_field, with_question, missing):
    dataset = services.create_dataset(workspace=world.ws_a, name="needs-settings")
    if with_field:
        services.add_field(dataset=dataset, name="text", settings=TEXT)
    if with_question:
        services.add_question(dataset=dataset, name="q", settings={"type": "text"})
    with pytest.raises(ValidationFailed) as caught:
        services.publish_dataset(dataset=dataset)
    locs = {p.loc[0] for p in caught.value.problems}
    assert missing <= locs
    dataset.refresh_from_db()
    assert dataset.status == DatasetStatus.DRAFT


def test_publish_with_field_and_question(world):
    dataset = services.create_dataset(workspace=world.ws_a, name="ok")
    services.add_field(dataset=dataset, name="text", settings=TEXT)
    services.add_question(dataset=dataset, name="q", settings=RATING)
    services.publish_dataset(dataset=dataset)
    dataset.refresh_from_db()
    assert dataset.status == DatasetStatus.READY


def test_publish_twice_is_an_error(world, make_dataset):
    dataset = make_dataset(world.ws_a)
    with pytest.raises(ValidationFailed, match="already published"):
        services.publish_dataset(dataset=dataset)


def test_published_dataset_freezes_fields_and_questions(world, make_dataset):
    dataset = make_dataset(world.ws_a)
    with pytest.raises(ValidationFailed, match="published"):
        services.add_field(dataset=dataset, name="extra", settings=TEXT)
    with pytest.raises(ValidationFailed, match="published"):
        services.add_question(dataset=dataset, name="extra", settings=RATING)
    field = Field.objects.get(dataset=dataset, name="prompt")
    question = Question.objects.get(dataset=dataset, name="response_ranking")
    with pytest.raises(ValidationFailed):
        services.delete_setting(setting=field)
    with pytest.raises(ValidationFailed):
        services.delete_setting(setting=question)
    assert dataset.fields.count() == 3 and dataset.questions.count() == 2


def test_published_dataset_keeps_titles_descriptions_guidelines_editable(world, make_dataset):
    dataset = make_dataset(world.ws_a)
    field = Field.objects.get(dataset=dataset, name="prompt")
    services.update_setting(setting=field, title="The prompt", description="What was asked")
    question = Question.objects.get(dataset=dataset, name="response_ranking")
    services.update_setting(setting=question, title="Better one?")
    services.update_dataset(dataset=dataset, guidelines="Be kind.")
    field.refresh_from_db()
    question.refresh_from_db()
    dataset.refresh_from_db()
    assert (field.title, field.description) == ("The prompt", "What was asked")
    assert question.title == "Better one?"
    assert dataset.guidelines == "Be kind."


def test_published_question_keeps_its_option_values(world, make_dataset):
    dataset = make_dataset(world.ws_a)
    question = Question.objects.get(dataset=dataset, name="response_ranking")
    with pytest.raises(ValidationFailed, match="Option values"):
        services.update_setting(
            setting=question, settings={"options": [{"value": 1}, {"value": 2}]}
        )
    with pytest.raises(ValidationFailed, match="type"):
        services.update_setting(setting=question, settings={"type": "text"})


@pytest.mark.usefixtures("needs_pgvector")
def test_metadata_and_vectors_can_be_added_after_publishing(world, make_dataset):
    dataset = make_dataset(world.ws_a)
    services.add_metadata_property(
        dataset=dataset, name="source", settings={"type": "terms", "values": ["a", "b"]}
    )
    services.add_vector_settings(dataset=dataset, name="emb", dimensions=3)
    assert dataset.metadata_properties.count() == 1
    assert dataset.vectors_settings.count() == 1


def test_setting_names_are_unique_across_kinds(world):
    dataset = services.create_dataset(workspace=world.ws_a, name="names")
    services.add_field(dataset=dataset, name="text", settings=TEXT)
    with pytest.raises(Conflict, match="text"):
        services.add_field(dataset=dataset, name="text", settings=TEXT)
    with pytest.raises(Conflict, match="text"):
        services.add_question(dataset=dataset, name="text", settings=RATING)
    with pytest.raises(Conflict):
        services.add_vector_settings(dataset=dataset, name="text", dimensions=2)


def test_dataset_name_unique_per_workspace_only(world):
    services.create_dataset(workspace=world.ws_a, name="shared-name")
    with pytest.raises(Conflict, match="shared-name"):
        services.create_dataset(workspace=world.ws_a, name="shared-name")
    other = services.create_dataset(workspace=world.ws_b, name="shared-name")
    assert other.workspace == world.ws_b


@pytest.mark.parametrize(
    "kwargs, loc",
    [
        ({"name": ""}, "name"),
        ({"name": "-leading-dash"}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "ok", "min_submitted": 0}, "distribution"),
        ({"name": "ok", "guidelines": "g" * 10001}, "guidelines"),
        ({"name": "ok", "allow_extra_metadata": "yes"}, "allow_extra_metadata"),
    ],
)
def test_create_dataset_rejects_bad_input(world, kwargs, loc):
    with pytest.raises(ValidationFailed) as caught:
        services.create_dataset(workspace=world.ws_a, **kwargs)
    assert caught.value.problems[0].loc[0] == loc


def test_span_question_needs_an_existing_text_field(world):
    dataset = services.create_dataset(workspace=world.ws_a, name="spans")
    services.add_field(dataset=dataset, name="text", settings=TEXT)
    span = {"type": "span", "options": [{"value": "PER", "text": "Person"}]}
    with pytest.raises(ValidationFailed):
        services.add_question(dataset=dataset, name="ents", settings={**span, "field": "nope"})
    question = services.add_question(
        dataset=dataset, name="ents", settings={**span, "field": "text"}
    )
    assert question.settings["field"] == "text"


def test_deleting_a_dataset_removes_records_and_responses(world, make_dataset):
    dataset = make_dataset(world.ws_a)
    [record] = create_records(
        dataset=dataset,
        items=[{"fields": {"prompt": "p", "response-1": "a", "response-2": "b"}}],
    )
    save_response(
        user=world.ann1,
        record=record,
        values={"response_ranking": {"value": 1}},
        status="submitted",
    )
    services.delete_dataset(dataset=dataset)
    assert not Record.objects.filter(pk=record.pk).exists()
    assert not Response.objects.filter(record_id=record.pk).exists()


def test_one_span_question_per_field(world):
    dataset = services.create_dataset(workspace=world.ws_a, name="two-spans")
    services.add_field(dataset=dataset, name="text", settings=TEXT)
    span = {"type": "span", "field": "text", "options": [{"value": "PER", "text": "Person"}]}
    services.add_question(dataset=dataset, name="ents", settings=span)
    with pytest.raises(ValidationFailed, match="already has a span question"):
        services.add_question(dataset=dataset, name="more_ents", settings=span)

"""The database itself refuses duplicates, whatever code path writes them."""

import pytest
from django.db import IntegrityError, transaction

from apps.accounts.models import ApiKey
from apps.datasets.models import Dataset, Field, MetadataProperty, Question, VectorSettings
from apps.records.models import Record, Suggestion, Vector
from apps.responses.models import Response
from apps.workspaces.models import Workspace, WorkspaceMember


def assert_rejected(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_workspace_name_and_membership_unique(world):
    assert_rejected(lambda: Workspace.objects.create(name="workspace-a"))
    assert_rejected(lambda: WorkspaceMember.objects.create(workspace=world.ws_a, user=world.ann1))


def test_dataset_name_unique_per_workspace(world):
    Dataset.objects.create(workspace=world.ws_a, name="d")
    assert_rejected(lambda: Dataset.objects.create(workspace=world.ws_a, name="d"))
    Dataset.objects.create(workspace=world.ws_b, name="d")


def test_min_submitted_at_least_one(world):
    assert_rejected(lambda: Dataset.objects.create(workspace=world.ws_a, name="z", min_submitted=0))


@pytest.mark.parametrize(
    "model, extra",
    [
        (Field, {"settings": {"type": "text"}}),
        (Question, {"settings": {"type": "text"}}),
        (MetadataProperty, {"settings": {"type": "integer"}}),
        (VectorSettings, {"dimensions": 2}),
    ],
)
def test_setting_name_unique_per_dataset(world, model, extra):
    dataset = Dataset.objects.create(workspace=world.ws_a, name="d")
    other = Dataset.objects.create(workspace=world.ws_a, name="e")
    model.objects.create(dataset=dataset, name="n", title="n", **extra)
    assert_rejected(lambda: model.objects.create(dataset=dataset, name="n", title="n", **extra))
    model.objects.create(dataset=other, name="n", title="n", **extra)


def test_record_children_unique(world):
    dataset = Dataset.objects.create(workspace=world.ws_a, name="d")
    question = Question.objects.create(
        dataset=dataset, name="q", title="q", settings={"type": "text"}
    )
    vectors = VectorSettings.objects.create(dataset=dataset, name="v", title="v", dimensions=2)
    record = Record.objects.create(dataset=dataset, external_id="x", fields={"t": "a"})
    assert_rejected(lambda: Record.objects.create(dataset=dataset, external_id="x", fields={}))
    # records without an external id do not clash
    Record.objects.create(dataset=dataset, fields={})
    Record.objects.create(dataset=dataset, fields={})
    Suggestion.objects.create(record=record, question=question, value="a")
    assert_rejected(lambda: Suggestion.objects.create(record=record, question=question, value="b"))
    Vector.objects.create(record=record, vector_settings=vectors, value=[1, 2])
    assert_rejected(
        lambda: Vector.objects.create(record=record, vector_settings=vectors, value=[3, 4])
    )
    Response.objects.create(record=record, user=world.ann1, status="draft")
    assert_rejected(lambda: Response.objects.create(record=record, user=world.ann1, status="draft"))


def test_vectors_round_trip_as_float32_arrays(world):
    dataset = Dataset.objects.create(workspace=world.ws_a, name="d")
    vs = VectorSettings.objects.create(dataset=dataset, name="v", title="v", dimensions=3)
    record = Record.objects.create(dataset=dataset, fields={})
    Vector.objects.create(record=record, vector_settings=vs, value=[0.5, -1, 2.25])
    assert Vector.objects.get(record=record).as_list() == [0.5, -1.0, 2.25]


def test_api_key_hash_unique(world):
    ApiKey.issue(user=world.ann1, key="dup-key")
    assert_rejected(lambda: ApiKey.issue(user=world.ann2, key="dup-key"))

import uuid

import pytest
from django.core.exceptions import PermissionDenied

from apps.core.access import NotFound
from apps.datasets.access import access_dataset, datasets_for
from apps.workspaces.access import access_workspace


def test_members_see_only_their_workspaces_datasets(world, make_dataset):
    dataset_a = make_dataset(world.ws_a)
    dataset_b = make_dataset(world.ws_b)
    assert list(datasets_for(world.ann1)) == [dataset_a]
    assert list(datasets_for(world.outsider)) == [dataset_b]
    assert set(datasets_for(world.owner)) == {dataset_a, dataset_b}


def test_other_workspace_looks_like_missing(world, make_dataset):
    dataset_b = make_dataset(world.ws_b)
    with pytest.raises(NotFound) as other:
        access_dataset(world.admin, dataset_b.id)
    with pytest.raises(NotFound) as missing:
        access_dataset(world.admin, uuid.uuid4())
    assert str(other.value) == str(missing.value)
    with pytest.raises(NotFound):
        access_dataset(world.admin, "not-a-uuid")
    with pytest.raises(NotFound):
        access_workspace(world.ann1, world.ws_b.id)


def test_annotators_cannot_manage(world, make_dataset):
    dataset = make_dataset(world.ws_a)
    assert access_dataset(world.ann1, dataset.id, need="annotate") == dataset
    with pytest.raises(PermissionDenied):
        access_dataset(world.ann1, dataset.id, need="manage")
    assert access_dataset(world.admin, dataset.id, need="manage") == dataset
    assert access_dataset(world.owner, dataset.id, need="manage") == dataset

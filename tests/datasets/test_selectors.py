"""The metadata visibility rule, in the one place every face asks."""

import pytest

from apps.core.errors import ValidationFailed
from apps.datasets import services
from apps.datasets.models import MetadataProperty
from apps.datasets.selectors import MetadataVisibility, metadata_properties_for


@pytest.fixture
def dataset(world, make_dataset):
    dataset = make_dataset(world.ws_a)
    services.add_metadata_property(dataset=dataset, name="shown", settings={"type": "terms"})
    services.add_metadata_property(
        dataset=dataset, name="hidden", settings={"type": "terms"}, visible_for_annotators=False
    )
    return dataset


RECORD = {"shown": 1, "hidden": 2, "extra": 3}


def test_annotators_see_visible_properties_only(world, dataset):
    assert [p.name for p in metadata_properties_for(world.ann1, dataset)] == ["shown"]
    for manager in (world.owner, world.admin):
        assert [p.name for p in metadata_properties_for(manager, dataset)] == ["shown", "hidden"]


def test_annotator_record_metadata_loses_hidden_keys_in_one_query(
    world, dataset, django_assert_num_queries
):
    visibility = MetadataVisibility(world.ann1, dataset)
    with django_assert_num_queries(1):  # the hidden names, read once
        assert visibility.record_metadata(RECORD) == {"shown": 1, "extra": 3}
        assert visibility.record_metadata(None) == {}
        assert visibility.hides("hidden") and not visibility.hides("extra")
    with pytest.raises(ValidationFailed) as error:
        visibility.check_usable("hidden", ("sort", 0))
    assert "'hidden'" in str(error.value)


@pytest.mark.parametrize("who", ["owner", "admin"])
def test_owners_and_admins_see_everything_without_a_query(
    world, dataset, who, django_assert_num_queries
):
    visibility = MetadataVisibility(getattr(world, who), dataset)
    with django_assert_num_queries(0):
        assert visibility.record_metadata(RECORD) == RECORD
        visibility.check_usable("hidden", ("sort", 0))


def test_learning_from_loaded_properties_saves_the_query(world, dataset, django_assert_num_queries):
    properties = list(MetadataProperty.objects.filter(dataset=dataset))
    visibility = MetadataVisibility(world.ann1, dataset)
    with django_assert_num_queries(0):
        visibility.learn(properties)
        assert visibility.record_metadata(RECORD) == {"shown": 1, "extra": 3}
        assert list(visibility.visible_properties({p.name: p for p in properties})) == ["shown"]

"""The annotator web app shows annotators only the metadata visible to them; owners and
admins see every property, on the record card and in the records list's filter."""

import pytest
from django.urls import reverse

from apps.datasets import services as dataset_services
from apps.records.services import create_records


@pytest.fixture
def dataset(world, make_dataset):
    dataset = make_dataset(world.ws_a)
    dataset_services.add_metadata_property(
        dataset=dataset, name="source", title="Source", settings={"type": "terms"}
    )
    dataset_services.add_metadata_property(
        dataset=dataset,
        name="gold",
        title="Gold label",
        settings={"type": "terms"},
        visible_for_annotators=False,
    )
    create_records(
        dataset=dataset,
        items=[
            {
                "external_id": f"r{i}",
                "fields": {"prompt": f"Prompt {i}", "response-1": "a", "response-2": "b"},
                "metadata": {"source": "web", "gold": "yes" if i else "no"},
            }
            for i in range(2)
        ],
    )
    return dataset


def annotate_page(client, dataset) -> str:
    """The focus view on record r0 (asked for by id: the queue deals records to annotators,
    not to admins)."""
    record = dataset.records.get(external_id="r0")
    url = reverse("annotation:annotate", args=[dataset.pk])
    response = client.get(f"{url}?record={record.pk}")
    assert response.status_code == 200
    return response.content.decode()


def records_page(client, dataset, **params):
    return client.get(reverse("annotation:records", args=[dataset.pk]), params)


def test_record_card_hides_hidden_metadata_from_annotators(world, dataset, login):
    html = annotate_page(login(world.ann1), dataset)
    assert "<strong>Source</strong>: web" in html
    assert "Gold label" not in html


def test_record_card_shows_every_metadata_property_to_admins(world, dataset, login):
    html = annotate_page(login(world.admin), dataset)
    assert "<strong>Source</strong>: web" in html
    assert "<strong>Gold label</strong>: no" in html


def test_records_filter_offers_and_accepts_hidden_properties_to_admins_only(world, dataset, login):
    annotator = records_page(login(world.ann1), dataset)
    assert 'value="source"' in annotator.content.decode()
    assert 'value="gold"' not in annotator.content.decode()
    refused = records_page(login(world.ann1), dataset, meta="gold", meta_value="yes")
    assert refused.status_code == 400
    assert "gold" in refused.content.decode()  # the error names the property

    admin = records_page(login(world.admin), dataset, meta="gold", meta_value="yes")
    assert admin.status_code == 200
    assert 'value="gold"' in admin.content.decode()
    assert 'data-record="r1"' in admin.content.decode()
    assert 'data-record="r0"' not in admin.content.decode()

"""The web records list searches like the API (one query builder): ranked by relevance,
never matching field names; and shows the records similar to one where there are vectors."""

import pytest
from django.urls import reverse

from apps.datasets import services as dataset_services
from apps.records.models import Record
from apps.records.services import create_records
from tests.annotation.test_web_records_list import list_url, shown


@pytest.fixture
def dataset(world, make_dataset):
    return make_dataset(world.ws_a)


def add(dataset, prompts, vectors=None):
    create_records(
        dataset=dataset,
        items=[
            {
                "external_id": f"P-{i}",
                "fields": {"prompt": p, "response-1": "a", "response-2": "b"},
                **({"vectors": {"emb": vectors[i]}} if vectors else {}),
            }
            for i, p in enumerate(prompts)
        ],
    )


def test_search_is_ranked_and_ignores_field_names(world, dataset, login):
    add(dataset, ["the tide comes in", "tide after tide, the tides rise", "calm sea", "prompt"])
    client = login(world.ann1)
    assert shown(client.get(list_url(dataset, q="tides"))) == ["P-1", "P-0"]
    # "response" is a field's name, and every record's JSON holds it: no match.
    assert shown(client.get(list_url(dataset, q="response"))) == []
    assert shown(client.get(list_url(dataset, q="prompt"))) == ["P-3"]


@pytest.mark.usefixtures("needs_pgvector")
def test_similar_records_of_a_record(world, dataset, login):
    dataset_services.add_vector_settings(dataset=dataset, name="emb", dimensions=2)
    add(dataset, ["a", "b", "c", "d"], vectors=[[1, 0], [0, 1], [0.9, 0.2], [0.6, 0.6]])
    client = login(world.ann1)
    page = client.get(list_url(dataset))
    assert b"data-similar" in page.content  # a link per record
    first = Record.objects.get(dataset=dataset, external_id="P-0")
    similar = client.get(list_url(dataset, similar_to=first.pk))
    assert similar.status_code == 200
    assert shown(similar) == ["P-2", "P-3", "P-1"]  # most similar first, itself left out
    assert b"0.976" in similar.content  # cosine of [1, 0] and [0.9, 0.2]


def test_no_similar_records_link_without_vectors(world, dataset, login):
    add(dataset, ["a"])
    assert b"data-similar" not in login(world.ann1).get(list_url(dataset)).content


@pytest.mark.usefixtures("needs_pgvector")
def test_similar_to_a_record_without_a_vector_is_a_400_with_the_reason(world, dataset, login):
    dataset_services.add_vector_settings(dataset=dataset, name="emb", dimensions=2)
    add(dataset, ["a"])
    record = Record.objects.get(dataset=dataset)
    answer = login(world.ann1).get(list_url(dataset, similar_to=record.pk))
    assert answer.status_code == 400 and b"has no" in answer.content


def test_similar_records_of_another_workspace_are_404(world, dataset, login):
    url = reverse("annotation:records", args=[dataset.pk])
    assert login(world.outsider).get(url, {"similar_to": "x"}).status_code == 404

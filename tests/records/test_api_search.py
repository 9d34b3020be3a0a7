"""POST /datasets/{id}/records/search: text, filters, sort, similarity, paging."""

import pytest

from apps.datasets import services as dataset_services
from apps.records.models import Record
from apps.records.services import upsert_records
from apps.responses.models import Response
from tests.conftest import vector_settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def ds(world, make_dataset):
    dataset = make_dataset(world.ws_a)
    dataset_services.add_metadata_property(dataset=dataset, name="n", settings={"type": "integer"})
    vector_settings(dataset, "emb", 2)
    question = dataset.questions.get(name="response_ranking")
    items = [
        {
            "external_id": f"e{i}",
            "fields": {
                "prompt": f"Hello world {i}" if i % 2 else f"bye {i}",
                "response-1": "a",
                "response-2": "b",
            },
            "metadata": {"n": i},
            "vectors": {"emb": [1.0, float(i)]},
            "suggestions": [{"question_id": str(question.id), "value": 1 + i % 3, "agent": "m"}],
        }
        for i in range(6)
    ]
    upsert_records(dataset=dataset, items=items, mode="create")
    return dataset


def search(client, ds, body, **params):
    return client.post(
        f"/api/v1/datasets/{ds.id}/records/search",
        body,
        format="json",
        QUERY_STRING="&".join(f"{k}={v}" for k, v in params.items()),
    )


def ids(answer):
    return [item["record"]["external_id"] for item in answer.json()["items"]]


def test_text_query_and_shape(api, world, ds):
    answer = search(
        api(world.owner),
        ds,
        {"query": {"text": {"q": "HELLO", "field": None}, "vector": None}, "filters": None},
        include="responses",
    )
    assert answer.status_code == 200
    assert ids(answer) == ["e1", "e3", "e5"] and answer.json()["total"] == 3
    item = answer.json()["items"][0]
    assert "query_score" in item and item["record"]["responses"] == []
    bad = search(api(world.owner), ds, {"query": {"text": {"q": "x", "field": "nope"}}})
    assert bad.status_code == 422


def test_filters_by_metadata_suggestion_record_and_response(api, world, ds):
    client = api(world.owner)
    body = {
        "filters": {
            "type": "and",
            "and": [
                {
                    "type": "range",
                    "ge": 2,
                    "le": None,
                    "scope": {"entity": "metadata", "metadata_property": "n"},
                },
                {
                    "type": "terms",
                    "values": [1],
                    "scope": {
                        "entity": "suggestion",
                        "question": "response_ranking",
                        "property": None,
                    },
                },
            ],
        }
    }
    assert ids(search(client, ds, body)) == ["e3"]
    record = Record.objects.get(dataset=ds, external_id="e4")
    Response.objects.create(
        record=record,
        user=world.ann1,
        status="submitted",
        values={"response_ranking": {"value": 3}},
    )
    status = {
        "filters": {
            "and": [
                {
                    "type": "terms",
                    "values": ["submitted"],
                    "scope": {"entity": "response", "question": None, "property": "status"},
                }
            ]
        }
    }
    assert ids(search(client, ds, status)) == ["e4"]
    value = {
        "filters": {
            "and": [
                {
                    "type": "terms",
                    "values": ["3"],
                    "scope": {"entity": "response", "question": "response_ranking"},
                }
            ]
        }
    }
    assert ids(search(client, ds, value)) == ["e4"]
    ext = {
        "filters": {
            "and": [
                {
                    "type": "terms",
                    "values": ["e0", "e5"],
                    "scope": {"entity": "record", "property": "external_id"},
                }
            ]
        }
    }
    assert ids(search(client, ds, ext)) == ["e0", "e5"]
    mine = client.post(f"/api/v1/me/datasets/{ds.id}/records/search", status, format="json")
    assert mine.json()["total"] == 0  # the owner has no responses of their own
    unknown = {
        "filters": {
            "and": [
                {
                    "type": "terms",
                    "values": [1],
                    "scope": {"entity": "metadata", "metadata_property": "zzz"},
                }
            ]
        }
    }
    assert search(client, ds, unknown).status_code == 422


def test_sort_and_paging_past_the_end(api, world, ds):
    client = api(world.owner)
    body = {"sort": [{"scope": {"entity": "metadata", "metadata_property": "n"}, "order": "desc"}]}
    assert ids(search(client, ds, body, limit=2, offset=1)) == ["e4", "e3"]
    assert search(client, ds, {}, offset=50).json() == {"items": [], "total": 6}


@pytest.mark.usefixtures("needs_pgvector")
def test_similarity_by_value_and_record_honours_offset(api, world, ds):
    client = api(world.owner)
    query = {
        "query": {
            "text": None,
            "vector": {
                "name": "emb",
                "record_id": None,
                "value": [1.0, 0.0],
                "order": "most_similar",
            },
        }
    }
    first = search(client, ds, query, limit=2, include="vectors")
    assert ids(first) == ["e0", "e1"]
    assert first.json()["items"][0]["query_score"] == pytest.approx(1.0)
    assert ids(search(client, ds, query, limit=2, offset=2)) == ["e2", "e3"]
    assert search(client, ds, query, offset=6).json()["items"] == []
    rid = Record.objects.get(dataset=ds, external_id="e5").id
    by_record = {
        "query": {
            "vector": {
                "name": "emb",
                "record_id": str(rid),
                "value": None,
                "order": "least_similar",
            }
        }
    }
    assert ids(search(client, ds, by_record, limit=1)) == ["e0"]
    bad = {"query": {"vector": {"name": "emb", "value": [1.0], "record_id": None}}}
    assert search(client, ds, bad).status_code == 422


@pytest.mark.parametrize(
    ("who", "code"),
    [("owner", 200), ("admin", 200), ("ann1", 200), ("admin_b", 404), ("outsider", 404)],
)
def test_search_permissions(api, world, ds, who, code):
    assert search(api(getattr(world, who)), ds, {}).status_code == code


def test_search_needs_a_key(api, ds):
    assert search(api(None), ds, {}).status_code == 401
    assert search(api(None, key="bad"), ds, {}).status_code == 401

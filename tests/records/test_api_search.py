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


STATUS_SETS = [
    ["submitted"],
    ["draft"],
    ["discarded"],
    ["pending"],
    ["submitted", "draft"],
    ["pending", "submitted"],
    ["pending", "draft", "discarded", "submitted"],
    ["no such status"],
]


def test_a_response_status_total_matches_the_records_it_lists(api, world, ds, make_dataset):
    """The status-only total is counted from the responses (`_response_status_count`): it
    must equal the number of records the same filter lists, for the dataset and for `me`,
    whatever the other datasets' responses."""
    answers = {  # record → (annotator, status) pairs; overlap, and a record nobody answered
        "e0": [(world.ann1, "submitted"), (world.ann2, "submitted")],
        "e1": [(world.ann1, "draft"), (world.ann2, "submitted")],
        "e2": [(world.ann2, "discarded")],
        "e3": [(world.ann1, "discarded"), (world.ann2, "draft")],
        "e4": [(world.ann1, "submitted")],
    }
    for external_id, pairs in answers.items():
        record = Record.objects.get(dataset=ds, external_id=external_id)
        for user, status in pairs:
            Response.objects.create(record=record, user=user, status=status)
    other = make_dataset(world.ws_a)
    upsert_records(dataset=other, items=[dict(OTHER_RECORD)], mode="create")
    Response.objects.create(record=other.records.get(), user=world.ann1, status="submitted")

    for statuses in STATUS_SETS:
        body = {
            "filters": {
                "and": [
                    {
                        "type": "terms",
                        "values": statuses,
                        "scope": {"entity": "response", "question": None, "property": "status"},
                    }
                ]
            }
        }
        for who, url in (
            (world.owner, f"/api/v1/datasets/{ds.id}/records/search?limit=50"),
            (world.ann1, f"/api/v1/me/datasets/{ds.id}/records/search?limit=50"),
        ):
            answer = api(who).post(url, body, format="json").json()
            assert answer["total"] == len(answer["items"]), (statuses, who.username, answer)
    mine = api(world.ann1).post(
        f"/api/v1/me/datasets/{ds.id}/records/search?limit=50",
        {"filters": {"and": [{"type": "terms", "values": ["pending"], "scope": STATUS}]}},
        format="json",
    )
    assert sorted(ids(mine)) == ["e2", "e5"] and mine.json()["total"] == 2


STATUS = {"entity": "response", "question": None, "property": "status"}
OTHER_RECORD = {"fields": {"prompt": "elsewhere", "response-1": "a", "response-2": "b"}}

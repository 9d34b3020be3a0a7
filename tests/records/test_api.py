"""Records endpoints: shapes, exact codes, upsert semantics, bad input, permissions, queries."""

import uuid

import pytest

from apps.datasets import services as dataset_services
from apps.records.models import Record, Suggestion, Vector
from apps.responses.models import Response
from tests.conftest import vector_settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def ds(world, make_dataset):
    dataset = make_dataset(world.ws_a)
    dataset_services.add_metadata_property(
        dataset=dataset, name="n", settings={"type": "integer", "min": 0, "max": 100}
    )
    dataset_services.add_metadata_property(
        dataset=dataset, name="src", settings={"type": "terms", "values": None}
    )
    vector_settings(dataset, "emb", 2)
    return dataset


def question_id(dataset, name):
    return str(dataset.questions.get(name=name).id)


def item(i, dataset=None, **extra):
    data = {
        "external_id": f"e{i}",
        "fields": {"prompt": f"p{i}", "response-1": "a", "response-2": "b"},
        "metadata": {"n": i, "src": "web"},
        "vectors": {"emb": [1.0, float(i)]},
    }
    if dataset is not None:
        data["suggestions"] = [
            {"question_id": question_id(dataset, "response_ranking"), "value": 2, "score": 0.5}
        ]
    data.update(extra)
    return data


def url(ds, suffix=""):
    return f"/api/v1/datasets/{ds.id}/records{suffix}"


def test_bulk_create_answers_201_with_full_records(api, world, ds):
    answer = api(world.owner).post(url(ds, "/bulk"), {"items": [item(1, ds)]}, format="json")
    assert answer.status_code == 201, answer.content
    (record,) = answer.json()["items"]
    assert record["fields"]["prompt"] == "p1"
    assert record["external_id"] == "e1"
    assert record["status"] == "pending"
    assert record["vectors"] == {"emb": [1.0, 1.0]}
    assert record["responses"] == []
    assert record["suggestions"][0]["question_id"] == question_id(ds, "response_ranking")
    assert record["metadata"] == {"n": 1, "src": "web"}


def test_list_shape_total_include_and_past_the_end(api, world, ds):
    client = api(world.owner)
    client.post(url(ds, "/bulk"), {"items": [item(i, ds) for i in range(3)]}, format="json")
    plain = client.get(url(ds)).json()
    assert plain["total"] == 3
    assert [r["external_id"] for r in plain["items"]] == ["e0", "e1", "e2"]
    assert all("vectors" not in r and "responses" not in r for r in plain["items"])
    full = client.get(url(ds), {"include": ["responses", "suggestions"], "limit": 2}).json()
    assert len(full["items"]) == 2 and full["items"][0]["responses"] == []
    assert "vectors" not in full["items"][0]
    vec = client.get(url(ds), {"include": "vectors:emb,responses"}).json()
    assert vec["items"][0]["vectors"] == {"emb": [1.0, 0.0]}
    assert client.get(url(ds), {"offset": 10}).json() == {"items": [], "total": 3}
    assert client.get(url(ds), {"limit": 0}).status_code == 422
    assert client.get(url(ds), {"limit": 1001}).status_code == 422
    assert client.get(url(ds), {"offset": -1}).status_code == 422
    assert client.get(url(ds), {"include": ["vectors", "vectors:emb"]}).status_code == 422


def test_list_filters_and_sort(api, world, ds):
    client = api(world.owner)
    client.post(url(ds, "/bulk"), {"items": [item(i) for i in range(5)]}, format="json")
    record = Record.objects.get(dataset=ds, external_id="e3")
    Response.objects.create(record=record, user=world.ann1, status="submitted", values={})
    got = client.get(url(ds), {"response_status": "submitted"}).json()
    assert [r["external_id"] for r in got["items"]] == ["e3"]
    assert client.get(url(ds), {"response_status": "pending"}).json()["total"] == 4
    got = client.get(url(ds), {"metadata": 'n:{"ge": 2, "le": 3}'}).json()
    assert sorted(r["external_id"] for r in got["items"]) == ["e2", "e3"]
    assert client.get(url(ds), {"metadata": "n:1,4"}).json()["total"] == 2
    assert client.get(url(ds), {"metadata": "unknown:1"}).json()["total"] == 5
    got = client.get(url(ds), {"sort_by": "metadata.n:desc"}).json()
    assert [r["external_id"] for r in got["items"]] == ["e4", "e3", "e2", "e1", "e0"]
    assert client.get(url(ds), {"sort_by": "nope:asc"}).status_code == 422
    assert client.get(url(ds), {"response_status": "weird"}).status_code == 422


def test_upsert_matches_external_id_then_id_and_ignores_stale_ids(api, world, ds):
    client = api(world.owner)
    created = client.post(url(ds, "/bulk"), {"items": [item(1), item(2)]}, format="json")
    first, second = created.json()["items"]
    stale = str(uuid.uuid4())
    body = {
        "items": [
            # matched by external_id; a stale id is ignored
            {**item(1, ds), "id": stale, "metadata": {"n": 50}, "fields": None},
            # matched by id (external_id differs)
            {
                "id": second["id"],
                "external_id": None,
                "fields": None,
                "metadata": {"src": "x"},
                "responses": [
                    {
                        "user_id": str(world.ann1.id),
                        "status": "submitted",
                        "values": {"response_ranking": {"value": 3}},
                    }
                ],
            },
            # new record: a client id that matches nothing is not reused
            {**item(3), "id": stale},
        ]
    }
    answer = client.put(url(ds, "/bulk"), body, format="json")
    assert answer.status_code == 200, answer.content
    data = answer.json()
    assert set(data["updated_item_ids"]) == {first["id"], second["id"]}
    a, b, c = data["items"]
    assert a["id"] == first["id"] and a["metadata"] == {"n": 50}
    assert a["fields"]["prompt"] == "p1" and len(a["suggestions"]) == 1
    assert b["id"] == second["id"] and b["status"] == "completed"
    assert b["responses"][0]["values"] == {"response_ranking": {"value": 3}}
    assert c["id"] != stale and c["external_id"] == "e3"
    assert Record.objects.filter(dataset=ds).count() == 3
    # Suggestions are upserted per (record, question), responses per (record, user).
    again = client.put(url(ds, "/bulk"), body, format="json").json()
    assert again["items"][0]["suggestions"][0]["value"] == 2
    assert Suggestion.objects.filter(record__dataset=ds).count() == 1
    assert Response.objects.filter(record__dataset=ds).count() == 1
    assert Vector.objects.filter(record__dataset=ds).count() == 3


def test_upsert_response_user_must_be_allowed(api, world, ds):
    body = {
        "items": [
            {
                **item(1),
                "responses": [{"user_id": str(world.outsider.id), "status": "draft", "values": {}}],
            }
        ]
    }
    answer = api(world.owner).put(url(ds, "/bulk"), body, format="json")
    assert answer.status_code == 422
    assert answer.json()["detail"]["params"]["errors"][0]["loc"][:4] == [
        "body",
        "items",
        0,
        "responses",
    ]
    assert not Record.objects.filter(dataset=ds).exists()


def test_unknown_field_is_named_with_the_real_ones_and_nothing_stored(api, world, ds):
    bad = item(2)
    bad["fields"] = {"prompt": "p", "response 1": "x", "response-2": "y"}
    answer = api(world.owner).post(url(ds, "/bulk"), {"items": [item(1), bad]}, format="json")
    assert answer.status_code == 422
    errors = answer.json()["detail"]["params"]["errors"]
    locs = [e["loc"] for e in errors]
    assert ["body", "items", 1, "fields", "response 1"] in locs
    message = next(e["msg"] for e in errors if e["loc"][-1] == "response 1")
    assert "'response-1'" in message and "'prompt'" in message
    assert not Record.objects.filter(dataset=ds).exists()


@pytest.mark.parametrize(
    "change",
    [
        {"fields": "text"},
        {"fields": {}},
        {"metadata": {"n": "many"}},
        {"metadata": {"n": 1000}},
        {"vectors": {"emb": [1.0, 2.0, 3.0]}},
        {"vectors": {"other": [1.0, 2.0]}},
        {"suggestions": [{"question_name": "response_ranking", "value": 9}]},
        {"suggestions": [{"question_name": "nope", "value": 1}]},
        {"external_id": {"a": 1}},
    ],
)
def test_bad_items_are_422_and_store_nothing(api, world, ds, change):
    answer = api(world.owner).post(
        url(ds, "/bulk"), {"items": [item(1), {**item(2), **change}]}, format="json"
    )
    assert answer.status_code == 422, answer.content
    assert answer.json()["detail"]["params"]["errors"][0]["loc"][:3] == ["body", "items", 1]
    assert not Record.objects.filter(dataset=ds).exists()


def test_malformed_json_oversized_and_missing_items(api, world, ds):
    client = api(world.owner)
    bad = client.generic("POST", url(ds, "/bulk"), b"{nope", content_type="application/json")
    assert bad.status_code == 400
    too_many = {"items": [item(i) for i in range(501)]}
    assert client.post(url(ds, "/bulk"), too_many, format="json").status_code == 422
    assert client.put(url(ds, "/bulk"), {"items": []}, format="json").status_code == 422
    assert client.post(url(ds, "/bulk"), {"records": []}, format="json").status_code == 422
    assert not Record.objects.filter(dataset=ds).exists()


def test_bulk_create_rejects_taken_external_id_and_unpublished(api, world, ds, make_dataset):
    client = api(world.owner)
    assert client.post(url(ds, "/bulk"), {"items": [item(1)]}, format="json").status_code == 201
    assert client.post(url(ds, "/bulk"), {"items": [item(1)]}, format="json").status_code == 422
    draft = make_dataset(world.ws_a, publish=False)
    assert client.post(url(draft, "/bulk"), {"items": [item(1)]}, format="json").status_code == 422


def test_s1_create_update_delete_answer_204(api, world, ds):
    client = api(world.owner)
    created = client.post(url(ds), {"items": [item(1, ds), item(2)]}, format="json")
    assert created.status_code == 204 and created.content == b""
    record = Record.objects.get(dataset=ds, external_id="e1")
    patched = client.patch(
        url(ds), {"items": [{"id": str(record.id), "metadata": {"n": 7}}]}, format="json"
    )
    assert patched.status_code == 204
    record.refresh_from_db()
    assert record.metadata == {"n": 7}
    unknown = client.patch(url(ds), {"items": [{"id": str(uuid.uuid4())}]}, format="json")
    assert unknown.status_code == 422
    deleted = client.delete(url(ds) + f"?ids={record.id},{uuid.uuid4()}")
    assert deleted.status_code == 204
    assert Record.objects.filter(dataset=ds).count() == 1
    assert client.delete(url(ds)).status_code == 422
    ids = ",".join(str(uuid.uuid4()) for _ in range(101))
    assert client.delete(url(ds) + f"?ids={ids}").status_code == 422


def test_single_record_get_patch_delete(api, world, ds):
    client = api(world.owner)
    rid = client.post(url(ds, "/bulk"), {"items": [item(1)]}, format="json").json()["items"][0][
        "id"
    ]
    got = client.get(f"/api/v1/records/{rid}").json()
    assert got["vectors"] == {"emb": [1.0, 1.0]} and got["responses"] == []
    patched = client.patch(
        f"/api/v1/records/{rid}",
        {
            "fields": {"prompt": "ignored"},
            "metadata": {"n": 9},
            "suggestions": [{"question_id": question_id(ds, "response_ranking"), "value": 1}],
            "vectors": {"emb": [0.0, 1.0]},
        },
        format="json",
    )
    assert patched.status_code == 200, patched.content
    body = patched.json()
    assert body["fields"]["prompt"] == "p1" and body["metadata"] == {"n": 9}
    assert body["vectors"] == {"emb": [0.0, 1.0]} and body["suggestions"][0]["value"] == 1
    bad = client.patch(f"/api/v1/records/{rid}", {"vectors": {"emb": [1.0]}}, format="json")
    assert bad.status_code == 422
    deleted = client.delete(f"/api/v1/records/{rid}")
    assert deleted.status_code == 200 and deleted.json()["id"] == rid
    assert client.get(f"/api/v1/records/{rid}").status_code == 404


def test_record_suggestions_put_get_delete(api, world, ds):
    client = api(world.owner)
    rid = client.post(url(ds, "/bulk"), {"items": [item(1)]}, format="json").json()["items"][0][
        "id"
    ]
    body = {"question_id": question_id(ds, "response_ranking"), "value": 3, "agent": "m"}
    first = client.put(f"/api/v1/records/{rid}/suggestions", body, format="json")
    assert first.status_code == 201
    second = client.put(f"/api/v1/records/{rid}/suggestions", {**body, "value": 1}, format="json")
    assert second.status_code == 200 and second.json()["id"] == first.json()["id"]
    bad = client.put(f"/api/v1/records/{rid}/suggestions", {**body, "value": 7}, format="json")
    assert bad.status_code == 422
    assert bad.json()["detail"]["params"]["errors"][0]["loc"][:2] == ["body", "value"]
    listed = client.get(f"/api/v1/records/{rid}/suggestions").json()["items"]
    assert [s["value"] for s in listed] == [1]
    sid = listed[0]["id"]
    gone = client.delete(f"/api/v1/records/{rid}/suggestions?ids={sid}")
    assert gone.status_code == 204
    again = client.put(f"/api/v1/records/{rid}/suggestions", body, format="json").json()
    deleted = client.delete(f"/api/v1/suggestions/{again['id']}")
    assert deleted.status_code == 200 and deleted.json()["question_id"] == body["question_id"]
    assert client.delete(f"/api/v1/suggestions/{again['id']}").status_code == 404


# --- permissions ---------------------------------------------------------------------------

ROLES = {
    # user attribute: (read, write)
    "owner": (200, "ok"),
    "admin": (200, "ok"),
    "admin_b": (404, 404),
    "ann1": (200, 403),
    "outsider": (404, 404),
}


@pytest.mark.parametrize("who", list(ROLES))
def test_permission_matrix(api, world, ds, who):
    read, write = ROLES[who]
    rid = (
        api(world.owner)
        .post(url(ds, "/bulk"), {"items": [item(1)]}, format="json")
        .json()["items"][0]["id"]
    )
    client = api(getattr(world, who))
    assert client.get(url(ds)).status_code == read
    assert client.get(f"/api/v1/records/{rid}").status_code == read
    assert client.get(f"/api/v1/records/{rid}/suggestions").status_code == read
    writes = [
        client.put(url(ds, "/bulk"), {"items": [item(2)]}, format="json").status_code,
        client.post(url(ds), {"items": [item(3)]}, format="json").status_code,
        client.patch(f"/api/v1/records/{rid}", {"metadata": {"n": 2}}, format="json").status_code,
    ]
    if write == "ok":
        assert writes == [200, 204, 200]
        assert client.delete(f"/api/v1/records/{rid}").status_code == 200
    else:
        assert writes == [write] * 3
        assert client.delete(f"/api/v1/records/{rid}").status_code == write
        assert Record.objects.filter(dataset=ds).count() == 1


def test_missing_or_wrong_key_is_401(api, world, ds):
    assert api(None).get(url(ds)).status_code == 401
    assert api(None, key="wrong").get(url(ds)).status_code == 401
    assert (
        api(None, key="wrong").put(url(ds, "/bulk"), {"items": []}, format="json").status_code
        == 401
    )


def test_annotator_sees_only_own_responses(api, world, ds):
    api(world.owner).post(url(ds, "/bulk"), {"items": [item(1)]}, format="json")
    record = Record.objects.get(dataset=ds)
    Response.objects.create(record=record, user=world.ann1, status="draft", values={})
    Response.objects.create(record=record, user=world.ann2, status="draft", values={})
    mine = api(world.ann1).get(url(ds), {"include": "responses"}).json()["items"][0]
    assert [r["user_id"] for r in mine["responses"]] == [str(world.ann1.id)]
    everyone = api(world.admin).get(url(ds), {"include": "responses"}).json()["items"][0]
    assert len(everyone["responses"]) == 2


# --- query counts --------------------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 50])
def test_bulk_create_query_count_is_constant(api, world, ds, django_assert_num_queries, n):
    client = api(world.owner)
    body = {"items": [item(i, ds) for i in range(n)]}
    # 1 API key, 2-3 the user's rate budget (cache read, write), 4 dataset access,
    # 5 SAVEPOINT, 6-9 schema (fields, questions, metadata properties, vector settings),
    # 10 existing records by external_id, (records, suggestions and vectors go in by COPY
    # on the raw psycopg cursor, which Django's query log does not see), 11 dataset
    # last_activity_at, 12-13 the work queue's insertion hook (assignment rules, restart
    # exhausted queue marks), 14 RELEASE; the answer is built from what was written (no
    # re-read).
    with django_assert_num_queries(14):
        assert client.post(url(ds, "/bulk"), body, format="json").status_code == 201


@pytest.mark.parametrize("n", [1, 50])
def test_bulk_upsert_query_count_is_constant(api, world, ds, django_assert_num_queries, n):
    client = api(world.owner)
    client.post(url(ds, "/bulk"), {"items": [item(i) for i in range(n)]}, format="json")
    response = {
        "user_id": str(world.ann1.id),
        "status": "submitted",
        "values": {"response_ranking": {"value": 1}},
    }
    body = {"items": [item(i, ds, responses=[response]) for i in range(2 * n)]}
    # API key, rate budget (cache read, write), dataset access, SAVEPOINT, schema (4),
    # existing records, response users, (COPY new records: not logged), work queue hook
    # (assignment rules, restart exhausted queue marks), UPDATE matched metadata, upsert
    # suggestions, upsert vectors, lock the records answered, upsert responses with their
    # records' statuses (one statement; it tells created from updated for the webhook
    # events), dataset last_activity_at, RELEASE; the answer: records, responses,
    # suggestions, vectors.
    with django_assert_num_queries(24):
        answer = client.put(url(ds, "/bulk"), body, format="json")
    assert answer.status_code == 200
    assert len(answer.json()["updated_item_ids"]) == n
    assert all(r["status"] == "completed" for r in answer.json()["items"])


@pytest.mark.parametrize("n", [1, 50])
def test_list_query_count_is_constant(api, world, ds, django_assert_num_queries, n):
    client = api(world.owner)
    client.post(url(ds, "/bulk"), {"items": [item(i, ds) for i in range(n)]}, format="json")
    # 1 API key, 2-3 rate budget (cache read, write), 4 dataset access, 5 metadata property
    # names (filter), 6 COUNT, 7 page, 8 responses, 9 suggestions, 10 vectors
    with django_assert_num_queries(10):
        answer = client.get(
            url(ds),
            {
                "include": ["responses", "suggestions", "vectors"],
                "metadata": "src:web",
                "response_status": ["pending", "draft"],
                "limit": 1000,
            },
        )
    assert answer.json()["total"] == n


def test_records_logged_through_the_api_are_dealt_in_assigned_mode(api, world, ds):
    """argilla's records.log uses PUT bulk: its new records must reach annotators' queues."""
    from apps.annotation.models import Assignment
    from apps.annotation.services import update_rules

    update_rules(dataset=ds, mode="assigned")
    body = {"items": [item(i) for i in range(4)]}
    assert api(world.owner).put(url(ds, "/bulk"), body, format="json").status_code == 200
    dealt = Assignment.objects.filter(dataset=ds)
    assert dealt.values("record").distinct().count() == 4
    assert set(dealt.values_list("user_id", flat=True)) == {world.ann1.pk, world.ann2.pk}

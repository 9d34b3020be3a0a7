"""GET /api/v1/datasets/{id}/records/next: the caller's next record, by the dataset's rules."""

import pytest
from rest_framework.test import APIClient

from apps.annotation.services import update_rules
from tests.annotation.conftest import answer


@pytest.fixture
def api(api_key_for):
    def client_for(user):
        client = APIClient()
        client.credentials(HTTP_X_ARGILLA_API_KEY=api_key_for(user))
        return client

    return client_for


def _next(api, user, dataset):
    return api(user).get(f"/api/v1/datasets/{dataset.pk}/records/next")


def test_an_annotator_gets_their_next_record_with_its_suggestions(world, api, queue_dataset):
    dataset = queue_dataset(2, scores=[0.3, None])
    page = _next(api, world.ann1, dataset)
    assert page.status_code == 200, page.content
    body = page.json()
    assert body["item"]["external_id"] == "r0000"
    assert [s["score"] for s in body["item"]["suggestions"]] == [0.3]
    assert body["item"]["responses"] == []
    assert body["lease_expires_at"] is not None
    # Asking again before answering: the same record.
    assert _next(api, world.ann1, dataset).json()["item"]["id"] == body["item"]["id"]


def test_a_draft_comes_back_with_only_the_callers_response(world, api, queue_dataset):
    dataset = queue_dataset(2, min_submitted=2)
    record = dataset.records.get(external_id="r0001")
    answer(world.ann2, record)
    answer(world.ann1, record, "draft")
    body = _next(api, world.ann1, dataset).json()
    assert body["item"]["external_id"] == "r0001"
    assert [r["status"] for r in body["item"]["responses"]] == ["draft"]


def test_nothing_left_is_a_null_item(world, api, queue_dataset):
    dataset = queue_dataset(1)
    answer(world.ann1, dataset.records.get())
    assert _next(api, world.ann1, dataset).json() == {"item": None, "lease_expires_at": None}


def test_outside_the_pool_nothing_is_handed_out(world, api, queue_dataset):
    dataset = queue_dataset(1)
    update_rules(dataset=dataset, pool_kind="named", annotators=[world.ann2])
    assert _next(api, world.ann1, dataset).json()["item"] is None


def test_another_workspaces_dataset_is_not_found(world, api, queue_dataset):
    dataset = queue_dataset(1)
    assert _next(api, world.outsider, dataset).status_code == 404
    assert _next(api, world.admin_b, dataset).status_code == 404


def test_without_a_key_it_is_401(world, queue_dataset):
    dataset = queue_dataset(1)
    assert APIClient().get(f"/api/v1/datasets/{dataset.pk}/records/next").status_code == 401


def test_the_endpoint_is_in_the_openapi_schema(client, db):
    # (db: an anonymous API request reads the bad-key limit's count in the cache table)
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert "get" in schema["paths"]["/api/v1/datasets/{dataset_id}/records/next"]


def test_hidden_metadata_is_left_out_of_the_record(world, api, make_dataset):
    from apps.datasets.services import add_metadata_property
    from apps.records.services import create_records

    dataset = make_dataset(world.ws_a)
    add_metadata_property(dataset=dataset, name="src", settings={"type": "terms"})
    add_metadata_property(
        dataset=dataset, name="secret", settings={"type": "terms"}, visible_for_annotators=False
    )
    create_records(
        dataset=dataset,
        items=[
            {
                "fields": {"prompt": "p", "response-1": "a", "response-2": "b"},
                "metadata": {"src": "web", "secret": "gold"},
            }
        ],
    )
    # (Owners and admins see it through GET /api/v1/records/{id}: tests/records/test_api.py.)
    assert _next(api, world.ann1, dataset).json()["item"]["metadata"] == {"src": "web"}

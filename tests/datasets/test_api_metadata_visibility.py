"""Metadata properties with visible_for_annotators=False exist only for owners and admins.

Annotators never see their definitions nor their keys in a record's metadata, on any
endpoint that answers records, and cannot filter or sort by them (422 naming the property).
"""

import pytest

from apps.datasets import services as dataset_services
from apps.records.services import upsert_records

pytestmark = pytest.mark.django_db

MANAGERS = ["owner", "admin"]


@pytest.fixture
def ds(world, make_dataset):
    """Workspace A's dataset: `src` visible, `secret` hidden, and an extra key no property
    describes (kept for everyone, as Argilla does)."""
    dataset = make_dataset(world.ws_a)
    dataset_services.add_metadata_property(
        dataset=dataset, name="src", settings={"type": "terms", "values": None}
    )
    dataset_services.add_metadata_property(
        dataset=dataset, name="secret", settings={"type": "integer"}, visible_for_annotators=False
    )
    upsert_records(dataset=dataset, items=items(3), mode="create")
    return dataset


def items(count, *, prefix="e"):
    return [
        {
            "external_id": f"{prefix}{i}",
            "fields": {"prompt": f"p{i}", "response-1": "a", "response-2": "b"},
            "metadata": {"src": "web", "secret": i, "extra": "x"},
        }
        for i in range(count)
    ]


SEEN_BY_ANNOTATORS = {"src": "web", "extra": "x"}


def records_url(ds):
    return f"/api/v1/datasets/{ds.id}/records"


def search_urls(ds):
    return [
        f"/api/v1/datasets/{ds.id}/records/search",
        f"/api/v1/me/datasets/{ds.id}/records/search",
    ]


def metadata_of(answer) -> list[dict]:
    assert answer.status_code == 200, answer.content
    items = answer.json()["items"]
    return [item.get("record", item)["metadata"] for item in items]


def problem(answer) -> tuple[list, str]:
    assert answer.status_code == 422, answer.content
    [error] = answer.json()["detail"]["params"]["errors"]
    return error["loc"], error["msg"]


# --- what each endpoint shows ---------------------------------------------------------------


def test_annotator_list_of_records_omits_hidden_metadata(api, world, ds):
    assert metadata_of(api(world.ann1).get(records_url(ds))) == [SEEN_BY_ANNOTATORS] * 3


@pytest.mark.parametrize("who", MANAGERS)
def test_owner_and_admin_list_of_records_shows_all_metadata(api, world, ds, who):
    got = metadata_of(api(getattr(world, who)).get(records_url(ds)))
    assert [m["secret"] for m in got] == [0, 1, 2]


@pytest.mark.parametrize("index", [0, 1])
def test_annotator_search_omits_hidden_metadata(api, world, ds, index):
    answer = api(world.ann1).post(search_urls(ds)[index], {}, format="json")
    assert metadata_of(answer) == [SEEN_BY_ANNOTATORS] * 3


@pytest.mark.parametrize("index", [0, 1])
@pytest.mark.parametrize("who", MANAGERS)
def test_owner_and_admin_search_shows_all_metadata(api, world, ds, who, index):
    answer = api(getattr(world, who)).post(search_urls(ds)[index], {}, format="json")
    assert [m["secret"] for m in metadata_of(answer)] == [0, 1, 2]


def test_single_record_hides_metadata_from_annotators_only(api, world, ds):
    record = ds.records.get(external_id="e1")
    url = f"/api/v1/records/{record.id}"
    assert api(world.ann1).get(url).json()["metadata"] == SEEN_BY_ANNOTATORS
    assert api(world.admin).get(url).json()["metadata"] == {"src": "web", "secret": 1, "extra": "x"}


def test_metadata_property_definitions_hidden_from_annotators_only(api, world, ds):
    url = f"/api/v1/me/datasets/{ds.id}/metadata-properties"

    def names(user):
        return [mp["name"] for mp in api(user).get(url).json()["items"]]

    assert names(world.ann1) == ["src"]
    assert names(world.admin) == ["src", "secret"]
    assert names(world.owner) == ["src", "secret"]


def test_record_without_metadata_is_an_empty_object_for_annotators(api, world, ds):
    upsert_records(
        dataset=ds,
        items=[
            {"external_id": "bare", "fields": {"prompt": "p", "response-1": "a", "response-2": "b"}}
        ],
        mode="create",
    )
    got = api(world.ann1).get(records_url(ds), {"offset": 3}).json()["items"]
    assert [r["metadata"] for r in got] == [{}]


# --- filters and sorts ----------------------------------------------------------------------


def _metadata_filter(name):
    return {
        "filters": {
            "and": [
                {
                    "type": "range",
                    "ge": 1,
                    "le": None,
                    "scope": {"entity": "metadata", "metadata_property": name},
                }
            ]
        }
    }


def _metadata_sort(name):
    return {"sort": [{"scope": {"entity": "metadata", "metadata_property": name}, "order": "desc"}]}


@pytest.mark.parametrize("index", [0, 1])
def test_annotator_cannot_filter_search_by_a_hidden_property(api, world, ds, index):
    answer = api(world.ann1).post(search_urls(ds)[index], _metadata_filter("secret"), format="json")
    loc, msg = problem(answer)
    assert loc == ["body", "filters", "and", 0, "scope", "metadata_property"]
    assert "'secret'" in msg
    # The same answer as for a property that does not exist.
    unknown = api(world.ann1).post(search_urls(ds)[index], _metadata_filter("nope"), format="json")
    assert problem(unknown)[1] == msg.replace("secret", "nope")


@pytest.mark.parametrize("index", [0, 1])
def test_annotator_cannot_sort_search_by_a_hidden_property(api, world, ds, index):
    answer = api(world.ann1).post(search_urls(ds)[index], _metadata_sort("secret"), format="json")
    loc, msg = problem(answer)
    assert loc == ["body", "sort", 0, "scope", "metadata_property"]
    assert "'secret'" in msg


@pytest.mark.parametrize("who", MANAGERS)
def test_owner_and_admin_filter_and_sort_search_by_a_hidden_property(api, world, ds, who):
    client = api(getattr(world, who))
    url = search_urls(ds)[0]
    filtered = client.post(url, _metadata_filter("secret"), format="json").json()
    assert sorted(i["record"]["external_id"] for i in filtered["items"]) == ["e1", "e2"]
    ordered = client.post(url, _metadata_sort("secret"), format="json").json()
    assert [i["record"]["external_id"] for i in ordered["items"]] == ["e2", "e1", "e0"]


def test_annotator_can_filter_and_sort_search_by_a_visible_property(api, world, ds):
    body = {
        **_metadata_sort("src"),
        "filters": {
            "and": [
                {
                    "type": "terms",
                    "values": ["web"],
                    "scope": {"entity": "metadata", "metadata_property": "src"},
                }
            ]
        },
    }
    answer = api(world.ann1).post(search_urls(ds)[0], body, format="json")
    assert answer.status_code == 200 and answer.json()["total"] == 3


@pytest.mark.parametrize(
    ("params", "loc"),
    [
        ({"metadata": 'secret:{"ge": 1}'}, ["body", "query", "metadata"]),
        ({"metadata": "secret:1"}, ["body", "query", "metadata"]),
        ({"sort_by": "metadata.secret:desc"}, ["body", "query", "sort_by"]),
    ],
)
def test_annotator_cannot_filter_or_sort_the_list_by_a_hidden_property(api, world, ds, params, loc):
    got_loc, msg = problem(api(world.ann1).get(records_url(ds), params))
    assert got_loc == loc and "'secret'" in msg


@pytest.mark.parametrize("who", MANAGERS)
def test_owner_and_admin_filter_and_sort_the_list_by_a_hidden_property(api, world, ds, who):
    client = api(getattr(world, who))
    got = client.get(
        records_url(ds), {"metadata": 'secret:{"ge": 1}', "sort_by": "metadata.secret"}
    )
    assert [r["external_id"] for r in got.json()["items"]] == ["e1", "e2"]


def test_annotator_filters_the_list_by_a_visible_property(api, world, ds):
    got = api(world.ann1).get(records_url(ds), {"metadata": "src:web", "sort_by": "metadata.src"})
    assert got.status_code == 200 and got.json()["total"] == 3


# --- query counts ---------------------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 50])
def test_annotator_list_query_count_is_constant(api, world, ds, django_assert_num_queries, n):
    upsert_records(dataset=ds, items=items(n, prefix="more"), mode="create")
    client = api(world.ann1)
    # 1 API key, 2-3 rate budget (cache read, write), 4 dataset access, 5 COUNT, 6 page,
    # 7 the names of the hidden metadata properties, 8 the caller's responses, 9 suggestions
    with django_assert_num_queries(9):
        answer = client.get(records_url(ds), {"include": ["responses", "suggestions"]})
    assert answer.json()["total"] == n + 3
    # With a metadata filter, the properties it reads tell which are hidden: 1 API key,
    # 2-3 rate budget, 4 dataset access, 5 metadata properties (filter), 6 COUNT, 7 page.
    with django_assert_num_queries(7):
        answer = client.get(records_url(ds), {"metadata": "src:web"})
    assert answer.json()["total"] == n + 3


@pytest.mark.parametrize("n", [1, 50])
def test_annotator_search_query_count_is_constant(api, world, ds, django_assert_num_queries, n):
    upsert_records(dataset=ds, items=items(n, prefix="more"), mode="create")
    client = api(world.ann1)
    # 1 API key, 2-3 rate budget (cache read, write), 4 dataset access, 5-8 schema (fields,
    # questions, metadata properties — which tell the hidden ones — vector settings),
    # 9 COUNT, 10 page, 11 the caller's responses: no query of its own for the hidden names.
    with django_assert_num_queries(11):
        answer = client.post(
            f"{search_urls(ds)[1]}?include=responses&limit=1000", {}, format="json"
        )
    assert answer.json()["total"] == n + 3
    assert all("secret" not in item["record"]["metadata"] for item in answer.json()["items"])

"""Requests that once answered 500 (issue 13, found by the fuzzer in tests/api/test_fuzz.py),
kept as example-based tests: each now answers a 4xx in the one error shape, or 200."""

import uuid

import pytest
from drf_spectacular.generators import SchemaGenerator

from tests.records.test_api_search import ds, search  # noqa: F401  (the search dataset fixture)

pytestmark = pytest.mark.django_db

NOT_A_NAME = [{"a": 1}, ["a"], 3, True]


def _problem_locs(answer) -> list[list]:
    assert answer.status_code == 422, answer.content
    return [error["loc"] for error in answer.json()["detail"]["params"]["errors"]]


@pytest.mark.parametrize("prefix", ["", "me/"])
@pytest.mark.parametrize("value", NOT_A_NAME)
def test_search_sort_by_a_property_that_is_not_a_string(api, world, ds, prefix, value):  # noqa: F811
    body = {"sort": [{"scope": {"entity": "record", "property": value}, "order": "asc"}]}
    answer = api(world.owner).post(
        f"/api/v1/{prefix}datasets/{ds.id}/records/search", body, format="json"
    )
    assert _problem_locs(answer) == [["body", "sort", 0, "scope"]]


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        (
            {"sort": [{"scope": {"entity": "metadata", "metadata_property": {"n": 1}}}]},
            ["body", "sort", 0, "scope", "metadata_property"],
        ),
        (
            {
                "filters": {
                    "and": [
                        {
                            "type": "terms",
                            "scope": {"entity": "record", "property": ["id"]},
                            "values": ["x"],
                        }
                    ]
                }
            },
            ["body", "filters", "and", 0, "scope", "property"],
        ),
        (
            {
                "filters": {
                    "and": [
                        {
                            "type": "terms",
                            "scope": {"entity": "metadata", "metadata_property": ["n"]},
                            "values": [1],
                        }
                    ]
                }
            },
            ["body", "filters", "and", 0, "scope", "metadata_property"],
        ),
        (
            {
                "filters": {
                    "and": [
                        {
                            "type": "terms",
                            "scope": {"entity": "response", "question": {"q": 1}},
                            "values": [1],
                        }
                    ]
                }
            },
            ["body", "filters", "and", 0, "scope", "question"],
        ),
        (
            {"query": {"text": {"q": "hello", "field": ["prompt"]}}},
            ["body", "query", "text", "field"],
        ),
        (
            {"query": {"vector": {"name": ["emb"], "value": [1.0, 0.0]}}},
            ["body", "query", "vector", "name"],
        ),
    ],
)
def test_search_names_that_are_not_strings(api, world, ds, body, loc):  # noqa: F811
    assert _problem_locs(search(api(world.owner), ds, body)) == [loc]


def _concrete_paths() -> list[str]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = []
    for path in schema["paths"]:
        while "{" in path:
            start, end = path.index("{"), path.index("}")
            path = path[:start] + str(uuid.uuid4()) + path[end + 1 :]
        paths.append(path)
    return paths


@pytest.mark.parametrize("who", ["owner", "admin", "ann1", None])
def test_options_on_every_endpoint_is_200(api, world, who):
    client = api(getattr(world, who) if who else None)
    paths = _concrete_paths()
    assert len(paths) > 40
    answers = {path: client.options(path).status_code for path in paths}
    # Without a key only the public version and status endpoints describe themselves.
    expected = {200} if who else {200, 401}
    assert {path: code for path, code in answers.items() if code not in expected} == {}


@pytest.fixture
def seeded(world, make_user, settings, tmp_path):
    from tests.api import fuzz_world

    settings.LOAM_EXPORT_DIR = str(tmp_path / "exports")
    return fuzz_world.seed(world, make_user, world.owner)


@pytest.mark.parametrize("kind", ["fields", "questions", "metadata-properties", "vectors-settings"])
def test_an_empty_title_is_a_422_not_a_null_title(api, world, seeded, kind):
    [setting_id] = seeded.victims[f"PATCH /api/v1/{kind}/{{setting_id}}"].values()
    answer = api(world.owner).patch(f"/api/v1/{kind}/{setting_id}", {"title": ""}, format="json")
    assert _problem_locs(answer) == [["body", "title"]]


def test_a_distribution_without_min_submitted_is_a_422(api, world, seeded):
    answer = api(world.owner).patch(
        f"/api/v1/datasets/{seeded.ids['dataset_id']}",
        {"distribution": {"strategy": "overlap"}},
        format="json",
    )
    assert _problem_locs(answer) == [["body", "distribution", "min_submitted"]]


@pytest.mark.parametrize("key", ["question_id", "question_name"])
@pytest.mark.parametrize("value", [{}, ["rating"]])
def test_a_suggestion_naming_its_question_by_a_non_string_is_a_422(api, world, seeded, key, value):
    record_id = seeded.ids["record_id"]
    answer = api(world.owner).put(
        f"/api/v1/records/{record_id}/suggestions", {key: value, "value": 1}, format="json"
    )
    assert _problem_locs(answer) == [["body", "question_id"]]
    answer = api(world.owner).patch(
        f"/api/v1/records/{record_id}", {"suggestions": [{key: value, "value": 1}]}, format="json"
    )
    assert _problem_locs(answer) == [["body", "items", 0, "suggestions", 0, "question_id"]]


def test_vector_dimensions_beyond_pgvector_are_a_422(api, world, seeded):
    answer = api(world.owner).post(
        f"/api/v1/datasets/{seeded.ids['dataset_id']}/vectors-settings",
        {"name": "huge", "dimensions": 74144734787604},
        format="json",
    )
    assert _problem_locs(answer) == [["body", "dimensions"]]


@pytest.mark.parametrize(
    "body",
    [
        b'{"name": "a\\u0000b", "settings": {"type": "text"}}',
        b'{"name": "q", "settings": {"type": "label_selection", "options": [{"\\u0000": 1}]}}',
    ],
)
def test_a_nul_character_in_a_body_is_a_400(api, world, seeded, body):
    answer = api(world.owner).generic(
        "POST",
        f"/api/v1/datasets/{seeded.ids['dataset_id']}/questions",
        body,
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert "NUL" in answer.json()["detail"]


def test_an_escaped_backslash_before_u0000_is_text(api, world, seeded):
    answer = api(world.owner).patch(
        f"/api/v1/datasets/{seeded.ids['dataset_id']}",
        {"guidelines": "C strings end with \\u0000."},
        format="json",
    )
    assert answer.status_code == 200
    assert answer.json()["guidelines"] == "C strings end with \\u0000."


@pytest.mark.parametrize(
    "query",
    [
        "metadata=split:%00",
        "metadata=sp%00lit:train",
        "sort_by=metadata.%00",
        "response_status=%00",
        "include=vectors:%00",
        "ids=%00",
        "a%00=1",
    ],
)
def test_a_nul_character_in_a_query_is_a_400(api, world, seeded, query):
    answer = api(world.owner).get(
        f"/api/v1/datasets/{seeded.ids['dataset_id']}/records", QUERY_STRING=query
    )
    assert answer.status_code == 400
    assert "NUL" in answer.json()["detail"]


@pytest.mark.parametrize("prefix", ["", "me/"])
def test_an_offset_past_postgresql_bigint_is_a_422(api, world, ds, prefix):  # noqa: F811
    answer = api(world.owner).post(
        f"/api/v1/{prefix}datasets/{ds.id}/records/search?offset=2359950250848841105408",
        {},
        format="json",
    )
    # (query problems are located under "body" by validation_body, as before)
    assert _problem_locs(answer) == [["body", "query", "offset"]]
    listed = api(world.owner).get(f"/api/v1/datasets/{ds.id}/records?offset={2**62}")
    assert listed.status_code == 200 and listed.json()["items"] == []


def test_min_submitted_past_the_integer_column_is_a_422(api, world, seeded):
    answer = api(world.owner).post(
        "/api/v1/datasets",
        {
            "name": "n",
            "workspace_id": seeded.ids["workspace_id"],
            "distribution": {"strategy": "overlap", "min_submitted": 14352914946},
        },
        format="json",
    )
    assert _problem_locs(answer) == [["body", "distribution", "min_submitted"]]


def test_a_number_jsonb_gives_back_as_a_huge_integer_is_rendered(api, world, seeded):
    """jsonb keeps -1.06e82 exactly and reads it back as an int past orjson's 64 bits."""
    answer = api(world.owner).patch(
        f"/api/v1/records/{seeded.ids['record_id']}",
        {"metadata": {"split": "train", "extra": {"big": -1.065724014698222e82}}},
        format="json",
    )
    assert answer.status_code == 200, answer.content
    assert float(answer.json()["metadata"]["extra"]["big"]) == -1.065724014698222e82

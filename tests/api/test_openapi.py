"""The OpenAPI schema (issue 3): generated without a warning or error, valid, and accurate on the
points the SDKs depend on (exact success codes, `total` on the list answer)."""

import jsonschema
import pytest
from django.core.cache import cache
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient


@pytest.fixture(scope="module")
def schema():
    GENERATOR_STATS.reset()
    generated = SchemaGenerator().get_schema(request=None, public=True)
    problems = dict(GENERATOR_STATS._warn_cache) | dict(GENERATOR_STATS._error_cache)
    GENERATOR_STATS.reset()
    return generated, problems


def _operation(schema, method: str, path: str) -> dict:
    paths = schema[0]["paths"]
    assert path in paths, f"{path} missing from the schema"
    assert method in paths[path], f"{method.upper()} {path} missing from the schema"
    return paths[path][method]


def _codes(schema, method: str, path: str) -> set[str]:
    """The success codes (errors are documented on every operation, see test_errors_...)."""
    return {c for c in _operation(schema, method, path)["responses"] if c.startswith("2")}


def _component(schema, ref_holder: dict) -> dict:
    name = ref_holder["$ref"].rsplit("/", 1)[1]
    return schema[0]["components"]["schemas"][name]


def test_schema_generates_without_warnings_or_errors(schema):
    generated, problems = schema
    assert not problems, "\n".join(problems)
    validate_schema(generated)


@pytest.mark.parametrize(
    ("method", "path", "codes"),
    [
        ("post", "/api/v1/datasets/{dataset_id}/records/bulk", {"201"}),
        ("put", "/api/v1/datasets/{dataset_id}/records/bulk", {"200"}),
        ("get", "/api/v1/datasets/{dataset_id}/records", {"200"}),
        ("post", "/api/v1/datasets/{dataset_id}/records", {"204"}),
        ("patch", "/api/v1/datasets/{dataset_id}/records", {"204"}),
        ("delete", "/api/v1/datasets/{dataset_id}/records", {"204"}),
        ("post", "/api/v1/datasets/{dataset_id}/records/search", {"200"}),
        ("post", "/api/v1/me/datasets/{dataset_id}/records/search", {"200"}),
        ("get", "/api/v1/records/{record_id}", {"200"}),
        ("patch", "/api/v1/records/{record_id}", {"200"}),
        ("delete", "/api/v1/records/{record_id}", {"200"}),
        ("get", "/api/v1/records/{record_id}/suggestions", {"200"}),
        ("put", "/api/v1/records/{record_id}/suggestions", {"200", "201"}),
        ("delete", "/api/v1/records/{record_id}/suggestions", {"204"}),
        ("delete", "/api/v1/suggestions/{suggestion_id}", {"200"}),
        ("post", "/api/v1/records/{record_id}/responses", {"201"}),
        ("put", "/api/v1/responses/{response_id}", {"200"}),
        ("delete", "/api/v1/responses/{response_id}", {"200"}),
        # Single-resource DELETEs answer the deleted object; argilla-v1 wants exact codes.
        ("delete", "/api/v1/datasets/{dataset_id}", {"200"}),
        ("delete", "/api/v1/workspaces/{workspace_id}", {"200"}),
        ("delete", "/api/v1/users/{user_id}", {"200"}),
        ("post", "/api/workspaces", {"200"}),
        ("post", "/api/v1/workspaces", {"201"}),
    ],
)
def test_success_codes(schema, method, path, codes):
    assert _codes(schema, method, path) == codes


def test_204_answers_have_no_body(schema):
    for method in ("post", "patch", "delete"):
        answer = _operation(schema, method, "/api/v1/datasets/{dataset_id}/records")["responses"]
        assert "content" not in answer["204"]


def test_list_answer_has_items_and_total(schema):
    op = _operation(schema, "get", "/api/v1/datasets/{dataset_id}/records")
    body = _component(schema, op["responses"]["200"]["content"]["application/json"]["schema"])
    assert {"items", "total"} <= set(body["required"])
    params = {p["name"]: p for p in op["parameters"]}
    assert {"offset", "limit", "include", "response_status", "metadata", "sort_by"} <= set(params)
    assert params["include"]["schema"]["type"] == "array"
    assert params["include"]["explode"] is True
    assert params["limit"]["schema"]["maximum"] == 1000


def test_search_hit_and_record_shapes(schema):
    op = _operation(schema, "post", "/api/v1/datasets/{dataset_id}/records/search")
    body = _component(schema, op["responses"]["200"]["content"]["application/json"]["schema"])
    assert {"items", "total"} <= set(body["required"])
    hit = _component(schema, body["properties"]["items"]["items"])
    assert set(hit["required"]) == {"record", "query_score"}
    assert hit["properties"]["query_score"]["nullable"] is True
    record = _component(schema, hit["properties"]["record"])
    assert {"id", "external_id", "status", "fields", "metadata", "inserted_at"} <= set(
        record["required"]
    )
    # Present only when included: documented, but not required.
    assert {"responses", "suggestions", "vectors"} <= set(record["properties"])
    assert not {"responses", "suggestions", "vectors"} & set(record["required"])


def test_bulk_and_delete_requests(schema):
    op = _operation(schema, "post", "/api/v1/datasets/{dataset_id}/records/bulk")
    request = _component(schema, op["requestBody"]["content"]["application/json"]["schema"])
    assert request["required"] == ["items"]
    assert request["properties"]["items"]["maxItems"] == 500
    patch = _operation(schema, "patch", "/api/v1/datasets/{dataset_id}/records")
    request = _component(schema, patch["requestBody"]["content"]["application/json"]["schema"])
    assert request["required"] == ["items"]  # a PATCH body, but not a partial one
    delete = _operation(schema, "delete", "/api/v1/datasets/{dataset_id}/records")
    [ids] = [p for p in delete["parameters"] if p["name"] == "ids"]
    assert ids["required"] is True
    assert ids["explode"] is False  # ids=u1,u2


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/schema/", "/api/docs/"])
def test_schema_and_docs_are_served(url):
    response = APIClient().get(url)
    assert response.status_code == 200


def test_errors_are_documented_with_the_one_error_shape(schema):
    error_ref = {"$ref": "#/components/schemas/Error"}
    for path, operations in schema[0]["paths"].items():
        for method, operation in operations.items():
            errors = {c: r for c, r in operation["responses"].items() if c.startswith("4")}
            public = path in ("/api/_info", "/api/v1/version", "/api/v1/status")
            assert bool(errors) != public, f"{method.upper()} {path}: {sorted(errors)}"
            for code, answer in errors.items():
                body = answer.get("content", {}).get("application/json", {}).get("schema")
                assert body == error_ref, f"{method.upper()} {path} {code}"
    assert {"401", "403", "404", "409", "422"} <= set(
        _operation(schema, "put", "/api/v1/datasets/{dataset_id}/publish")["responses"]
    )
    assert "401" not in _operation(schema, "get", "/api/v1/version")["responses"]


def test_exports_document_their_files_and_job_list(schema):
    export = _operation(schema, "get", "/api/v1/datasets/{dataset_id}/export")
    assert set(export["responses"]["200"]["content"]) == {
        "application/x-ndjson",
        "text/csv",
        "application/vnd.apache.parquet",
        "application/zip",
    }
    jobs = _operation(schema, "get", "/api/v1/datasets/{dataset_id}/exports")
    body = _component(schema, jobs["responses"]["200"]["content"]["application/json"]["schema"])
    assert body["required"] == ["items"]


def test_settings_bodies_are_documented_per_type(schema):
    op = _operation(schema, "post", "/api/v1/datasets/{dataset_id}/questions")
    body = _component(schema, op["requestBody"]["content"]["application/json"]["schema"])
    types = [s["properties"]["type"]["enum"] for s in body["properties"]["settings"]["oneOf"]]
    assert sorted(t for [t] in types) == sorted(
        ["text", "rating", "label_selection", "multi_label_selection", "ranking", "span"]
    )
    assert body["properties"]["name"]["pattern"] == "^[a-z0-9_-]*[a-z0-9][a-z0-9_-]*$"


@pytest.mark.django_db
def test_a_rate_limited_answer_is_documented_and_matches_the_error_shape(schema, settings):
    answers = _operation(schema, "get", "/api/v1/me")["responses"]
    assert "429" in answers and "Retry-After" in answers["429"]["headers"]
    assert "429" not in _operation(schema, "get", "/api/v1/status")["responses"]
    settings.LOAM_API_BAD_KEY_RATE = "1/minute"
    cache.clear()
    client = APIClient(HTTP_X_ARGILLA_API_KEY="not a key")
    try:
        assert client.get("/api/v1/me").status_code == 401
        limited = client.get("/api/v1/me")
    finally:
        cache.clear()
    assert limited.status_code == 429
    jsonschema.validate(limited.json(), schema[0]["components"]["schemas"]["Error"])
    # A body with neither problems nor a limit is no error answer.
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(
            {"detail": {"code": "x", "message": "y", "params": {}}},
            schema[0]["components"]["schemas"]["Error"],
        )

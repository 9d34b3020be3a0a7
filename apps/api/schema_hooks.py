"""drf-spectacular post-processing: every operation documents the errors it can answer.

All of them share one body, the shape `apps.api.exceptions` gives every error, so clients (and
the fuzzer in tests/api/test_fuzz.py) can rely on it: 400 malformed JSON or a NUL character
(PostgreSQL cannot store it), 401 no or a wrong API key, 403 a role that may not act, 404 a
missing or foreign object, 409 a conflict, 415 a body that is not JSON, 422 a value that fails
validation, 429 a rate limit reached (apps/api/throttling.py: `params` then names the limit
instead of listing problems).
"""

ERROR = {
    "type": "object",
    "description": "Every API error: a message, or a validation error listing its problems.",
    "properties": {
        "detail": {
            "oneOf": [
                {"type": "string"},
                {
                    "type": "object",
                    "properties": {
                        "code": {"type": "string"},
                        "message": {"type": "string"},
                        "params": {
                            "type": "object",
                            "properties": {
                                "limit": {"type": "string"},
                                "rate": {"type": "string"},
                                "retry_after": {"type": "integer"},
                                "errors": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "properties": {
                                            "loc": {
                                                "type": "array",
                                                "items": {
                                                    "oneOf": [
                                                        {"type": "string"},
                                                        {"type": "integer"},
                                                    ]
                                                },
                                            },
                                            "msg": {"type": "string"},
                                            "type": {"type": "string"},
                                        },
                                        "required": ["loc", "msg", "type"],
                                    },
                                },
                            },
                            "anyOf": [
                                {"required": ["errors"]},
                                {"required": ["limit", "rate", "retry_after"]},
                            ],
                        },
                    },
                    "required": ["code", "message", "params"],
                },
            ]
        }
    },
    "required": ["detail"],
}
DESCRIPTIONS = {
    "400": "Malformed JSON, or a NUL character in the URL or the body.",
    "401": "No API key, or an unknown one.",
    "403": "The caller's role may not do this.",
    "404": "No such object among the caller's workspaces.",
    "409": "Conflicts with the current state (a name in use, a published dataset, …).",
    "415": "The body is not JSON.",
    "422": "A value fails validation; `detail.params.errors[*].loc` names each one.",
    "429": (
        "A rate limit is reached: too many requests with a bad or missing API key from this "
        "address, or from this user; `detail.params` names the limit. Retry after "
        "`Retry-After` seconds."
    ),
}
RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds until the limit lets a request through again.",
        "schema": {"type": "integer"},
    }
}
_WRITES = {"post", "put", "patch", "delete"}


def _error_codes(path: str, method: str, operation: dict) -> list[str]:
    codes = []
    has_body = "requestBody" in operation
    has_query = any(p.get("in") == "query" for p in operation.get("parameters", []))
    if has_body or has_query or "{" in path:
        codes.append("400")
    if has_body:
        codes.append("415")
    if any("ApiKey" in requirement for requirement in operation.get("security", [])):
        codes += ["401", "403", "429"]
    if "{" in path:
        codes.append("404")
    if method in _WRITES:
        codes.append("409")
    if has_body or has_query or method in _WRITES:
        codes.append("422")
    return codes


def document_errors(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR
    body = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for code in _error_codes(path, method, operation):
                responses.setdefault(code, {"description": DESCRIPTIONS[code]})
            if "429" in responses:
                responses["429"].setdefault("headers", RETRY_AFTER)
            for code, answer in responses.items():
                if code.startswith("4"):  # views may name more errors; all share the body
                    answer.setdefault("content", body)
    return result

"""The fuzzer's own check of the error shape (tests/api/fuzzing.py) can fail."""

from types import SimpleNamespace

import pytest

from tests.api.fuzzing import loam_error_shape


class FakeResponse:
    def __init__(self, status_code, body):
        self.status_code, self._body = status_code, body

    def json(self):
        if isinstance(self._body, Exception):
            raise self._body
        return self._body


GET = SimpleNamespace(method="GET")
VALIDATION = {
    "detail": {
        "code": "loam.api.errors::ValidationError",
        "message": "name: required",
        "params": {"errors": [{"loc": ["body", "name"], "msg": "required", "type": "value_error"}]},
    }
}
RATE_LIMITED = {
    "detail": {
        "code": "loam.api.errors::TooManyRequests",
        "message": "Too many requests",
        "params": {"limit": "user", "rate": "6/minute", "retry_after": 60},
    }
}


@pytest.mark.parametrize(
    ("code", "body"),
    [
        (404, {"detail": "Not found."}),
        (422, VALIDATION),
        (429, RATE_LIMITED),
        (200, ["anything"]),
        (500, "x"),
    ],
)
def test_error_shape_accepts_the_one_shape(code, body):
    assert loam_error_shape(None, FakeResponse(code, body), GET) is None


@pytest.mark.parametrize(
    "body",
    [
        ValueError("not JSON"),
        {"error": "Not found."},
        {"detail": {"message": "no params"}},
        {"detail": {**RATE_LIMITED["detail"], "params": {"limit": "user"}}},
        {"detail": {**VALIDATION["detail"], "params": {"errors": [{"loc": "body"}]}}},
        ["detail"],
    ],
)
def test_error_shape_rejects_anything_else(body):
    with pytest.raises(AssertionError):
        loam_error_shape(None, FakeResponse(400, body), GET)

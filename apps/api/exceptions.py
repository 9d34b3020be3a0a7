"""One handler shapes every API error as `{"detail": ...}`, the way both SDKs read them.

Validation problems become 422 with `detail.params.errors[*].loc` (argilla-v1 walks `loc`),
conflicts 409, a missing or foreign object 404, a role that may not act 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from apps.core.errors import Conflict, ValidationFailed


def validation_body(error: ValidationFailed) -> dict:
    return {
        "detail": {
            "code": "loam.api.errors::ValidationError",
            "message": str(error),
            "params": {
                "errors": [
                    {"loc": ["body", *p.loc], "msg": str(p.message), "type": "value_error"}
                    for p in error.problems
                ]
            },
        }
    }


def _drf_errors(detail, loc=()) -> list[dict]:
    """Flatten DRF's nested serializer errors into located items."""
    if isinstance(detail, dict):
        return [item for key, value in detail.items() for item in _drf_errors(value, (*loc, key))]
    if isinstance(detail, list):
        if all(isinstance(item, str) for item in detail):
            return [
                {"loc": ["body", *loc], "msg": str(item), "type": "value_error"} for item in detail
            ]
        return [item for i, value in enumerate(detail) for item in _drf_errors(value, (*loc, i))]
    return [{"loc": ["body", *loc], "msg": str(detail), "type": "value_error"}]


def api_exception_handler(exc, context):
    if isinstance(exc, Conflict):
        return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, ValidationFailed):
        return Response(validation_body(exc), status=status.HTTP_422_UNPROCESSABLE_ENTITY)
    if isinstance(exc, Http404):
        return Response({"detail": str(exc) or _("Not found.")}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, PermissionDenied):
        return Response(
            {"detail": str(exc) or _("You are not allowed to do this.")},
            status=status.HTTP_403_FORBIDDEN,
        )
    if isinstance(exc, exceptions.ValidationError):
        errors = _drf_errors(exc.detail)
        message = "; ".join(f"{'.'.join(map(str, e['loc'][1:]))}: {e['msg']}" for e in errors)
        return Response(
            {
                "detail": {
                    "code": "loam.api.errors::ValidationError",
                    "message": message,
                    "params": {"errors": errors},
                }
            },
            status=status.HTTP_422_UNPROCESSABLE_ENTITY,
        )
    return exception_handler(exc, context)

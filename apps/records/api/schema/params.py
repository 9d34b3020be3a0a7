"""OpenAPI query parameters of the records list endpoints."""

from drf_spectacular.utils import OpenApiParameter

from apps.responses.models import ResponseStatus

OFFSET = OpenApiParameter(
    "offset",
    {"type": "integer", "minimum": 0, "maximum": 2**62, "default": 0},
    description="Records to skip.",
)
LIMIT = OpenApiParameter(
    "limit",
    {"type": "integer", "minimum": 1, "maximum": 1000, "default": 50},
    description="Page size.",
)
INCLUDE = OpenApiParameter(
    "include",
    {"type": "array", "items": {"type": "string"}},
    style="form",
    explode=True,
    description=(
        "Repeatable: responses, suggestions, vectors (all) or vectors:name1,name2. "
        "Without it a record has no such key. Comma-joined values are accepted too."
    ),
)
RESPONSE_STATUS = OpenApiParameter(
    "response_status",
    {"type": "array", "items": {"type": "string", "enum": [*ResponseStatus.values, "pending"]}},
    style="form",
    explode=True,
    description="Repeatable: records with a response in one of these statuses (pending: none).",
)
METADATA = OpenApiParameter(
    "metadata",
    {"type": "array", "items": {"type": "string"}},
    style="form",
    explode=True,
    description=(
        'Repeatable: name:v1,v2 (terms) or name:{"ge": 1, "le": 5} (range). '
        "Unknown names are ignored."
    ),
)
SORT_BY = OpenApiParameter(
    "sort_by",
    {"type": "array", "items": {"type": "string"}},
    style="form",
    explode=True,
    description=(
        "Repeatable: inserted_at, updated_at or metadata.<name>, with optional :asc or :desc. "
        "Default inserted_at:asc."
    ),
)


def ids_param(what: str) -> OpenApiParameter:
    return OpenApiParameter(
        "ids",
        {
            "type": "array",
            "items": {"type": "string", "format": "uuid"},
            "minItems": 1,
            "maxItems": 100,
        },
        required=True,
        style="form",
        explode=False,
        description=f"1 to 100 comma-separated {what} ids.",
    )


PAGE = [OFFSET, LIMIT, INCLUDE]
LIST_FILTERS = [RESPONSE_STATUS, METADATA, SORT_BY]

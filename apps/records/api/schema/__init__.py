"""OpenAPI shapes of records, suggestions and responses (argilla-api.md §2.8–2.11 and §3).

Documentation only: drf-spectacular reads these serializers, the views never run them. Record
bodies are checked as plain dicts by `apps.records.validation` and answers are rendered by
`apps.records.api.render` (a bulk call carries up to 500 records; DRF serializers are too slow for
that). Keep these classes in step with `render.py` and the contract, key by key.

Request shapes list the keys Loam reads; every other key is ignored, never rejected (the SDKs send
whole model dumps: `inserted_at`, `status`, `dataset_id`, …).

One module per feature: `fields` (answer, score and vector shapes), `records` (records,
suggestions and responses, out and in), `search`, `params` (query parameters). The views
import this package as `oas`.
"""

from apps.records.api.schema.params import LIST_FILTERS, PAGE, ids_param
from apps.records.api.schema.records import (
    BulkCreateIn,
    BulkOut,
    BulkUpsertIn,
    BulkUpsertOut,
    RecordListOut,
    RecordOut,
    RecordPatchIn,
    RecordsCreateIn,
    RecordsUpdateIn,
    ResponseIn,
    ResponseOut,
    SuggestionIn,
    SuggestionListOut,
    SuggestionOut,
)
from apps.records.api.schema.search import SearchIn, SearchOut

__all__ = [
    "LIST_FILTERS",
    "PAGE",
    "BulkCreateIn",
    "BulkOut",
    "BulkUpsertIn",
    "BulkUpsertOut",
    "RecordListOut",
    "RecordOut",
    "RecordPatchIn",
    "RecordsCreateIn",
    "RecordsUpdateIn",
    "ResponseIn",
    "ResponseOut",
    "SearchIn",
    "SearchOut",
    "SuggestionIn",
    "SuggestionListOut",
    "SuggestionOut",
    "ids_param",
]

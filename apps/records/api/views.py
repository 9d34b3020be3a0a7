"""Records of a dataset (Argilla /api/v1): list, bulk create/upsert, S1 create/update/delete,
single records and their suggestions.

Bulk bodies skip DRF serializers (too slow at 500 items): the shared validation module checks
plain dicts inside the service, and answers are rendered by `render` with orjson.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.access import NotFound, as_uuid
from apps.core.errors import ValidationFailed
from apps.datasets.access import access_dataset
from apps.datasets.schema import DatasetSchema
from apps.datasets.selectors import MetadataVisibility
from apps.records import services
from apps.records.access import access_record, access_suggestion, records_of
from apps.records.api import schema as oas
from apps.records.api.render import (
    ALL,
    Include,
    parse_include,
    record_dict,
    render_records,
    render_written,
    suggestion_dict,
)
from apps.records.models import Record, Suggestion
from apps.records.search import list_queryset, search_records

MAX_PAGE = 1000
# PostgreSQL's OFFSET is a bigint: past it a page is a 500, not an empty page.
MAX_OFFSET = 2**62
MAX_S1_ITEMS = 1000
MAX_DELETE_IDS = 100


def _int_param(request, name: str, default: int, low: int, high: int | None) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or value < low or (high is not None and value > high):
        bound = f"{low}–{high}" if high is not None else f"≥ {low}"
        raise ValidationFailed.single(
            ("query", name),
            _("%(name)s must be an integer %(bound)s.") % {"name": name, "bound": bound},
        )
    return value


def page_params(request) -> tuple[int, int, Include]:
    return (
        _int_param(request, "offset", 0, 0, MAX_OFFSET),
        _int_param(request, "limit", 50, 1, MAX_PAGE),
        parse_include(request.query_params.getlist("include")),
    )


def query_ids(request) -> list:
    """The `ids` query parameter (comma-separated, repeatable): 1 to 100 UUIDs, else 422."""
    raw = ",".join(request.query_params.getlist("ids"))
    ids = [part.strip() for part in raw.split(",") if part.strip()]
    if not 1 <= len(ids) <= MAX_DELETE_IDS:
        raise ValidationFailed.single(
            ("query", "ids"),
            _("Give 1 to %(max)d comma-separated ids.") % {"max": MAX_DELETE_IDS},
        )
    try:
        return [as_uuid(i) for i in ids]
    except NotFound:
        raise ValidationFailed.single(("query", "ids"), _("ids must be UUIDs.")) from None


def body_items(request, *, low: int, high: int) -> list:
    body = request.data
    items = body.get("items") if isinstance(body, dict) else None
    if not isinstance(items, list):
        raise ValidationFailed.single(("items",), _('The body must be {"items": [...]}.'))
    if not low <= len(items) <= high:
        raise ValidationFailed.single(
            ("items",),
            _("Send between %(low)d and %(high)d items per request; this one has %(n)d.")
            % {"low": low, "high": high, "n": len(items)},
        )
    return items


def _ordered(dataset, record_ids: list) -> list[Record]:
    by_id = {record.pk: record for record in records_of(dataset, record_ids)}
    return [by_id[pk] for pk in record_ids]


class DatasetRecordsView(APIView):
    """GET lists (any member); POST creates and PATCH updates for argilla-v1 (204);
    DELETE ?ids=… removes (204)."""

    @extend_schema(
        operation_id="list_dataset_records",
        parameters=[*oas.PAGE, *oas.LIST_FILTERS],
        responses={200: oas.RecordListOut},
    )
    def get(self, request, dataset_id):
        dataset = access_dataset(request.user, dataset_id)
        offset, limit, include = page_params(request)
        params = request.query_params
        visibility = MetadataVisibility(request.user, dataset)
        qs = list_queryset(
            dataset,
            response_statuses=params.getlist("response_status"),
            metadata=params.getlist("metadata"),
            sort_by=params.getlist("sort_by"),
            visibility=visibility,
        )
        total = qs.count()
        page = list(qs[offset : offset + limit])
        items = render_records(
            page, include, user=request.user, dataset=dataset, visibility=visibility
        )
        return Response({"items": items, "total": total})

    @extend_schema(
        operation_id="create_dataset_records",
        description="argilla-v1 create: 1 to 1000 new records, empty 204 answer.",
        request=oas.RecordsCreateIn,
        responses={204: None},
    )
    def post(self, request, dataset_id):
        dataset = access_dataset(request.user, dataset_id, need="manage")
        items = body_items(request, low=1, high=MAX_S1_ITEMS)
        services.upsert_records(dataset=dataset, items=items, mode="create")
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        operation_id="update_dataset_records",
        description="argilla-v1 update of existing records by id, empty 204 answer.",
        request=oas.RecordsUpdateIn,
        responses={204: None},
    )
    def patch(self, request, dataset_id):
        dataset = access_dataset(request.user, dataset_id, need="manage")
        items = body_items(request, low=1, high=MAX_S1_ITEMS)
        services.upsert_records(dataset=dataset, items=items, mode="update")
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        operation_id="delete_dataset_records",
        parameters=[oas.ids_param("record")],
        responses={204: None},
    )
    def delete(self, request, dataset_id):
        dataset = access_dataset(request.user, dataset_id, need="manage")
        services.delete_records(dataset=dataset, ids=query_ids(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class DatasetRecordsBulkView(APIView):
    """POST creates (201), PUT upserts (200) up to 500 records in one transaction."""

    @extend_schema(
        operation_id="create_dataset_records_bulk",
        request=oas.BulkCreateIn,
        responses={201: oas.BulkOut},
    )
    def post(self, request, dataset_id):
        return self._write(request, dataset_id, "create", status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="upsert_dataset_records_bulk",
        request=oas.BulkUpsertIn,
        responses={200: oas.BulkUpsertOut},
    )
    def put(self, request, dataset_id):
        return self._write(request, dataset_id, "upsert", status.HTTP_200_OK)

    def _write(self, request, dataset_id, mode, code):
        dataset = access_dataset(request.user, dataset_id, need="manage")
        items = body_items(request, low=1, high=services.MAX_BULK_ITEMS)
        result = services.upsert_records(dataset=dataset, items=items, mode=mode)
        if result.new_rows is not None:
            rendered = render_written(result.new_rows, result.children)
        else:
            records = _ordered(dataset, result.record_ids)
            rendered = render_records(records, ALL, user=request.user, dataset=dataset)
        body = {"items": rendered}
        if mode == "upsert":
            body["updated_item_ids"] = result.updated_ids
        return Response(body, status=code)


class RecordView(APIView):
    @extend_schema(
        operation_id="get_record",
        description="The record with its responses, suggestions and vectors.",
        responses={200: oas.RecordOut},
    )
    def get(self, request, record_id):
        record = access_record(request.user, record_id)
        return Response(self._render(request, record))

    @extend_schema(
        operation_id="update_record",
        request=oas.RecordPatchIn,
        responses={200: oas.RecordOut},
    )
    def patch(self, request, record_id):
        record = access_record(request.user, record_id, need="manage")
        body = request.data if isinstance(request.data, dict) else None
        if body is None:
            raise ValidationFailed.single((), _("The body must be an object."))
        services.upsert_records(
            dataset=record.dataset, items=[{**body, "id": str(record.pk)}], mode="update"
        )
        record.refresh_from_db()
        return Response(self._render(request, record))

    @extend_schema(
        operation_id="delete_record",
        description="Answers the deleted record (without responses, suggestions or vectors).",
        responses={200: oas.RecordOut},
    )
    def delete(self, request, record_id):
        record = access_record(request.user, record_id, need="manage")
        data = record_dict(record)
        services.delete_record(record=record)
        return Response(data)

    def _render(self, request, record):
        return render_records([record], ALL, user=request.user, dataset=record.dataset)[0]


class RecordSuggestionsView(APIView):
    @extend_schema(operation_id="list_record_suggestions", responses={200: oas.SuggestionListOut})
    def get(self, request, record_id):
        record = access_record(request.user, record_id)
        suggestions = Suggestion.objects.filter(record=record).order_by("inserted_at")
        return Response({"items": [suggestion_dict(s) for s in suggestions]})

    @extend_schema(
        operation_id="upsert_record_suggestion",
        description="Creates (201) or replaces (200) the suggestion for one question.",
        request=oas.SuggestionIn,
        responses={200: oas.SuggestionOut, 201: oas.SuggestionOut},
    )
    def put(self, request, record_id):
        record = access_record(request.user, record_id, need="manage")
        suggestion, created = services.upsert_suggestion(
            record=record, data=request.data, schema=DatasetSchema.load(record.dataset)
        )
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(suggestion_dict(suggestion), status=code)

    @extend_schema(
        operation_id="delete_record_suggestions",
        parameters=[oas.ids_param("suggestion")],
        responses={204: None},
    )
    def delete(self, request, record_id):
        record = access_record(request.user, record_id, need="manage")
        services.delete_suggestions(record=record, ids=query_ids(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class SuggestionView(APIView):
    @extend_schema(operation_id="delete_suggestion", responses={200: oas.SuggestionOut})
    def delete(self, request, suggestion_id):
        suggestion = access_suggestion(request.user, suggestion_id, need="manage")
        data = suggestion_dict(suggestion)
        suggestion.delete()
        return Response(data)


class DatasetRecordsSearchView(APIView):
    """POST search: text, filters, sort, similarity. `me` variant scopes responses to the caller."""

    mine = False

    @extend_schema(
        operation_id="search_dataset_records",
        parameters=oas.PAGE,
        request=oas.SearchIn,
        responses={200: oas.SearchOut},
    )
    def post(self, request, dataset_id):
        dataset = access_dataset(request.user, dataset_id)
        offset, limit, include = page_params(request)
        visibility = MetadataVisibility(request.user, dataset)
        hits, total = search_records(
            dataset=dataset,
            body=request.data,
            offset=offset,
            limit=limit,
            visibility=visibility,
            user=request.user if self.mine else None,
        )
        rendered = render_records(
            [record for record, _score in hits],
            include,
            user=request.user,
            dataset=dataset,
            own_only=self.mine,
            visibility=visibility,
        )
        items = [
            {"record": record, "query_score": score}
            for record, (_r, score) in zip(rendered, hits, strict=True)
        ]
        return Response({"items": items, "total": total})


@extend_schema_view(
    post=extend_schema(
        operation_id="search_my_dataset_records",
        description=(
            "As the dataset search, with response filters and answers limited to the "
            "caller's own responses."
        ),
    )
)
class MyDatasetRecordsSearchView(DatasetRecordsSearchView):
    mine = True

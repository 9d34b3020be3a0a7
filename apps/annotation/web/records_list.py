"""The records list: search, filter by my response status and metadata, bulk answer."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import OuterRef, Q, Subquery
from django.shortcuts import render
from django.utils.translation import gettext as _

from apps.annotation.web.focus import published_dataset
from apps.annotation.web.selectors import RESPONSE_FILTERS, Layout
from apps.core.errors import ValidationFailed
from apps.datasets.models import VectorSettings
from apps.records.models import Record
from apps.records.query import RecordQuery
from apps.records.similarity import similar_records
from apps.responses.models import Response

PAGE_SIZE = 25
BULK_TYPES = ("rating", "label_selection", "multi_label_selection")


def filtered_records(request, dataset, layout, params):
    """Records of `dataset` matching the list's filters, with the caller's response status:
    the API's query builder, so a text search is ranked by relevance as there."""
    mine = Response.objects.filter(record=OuterRef("pk"), user=request.user)
    records = Record.objects.annotate(my_status=Subquery(mine.values("status")[:1]))
    search = RecordQuery(dataset, text=params.get("q", "").strip() or None)
    errors = []
    status = params.get("status")
    if status == "pending":
        records = records.filter(my_status__isnull=True)
    elif status in RESPONSE_FILTERS:
        records = records.filter(my_status=status)
    elif status:
        errors.append(_("Unknown response status %(status)r.") % {"status": status})
    name, value = params.get("meta"), params.get("meta_value", "")
    if name:
        prop = next((p for p in layout.visible_metadata if p.name == name), None)
        if prop is None:
            errors.append(_("Unknown metadata property %(name)r.") % {"name": name})
        elif value != "":
            try:
                search.where &= Q(**{f"metadata__{name}": _typed(prop, value)})
            except ValueError:
                errors.append(_("%(value)r is not a number.") % {"value": value})
    search.base = records
    return search, errors


def _similar(search, vectors: dict, record_id: str, name: str | None, errors: list) -> list:
    """The records most similar to `record_id` by the vector `name` (default: the first),
    within the list's filters, each with its `similarity`; or [] and a message in `errors`."""
    name = name or next(iter(vectors), None)
    try:
        hits, _total = similar_records(
            search, vectors, {"name": name, "record_id": record_id}, offset=0, limit=PAGE_SIZE
        )
    except ValidationFailed as error:
        errors.extend(str(p.message) for p in error.problems)
        return []
    for record, score in hits:
        record.similarity = score
    return [record for record, _score in hits]


def _typed(prop, value: str):
    kind = prop.settings.get("type")
    if kind == "integer":
        return int(value)
    if kind == "float":
        return float(value)
    return value


@login_required
def records_list(request, dataset_id):
    dataset = published_dataset(request.user, dataset_id)
    layout = Layout.load(dataset, request.user)
    search, errors = filtered_records(request, dataset, layout, request.GET)
    vectors = {v.name: v for v in VectorSettings.objects.filter(dataset=dataset)}
    similar_to = request.GET.get("similar_to")
    if similar_to and not errors:
        records = _similar(search, vectors, similar_to, request.GET.get("vector"), errors)
        page = Paginator(records, PAGE_SIZE).get_page(1)
    else:
        page = Paginator(search.ordered(), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "dataset": dataset,
        "layout": layout,
        "page": page,
        "errors": errors,
        "params": request.GET,
        "query": query.urlencode(),
        "statuses": RESPONSE_FILTERS,
        "bulk_questions": [q for q in layout.questions if q.settings.get("type") in BULK_TYPES],
        "first_field": layout.fields[0].name if layout.fields else None,
        "vectors": vectors,
        "similar_to": similar_to,
    }
    template = "annotation/records.html"
    if request.htmx:
        template += "#records-table"
    return render(request, template, context, status=400 if errors else 200)

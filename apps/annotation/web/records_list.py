"""The records list: search, filter by my response status and metadata, bulk answer."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery, TextField
from django.db.models.functions import Cast
from django.shortcuts import render
from django.utils.translation import gettext as _

from apps.annotation.web.focus import published_dataset
from apps.annotation.web.selectors import RESPONSE_FILTERS, Layout
from apps.records.models import Record
from apps.responses.models import Response

PAGE_SIZE = 25
BULK_TYPES = ("rating", "label_selection", "multi_label_selection")


def filtered_records(request, dataset, layout, params):
    """Records of `dataset` matching the list's filters, with the caller's response status."""
    mine = Response.objects.filter(record=OuterRef("pk"), user=request.user)
    records = Record.objects.filter(dataset=dataset).annotate(
        my_status=Subquery(mine.values("status")[:1])
    )
    errors = []
    if params.get("q"):
        records = records.annotate(text=Cast("fields", TextField())).filter(
            text__icontains=params["q"]
        )
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
                records = records.filter(**{f"metadata__{name}": _typed(prop, value)})
            except ValueError:
                errors.append(_("%(value)r is not a number.") % {"value": value})
    return records.order_by("inserted_at", "id"), errors


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
    records, errors = filtered_records(request, dataset, layout, request.GET)
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
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
    }
    template = "annotation/records.html"
    if request.htmx:
        template += "#records-table"
    return render(request, template, context, status=400 if errors else 200)

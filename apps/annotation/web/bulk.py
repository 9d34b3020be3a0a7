"""Bulk answer from the records list, done safely: nothing happens until the annotator has
seen how many records get which answer and confirmed; the result is counted back.

The confirmation carries the ids of the records it names, so what is confirmed is what
gets answered even if the filter would match other records a moment later.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from apps.annotation.web.answers import titled
from apps.annotation.web.choices import choices_of
from apps.annotation.web.focus import published_dataset
from apps.annotation.web.records_list import BULK_TYPES, filtered_records
from apps.annotation.web.selectors import Layout
from apps.core.errors import ValidationFailed
from apps.datasets import question_types
from apps.records.access import records_of
from apps.records.models import Record
from apps.responses.models import Response, ResponseStatus
from apps.responses.services import BULK_ANSWER_LIMIT, bulk_answer


@login_required
@require_POST
def bulk_answer_view(request, dataset_id):
    dataset = published_dataset(request.user, dataset_id)
    layout = Layout.load(dataset, request.user)
    back = f"{reverse('annotation:records', args=[dataset.pk])}?{request.POST.get('query', '')}"
    question = next((q for q in layout.questions if q.name == request.POST.get("question")), None)
    if question is None or question.settings.get("type") not in BULK_TYPES:
        messages.error(request, _("Choose a rating, label or multi-label question."))
        return redirect(back)
    records = _chosen_records(request, dataset, layout)
    if not records:
        messages.error(request, _("Select at least one record."))
        return redirect(back)
    value = _bulk_value(question, request.POST)
    try:
        value = question_types.get(question.settings["type"]).clean_value(value, question.settings)
    except ValidationFailed:
        messages.error(request, _("Choose the answer to give."))
        return redirect(back)
    if request.POST.get("confirm") != "1":
        return _confirmation(request, dataset, question, value, records, back)
    try:
        count = bulk_answer(
            user=request.user, dataset=dataset, records=records, question=question, value=value
        )
    except ValidationFailed as error:
        messages.error(
            request, "; ".join(titled(str(p.message), layout.questions) for p in error.problems)
        )
        return redirect(back)
    submitted = Response.objects.filter(
        user=request.user, record__in=records, status=ResponseStatus.SUBMITTED
    ).count()
    messages.success(request, _result(count, submitted))
    return redirect(back)


def _result(count: int, submitted: int) -> str:
    message = ngettext("Answered %(n)d record.", "Answered %(n)d records.", count) % {"n": count}
    drafts = count - submitted
    if drafts:
        message += " " + ngettext(
            "%(n)d stays a draft: it has other required questions to answer.",
            "%(n)d stay drafts: they have other required questions to answer.",
            drafts,
        ) % {"n": drafts}
    return message


def _confirmation(request, dataset, question, value, records, back):
    texts = {str(choice.value): choice.text for choice in choices_of(question)}
    chosen = value if isinstance(value, list) else [value]
    already = (
        Response.objects.filter(user=request.user, record__in=records)
        .filter(values__has_key=question.name)
        .count()
    )
    context = {
        "dataset": dataset,
        "question": question,
        "answer": ", ".join(texts.get(str(v), str(v)) for v in chosen),
        "values": [str(v) for v in chosen],
        "count": len(records),
        "already": already,
        "record_ids": ",".join(str(r.pk) for r in records),
        "query": request.POST.get("query", ""),
        "back": back,
    }
    return render(request, "annotation/bulk_confirm.html", context)


def _chosen_records(request, dataset, layout) -> list[Record]:
    """The confirmed ids, else the ticked rows, else (all_matching) the filter's records."""
    if request.POST.get("record_ids"):
        ids = _uuids(request.POST["record_ids"].split(","))
    elif request.POST.get("all_matching"):
        query = QueryDict(request.POST.get("query", ""))
        search, errors = filtered_records(request, dataset, layout, query)
        return list(search.ordered()[: BULK_ANSWER_LIMIT + 1]) if not errors else []
    else:
        ids = _uuids(request.POST.getlist("ids"))
    return records_of(dataset, ids[: BULK_ANSWER_LIMIT + 1])


def _bulk_value(question, data):
    kind = question.settings.get("type")
    if kind == "multi_label_selection":
        return [v for v in data.getlist("value") if v]
    raw = data.get("value", "")
    if kind == "rating":
        try:
            return int(raw)
        except ValueError:
            return raw
    return raw


def _uuids(values):
    result = []
    for value in values:
        try:
            result.append(uuid.UUID(value.strip()))
        except ValueError:
            continue
    return result

"""The focus view: one record from the work queue, its questions, and the four actions.

Every form works as a plain POST (redirect after success); with htmx the answer is the
next record panel in one swap, or the save state for a draft.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.annotation import leases, queue
from apps.annotation.web import position as positions
from apps.annotation.web.answers import (
    MAX_ACTIVE_SECONDS,
    form_state,
    parse_active_seconds,
    parse_answers,
    problems_by_question,
)
from apps.annotation.web.selectors import (
    Layout,
    my_response,
    progress_for,
    suggestions_by_question,
)
from apps.core.access import NotFound
from apps.core.errors import ValidationFailed
from apps.datasets.access import access_dataset
from apps.records.access import record_of
from apps.responses.models import ResponseStatus
from apps.responses.services import save_response

STATUS_FOR_ACTION = {
    "submit": ResponseStatus.SUBMITTED,
    "discard": ResponseStatus.DISCARDED,
    "draft": ResponseStatus.DRAFT,
}


def published_dataset(user, dataset_id):
    """A dataset the caller may annotate: theirs and published, else NotFound."""
    return access_dataset(user, dataset_id, need="annotate")


def _panel_context(
    request, dataset, layout, record, *, view, posted=None, problems=None, notice=""
):
    response = my_response(request.user, record) if record else None
    suggestions = suggestions_by_question(record) if record else {}
    values = posted if posted is not None else (response.values if response else {})
    progress = progress_for(request.user, dataset)
    remaining = positions.remaining_for(
        dataset, request.user, pending_records=progress.team.pending
    )
    if view == positions.PENDING:
        position = positions.queue_position(
            dataset, request.user, record, progress=progress, remaining=remaining
        )
    else:
        position = positions.walk_position(dataset, request.user, view, record)
    return {
        "dataset": dataset,
        "layout": layout,
        "record": record,
        "response": response,
        "state": form_state(layout.questions, values, suggestions) if record else {},
        "problems": problems or {},
        "general_problems": (problems or {}).get("__all__", []),
        "progress": progress,
        "position": position,
        "remaining": remaining,
        "my_counts": [
            (ResponseStatus.DRAFT, progress.mine.draft),
            (ResponseStatus.SUBMITTED, progress.mine.submitted),
            (ResponseStatus.DISCARDED, progress.mine.discarded),
        ],
        "notice": notice,
        "idle_seconds": settings.LOAM_IDLE_SECONDS,
        "lease_url": reverse("annotation:lease", args=[dataset.pk, record.pk]) if record else "",
        "release_url": reverse("annotation:release", args=[dataset.pk]),
    }


def _render_panel(request, context, *, status=200):
    template = "annotation/focus.html"
    if request.htmx:
        template += "#focus-body"
    return render(request, template, context, status=status)


@login_required
@require_GET
def annotate(request, dataset_id):
    dataset = published_dataset(request.user, dataset_id)
    layout = Layout.load(dataset, request.user)
    view = positions.clean_view(request.GET.get("view"))
    if request.GET.get("record"):
        record = record_of(dataset, request.GET["record"])
    elif view == positions.PENDING:
        record = queue.next_record(dataset=dataset, user=request.user)
    else:
        record = positions.first_of(dataset, request.user, view)
    return _render_panel(request, _panel_context(request, dataset, layout, record, view=view))


@login_required
@require_POST
def respond(request, dataset_id, record_id, action):
    dataset = published_dataset(request.user, dataset_id)
    record = record_of(dataset, record_id)
    layout = Layout.load(dataset, request.user)
    view = positions.clean_view(request.POST.get("view"))
    if action == "skip":
        queue.skip(dataset=dataset, user=request.user, record=record)
        return _next(request, dataset, layout, record, view=view, notice=_("Skipped."))
    status = STATUS_FOR_ACTION.get(action)
    if status is None:
        raise NotFound(_("Unknown action."))
    if action == "draft" and _already_final(request.user, record):
        # An autosave that lands after Submit must never turn the answer back into a draft.
        return render(request, "annotation/focus.html#save-state", {"final": True})
    values, problems = parse_answers(layout.questions, request.POST)
    active_seconds = parse_active_seconds(request.POST)
    if active_seconds is None:
        return HttpResponseBadRequest(
            _("active_seconds: give a whole number of seconds from 0 to %(max)d.")
            % {"max": MAX_ACTIVE_SECONDS},
            content_type="text/plain; charset=utf-8",
        )
    if not problems:
        try:
            save_response(
                user=request.user,
                record=record,
                values=values,
                status=status,
                active_seconds=active_seconds,
            )
        except ValidationFailed as error:
            problems = problems_by_question(error, layout.questions)
    if problems:
        context = _panel_context(
            request, dataset, layout, record, view=view, posted=values, problems=problems
        )
        return _render_panel(request, context, status=422)
    if action == "draft":
        leases.renew_lease(dataset=dataset, user=request.user, record=record)
        if request.htmx:
            return render(request, "annotation/focus.html#save-state", {"saved": True})
        return redirect(_address(dataset, record, view))
    notice = _("Submitted.") if action == "submit" else _("Discarded.")
    if action == "submit" and leases.completed_by_others(
        dataset=dataset, user=request.user, record=record
    ):
        # Their lease ran out and others completed the record meanwhile: say what happened.
        notice = _(
            "Submitted. Others had completed this record meanwhile: your answer is kept as "
            "an extra one."
        )
    return _next(request, dataset, layout, record, view=view, notice=notice)


def _already_final(user, record) -> bool:
    response = my_response(user, record)
    return response is not None and response.status != ResponseStatus.DRAFT


def _address(dataset, record, view) -> str:
    url = reverse("annotation:annotate", args=[dataset.pk])
    query = [f"view={view}"] if view != positions.PENDING else []
    query += [f"record={record.pk}"] if record is not None else []
    return f"{url}?{'&'.join(query)}" if query else url


def _next(request, dataset, layout, done, *, view, notice):
    """After `done` was answered: the queue's next record, or the next one of the walk."""
    if view == positions.PENDING:
        record = queue.next_record(dataset=dataset, user=request.user)
    else:
        record = positions.first_of(dataset, request.user, view, after=done)
    if not request.htmx:
        return redirect(_address(dataset, record, view))
    context = _panel_context(request, dataset, layout, record, view=view, notice=notice)
    response = _render_panel(request, context)
    # Keep the address bar on the record shown, so a reload finds it (and its draft).
    response["HX-Push-Url"] = _address(dataset, record, view)
    return response


@login_required
@require_POST
def lease(request, dataset_id, record_id):
    """Keep the record reserved while its annotator works on it (static/js/timer.js)."""
    dataset = published_dataset(request.user, dataset_id)
    record = record_of(dataset, record_id)
    renewed = leases.renew_lease(dataset=dataset, user=request.user, record=record)
    return HttpResponse(status=204 if renewed else 409)


@login_required
@require_POST
def release(request, dataset_id):
    """The annotator went elsewhere (Back, another status, another page): give back the
    record they held, for someone else to take."""
    dataset = published_dataset(request.user, dataset_id)
    queue.release(dataset=dataset, user=request.user)
    return HttpResponse(status=204)

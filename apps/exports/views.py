"""The dataset dashboard (owners and admins): progress, annotators, agreement, exports."""

from django.contrib import admin, messages
from django.contrib.auth.decorators import login_required
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.errors import ValidationFailed
from apps.datasets.access import access_dataset
from apps.exports import services
from apps.exports.dashboard import dashboard_context
from apps.exports.training import TASKS
from apps.exports.writers import FORMATS


@login_required
def dashboard(request, dataset_id):
    dataset = access_dataset(request.user, dataset_id, need="manage")
    context = dashboard_context(dataset)
    context.update(formats=FORMATS, tasks=TASKS, links=_links(request, dataset))
    return render(request, "exports/dashboard.html", context)


def _links(request, dataset) -> dict:
    """Where an admin goes from here: the records, annotating (once published) and the
    dataset's admin page (for those the admin site lets in)."""
    return {
        "records": reverse("annotation:records", args=[dataset.pk]),
        "annotate": reverse("annotation:annotate", args=[dataset.pk])
        if dataset.is_published
        else None,
        "admin": reverse("admin:datasets_dataset_change", args=[dataset.pk])
        if admin.site.has_permission(request)
        else None,
    }


@login_required
@require_POST
def export(request, dataset_id):
    """Download now, or (large datasets) start a background export and come back."""
    dataset = access_dataset(request.user, dataset_id, need="manage")
    fmt, task = request.POST.get("format", "jsonl"), request.POST.get("task", "records")
    try:
        if not services.runs_in_background(dataset):
            prepared = services.prepare_export(dataset=dataset, format=fmt, task=task)
            response = StreamingHttpResponse(
                services.stream_export(prepared), content_type=prepared.content_type
            )
            response["Content-Disposition"] = f'attachment; filename="{prepared.filename}"'
            return response
        services.start_background_export(dataset=dataset, user=request.user, format=fmt, task=task)
        messages.success(request, _("Export started; its download link appears below."))
    except ValidationFailed as error:
        messages.error(request, str(error))
    return redirect("exports:dashboard", dataset_id=dataset.pk)

"""Exports in the admin: an "Export" action on datasets and the list of background exports.

The action is offered on the dataset list through the dataset admin's hook
(`DatasetAdmin.add_action`): exports builds on datasets, never the other way round.
"""

from django import forms
from django.contrib import admin, messages
from django.http import StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from apps.core.errors import ValidationFailed
from apps.datasets.admin import DatasetAdmin
from apps.exports import services
from apps.exports.models import ExportJob, ExportStatus
from apps.exports.training import TASKS
from apps.exports.writers import FORMATS
from apps.workspaces.admin_scoping import ReadOnlyScopedAdmin


class ExportForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=[(f, f) for f in FORMATS])
    task = forms.ChoiceField(label=_("Task"), choices=[(t, t) for t in TASKS])
    options = forms.CharField(
        label=_("Options"),
        required=False,
        help_text=_("Task options as key=value, one per line (e.g. question=response_ranking)."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_options(self):
        options = {}
        for line in self.cleaned_data["options"].splitlines():
            if not line.strip():
                continue
            key, sep, value = line.partition("=")
            if not sep:
                raise forms.ValidationError(_("Write each option as key=value."))
            options[key.strip()] = value.strip()
        return options


@admin.action(description=_("Export the selected datasets"), permissions=["view"])
def export_datasets(modeladmin, request, queryset):
    """Ask for format and task; one small dataset streams at once, otherwise background jobs."""
    form = ExportForm(request.POST if "apply" in request.POST else None)
    if not form.is_valid():
        context = {
            **modeladmin.admin_site.each_context(request),
            "title": _("Export datasets"),
            "form": form,
            "datasets": queryset,
            "opts": modeladmin.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/exports/export_action.html", context)
    fmt, task, options = (form.cleaned_data[k] for k in ("format", "task", "options"))
    datasets = list(queryset)
    try:
        if len(datasets) == 1 and not services.runs_in_background(datasets[0]):
            export = services.prepare_export(
                dataset=datasets[0], format=fmt, task=task, options=options
            )
            response = StreamingHttpResponse(
                services.stream_export(export), content_type=export.content_type
            )
            response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
            return response
        for dataset in datasets:
            services.start_background_export(
                dataset=dataset, user=request.user, format=fmt, task=task, options=options
            )
    except ValidationFailed as error:
        modeladmin.message_user(request, str(error), messages.ERROR)
        return None
    modeladmin.message_user(
        request,
        format_html(
            '{} <a href="{}">{}</a>',
            _("Export started."),
            reverse("admin:exports_exportjob_changelist"),
            _("Follow its progress."),
        ),
        messages.SUCCESS,
    )
    return None


DatasetAdmin.add_action(export_datasets)


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyScopedAdmin):
    list_display = (
        "dataset",
        "task",
        "format",
        "status",
        "progress_percent",
        "inserted_at",
        "download",
    )
    list_filter = ("status", "task", "format")
    list_select_related = ("dataset",)
    readonly_fields = (
        "dataset",
        "requested_by",
        "format",
        "task",
        "options",
        "status",
        "total_records",
        "processed_records",
        "rows_written",
        "error",
        "inserted_at",
        "finished_at",
        "download",
    )
    exclude = ("file_name",)

    @admin.display(description=_("progress"))
    def progress_percent(self, job):
        return f"{job.progress:.0%}"

    @admin.display(description=_("file"))
    def download(self, job):
        if job.status != ExportStatus.DONE:
            return "—"
        return format_html('<a href="/api/v1/exports/{}/file">{}</a>', job.pk, _("Download"))

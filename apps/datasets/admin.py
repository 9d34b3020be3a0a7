"""Datasets in the admin: settings as forms, guidelines with a preview, distribution, publish.

Every write goes through `datasets.services`, as in the API: `create_dataset`,
`update_dataset`, and for the settings inlines `add_field` / `add_question` /
`add_metadata_property` / `add_vector_settings` for a new row, `update_setting` for a changed
one and `delete_setting` for a deleted one (the API's settings endpoints call the same).
Each setting row is a form per type (`admin_setting_forms`) checked ahead with the validators
those services use, so most errors show at once under their input; a refusal only the
service knows shows on its row too (`apps.core.admin`). "Save and publish" calls
`publish_dataset`, and the checklist above the form lists what it would refuse
(`missing_for_publishing`). Positions are the admin's own ordering.

Other apps add their actions to the dataset list with `DatasetAdmin.add_action` (exports
does), so datasets depends on none of them.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from apps.annotation.admin import DatasetAssignmentAdminMixin
from apps.annotation.markdown import render_markdown
from apps.core.admin import ServiceAdminMixin, become, save_rows
from apps.core.errors import ValidationFailed
from apps.datasets import services
from apps.datasets.admin_setting_forms import (
    FIELD_PARTS,
    METADATA_PARTS,
    QUESTION_PARTS,
    FieldForm,
    MetadataPropertyForm,
    QuestionForm,
    SettingFormSet,
    VectorSettingsForm,
)
from apps.datasets.models import Dataset, Field, MetadataProperty, Question, VectorSettings
from apps.records.models import Record, RecordStatus
from apps.workspaces.admin_scoping import ScopedAdminMixin, ScopedModelAdmin, ScopedRelatedFilter

ASSETS = forms.Media(js=("js/admin_dataset.js",), css={"all": ("css/admin_dataset.css",)})


def _parts(parts: dict) -> tuple[str, ...]:
    every = []
    for names in parts.values():
        every += [name for name in names if name not in every]
    return tuple(every)


class SettingInline(ScopedAdminMixin, admin.StackedInline):
    formset = SettingFormSet
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).order_by("position", "inserted_at")


class FrozenWhenPublishedInline(SettingInline):
    """Fields and questions: the schema annotations depend on; none added or deleted once
    published (what stays editable, the forms say)."""

    def has_add_permission(self, request, obj=None):
        published = obj is not None and obj.is_published
        return not published and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        published = obj is not None and obj.is_published
        return not published and super().has_delete_permission(request, obj)


def _row(parts: dict) -> tuple[str, ...]:
    """A field or question row: the type next to the inputs it shows."""
    return ("name", "title", "type", *_parts(parts), "description", "required", "position")


class FieldInline(FrozenWhenPublishedInline):
    model = Field
    form = FieldForm
    fields = _row(FIELD_PARTS)


class QuestionInline(FrozenWhenPublishedInline):
    model = Question
    form = QuestionForm
    fields = _row(QUESTION_PARTS)


class MetadataPropertyInline(SettingInline):
    model = MetadataProperty
    form = MetadataPropertyForm
    fields = (
        "name",
        "title",
        "type",
        *_parts(METADATA_PARTS),
        "visible_for_annotators",
        "position",
    )


class VectorSettingsInline(SettingInline):
    model = VectorSettings
    form = VectorSettingsForm
    fields = ("name", "title", "dimensions", "position")
    classes = ("collapse",)


class GuidelinesWidget(forms.Textarea):
    """A Markdown textarea with a "Preview" button: the admin renders it as annotators see it."""

    def __init__(self, preview_url: str):
        super().__init__(attrs={"rows": 10, "data-preview-url": preview_url})

    def render(self, name, value, attrs=None, renderer=None):
        textarea = super().render(name, value, attrs, renderer)
        return format_html(
            '<div class="guidelines-editor">{}<p><button type="button" class="button'
            ' guidelines-preview-button">{}</button> <span class="help">{}</span></p>'
            '<div class="guidelines-preview markdown-body" aria-live="polite" hidden></div></div>',
            textarea,
            _("Preview"),
            _("Markdown: **bold**, _italic_, lists, links, tables."),
        )


class DatasetForm(forms.ModelForm):
    class Meta:
        model = Dataset
        # The dataset's own `metadata` (free JSON the SDK sets) is shown, not edited here.
        fields = ("workspace", "name", "guidelines", "min_submitted", "allow_extra_metadata")

    def clean_name(self):
        name = self.cleaned_data["name"]
        # With the workspace read-only (change form) Django skips the (workspace, name) check.
        if "workspace" not in self.fields and self.instance.pk:
            taken = Dataset.objects.filter(workspace_id=self.instance.workspace_id, name=name)
            if taken.exclude(pk=self.instance.pk).exists():
                raise forms.ValidationError(
                    _("A dataset with this name already exists in this workspace.")
                )
        return name


# The web pages about one dataset, by URL name (they take the dataset's id).
PAGE_LINKS = (
    ("exports:dashboard", _("Dashboard")),
    ("annotation:records", _("Records")),
    ("annotation:annotate", _("Annotate")),
)


@admin.register(Dataset)
class DatasetAdmin(ServiceAdminMixin, DatasetAssignmentAdminMixin, ScopedModelAdmin):
    form = DatasetForm
    change_form_template = "admin/datasets/dataset/change_form.html"
    problem_field_aliases = {"distribution": "min_submitted"}
    list_display = (
        "name",
        "workspace",
        "status",
        "records_progress",
        "min_submitted",
        "inserted_at",
    )
    list_filter = ("status", ("workspace", ScopedRelatedFilter))
    list_select_related = ("workspace",)
    search_fields = ("name", "workspace__name")
    ordering = ("workspace__name", "name")
    inlines = (FieldInline, QuestionInline, MetadataPropertyInline, VectorSettingsInline)
    actions = ("publish", "rebalance_assignments")

    @property
    def media(self):
        return super().media + ASSETS

    @classmethod
    def add_action(cls, action) -> None:
        """The hook for apps above datasets to offer an action on the dataset list."""
        if action not in cls.actions:
            cls.actions = (*cls.actions, action)

    def get_fieldsets(self, request, obj=None):
        first = ("workspace", "name", "status")
        if obj is not None:
            first += ("progress", "annotators_progress")
        other = ("allow_extra_metadata",)
        if obj is not None and obj.metadata:
            other += ("metadata_summary",)
        return (
            (None, {"fields": first}),
            (_("Annotation"), {"fields": ("guidelines", "min_submitted", "distribution_strategy")}),
            (_("Other settings"), {"fields": other}),
        )

    def get_readonly_fields(self, request, obj=None):
        readonly = (
            "status",
            "progress",
            "annotators_progress",
            "distribution_strategy",
            "metadata_summary",
        )
        # A dataset never moves between workspaces (its records and answers would follow).
        return readonly + ("workspace",) if obj is not None else readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        if "guidelines" in form_class.base_fields:
            preview_url = reverse("admin:datasets_dataset_guidelines_preview")
            form_class.base_fields["guidelines"].widget = GuidelinesWidget(preview_url)
        return form_class

    def get_urls(self):
        preview = path(
            "guidelines-preview/",
            self.admin_site.admin_view(self.guidelines_preview),
            name="datasets_dataset_guidelines_preview",
        )
        return [preview, *super().get_urls()]

    def guidelines_preview(self, request):
        """The guidelines rendered as the annotators will see them (admin_view: CSRF, login)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        return HttpResponse(render_markdown(request.POST.get("guidelines", "")))

    @admin.display(description=_("progress"))
    def progress(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        counts = Record.objects.filter(dataset=obj).aggregate(
            total=Count("pk"), completed=Count("pk", filter=Q(status=RecordStatus.COMPLETED))
        )
        return _("%(completed)d of %(total)d records completed") % counts

    @admin.display(description=_("metadata"))
    def metadata_summary(self, obj):
        items = sorted((obj.metadata or {}).items()) if obj is not None else []
        return format_html(
            '<dl class="dataset-metadata">{}</dl>',
            format_html_join("", "<dt>{}</dt><dd>{}</dd>", items),
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.update(self.setup_context(obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def setup_context(self, obj) -> dict:
        """The publish checklist of a draft, and the links to a dataset's pages."""
        if obj is None or obj.pk is None:
            return {}
        if not obj.is_published:
            missing = services.missing_for_publishing(obj)
            return {"publish_missing": [str(p.message) for p in missing.items], "is_draft": True}
        links = []
        for name, label in PAGE_LINKS:
            try:
                links.append((reverse(name, args=[obj.pk]), label))
            except NoReverseMatch:  # an app not installed
                continue
        return {"page_links": links, "is_draft": False}

    def response_change(self, request, obj):
        if "_publish" in request.POST and not obj.is_published:
            try:
                with transaction.atomic():
                    services.publish_dataset(dataset=obj)
            except ValidationFailed as error:
                # Saved, not published: back to the same page, where the checklist says why.
                self.message_problems(request, error)
            else:
                messages.success(
                    request,
                    _("%(dataset)s is published: annotators can start.") % {"dataset": obj},
                )
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def save_model(self, request, obj, form, change):
        editable = ("name", "guidelines", "allow_extra_metadata", "min_submitted")
        if not change:
            values = {key: getattr(obj, key) for key in editable}
            become(obj, services.create_dataset(workspace=obj.workspace, **values))
            return
        # Through the service, so a new min_submitted re-computes the records' statuses.
        stored = Dataset.objects.select_related("workspace").filter(pk=obj.pk).first()
        changes = {key: getattr(obj, key) for key in editable if key in form.changed_data}
        services.update_dataset(dataset=stored, **changes)

    def save_formset(self, request, form, formset, change):
        add = _SETTING_ADDERS.get(formset.model)
        if add is None:
            return super().save_formset(request, form, formset, change)
        dataset = form.instance
        stored = formset.model.objects.filter(dataset=dataset).in_bulk()

        def add_row(row):
            setting = add(dataset=dataset, **row.service_data())
            if "position" in row.changed_data:  # else it goes last, as in the API
                _move(setting, row)
            return setting

        def change_row(row):
            setting = stored[row.instance.pk]  # as stored: the form's copy holds the new values
            changes = row.changes_to(setting)
            if changes:
                setting = services.update_setting(setting=setting, **changes)
            _move(setting, row)
            return setting

        def delete_row(row):
            services.delete_setting(setting=stored[row.instance.pk])

        save_rows(formset, add=add_row, change=change_row, delete=delete_row)

    def delete_model(self, request, obj):
        services.delete_dataset(dataset=obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for dataset in queryset:
            services.delete_dataset(dataset=dataset)

    @admin.action(description=_("Publish the selected datasets"), permissions=["change"])
    def publish(self, request, queryset):
        published = 0
        for dataset in queryset:
            try:
                services.publish_dataset(dataset=dataset)
            except ValidationFailed as error:
                problems = "; ".join(str(problem) for problem in error.problems)
                messages.error(
                    request,
                    _("%(dataset)s was not published: %(problems)s")
                    % {"dataset": dataset.name, "problems": problems},
                )
            else:
                published += 1
        if published:
            messages.success(
                request,
                ngettext("%(count)d dataset published.", "%(count)d datasets published.", published)
                % {"count": published},
            )


# Per kind of setting: the service adding one (`update_setting` changes any kind).
_SETTING_ADDERS = {
    Field: services.add_field,
    Question: services.add_question,
    MetadataProperty: services.add_metadata_property,
    VectorSettings: services.add_vector_settings,
}


def _move(setting, row) -> None:
    position = row.cleaned_data.get("position")
    if position is not None and position != setting.position:
        services.move_setting(setting=setting, position=position)

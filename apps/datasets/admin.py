"""Datasets in the admin: settings inline, guidelines, distribution, publish.

Settings are validated by `settings_validation` (the API's rules), turned into form errors.
Fields and questions freeze when the dataset is published: no adding or deleting, and only
their titles, descriptions and positions stay editable, as `services.update_setting` allows.
"""

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from apps.annotation.admin import DatasetAssignmentAdminMixin
from apps.core.errors import ValidationFailed
from apps.datasets import services
from apps.datasets import settings_validation as sv
from apps.datasets.models import Dataset, Field, MetadataProperty, Question, VectorSettings
from apps.records.models import Record, RecordStatus
from apps.webhooks import events as webhooks
from apps.webhooks.models import Event
from apps.workspaces.admin_scoping import ScopedAdminMixin, ScopedModelAdmin, ScopedRelatedFilter

# What the shared validators read; the form's other keys (id, dataset, position) are Django's.
_VALIDATED_KEYS = (
    "name",
    "title",
    "description",
    "required",
    "settings",
    "dimensions",
    "visible_for_annotators",
)


def _add_problems(form: forms.Form, error: ValidationFailed) -> None:
    """Each problem under the form field it names, or above the form."""
    for problem in error.problems:
        key = problem.loc[0] if problem.loc else None
        if key in form.fields and key not in form.errors:
            form.add_error(key, str(problem))
        else:
            form.add_error(None, str(problem))


class SettingForm(forms.ModelForm):
    """Runs the shared validator of its kind on a new or draft setting (all of its columns)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "title" in self.fields:
            self.fields["title"].required = False  # defaults to the name, as in the API

    def clean(self):
        cleaned = super().clean()
        if "name" not in self.fields:  # frozen (published): only title, description, position
            if "title" in self.fields and not cleaned.get("title"):
                cleaned["title"] = self.instance.name
            return cleaned
        if self.errors:
            return cleaned
        data = {key: cleaned.get(key) for key in _VALIDATED_KEYS if key in self.fields}
        try:
            normalized = self.validate(data)
        except ValidationFailed as error:
            _add_problems(self, error)
            return cleaned
        cleaned.update({key: value for key, value in normalized.items() if key in self.fields})
        if self._name_taken(cleaned["name"]):
            self.add_error("name", _("This name is already used by another setting."))
        return cleaned

    def validate(self, data: dict) -> dict:
        raise NotImplementedError

    def _name_taken(self, name: str) -> bool:
        dataset_id = self.instance.dataset_id
        if dataset_id is None:  # a new dataset: the formset's own rows cannot clash in the DB
            return False
        return services.name_in_use(dataset_id, name, exclude=self.instance)


class FieldForm(SettingForm):
    def validate(self, data):
        return sv.clean_field(data)


class QuestionForm(SettingForm):
    def validate(self, data):
        # By id: on the add page the dataset is not saved yet (then it has no fields stored).
        fields = Field.objects.filter(dataset_id=self.instance.dataset_id)
        cleaned = sv.clean_question(data, fields=dict(fields.values_list("name", "settings")))
        if self.instance.dataset_id is not None:  # excluding itself when it is edited
            services.check_span_field_free(
                self.instance.dataset_id, cleaned["settings"], exclude=self.instance
            )
        return cleaned


class MetadataPropertyForm(SettingForm):
    def validate(self, data):
        return sv.clean_metadata_property(data)


class VectorSettingsForm(SettingForm):
    def validate(self, data):
        return sv.clean_vector_settings(data)


class SettingInline(ScopedAdminMixin, admin.StackedInline):
    extra = 0
    classes = ("collapse",)


class FrozenWhenPublishedInline(SettingInline):
    """Fields and questions: the schema annotations depend on, frozen once published."""

    fields = ("name", "title", "description", "required", "settings", "position")
    frozen_fields = ("name", "required", "settings")

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_published:
            return self.frozen_fields
        return ()

    def has_add_permission(self, request, obj=None):
        published = obj is not None and obj.is_published
        return not published and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        published = obj is not None and obj.is_published
        return not published and super().has_delete_permission(request, obj)


class FieldInline(FrozenWhenPublishedInline):
    model = Field
    form = FieldForm


class QuestionInline(FrozenWhenPublishedInline):
    model = Question
    form = QuestionForm


class MetadataPropertyInline(SettingInline):
    model = MetadataProperty
    form = MetadataPropertyForm
    fields = ("name", "title", "settings", "visible_for_annotators", "position")


class VectorSettingsInline(SettingInline):
    model = VectorSettings
    form = VectorSettingsForm
    fields = ("name", "title", "dimensions", "position")


class DatasetForm(forms.ModelForm):
    class Meta:
        model = Dataset
        fields = (
            "workspace",
            "name",
            "guidelines",
            "min_submitted",
            "allow_extra_metadata",
            "metadata",
        )

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


@admin.register(Dataset)
class DatasetAdmin(DatasetAssignmentAdminMixin, ScopedModelAdmin):
    form = DatasetForm
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
    fieldsets = (
        (None, {"fields": ("workspace", "name", "status", "progress", "annotators_progress")}),
        (_("Annotation"), {"fields": ("guidelines", "min_submitted", "distribution_strategy")}),
        (_("Other settings"), {"fields": ("allow_extra_metadata", "metadata")}),
    )
    inlines = (FieldInline, QuestionInline, MetadataPropertyInline, VectorSettingsInline)
    actions = ("publish", "rebalance_assignments")

    def get_readonly_fields(self, request, obj=None):
        readonly = ("status", "progress", "annotators_progress", "distribution_strategy")
        # A dataset never moves between workspaces (its records and answers would follow).
        return readonly + ("workspace",) if obj is not None else readonly

    @admin.display(description=_("progress"))
    def progress(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        counts = Record.objects.filter(dataset=obj).aggregate(
            total=Count("pk"), completed=Count("pk", filter=Q(status=RecordStatus.COMPLETED))
        )
        return _("%(completed)d of %(total)d records completed") % counts

    def save_model(self, request, obj, form, change):
        if not change:
            obj.save()  # the form ran the model's validators: the same rules as create_dataset
            webhooks.dataset_event(Event.DATASET_CREATED, obj)
            return
        # Through the service, so a new min_submitted re-computes the records' statuses.
        stored = Dataset.objects.select_related("workspace").filter(pk=obj.pk).first()
        editable = ("name", "guidelines", "allow_extra_metadata", "min_submitted", "metadata")
        changes = {key: getattr(obj, key) for key in editable if key in form.changed_data}
        services.update_dataset(dataset=stored, **changes)

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

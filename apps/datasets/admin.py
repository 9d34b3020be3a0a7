"""Datasets in the admin: settings inline, guidelines, distribution, publish.

Every write goes through `datasets.services`, as in the API: `create_dataset`,
`update_dataset`, and for the settings inlines `add_field` / `add_question` /
`add_metadata_property` / `add_vector_settings` for a new row, `update_setting` for a changed
one and `delete_setting` for a deleted one (the API's settings endpoints call the same).
The forms check ahead with the validators those services use (`settings_validation`), so
most errors show at once on every row; a refusal only the service knows shows next to its
input too (`apps.core.admin`). What the API never changes stays fixed here: a setting's
name (and a metadata property's settings, a vector setting's dimensions) once created; a
published dataset's fields and questions cannot be added or deleted, and only their titles,
descriptions and positions stay editable. Positions are the admin's own ordering.

Other apps add their actions to the dataset list with `DatasetAdmin.add_action` (exports
does), so datasets depends on none of them.
"""

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from apps.annotation.admin import DatasetAssignmentAdminMixin
from apps.core.admin import ServiceAdminMixin, add_problems, become, save_rows
from apps.core.errors import ValidationFailed
from apps.datasets import services
from apps.datasets import settings_validation as sv
from apps.datasets.models import Dataset, Field, MetadataProperty, Question, VectorSettings
from apps.records.models import Record, RecordStatus
from apps.workspaces.admin_scoping import ScopedAdminMixin, ScopedModelAdmin, ScopedRelatedFilter

# What the shared validators read, and what a new setting is made of (the API's create body);
# the form's other keys (id, dataset, position) are Django's.
_VALIDATED_KEYS = (
    "name",
    "title",
    "description",
    "required",
    "settings",
    "dimensions",
    "visible_for_annotators",
)


class SettingForm(forms.ModelForm):
    """Runs the shared validator of its kind on a new or draft setting (all of its columns)."""

    # Columns the API never changes once the setting exists (shown, not editable).
    fixed_once_created = ("name",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "title" in self.fields:
            self.fields["title"].required = False  # defaults to the name, as in the API
        if not self.instance._state.adding:  # (a new row has its UUID already)
            for name in self.fixed_once_created:
                if name in self.fields:
                    self.fields[name].disabled = True

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
            add_problems(self, error.problems)
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
    fixed_once_created = ("name", "settings")

    def validate(self, data):
        return sv.clean_metadata_property(data)


class VectorSettingsForm(SettingForm):
    fixed_once_created = ("name", "dimensions")

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
class DatasetAdmin(ServiceAdminMixin, DatasetAssignmentAdminMixin, ScopedModelAdmin):
    form = DatasetForm
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
    fieldsets = (
        (None, {"fields": ("workspace", "name", "status", "progress", "annotators_progress")}),
        (_("Annotation"), {"fields": ("guidelines", "min_submitted", "distribution_strategy")}),
        (_("Other settings"), {"fields": ("allow_extra_metadata", "metadata")}),
    )
    inlines = (FieldInline, QuestionInline, MetadataPropertyInline, VectorSettingsInline)
    actions = ("publish", "rebalance_assignments")

    @classmethod
    def add_action(cls, action) -> None:
        """The hook for apps above datasets to offer an action on the dataset list."""
        if action not in cls.actions:
            cls.actions = (*cls.actions, action)

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
        editable = ("name", "guidelines", "allow_extra_metadata", "min_submitted", "metadata")
        if not change:
            values = {key: getattr(obj, key) for key in editable}
            become(obj, services.create_dataset(workspace=obj.workspace, **values))
            return
        # Through the service, so a new min_submitted re-computes the records' statuses.
        stored = Dataset.objects.select_related("workspace").filter(pk=obj.pk).first()
        changes = {key: getattr(obj, key) for key in editable if key in form.changed_data}
        services.update_dataset(dataset=stored, **changes)

    def save_formset(self, request, form, formset, change):
        writers = _SETTING_WRITERS.get(formset.model)
        if writers is None:
            return super().save_formset(request, form, formset, change)
        dataset, (add, editable) = form.instance, writers
        stored = formset.model.objects.filter(dataset=dataset).in_bulk()

        def add_row(row):
            data = {key: row.cleaned_data[key] for key in row.fields if key in _VALIDATED_KEYS}
            setting = add(dataset=dataset, **data)
            _move(setting, row)
            return setting

        def change_row(row):
            setting = stored[row.instance.pk]  # as stored: the form's copy holds the new values
            changes = {key: row.cleaned_data[key] for key in row.changed_data if key in editable}
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


# Per kind of setting: the service adding one, and what `update_setting` changes afterwards.
_SETTING_WRITERS = {
    Field: (services.add_field, ("title", "description", "required", "settings")),
    Question: (services.add_question, ("title", "description", "required", "settings")),
    MetadataProperty: (services.add_metadata_property, ("title", "visible_for_annotators")),
    VectorSettings: (services.add_vector_settings, ("title",)),
}


def _move(setting, row) -> None:
    position = row.cleaned_data.get("position")
    if position is not None and position != setting.position:
        services.move_setting(setting=setting, position=position)

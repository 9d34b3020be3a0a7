"""Records, suggestions and vectors in the admin: browsable and deletable, never edited here.

Records arrive through the API or an import (which validate them against the dataset);
the admin only shows them, scoped to the viewer's workspaces. Deleting a record or a
suggestion goes through `records.services`, as in the API (the webhook event, the dataset's
last activity).
"""

import json

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from apps.core.admin import ServiceAdminMixin
from apps.records import services
from apps.records.models import Record, Suggestion, Vector
from apps.responses.models import Response
from apps.workspaces.admin_scoping import (
    ReadOnlyScopedAdmin,
    ReadOnlyTabularInline,
    ScopedRelatedFilter,
)


def pretty_json(value) -> str:
    return format_html("<pre>{}</pre>", json.dumps(value, indent=2, ensure_ascii=False))


class SuggestionInline(ReadOnlyTabularInline):
    model = Suggestion
    fields = ("question", "value", "score", "agent", "type")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("question")


class ResponseInline(ReadOnlyTabularInline):
    model = Response
    fields = ("user", "status", "values", "updated_at")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


@admin.register(Record)
class RecordAdmin(ServiceAdminMixin, ReadOnlyScopedAdmin):
    list_display = ("__str__", "dataset", "workspace", "status", "inserted_at")
    list_filter = ("status", ("dataset", ScopedRelatedFilter))
    list_select_related = ("dataset__workspace",)
    search_fields = ("external_id",)
    ordering = ("-inserted_at",)
    show_full_result_count = False  # no second COUNT(*) over every record in scope
    fields = (
        "id",
        "dataset",
        "external_id",
        "status",
        "fields_pretty",
        "metadata_pretty",
        "inserted_at",
        "updated_at",
    )
    readonly_fields = fields
    inlines = (SuggestionInline, ResponseInline)

    @admin.display(description=_("workspace"), ordering="dataset__workspace__name")
    def workspace(self, obj):
        return obj.dataset.workspace

    def delete_model(self, request, obj):
        services.delete_record(record=obj)

    def delete_queryset(self, request, queryset):
        # One service call per dataset, in the action's one transaction.
        by_dataset = {}
        for record in queryset.select_related("dataset"):
            by_dataset.setdefault(record.dataset_id, (record.dataset, []))[1].append(record.pk)
        for dataset, ids in by_dataset.values():
            services.delete_records(dataset=dataset, ids=ids)

    @admin.display(description=_("fields"))
    def fields_pretty(self, obj):
        return pretty_json(obj.fields)

    @admin.display(description=_("metadata"))
    def metadata_pretty(self, obj):
        return pretty_json(obj.metadata)


@admin.register(Suggestion)
class SuggestionAdmin(ServiceAdminMixin, ReadOnlyScopedAdmin):
    list_display = ("record", "question", "dataset", "agent", "type", "score", "updated_at")
    list_filter = ("type", ("record__dataset", ScopedRelatedFilter))
    list_select_related = ("record__dataset", "question")
    search_fields = ("agent", "question__name", "record__external_id")
    ordering = ("-updated_at",)
    show_full_result_count = False
    fields = ("record", "question", "value", "score", "agent", "type", "inserted_at", "updated_at")
    readonly_fields = fields

    @admin.display(description=_("dataset"), ordering="record__dataset__name")
    def dataset(self, obj):
        return obj.record.dataset

    def delete_model(self, request, obj):
        services.delete_suggestions(record=obj.record, ids=[obj.pk])

    def delete_queryset(self, request, queryset):
        for suggestion in queryset.select_related("record"):
            services.delete_suggestions(record=suggestion.record, ids=[suggestion.pk])


@admin.register(Vector)
class VectorAdmin(ReadOnlyScopedAdmin):
    list_display = ("record", "vector_settings", "dimensions", "dataset", "updated_at")
    list_filter = (("record__dataset", ScopedRelatedFilter),)
    list_select_related = ("record__dataset", "vector_settings")
    search_fields = ("vector_settings__name", "record__external_id")
    ordering = ("-updated_at",)
    show_full_result_count = False
    fields = ("record", "vector_settings", "preview", "inserted_at", "updated_at")
    readonly_fields = fields

    @admin.display(description=_("dataset"), ordering="record__dataset__name")
    def dataset(self, obj):
        return obj.record.dataset

    @admin.display(description=_("dimensions"))
    def dimensions(self, obj):
        return obj.vector_settings.dimensions

    @admin.display(description=_("value"))
    def preview(self, obj):
        values = obj.as_list()
        shown = ", ".join(f"{value:.4f}" for value in values[:8])
        return f"[{shown}{', …' if len(values) > 8 else ''}]"

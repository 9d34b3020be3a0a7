"""Responses in the admin: browsable and deletable, never edited here (annotators answer).

Deleting goes through `services.delete_response`, so the record's status follows.
"""

import json

from django.contrib import admin
from django.db import transaction
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from apps.responses import services
from apps.responses.models import Response
from apps.workspaces.admin_scoping import ReadOnlyScopedAdmin, ScopedRelatedFilter


@admin.register(Response)
class ResponseAdmin(ReadOnlyScopedAdmin):
    list_display = (
        "record",
        "user",
        "status",
        "dataset",
        "record_status",
        "active_seconds",
        "updated_at",
    )
    list_filter = (
        "status",
        ("user", ScopedRelatedFilter),
        ("record__dataset", ScopedRelatedFilter),
    )
    list_select_related = ("record__dataset", "user")
    search_fields = ("user__username", "record__external_id")
    ordering = ("-updated_at",)
    show_full_result_count = False
    fields = (
        "record",
        "user",
        "status",
        "values_pretty",
        "active_seconds",
        "inserted_at",
        "updated_at",
    )
    readonly_fields = fields

    @admin.display(description=_("dataset"), ordering="record__dataset__name")
    def dataset(self, obj):
        return obj.record.dataset

    @admin.display(description=_("record status"), ordering="record__status")
    def record_status(self, obj):
        return obj.record.get_status_display()

    @admin.display(description=_("values"))
    def values_pretty(self, obj):
        return format_html("<pre>{}</pre>", json.dumps(obj.values, indent=2, ensure_ascii=False))

    def delete_model(self, request, obj):
        services.delete_response(response=obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for response in queryset.select_related("record__dataset"):
            services.delete_response(response=response)

"""The audit trail in the admin: read-only, filtered by actor, action, face, dataset and date.

Who sees what: owners see every entry. A workspace admin sees the entries of the workspaces
they manage, and, of the entries that belong to no workspace (sign-ins, people, keys,
webhooks), only their own (they are the actor): another admin's sign-ins or an owner's
webhook changes are not theirs to read. Nobody adds, edits or deletes entries here; the
retention setting prunes them.
"""

import json

from django.contrib import admin
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import pgettext_lazy

from apps.audit.models import WHEN_FORMAT, AuditEntry
from apps.datasets.models import Dataset
from apps.workspaces.access import managed_workspaces_for
from apps.workspaces.admin_scoping import (
    ScopedRelatedFilter,
    is_manager,
    is_owner,
    scope_queryset,
)

SUMMARY_LENGTH = 120


def visible_entries(queryset, user):
    """The tenancy rule above, as a filter."""
    if is_owner(user):
        return queryset
    if not is_manager(user):
        return queryset.none()
    managed = managed_workspaces_for(user).values("pk")
    return queryset.filter(Q(workspace_id__in=managed) | Q(workspace_id__isnull=True, actor=user))


class DatasetFilter(admin.SimpleListFilter):
    """The datasets the viewer may manage (a deleted one's entries: search its name)."""

    title = pgettext_lazy("audit", "dataset")
    parameter_name = "dataset_id"

    def lookups(self, request, model_admin):
        datasets = scope_queryset(Dataset.objects.all(), request.user)
        rows = datasets.order_by("workspace__name", "name").values_list(
            "pk", "workspace__name", "name"
        )
        return [(str(pk), f"{workspace} / {name}") for pk, workspace, name in rows]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(dataset_id=self.value())
        return queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    # The IP and the full details are on the entry's page. The target carries a one-line
    # summary of the details under it; a phone shows when, what, who and on what
    # (static/audit/admin.css hides the rest).
    list_display = ("when", "action", "who", "face", "where", "target")
    list_display_links = ("when",)
    list_filter = (
        "action",
        "face",
        ("actor", ScopedRelatedFilter),
        DatasetFilter,
        "at",
    )
    # No date_hierarchy: its DISTINCT-dates query reads the whole trail; the "when" filter
    # (today, past 7 days, this month, this year) costs nothing.
    show_full_result_count = False  # one COUNT per page, not two
    search_fields = ("actor_username", "target_label", "dataset_name", "workspace_name")
    ordering = ("-at",)
    list_per_page = 50
    # The view page: every column, read-only; the details as indented JSON.
    fields = (
        "when",
        "actor_username",
        "face",
        "action",
        "workspace_name",
        "workspace_id",
        "dataset_name",
        "dataset_id",
        "target_type",
        "target_id",
        "target_label",
        "pretty_details",
        "ip",
    )
    readonly_fields = fields

    class Media:
        css = {"all": ("audit/admin.css",)}

    def get_queryset(self, request):
        return visible_entries(super().get_queryset(request), request.user)

    def has_module_permission(self, request):
        return is_manager(request.user)

    def has_view_permission(self, request, obj=None):
        return is_manager(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=pgettext_lazy("audit", "when"), ordering="at")
    def when(self, entry):
        return timezone.localtime(entry.at).strftime(WHEN_FORMAT)

    @admin.display(description=pgettext_lazy("audit", "actor"), ordering="actor_username")
    def who(self, entry):
        return entry.actor_username or "—"

    @admin.display(description=pgettext_lazy("audit", "where"), ordering="dataset_name")
    def where(self, entry):
        """The dataset, or else the workspace; the whole path on hover."""
        path = " / ".join(name for name in (entry.workspace_name, entry.dataset_name) if name)
        if not path:
            return "—"
        return format_html('<span title="{}">{}</span>', path, entry.dataset_name or path)

    @admin.display(description=pgettext_lazy("audit", "target"), ordering="target_label")
    def target(self, entry):
        summary = _summary(entry.details)
        if len(summary) > SUMMARY_LENGTH:
            summary = summary[: SUMMARY_LENGTH - 1] + "…"
        if not summary:
            return entry.target_label or "—"
        return format_html(
            '{}<div class="audit-summary">{}</div>', entry.target_label or "—", summary
        )

    @admin.display(description=pgettext_lazy("audit", "details"))
    def pretty_details(self, entry):
        text = json.dumps(entry.details, indent=2, ensure_ascii=False, sort_keys=True)
        return format_html('<pre style="margin:0;white-space:pre-wrap">{}</pre>', text)


def _summary(details: dict) -> str:
    """One line: `attribute: old → new` for changes, `key: value` for the rest."""
    parts = []
    for key, value in details.items():
        if key == "changes" and isinstance(value, dict):
            parts.extend(
                f"{name}: {_short(old)} → {_short(new)}" for name, (old, new) in value.items()
            )
        elif key != "ids":
            parts.append(f"{key}: {_short(value)}")
    return "; ".join(parts)


def _short(value) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:39] + "…"

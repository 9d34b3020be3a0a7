"""Workspaces and their members. Only owners create or delete workspaces; admins manage theirs."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from apps.workspaces.admin_scoping import (
    ScopedAdminMixin,
    ScopedModelAdmin,
    freeze_choices,
    is_owner,
)
from apps.workspaces.models import Workspace, WorkspaceMember


class WorkspaceMemberInline(ScopedAdminMixin, admin.TabularInline):
    model = WorkspaceMember
    fields = ("user", "user_role", "inserted_at")
    readonly_fields = ("user_role", "inserted_at")
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return freeze_choices(super().formfield_for_foreignkey(db_field, request, **kwargs))

    @admin.display(description=_("role"))
    def user_role(self, obj):
        return obj.user.get_role_display() if obj.user_id else "-"


@admin.register(Workspace)
class WorkspaceAdmin(ScopedModelAdmin):
    list_display = ("name", "member_count", "dataset_count", "inserted_at")
    list_filter = ("inserted_at",)
    search_fields = ("name",)
    ordering = ("name",)
    fields = ("name", "inserted_at", "updated_at")
    readonly_fields = ("inserted_at", "updated_at")
    inlines = (WorkspaceMemberInline,)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                member_count=Count("memberships", distinct=True),
                dataset_count=Count("datasets", distinct=True),
            )
        )

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, obj):
        return obj.member_count

    @admin.display(description=_("datasets"), ordering="dataset_count")
    def dataset_count(self, obj):
        return obj.dataset_count

    def has_add_permission(self, request, obj=None):
        return is_owner(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_owner(request.user)

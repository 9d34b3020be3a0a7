"""Workspaces and their members. Only owners create or delete workspaces; admins manage theirs.

Writes go through `workspaces.services`, as in the API: a workspace is created by
`create_workspace`, members join and leave by `add_member` / `remove_member`, and
`delete_workspace` refuses a workspace that still holds datasets (the delete page lists them
instead of the cascade, for the single delete and the bulk "delete selected" alike).
"""

from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.core.admin import ServiceAdminMixin, become, save_rows
from apps.core.errors import ValidationFailed
from apps.workspaces import services
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
class WorkspaceAdmin(ServiceAdminMixin, ScopedModelAdmin):
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

    def save_model(self, request, obj, form, change):
        if change:
            obj.save()  # only the name is editable; the form ran its validators
        else:
            become(obj, services.create_workspace(name=obj.name))

    def save_formset(self, request, form, formset, change):
        workspace = form.instance

        def add(row):
            return services.add_member(workspace=workspace, user=row.cleaned_data["user"])

        def leave(row):  # the member as stored: the form's copy holds the new choice
            user = User.objects.filter(pk=row.initial["user"]).first()
            services.remove_member(workspace=workspace, user=user)

        def change_member(row):  # another user on an existing row: one leaves, one joins
            leave(row)
            return add(row)

        save_rows(formset, add=add, change=change_member, delete=leave)

    def get_deleted_objects(self, objs, request):
        """The service's rule decides: a workspace with datasets lists them as protected."""
        refused = []
        for workspace in objs:
            try:
                services.check_deletable(workspace=workspace)
            except ValidationFailed as error:
                self.message_problems(request, error, subject=workspace.name)
                refused.append(workspace)
        if not refused:
            return super().get_deleted_objects(objs, request)
        # Django deletes nothing while `protected` is not empty (single and bulk delete).
        protected = [_admin_link(dataset) for ws in refused for dataset in ws.datasets.all()]
        return [], {}, set(), protected

    def delete_model(self, request, obj):
        services.delete_workspace(workspace=obj)

    def delete_queryset(self, request, queryset):
        for workspace in queryset:  # in the action's transaction: all or nothing
            services.delete_workspace(workspace=workspace)


def _admin_link(obj):
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    return format_html('{}: <a href="{}">{}</a>', capfirst(opts.verbose_name), url, obj)

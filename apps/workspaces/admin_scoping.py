"""Tenant scoping for the Django admin: the role decides, membership limits.

Owners (superusers) see everything. A staff admin sees only the workspaces they belong to
and what lives in them: every scoped admin filters `get_queryset` by workspace membership,
so another workspace's object answers like a missing one (Django's "doesn't exist"
redirect), and every foreign-key choice and list filter offers only in-scope objects.
Annotators never enter: permissions come from the role, not Django's permission table
(admins hold no model permissions at all).
"""

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, Q, QuerySet

from apps.accounts.models import User
from apps.workspaces.access import managed_workspaces_for
from apps.workspaces.models import Workspace, WorkspaceMember

# Foreign keys followed, in this order, to find the workspace an object lives in.
_PARENT_FIELDS = ("workspace", "dataset", "record")


def is_manager(user) -> bool:
    """Owners and admins may use the admin; annotators and inactive users may not."""
    return bool(user.is_authenticated and user.is_active and user.is_manager)


def is_owner(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_owner)


def workspace_path(model: type[Model]) -> str | None:
    """The lookup from `model` to its workspace: "pk", "workspace", "dataset__workspace", …"""
    if model is Workspace:
        return "pk"
    for name in _PARENT_FIELDS:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if field.many_to_one:
            parent = workspace_path(field.related_model)
            if parent is not None:
                return name if parent == "pk" else f"{name}__{parent}"
    return None


def _managed_workspace_ids(user) -> QuerySet:
    return managed_workspaces_for(user).values("pk")


def member_users_for(user) -> QuerySet[User]:
    """Users who belong to a workspace `user` manages (everyone for an owner)."""
    if is_owner(user):
        return User.objects.all()
    memberships = WorkspaceMember.objects.filter(workspace__in=_managed_workspace_ids(user))
    return User.objects.filter(pk__in=memberships.values("user_id"))


def scope_queryset(queryset: QuerySet, user) -> QuerySet:
    """`queryset` limited to what `user` may manage.

    Fails closed: a model reaching no workspace (nor a user) is hidden from non-owners.
    """
    if is_owner(user):
        return queryset
    if not is_manager(user):
        return queryset.none()
    model = queryset.model
    if model is User:
        return queryset.filter(pk__in=member_users_for(user).values("pk"))
    path = workspace_path(model)
    if path is not None:
        return queryset.filter(**{f"{path}__in": _managed_workspace_ids(user)})
    if _points_to_user(model):
        return queryset.filter(user__in=member_users_for(user).values("pk"))
    return queryset.none()


def _points_to_user(model: type[Model]) -> bool:
    try:
        field = model._meta.get_field("user")
    except FieldDoesNotExist:
        return False
    return field.many_to_one and field.related_model is User


def scoped_choices(model: type[Model], user) -> QuerySet:
    return scope_queryset(model._default_manager.all(), user)


def freeze_choices(formfield):
    """Evaluate a model choice field's options once per inline formset, not once per row."""
    if formfield is not None and hasattr(formfield, "queryset"):
        formfield.choices = list(formfield.choices)
    return formfield


class ScopedRelatedFilter(admin.RelatedFieldListFilter):
    """A related-object list filter offering only in-scope objects (never other tenants' names)."""

    def field_choices(self, field, request, model_admin):
        ordering = self.field_admin_ordering(field, request, model_admin)
        allowed = scoped_choices(field.related_model, request.user).values("pk")
        return field.get_choices(
            include_blank=False, limit_choices_to=Q(pk__in=allowed), ordering=ordering
        )


class ScopedAdminMixin:
    """For ModelAdmin and InlineModelAdmin alike: role-based permissions, scoped rows and choices.

    Subclasses narrow further by overriding `has_*_permission` and calling super().
    """

    def get_queryset(self, request):
        return scope_queryset(super().get_queryset(request), request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs.setdefault("queryset", scoped_choices(db_field.related_model, request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("queryset", scoped_choices(db_field.related_model, request.user))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_module_permission(self, request):
        return is_manager(request.user)

    def has_view_permission(self, request, obj=None):
        return is_manager(request.user)

    def has_add_permission(self, request, obj=None):
        return is_manager(request.user)

    def has_change_permission(self, request, obj=None):
        return is_manager(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_manager(request.user)


class ScopedModelAdmin(ScopedAdminMixin, admin.ModelAdmin):
    pass


class ReadOnlyScopedAdmin(ScopedModelAdmin):
    """Browsable, read-mostly data (records, responses …): view and delete, never add or edit."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyTabularInline(ScopedAdminMixin, admin.TabularInline):
    """A read-only table of children on their parent's page (no add, no edit, no delete)."""

    extra = 0
    can_delete = False
    show_change_link = True

    def get_readonly_fields(self, request, obj=None):
        return self.fields or ()

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

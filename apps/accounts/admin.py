"""People and their API keys in the admin.

Owners manage everyone. An admin sees the users of their workspaces, may create users
(who must join one of those workspaces) and give them the annotator or admin role; they
never make an owner, never edit an owner, and only owners delete accounts (an account may
belong to workspaces the admin cannot see). API keys show their prefix, never the key or
its hash.

Writes go through the services the API uses: `accounts.services.create_user` makes a new
user (its username rule shows on the username field; the user gets an API key, shown
nowhere: a new one comes from the profile page), `update_user` saves role, names and
password changes, `delete_user` deletes (never yourself), and memberships come and go by
`workspaces.services.add_member` / `remove_member`.

Removing someone is deactivation by default (`deactivate_user`: no more sign-in or API
keys, their answers stay): the list's "deactivate" / "reactivate" actions, the change form's
"active" box, and the delete pages, which offer it first and say what deleting costs.
"""

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from django.contrib import admin
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, UserChangeForm, UserCreationForm
from django.contrib.auth.models import Group
from django.db.models import Count, Prefetch
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from apps.accounts import services
from apps.accounts.models import ApiKey, Role, User
from apps.core.admin import ServiceAdminMixin, become, save_rows
from apps.workspaces import services as workspace_services
from apps.workspaces.admin_scoping import (
    ScopedAdminMixin,
    ScopedModelAdmin,
    ScopedRelatedFilter,
    freeze_choices,
    is_owner,
    scope_queryset,
)
from apps.workspaces.models import Workspace, WorkspaceMember

# Roles replace Django's groups and model permissions: nothing reads them.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)
# Users log in by username; allauth's e-mail addresses would be an unscoped, unused list.
if admin.site.is_registered(EmailAddress):
    admin.site.unregister(EmailAddress)
# SSO providers come from the environment only (config/sso.py), and links to them are made
# by the sign-in policy (accounts.adapters): neither is edited by hand, nor listed unscoped.
for _model in (SocialApp, SocialAccount, SocialToken):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


class LoamUserCreationForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "role")
        # Django's own help names its looser rule; this is `create_user`'s.
        help_texts = {
            "username": _(
                "Required. Up to 150 characters: start with a letter or digit, then use "
                "letters, digits, '-' and '_'."
            )
        }

    def clean_username(self):
        # Taken means this exact name, as in `create_user` (Django's form also refuses names
        # differing only in case, which the API accepts).
        return self.cleaned_data.get("username")


class LoamPasswordChangeForm(AdminPasswordChangeForm):
    def save(self, commit=True):
        if self.cleaned_data["set_usable_password"]:
            return services.update_user(user=self.user, password=self.cleaned_data["password1"])
        return super().save(commit)  # password login disabled: no service covers that


class LoamUserChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = ("username", "password", "first_name", "last_name", "email", "role", "is_active")


def may_edit_user(request, user: User | None) -> bool:
    """Only an owner edits an owner (or their memberships and keys)."""
    return user is None or not user.is_owner or is_owner(request.user)


@admin.display(description=_("key"))
def key_prefix(api_key: ApiKey) -> str:
    return f"{api_key.prefix}…"


class MembershipInline(ScopedAdminMixin, admin.TabularInline):
    model = WorkspaceMember
    fk_name = "user"
    fields = ("workspace", "inserted_at")
    readonly_fields = ("inserted_at",)
    verbose_name = _("workspace")
    verbose_name_plural = _("workspaces")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("workspace")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return freeze_choices(super().formfield_for_foreignkey(db_field, request, **kwargs))

    def get_extra(self, request, obj=None, **kwargs):
        return 1 if obj is None and is_owner(request.user) else 0

    def get_min_num(self, request, obj=None, **kwargs):
        # An admin's new user joins one of their workspaces, or it would vanish from their view.
        return 1 if obj is None and not is_owner(request.user) else None

    def get_formset(self, request, obj=None, **kwargs):
        return super().get_formset(request, obj, validate_min=True, **kwargs)

    def has_add_permission(self, request, obj=None):
        return may_edit_user(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return may_edit_user(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return may_edit_user(request, obj) and super().has_delete_permission(request, obj)


def visible_api_keys(queryset, request):
    """Keys in scope (scoped by their user), without owners' keys unless the viewer is one."""
    if not is_owner(request.user):
        queryset = queryset.exclude(user__role=Role.OWNER)
    return queryset


class ApiKeyInline(ScopedAdminMixin, admin.TabularInline):
    """A user's keys: revocable (delete), never shown; new keys come from the profile or API."""

    model = ApiKey
    fields = ("name", key_prefix, "last_used_at", "inserted_at")
    readonly_fields = fields
    extra = 0

    def get_queryset(self, request):
        return visible_api_keys(super().get_queryset(request), request)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return may_edit_user(request, obj) and super().has_delete_permission(request, obj)


def delete_selected_offering_deactivation(modeladmin, request, queryset):
    """Django's bulk delete, whose confirmation page also counts the answers deleting would
    remove and offers deactivation instead."""
    response = delete_selected(modeladmin, request, queryset)
    if isinstance(response, TemplateResponse):
        response.context_data["answers"] = queryset.aggregate(n=Count("responses"))["n"]
    return response


@admin.register(User)
class UserAdmin(ServiceAdminMixin, ScopedAdminMixin, DjangoUserAdmin):
    form = LoamUserChangeForm
    add_form = LoamUserCreationForm
    change_password_form = LoamPasswordChangeForm
    problem_field_aliases = {"password": "password2"}
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Access"), {"fields": ("role", "is_active")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "role", "password1", "password2")}),
    )
    readonly_fields = ("last_login", "date_joined")
    list_display = ("username", "role", "is_active", "workspace_names", "last_login")
    list_filter = ("role", "is_active", ("memberships__workspace", ScopedRelatedFilter))
    search_fields = ("username", "first_name", "last_name", "email")
    ordering = ("username",)
    filter_horizontal = ()
    inlines = (MembershipInline, ApiKeyInline)
    actions = ("deactivate_users", "reactivate_users")

    def get_queryset(self, request):
        # Only the memberships the viewer may see: never another tenant's workspace name.
        memberships = scope_queryset(
            WorkspaceMember.objects.select_related("workspace").order_by("workspace__name"),
            request.user,
        )
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("memberships", queryset=memberships, to_attr="visible_memberships")
            )
        )

    @admin.display(description=_("workspaces"))
    def workspace_names(self, obj):
        return ", ".join(m.workspace.name for m in obj.visible_memberships)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role" and not is_owner(request.user):
            kwargs["choices"] = [(v, label) for v, label in Role.choices if v != Role.OWNER]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        return may_edit_user(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return is_owner(request.user)

    def save_model(self, request, obj, form, change):
        if change:
            if "is_active" in form.changed_data:  # through the service, which signals it
                wanted, obj.is_active = obj.is_active, not obj.is_active
                switch = services.reactivate_user if wanted else services.deactivate_user
                switch(user=obj, actor=request.user)
            # Role and names through the service, as the API's PATCH; the form's other
            # columns (username, e-mail) are saved with them.
            services.update_user(
                user=obj, first_name=obj.first_name, last_name=obj.last_name, role=obj.role
            )
            return
        user, _key, _created = services.create_user(
            username=obj.username,
            role=obj.role,
            password=form.cleaned_data["password1"],
            check_password_strength=True,  # as the form did, with the same validators
        )
        become(obj, user)

    def save_formset(self, request, form, formset, change):
        if formset.model is not WorkspaceMember:
            return super().save_formset(request, form, formset, change)
        user = form.instance

        def add(row):
            workspace = row.cleaned_data["workspace"]
            return workspace_services.add_member(workspace=workspace, user=user)

        def leave(row):  # the workspace as stored: the form's copy holds the new choice
            workspace = Workspace.objects.filter(pk=row.initial["workspace"]).first()
            workspace_services.remove_member(workspace=workspace, user=user)

        def move(row):  # another workspace on an existing row: leave one, join the other
            leave(row)
            return add(row)

        save_rows(formset, add=add, change=move, delete=leave)

    def _switch_active(self, request, queryset, switch) -> int:
        """`switch` each user the viewer may edit (never an owner unless they are one);
        the count of users it was applied to."""
        editable = [user for user in queryset if may_edit_user(request, user)]
        for user in editable:  # in the action's transaction: all or nothing
            switch(user=user, actor=request.user)
        return len(editable)

    @admin.action(description=_("Deactivate selected users (they keep their answers)"))
    def deactivate_users(self, request, queryset):
        count = self._switch_active(request, queryset, services.deactivate_user)
        self.message_user(
            request,
            ngettext(
                "%(count)d user deactivated: they can no longer sign in or use API keys.",
                "%(count)d users deactivated: they can no longer sign in or use API keys.",
                count,
            )
            % {"count": count},
        )

    @admin.action(description=_("Reactivate selected users"))
    def reactivate_users(self, request, queryset):
        count = self._switch_active(request, queryset, services.reactivate_user)
        self.message_user(
            request,
            ngettext("%(count)d user reactivated.", "%(count)d users reactivated.", count)
            % {"count": count},
        )

    def delete_view(self, request, object_id, extra_context=None):
        user = self.get_object(request, unquote(object_id))  # in the viewer's scope
        if user is not None:
            extra_context = {
                **(extra_context or {}),
                "deactivate_users": [user] if user.is_active else [],
                "answers": user.responses.count(),
            }
        return super().delete_view(request, object_id, extra_context)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            _func, name, description = actions["delete_selected"]
            actions["delete_selected"] = (delete_selected_offering_deactivation, name, description)
        return actions

    def delete_model(self, request, obj):
        services.delete_user(user=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for user in queryset:  # in the action's transaction: all or nothing
            services.delete_user(user=user, actor=request.user)


@admin.register(ApiKey)
class ApiKeyAdmin(ScopedModelAdmin):
    list_display = (key_prefix, "name", "user", "last_used_at", "inserted_at")
    list_filter = ("last_used_at", ("user", ScopedRelatedFilter))
    list_select_related = ("user",)
    search_fields = ("name", "prefix", "user__username")
    ordering = ("-inserted_at",)
    fields = ("user", "name", key_prefix, "last_used_at", "inserted_at")
    readonly_fields = ("user", key_prefix, "last_used_at", "inserted_at")

    def get_queryset(self, request):
        return visible_api_keys(super().get_queryset(request), request)

    def has_add_permission(self, request, obj=None):
        return False  # keys are shown once at creation: the profile page and the API issue them

"""Loam's admin site: only active owners and admins may enter, whatever `is_staff` says.

Enabled by listing `config.admin_site.LoamAdminConfig` instead of `django.contrib.admin`
in INSTALLED_APPS; `admin.site` and `@admin.register` then use LoamAdminSite.
This module is imported with INSTALLED_APPS, before any model is loaded, hence the late
imports of anything touching models (auth forms, the role helpers).
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


def _is_manager(user) -> bool:
    from apps.workspaces.admin_scoping import is_manager

    return is_manager(user)


def _login_form_class():
    from django.contrib.admin.forms import AdminAuthenticationForm
    from django.core.exceptions import ValidationError

    class LoamAdminAuthenticationForm(AdminAuthenticationForm):
        def confirm_login_allowed(self, user):
            super().confirm_login_allowed(user)
            if not _is_manager(user):
                raise ValidationError(
                    self.error_messages["invalid_login"],
                    code="invalid_login",
                    params={"username": self.username_field.verbose_name},
                )

    return LoamAdminAuthenticationForm


class LoamAdminSite(admin.AdminSite):
    site_header = _("Loam administration")
    site_title = _("Loam admin")
    index_title = _("Workspaces, datasets and people")

    def has_permission(self, request):
        # The role decides, not the is_staff flag alone (which the role keeps in sync).
        return _is_manager(request.user)

    def login(self, request, extra_context=None):
        if self.login_form is None:
            self.login_form = _login_form_class()
        return super().login(request, extra_context)


class LoamAdminConfig(AdminConfig):
    default_site = "config.admin_site.LoamAdminSite"

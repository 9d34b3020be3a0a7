"""Loam's admin site: only active owners and admins may enter, whatever `is_staff` says.

Enabled by listing `config.admin_site.LoamAdminConfig` instead of `django.contrib.admin`
in INSTALLED_APPS; `admin.site` and `@admin.register` then use LoamAdminSite.
This module is imported with INSTALLED_APPS, before any model is loaded, hence the late
imports of anything touching models (auth forms, the role helpers).
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _


def _is_manager(user) -> bool:
    from apps.workspaces.admin_scoping import is_manager

    return is_manager(user)


class LoamAdminSite(admin.AdminSite):
    site_header = _("Loam administration")
    site_title = _("Loam admin")
    index_title = _("Workspaces, datasets and people")

    def has_permission(self, request):
        # The role decides, not the is_staff flag alone (which the role keeps in sync).
        return _is_manager(request.user)

    def login(self, request, extra_context=None):
        """The admin has no login form of its own: people come in through the one sign-in
        door (allauth's login page: the same identity providers, the same rate limits) and
        come back here. Someone signed in who may not enter gets a page saying so (403)."""
        index = reverse("admin:index", current_app=self.name)
        next_url = request.GET.get(REDIRECT_FIELD_NAME) or index
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = index
        if not request.user.is_authenticated:
            login_url = reverse("account_login")
            return HttpResponseRedirect(f"{login_url}?{urlencode({REDIRECT_FIELD_NAME: next_url})}")
        if self.has_permission(request):
            return HttpResponseRedirect(next_url)
        return render(request, "admin/not_for_you.html", status=403)


class LoamAdminConfig(AdminConfig):
    default_site = "config.admin_site.LoamAdminSite"

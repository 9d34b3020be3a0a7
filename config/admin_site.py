"""Loam's admin site: only active owners and admins may enter, whatever `is_staff` says.

Enabled by listing `config.admin_site.LoamAdminConfig` instead of `django.contrib.admin`
in INSTALLED_APPS; `admin.site` and `@admin.register` then use LoamAdminSite.
This module is imported with INSTALLED_APPS, before any model is loaded, hence the late
imports of anything touching models (auth forms, the role helpers).
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.db.models.base import ModelBase
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import re_path, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _

from config import admin_sections


def _is_manager(user) -> bool:
    from apps.workspaces.admin_scoping import is_manager

    return is_manager(user)


def _is_owner(user) -> bool:
    from apps.workspaces.admin_scoping import is_owner

    return is_owner(user)


def _section_url(slug: str) -> str:
    return reverse("admin:app_list", kwargs={"app_label": slug})


class OwnerOnly:
    """Mixed into the model admin of the plumbing (config/admin_sections.py)."""

    def has_module_permission(self, request):
        return _is_owner(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return _is_owner(request.user) and super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return _is_owner(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _is_owner(request.user) and super().has_delete_permission(request, obj)


class LoamAdminSite(admin.AdminSite):
    site_header = _("Loam administration")
    site_title = _("Loam admin")
    index_title = _("Workspaces, datasets and people")

    # Sections (config/admin_sections.py) instead of Django's alphabetical apps: the index,
    # the sidebar and each section's page (/admin/<section>/) list the same groups.
    def get_app_list(self, request, app_label=None):
        sections = admin_sections.group_into_sections(
            self._build_app_dict(request).values(),
            owner=_is_owner(request.user),
            section_url=_section_url,
        )
        if app_label is None:
            return sections
        return [section for section in sections if section["app_label"] == app_label]

    def app_index(self, request, app_label, extra_context=None):
        section = admin_sections.BY_SLUG.get(app_label)
        if section is None:
            # An app's own page (/admin/accounts/) is its section's page, when it shows.
            if not self._build_app_dict(request, app_label) or (
                admin_sections.is_plumbing(app_label) and not _is_owner(request.user)
            ):
                raise Http404("The requested admin page does not exist.")
            return redirect(_section_url(admin_sections.section_of_app(app_label).slug))
        context = {"title": section.name, **(extra_context or {})}
        return super().app_index(request, app_label, context)

    def get_urls(self):
        # Sections that are no app's label get a page of their own under the same URL name.
        slugs = "|".join(
            section.slug
            for section in admin_sections.SECTIONS
            if section.slug not in {model._meta.app_label for model in self._registry}
        )
        page = re_path(
            rf"^(?P<app_label>{slugs})/$", self.admin_view(self.app_index), name="app_list"
        )
        return ([page] if slugs else []) + super().get_urls()

    def register(self, model_or_iterable, admin_class=None, **options):
        # The plumbing's pages answer owners only, whatever Django permissions a user holds.
        models = (
            [model_or_iterable] if isinstance(model_or_iterable, ModelBase) else model_or_iterable
        )
        for model in models:
            model_admin = admin_class or admin.ModelAdmin
            if admin_sections.is_plumbing(model._meta.app_label):
                model_admin = type(f"OwnerOnly{model_admin.__name__}", (OwnerOnly, model_admin), {})
            super().register(model, model_admin, **options)

    def section_of(self, opts) -> dict:
        """The section a model's pages sit in, for their breadcrumbs: its name and link."""
        section = admin_sections.section_of_app(opts.app_label)
        return {"name": section.name, "url": _section_url(section.slug)}

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

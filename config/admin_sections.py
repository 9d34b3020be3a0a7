"""The admin's sections, in the order of the work, whatever Django app holds each model.

Django groups the admin by app and sorts apps by name, so Workspaces came last and the task
queue's table sat among the work. Here a section lists models of several apps (People: the
users and API keys of `accounts`, the social accounts of allauth); a model of an app no
section names falls under Operations. Plumbing (the task queue's results) is for owners only.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    slug: str  # its page: /admin/<slug>/ (the four first slugs are also their app's label)
    name: str
    apps: tuple[str, ...]  # the Django app labels whose models it lists
    models: tuple[str, ...] = ()  # "app_label.modelname" in the order shown; others follow


SECTIONS = (
    Section("workspaces", _("Workspaces"), ("workspaces",)),
    Section("datasets", _("Datasets"), ("datasets",)),
    Section("records", _("Records"), ("records",), ("records.record", "records.suggestion")),
    Section("responses", _("Responses"), ("responses",)),
    Section(
        "people",
        _("People"),
        ("accounts", "socialaccount", "account", "auth"),
        ("accounts.user", "accounts.apikey", "socialaccount.socialaccount"),
    ),
    Section(
        "operations",
        _("Operations"),
        ("exports", "webhooks", "audit", "django_tasks_database"),
        (
            "exports.exportjob",
            "webhooks.webhook",
            "webhooks.delivery",
            "audit.auditentry",
            "django_tasks_database.dbtaskresult",
        ),
    ),
)
BY_SLUG = {section.slug: section for section in SECTIONS}
FALLBACK = BY_SLUG["operations"]
# The machinery under the work: shown to owners only, whatever permissions say.
OWNER_ONLY_APPS = frozenset({"django_tasks_database"})


def section_of_app(app_label: str) -> Section:
    return next((s for s in SECTIONS if app_label in s.apps), FALLBACK)


def is_plumbing(app_label: str) -> bool:
    return app_label in OWNER_ONLY_APPS


def _model_order(section: Section, model_dict: dict) -> tuple:
    label = model_dict["model"]._meta.label_lower
    position = section.models.index(label) if label in section.models else len(section.models)
    return (position, str(model_dict["name"]).lower())


def group_into_sections(apps, *, owner: bool, section_url) -> list[dict]:
    """Django's app dicts (`AdminSite._build_app_dict`) regrouped as section dicts of the same
    shape, in SECTIONS order, empty sections left out. `section_url(slug)` gives each link."""
    models: dict[str, list[dict]] = {section.slug: [] for section in SECTIONS}
    for app in apps:
        if is_plumbing(app["app_label"]) and not owner:
            continue
        models[section_of_app(app["app_label"]).slug].extend(app["models"])
    grouped = []
    for section in SECTIONS:
        if not models[section.slug]:
            continue
        grouped.append(
            {
                "name": section.name,
                "app_label": section.slug,
                "app_url": section_url(section.slug),
                "has_module_perms": True,
                "models": sorted(models[section.slug], key=lambda m: _model_order(section, m)),
            }
        )
    return grouped

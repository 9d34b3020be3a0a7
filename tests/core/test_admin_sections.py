"""The admin in the order of the work: sections, owner-only plumbing, breadcrumbs, section
pages (/admin/<section>/ and every app's own page), and the favicon."""

import html
import re

import pytest
from django.contrib.auth.models import Permission
from django.contrib.staticfiles import finders
from django.urls import reverse

from apps.datasets.models import Dataset

SECTION_ORDER = ["Workspaces", "Datasets", "Records", "Responses", "People", "Operations"]


def section_names(page) -> list[str]:
    return [str(section["name"]) for section in page.context["app_list"]]


def models_of(page, section_name) -> list[str]:
    section = next(s for s in page.context["app_list"] if str(s["name"]) == section_name)
    return [model["model"]._meta.label_lower for model in section["models"]]


def breadcrumbs(page) -> str:
    content = page.content.decode()
    crumbs = re.search(r'<div class="breadcrumbs">(.*?)</div>', content, re.S).group(1)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", crumbs)).split())


def test_owner_sees_the_sections_in_the_order_of_the_work(client, world):
    client.force_login(world.owner)

    page = client.get(reverse("admin:index"))

    assert section_names(page) == SECTION_ORDER
    assert models_of(page, "People")[:2] == ["accounts.user", "accounts.apikey"]
    assert models_of(page, "Records")[:2] == ["records.record", "records.suggestion"]
    operations = models_of(page, "Operations")
    assert "django_tasks_database.dbtaskresult" in operations
    assert operations.index("exports.exportjob") < operations.index("webhooks.webhook")
    # The sidebar lists the same sections.
    assert [str(s["name"]) for s in page.context["available_apps"]] == SECTION_ORDER
    assert "Tasks database backend" not in page.content.decode()


def test_a_workspace_admin_never_sees_the_task_queue(client, world):
    # Even given Django's permission on the table, which the role never grants.
    world.admin.user_permissions.add(Permission.objects.get(codename="view_dbtaskresult"))
    client.force_login(world.admin)

    page = client.get(reverse("admin:index"))
    shown = [m["model"]._meta.label_lower for s in page.context["app_list"] for m in s["models"]]

    assert "django_tasks_database.dbtaskresult" not in shown
    assert "Task results" not in page.content.decode()
    assert section_names(page)[:4] == SECTION_ORDER[:4]
    assert client.get("/admin/django_tasks_database/").status_code == 404
    task_results = reverse("admin:django_tasks_database_dbtaskresult_changelist")
    assert client.get(task_results).status_code == 403


def test_an_owner_opens_the_task_queue(client, world):
    client.force_login(world.owner)

    page = client.get(reverse("admin:django_tasks_database_dbtaskresult_changelist"))

    assert page.status_code == 200
    assert breadcrumbs(page) == "Home › Operations › Task Results"


def test_every_section_link_opens_its_section(client, world):
    client.force_login(world.owner)
    index = client.get(reverse("admin:index"))

    for section in index.context["app_list"]:
        page = client.get(section["app_url"])
        assert page.status_code == 200, section["app_url"]
        assert section_names(page) == [str(section["name"])]
        assert breadcrumbs(page) == f"Home › {section['name']}"
        assert f"<h1>{section['name']}</h1>" in page.content.decode()


@pytest.mark.parametrize(
    "app_label, section",
    [("accounts", "people"), ("webhooks", "operations"), ("exports", "operations")],
)
def test_an_apps_own_page_leads_to_its_section(client, world, app_label, section):
    client.force_login(world.owner)

    page = client.get(f"/admin/{app_label}/")

    assert page.status_code == 302
    assert page["Location"] == f"/admin/{section}/"


def test_breadcrumbs_name_the_section_once(client, world, make_dataset):
    dataset = make_dataset(world.ws_a, name="alpha-data")
    client.force_login(world.owner)

    def crumbs(url):
        page = client.get(url)
        assert page.status_code == 200, url
        return breadcrumbs(page)

    assert crumbs(reverse("admin:datasets_dataset_changelist")) == "Home › Datasets"
    assert (
        crumbs(reverse("admin:datasets_dataset_change", args=[dataset.pk]))
        == "Home › Datasets › alpha-data"
    )
    assert crumbs(reverse("admin:accounts_apikey_changelist")) == "Home › People › API keys"
    assert crumbs(reverse("admin:accounts_user_change", args=[world.ann1.pk])).startswith(
        "Home › People › Users › "
    )
    assert crumbs(reverse("admin:records_suggestion_changelist")) == "Home › Records › Suggestions"


def test_a_changelist_is_titled_by_what_it_lists(client, world):
    client.force_login(world.owner)

    page = client.get(reverse("admin:datasets_dataset_changelist")).content.decode()

    assert "<h1>Datasets</h1>" in page
    assert "<title>Datasets | Loam admin</title>" in page


def test_the_admin_is_light_only_with_loams_sheet_and_icon(client, world):
    client.force_login(world.owner)

    page = client.get(reverse("admin:index")).content.decode()

    assert "css/admin.css" in page
    assert "dark_mode.css" not in page and "theme-toggle" not in page
    assert 'rel="icon" href="/static/favicon.svg"' in page


@pytest.mark.django_db
def test_favicon_is_answered(client):
    answer = client.get("/favicon.ico")

    assert answer.status_code == 302
    assert answer["Location"] == "/static/favicon.svg"
    assert "<svg" in open(finders.find("favicon.svg")).read()


def test_the_web_app_links_the_favicon(client, world):
    client.force_login(world.ann1)

    page = client.get(reverse("annotation:home")).content.decode()

    assert 'rel="icon" href="/static/favicon.svg"' in page


def test_dataset_model_is_in_the_datasets_section(client, world):
    client.force_login(world.admin)

    page = client.get("/admin/datasets/")

    assert page.status_code == 200
    assert models_of(page, "Datasets") == [Dataset._meta.label_lower]

"""The admin's refusals, as an organisation admin sees them: the service's rule next to the
input (a username the API would refuse) or at the top of the page (a workspace that still
holds datasets), on a desktop and on a phone. Screenshots in tests/browser/artifacts/."""

import pytest

from apps.accounts.models import User
from apps.datasets.demo import WORKSPACE, seed_demo
from apps.workspaces.models import Workspace
from tests.browser.test_annotator_flow import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SIZES = {"desktop": {"width": 1400, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.mark.parametrize("size", SIZES)
def test_a_workspace_with_datasets_is_not_deleted(live_server, browser, artifacts, size):
    seed_demo()
    workspace = Workspace.objects.get(name=WORKSPACE)
    context = browser.new_context(viewport=SIZES[size])
    page = context.new_page()
    log_in(page, live_server.url, "owner", "loam-owner-demo")

    page.goto(f"{live_server.url}/admin/workspaces/workspace/{workspace.pk}/delete/")
    page.screenshot(path=str(artifacts / f"admin-workspace-delete-{size}.png"), full_page=True)

    assert (
        page.locator(".messagelist")
        .inner_text()
        .strip()
        .endswith("Delete the workspace's datasets before the workspace.")
    )
    assert page.locator("input[type=submit]").count() == 0  # nothing to confirm
    assert Workspace.objects.filter(pk=workspace.pk).exists()
    context.close()


@pytest.mark.parametrize("size", SIZES)
def test_a_username_the_api_refuses_is_refused_on_its_field(live_server, browser, artifacts, size):
    seed_demo()
    context = browser.new_context(viewport=SIZES[size])
    page = context.new_page()
    log_in(page, live_server.url, "owner", "loam-owner-demo")

    page.goto(f"{live_server.url}/admin/accounts/user/add/")
    page.fill("#id_username", "-dash-first")
    page.fill("#id_password1", "a-Long-pass-4321")
    page.fill("#id_password2", "a-Long-pass-4321")
    page.click("input[name=_save]")
    page.wait_for_selector(".errornote")
    page.screenshot(path=str(artifacts / f"admin-user-add-refused-{size}.png"), full_page=True)

    field_errors = page.locator(".field-username .errorlist").inner_text()
    assert "username" in field_errors.lower() or "letter" in field_errors.lower()
    assert not User.objects.filter(username="-dash-first").exists()
    context.close()

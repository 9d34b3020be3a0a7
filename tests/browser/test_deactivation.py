"""Removing a person, as the owner sees it in the admin (the delete page offers deactivation
first and says what deleting costs) and as the deactivated person sees the login, on a
desktop and on a phone. Screenshots in tests/browser/artifacts/."""

import pytest

from apps.accounts.models import User
from apps.datasets.demo import seed_demo
from apps.responses.models import Response
from tests.browser.test_annotator_flow import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


@pytest.mark.parametrize("size", SIZES)
def test_the_delete_page_steers_to_deactivation(live_server, browser, artifacts, size):
    seed_demo()
    annotator = User.objects.get(username="annotator")
    Response.objects.create(
        record=annotator.memberships.first().workspace.datasets.first().records.first(),
        user=annotator,
        values={},
        status="draft",
    )
    answers = Response.objects.filter(user=annotator).count()
    context = browser.new_context(viewport=SIZES[size])
    page = context.new_page()
    log_in(page, live_server.url, "owner", "loam-owner-demo")

    page.goto(f"{live_server.url}/admin/accounts/user/{annotator.pk}/delete/")
    page.screenshot(path=str(artifacts / f"admin-user-delete-{size}.png"), full_page=True)
    offer = page.locator(".loam-deactivate-instead")
    assert f"Deleting removes {answers} answer" in offer.inner_text()

    offer.locator("input[type=submit]").click()
    page.wait_for_selector(".messagelist")
    page.screenshot(path=str(artifacts / f"admin-user-deactivated-{size}.png"), full_page=True)
    assert "1 user deactivated" in page.locator(".messagelist").inner_text()
    annotator.refresh_from_db()
    assert not annotator.is_active
    assert Response.objects.filter(user=annotator).count() == answers
    context.close()

    context = browser.new_context(viewport=SIZES[size])
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_login", "annotator")
    page.fill("#id_password", "loam-annotator-demo")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/accounts/inactive/")
    page.screenshot(path=str(artifacts / f"login-deactivated-{size}.png"), full_page=True)
    assert "Account deactivated" in page.locator("h1").inner_text()
    context.close()

"""The audit trail as an owner reads it in the admin, on a desktop and on a phone: the demo
seeded by a command, sign-ins (one failed), a role change and an export from the admin.
Screenshots in tests/browser/artifacts/."""

import pytest

from apps.accounts import services as accounts
from apps.accounts.models import Role, User
from apps.audit.context import acting
from apps.audit.models import AuditEntry
from apps.datasets.demo import seed_demo
from apps.exports import services as exports
from tests.browser.test_annotator_flow import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


@pytest.mark.parametrize("size", SIZES)
def test_the_owner_reads_the_audit_trail(live_server, browser, artifacts, size):
    dataset, _added = seed_demo()
    context = browser.new_context(viewport=SIZES[size])
    page = context.new_page()
    page.set_default_timeout(10_000)
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_login", "owner")
    page.fill("#id_password", "not-the-password")
    page.click("main button[type=submit]")
    page.wait_for_selector(".errorlist, [role=alert], .alert, form")
    log_in(page, base, "owner", "loam-owner-demo")
    owner = User.objects.get(username="owner")
    annotator = User.objects.get(username="annotator")
    with acting(user=owner, face="admin", ip="127.0.0.1"):
        accounts.update_user(user=annotator, role=Role.ADMIN)
        exports.announce_download(dataset=dataset, format="csv", task="records")

    page.goto(f"{base}/admin/audit/auditentry/")
    page.screenshot(path=str(artifacts / f"admin-audit-list-{size}.png"), full_page=True)
    listed = page.locator("#result_list").text_content()  # the phone hides some columns
    assert "Signed in" in listed and "Sign-in failed" in listed
    assert "User role changed" in listed and "role: annotator → admin" in listed
    assert page.locator("#result_list tbody tr").count() == AuditEntry.objects.count()

    entry = AuditEntry.objects.get(action="user.role_changed")
    page.goto(f"{base}/admin/audit/auditentry/{entry.pk}/change/")
    page.screenshot(path=str(artifacts / f"admin-audit-entry-{size}.png"), full_page=True)
    assert page.locator("input[name=_save]").count() == 0  # nothing to save: view only
    assert '"role"' in page.locator("pre").inner_text()
    context.close()

"""Single sign-on in the real browser against a real OpenID Connect provider (tests/oidc:
panva's oidc-provider, started on 127.0.0.1): the login page's provider button, the
provider's own page, and back in Loam as the person an admin created; refused when Loam
does not know them; a new annotator under the open policy; providers only when password
login is off; the admin's door. Screenshots (desktop and phone) in tests/browser/artifacts/.
"""

import pytest

from apps.accounts.models import Role, User
from apps.workspaces.models import WorkspaceMember
from tests.oidc.provider import callback_url, running_provider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
PROVIDER_ID = "acme"


@pytest.fixture(scope="module")
def idp(live_server):
    redirect = callback_url(live_server.url, PROVIDER_ID)
    with running_provider([redirect], PROVIDER_ID, name="Acme SSO") as idp:
        yield idp


@pytest.fixture
def open_page(browser):
    contexts = []

    def open_at(size):
        context = browser.new_context(viewport=SIZES[size])
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_at
    for context in contexts:
        context.close()


def person(username, email, role=Role.ANNOTATOR):
    user = User(username=username, email=email, role=role)
    user.set_password("pw-loam-123")
    user.save()
    return user


def through_provider(page, email):
    """On the login page: the provider's button, then the provider's own page."""
    page.click("button[data-provider=acme]")
    page.wait_for_selector("input#email")
    page.fill("input#email", email)
    page.click("button[type=submit]")


@pytest.mark.parametrize("size", SIZES)
def test_sign_in_lands_as_the_pre_created_user(
    live_server, idp, settings, open_page, artifacts, size
):
    idp.use(settings)
    alice = person("alice", "alice@example.org")
    page = open_page(size)

    page.goto(f"{live_server.url}/accounts/login/")
    page.screenshot(path=str(artifacts / f"sso-login-{size}.png"), full_page=True)
    through_provider(page, "alice@example.org")
    page.wait_for_url(f"{live_server.url}/")
    page.screenshot(path=str(artifacts / f"sso-signed-in-{size}.png"), full_page=True)

    assert page.locator(".topbar nav").inner_text().find("alice") >= 0
    assert alice.socialaccount_set.get().uid == "alice@example.org"


@pytest.mark.parametrize("size", SIZES)
def test_an_unknown_person_is_refused(live_server, idp, settings, open_page, artifacts, size):
    idp.use(settings)
    page = open_page(size)

    page.goto(f"{live_server.url}/accounts/login/")
    through_provider(page, "mallory@example.org")
    page.wait_for_selector("[data-refusal=unknown]")
    page.screenshot(path=str(artifacts / f"sso-refused-{size}.png"), full_page=True)

    assert "mallory@example.org" in page.locator(".reason").inner_text()
    assert not User.objects.exists()
    page.goto(f"{live_server.url}/profile")
    assert page.url.startswith(f"{live_server.url}/accounts/login/")  # not signed in


@pytest.mark.parametrize("size", SIZES)
def test_the_open_policy_lets_a_new_annotator_in(
    live_server, idp, settings, open_page, artifacts, size
):
    idp.use(settings, LOAM_SSO_OPEN_SIGNUP="1", LOAM_SSO_SIGNUP_WORKSPACES="newcomers")
    page = open_page(size)

    page.goto(f"{live_server.url}/accounts/login/")
    through_provider(page, "nadia.new@example.org")
    page.wait_for_url(f"{live_server.url}/")

    nadia = User.objects.get(email="nadia.new@example.org")
    assert (nadia.username, nadia.role) == ("nadia-new", Role.ANNOTATOR)
    assert WorkspaceMember.objects.filter(user=nadia, workspace__name="newcomers").exists()
    # Her API key comes from the profile page, as anyone's.
    page.goto(f"{live_server.url}/profile")
    page.click("form[action$='api-key'] button")
    assert page.locator("[data-new-key]").inner_text().startswith("loam_")
    page.screenshot(path=str(artifacts / f"sso-profile-new-key-{size}.png"), full_page=True)
    assert page.locator("text=Set a password").is_visible()  # she has none yet


@pytest.mark.parametrize("size", SIZES)
def test_password_login_off_shows_only_the_providers(
    live_server, idp, settings, open_page, artifacts, size
):
    idp.use(settings, LOAM_PASSWORD_LOGIN="0")
    page = open_page(size)

    page.goto(f"{live_server.url}/accounts/login/")
    page.screenshot(path=str(artifacts / f"sso-providers-only-{size}.png"), full_page=True)

    assert page.locator("input[name=password]").count() == 0
    assert page.locator("button[data-provider=acme]").is_visible()


@pytest.mark.parametrize("size", SIZES)
def test_the_admin_door_for_an_annotator_and_an_admin(
    live_server, idp, settings, open_page, artifacts, size
):
    idp.use(settings)
    person("ann", "ann@example.org")
    person("adam", "adam@example.org", role=Role.ADMIN)

    page = open_page(size)
    page.goto(f"{live_server.url}/admin/")
    assert page.url == f"{live_server.url}/accounts/login/?next=%2Fadmin%2F"
    through_provider(page, "ann@example.org")
    page.wait_for_selector("[data-refusal=not-a-manager]")
    page.screenshot(path=str(artifacts / f"sso-admin-not-for-you-{size}.png"), full_page=True)
    page.click("text=Go to my datasets")
    page.wait_for_url(f"{live_server.url}/")

    page = open_page(size)
    page.goto(f"{live_server.url}/admin/")
    through_provider(page, "adam@example.org")
    page.wait_for_url(f"{live_server.url}/admin/")
    assert page.locator("#site-name").is_visible()


@pytest.mark.parametrize("size", SIZES)
def test_a_sign_in_the_provider_did_not_finish(
    live_server, idp, settings, open_page, artifacts, size
):
    idp.use(settings)
    page = open_page(size)

    # What the provider sends back when the person cancels there.
    page.goto(f"{live_server.url}/accounts/oidc/{PROVIDER_ID}/login/callback/?error=access_denied")
    page.screenshot(path=str(artifacts / f"sso-did-not-finish-{size}.png"), full_page=True)
    page.click("text=Back to the login page")

    assert page.url == f"{live_server.url}/accounts/login/"
    assert page.locator("button[data-provider=acme]").is_visible()

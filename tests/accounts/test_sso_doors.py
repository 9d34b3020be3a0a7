"""The one sign-in door: the login page with its provider buttons, password login turned
off, the admin's login sending people through the door, and the profile page of someone
who has only ever signed in through a provider."""

import importlib
import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import clear_url_caches, reverse

from apps.accounts.models import ApiKey, Role
from config import sso

pytestmark = pytest.mark.django_db

PROVIDER = {
    "id": "acme",
    "name": "Acme SSO",
    "server_url": "https://sso.acme.example/realms/acme",
    "client_id": "loam",
    "secret": "s3cret",
}


def configure(settings, **environ):
    parsed = sso.from_environ({"LOAM_OIDC_PROVIDERS": json.dumps([PROVIDER]), **environ})
    settings.SOCIALACCOUNT_PROVIDERS = parsed.providers
    settings.SOCIALACCOUNT_ONLY = not parsed.password_login


def reload_urls():
    # allauth leaves the password views out of its URLs when SOCIALACCOUNT_ONLY is set at
    # start-up: build them again as Loam would start.
    for module in ("allauth.account.urls", "allauth.urls", "config.urls"):
        importlib.reload(importlib.import_module(module))
    clear_url_caches()


@pytest.fixture
def password_login_off(settings):
    configure(settings, LOAM_PASSWORD_LOGIN="0")
    reload_urls()
    yield
    settings.SOCIALACCOUNT_ONLY = False
    reload_urls()


def test_the_login_page_offers_the_providers_and_the_password_form(client, settings):
    configure(settings)

    page = client.get(reverse("account_login") + "?next=/profile").content.decode()

    assert 'action="/accounts/oidc/acme/login/?process=login&amp;next=%2Fprofile"' in page
    assert "Continue with Acme SSO" in page
    assert 'name="password"' in page


def test_without_providers_the_login_page_is_the_password_form(client):
    page = client.get(reverse("account_login")).content.decode()

    assert "Continue with" not in page
    assert 'name="password"' in page


def test_password_login_off_shows_only_the_providers(client, password_login_off):
    page = client.get(reverse("account_login")).content.decode()

    assert "Continue with Acme SSO" in page
    assert 'name="password"' not in page


def test_password_login_off_refuses_a_password(client, make_user, password_login_off):
    make_user("alice", password="pw-loam-123")

    answer = client.post(reverse("account_login"), {"login": "alice", "password": "pw-loam-123"})

    assert answer.status_code == 403
    assert "_auth_user_id" not in client.session


def test_password_login_off_has_no_password_pages(client, make_user, password_login_off):
    client.force_login(make_user("alice"))

    page = client.get(reverse("annotation:profile"))

    assert page.status_code == 200
    assert "password" not in page.content.decode().lower()
    assert client.get("/accounts/password/change/").status_code == 404


# the admin's login


def test_the_admin_sends_anonymous_people_to_the_sign_in_door(client):
    first = client.get(reverse("admin:index"))
    second = client.get(first.url)

    assert first.url == "/admin/login/?next=/admin/"
    assert second.status_code == 302
    assert second.url == "/accounts/login/?next=%2Fadmin%2F"


def test_the_admin_login_takes_no_password(client, make_user):
    make_user("olivia", role=Role.OWNER, password="pw-loam-123")

    answer = client.post(reverse("admin:login"), {"username": "olivia", "password": "pw-loam-123"})

    assert answer.status_code == 302 and answer.url.startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("next_url", "landing"),
    [
        ("/admin/accounts/user/", "/admin/accounts/user/"),
        ("https://evil.example/admin/", "/admin/"),
        ("", "/admin/"),
    ],
)
def test_an_admin_signed_in_goes_on_to_the_admin(client, make_user, next_url, landing):
    client.force_login(make_user("adam", role=Role.ADMIN))

    answer = client.get(reverse("admin:login"), {"next": next_url})

    assert answer.status_code == 302 and answer.url == landing


def test_an_annotator_is_told_the_admin_is_for_admins(client, make_user):
    client.force_login(make_user("ann", role=Role.ANNOTATOR))

    answer = client.get(client.get(reverse("admin:index")).url)

    assert answer.status_code == 403
    page = answer.content.decode()
    assert "The admin is for organization admins" in page
    assert f'href="{reverse("annotation:home")}"' in page
    assert 'class="topbar"' in page  # the web app's frame, not the admin's


def test_the_not_for_you_page_speaks_chinese(client, make_user):
    client.force_login(make_user("ann", role=Role.ANNOTATOR))

    answer = client.get(reverse("admin:login"), headers={"accept-language": "zh-hans"})

    assert answer.status_code == 403
    assert "管理后台" in answer.content.decode()


# an SSO user's profile


def test_someone_without_a_password_gets_an_api_key_from_the_profile(client, make_user):
    user = make_user("sso-only")
    user.set_unusable_password()
    user.save()
    client.force_login(user)

    page = client.get(reverse("annotation:profile"))
    rotated = client.post(reverse("annotation:rotate_api_key"), follow=True)

    assert page.status_code == 200
    assert "Set a password" in page.content.decode()
    assert rotated.status_code == 200
    key = rotated.context["new_key"]
    assert key and ApiKey.find_user(key) == user


def test_the_admin_lists_no_sso_models(client, make_user):
    client.force_login(make_user("olivia", role=Role.OWNER))

    page = client.get(reverse("admin:index")).content.decode()

    assert page.count("/admin/socialaccount/") == 0


@pytest.mark.parametrize("count", [1, 5])
def test_the_login_page_costs_the_same_whatever_the_number_of_providers(
    client, settings, count, django_assert_num_queries
):
    entries = [{**PROVIDER, "id": f"idp-{n}", "name": f"IdP {n}"} for n in range(count)]
    settings.SOCIALACCOUNT_PROVIDERS = sso.from_environ(
        {"LOAM_OIDC_PROVIDERS": json.dumps(entries)}
    ).providers

    # 1. SELECT socialaccount_socialapp (stored apps, ignored: providers come from settings)
    with django_assert_num_queries(1):
        page = client.get(reverse("account_login"))

    assert page.content.decode().count("data-provider=") == count


def test_github_gets_its_button(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = sso.from_environ(
        {"LOAM_GITHUB_CLIENT_ID": "gh-id", "LOAM_GITHUB_CLIENT_SECRET": "gh-secret"}
    ).providers

    page = client.get(reverse("account_login")).content.decode()

    assert 'action="/accounts/github/login/?process=login"' in page
    assert "Continue with GitHub" in page


def test_github_sign_in_asks_for_the_verified_addresses(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = sso.from_environ(
        {"LOAM_GITHUB_CLIENT_ID": "gh-id", "LOAM_GITHUB_CLIENT_SECRET": "gh-secret"}
    ).providers

    answer = client.post("/accounts/github/login/")

    assert answer.status_code == 302
    url = urlsplit(answer.url)
    query = parse_qs(url.query)
    assert (url.netloc, url.path) == ("github.com", "/login/oauth/authorize")
    assert query["client_id"] == ["gh-id"]
    assert query["redirect_uri"] == ["http://testserver/accounts/github/login/callback/"]
    assert set(query["scope"][0].split()) == {"read:user", "user:email"}

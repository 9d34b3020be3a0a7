"""The sign-in policy (apps/accounts/adapters.py) on its own: what a provider's answer
leads to, without a provider process (tests/accounts/test_sso_flow.py runs the same rules
against a real one)."""

import json

import pytest
from allauth.core import context
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.helpers import complete_social_login
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.signals import user_login_failed
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware

from apps.accounts.adapters import _free_username
from apps.accounts.models import Role, User
from config import sso
from tests.accounts.racing import username_taken_alongside

pytestmark = pytest.mark.django_db

PROVIDER = {
    "id": "acme",
    "name": "Acme SSO",
    "server_url": "https://sso.acme.example",
    "client_id": "loam",
    "secret": "s3cret",
}


@pytest.fixture(autouse=True)
def acme(settings):
    parsed = sso.from_environ({"LOAM_OIDC_PROVIDERS": json.dumps([PROVIDER])})
    settings.SOCIALACCOUNT_PROVIDERS = parsed.providers
    settings.LOAM_SSO_OPEN_SIGNUP = False
    settings.LOAM_SSO_SIGNUP_WORKSPACES = []


def arrive(rf, email, *, verified=True, sub=None, username=None, name="Pat Doe"):
    """What Loam does with the provider's userinfo answer: (response, request)."""
    request = rf.get("/accounts/oidc/acme/login/callback/")
    SessionMiddleware(lambda r: None).process_request(request)
    MessageMiddleware(lambda r: None).process_request(request)
    request.user = AnonymousUser()
    userinfo = {"sub": sub or email, "email": email, "email_verified": verified, "name": name}
    if username:
        userinfo["preferred_username"] = username
    with context.request_context(request):
        provider = get_adapter().get_provider(request, "acme")
        login = provider.sociallogin_from_response(request, {"userinfo": userinfo})
        return complete_social_login(request, login), request


def person(username, email, **attributes):
    return User.objects.create(username=username, email=email, **attributes)


def test_a_verified_address_finds_the_account_without_case(rf):
    pat = person("pat", "Pat@Example.org")

    answer, request = arrive(rf, "pat@example.ORG")

    assert answer.status_code == 302
    assert request.user == pat
    assert SocialAccount.objects.get(user=pat).uid == "pat@example.ORG"


def test_an_unverified_address_is_refused(rf):
    person("pat", "pat@example.org")

    answer, request = arrive(rf, "pat@example.org", verified=False)

    assert answer.status_code == 403
    assert b'data-refusal="unverified"' in answer.content
    assert not request.user.is_authenticated
    assert not SocialAccount.objects.exists()


def test_no_address_at_all_is_refused(rf):
    answer, _request = arrive(rf, "", sub="subject-without-address")

    assert answer.status_code == 403
    assert b'data-refusal="unverified"' in answer.content


def test_an_unknown_address_is_refused_by_default(rf):
    answer, request = arrive(rf, "stranger@example.org")

    assert answer.status_code == 403
    assert b"stranger@example.org" in answer.content
    assert not User.objects.exists()


def test_an_address_on_two_accounts_is_refused(rf):
    person("pat", "pat@example.org")
    person("pat2", "PAT@example.org")

    answer, _request = arrive(rf, "pat@example.org")

    assert answer.status_code == 403
    assert b'data-refusal="ambiguous"' in answer.content


def test_a_linked_account_signs_in_whatever_its_address(rf):
    pat = person("pat", "pat@example.org")
    SocialAccount.objects.create(user=pat, provider="acme", uid="subject-1")

    answer, request = arrive(rf, "pat@elsewhere.example", verified=False, sub="subject-1")

    assert answer.status_code == 302
    assert request.user == pat


def test_the_open_policy_makes_an_annotator(rf, settings, make_workspace):
    settings.LOAM_SSO_OPEN_SIGNUP = True
    settings.LOAM_SSO_SIGNUP_WORKSPACES = ["newcomers"]

    answer, request = arrive(rf, "new@example.org", username="José.Doe")

    assert answer.status_code == 302
    user = User.objects.get(email="new@example.org")
    assert request.user == user
    assert (user.username, user.role, user.first_name, user.last_name) == (
        "Jos-Doe",
        Role.ANNOTATOR,
        "Pat",
        "Doe",
    )
    assert list(user.workspaces.values_list("name", flat=True)) == ["newcomers"]


@pytest.mark.django_db(transaction=True)
def test_a_newcomer_whose_username_is_taken_at_that_moment_gets_the_next(rf, settings):
    settings.LOAM_SSO_OPEN_SIGNUP = True
    with username_taken_alongside("pat"):
        answer, request = arrive(rf, "pat@example.org", username="pat")
    assert answer.status_code == 302
    assert request.user.username == "pat-2"
    assert sorted(User.objects.values_list("username", flat=True)) == ["pat", "pat-2"]


def test_the_open_policy_refuses_an_unverified_address(rf, settings):
    settings.LOAM_SSO_OPEN_SIGNUP = True

    answer, _request = arrive(rf, "new@example.org", verified=False)

    assert answer.status_code == 403
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("preferred", "email", "taken", "expected"),
    [
        (None, "pat.doe@example.org", [], "pat-doe"),
        ("pat", "x@example.org", ["pat", "Pat-2"], "pat-3"),
        ("-._pat", "x@example.org", [], "pat"),
        ("ÅÄÖ", "x@example.org", [], "user"),
        ("a" * 300, "x@example.org", [], "a" * 140),
    ],
)
def test_a_newcomer_gets_a_free_valid_username(preferred, email, taken, expected):
    for name in taken:
        person(name, "")

    assert _free_username(preferred, email) == expected


def test_providers_stored_in_the_database_are_ignored(rf):
    SocialApp.objects.create(provider="openid_connect", provider_id="rogue", name="Rogue")
    request = rf.get("/")

    apps = get_adapter().list_apps(request)

    assert [app.provider_id for app in apps] == ["acme"]


def test_a_refusal_is_reported_as_a_failed_sign_in(rf):
    failures = []

    def listen(sender, credentials, request, **kwargs):
        failures.append(credentials)

    user_login_failed.connect(listen)
    try:
        arrive(rf, "stranger@example.org")
    finally:
        user_login_failed.disconnect(listen)

    assert failures == [{"provider": "acme", "emails": ["stranger@example.org"]}]

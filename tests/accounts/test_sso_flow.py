"""Sign-in through a real OpenID Connect provider (tests/oidc: panva's oidc-provider on
node), with the test client on Loam's side: the policy for people Loam knows, does not know,
or cannot identify. The browser version is tests/browser/test_sso.py."""

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user

from apps.accounts.models import ApiKey, Role, User
from apps.workspaces.models import WorkspaceMember
from tests.oidc.provider import callback_url, running_provider, sign_in

PROVIDER_ID = "testidp"


@pytest.fixture(scope="module")
def idp():
    with running_provider([callback_url("http://testserver", PROVIDER_ID)], PROVIDER_ID) as idp:
        yield idp


@pytest.fixture
def provider(idp, settings):
    idp.use(settings)
    return idp


def signed_in_user(client):
    return get_user(client)


def test_a_pre_created_user_signs_in_by_verified_email(client, provider, make_user):
    alice = make_user("alice")
    User.objects.filter(pk=alice.pk).update(email="Alice@Example.org")

    answer = sign_in(client, provider, "alice@example.org")

    assert answer.status_code == 302 and answer.url == "/"
    assert signed_in_user(client) == alice
    linked = SocialAccount.objects.get(user=alice)
    assert (linked.provider, linked.uid) == (PROVIDER_ID, "alice@example.org")
    alice.refresh_from_db()
    assert alice.check_password("pw-loam-123")  # the local password still works

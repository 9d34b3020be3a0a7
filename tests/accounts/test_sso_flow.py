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
pytestmark = pytest.mark.django_db


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


def test_the_second_sign_in_goes_by_the_linked_account(client, provider, make_user):
    alice = make_user("alice")
    User.objects.filter(pk=alice.pk).update(email="alice@example.org")
    sign_in(client, provider, "alice@example.org")
    client.logout()
    # An admin changes her address in Loam: the provider's subject id still finds her.
    User.objects.filter(pk=alice.pk).update(email="alice@new.example.org")

    sign_in(client, provider, "alice@example.org")

    assert signed_in_user(client) == alice
    assert SocialAccount.objects.filter(user=alice).count() == 1


def test_an_unknown_person_is_refused_and_no_account_is_made(client, provider, make_user):
    make_user("alice")
    users_before = User.objects.count()

    answer = sign_in(client, provider, "mallory@example.org")

    assert answer.status_code == 403
    page = answer.content.decode()
    assert "No Loam account has the e-mail address mallory@example.org" in page
    assert 'data-refusal="unknown"' in page
    assert not signed_in_user(client).is_authenticated
    assert User.objects.count() == users_before
    assert not SocialAccount.objects.exists()


def test_an_unverified_address_is_refused_even_when_it_matches(client, provider, make_user):
    alice = make_user("alice")
    User.objects.filter(pk=alice.pk).update(email="unverified.alice@example.org")

    answer = sign_in(client, provider, "unverified.alice@example.org")

    assert answer.status_code == 403
    assert 'data-refusal="unverified"' in answer.content.decode()
    assert not signed_in_user(client).is_authenticated
    assert not SocialAccount.objects.exists()


def test_an_address_on_two_accounts_is_refused(client, provider, make_user):
    for name in ("alice", "alice2"):
        User.objects.filter(pk=make_user(name).pk).update(email="alice@example.org")

    answer = sign_in(client, provider, "alice@example.org")

    assert answer.status_code == 403
    assert 'data-refusal="ambiguous"' in answer.content.decode()
    assert not signed_in_user(client).is_authenticated


def test_a_deactivated_user_does_not_get_in(client, provider, make_user):
    alice = make_user("alice")
    User.objects.filter(pk=alice.pk).update(email="alice@example.org", is_active=False)

    answer = sign_in(client, provider, "alice@example.org")

    assert answer.status_code == 302 and answer.url == "/accounts/inactive/"
    assert not signed_in_user(client).is_authenticated


def test_the_open_policy_makes_a_new_annotator_in_the_named_workspaces(
    client, idp, settings, make_user, make_workspace
):
    idp.use(settings, LOAM_SSO_OPEN_SIGNUP="1", LOAM_SSO_SIGNUP_WORKSPACES="team-a, team-new")
    team_a = make_workspace("team-a")
    make_user("new-person")  # the provider's username is taken: the newcomer gets -2

    answer = sign_in(client, provider=idp, email="new.person@example.org")

    assert answer.status_code == 302 and answer.url == "/"
    user = signed_in_user(client)
    assert (user.username, user.email, user.role) == (
        "new-person-2",
        "new.person@example.org",
        Role.ANNOTATOR,
    )
    assert (user.first_name, user.last_name) == ("new", "person")
    assert not user.has_usable_password()
    assert set(
        WorkspaceMember.objects.filter(user=user).values_list("workspace__name", flat=True)
    ) == {team_a.name, "team-new"}
    assert ApiKey.objects.filter(user=user).count() == 1  # create_user's key, as for anyone
    assert SocialAccount.objects.get(user=user).provider == PROVIDER_ID


def test_the_open_policy_still_refuses_an_unverified_address(client, idp, settings):
    idp.use(settings, LOAM_SSO_OPEN_SIGNUP="1")

    answer = sign_in(client, idp, "unverified.eve@example.org")

    assert answer.status_code == 403
    assert not User.objects.exists()


def test_sign_in_returns_to_the_page_asked_for(client, provider, make_user):
    alice = make_user("alice")
    User.objects.filter(pk=alice.pk).update(email="alice@example.org")

    answer = sign_in(client, provider, "alice@example.org", next_url="/profile")

    assert answer.status_code == 302 and answer.url == "/profile"

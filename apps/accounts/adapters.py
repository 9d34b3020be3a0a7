"""How people come in: allauth's adapters, with Loam's rules.

Passwords (`ClosedSignupAccountAdapter`): nobody signs up on their own; admins create users.

Identity providers (`LoamSocialAccountAdapter`, settings in config/sso.py): someone a provider
signs in for the first time is matched to the Loam account an admin created with the same
e-mail address, and only when the provider says it verified that address. Nobody matched:
refused (the default), or, with `LOAM_SSO_OPEN_SIGNUP`, a new annotator made by
`create_user` who joins `LOAM_SSO_SIGNUP_WORKSPACES`. Either way the provider's account is
then linked to the Loam account, so later sign-ins go by the provider's subject id.
"""

import logging
import operator
import re
from functools import reduce

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.db.models import Q
from django.shortcuts import render
from django.utils.translation import gettext as _

from apps.accounts.models import Role, User
from apps.accounts.services import USERNAME_RE, create_user
from apps.core.errors import Conflict

logger = logging.getLogger(__name__)
USERNAME_MAX = 150
# Tries at a free username for a newcomer when others sign up at the same moment.
SIGNUP_ATTEMPTS = 5
# Characters a username may not hold become "-" (see services.USERNAME_RE).
_NOT_USERNAME = re.compile(r"[^A-Za-z0-9_-]+")


class ClosedSignupAccountAdapter(DefaultAccountAdapter):
    """Nobody signs up on their own: organization admins create users."""

    def is_open_for_signup(self, request):
        return False


class LoamSocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(self, request, provider=None, client_id=None):
        # Providers come only from the environment: apps stored in the database are ignored.
        apps = super().list_apps(request, provider=provider, client_id=client_id)
        return [app for app in apps if app.pk is None]

    def is_open_for_signup(self, request, sociallogin):
        # pre_social_login makes the new users itself; allauth's signup form never shows.
        return False

    def pre_social_login(self, request, sociallogin):
        if sociallogin.is_existing:
            return  # linked before (allauth still refuses a deactivated user)
        emails = _verified_emails(sociallogin)
        if not emails:
            raise ImmediateHttpResponse(_refusal(request, sociallogin, "unverified"))
        matches = list(User.objects.filter(_any_of(emails))[:2])
        if len(matches) > 1:
            raise ImmediateHttpResponse(_refusal(request, sociallogin, "ambiguous", emails))
        with transaction.atomic():
            if matches:
                user = matches[0]
            elif settings.LOAM_SSO_OPEN_SIGNUP:
                user = _new_annotator(sociallogin, emails[0])
            else:
                raise ImmediateHttpResponse(_refusal(request, sociallogin, "unknown", emails))
            sociallogin.connect(request, user)


def _verified_emails(sociallogin) -> list[str]:
    """The addresses the provider vouches for, the primary one first."""
    addresses = sorted(sociallogin.email_addresses, key=lambda address: not address.primary)
    return [address.email.strip() for address in addresses if address.verified and address.email]


def _any_of(emails: list[str]) -> Q:
    # One query for every address, compared case-insensitively.
    return reduce(operator.or_, (Q(email__iexact=email) for email in emails))


def _new_annotator(sociallogin, email: str) -> User:
    proposed = sociallogin.user
    for attempt in range(SIGNUP_ATTEMPTS):
        try:
            user, _key, _created = create_user(
                username=_free_username(proposed.username, email),
                role=Role.ANNOTATOR,
                first_name=(proposed.first_name or "")[:150],
                last_name=(proposed.last_name or "")[:150],
                workspaces=list(settings.LOAM_SSO_SIGNUP_WORKSPACES),
            )
            break
        except Conflict:
            # Someone signing up alongside took the free name first: find the next one.
            if attempt == SIGNUP_ATTEMPTS - 1:
                raise
    user.email = email
    user.save(update_fields=["email"])
    return user


def _free_username(preferred: str | None, email: str) -> str:
    """The provider's username (or the e-mail's local part) in the form Loam accepts,
    with -2, -3… when taken."""
    base = _NOT_USERNAME.sub("-", preferred or email.split("@")[0]).lstrip("-_")
    base = base[: USERNAME_MAX - 10] or "user"
    if not USERNAME_RE.match(base):
        base = "user"
    taken = {
        name.lower()
        for name in User.objects.filter(username__istartswith=base).values_list(
            "username", flat=True
        )
    }
    candidate, number = base, 1
    while candidate.lower() in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def _refusal(request, sociallogin, reason: str, emails: list[str] = ()):
    provider = sociallogin.provider.name
    logger.info("SSO sign-in refused (%s) via %s for %s", reason, provider, emails or "-")
    # A failed sign-in, as Django reports a wrong password: for whoever keeps count.
    user_login_failed.send(
        sender=__name__,
        credentials={"provider": sociallogin.account.provider, "emails": list(emails)},
        request=request,
    )
    address = ", ".join(emails)
    messages = {
        "unverified": _(
            "%(provider)s did not confirm a verified e-mail address for you, so Loam cannot "
            "tell which account is yours. Verify your e-mail address with %(provider)s, or "
            "ask an admin of your organization."
        ),
        "unknown": _(
            "No Loam account has the e-mail address %(address)s. Ask an admin of your "
            "organization to create your account with this address, then sign in again."
        ),
        "ambiguous": _(
            "More than one Loam account has the e-mail address %(address)s. Ask an admin of "
            "your organization to keep it on one account only."
        ),
    }
    message = messages[reason] % {"provider": provider, "address": address}
    context = {"message": message, "provider": provider, "reason": reason}
    return render(request, "account/sso_refused.html", context, status=403)

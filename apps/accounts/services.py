"""Creating users: one service for the management command, the admin and the API.

Workspaces build on accounts (the layers in pyproject.toml), so the memberships a new user
gets are the workspaces app's half, plugged in by `WorkspacesConfig.ready()` (`MEMBERSHIPS`).
"""

import re
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from apps.accounts import signals
from apps.accounts.models import ApiKey, Role, User, hash_api_key
from apps.core.errors import Conflict, Problems, ValidationFailed

# Argilla's server rule for usernames.
USERNAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-_]*$")


class MembershipsHook:
    """`valid_name(name)`: whether `name` may name a workspace; `join(user, names)`: make
    `user` a member of those workspaces, creating the missing ones, and return those."""

    valid_name = None
    join = None

    def connect(self, *, valid_name, join) -> None:
        self.valid_name, self.join = valid_name, join


MEMBERSHIPS = MembershipsHook()


def generate_password() -> str:
    return secrets.token_urlsafe(12)


@transaction.atomic
def create_user(
    *,
    username: str,
    role: str = Role.ANNOTATOR,
    password: str | None = None,
    api_key: str | None = None,
    first_name: str = "",
    last_name: str = "",
    workspaces: list[str] = (),
    check_password_strength: bool = False,
) -> tuple[User, str, list]:
    """Create a user with an API key (generated unless given) and workspace memberships.

    Missing workspaces are created. Returns (user, clear API key, workspaces created).
    """
    problems = Problems()
    if not isinstance(username, str) or not USERNAME_RE.match(username) or len(username) > 150:
        problems.add(
            ("username",),
            _(
                "%(name)r is not a valid username: start with a letter or digit, then use "
                "letters, digits, '-' and '_'."
            )
            % {"name": username},
        )
    if role not in Role.values:
        problems.add(
            ("role",),
            _("%(role)r is not a role; expected one of: %(roles)s.")
            % {"role": role, "roles": ", ".join(Role.values)},
        )
    if password is not None and check_password_strength:
        try:
            validate_password(password, User(username=username))
        except ValidationError as error:
            problems.add(("password",), " ".join(error.messages))
    if password is not None and not (8 <= len(password) <= 100):
        problems.add(("password",), _("The password must be 8 to 100 characters."))
    if api_key is not None and not api_key.strip():
        problems.add(("api_key",), _("The API key must not be empty."))
    for name in workspaces:
        if not MEMBERSHIPS.valid_name(name):
            problems.add(
                ("workspace",), _("%(name)r is not a valid workspace name.") % {"name": name}
            )
    problems.raise_if_any()
    if User.objects.filter(username=username).exists():
        raise _username_taken(username)
    if api_key and ApiKey.objects.filter(hashed_key=hash_api_key(api_key)).exists():
        raise Conflict.single(("api_key",), _("This API key is already in use; choose another."))

    user = User(username=username, role=role, first_name=first_name, last_name=last_name)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # taken by a request that ran alongside, after the check above
        raise _username_taken(username) from None
    _key, clear_key = ApiKey.issue(user=user, key=api_key, name="default")
    signals.user_created.send(sender=User, user=user)
    created = MEMBERSHIPS.join(user, list(workspaces)) if workspaces else []
    return user, clear_key, created


def _username_taken(username: str) -> Conflict:
    return Conflict.single(
        ("username",), _("A user named %(name)r already exists.") % {"name": username}
    )


# What listeners hear changed (`signals.user_updated`); a new password only as a fact.
_WATCHED = ("username", "first_name", "last_name", "email", "role", "is_active")


@transaction.atomic
def update_user(*, user: User, **changes) -> User:
    # The stored row, not `user`: the admin hands over an instance its form already changed.
    before = User.objects.filter(pk=user.pk).values(*_WATCHED).first() or {}
    for attribute in ("first_name", "last_name", "role"):
        if attribute in changes and changes[attribute] is not None:
            setattr(user, attribute, changes[attribute])
    if changes.get("password"):
        user.set_password(changes["password"])
    user.save()
    changed = {a: (old, getattr(user, a)) for a, old in before.items() if old != getattr(user, a)}
    if changes.get("password"):
        changed["password"] = ("…", "…")
    if changed:
        signals.user_updated.send(sender=User, user=user, changes=changed)
    return user


@transaction.atomic
def deactivate_user(*, user: User, actor: User) -> User:
    """The default way to remove someone: they can no longer sign in or use their API keys
    (Django's backends and `ApiKey.find_user` refuse inactive users); their answers stay."""
    if user.pk == actor.pk:
        raise Conflict.single(("id",), _("You cannot deactivate yourself."))
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active", "updated_at"])
        signals.user_deactivated.send(sender=User, user=user, actor=actor)
    return user


@transaction.atomic
def reactivate_user(*, user: User, actor: User) -> User:
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active", "updated_at"])
        signals.user_reactivated.send(sender=User, user=user, actor=actor)
    return user


def issue_api_key(*, user: User, name: str, revoke_others: bool = False) -> tuple[ApiKey, str]:
    """A new API key for `user` (the clear key is returned, to be shown once); with
    `revoke_others`, every older key of theirs stops working."""
    if revoke_others:
        ApiKey.objects.filter(user=user).delete()
    key, clear = ApiKey.issue(user=user, name=name)
    signals.api_key_issued.send(sender=User, user=user, name=name)
    return key, clear


@transaction.atomic
def delete_user(*, user: User, actor: User) -> None:
    """Delete for good: the user's answers go with them. `user_deleting` lets the apps above
    act first in this transaction (responses: delete them and recount their records'
    statuses, so no record stays completed on answers that are gone)."""
    if user.pk == actor.pk:
        raise Conflict.single(("id",), _("You cannot delete yourself."))
    signals.user_deleting.send(sender=User, user=user, actor=actor)
    user.delete()


def check_language(language: str) -> None:
    """`language` must be one Loam speaks, or "" (follow the browser)."""
    codes = [code for code, _name in settings.LANGUAGES]
    if language not in ["", *codes]:
        raise ValidationFailed.single(
            ("language",),
            _("%(language)r is not a language of Loam; choose one of: %(codes)s.")
            % {"language": language, "codes": ", ".join(codes)},
        )


def set_language(*, user: User, language: str) -> User:
    """Remember `user`'s interface language ("" follows the browser)."""
    check_language(language)
    user.language = language
    user.save(update_fields=["language", "updated_at"])
    return user

"""Tenant-scoped accessor for users: a user the caller may not see answers like a missing
one (NotFound)."""

from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.selectors import users_visible_to
from apps.core.access import NotFound, as_uuid


def access_user(caller: User, user_id) -> User:
    """A user `caller` may see (owners: everyone; admins: their workspaces' members and
    themselves; annotators: themselves)."""
    user = users_visible_to(caller).filter(pk=as_uuid(user_id)).first()
    if user is None:
        raise NotFound(_("User not found."))
    return user

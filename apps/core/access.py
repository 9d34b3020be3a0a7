"""What every app's accessors share: the one "not found" answer and id parsing.

Each app keeps its accessors in its own `access.py` (`workspaces`, `datasets`, `records`,
`responses`, `accounts`, `webhooks`): the only modules where an id from a request becomes an
object (`.ci/check_accessors.py` fails on a face that does it itself). An accessor filters by
the caller's workspaces in the query, so a missing object and someone else's object give
the same answer, `NotFound`; a member whose role is too weak gets `PermissionDenied`.
"""

import uuid

from django.http import Http404
from django.utils.translation import gettext as _


class NotFound(Http404):
    pass


def as_uuid(value) -> uuid.UUID:
    """`value` as a UUID; anything else is NotFound (an id that cannot exist)."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise NotFound(_("Not found.")) from None

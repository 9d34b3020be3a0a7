"""Tenant-scoped accessor for responses: any member answers for themselves; annotators
touch only their own responses, owners and admins of the workspace any of them."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.access import NotFound, as_uuid
from apps.datasets.access import datasets_for
from apps.responses.models import Response


def access_response(user: User, response_id) -> Response:
    """A response on a dataset `user` can see (else NotFound), and theirs unless they
    manage the workspace (else PermissionDenied)."""
    response = (
        Response.objects.filter(record__dataset__in=datasets_for(user), pk=as_uuid(response_id))
        .select_related("record__dataset")
        .first()
    )
    if response is None:
        raise NotFound(_("Response not found."))
    if response.user_id != user.pk and not user.is_manager:
        raise PermissionDenied(_("You can only change your own responses."))
    return response

"""Tenant-scoped accessors for workspaces, and the rule every app's accessors share.

"Owner, or admin of this workspace" is two halves: the workspace is one of the caller's
(`workspaces_for`: membership, or every workspace for an owner), filtered in the query so
that a missing object and someone else's look the same (NotFound); and the caller's role
manages (`User.is_manager`), else PermissionDenied. `check_need` is the role half for an
object already found through the membership filter; `managed_workspaces_for` is both.
"""

from typing import Literal

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.access import NotFound, as_uuid
from apps.workspaces.models import Workspace

# "view": any member; "annotate": a member, on a dataset open for annotation (published);
# "manage": an owner, or an admin of the workspace.
Need = Literal["view", "annotate", "manage"]

__all__ = [
    "Need",
    "NotFound",
    "access_workspace",
    "as_uuid",
    "check_need",
    "managed_workspaces_for",
    "workspaces_for",
]


def workspaces_for(user: User) -> QuerySet[Workspace]:
    """Workspaces `user` belongs to (all of them for an owner)."""
    if not user.is_authenticated or not user.is_active:
        return Workspace.objects.none()
    if user.is_owner:
        return Workspace.objects.all()
    return Workspace.objects.filter(memberships__user=user)


def managed_workspaces_for(user: User) -> QuerySet[Workspace]:
    """Workspaces whose settings and data `user` may change (owners: all; admins: theirs)."""
    if user.is_authenticated and user.is_manager:
        return workspaces_for(user)
    return Workspace.objects.none()


def check_need(user: User, need: Need, message=None) -> None:
    """The role half of the rule, for an object found through `workspaces_for`'s filter.

    `annotate` asks no more of the role than `view` (every member annotates); what it adds
    is the dataset's, checked by `apps.datasets.access`.
    """
    if need == "manage" and not user.is_manager:
        raise PermissionDenied(message or _("Only owners and admins can change this."))


def access_workspace(user: User, workspace_id, *, need: Need = "view") -> Workspace:
    workspace = workspaces_for(user).filter(pk=as_uuid(workspace_id)).first()
    if workspace is None:
        raise NotFound(_("Workspace not found."))
    check_need(user, need)
    return workspace

"""Tenant-scoped accessors: the only way any face turns an id into an object.

The workspace filter is part of the query, so a missing object and someone else's object
look the same (NotFound). A member whose role is too weak for the action gets
PermissionDenied. Owners see everything.
"""

import uuid
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from apps.accounts.models import Role, User
from apps.datasets.models import Dataset
from apps.workspaces.models import Workspace

Need = Literal["view", "annotate", "manage"]


class NotFound(Http404):
    pass


def workspaces_for(user: User) -> QuerySet[Workspace]:
    """Workspaces `user` belongs to (all of them for an owner)."""
    if not user.is_authenticated or not user.is_active:
        return Workspace.objects.none()
    if user.role == Role.OWNER:
        return Workspace.objects.all()
    return Workspace.objects.filter(memberships__user=user)


def managed_workspaces_for(user: User) -> QuerySet[Workspace]:
    """Workspaces whose settings and data `user` may change (owners: all; admins: theirs)."""
    if user.is_authenticated and user.role in (Role.OWNER, Role.ADMIN):
        return workspaces_for(user)
    return Workspace.objects.none()


def datasets_for(user: User) -> QuerySet[Dataset]:
    if not user.is_authenticated or not user.is_active:
        return Dataset.objects.none()
    if user.role == Role.OWNER:
        return Dataset.objects.all()
    return Dataset.objects.filter(workspace__memberships__user=user)


def _check_need(user: User, need: Need) -> None:
    if need == "manage" and user.role not in (Role.OWNER, Role.ADMIN):
        raise PermissionDenied(_("Only owners and admins can change this."))


def as_uuid(value) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise NotFound(_("Not found.")) from None


def access_workspace(user: User, workspace_id, *, need: Need = "view") -> Workspace:
    workspace = workspaces_for(user).filter(pk=as_uuid(workspace_id)).first()
    if workspace is None:
        raise NotFound(_("Workspace not found."))
    _check_need(user, need)
    return workspace


def access_dataset(user: User, dataset_id, *, need: Need = "view") -> Dataset:
    dataset = datasets_for(user).select_related("workspace").filter(pk=as_uuid(dataset_id)).first()
    if dataset is None:
        raise NotFound(_("Dataset not found."))
    _check_need(user, need)
    return dataset


def access_dataset_child(user: User, model, child_id, *, need: Need = "view"):
    """A field, question, metadata property or vector settings of a dataset `user` can see.

    Scoped in the query like `access_dataset`: a missing child and another tenant's child
    are both NotFound.
    """
    child = (
        model.objects.select_related("dataset__workspace")
        .filter(pk=as_uuid(child_id), dataset__in=datasets_for(user))
        .first()
    )
    if child is None:
        raise NotFound(_("Not found."))
    _check_need(user, need)
    return child

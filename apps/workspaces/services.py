"""Workspaces and their members: one implementation for the API, the admin and commands."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.errors import Conflict, ValidationFailed
from apps.workspaces import signals
from apps.workspaces.models import Workspace, WorkspaceMember, workspace_name_validator


def _clean_name(name) -> str:
    from django.core.exceptions import ValidationError

    if not isinstance(name, str) or not name:
        raise ValidationFailed.single(("name",), _("A workspace name is required."))
    try:
        workspace_name_validator(name)
    except ValidationError:
        raise ValidationFailed.single(
            ("name",),
            _("%(name)r is not a valid workspace name: use letters, digits, '-' and '_'.")
            % {"name": name},
        ) from None
    if len(name) > 200:
        raise ValidationFailed.single(("name",), _("The name must be at most 200 characters."))
    return name


@transaction.atomic
def create_workspace(*, name: str) -> Workspace:
    name = _clean_name(name)
    if Workspace.objects.filter(name=name).exists():
        raise Conflict.single(("name",), _("Workspace %(name)r already exists.") % {"name": name})
    try:
        with transaction.atomic():
            return Workspace.objects.create(name=name)
    except IntegrityError:
        raise Conflict.single(
            ("name",), _("Workspace %(name)r already exists.") % {"name": name}
        ) from None


def check_deletable(*, workspace: Workspace) -> None:
    """Only an empty workspace can go: deleting one must never take datasets with it."""
    if workspace.datasets.exists():
        raise Conflict.single(
            ("workspace",), _("Delete the workspace's datasets before the workspace.")
        )


@transaction.atomic
def delete_workspace(*, workspace: Workspace) -> None:
    """Delete an empty workspace (`check_deletable`), with its memberships."""
    check_deletable(workspace=workspace)
    workspace.delete()


@transaction.atomic
def add_member(*, workspace: Workspace, user: User) -> WorkspaceMember:
    if WorkspaceMember.objects.filter(workspace=workspace, user=user).exists():
        raise Conflict.single(
            ("user_id",),
            _("%(user)s is already a member of %(workspace)s.")
            % {"user": user.username, "workspace": workspace.name},
        )
    member = WorkspaceMember.objects.create(workspace=workspace, user=user)
    signals.member_added.send(sender=WorkspaceMember, workspace=workspace, user=user)
    return member


@transaction.atomic
def remove_member(*, workspace: Workspace, user: User) -> None:
    deleted, _count = WorkspaceMember.objects.filter(workspace=workspace, user=user).delete()
    if not deleted:
        from apps.core.access import NotFound

        raise NotFound(_("This user is not a member of the workspace."))
    signals.member_removed.send(sender=WorkspaceMember, workspace=workspace, user=user)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspacesConfig(AppConfig):
    name = "apps.workspaces"
    label = "workspaces"
    verbose_name = _("Workspaces")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Accounts sit below workspaces and name none of their modules: a new user's
        # memberships (`accounts.services.create_user`) are plugged in here.
        from apps.accounts.services import MEMBERSHIPS

        MEMBERSHIPS.connect(valid_name=_valid_name, join=_join)


def _valid_name(name) -> bool:
    from django.core.exceptions import ValidationError

    from apps.workspaces.models import workspace_name_validator

    try:
        workspace_name_validator(name)
    except ValidationError:
        return False
    return True


def _join(user, names: list[str]) -> list:
    """Make `user` a member of the workspaces `names`, creating the missing ones (returned)."""
    from apps.workspaces import signals
    from apps.workspaces.models import Workspace, WorkspaceMember

    created = []
    for name in names:
        workspace, was_created = Workspace.objects.get_or_create(name=name)
        if was_created:
            created.append(workspace)
        _member, joined = WorkspaceMember.objects.get_or_create(workspace=workspace, user=user)
        if joined:
            signals.member_added.send(sender=WorkspaceMember, workspace=workspace, user=user)
    return created

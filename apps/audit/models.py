"""The audit trail: one row per thing someone did, never changed afterwards.

Who, where and what are copied onto the row (the actor's username, the workspace's and the
dataset's ids and names, the target's label), not referenced by cascading keys: an entry
about a dataset or a person outlives them, and deleting them never deletes (or rewrites)
what was recorded about them. The one link is `actor`, kept for the admin's filter by
person; it goes null when that person is hard-deleted (their username stays).

Rows are only ever inserted; `save()` on a stored row, `delete()` and the queryset's
`update()`/`delete()` refuse, and so does the database (a trigger, migration 0002), raw SQL
included. The one exception is the retention prune (`AuditEntry.objects.prune`).
"""

import uuid

from django.conf import settings
from django.db import connections, models, transaction
from django.utils import timezone
from django.utils.translation import pgettext_lazy

WHEN_FORMAT = "%Y-%m-%d %H:%M:%S"  # to the second: an audit is read in order


class Face(models.TextChoices):
    API = "api", pgettext_lazy("audit", "API")
    WEB = "web", pgettext_lazy("audit", "Web app")
    ADMIN = "admin", pgettext_lazy("audit", "Admin")
    COMMAND = "command", pgettext_lazy("audit", "Command")


class Action(models.TextChoices):
    DATASET_CREATED = "dataset.created", pgettext_lazy("audit", "Dataset created")
    DATASET_UPDATED = "dataset.updated", pgettext_lazy("audit", "Dataset updated")
    DATASET_PUBLISHED = "dataset.published", pgettext_lazy("audit", "Dataset published")
    DATASET_DELETED = "dataset.deleted", pgettext_lazy("audit", "Dataset deleted")
    SETTING_ADDED = "dataset.setting_added", pgettext_lazy("audit", "Dataset setting added")
    SETTING_UPDATED = "dataset.setting_updated", pgettext_lazy("audit", "Dataset setting changed")
    SETTING_DELETED = "dataset.setting_deleted", pgettext_lazy("audit", "Dataset setting deleted")
    RECORDS_DELETED = "records.deleted", pgettext_lazy("audit", "Records deleted")
    USER_CREATED = "user.created", pgettext_lazy("audit", "User created")
    USER_UPDATED = "user.updated", pgettext_lazy("audit", "User updated")
    USER_ROLE_CHANGED = "user.role_changed", pgettext_lazy("audit", "User role changed")
    USER_DEACTIVATED = "user.deactivated", pgettext_lazy("audit", "User deactivated")
    USER_REACTIVATED = "user.reactivated", pgettext_lazy("audit", "User reactivated")
    USER_DELETED = "user.deleted", pgettext_lazy("audit", "User deleted")
    API_KEY_ISSUED = "user.api_key_issued", pgettext_lazy("audit", "API key issued")
    MEMBER_ADDED = "membership.added", pgettext_lazy("audit", "Workspace member added")
    MEMBER_REMOVED = "membership.removed", pgettext_lazy("audit", "Workspace member removed")
    WEBHOOK_CREATED = "webhook.created", pgettext_lazy("audit", "Webhook created")
    WEBHOOK_UPDATED = "webhook.updated", pgettext_lazy("audit", "Webhook updated")
    WEBHOOK_DELETED = "webhook.deleted", pgettext_lazy("audit", "Webhook deleted")
    EXPORT_DOWNLOADED = "export.downloaded", pgettext_lazy("audit", "Export downloaded")
    SIGNED_IN = "auth.signed_in", pgettext_lazy("audit", "Signed in")
    SIGN_IN_FAILED = "auth.sign_in_failed", pgettext_lazy("audit", "Sign-in failed")


class AppendOnly(Exception):
    """An audit entry cannot be changed or deleted (only pruned by age)."""


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("Audit entries are never changed.")

    def delete(self):
        raise AppendOnly("Audit entries are only removed by the retention prune.")

    def prune(self, *, older_than) -> int:
        """Delete the entries recorded before `older_than` (the retention setting's job):
        the one delete the database lets through (migration 0002), in its own transaction."""
        with transaction.atomic(using=self.db):
            with connections[self.db].cursor() as cursor:
                cursor.execute("SET LOCAL loam.audit_prune = 'on'")
            deleted = models.QuerySet.delete(self.filter(at__lt=older_than))[0]
            with connections[self.db].cursor() as cursor:
                cursor.execute("SET LOCAL loam.audit_prune = 'off'")
        return deleted


class AuditEntry(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    at = models.DateTimeField(pgettext_lazy("audit", "when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=pgettext_lazy("audit", "actor"),
    )
    # A copy: the entry still says who once the person is deleted.
    actor_username = models.CharField(
        pgettext_lazy("audit", "actor's username"), max_length=150, blank=True
    )
    face = models.CharField(pgettext_lazy("audit", "face"), max_length=16, choices=Face.choices)
    action = models.CharField(
        pgettext_lazy("audit", "action"), max_length=40, choices=Action.choices
    )
    # Ids and names, not keys: the entry outlives the workspace and the dataset.
    workspace_id = models.UUIDField(pgettext_lazy("audit", "workspace id"), null=True, blank=True)
    workspace_name = models.CharField(
        pgettext_lazy("audit", "workspace"), max_length=200, blank=True
    )
    dataset_id = models.UUIDField(pgettext_lazy("audit", "dataset id"), null=True, blank=True)
    dataset_name = models.CharField(pgettext_lazy("audit", "dataset"), max_length=200, blank=True)
    target_type = models.CharField(pgettext_lazy("audit", "target type"), max_length=40, blank=True)
    target_id = models.CharField(pgettext_lazy("audit", "target id"), max_length=64, blank=True)
    target_label = models.CharField(pgettext_lazy("audit", "target"), max_length=300, blank=True)
    details = models.JSONField(pgettext_lazy("audit", "details"), default=dict, blank=True)
    ip = models.GenericIPAddressField(pgettext_lazy("audit", "IP address"), null=True, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("audit", "audit entry")
        verbose_name_plural = pgettext_lazy("audit", "audit entries")
        ordering = ["-at"]
        # The admin's filters, each with the list's order (newest first).
        indexes = [
            models.Index(fields=["actor", "-at"], name="audit_actor_at"),
            models.Index(fields=["action", "-at"], name="audit_action_at"),
            models.Index(fields=["dataset_id", "-at"], name="audit_dataset_at"),
            models.Index(fields=["workspace_id", "-at"], name="audit_workspace_at"),
        ]

    def __str__(self) -> str:
        when = timezone.localtime(self.at).strftime(WHEN_FORMAT)
        return f"{when} · {self.actor_username or '—'} · {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly("Audit entries are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("Audit entries are only removed by the retention prune.")

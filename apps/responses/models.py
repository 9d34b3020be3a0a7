"""An annotator's answer to a record: one per (record, user), draft until submitted."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.records.models import Record


class ResponseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    DISCARDED = "discarded", _("Discarded")


class Response(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    record = models.ForeignKey(
        Record, on_delete=models.CASCADE, related_name="responses", verbose_name=_("record")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="responses",
        verbose_name=_("user"),
    )
    # {question_name: {"value": ...}}; never null on the wire, so never null here.
    values = models.JSONField(_("values"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ResponseStatus.choices)
    # Seconds the annotator was active on the record (visible tab, not idle), measured in
    # the browser and summed over every save; 0 where nothing measured it (API, bulk).
    active_seconds = models.PositiveIntegerField(_("active seconds"), default=0, db_default=0)
    inserted_at = models.DateTimeField(_("inserted at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["inserted_at"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(fields=["record", "user"], name="uniq_response_per_user")
        ]
        indexes = [
            # Status recomputation counts submitted responses per record.
            models.Index(fields=["record", "status"], name="response_record_status"),
            # "My progress" and "my response status" filters.
            models.Index(fields=["user", "status"], name="response_user_status"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.record} ({self.status})"

"""Webhooks (Argilla's): a URL subscribed to events, and the deliveries queued for it."""

import uuid

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    DATASET_CREATED = "dataset.created"
    DATASET_UPDATED = "dataset.updated"
    DATASET_DELETED = "dataset.deleted"
    DATASET_PUBLISHED = "dataset.published"
    RECORD_CREATED = "record.created"
    RECORD_UPDATED = "record.updated"
    RECORD_DELETED = "record.deleted"
    RECORD_COMPLETED = "record.completed"
    RESPONSE_CREATED = "response.created"
    RESPONSE_UPDATED = "response.updated"
    RESPONSE_DELETED = "response.deleted"


# Not an event anyone subscribes to: what POST /webhooks/{id}/ping sends.
PING = "ping"


class Webhook(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    url = models.CharField(_("URL"), max_length=2048)
    events = ArrayField(
        models.CharField(max_length=32, choices=Event.choices), verbose_name=_("events")
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    description = models.TextField(_("description"), null=True, blank=True, max_length=1000)
    # Kept in clear: every delivery is signed with it (Standard Webhooks, `whsec_<base64>`).
    secret = models.CharField(_("secret"), max_length=100, editable=False)
    inserted_at = models.DateTimeField(_("inserted at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["inserted_at"]
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self) -> str:
        return self.url


class PendingEvent(models.Model):
    """Events committed but not yet expanded into deliveries. The request that caused them
    writes this one small row; a worker builds the payloads and one delivery per (event,
    webhook). As in Argilla, created/updated/completed events name their records or responses
    and the worker reads them (as they are then; one deleted meanwhile is skipped), while
    deleted events and dataset events carry their payloads, taken at the commit.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    event = models.CharField(_("event"), max_length=32)
    webhook_ids = ArrayField(models.UUIDField(), verbose_name=_("webhooks"))
    # JSON as text (written and read whole, never queried): {"items": [payload, …]},
    # {"records": [id, …]} or {"responses": [[record id, user id], …]}.
    source = models.TextField(_("source"))
    occurred_at = models.DateTimeField(_("occurred at"))

    class Meta:
        ordering = ["occurred_at"]
        verbose_name = _("pending event")
        verbose_name_plural = _("pending events")

    def __str__(self) -> str:
        return self.event


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    DELIVERED = "delivered", _("delivered")
    FAILED = "failed", _("failed")


class Delivery(models.Model):
    """One event for one webhook; retried until delivered or given up."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    webhook = models.ForeignKey(
        Webhook,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("webhook"),
        db_index=False,  # the indexes below start with it: one less to write per event
    )
    # The `webhook-id` header: the same on every attempt, so receivers can de-duplicate.
    event_id = models.UUIDField(_("event id"))
    event = models.CharField(_("event"), max_length=32)
    # The exact bytes signed and sent, encoded once when the event happened.
    body = models.TextField(_("body"))
    status = models.CharField(
        _("status"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    response_status = models.PositiveIntegerField(_("response status"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True, default="")
    inserted_at = models.DateTimeField(_("inserted at"), default=timezone.now)

    class Meta:
        ordering = ["-inserted_at"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [
            # The worker's question: this webhook's oldest pending delivery.
            models.Index(
                fields=["webhook", "inserted_at", "id"],
                condition=models.Q(status="pending"),
                name="delivery_pending_per_webhook",
            ),
            # The admin's recent deliveries of a webhook (and the cascade on delete).
            models.Index(fields=["webhook", "inserted_at"], name="delivery_per_webhook"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.webhook_id}"

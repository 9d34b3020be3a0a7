"""Reads of webhooks. Webhooks belong to the whole installation, not a workspace (as in
Argilla): owners see them all, nobody else any."""

from django.db.models import QuerySet

from apps.accounts.models import User
from apps.webhooks.models import Webhook
from apps.workspaces.access import NotFound, as_uuid


def webhooks_for(user: User) -> QuerySet[Webhook]:
    if user.is_authenticated and user.is_active and user.is_owner:
        return Webhook.objects.order_by("inserted_at")
    return Webhook.objects.none()


def access_webhook(user: User, webhook_id) -> Webhook:
    """The webhook, or NotFound (404) when missing or not the caller's to see."""
    webhook = webhooks_for(user).filter(pk=as_uuid(webhook_id)).first()
    if webhook is None:
        raise NotFound()
    return webhook

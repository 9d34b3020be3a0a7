"""Tenant-scoped accessor for webhooks. Webhooks belong to the whole installation, not a
workspace (as in Argilla): owners reach them all, anyone else none (NotFound)."""

from apps.accounts.models import User
from apps.core.access import NotFound, as_uuid
from apps.webhooks.models import Webhook
from apps.webhooks.selectors import webhooks_for


def access_webhook(user: User, webhook_id) -> Webhook:
    """The webhook, or NotFound (404) when missing or not the caller's to see."""
    webhook = webhooks_for(user).filter(pk=as_uuid(webhook_id)).first()
    if webhook is None:
        raise NotFound()
    return webhook

"""Reads of webhooks. Webhooks belong to the whole installation, not a workspace (as in
Argilla): owners see them all, nobody else any. Ids become webhooks in `access.py`."""

from django.db.models import QuerySet

from apps.accounts.models import User
from apps.webhooks.models import Webhook


def webhooks_for(user: User) -> QuerySet[Webhook]:
    if user.is_authenticated and user.is_active and user.is_owner:
        return Webhook.objects.order_by("inserted_at")
    return Webhook.objects.none()

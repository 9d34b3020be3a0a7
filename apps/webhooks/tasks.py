"""The delivery task (django-tasks): `manage.py db_worker` runs it."""

import logging

from django_tasks import task
from django_tasks.exceptions import InvalidTaskError

logger = logging.getLogger(__name__)


@task()
def deliver_webhook(webhook_id: str) -> int:
    from apps.webhooks.delivery import deliver_pending

    return deliver_pending(webhook_id)


def enqueue_delivery(webhook_id, *, run_after=None) -> None:
    """Have a worker send the webhook's due deliveries (at `run_after`, for a retry)."""
    chosen = deliver_webhook if run_after is None else deliver_webhook.using(run_after=run_after)
    try:
        chosen.enqueue(str(webhook_id))
    except InvalidTaskError:
        # A backend that cannot defer (the immediate one, in tests): the retry waits for the
        # next event of this webhook, or for a direct call of deliver_pending.
        logger.warning("Task backend cannot defer: retry of webhook %s not scheduled", webhook_id)

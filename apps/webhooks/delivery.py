"""Sending a webhook's deliveries: in order, at least once, with exponential backoff.

One worker at a time per webhook (a PostgreSQL advisory lock), which sends the pending
deliveries oldest first. A delivery that fails with a network error, a 5xx or a 429 is tried
again later, and the webhook's later deliveries wait behind it, so a receiver sees events in
the order they happened; after the last try (about a day) it is given up and the next one goes.
Any other answer (a 4xx, a redirect) is final. A disabled webhook's pending deliveries are
dropped; a deleted webhook's are gone with it (cascade), so sending stops at once.
"""

import uuid
from datetime import datetime, timedelta

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.webhooks import sender
from apps.webhooks.events import expand_pending
from apps.webhooks.models import Delivery, DeliveryStatus, Webhook

# Waits before the 2nd, 3rd, … try: 10 s × 3ⁿ, 27 hours in all over 10 tries.
BACKOFF = [timedelta(seconds=10 * 3**n) for n in range(9)]
MAX_ATTEMPTS = len(BACKOFF) + 1


def _lock_key(webhook_id: uuid.UUID) -> int:
    return (webhook_id.int >> 65) - (1 << 62)  # fits PostgreSQL's signed bigint


def _try_lock(key: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        return cursor.fetchone()[0]


def _unlock(key: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


def _next_pending(webhook_id) -> Delivery | None:
    return (
        Delivery.objects.filter(webhook_id=webhook_id, status=DeliveryStatus.PENDING)
        .order_by("inserted_at", "id")
        .first()
    )


def attempt(webhook: Webhook, delivery: Delivery, now: datetime) -> bool:
    """One try; True if delivered. Records the outcome and, on failure, when to try again."""
    outcome = sender.post(
        url=webhook.url,
        secret=webhook.secret,
        msg_id=str(delivery.event_id),
        body=delivery.body.encode(),
    )
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.response_status = outcome.status
    delivery.error = outcome.error
    if outcome.delivered:
        delivery.status = DeliveryStatus.DELIVERED
    elif outcome.retryable and delivery.attempts < MAX_ATTEMPTS:
        delivery.next_attempt_at = now + BACKOFF[delivery.attempts - 1]
    else:
        delivery.status = DeliveryStatus.FAILED
    fields = ["attempts", "last_attempt_at", "response_status", "error", "status"]
    # Only if still there: a webhook deleted meanwhile took its deliveries with it.
    Delivery.objects.filter(pk=delivery.pk).update(
        **{name: getattr(delivery, name) for name in [*fields, "next_attempt_at"]}
    )
    return outcome.delivered


def _drain(webhook_id: uuid.UUID, now: datetime | None) -> int:
    from apps.webhooks.tasks import enqueue_delivery

    delivered = 0
    while True:
        webhook = Webhook.objects.filter(pk=webhook_id).first()
        delivery = _next_pending(webhook_id) if webhook is not None else None
        if delivery is None:
            return delivered
        if not webhook.enabled:
            Delivery.objects.filter(webhook_id=webhook_id, status=DeliveryStatus.PENDING).update(
                status=DeliveryStatus.FAILED, error=_("The webhook is disabled.")
            )
            return delivered
        moment = now or timezone.now()
        if delivery.next_attempt_at > moment:
            return delivered  # its retry is already scheduled
        if attempt(webhook, delivery, moment):
            delivered += 1
        elif delivery.status == DeliveryStatus.PENDING:
            enqueue_delivery(webhook_id, run_after=delivery.next_attempt_at)
            return delivered


def deliver_pending(webhook_id, *, now: datetime | None = None) -> int:
    """Send the webhook's due deliveries, oldest first; returns how many were delivered.

    Stops at the first delivery not due yet (a retry is scheduled for it) or failing now.
    `now` is for tests that play a clock forward; it is otherwise the time of each try.
    """
    webhook_id = uuid.UUID(str(webhook_id))
    expand_pending()  # events committed since: their deliveries, in order, before sending
    key = _lock_key(webhook_id)
    delivered = 0
    while True:
        if not _try_lock(key):
            return delivered  # another worker is sending this webhook's deliveries
        try:
            delivered += _drain(webhook_id, now)
        finally:
            _unlock(key)
        # Deliveries written while the lock was held were enqueued to a worker that found it
        # taken and left: look once more, so none waits for the next event.
        head = _next_pending(webhook_id)
        if head is None or head.next_attempt_at > (now or timezone.now()):
            return delivered

"""Every write to webhooks, shared by the API and the admin: validated, one transaction each."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.errors import Problems
from apps.webhooks import events as webhook_events
from apps.webhooks import signals, signing, targets
from apps.webhooks.models import PING, Delivery, DeliveryStatus, Event, Webhook

_UNSET = object()
MAX_DESCRIPTION = 1000


def clean_url(problems: Problems, url) -> None:
    if not isinstance(url, str) or not url.strip():
        problems.add(("url",), _("A URL is required."))
        return
    if len(url) > 2048:
        problems.add(("url",), _("The URL must be at most 2048 characters."))
        return
    try:
        targets.check(url)
    except targets.UnsafeTarget as error:
        problems.add(("url",), str(error))


def clean_events(problems: Problems, events) -> list[str]:
    if not isinstance(events, list) or not events:
        problems.add(("events",), _("Give at least one event."))
        return []
    known = set(Event.values)
    for index, event in enumerate(events):
        # A value from a request body may be any JSON value (an object is unhashable).
        if not isinstance(event, str) or event not in known:
            problems.add(
                ("events", index),
                _("%(event)r is not an event; use one of: %(known)s.")
                % {"event": event, "known": ", ".join(Event.values)},
            )
    if len(set(map(str, events))) != len(events):
        problems.add(("events",), _("Each event may appear only once."))
    return [str(event) for event in events]


def clean_description(problems: Problems, description) -> str | None:
    if description is None:
        return None
    if not isinstance(description, str) or not 1 <= len(description) <= MAX_DESCRIPTION:
        problems.add(
            ("description",),
            _("The description must be null or 1 to %(n)d characters.") % {"n": MAX_DESCRIPTION},
        )
    return description


@transaction.atomic
def create_webhook(*, url: str, events: list, description: str | None = None) -> Webhook:
    """A new, enabled webhook with a secret generated here (returned to the owner)."""
    problems = Problems()
    clean_url(problems, url)
    events = clean_events(problems, events)
    description = clean_description(problems, description)
    problems.raise_if_any()
    webhook = Webhook.objects.create(
        url=url, events=events, description=description, secret=signing.new_secret()
    )
    signals.webhook_created.send(sender=Webhook, webhook=webhook)
    return webhook


@transaction.atomic
def update_webhook(
    *, webhook: Webhook, url=_UNSET, events=_UNSET, enabled=_UNSET, description=_UNSET
) -> Webhook:
    """Change what was sent; the secret never changes."""
    problems = Problems()
    if url is not _UNSET:
        clean_url(problems, url)
    if events is not _UNSET:
        events = clean_events(problems, events)
    if enabled is not _UNSET and not isinstance(enabled, bool):
        problems.add(("enabled",), _("enabled must be true or false."))
    if description is not _UNSET:
        description = clean_description(problems, description)
    problems.raise_if_any()
    changes = {"url": url, "events": events, "enabled": enabled, "description": description}
    before = {a: getattr(webhook, a) for a, value in changes.items() if value is not _UNSET}
    for attribute in before:
        setattr(webhook, attribute, changes[attribute])
    webhook.save()
    changed = {a: (old, getattr(webhook, a)) for a, old in before.items() if old != changes[a]}
    signals.webhook_updated.send(sender=Webhook, webhook=webhook, changes=changed)
    return webhook


@transaction.atomic
def delete_webhook(*, webhook: Webhook) -> None:
    """Its pending deliveries go with it: nothing more is sent."""
    signals.webhook_deleting.send(sender=Webhook, webhook=webhook)
    webhook.delete()


def ping_webhook(*, webhook: Webhook) -> None:
    """Queue a `ping` event for this webhook alone (a disabled webhook drops it, like any)."""
    data = [{"agent": "loam", "version": _version(), "timestamp": timezone.now()}]
    webhook_events.publish(PING, data, webhook_ids=[webhook.pk])


def _version() -> str:
    from django.conf import settings

    return settings.LOAM_VERSION


@transaction.atomic
def prune_deliveries(*, older_than) -> int:
    """Forget finished deliveries (delivered or given up) inserted before `older_than`;
    pending ones stay. Returns how many were deleted."""
    finished = Delivery.objects.filter(inserted_at__lt=older_than).exclude(
        status=DeliveryStatus.PENDING
    )
    return finished.delete()[0]

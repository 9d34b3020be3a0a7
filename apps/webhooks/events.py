"""Emitting events: the domain apps' signals (`datasets.signals`, `records.signals`,
`responses.signals`) reach the receivers at the end of this module, connected in
`WebhooksConfig.ready()`, inside the writing transaction; the events are queued only once
it commits (never for work that was rolled back). The domain apps sit below webhooks and
name none of its modules; another listener (the audit trail of issue 18) connects to the
same signals the same way.

After the commit, one query asks which enabled webhooks listen to the event; with none, that
is all it costs. Otherwise one small PendingEvent row is written and one delivery task per
webhook is enqueued. The worker expands the row: it reads the records or responses it names
(one query; deleted and dataset events carry their payloads, taken at the commit), writes one
delivery per (event, webhook) with COPY, and sends them. So a 500-record request pays one
small row and one task; 5,000 events are 5,000 deliveries, not 5,000 tasks.
"""

import os
import threading
import uuid
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from datetime import timedelta

import orjson
from django.db import connection, transaction
from django.utils import timezone

from apps.records.bulk import insert_rows
from apps.webhooks import payloads
from apps.webhooks.models import Delivery, Event, PendingEvent, Webhook

Items = list[dict] | Callable[[], list[dict]]


def emit(event: str, items: Items = None, *, records=None, responses=None) -> None:
    """Queue `event` for its webhooks once the current transaction commits: `items` are the
    payloads (or a function building them, called only if a webhook listens); `records`
    (ids) or `responses` ((record id, user id) pairs) are read when the worker expands them.
    """

    def queue_event():  # a named function: Django logs a robust callback's failure by name
        if items is not None:
            queue(event, lambda: {"items": items() if callable(items) else items})
        elif records:
            queue(event, lambda: {"records": list(records)})
        elif responses:
            queue(event, lambda: {"responses": [list(pair) for pair in responses]})

    transaction.on_commit(queue_event, robust=True)


def listeners(event: str) -> list[uuid.UUID]:
    return list(
        Webhook.objects.filter(enabled=True, events__contains=[event]).values_list("pk", flat=True)
    )


# Deliveries are sent in inserted_at order; a process never reuses an instant, so its events
# keep the order they were emitted in even when a batch spans several microseconds.
_clock_lock = threading.Lock()
_last_instant = None


def _instants(count: int):
    global _last_instant
    with _clock_lock:
        start = timezone.now()
        if _last_instant is not None and start <= _last_instant:
            start = _last_instant + timedelta(microseconds=1)
        _last_instant = start + timedelta(microseconds=max(count, 1) - 1)
    return start


@contextmanager
def _fast_commit():
    """A transaction that commits without waiting for the disk flush: the request that caused
    the events has committed already and waits on this. A database crash in the next split
    second can lose them, as a web process crash between the commit and this callback could."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
        yield


def queue(event: str, build_source) -> None:
    """After the commit: if some webhook listens, one PendingEvent row and its tasks."""
    from apps.webhooks.tasks import enqueue_delivery

    hook_ids = listeners(event)
    if not hook_ids:
        return
    source = build_source()
    size = len(next(iter(source.values())))
    if not size:
        return
    occurred_at = _instants(size * len(hook_ids))
    with _fast_commit():
        PendingEvent.objects.create(
            event=event,
            webhook_ids=hook_ids,
            source=orjson.dumps(source).decode(),
            occurred_at=occurred_at,
        )
        for hook_id in hook_ids:
            enqueue_delivery(hook_id)


def expand_pending() -> int:
    """Worker side: turn every PendingEvent into deliveries, oldest first, each in its own
    transaction (concurrent workers skip each other's). Returns the deliveries written."""
    written = 0
    while True:
        with transaction.atomic():
            pending = PendingEvent.objects.select_for_update(skip_locked=True).first()
            if pending is None:
                return written
            # Webhooks deleted since the commit get nothing (their rows would not insert).
            alive = set(
                Webhook.objects.filter(pk__in=pending.webhook_ids).values_list("pk", flat=True)
            )
            hooks = [pk for pk in pending.webhook_ids if pk in alive]
            items = _payloads(orjson.loads(pending.source))
            written += write_deliveries(pending.event, items, hooks, pending.occurred_at)
            pending.delete()


def _payloads(source: dict) -> list[dict]:
    if "items" in source:
        return source["items"]
    if "records" in source:
        return payloads.records_data(source["records"])
    return payloads.responses_data(source["responses"])


def _ids(count: int) -> list[uuid.UUID]:
    """Random (version 4) UUIDs from one read of the OS's randomness, not one read each."""
    randomness = os.urandom(16 * count)
    return [uuid.UUID(bytes=randomness[i : i + 16], version=4) for i in range(0, 16 * count, 16)]


def write_deliveries(event: str, items: list[dict], hook_ids: list, start) -> int:
    """One delivery per (item, webhook), in item order from `start`; one id per item."""
    if not items or not hook_ids:
        return 0
    stamp = start.isoformat()
    ids = iter(_ids(len(items) * (len(hook_ids) + 1)))
    rows = []
    for item in items:
        event_id = next(ids)
        body = orjson.dumps({"type": event, "timestamp": stamp, "data": item}).decode()
        for hook_id in hook_ids:
            rows.append(
                {
                    "id": next(ids),
                    "webhook_id": hook_id,
                    "event_id": event_id,
                    "event": event,
                    "body": body,
                    "next_attempt_at": start,
                    "inserted_at": start + timedelta(microseconds=len(rows)),
                }
            )
    insert_rows(Delivery, rows)
    return len(rows)


def publish(event: str, items: list[dict], *, webhook_ids: Iterable) -> int:
    """Deliveries written at once for these webhooks (a ping), and their sending enqueued."""
    from apps.webhooks.tasks import enqueue_delivery

    hook_ids = list(webhook_ids)
    items = orjson.loads(orjson.dumps(items))
    with transaction.atomic():
        count = write_deliveries(event, items, hook_ids, _instants(len(items) * len(hook_ids)))
        for hook_id in hook_ids:
            enqueue_delivery(hook_id)
    return count


# --- What the receivers (and the admin's dataset creation) call ----------------------------


def before_delete(event: Event, build: Callable[[], list[dict]]) -> None:
    """Called before a delete: the payloads must be taken while the rows exist. One query asks
    who listens; only if someone does are they built (and sent once the delete commits)."""
    if listeners(event):
        emit(event, build())


def dataset_event(event: Event, dataset) -> None:
    """Dataset events carry the dataset as it is at commit time (as it was, when deleted)."""
    if event == Event.DATASET_DELETED:
        before_delete(event, lambda: [payloads.dataset_data(dataset)])
    else:
        emit(event, lambda: [payloads.dataset_data(dataset)])


def records_event(event: Event, dataset, record_ids) -> None:
    """Records updated or completed: read by the worker, in one query."""
    ids = list(record_ids)
    if ids:
        emit(event, records=ids)


def records_deleted(dataset, records) -> None:
    """Before deleting `records` (Record objects, or a queryset evaluated only if needed) of
    `dataset` (None: the records' own, loaded only if needed)."""

    def build():
        items = list(records)
        if not items:
            return []
        shared = payloads.dataset_data(dataset if dataset is not None else items[0].dataset)
        return [payloads.record_data(record, shared) for record in items]

    before_delete(Event.RECORD_DELETED, build)


def response_event(event: Event, response) -> None:
    if event == Event.RESPONSE_DELETED:
        before_delete(event, lambda: [payloads.response_data(response)])
    else:
        emit(event, responses=[(response.record_id, response.user_id)])


def responses_written(dataset, created: list, updated: list) -> None:
    """Responses written (in bulk), by (record id, user id): read by the worker."""
    if created:
        emit(Event.RESPONSE_CREATED, responses=created)
    if updated:
        emit(Event.RESPONSE_UPDATED, responses=updated)


def records_completed(dataset, record_ids) -> None:
    records_event(Event.RECORD_COMPLETED, dataset, record_ids)


# --- Receivers of the domain signals (connected in apps.py) ---------------------------------


def on_dataset_created(sender, *, dataset, **kwargs) -> None:
    dataset_event(Event.DATASET_CREATED, dataset)


def on_dataset_updated(sender, *, dataset, **kwargs) -> None:
    dataset_event(Event.DATASET_UPDATED, dataset)


def on_dataset_published(sender, *, dataset, **kwargs) -> None:
    dataset_event(Event.DATASET_PUBLISHED, dataset)


def on_dataset_deleting(sender, *, dataset, **kwargs) -> None:
    dataset_event(Event.DATASET_DELETED, dataset)


def on_records_inserted(sender, *, dataset, records, **kwargs) -> None:
    if records:
        emit(Event.RECORD_CREATED, records=[record.pk for record in records])


def on_records_updated(sender, *, dataset, record_ids, **kwargs) -> None:
    records_event(Event.RECORD_UPDATED, dataset, record_ids)


def on_records_deleting(sender, *, dataset, records, **kwargs) -> None:
    records_deleted(dataset, records)


def on_records_completed(sender, *, dataset, record_ids, **kwargs) -> None:
    records_completed(dataset, record_ids)


def on_responses_written(sender, *, dataset, created, updated, **kwargs) -> None:
    responses_written(dataset, created=created, updated=updated)


def on_response_deleting(sender, *, response, **kwargs) -> None:
    response_event(Event.RESPONSE_DELETED, response)


def connect_receivers() -> None:
    """Every event the webhooks send, from the signal that announces it."""
    from apps.datasets import signals as datasets
    from apps.records import signals as records
    from apps.responses import signals as responses

    for signal, receiver in (
        (datasets.dataset_created, on_dataset_created),
        (datasets.dataset_updated, on_dataset_updated),
        (datasets.dataset_published, on_dataset_published),
        (datasets.dataset_deleting, on_dataset_deleting),
        (records.records_inserted, on_records_inserted),
        (records.records_updated, on_records_updated),
        (records.records_deleting, on_records_deleting),
        (responses.responses_written, on_responses_written),
        (responses.response_deleting, on_response_deleting),
        (responses.records_completed, on_records_completed),
    ):
        signal.connect(receiver, dispatch_uid=f"webhooks.{receiver.__name__}")

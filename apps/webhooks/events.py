"""Emitting events: the domain services call these inside their transaction; the events are
queued only once it commits (never for work that was rolled back).

After the commit, one query asks which enabled webhooks listen to the event; with none, that
is all it costs. Otherwise the payloads are built (from what the service passed, or read back
in one query), one delivery row per (event, webhook) is written with COPY, and one delivery
task per webhook is enqueued, however many events: a 5,000-record bulk is 5,000 rows and
one task, not 5,000 tasks.
"""

import logging
import threading
import uuid
from collections.abc import Callable, Iterable
from datetime import timedelta

import orjson
from django.db import transaction
from django.utils import timezone

from apps.records.bulk import insert_rows
from apps.webhooks import payloads
from apps.webhooks.models import Delivery, Event, Webhook

logger = logging.getLogger(__name__)

Payloads = list[dict] | Callable[[], list[dict]]


def emit(event: str, data: Payloads) -> None:
    """Queue `event` for its webhooks once the current transaction commits. `data` is the
    events' payloads, or a function building them, called only if a webhook listens."""

    def publish_event():  # a named function: Django logs a robust callback's failure by name
        publish(event, data)

    transaction.on_commit(publish_event, robust=True)


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
        _last_instant = start + timedelta(microseconds=count - 1)
    return start


def publish(event: str, data: Payloads, *, webhook_ids: Iterable | None = None) -> int:
    """Write the deliveries of `event` and enqueue their sending; the number of rows written."""
    from apps.webhooks.tasks import enqueue_delivery

    hook_ids = list(webhook_ids) if webhook_ids is not None else listeners(event)
    if not hook_ids:
        return 0
    items = data() if callable(data) else data
    if not items:
        return 0
    count = len(items) * len(hook_ids)
    start = _instants(count)
    stamp = timezone.now().isoformat()
    rows = []
    for item in items:
        event_id = uuid.uuid4()
        body = orjson.dumps({"type": event, "timestamp": stamp, "data": item}).decode()
        for hook_id in hook_ids:
            rows.append(
                {
                    "id": uuid.uuid4(),
                    "webhook_id": hook_id,
                    "event_id": event_id,
                    "event": event,
                    "body": body,
                    "next_attempt_at": start,
                    "inserted_at": start + timedelta(microseconds=len(rows)),
                }
            )
    with transaction.atomic():
        insert_rows(Delivery, rows)
    for hook_id in hook_ids:
        enqueue_delivery(hook_id)
    return count


# --- What the domain services call ---------------------------------------------------------


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


def records_created(dataset, rows: list) -> None:
    """New records, from the column values just written (dicts by attname, or Record
    objects): nothing is read back."""
    if rows:

        def build():
            shared = payloads.dataset_data(dataset)
            return [payloads.record_row_data(payloads.as_row(row), shared) for row in rows]

        emit(Event.RECORD_CREATED, build)


def records_event(event: Event, dataset, record_ids) -> None:
    """Records updated or completed: read back after the commit, in one query."""
    ids = list(record_ids)
    if ids:
        emit(event, lambda: payloads.records_data(dataset, ids))


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
        emit(event, lambda: [payloads.response_data(response)])


def responses_written(dataset, created: list, updated: list) -> None:
    """Responses written in bulk, by (record id, user id): read back in one query each."""
    if created:
        emit(Event.RESPONSE_CREATED, lambda: payloads.responses_data(dataset, created))
    if updated:
        emit(Event.RESPONSE_UPDATED, lambda: payloads.responses_data(dataset, updated))


def records_completed(dataset, record_ids) -> None:
    records_event(Event.RECORD_COMPLETED, dataset, record_ids)

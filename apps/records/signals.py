"""What happens to records, for whoever listens: the work queue (connected in
`AnnotationConfig.ready()`), the webhooks (`WebhooksConfig.ready()`), the audit trail of
issue 18 next; a listener is one `connect()`.

Sent inside the writing transaction: a listener that acts outside the database waits for
the commit (`transaction.on_commit`), as the webhooks do. Every signal is sent with
`sender=Record` and `dataset=` the records' dataset.
"""

from django.dispatch import Signal

# records: the new records (objects with `pk` and `inserted_at`), in insertion order.
records_inserted = Signal()
# record_ids: records whose metadata, suggestions or vectors an upsert rewrote.
records_updated = Signal()
# records: the records about to be deleted (a queryset: evaluate it only if needed);
# dataset may be None when the records are not all of one dataset known to the caller.
records_deleting = Signal()

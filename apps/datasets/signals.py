"""What happens to datasets, for whoever listens: the work queue and the record statuses
(connected in `AnnotationConfig.ready()` and `ResponsesConfig.ready()`), the webhooks
(`WebhooksConfig.ready()`), the audit trail of issue 18 next; a listener is one `connect()`.

Sent by `services.py` inside its transaction, with `sender=Dataset` and `dataset=`: a
listener that acts outside the database waits for the commit (`transaction.on_commit`), as
the webhooks do.
"""

from django.dispatch import Signal

dataset_created = Signal()
dataset_updated = Signal()
# Draft → ready: the work queue deals the records (assigned mode).
dataset_published = Signal()
# Before the dataset and everything in it are deleted (it is still readable).
dataset_deleting = Signal()
# The overlap changed (`update_dataset`, its one writer): statuses are recomputed. Sent
# before `dataset_updated`.
min_submitted_changed = Signal()

"""What happens to datasets, for whoever listens: the work queue and the record statuses
(connected in `AnnotationConfig.ready()` and `ResponsesConfig.ready()`), the webhooks
(`WebhooksConfig.ready()`), the audit trail (`AuditConfig.ready()`); a listener is one
`connect()`.

Sent by `services.py` inside its transaction, with `sender=Dataset` and `dataset=`: a
listener that acts outside the database waits for the commit (`transaction.on_commit`), as
the webhooks do.
"""

from django.dispatch import Signal

dataset_created = Signal()
# `changes`: {attribute: (old, new)} of what changed.
dataset_updated = Signal()
# Draft → ready: the work queue deals the records (assigned mode).
dataset_published = Signal()
# Before the dataset and everything in it are deleted (it is still readable).
dataset_deleting = Signal()
# The overlap changed (`update_dataset`, its one writer): statuses are recomputed. Sent
# before `dataset_updated`.
min_submitted_changed = Signal()

# A field, question, metadata property or vector setting (`setting`) of `dataset` was added,
# changed (`changes`: {attribute: (old, new)}; a move is a change of `position`) or is about
# to be deleted (still readable). Sent with `sender=` the setting's model.
setting_added = Signal()
setting_updated = Signal()
setting_deleting = Signal()

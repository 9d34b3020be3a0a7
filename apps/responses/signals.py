"""What happens to responses, for whoever listens: the webhooks today (connected in
`WebhooksConfig.ready()`), the audit trail of issue 18 next; a listener is one `connect()`.

Sent inside the writing transaction, once the rows are written (before they are deleted for
`response_deleting`): a listener that acts outside the database waits for the commit
(`transaction.on_commit`), as the webhooks do.
"""

from django.dispatch import Signal

# dataset, created and updated: [(record id, user id)] of the responses written.
responses_written = Signal()
# response: the Response about to be deleted (its record and user still readable).
response_deleting = Signal()
# dataset, record_ids: records whose responses just made them completed (`status.py`).
records_completed = Signal()

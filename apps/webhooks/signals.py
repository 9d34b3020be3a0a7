"""What happens to webhooks themselves, for whoever listens: the audit trail (issue 18).

Sent by `services.py` inside its transaction, with `sender=Webhook` and `webhook=`: a
listener that acts outside the database waits for the commit (`transaction.on_commit`).
"""

from django.dispatch import Signal

webhook_created = Signal()
# `changes`: {attribute: (old, new)} of what changed; the secret never changes.
webhook_updated = Signal()
# Before the webhook is deleted (still readable).
webhook_deleting = Signal()

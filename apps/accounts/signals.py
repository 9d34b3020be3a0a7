"""What happens to people, for whoever listens: the audit trail (issue 18) and anything
after it; a listener is one `connect()`.

Sent by `services.py` inside its transaction, with `sender=User` and `user=`: a listener
that acts outside the database waits for the commit (`transaction.on_commit`).
"""

from django.dispatch import Signal

user_created = Signal()
# `changes`: {attribute: (old, new)} of what changed (the role among them); never a password.
user_updated = Signal()
# The person can no longer sign in or use API keys; their answers stay.
user_deactivated = Signal()
user_reactivated = Signal()
# Before a hard delete (the user is still readable); the records they answered are
# recounted in the same transaction.
user_deleting = Signal()
# A new API key was issued (`name`: the key's name); older keys may have been revoked.
api_key_issued = Signal()

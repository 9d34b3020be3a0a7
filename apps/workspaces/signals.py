"""What happens to workspace memberships, for whoever listens: the audit trail (issue 18);
a listener is one `connect()`.

Sent by `services.py` (and the memberships a new user gets, `apps.py`) inside the writing
transaction, with `sender=WorkspaceMember`, `workspace=` and `user=`: a listener that acts
outside the database waits for the commit (`transaction.on_commit`).
"""

from django.dispatch import Signal

member_added = Signal()
# After the membership row is deleted (the workspace and the user remain).
member_removed = Signal()

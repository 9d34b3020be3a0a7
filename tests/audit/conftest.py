"""Audit fixtures: `committed()` runs what the block's commit would (the entries), and
`trail()` reads the entries back as comparable tuples."""

import pytest

from apps.audit import trail as audit_trail
from apps.audit.models import AuditEntry


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` — the test's transaction never commits, so the callbacks queued
    for the commit (the audit entries among them) run when the block ends."""

    def block():
        return django_capture_on_commit_callbacks(execute=True)

    return block


@pytest.fixture(autouse=True)
def _prune_again():
    audit_trail.forget_last_prune()
    yield
    audit_trail.forget_last_prune()


def trail(*fields, **filters):
    """(face, action, actor's username, …`fields`) of the entries, oldest first."""
    entries = AuditEntry.objects.filter(**filters).order_by("at", "id")
    return [
        (entry.face, entry.action, entry.actor_username, *(getattr(entry, f) for f in fields))
        for entry in entries
    ]

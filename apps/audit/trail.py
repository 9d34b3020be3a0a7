"""Writing entries: `record()` is called by the receivers inside the writing transaction; the
entry is inserted once it commits (`transaction.on_commit`), never for work rolled back.

Everything the entry says is taken at the call, while the rows still exist (a deleted
dataset's name, a deleted person's username) and while the request is still being served
(who acts). The insert also prunes, at most once a day per process, what the retention
setting no longer keeps (`prune()`; `manage.py prune_audit` does it on demand).
"""

import threading
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.audit.context import current, who_of
from apps.audit.models import AuditEntry

MAX_TEXT = 1000  # longer strings in the details (guidelines, say) are cut to this
PRUNE_EVERY = timedelta(days=1)

_FROM_CONTEXT = object()  # `record(actor=…)` not given: whoever the context says acts
_prune_lock = threading.Lock()
_next_prune_at = None


def record(
    action: str,
    *,
    workspace=None,
    dataset=None,
    target_type: str = "",
    target_id="",
    target_label: str = "",
    details: dict | None = None,
    actor=_FROM_CONTEXT,
    actor_username: str | None = None,
    request=None,
) -> None:
    """An entry for `action`, written once the current transaction commits. `dataset` gives
    the workspace unless `workspace` does; `actor` overrides who the context says acts, and
    `request` (a sign-in's) where."""
    who = who_of(request) if request is not None else current()
    user = who.user if actor is _FROM_CONTEXT else actor
    if dataset is not None and workspace is None:
        workspace = dataset.workspace
    row = {
        "actor_id": user.pk if user is not None else None,
        "actor_username": (actor_username if actor_username is not None else _username(user))[:150],
        "face": who.face,
        "action": action,
        "workspace_id": workspace.pk if workspace is not None else None,
        "workspace_name": workspace.name if workspace is not None else "",
        "dataset_id": dataset.pk if dataset is not None else None,
        "dataset_name": dataset.name if dataset is not None else "",
        "target_type": target_type,
        "target_id": str(target_id or "")[:64],
        "target_label": str(target_label or "")[:300],
        "details": _plain(details or {}),
        "ip": who.ip,
    }

    def write_audit_entry():  # a named function: Django logs a robust callback's failure by name
        AuditEntry.objects.create(**row)
        prune_now_and_then()

    transaction.on_commit(write_audit_entry, robust=True)


def _username(user) -> str:
    return user.get_username() if user is not None else ""


def _plain(value):
    """JSON-ready details: tuples as lists, ids and dates as strings, long text cut."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(item) for item in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    text = str(value)
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT] + "…"


def retention_cutoff(now=None):
    """Entries before this instant are pruned; None when the setting keeps them forever."""
    days = settings.LOAM_AUDIT_RETENTION_DAYS
    if days <= 0:
        return None
    return (now or timezone.now()) - timedelta(days=days)


def prune(now=None) -> int:
    """Delete what the retention setting no longer keeps; returns how many entries went."""
    cutoff = retention_cutoff(now)
    if cutoff is None:
        return 0
    with transaction.atomic():
        return AuditEntry.objects.prune(older_than=cutoff)


def prune_now_and_then(now=None) -> int:
    """`prune()` if this process has not pruned for a day (the first write of a process
    prunes). One indexed DELETE a day: nothing else needs to run in the background."""
    global _next_prune_at
    now = now or timezone.now()
    with _prune_lock:
        if _next_prune_at is not None and now < _next_prune_at:
            return 0
        _next_prune_at = now + PRUNE_EVERY
    return prune(now)


def forget_last_prune() -> None:
    """The next write prunes again (tests)."""
    global _next_prune_at
    with _prune_lock:
        _next_prune_at = None

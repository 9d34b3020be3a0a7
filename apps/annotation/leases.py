"""Leases that fit people: renewed while the annotator works on the record, given back when
they go elsewhere. (Taking a lease is the work queue's job: apps.annotation.queue.)

A submit never depends on a lease: one that arrives after the lease expired, even after
others completed the record meanwhile, is stored and counted like any other. The record
then has more submitted responses than `min_submitted`: progress counts the record once
(completed) and the late annotator's answer among their own; exports list every response.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.annotation.models import AnnotatorQueue
from apps.annotation.rules import rules_for
from apps.datasets.models import Dataset
from apps.records.models import Record
from apps.responses.models import Response, ResponseStatus


@transaction.atomic
def renew_lease(*, dataset: Dataset, user: User, record: Record) -> bool:
    """Extend `user`'s lease on `record` by the rules' lease from now, if they still hold
    it (an expired lease that nobody else took counts as held). Whether it was renewed."""
    rules = rules_for(dataset)
    expires = timezone.now() + timedelta(minutes=rules.lease_minutes)
    held = AnnotatorQueue.objects.filter(dataset=dataset, user=user, record=record)
    return held.update(lease_expires_at=expires) == 1


def completed_by_others(*, dataset: Dataset, user: User, record: Record) -> bool:
    """Whether others' submitted responses alone already complete `record`."""
    others = Response.objects.filter(record=record, status=ResponseStatus.SUBMITTED).exclude(
        user=user
    )
    return others.count() >= dataset.min_submitted

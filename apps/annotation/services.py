"""Writes to a dataset's assignment rules and assignments, shared by admin, API and hooks.

Keyword-only arguments, one transaction each, validation inside (ValidationFailed). The
hooks (`distribute_published_dataset`, `assign_new_records`) answer the datasets' and
records' signals (connected in `AnnotationConfig.ready()`): those apps sit below this one.
"""

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.annotation import assignment
from apps.annotation.models import AssignmentMode, AssignmentRules, PoolKind, QueueOrder
from apps.annotation.queue import restart_marks
from apps.annotation.rules import clean_rules, pool_user_ids, rules_for
from apps.core.errors import Problems, ValidationFailed
from apps.datasets.models import Dataset, Question
from apps.datasets.services import update_dataset
from apps.records.models import Record

_UNSET = object()


@transaction.atomic
def update_rules(
    *,
    dataset: Dataset,
    pool_kind=_UNSET,
    annotators: Iterable[User] = _UNSET,
    mode=_UNSET,
    order=_UNSET,
    order_question: Question | None = _UNSET,
    lease_minutes=_UNSET,
    min_submitted=_UNSET,
    rebalance: bool = False,
) -> AssignmentRules:
    """Change a dataset's assignment rules (and its overlap, `min_submitted`), validated.

    A pool smaller than min_submitted is rejected. A new min_submitted re-computes every
    record's status (one statement, `update_dataset`). In assigned mode, a change of pool,
    overlap or order re-balances the assignments (`rebalance` forces it, e.g. when the overlap
    was changed on the dataset just before); going back to the open queue drops them.
    Responses are never touched.
    """
    rules = rules_for(dataset, lock=True)
    created = rules._state.adding
    old = {
        "pool_kind": rules.pool_kind,
        "annotators": set() if created else set(rules.annotators.values_list("pk", flat=True)),
        "mode": rules.mode,
        "order": rules.order,
        "order_question": rules.order_question_id,
        "min_submitted": dataset.min_submitted,
    }
    new = {
        "pool_kind": rules.pool_kind if pool_kind is _UNSET else pool_kind,
        "annotators": None if annotators is _UNSET else list(annotators),
        "mode": rules.mode if mode is _UNSET else mode,
        "order": rules.order if order is _UNSET else order,
        "order_question": rules.order_question if order_question is _UNSET else order_question,
        "lease_minutes": rules.lease_minutes if lease_minutes is _UNSET else lease_minutes,
        "min_submitted": dataset.min_submitted if min_submitted is _UNSET else min_submitted,
    }
    if new["annotators"] is None:
        new["annotators"] = [] if created else list(rules.annotators.all())
    problems = Problems()
    clean_rules(problems, dataset=dataset, **new)
    problems.raise_if_any()

    if new["min_submitted"] != dataset.min_submitted:
        # Checked against the pool above; written by its one writer (statuses follow).
        update_dataset(dataset=dataset, min_submitted=new["min_submitted"])
    rules.pool_kind = new["pool_kind"]
    rules.mode = new["mode"]
    rules.order = new["order"]
    rules.order_question = (
        new["order_question"] if new["order"] == QueueOrder.SUGGESTION_SCORE else None
    )
    rules.lease_minutes = new["lease_minutes"]
    rules.save()
    named = new["annotators"] if rules.pool_kind == PoolKind.NAMED else []
    rules.annotators.set(named)

    pool_changed = rules.pool_kind != old["pool_kind"] or (
        {user.pk for user in named} != old["annotators"]
    )
    order_changed = (rules.order, rules.order_question_id) != (
        old["order"],
        old["order_question"],
    )
    if rules.is_assigned and (
        rebalance
        or created
        or old["mode"] != AssignmentMode.ASSIGNED
        or pool_changed
        or order_changed
        or new["min_submitted"] != old["min_submitted"]
    ):
        assignment.rebalance(
            dataset=dataset,
            rules=rules,
            pool=pool_user_ids(dataset, rules),
            reposition=order_changed,
        )
    elif not rules.is_assigned and old["mode"] == AssignmentMode.ASSIGNED:
        assignment.drop_assignments(dataset=dataset)
    restart_marks(dataset=dataset)
    return rules


@transaction.atomic
def rebalance_assignments(*, dataset: Dataset) -> assignment.RebalanceResult:
    """Re-spread an assigned dataset's pending records over its current pool.

    For when the pool changed (members joined or left the workspace). Keeps every
    response and every assignment somebody already worked on.
    """
    rules = rules_for(dataset, lock=True)
    if not rules.is_assigned:
        raise ValidationFailed.single(
            ("mode",), _("Only datasets whose records are pre-assigned can be re-balanced.")
        )
    result = assignment.rebalance(dataset=dataset, rules=rules, pool=pool_user_ids(dataset, rules))
    restart_marks(dataset=dataset)
    return result


def assign_new_records(*, dataset: Dataset, records: list[Record]) -> None:
    """Hook for every record insertion (`records.signals.records_inserted`, inside the
    inserting transaction).

    Assigned mode: the new records are dealt over the pool. Any mode: annotators whose
    queue may now hold records before their mark restart their next scan. A constant
    number of queries: one for the open queue in insertion order, four for assigned mode.
    """
    if not records:
        return
    rules = rules_for(dataset)
    if rules.is_assigned:
        rules = rules_for(dataset, lock=True)  # one dealer at a time per dataset
        assignment.deal_new_records(
            dataset=dataset, rules=rules, pool=pool_user_ids(dataset, rules), records=records
        )
    if rules.order == QueueOrder.INSERTED:
        # New records sort after every mark; only annotators who had run out look again.
        restart_marks(dataset=dataset, only_exhausted=True)
    else:
        restart_marks(dataset=dataset)


def distribute_published_dataset(*, dataset: Dataset) -> None:
    """Hook for publishing (`datasets.signals.dataset_published`): the rules become
    explicit, and assigned mode deals the records."""
    rules = rules_for(dataset, lock=True)
    if rules._state.adding:
        rules.save()
        return
    if rules.is_assigned:
        assignment.rebalance(dataset=dataset, rules=rules, pool=pool_user_ids(dataset, rules))
        restart_marks(dataset=dataset)

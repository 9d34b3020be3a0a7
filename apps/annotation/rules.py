"""Reading and validating a dataset's assignment rules; who is in its pool."""

from collections.abc import Iterable
from uuid import UUID

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.accounts.models import Role, User
from apps.annotation.models import (
    MAX_LEASE_MINUTES,
    AssignmentMode,
    AssignmentRules,
    PoolKind,
    QueueOrder,
)
from apps.core.errors import Problems
from apps.datasets.models import MAX_MIN_SUBMITTED, Dataset, Question


def rules_for(dataset: Dataset, *, lock: bool = False) -> AssignmentRules:
    """The dataset's rules, or unsaved defaults (open queue, whole workspace). One query."""
    rules = AssignmentRules.objects.filter(dataset=dataset)
    if lock:
        rules = rules.select_for_update()
    found = rules.first()
    if found is None:
        return AssignmentRules(dataset=dataset)
    found.dataset = dataset  # spare a query: callers hold the dataset already
    return found


def pool_users(dataset: Dataset, rules: AssignmentRules) -> QuerySet[User]:
    """Active members of the dataset's workspace who are in its pool.

    The workspace pool is its members with the annotator role; a named pool is its listed
    users who still belong to the workspace (whatever their role).
    """
    members = User.objects.filter(
        is_active=True, memberships__workspace_id=dataset.workspace_id
    ).order_by("pk")
    if not rules._state.adding and rules.pool_kind == PoolKind.NAMED:
        return members.filter(pk__in=rules.annotators.values("pk"))
    return members.filter(role=Role.ANNOTATOR)


def pool_user_ids(dataset: Dataset, rules: AssignmentRules) -> list[UUID]:
    """The pool's user ids in a stable order (by id). One query."""
    return list(pool_users(dataset, rules).values_list("pk", flat=True))


def clean_rules(
    problems: Problems,
    *,
    dataset: Dataset,
    pool_kind,
    annotators: Iterable[User],
    mode,
    order,
    order_question: Question | None,
    lease_minutes,
    min_submitted,
) -> None:
    """Check a complete set of rules, adding every problem found to `problems`."""
    if pool_kind not in PoolKind.values:
        problems.add(("pool_kind",), _("The pool must be one of: %s.") % ", ".join(PoolKind.values))
    if mode not in AssignmentMode.values:
        problems.add(
            ("mode",), _("The mode must be one of: %s.") % ", ".join(AssignmentMode.values)
        )
    if order not in QueueOrder.values:
        problems.add(("order",), _("The order must be one of: %s.") % ", ".join(QueueOrder.values))
    if order == QueueOrder.SUGGESTION_SCORE:
        if order_question is None:
            problems.add(
                ("order_question",),
                _("Ordering by suggestion score needs the question whose score to use."),
            )
        elif order_question.dataset_id != dataset.pk:
            problems.add(("order_question",), _("The question must belong to this dataset."))
    if isinstance(lease_minutes, bool) or not isinstance(lease_minutes, int):
        problems.add(("lease_minutes",), _("lease_minutes must be a whole number of minutes."))
    elif not 1 <= lease_minutes <= MAX_LEASE_MINUTES:
        problems.add(
            ("lease_minutes",),
            _("lease_minutes must be between 1 and %(max)d.") % {"max": MAX_LEASE_MINUTES},
        )
    if (
        isinstance(min_submitted, bool)
        or not isinstance(min_submitted, int)
        or not 1 <= min_submitted <= MAX_MIN_SUBMITTED
    ):
        problems.add(
            ("min_submitted",),
            _("min_submitted must be an integer from 1 to %(max)d.") % {"max": MAX_MIN_SUBMITTED},
        )
        return
    annotators = list(annotators)
    if pool_kind == PoolKind.NAMED:
        _clean_named_pool(problems, dataset, annotators, min_submitted)
    elif pool_kind == PoolKind.WORKSPACE and mode == AssignmentMode.ASSIGNED:
        size = pool_users(dataset, AssignmentRules(dataset=dataset)).count()
        if size < min_submitted:
            problems.add(("pool_kind",), _pool_too_small(size, min_submitted))


def _clean_named_pool(
    problems: Problems, dataset: Dataset, annotators: list[User], min_submitted: int
) -> None:
    members = set(
        User.objects.filter(
            pk__in=[user.pk for user in annotators],
            is_active=True,
            memberships__workspace_id=dataset.workspace_id,
        ).values_list("pk", flat=True)
    )
    for index, user in enumerate(annotators):
        if user.pk not in members:
            problems.add(
                ("annotators", index),
                _("%(user)s is not an active member of workspace %(workspace)s.")
                % {"user": user.username, "workspace": dataset.workspace.name},
            )
    size = len({user.pk for user in annotators})
    if size < min_submitted:
        problems.add(("annotators",), _pool_too_small(size, min_submitted))


def _pool_too_small(size: int, min_submitted: int) -> str:
    return ngettext(
        "The pool has %(size)d annotator but min_submitted is %(min)d: each record needs "
        "that many different annotators. Add annotators or lower min_submitted.",
        "The pool has %(size)d annotators but min_submitted is %(min)d: each record needs "
        "that many different annotators. Add annotators or lower min_submitted.",
        size,
    ) % {"size": size, "min": min_submitted}

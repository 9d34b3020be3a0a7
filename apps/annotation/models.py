"""Who annotates what: a dataset's assignment rules and the work queue's bookkeeping.

The overlap is `Dataset.min_submitted` (one source of truth, shared with record status);
everything else about distribution lives in `AssignmentRules`. The queue keeps three kinds
of rows: `Assignment` (assigned mode: which annotator must answer which record),
`AnnotatorQueue` (one per dataset and annotator: the record they hold on lease, and where
their next scan resumes) and `Skip` (records an annotator put aside for later).
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.datasets.models import Dataset, Question
from apps.records.models import Record

DEFAULT_LEASE_MINUTES = 15
MAX_LEASE_MINUTES = 24 * 60


class PoolKind(models.TextChoices):
    WORKSPACE = "workspace", _("Every annotator of the workspace")
    NAMED = "named", _("Named annotators")


class AssignmentMode(models.TextChoices):
    OPEN = "open", _("Open queue: anyone in the pool takes the next record in need")
    ASSIGNED = "assigned", _("Pre-assigned: records are spread evenly over the pool")


class QueueOrder(models.TextChoices):
    INSERTED = "inserted", _("Insertion order")
    SHUFFLED = "shuffled", _("Shuffled (a stable order per annotator)")
    SUGGESTION_SCORE = "suggestion_score", _("Suggestion score, lowest first")


class AssignmentRules(models.Model):
    """A dataset's distribution rules; a dataset without a row uses the defaults."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dataset = models.OneToOneField(
        Dataset,
        on_delete=models.CASCADE,
        related_name="assignment_rules",
        verbose_name=_("dataset"),
    )
    pool_kind = models.CharField(
        _("pool"), max_length=16, choices=PoolKind.choices, default=PoolKind.WORKSPACE
    )
    annotators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name=_("named annotators"),
        help_text=_("Used when the pool is 'Named annotators'; members of the workspace."),
    )
    mode = models.CharField(
        _("mode"), max_length=16, choices=AssignmentMode.choices, default=AssignmentMode.OPEN
    )
    order = models.CharField(
        _("order"), max_length=20, choices=QueueOrder.choices, default=QueueOrder.INSERTED
    )
    order_question = models.ForeignKey(
        Question,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("question whose suggestion score orders the queue"),
    )
    lease_minutes = models.PositiveIntegerField(
        _("lease minutes"),
        default=DEFAULT_LEASE_MINUTES,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_LEASE_MINUTES)],
        help_text=_("How long a record handed out stays reserved for its annotator."),
    )
    # Assigned mode deals each inserted batch over the pool starting here, so successive
    # batches keep everyone's share even without counting existing assignments.
    next_offset = models.PositiveIntegerField(_("next offset"), default=0, editable=False)
    inserted_at = models.DateTimeField(_("inserted at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("assignment rules")
        verbose_name_plural = _("assignment rules")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lease_minutes__gte=1), name="rules_lease_minutes_gte_1"
            )
        ]

    def __str__(self) -> str:
        return str(_("Assignment rules of %(dataset)s") % {"dataset": self.dataset})

    @property
    def is_assigned(self) -> bool:
        return self.mode == AssignmentMode.ASSIGNED


class Assignment(models.Model):
    """Assigned mode: `user` is one of the `min_submitted` annotators of `record`.

    `position` orders the annotator's queue (the record's insertion time, a random number
    for the shuffled order, or the suggestion score), fixed when the row is written.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dataset = models.ForeignKey(
        Dataset, on_delete=models.CASCADE, related_name="+", verbose_name=_("dataset")
    )
    record = models.ForeignKey(
        Record, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("record")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("user"),
    )
    position = models.FloatField(_("position"))
    inserted_at = models.DateTimeField(_("inserted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [models.UniqueConstraint(fields=["record", "user"], name="uniq_assignment")]
        indexes = [
            # An annotator's queue in their order: the one index next_record walks.
            models.Index(fields=["dataset", "user", "position", "record"], name="assignment_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.record_id} → {self.user_id}"


class AnnotatorQueue(models.Model):
    """One annotator's place in one dataset's queue.

    `record` is held on lease until `lease_expires_at`: it counts towards the record's
    overlap, so no more than `min_submitted` annotators hold a record at once. `mark` is
    where the next scan resumes (everything before it is answered or skipped by this
    annotator): it keeps each call's scan short however far the annotator has come.
    `shuffle_offset` is where this annotator's shuffled order starts.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dataset = models.ForeignKey(
        Dataset, on_delete=models.CASCADE, related_name="+", verbose_name=_("dataset")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="annotator_queues",
        verbose_name=_("user"),
    )
    record = models.ForeignKey(
        Record,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="leases",
        verbose_name=_("leased record"),
    )
    lease_expires_at = models.DateTimeField(_("lease expires at"), null=True, blank=True)
    mark = models.JSONField(_("resume mark"), null=True, blank=True)
    shuffle_offset = models.UUIDField(_("shuffle offset"), default=uuid.uuid4)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("annotator queue")
        verbose_name_plural = _("annotator queues")
        constraints = [
            models.UniqueConstraint(fields=["dataset", "user"], name="uniq_annotator_queue")
        ]
        indexes = [
            # Counting a record's active leases.
            models.Index(fields=["record", "lease_expires_at"], name="annotator_queue_lease"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.dataset_id}"


class Skip(models.Model):
    """`user` put `record` aside: offered again only once nothing else is left for them."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dataset = models.ForeignKey(
        Dataset, on_delete=models.CASCADE, related_name="+", verbose_name=_("dataset")
    )
    record = models.ForeignKey(
        Record, on_delete=models.CASCADE, related_name="skips", verbose_name=_("record")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="skips",
        verbose_name=_("user"),
    )
    skipped_at = models.DateTimeField(_("skipped at"))

    class Meta:
        verbose_name = _("skip")
        verbose_name_plural = _("skips")
        constraints = [models.UniqueConstraint(fields=["record", "user"], name="uniq_skip")]
        indexes = [models.Index(fields=["dataset", "user", "skipped_at"], name="skip_queue")]

    def __str__(self) -> str:
        return f"{self.user_id} skipped {self.record_id}"

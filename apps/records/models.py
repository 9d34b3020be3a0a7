"""Records (the items to annotate), model suggestions for them, and their embeddings."""

import uuid

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.datasets.models import Dataset, Question, VectorSettings


class RecordStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    COMPLETED = "completed", _("Completed")


class Record(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # No index of its own: every index below starts with dataset (fewer index writes per COPY).
    dataset = models.ForeignKey(
        Dataset,
        on_delete=models.CASCADE,
        related_name="records",
        verbose_name=_("dataset"),
        db_index=False,
    )
    external_id = models.CharField(_("external id"), max_length=2000, null=True, blank=True)
    fields = models.JSONField(_("fields"), default=dict)
    metadata = models.JSONField(_("metadata"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=RecordStatus.choices, default=RecordStatus.PENDING
    )
    # Set by the writer (not auto_now_add) so a batch keeps its order: a microsecond apart.
    inserted_at = models.DateTimeField(_("inserted at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["inserted_at", "id"]
        verbose_name = _("record")
        verbose_name_plural = _("records")
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "external_id"], name="uniq_record_external_id"
            )
        ]
        indexes = [
            # Listing walks records in insertion order per dataset.
            models.Index(fields=["dataset", "inserted_at", "id"], name="record_dataset_order"),
            # The open work queue walks only pending records: an index of those alone leaves
            # the planner no other choice (with the status as a column, a tie with the one
            # above sent it through every completed record; they cluster at the start).
            models.Index(
                fields=["dataset", "inserted_at", "id"],
                name="record_pending_order",
                condition=models.Q(status=RecordStatus.PENDING),
            ),
        ]

    def __str__(self) -> str:
        return self.external_id or str(self.id)


class SuggestionType(models.TextChoices):
    MODEL = "model", _("Model")
    HUMAN = "human", _("Human")


class Suggestion(models.Model):
    """A pre-filled answer to one question of one record, with who proposed it and how sure."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # No FK indexes of their own: uniq_suggestion_question starts with record, and the
    # suggestion_question index covers question (fewer index writes per bulk insert).
    record = models.ForeignKey(
        Record,
        on_delete=models.CASCADE,
        related_name="suggestions",
        verbose_name=_("record"),
        db_index=False,
    )
    question = models.ForeignKey(
        Question,
        on_delete=models.CASCADE,
        related_name="suggestions",
        verbose_name=_("question"),
        db_index=False,
    )
    value = models.JSONField(_("value"))
    # A float, or a list of floats matching a list value (one score per label/span).
    score = models.JSONField(_("score"), null=True, blank=True)
    agent = models.CharField(_("agent"), max_length=200, null=True, blank=True)
    type = models.CharField(
        _("type"), max_length=16, choices=SuggestionType.choices, null=True, blank=True
    )
    inserted_at = models.DateTimeField(_("inserted at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        constraints = [
            models.UniqueConstraint(fields=["record", "question"], name="uniq_suggestion_question")
        ]
        indexes = [models.Index(fields=["question"], name="suggestion_question")]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.value!r}"


class Float4Field(models.FloatField):
    """A float32 (`real`): embeddings need no more, and take half the room."""

    def db_type(self, connection) -> str:
        return "real"


class Vector(models.Model):
    """An embedding of a record: a `real[]` (4 bytes per dimension), which any PostgreSQL
    stores; with pgvector, each vector setting has an HNSW index of it cast to
    `vector(dimensions)` (apps/records/vector_index.py), which is what similarity uses."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # No FK indexes of their own: uniq_vector_per_settings starts with record, and
    # vector_settings_idx covers vector_settings (fewer index writes per bulk insert).
    record = models.ForeignKey(
        Record,
        on_delete=models.CASCADE,
        related_name="vectors",
        verbose_name=_("record"),
        db_index=False,
    )
    vector_settings = models.ForeignKey(
        VectorSettings,
        on_delete=models.CASCADE,
        related_name="vectors",
        verbose_name=_("vector settings"),
        db_index=False,
    )
    value = ArrayField(Float4Field(), verbose_name=_("value"))
    inserted_at = models.DateTimeField(_("inserted at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("vector")
        verbose_name_plural = _("vectors")
        constraints = [
            models.UniqueConstraint(
                fields=["record", "vector_settings"], name="uniq_vector_per_settings"
            )
        ]
        indexes = [models.Index(fields=["vector_settings"], name="vector_settings_idx")]

    def __str__(self) -> str:
        return f"{self.vector_settings_id} of {self.record_id}"

    def as_list(self) -> list[float]:
        return list(self.value)

"""A dataset and its settings: fields to show, questions to ask, metadata and vectors."""

import uuid

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.workspaces.models import Workspace

# Argilla's server rule for setting names (fields, questions, metadata, vectors).
SETTING_NAME_PATTERN = r"^(?=.*[a-z0-9])[a-z0-9_-]+$"
# argilla-v1 parses every visible dataset name with this pattern.
DATASET_NAME_PATTERN = r"^(?!-|_)[a-zA-Z0-9-_ ]+$"
# Submitted responses a record needs: far more than any team, and inside the integer column.
MAX_MIN_SUBMITTED = 1000


class DatasetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    READY = "ready", _("Ready")


class DistributionStrategy(models.TextChoices):
    OVERLAP = "overlap", _("Overlap")


class Dataset(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="datasets", verbose_name=_("workspace")
    )
    name = models.CharField(
        _("name"),
        max_length=200,
        validators=[
            RegexValidator(DATASET_NAME_PATTERN, _("Use letters, digits, spaces, '-' and '_'."))
        ],
    )
    guidelines = models.TextField(_("guidelines"), blank=True, null=True, max_length=10000)
    allow_extra_metadata = models.BooleanField(_("allow extra metadata"), default=True)
    status = models.CharField(
        _("status"), max_length=16, choices=DatasetStatus.choices, default=DatasetStatus.DRAFT
    )
    distribution_strategy = models.CharField(
        _("distribution strategy"),
        max_length=16,
        choices=DistributionStrategy.choices,
        default=DistributionStrategy.OVERLAP,
    )
    min_submitted = models.PositiveIntegerField(
        _("submitted responses needed"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("A record is completed once it has this many submitted responses."),
    )
    metadata = models.JSONField(_("metadata"), null=True, blank=True)
    last_activity_at = models.DateTimeField(_("last activity at"), null=True, blank=True)
    inserted_at = models.DateTimeField(_("inserted at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["inserted_at"]
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="uniq_dataset_name"),
            models.CheckConstraint(
                condition=models.Q(min_submitted__gte=1), name="dataset_min_submitted_gte_1"
            ),
        ]
        indexes = [models.Index(fields=["workspace", "inserted_at"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_published(self) -> bool:
        return self.status == DatasetStatus.READY

    @property
    def distribution(self) -> dict:
        return {"strategy": self.distribution_strategy, "min_submitted": self.min_submitted}


class DatasetSetting(models.Model):
    """What fields, questions, metadata properties and vector settings have in common."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(
        _("name"),
        max_length=200,
        validators=[
            RegexValidator(SETTING_NAME_PATTERN, _("Use lowercase letters, digits, '-' and '_'."))
        ],
    )
    title = models.CharField(_("title"), max_length=500)
    position = models.PositiveIntegerField(_("position"), default=0)
    inserted_at = models.DateTimeField(_("inserted at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True
        ordering = ["position", "inserted_at"]

    def __str__(self) -> str:
        return self.name

    @property
    def type(self) -> str:
        return (self.settings or {}).get("type", "")


class Field(DatasetSetting):
    dataset = models.ForeignKey(
        Dataset, on_delete=models.CASCADE, related_name="fields", verbose_name=_("dataset")
    )
    description = models.TextField(_("description"), blank=True, null=True)
    required = models.BooleanField(_("required"), default=True)
    settings = models.JSONField(_("settings"), default=dict)

    class Meta(DatasetSetting.Meta):
        verbose_name = _("field")
        verbose_name_plural = _("fields")
        constraints = [models.UniqueConstraint(fields=["dataset", "name"], name="uniq_field_name")]


class Question(DatasetSetting):
    dataset = models.ForeignKey(
        Dataset, on_delete=models.CASCADE, related_name="questions", verbose_name=_("dataset")
    )
    description = models.TextField(_("description"), blank=True, null=True)
    required = models.BooleanField(_("required"), default=True)
    settings = models.JSONField(_("settings"), default=dict)

    class Meta(DatasetSetting.Meta):
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["dataset", "name"], name="uniq_question_name")
        ]


class MetadataProperty(DatasetSetting):
    dataset = models.ForeignKey(
        Dataset,
        on_delete=models.CASCADE,
        related_name="metadata_properties",
        verbose_name=_("dataset"),
    )
    settings = models.JSONField(_("settings"), default=dict)
    visible_for_annotators = models.BooleanField(_("visible for annotators"), default=True)

    class Meta(DatasetSetting.Meta):
        verbose_name = _("metadata property")
        verbose_name_plural = _("metadata properties")
        constraints = [
            models.UniqueConstraint(fields=["dataset", "name"], name="uniq_metadata_property_name")
        ]


class VectorSettings(DatasetSetting):
    dataset = models.ForeignKey(
        Dataset,
        on_delete=models.CASCADE,
        related_name="vectors_settings",
        verbose_name=_("dataset"),
    )
    dimensions = models.PositiveIntegerField(_("dimensions"), validators=[MinValueValidator(1)])

    class Meta(DatasetSetting.Meta):
        verbose_name = _("vector settings")
        verbose_name_plural = _("vector settings")
        constraints = [
            models.UniqueConstraint(fields=["dataset", "name"], name="uniq_vector_settings_name"),
            models.CheckConstraint(
                condition=models.Q(dimensions__gte=1), name="vector_dimensions_gte_1"
            ),
        ]

    @property
    def type(self) -> str:
        return "vector"

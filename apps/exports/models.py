"""A background export: what was asked, how far it got, and where the file is."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.datasets.models import Dataset


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ExportJob(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dataset = models.ForeignKey(
        Dataset, on_delete=models.CASCADE, related_name="export_jobs", verbose_name=_("dataset")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="export_jobs",
        verbose_name=_("requested by"),
    )
    format = models.CharField(_("format"), max_length=16)
    task = models.CharField(_("task"), max_length=32)
    options = models.JSONField(_("options"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    total_records = models.PositiveIntegerField(_("records to export"), default=0)
    processed_records = models.PositiveIntegerField(_("records exported"), default=0)
    rows_written = models.PositiveIntegerField(_("rows written"), default=0)
    # Relative to settings.LOAM_EXPORT_DIR; empty until the export is done.
    file_name = models.CharField(_("file"), max_length=500, blank=True)
    error = models.TextField(_("error"), blank=True)
    inserted_at = models.DateTimeField(_("inserted at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-inserted_at"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        indexes = [models.Index(fields=["dataset", "-inserted_at"], name="export_dataset_recent")]

    def __str__(self) -> str:
        return f"{self.dataset} · {self.task} · {self.format}"

    @property
    def progress(self) -> float:
        if self.status == ExportStatus.DONE:
            return 1.0
        return self.processed_records / self.total_records if self.total_records else 0.0

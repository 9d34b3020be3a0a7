"""What the dataset dashboard shows: progress over time, responses per annotator by status,
agreement (or why there is none), time spent, exports."""

from datetime import datetime

from django.db.models import Count
from django.db.models.functions import Trunc
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.datasets.models import Dataset
from apps.exports import charts
from apps.exports.agreement import dataset_agreement, unmeasured_reason
from apps.exports.models import ExportJob
from apps.exports.time_spent import time_spent
from apps.records.models import Record, RecordStatus
from apps.responses.models import Response, ResponseStatus

# What the dashboard calls the identifiers the API and the exports use.
TASK_LABELS = {
    "records": _("Records, one row each"),
    "sft": _("SFT: prompt and completion"),
    "rm": _("Reward model: chosen and rejected"),
    "dpo": _("DPO: chosen and rejected"),
    "text_classification": _("Text classification"),
}
FORMAT_LABELS = {
    "jsonl": "JSONL",
    "csv": "CSV",
    "parquet": "Parquet",
    "hf": _("Hugging Face datasets folder"),
}
QUESTION_TYPE_LABELS = {
    "rating": _("Rating"),
    "label_selection": _("Label"),
    "multi_label_selection": _("Multi-label"),
    "ranking": _("Ranking"),
    "span": _("Spans"),
    "text": _("Text"),
}
LEVEL_LABELS = {"nominal": _("nominal"), "ordinal": _("ordinal"), "interval": _("interval")}


RESPONSE_STATUSES = [ResponseStatus.SUBMITTED, ResponseStatus.DRAFT, ResponseStatus.DISCARDED]


def _local(moment: datetime) -> datetime:
    """A naive local time: the axis is drawn in the reader's clock, free of DST arithmetic."""
    return timezone.localtime(moment).replace(tzinfo=None)


def progress(dataset: Dataset, *, now: datetime | None = None) -> dict:
    """The cumulative line of submitted responses from the dataset's creation to now, by the
    moment each was last saved; one query, grouped as finely as the dataset's age allows."""
    start, end = _local(dataset.inserted_at), _local(now or timezone.now())
    bucket = charts.bucket_for(start, end)
    rows = (
        Response.objects.filter(record__dataset=dataset, status=ResponseStatus.SUBMITTED)
        .annotate(bucket=Trunc("updated_at", bucket))
        .values_list("bucket")
        .annotate(n=Count("id"))
        .order_by("bucket")
    )
    return charts.progress_line([(_local(b), n) for b, n in rows], start, end, bucket=bucket)


def _agreement_rows(dataset: Dataset, questions: list[dict]) -> list[dict]:
    """Every question of the dataset in order, with its alpha or the reason it has none."""
    measured = {row["question"]: row for row in questions}
    rows = []
    for name, title, settings in dataset.questions.order_by("position").values_list(
        "name", "title", "settings"
    ):
        kind = settings.get("type")
        row = measured.get(name, {"units": 0, "alpha": None, "level_of_measurement": None})
        alpha = row["alpha"]
        level = row["level_of_measurement"]
        rows.append(
            {
                "question": name,
                "title": title or name,
                "type": kind,
                "type_label": QUESTION_TYPE_LABELS.get(kind, kind),
                "level_label": LEVEL_LABELS.get(level, "") if level else "",
                "units": row["units"],
                "alpha": alpha,
                # An alpha below 0 (worse than chance) draws as an empty bar.
                "percent": round(100 * max(alpha, 0), 1) if alpha is not None else 0,
                "reason": None
                if alpha is not None
                else unmeasured_reason(kind, units=row["units"], overlap=dataset.min_submitted),
            }
        )
    return rows


def dashboard_context(dataset: Dataset, *, now: datetime | None = None) -> dict:
    counts = dict(
        Record.objects.filter(dataset=dataset)
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    total = sum(counts.values())
    completed = counts.get(RecordStatus.COMPLETED, 0)
    agreement = dataset_agreement(dataset)
    annotators = agreement["annotators"]
    rows = _agreement_rows(dataset, agreement["questions"])
    for annotator in annotators:  # in the questions' order, whatever order they were met in
        annotator["agreement_by_title"] = [
            (row["title"], annotator["agreement"][row["question"]])
            for row in rows
            if row["question"] in annotator["agreement"]
        ]
    responses = {
        status: sum(a["responses"].get(status, 0) for a in annotators)
        for status in RESPONSE_STATUSES
    }
    return {
        "dataset": dataset,
        "records_total": total,
        "records_completed": completed,
        "records_pending": total - completed,
        "responses": responses,
        "annotators_count": sum(1 for a in annotators if any(a["responses"].values())),
        "progress": progress(dataset, now=now),
        "annotator_bars": charts.stacked_bars(
            [(a["username"], a["responses"]) for a in annotators], RESPONSE_STATUSES
        ),
        "status_labels": {status.value: status.label for status in RESPONSE_STATUSES},
        "agreement_rows": rows,
        "agreement": agreement,
        "jobs": ExportJob.objects.filter(dataset=dataset)[:10],
        "time_spent": _labelled(time_spent(dataset)),
        "task_labels": TASK_LABELS,
        "format_labels": FORMAT_LABELS,
    }


def _labelled(spent: dict) -> dict:
    for row in spent["types"]:
        row["label"] = QUESTION_TYPE_LABELS.get(row["type"], row["type"])
    return spent

"""What the dataset dashboard shows: progress over time, responses per annotator, agreement."""

from itertools import accumulate

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from apps.datasets.models import Dataset
from apps.exports import charts
from apps.exports.agreement import dataset_agreement
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


def submissions_per_day(dataset: Dataset) -> list[tuple[str, int]]:
    """(day, submitted responses up to that day), by the day each was last saved."""
    rows = (
        Response.objects.filter(record__dataset=dataset, status=ResponseStatus.SUBMITTED)
        .annotate(day=TruncDate("updated_at"))
        .values_list("day")
        .annotate(n=Count("id"))
        .order_by("day")
    )
    days = [(day.isoformat(), n) for day, n in rows]
    totals = accumulate(n for _day, n in days)
    return [(day, total) for (day, _n), total in zip(days, totals, strict=True)]


def dashboard_context(dataset: Dataset) -> dict:
    counts = dict(
        Record.objects.filter(dataset=dataset)
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    total = sum(counts.values())
    agreement = dataset_agreement(dataset)
    annotators = agreement["annotators"]
    titles = dict(dataset.questions.values_list("name", "title"))
    for question in agreement["questions"]:
        question["title"] = titles.get(question["question"], question["question"])
        question["type_label"] = QUESTION_TYPE_LABELS.get(question["type"], question["type"])
        level = question["level_of_measurement"]
        question["level_label"] = LEVEL_LABELS.get(level, level)
    for annotator in annotators:
        annotator["agreement_by_title"] = [
            (titles.get(name, name), stats) for name, stats in annotator["agreement"].items()
        ]
    return {
        "dataset": dataset,
        "records_total": total,
        "records_completed": counts.get(RecordStatus.COMPLETED, 0),
        "progress_chart": charts.line_chart(submissions_per_day(dataset)),
        "annotator_chart": charts.bar_chart(
            [
                (a["username"], a["responses"]["submitted"], str(a["responses"]["submitted"]))
                for a in annotators
            ]
        ),
        "agreement_chart": charts.bar_chart(
            [
                (
                    q["title"],
                    q["alpha"] or 0.0,
                    "—" if q["alpha"] is None else f"{q['alpha']:.3f}",
                )
                for q in agreement["questions"]
            ],
            maximum=1.0,
        ),
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

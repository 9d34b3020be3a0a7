"""What the dataset dashboard shows: progress over time, responses per annotator, agreement."""

from itertools import accumulate

from django.db.models import Count
from django.db.models.functions import TruncDate

from apps.datasets.models import Dataset
from apps.exports import charts
from apps.exports.agreement import dataset_agreement
from apps.exports.models import ExportJob
from apps.records.models import Record, RecordStatus
from apps.responses.models import Response, ResponseStatus


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
                    q["question"],
                    q["alpha"] or 0.0,
                    "—" if q["alpha"] is None else f"{q['alpha']:.3f}",
                )
                for q in agreement["questions"]
            ],
            maximum=1.0,
        ),
        "agreement": agreement,
        "jobs": ExportJob.objects.filter(dataset=dataset)[:10],
    }

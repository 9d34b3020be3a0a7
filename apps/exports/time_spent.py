"""How long answers take: medians of the active seconds the web app measured, per
annotator and per question type, over submitted responses (unmeasured ones are left out)."""

from django.db.models import Aggregate, Count, FloatField, Q

from apps.datasets.models import Dataset
from apps.responses.models import Response, ResponseStatus


class Median(Aggregate):
    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def time_spent(dataset: Dataset) -> dict:
    """{"annotators": [{username, median, responses}], "types": [{type, median, responses}]}.

    Three queries: the questions, the medians per annotator, the medians per question type
    (one FILTERed aggregate per type). A response counts for a type when it answers one of
    the dataset's questions of that type."""
    names_by_type: dict[str, list[str]] = {}
    for name, settings in dataset.questions.values_list("name", "settings"):
        names_by_type.setdefault(settings.get("type"), []).append(name)
    measured = Response.objects.filter(
        record__dataset=dataset, status=ResponseStatus.SUBMITTED, active_seconds__gt=0
    )
    annotators = [
        {"username": username, "median": median, "responses": n}
        for username, median, n in measured.values_list("user__username")
        .annotate(median=Median("active_seconds"), n=Count("pk"))
        .order_by("user__username")
    ]
    aggregates = {}
    for index, names in enumerate(names_by_type.values()):
        answered = Q(values__has_any_keys=names)
        aggregates[f"median_{index}"] = Median("active_seconds", filter=answered)
        aggregates[f"n_{index}"] = Count("pk", filter=answered)
    totals = measured.aggregate(**aggregates) if aggregates else {}
    types = [
        {"type": kind, "median": totals[f"median_{i}"], "responses": totals[f"n_{i}"]}
        for i, kind in enumerate(names_by_type)
        if totals.get(f"n_{i}")
    ]
    return {"annotators": annotators, "types": types}

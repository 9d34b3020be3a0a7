"""Read-only counts behind the progress and metrics endpoints: one query each."""

from django.db.models import Count, Exists, OuterRef, Q

from apps.accounts.models import User
from apps.datasets.models import Dataset
from apps.records.models import Record, RecordStatus
from apps.responses.models import Response, ResponseStatus

_RESPONSE_STATUSES = [ResponseStatus.SUBMITTED, ResponseStatus.DRAFT, ResponseStatus.DISCARDED]


def dataset_progress(dataset: Dataset) -> dict:
    """`total` records, those `completed` (≥ min_submitted submitted responses), the rest."""
    counts = Record.objects.filter(dataset=dataset).aggregate(
        total=Count("pk"), completed=Count("pk", filter=Q(status=RecordStatus.COMPLETED))
    )
    return {**counts, "pending": counts["total"] - counts["completed"]}


def users_progress(dataset: Dataset) -> dict:
    """Each responding user's responses by status, split by the record's status."""
    rows = (
        Response.objects.filter(record__dataset=dataset)
        .values_list("user__username", "record__status", "status")
        .annotate(n=Count("pk"))
        .order_by("user__username")
    )
    users: dict[str, dict] = {}
    for username, record_status, response_status, n in rows:
        user = users.setdefault(
            username,
            {
                "username": username,
                RecordStatus.COMPLETED: dict.fromkeys(_RESPONSE_STATUSES, 0),
                RecordStatus.PENDING: dict.fromkeys(_RESPONSE_STATUSES, 0),
            },
        )
        user[record_status][response_status] += n
    return {"users": list(users.values())}


def user_metrics(dataset: Dataset, user: User) -> dict:
    """The caller's view of a dataset, in both SDK dialects (argilla-api.md §2.3).

    `pending` counts records still pending that the caller has not answered; `total` is
    the caller's responses plus those, as Argilla 2.x reports it. Two queries.
    """
    records = (
        Record.objects.filter(dataset=dataset)
        .annotate(answered=Exists(Response.objects.filter(record=OuterRef("pk"), user=user)))
        .aggregate(
            count=Count("pk"),
            pending=Count("pk", filter=Q(status=RecordStatus.PENDING, answered=False)),
        )
    )
    mine = dict.fromkeys(_RESPONSE_STATUSES, 0)
    mine.update(
        Response.objects.filter(record__dataset=dataset, user=user)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    answered = sum(mine.values())
    return {
        "records": {"count": records["count"]},
        "responses": {
            "total": answered + records["pending"],
            "count": answered,
            **mine,
            "pending": records["pending"],
        },
    }

"""The `data` of each event, in the shape the argilla 2.x SDK's `WebhookEvent.parsed` reads.

Datasets carry their workspace; records their dataset (and no `vectors` object: the SDK
expects a list there); responses their record and `user` (and no top-level `user_id`: the SDK
passes it itself). Values are left as Python objects: orjson encodes UUIDs and datetimes.
"""

from apps.datasets.models import Dataset
from apps.records.models import Record
from apps.responses.models import Response


def workspace_data(workspace) -> dict:
    return {
        "id": workspace.pk,
        "name": workspace.name,
        "inserted_at": workspace.inserted_at,
        "updated_at": workspace.updated_at,
    }


def dataset_data(dataset: Dataset) -> dict:
    return {
        "id": dataset.pk,
        "name": dataset.name,
        "guidelines": dataset.guidelines,
        "allow_extra_metadata": dataset.allow_extra_metadata,
        "status": dataset.status,
        "distribution": {
            "strategy": dataset.distribution_strategy,
            "min_submitted": dataset.min_submitted,
        },
        "workspace": workspace_data(dataset.workspace),
        "last_activity_at": dataset.last_activity_at,
        "inserted_at": dataset.inserted_at,
        "updated_at": dataset.updated_at,
    }


def record_row_data(row: dict, dataset: dict) -> dict:
    """From a record's column values (a dict by attname) and its dataset's data."""
    return {
        "id": row["id"],
        "status": row["status"],
        "fields": row["fields"],
        "metadata": row["metadata"],
        "external_id": row["external_id"],
        "dataset": dataset,
        "inserted_at": row["inserted_at"],
        "updated_at": row["updated_at"],
    }


RECORD_COLUMNS = ("id", "status", "fields", "metadata", "external_id", "inserted_at", "updated_at")


def as_row(record) -> dict:
    """A record's column values: the dict itself, or read off a Record object."""
    if isinstance(record, dict):
        return record
    return {name: getattr(record, name) for name in RECORD_COLUMNS}


def record_data(record: Record, dataset: dict | None = None) -> dict:
    return record_row_data(as_row(record), dataset or dataset_data(record.dataset))


def records_data(record_ids) -> list[dict]:
    """The records with these ids, as they are now (deleted ones are left out): two queries,
    rows as dicts (no model instances: a worker expands thousands at a time)."""
    rows = list(
        Record.objects.filter(pk__in=list(record_ids))
        .order_by("inserted_at", "id")
        .values(*RECORD_COLUMNS, "dataset_id")
    )
    datasets = Dataset.objects.filter(pk__in={row["dataset_id"] for row in rows})
    shared = {d.pk: dataset_data(d) for d in datasets.select_related("workspace")}
    return [record_row_data(row, shared[row["dataset_id"]]) for row in rows]


def user_data(user) -> dict:
    return {
        "id": user.pk,
        "username": user.username,
        "first_name": user.first_name or user.username,
        "last_name": user.last_name or None,
        "role": user.role,
        "inserted_at": user.inserted_at,
        "updated_at": user.updated_at,
    }


def response_data(response: Response, record: dict | None = None) -> dict:
    return {
        "id": response.pk,
        "values": response.values,
        "status": response.status,
        "record": record or record_data(response.record),
        "user": user_data(response.user),
        "inserted_at": response.inserted_at,
        "updated_at": response.updated_at,
    }


def responses_data(pairs) -> list[dict]:
    """The responses for these (record id, user id) pairs, as they are now: one query."""
    wanted = {(str(record_id), str(user_id)) for record_id, user_id in pairs}
    if not wanted:
        return []
    responses = Response.objects.filter(
        record_id__in={r for r, _u in wanted}, user_id__in={u for _r, u in wanted}
    ).select_related("record__dataset__workspace", "user")
    shared: dict = {}
    result = []
    for response in responses.order_by("inserted_at", "id"):
        if (str(response.record_id), str(response.user_id)) not in wanted:
            continue
        dataset = response.record.dataset
        if dataset.pk not in shared:
            shared[dataset.pk] = dataset_data(dataset)
        result.append(response_data(response, record_data(response.record, shared[dataset.pk])))
    return result

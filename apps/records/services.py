"""Writing records with their suggestions and vectors, validated and all-or-nothing."""

import uuid
from dataclasses import dataclass
from datetime import timedelta

import orjson
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Role, User
from apps.datasets.errors import Problem, Problems, ValidationFailed
from apps.datasets.models import Dataset
from apps.datasets.schema import DatasetSchema
from apps.records.models import Record, Suggestion, Vector
from apps.records.validation import CleanRecord, clean_record, clean_records, clean_suggestions
from apps.responses.models import Response, ResponseStatus
from apps.responses.status import lock_records, refresh_record_statuses
from apps.responses.validation import clean_values


def ensure_published(dataset: Dataset) -> None:
    if not dataset.is_published:
        raise ValidationFailed.single(
            ("dataset",), _("Records cannot be added to a dataset that is not published.")
        )


def _check_new_external_ids(dataset: Dataset, records: list[CleanRecord]) -> None:
    external_ids = [r.external_id for r in records if r.external_id is not None]
    if not external_ids:
        return
    taken = set(
        Record.objects.filter(dataset=dataset, external_id__in=external_ids).values_list(
            "external_id", flat=True
        )
    )
    problems = Problems()
    for index, record in enumerate(records):
        if record.external_id in taken:
            problems.add(
                ("items", index, "external_id"),
                _("A record with external_id %(id)r already exists in this dataset.")
                % {"id": record.external_id},
            )
    problems.raise_if_any()


@transaction.atomic
def create_records(
    *, dataset: Dataset, items: list, schema: DatasetSchema | None = None
) -> list[Record]:
    """Validate and insert new records (with suggestions and vectors) in bulk.

    A constant number of queries whatever len(items): schema, external-id check, and one
    INSERT per table.
    """
    ensure_published(dataset)
    schema = schema or DatasetSchema.load(dataset)
    cleaned = clean_records(schema, items)
    _check_new_external_ids(dataset, cleaned)
    now = timezone.now()
    records = [
        Record(
            dataset=dataset,
            external_id=item.external_id,
            fields=item.fields,
            metadata=item.metadata or {},
            inserted_at=now,
            updated_at=now,
        )
        for item in cleaned
    ]
    Record.objects.bulk_create(records)
    Suggestion.objects.bulk_create(
        Suggestion(
            record=record,
            question=s.question,
            value=s.value,
            score=s.score,
            agent=s.agent,
            type=s.type,
        )
        for record, item in zip(records, cleaned, strict=True)
        for s in item.suggestions
    )
    Vector.objects.bulk_create(
        Vector(
            record=record,
            vector_settings=schema.vectors_settings[name],
            value=Vector.pack(values),
        )
        for record, item in zip(records, cleaned, strict=True)
        for name, values in item.vectors.items()
    )
    Dataset.objects.filter(pk=dataset.pk).update(last_activity_at=now)
    return records


# --- Upsert, update and delete (the API's bulk and single-record writes) -------------------

MAX_BULK_ITEMS = 500


@dataclass
class UpsertResult:
    record_ids: list  # every item's record id, in item order
    updated_ids: list  # ids of records that existed before
    # When every item made a new record, what was written, so the answer needs no re-read.
    new_records: list | None = None
    children: dict | None = None


def _allowed_response_users(dataset: Dataset, user_ids: set) -> dict:
    """Users who may answer in this dataset: members of its workspace, and owners."""
    if not user_ids:
        return {}
    users = User.objects.filter(pk__in=list(user_ids), is_active=True).filter(
        Q(role=Role.OWNER) | Q(memberships__workspace_id=dataset.workspace_id)
    )
    return {u.pk: u for u in users.distinct()}


def _user_ids_in(items: list) -> set:
    ids = set()
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("responses"), list):
            for response in item["responses"]:
                if isinstance(response, dict):
                    try:
                        ids.add(uuid.UUID(str(response.get("user_id"))))
                    except ValueError:
                        pass
    return ids


def _clean_responses(problems: Problems, schema, responses, users: dict, record_fields) -> list:
    """[(user, status, values)] or problems located at ("responses", i, ...)."""
    if responses is None:
        return []
    if not isinstance(responses, list):
        problems.add(("responses",), _("responses must be a list."))
        return []
    cleaned, seen = [], set()
    for index, response in enumerate(responses):
        loc = ("responses", index)
        if not isinstance(response, dict):
            problems.add(loc, _("A response must be an object."))
            continue
        try:
            user = users.get(uuid.UUID(str(response.get("user_id"))))
        except ValueError:
            user = None
        if user is None:
            problems.add(
                loc + ("user_id",),
                _("No user with this id may answer in this dataset's workspace."),
            )
            continue
        if user.pk in seen:
            problems.add(loc + ("user_id",), _("Only one response per user and record."))
            continue
        seen.add(user.pk)
        status = response.get("status") or ResponseStatus.DRAFT
        try:
            values = clean_values(
                schema, response.get("values"), status=status, record_fields=record_fields
            )
        except ValidationFailed as error:
            problems.extend(error, *loc)
            continue
        cleaned.append((user, status, values))
    return cleaned


def _as_uuid_or_none(value):
    if value is None:
        return None
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _json(value):
    return None if value is None else orjson.dumps(value).decode()


_COPY_COLUMNS = {
    Record: (
        "id",
        "dataset_id",
        "external_id",
        "fields",
        "metadata",
        "status",
        "inserted_at",
        "updated_at",
    ),
    Suggestion: (
        "id",
        "record_id",
        "question_id",
        "value",
        "score",
        "agent",
        "type",
        "inserted_at",
        "updated_at",
    ),
    Vector: ("id", "record_id", "vector_settings_id", "value", "inserted_at", "updated_at"),
    Response: ("id", "record_id", "user_id", "values", "status", "inserted_at", "updated_at"),
}
_JSON_COLUMNS = {"fields", "metadata", "value", "score", "values"}


def insert_rows(model, objs: list) -> None:
    """Insert new rows (ids set in Python): COPY on PostgreSQL, bulk_create elsewhere.

    COPY is about four times faster than INSERT for a 500-record request (DESIGN.md §6).
    """
    if not objs:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs)
        return
    columns = _COPY_COLUMNS[model]
    json_columns = [c in _JSON_COLUMNS and not (model is Vector and c == "value") for c in columns]
    sql = f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor:
        with cursor.connection.cursor().copy(sql) as copy:
            for obj in objs:
                copy.write_row(
                    [
                        _json(getattr(obj, c)) if is_json else getattr(obj, c)
                        for c, is_json in zip(columns, json_columns, strict=True)
                    ]
                )


def insert_records(records: list[Record]) -> None:
    insert_rows(Record, records)


@transaction.atomic
def upsert_records(
    *, dataset: Dataset, items, mode: str = "upsert", schema: DatasetSchema | None = None
) -> UpsertResult:
    """Create or update records in bulk, all-or-nothing, with a constant number of queries.

    mode "upsert" (PUT bulk): match each item by external_id, then by id, within this dataset;
    matched records get metadata (when sent), suggestions, responses and vectors upserted and
    keep their fields; unmatched items become new records with new ids (a client id that
    matches nothing is ignored). mode "create" (POST): every item is new; a taken external_id
    is a 422. mode "update" (PATCH): every item names an existing record by id.
    """
    if not isinstance(items, list):
        raise ValidationFailed.single(("items",), _("items must be a list of records."))
    ensure_published(dataset)
    schema = schema or DatasetSchema.load(dataset)
    external_ids, ids = set(), set()
    for item in items:
        if isinstance(item, dict):
            if item.get("external_id") is not None and mode != "update":
                external_ids.add(str(item["external_id"]))
            if item.get("id") is not None and mode != "create" and _as_uuid_or_none(item["id"]):
                ids.add(_as_uuid_or_none(item["id"]))
    existing = []
    if external_ids or ids:
        existing = list(
            Record.objects.filter(dataset=dataset)
            .filter(Q(external_id__in=external_ids) | Q(pk__in=ids))
            .only("id", "external_id", "fields")
        )
    by_external = {r.external_id: r for r in existing if r.external_id is not None}
    by_id = {r.pk: r for r in existing}
    users = _allowed_response_users(dataset, _user_ids_in(items))

    problems = Problems()
    now = timezone.now()
    plan = []  # (record, is_new, clean, responses)
    seen_external, seen_ids = set(), set()
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            problems.add(("items", index), _("A record must be an object."))
            continue
        match = None
        if mode != "update" and item.get("external_id") is not None:
            match = by_external.get(str(item["external_id"]))
            if match is not None and mode == "create":
                problems.add(
                    ("items", index, "external_id"),
                    _("A record with external_id %(id)r already exists in this dataset.")
                    % {"id": item["external_id"]},
                )
                continue
        if match is None and mode != "create":
            match = by_id.get(_as_uuid_or_none(item.get("id")))
        if match is None and mode == "update":
            problems.add(("items", index, "id"), _("No record with this id in this dataset."))
            continue
        if mode == "update":
            item = {k: v for k, v in item.items() if k not in ("fields", "external_id")}
        item_problems = Problems()
        try:
            clean = clean_record(
                schema, item, existing_fields=match.fields if match is not None else None
            )
        except ValidationFailed as error:
            problems.extend(error, "items", index)
            continue
        record_fields = clean.fields if match is None else match.fields
        responses = _clean_responses(
            item_problems, schema, item.get("responses"), users, record_fields
        )
        if item_problems:
            problems.extend(ValidationFailed(item_problems.items), "items", index)
            continue
        if match is None:
            if clean.external_id is not None:
                if clean.external_id in seen_external:
                    problems.add(
                        ("items", index, "external_id"),
                        _("external_id %(id)r appears twice in this request.")
                        % {"id": clean.external_id},
                    )
                    continue
                seen_external.add(clean.external_id)
            record = Record(
                id=uuid.uuid4(),
                dataset_id=dataset.pk,
                external_id=clean.external_id,
                fields=clean.fields,
                metadata=clean.metadata or {},
                # A microsecond apart, so the default order (inserted_at, id) is request order.
                inserted_at=now + timedelta(microseconds=index),
                updated_at=now,
            )
        else:
            if match.pk in seen_ids:
                problems.add(("items", index), _("This record appears twice in this request."))
                continue
            seen_ids.add(match.pk)
            record = match
            record.updated_at = now
        plan.append((record, match is None, clean, responses))
    problems.raise_if_any()

    insert_records([record for record, is_new, _c, _r in plan if is_new])
    matched = [(record, clean) for record, is_new, clean, _r in plan if not is_new]
    if matched:
        with_metadata = [r for r, clean in matched if clean.metadata is not None]
        for record, clean in matched:
            if clean.metadata is not None:
                record.metadata = clean.metadata
        if with_metadata:
            Record.objects.bulk_update(with_metadata, ["metadata", "updated_at"])
        without = [r.pk for r, clean in matched if clean.metadata is None]
        if without:
            Record.objects.filter(pk__in=without).update(updated_at=now)
    children = _upsert_children(plan, schema, now)
    record_ids = [record.pk for record, *_rest in plan]
    # Statuses change with responses, so only response-free creations are answered from memory.
    result_new = all(is_new and not responses for _r, is_new, _c, responses in plan)
    if any(responses for *_rest, responses in plan):
        refresh_record_statuses(dataset=dataset, record_ids=record_ids)
    Dataset.objects.filter(pk=dataset.pk).update(last_activity_at=now)
    return UpsertResult(
        record_ids=record_ids,
        updated_ids=[record.pk for record, is_new, *_rest in plan if not is_new],
        new_records=[record for record, *_rest in plan] if result_new else None,
        children=children if result_new else None,
    )


def _upsert_children(plan: list, schema: DatasetSchema, now) -> dict:
    """Suggestions per (record, question), vectors per (record, name), responses per
    (record, user): one INSERT … ON CONFLICT DO UPDATE per table, or plain inserts (COPY on
    PostgreSQL) when every record is new. Returns the rows written, by kind."""
    all_new = all(is_new for _r, is_new, *_rest in plan)
    suggestions = [
        Suggestion(
            id=uuid.uuid4(),
            record_id=record.pk,
            question_id=s.question.pk,
            value=s.value,
            score=s.score,
            agent=s.agent,
            type=s.type,
            inserted_at=now,
            updated_at=now,
        )
        for record, _new, clean, _r in plan
        for s in clean.suggestions
    ]
    if all_new:
        insert_rows(Suggestion, suggestions)
    elif suggestions:
        Suggestion.objects.bulk_create(
            suggestions,
            update_conflicts=True,
            unique_fields=["record", "question"],
            update_fields=["value", "score", "agent", "type", "updated_at"],
        )
    vectors = [
        Vector(
            id=uuid.uuid4(),
            record_id=record.pk,
            vector_settings_id=schema.vectors_settings[name].pk,
            value=Vector.pack(values),
            inserted_at=now,
            updated_at=now,
        )
        for record, _new, clean, _r in plan
        for name, values in clean.vectors.items()
    ]
    if all_new:
        insert_rows(Vector, vectors)
    elif vectors:
        Vector.objects.bulk_create(
            vectors,
            update_conflicts=True,
            unique_fields=["record", "vector_settings"],
            update_fields=["value", "updated_at"],
        )
    responses = [
        Response(
            id=uuid.uuid4(),
            record_id=record.pk,
            user_id=user.pk,
            values=values,
            status=status,
            inserted_at=now,
            updated_at=now,
        )
        for record, _new, _c, cleaned in plan
        for user, status, values in cleaned
    ]
    if all_new:
        insert_rows(Response, responses)
    elif responses:
        lock_records([record.pk for record, is_new, *_rest in plan if not is_new])
        Response.objects.bulk_create(
            responses,
            update_conflicts=True,
            unique_fields=["record", "user"],
            update_fields=["values", "status", "updated_at"],
        )
    names = {v.pk: name for name, v in schema.vectors_settings.items()}
    return {"suggestions": suggestions, "vectors": vectors, "vector_names": names}


@transaction.atomic
def delete_records(*, dataset: Dataset, ids: list) -> int:
    """Delete the given records of `dataset` (ids of other datasets are ignored)."""
    deleted, _detail = Record.objects.filter(dataset=dataset, pk__in=ids).delete()
    Dataset.objects.filter(pk=dataset.pk).update(last_activity_at=timezone.now())
    return deleted


@transaction.atomic
def delete_record(*, record: Record) -> None:
    dataset_id = record.dataset_id
    record.delete()
    Dataset.objects.filter(pk=dataset_id).update(last_activity_at=timezone.now())


@transaction.atomic
def upsert_suggestion(*, record: Record, data, schema: DatasetSchema) -> tuple[Suggestion, bool]:
    """Create or replace the suggestion for one question of `record`; (suggestion, created)."""
    if not isinstance(data, dict):
        raise ValidationFailed.single((), _("A suggestion must be an object."))
    problems = Problems()
    cleaned = clean_suggestions(problems, schema, [data], record.fields)
    if problems:
        # Locations start with ("suggestions", 0); the body is the suggestion itself.
        raise ValidationFailed(Problem(p.loc[2:], p.message) for p in problems.items)
    s = cleaned[0]
    suggestion, created = Suggestion.objects.update_or_create(
        record=record,
        question=s.question,
        defaults={"value": s.value, "score": s.score, "agent": s.agent, "type": s.type},
    )
    return suggestion, created


@transaction.atomic
def delete_suggestions(*, record: Record, ids: list) -> int:
    return Suggestion.objects.filter(record=record, pk__in=ids).delete()[0]

"""Writing records with their suggestions and vectors, validated and all-or-nothing."""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple
from uuid import UUID

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Role, User
from apps.core.errors import Problem, Problems, ValidationFailed
from apps.datasets.models import Dataset
from apps.datasets.schema import DatasetSchema
from apps.records.bulk import insert_rows, update_rows, upsert_rows
from apps.records.models import Record, RecordStatus, Suggestion, Vector
from apps.records.validation import CleanRecord, clean_record, clean_records, clean_suggestions
from apps.responses.models import Response, ResponseStatus
from apps.responses.status import lock_records, refresh_record_statuses
from apps.responses.validation import clean_values
from apps.webhooks import events as webhooks


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
            # A microsecond apart, so the default order (inserted_at, id) is request order.
            inserted_at=now + timedelta(microseconds=index),
            updated_at=now,
        )
        for index, item in enumerate(cleaned)
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
            value=values,
        )
        for record, item in zip(records, cleaned, strict=True)
        for name, values in item.vectors.items()
    )
    Dataset.objects.filter(pk=dataset.pk).update(last_activity_at=now)
    _assign(dataset, records)
    webhooks.records_created(dataset, records)
    return records


class NewRecord(NamedTuple):
    """What the work queue needs of a record just inserted as a plain row."""

    pk: UUID
    inserted_at: datetime


def _assign(dataset: Dataset, records) -> None:
    """Every insertion path hands its new records to the work queue (assigned mode deals them)."""
    from apps.annotation.services import assign_new_records  # annotation builds on records

    assign_new_records(dataset=dataset, records=records)


# --- Upsert, update and delete (the API's bulk and single-record writes) -------------------

MAX_BULK_ITEMS = 500


@dataclass
class UpsertResult:
    record_ids: list  # every item's record id, in item order
    updated_ids: list  # ids of records that existed before
    # When every item made a new record, the rows written (dicts of column values: the new
    # records, and by kind their suggestions and vectors), so the answer needs no re-read.
    new_rows: list | None = None
    children: dict | None = None


@dataclass
class _Planned:
    """What one valid item will write."""

    record_id: uuid.UUID
    new_row: dict | None  # the new record's columns; None when the item matched a record
    clean: CleanRecord
    responses: list  # [(user, status, values)]


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


def _existing_records(dataset: Dataset, items: list, mode: str) -> list[Record]:
    """The dataset's records that items name by external_id (not in "update" mode) or by id
    (not in "create" mode): one query."""
    external_ids, ids = set(), set()
    for item in items:
        if isinstance(item, dict):
            if item.get("external_id") is not None and mode != "update":
                external_ids.add(str(item["external_id"]))
            if item.get("id") is not None and mode != "create":
                record_id = _as_uuid_or_none(item["id"])
                if record_id is not None:
                    ids.add(record_id)
    if not (external_ids or ids):
        return []
    # A creation only needs to know the external id is taken; an upsert also needs the
    # fields (span suggestions and responses are checked against the record's text).
    columns = ("id", "external_id") if mode == "create" else ("id", "external_id", "fields")
    # One array per list instead of one placeholder per value (500 of them for a full
    # request), which the driver and Django would otherwise handle one by one.
    sql = (
        f"SELECT {', '.join(columns)} FROM {Record._meta.db_table} WHERE dataset_id = %s "
        "AND (external_id = ANY(%s::varchar[]) OR id = ANY(%s::uuid[]))"
    )
    return list(Record.objects.raw(sql, [dataset.pk, list(external_ids), list(ids)]))


def _new_record_row(dataset: Dataset, clean: CleanRecord, inserted_at, now) -> dict:
    # In the order of the API's record objects: the row is also the answer.
    return {
        "id": uuid.uuid4(),
        "external_id": clean.external_id,
        "status": RecordStatus.PENDING.value,
        "fields": clean.fields,
        "metadata": clean.metadata or {},
        "dataset_id": dataset.pk,
        "inserted_at": inserted_at,
        "updated_at": now,
    }


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
    existing = _existing_records(dataset, items, mode)
    by_external = {r.external_id: r for r in existing if r.external_id is not None}
    by_id = {r.pk: r for r in existing}
    users = _allowed_response_users(dataset, _user_ids_in(items))

    problems = Problems()
    now = timezone.now()
    plan: list[_Planned] = []
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
            # A microsecond apart, so the default order (inserted_at, id) is request order.
            row = _new_record_row(dataset, clean, now + timedelta(microseconds=index), now)
            plan.append(_Planned(row["id"], row, clean, responses))
        else:
            if match.pk in seen_ids:
                problems.add(("items", index), _("This record appears twice in this request."))
                continue
            seen_ids.add(match.pk)
            plan.append(_Planned(match.pk, None, clean, responses))
    problems.raise_if_any()

    new_rows = [p.new_row for p in plan if p.new_row is not None]
    insert_rows(Record, new_rows)
    _assign(dataset, [NewRecord(row["id"], row["inserted_at"]) for row in new_rows])
    _update_matched([p for p in plan if p.new_row is None], now)
    answered = _answered_before(plan)
    children = _upsert_children(plan, schema, now)
    _emit_upserted(dataset, plan, new_rows, answered)  # before statuses: record.completed last
    record_ids = [p.record_id for p in plan]
    has_responses = any(p.responses for p in plan)
    if has_responses:
        refresh_record_statuses(dataset=dataset, record_ids=record_ids)
    Dataset.objects.filter(pk=dataset.pk).update(last_activity_at=now)
    # Statuses change with responses, so only response-free creations are answered from memory.
    from_memory = len(new_rows) == len(plan) and not has_responses
    return UpsertResult(
        record_ids=record_ids,
        updated_ids=[p.record_id for p in plan if p.new_row is None],
        new_rows=new_rows if from_memory else None,
        children=children if from_memory else None,
    )


def _answered_before(plan: list[_Planned]) -> set:
    """(record id, user id) of the responses that items replace: their events are updates.
    A query only when items carry responses to existing records."""
    pairs = {(p.record_id, user.pk) for p in plan if p.new_row is None for user, *_ in p.responses}
    if not pairs:
        return set()
    found = Response.objects.filter(
        record_id__in={r for r, _u in pairs}, user_id__in={u for _r, u in pairs}
    ).values_list("record_id", "user_id")
    return set(found) & pairs


def _emit_upserted(dataset: Dataset, plan: list[_Planned], new_rows: list, answered: set) -> None:
    """Webhook events, sent once the transaction commits (record.completed: see status.py)."""
    webhooks.records_created(dataset, new_rows)
    webhooks.records_event(
        webhooks.Event.RECORD_UPDATED, dataset, [p.record_id for p in plan if p.new_row is None]
    )
    pairs = [(p.record_id, user.pk) for p in plan for user, *_ in p.responses]
    webhooks.responses_written(
        dataset,
        created=[pair for pair in pairs if pair not in answered],
        updated=[pair for pair in pairs if pair in answered],
    )


def _update_matched(matched: list[_Planned], now) -> None:
    """Matched records take the metadata sent (kept when not sent) and a new updated_at."""
    if not matched:
        return
    rows = [{"id": p.record_id, "metadata": p.clean.metadata, "updated_at": now} for p in matched]
    update_rows(Record, rows, columns=("metadata", "updated_at"), keep_when_null=("metadata",))


def _upsert_children(plan: list[_Planned], schema: DatasetSchema, now) -> dict:
    """Suggestions per (record, question), vectors per (record, name), responses per
    (record, user): one INSERT … ON CONFLICT DO UPDATE per table, or plain inserts (COPY on
    PostgreSQL) when every record is new. Returns the suggestion and vector rows written."""
    all_new = all(p.new_row is not None for p in plan)
    suggestions = [
        # In the order of the API's suggestion objects: the row is also the answer.
        {
            "id": uuid.uuid4(),
            "question_id": s.question.pk,
            "value": s.value,
            "score": s.score,
            "agent": s.agent,
            "type": s.type,
            "record_id": p.record_id,
            "inserted_at": now,
            "updated_at": now,
        }
        for p in plan
        for s in p.clean.suggestions
    ]
    vectors = [
        {
            "id": uuid.uuid4(),
            "record_id": p.record_id,
            "vector_settings_id": schema.vectors_settings[name].pk,
            "value": values,
            "inserted_at": now,
            "updated_at": now,
        }
        for p in plan
        for name, values in p.clean.vectors.items()
    ]
    responses = [
        {
            "id": uuid.uuid4(),
            "record_id": p.record_id,
            "user_id": user.pk,
            "values": values,
            "status": status,
            "inserted_at": now,
            "updated_at": now,
        }
        for p in plan
        for user, status, values in p.responses
    ]
    if all_new:
        insert_rows(Suggestion, suggestions)
        insert_rows(Vector, vectors)
        insert_rows(Response, responses)
    else:
        upsert_rows(
            Suggestion,
            suggestions,
            unique=("record_id", "question_id"),
            update=("value", "score", "agent", "type", "updated_at"),
        )
        upsert_rows(
            Vector,
            vectors,
            unique=("record_id", "vector_settings_id"),
            update=("value", "updated_at"),
        )
        if responses:
            lock_records([p.record_id for p in plan if p.new_row is None])
            upsert_rows(
                Response,
                responses,
                unique=("record_id", "user_id"),
                update=("values", "status", "updated_at"),
            )
    names = {v.pk: name for name, v in schema.vectors_settings.items()}
    return {"suggestions": suggestions, "vectors": vectors, "vector_names": names}


@transaction.atomic
def delete_records(*, dataset: Dataset, ids: list) -> int:
    """Delete the given records of `dataset` (ids of other datasets are ignored)."""
    webhooks.records_deleted(dataset, Record.objects.filter(dataset=dataset, pk__in=ids))
    deleted, _detail = Record.objects.filter(dataset=dataset, pk__in=ids).delete()
    Dataset.objects.filter(pk=dataset.pk).update(last_activity_at=timezone.now())
    return deleted


@transaction.atomic
def delete_record(*, record: Record) -> None:
    dataset_id = record.dataset_id
    webhooks.records_deleted(None, [record])
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

"""The API's bulk record writes: create, upsert or update up to 500 records, with their
suggestions, vectors and responses, validated first and all-or-nothing, in a constant
number of queries.

Records sit below responses (the layers in pyproject.toml), so this module names no
responses module: the responses app plugs its half in (`RESPONSES`, connected in
`ResponsesConfig.ready()`): cleaning an item's responses, and writing them with the one
writer of many responses (`responses.services.save_responses`).
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple
from uuid import UUID

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Role, User
from apps.core.errors import Problems, ValidationFailed
from apps.datasets.models import Dataset
from apps.datasets.schema import DatasetSchema
from apps.records import signals
from apps.records.bulk import insert_rows, update_rows, upsert_rows
from apps.records.models import Record, RecordStatus, Suggestion, Vector
from apps.records.validation import (
    CleanRecord,
    clean_record,
    ensure_published,
    repeats_external_id,
)


class ResponsesHook:
    """The responses app's half of a record upsert, connected once at start-up.

    `clean(problems, schema, responses, users, record_fields)` → the item's cleaned
    responses (objects with `for_record(record_id)`), problems at ("responses", i, …);
    `save(dataset=, writes=, new_records=, stamp_activity=)` writes them all."""

    clean = None
    save = None

    def connect(self, *, clean, save) -> None:
        self.clean, self.save = clean, save

    def require(self) -> "ResponsesHook":
        if self.save is None:
            raise ImproperlyConfigured("apps.responses is not installed: no responses writer.")
        return self


RESPONSES = ResponsesHook()


class NewRecord(NamedTuple):
    """What the work queue needs of a record just inserted as a plain row."""

    pk: UUID
    inserted_at: datetime


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
    responses: list  # the item's cleaned responses (`ResponsesHook.clean`)


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
        responses = (
            RESPONSES.require().clean(
                item_problems, schema, item.get("responses"), users, record_fields
            )
            if item.get("responses") is not None
            else []
        )
        if item_problems:
            problems.extend(ValidationFailed(item_problems.items), "items", index)
            continue
        if match is None:
            if repeats_external_id(problems, seen_external, index, clean.external_id):
                continue
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
    if new_rows:
        # The work queue deals them; the webhooks announce them (record.created first).
        new_records = [NewRecord(row["id"], row["inserted_at"]) for row in new_rows]
        signals.records_inserted.send(sender=Record, dataset=dataset, records=new_records)
    matched = [p for p in plan if p.new_row is None]
    _update_matched(matched, now)
    if matched:
        signals.records_updated.send(
            sender=Record, dataset=dataset, record_ids=[p.record_id for p in matched]
        )
    children = _upsert_children(plan, schema, now)
    writes = [w.for_record(p.record_id) for p in plan for w in p.responses]
    if writes:
        # The one writer of many responses: events (response.*, then record.completed) and
        # statuses. The dataset's last activity is stamped below.
        RESPONSES.require().save(
            dataset=dataset, writes=writes, new_records=not matched, stamp_activity=False
        )
    Dataset.objects.filter(pk=dataset.pk).update(last_activity_at=now)
    # Statuses change with responses, so only response-free creations are answered from memory.
    from_memory = not matched and not writes
    return UpsertResult(
        record_ids=[p.record_id for p in plan],
        updated_ids=[p.record_id for p in matched],
        new_rows=new_rows if from_memory else None,
        children=children if from_memory else None,
    )


def _update_matched(matched: list[_Planned], now) -> None:
    """Matched records take the metadata sent (kept when not sent) and a new updated_at."""
    if not matched:
        return
    rows = [{"id": p.record_id, "metadata": p.clean.metadata, "updated_at": now} for p in matched]
    update_rows(Record, rows, columns=("metadata", "updated_at"), keep_when_null=("metadata",))


def _upsert_children(plan: list[_Planned], schema: DatasetSchema, now) -> dict:
    """Suggestions per (record, question), vectors per (record, name): one INSERT … ON
    CONFLICT DO UPDATE per table, or plain inserts (COPY) when every record is new. Returns
    the suggestion and vector rows written."""
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
    if all_new:
        insert_rows(Suggestion, suggestions)
        insert_rows(Vector, vectors)
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
    names = {v.pk: name for name, v in schema.vectors_settings.items()}
    return {"suggestions": suggestions, "vectors": vectors, "vector_names": names}

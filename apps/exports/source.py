"""Reading a dataset for export: records in chunks, with their answers and suggestions.

Memory stays flat in the dataset's size: records are read a chunk at a time. The database
assembles each chunk of records, with their responses and suggestions, into one JSON
document (`_CHUNKS_SQL`) and streams them with `COPY … TO STDOUT` (see `_documents`), so
Python parses one string per chunk while the database's work runs in its own process.
"""

import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta

import orjson
from django.db import connection
from psycopg import ClientCursor

from apps.accounts.models import User
from apps.core.db import client_binding_cursor, separate_connection
from apps.datasets.models import Dataset, Question
from apps.records.models import Record, Suggestion
from apps.responses.models import Response, ResponseStatus

DEFAULT_CHUNK_SIZE = 1000

USERS = User._meta.db_table
QUESTIONS = Question._meta.db_table
RECORDS = Record._meta.db_table
SUGGESTIONS = Suggestion._meta.db_table
RESPONSES = Response._meta.db_table


@dataclass(slots=True)
class Answer:
    """One annotator's response to a record."""

    username: str
    values: dict  # {question: {"value": ...}}
    status: str
    active_seconds: int = 0  # time spent in the web app

    def value(self, question: str):
        entry = self.values.get(question)
        return entry.get("value") if isinstance(entry, dict) else None


@dataclass(slots=True)
class SuggestionRow:
    value: object
    score: object
    agent: str | None
    type: str | None


@dataclass(slots=True)
class Item:
    """A record with its responses (oldest first) and suggestions (by question name)."""

    id: object
    external_id: str | None
    fields: dict
    metadata: dict
    status: str
    inserted_at: str  # ISO 8601, UTC
    updated_at: str
    responses: list[Answer] = field(default_factory=list)
    suggestions: dict[str, SuggestionRow] = field(default_factory=dict)

    def submitted(self, question: str) -> list[tuple[Answer, object]]:
        """(answer, value) of every submitted response that answers `question`."""
        return [
            (answer, value)
            for answer in self.responses
            if answer.status == ResponseStatus.SUBMITTED
            and (value := answer.value(question)) is not None
        ]


def count_records(dataset: Dataset) -> int:
    return Record.objects.filter(dataset=dataset).count()


def iter_chunks(
    dataset: Dataset,
    *,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    response_statuses: Iterable[str] | None = None,
    with_suggestions: bool = True,
) -> Iterator[list[Item]]:
    """The dataset's records in insertion order, `chunk_size` at a time, answers attached.

    Queries: one (a COPY on a connection of the export's own, see `_documents`).
    """
    statuses = list(response_statuses) if response_statuses is not None else None
    yield from _documents(dataset, chunk_size, statuses, with_suggestions)


_ISO = """to_char({} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')"""
# One record: [id, external_id, fields, metadata, status, inserted_at, updated_at,
#              [[inserted_at, id, username, values, status, active_seconds], …] or null,
#              [[question, value, score, agent, type], …] or null].
# Responses come unsorted (Python sorts the few of a record): a sort per record, and joins
# where a scalar lookup does, cost the database more than the rest of the document.
_DOCUMENT = f"""
    json_build_array(
        r.id, r.external_id, r.fields, r.metadata, r.status,
        {_ISO.format("r.inserted_at")}, {_ISO.format("r.updated_at")},
        (SELECT json_agg(json_build_array(
             a.inserted_at, a.id, (SELECT u.username FROM {USERS} u WHERE u.id = a.user_id),
             a."values", a.status, a.active_seconds))
         FROM {RESPONSES} a WHERE a.record_id = r.id {{status_filter}}),
        {{suggestions}}
    )
"""
_DOCUMENT_SUGGESTIONS = f"""
        (SELECT json_agg(json_build_array(
             (SELECT q.name FROM {QUESTIONS} q WHERE q.id = s.question_id),
             s.value, s.score, s.agent, s.type))
         FROM {SUGGESTIONS} s WHERE s.record_id = r.id)
"""
# The first record of every chunk, in export order, then the dataset's last record.
_CHUNK_STARTS_SQL = f"""
    SELECT inserted_at, id FROM (
        SELECT inserted_at, id, row_number() OVER (ORDER BY inserted_at, id) AS n
        FROM {RECORDS} WHERE dataset_id = %s
    ) numbered WHERE n %% %s = 1 ORDER BY n
"""
_LAST_RECORD_SQL = f"""
    SELECT inserted_at, id FROM {RECORDS} WHERE dataset_id = %s
    ORDER BY inserted_at DESC, id DESC LIMIT 1
"""
# One row per chunk: a JSON array of its records' documents. A chunk runs from its first
# record up to the next chunk's first (the last chunk: to just past the dataset's last
# record when the export began), so a record that existed then is read exactly once,
# whatever is added or removed meanwhile (COPY has a snapshot of its own). The LIMIT, twice
# a chunk, only tells the planner to walk the index in order; `_chunks` refuses a chunk
# that reaches it. json_agg keeps the order of the ordered subquery it reads (an ORDER BY
# inside json_agg would sort the documents themselves, a third of the query's time);
# `_in_order` checks it anyway.
_CHUNKS_SQL = f"""
    SELECT (SELECT json_agg(document) FROM (
                SELECT {_DOCUMENT} AS document
                FROM {RECORDS} r
                WHERE r.dataset_id = %s AND (r.inserted_at, r.id) >= (c.first_at, c.first_id)
                  AND (r.inserted_at, r.id) < (c.next_at, c.next_id)
                ORDER BY r.inserted_at, r.id LIMIT %s
            ) chunk)
    FROM unnest(%s::timestamptz[], %s::uuid[], %s::timestamptz[], %s::uuid[])
         WITH ORDINALITY AS c(first_at, first_id, next_at, next_id, n)
    ORDER BY c.n
"""
# COPY's CSV format without quoting or escaping: JSON text never holds these two bytes.
_RAW_LINES = "FORMAT csv, DELIMITER E'\\x02', QUOTE E'\\x01'"


# Chunks per COPY when the export must share the caller's connection (see `_documents`).
_SHARED_CONNECTION_CHUNKS = 10


def _documents(dataset, chunk_size: int, statuses, with_suggestions: bool) -> Iterator[list]:
    """Each chunk of records as one JSON array, read with `COPY … TO STDOUT`.

    One line per chunk keeps the per-message cost out of the per-record loop. While a COPY
    runs its connection can do nothing else, and callers query between chunks (a
    background job records its progress), so:

    - outside a transaction, everything to read is committed: a connection of the export's
      own streams the whole dataset in one COPY, and the database builds documents in its
      process while this one writes rows (a cursor's FETCH would make each wait for the
      other);
    - inside the caller's transaction (which may hold rows no other connection sees), the
      caller's connection reads `_SHARED_CONNECTION_CHUNKS` chunks per COPY, each COPY read
      to its end before its chunks are handed out.
    """
    chunks_sql = _CHUNKS_SQL.format(
        status_filter="AND a.status = ANY(%s)" if statuses is not None else "",
        suggestions=_DOCUMENT_SUGGESTIONS if with_suggestions else "NULL",
    )
    copy_sql = f"COPY ({chunks_sql}) TO STDOUT ({_RAW_LINES})"
    head = [statuses] if statuses is not None else []
    if connection.in_atomic_block:
        # Wrapped like Django's own cursors, so its query log counts these statements too.
        raw, wrapped = client_binding_cursor()
        with wrapped as cursor:
            for bounds in _chunk_bounds(cursor, dataset, chunk_size, _SHARED_CONNECTION_CHUNKS):
                statement = raw.mogrify(copy_sql, [*head, dataset.pk, *bounds])
                with cursor.copy(statement) as copy:
                    lines = [bytes(line) for line in copy]
                yield from _chunks(lines, chunk_size)
        return
    # COPY takes no bound parameters: a client-side binding cursor merges them in.
    with separate_connection() as own, ClientCursor(own) as cursor:
        # JIT compiling this one long query costs more than it saves.
        cursor.execute("SET LOCAL jit = off")
        for bounds in _chunk_bounds(cursor, dataset, chunk_size, None):
            with cursor.copy(copy_sql, [*head, dataset.pk, *bounds]) as copy:
                yield from _chunks(copy, chunk_size)


def _chunk_bounds(cursor, dataset, chunk_size: int, per_copy: int | None) -> Iterator[list]:
    """The parameters of `_CHUNKS_SQL` after the dataset's, for each COPY: its chunks' cap,
    first records and upper bounds (`per_copy` chunks each, or all in one)."""
    cursor.execute(_CHUNK_STARTS_SQL, [dataset.pk, chunk_size])
    starts = cursor.fetchall()
    if not starts:
        return
    cursor.execute(_LAST_RECORD_SQL, [dataset.pk])
    last_at, _last_id = cursor.fetchone()
    # Just past the last record: timestamps have microseconds, and the nil UUID sorts first.
    ends = [*starts[1:], (last_at + timedelta(microseconds=1), uuid.UUID(int=0))]
    step = per_copy or len(starts)
    for index in range(0, len(starts), step):
        firsts, nexts = starts[index : index + step], ends[index : index + step]
        yield [
            _chunk_cap(chunk_size),
            [at for at, _id in firsts],
            [pk for _at, pk in firsts],
            [at for at, _id in nexts],
            [pk for _at, pk in nexts],
        ]


def _chunk_cap(chunk_size: int) -> int:
    return 2 * chunk_size


def _chunks(lines, chunk_size: int) -> Iterator[list]:
    for line in lines:
        if len(line) <= 1:
            continue  # NULL: every record of this chunk was deleted meanwhile
        documents = orjson.loads(line)
        if len(documents) >= _chunk_cap(chunk_size):
            # Only records inserted with past timestamps while the export ran get here.
            raise RuntimeError("The dataset changed too much during the export; export again.")
        yield _in_order([_item(document) for document in documents])


def _export_order(item: Item):
    return item.inserted_at, item.id  # ISO text and canonical UUID text sort as the values


def _in_order(items: list[Item]) -> list[Item]:
    keys = [_export_order(item) for item in items]
    if any(a > b for a, b in zip(keys, keys[1:], strict=False)):
        items.sort(key=_export_order)
    return items


def _item(document: list) -> Item:
    pk, external_id, fields, metadata, status, inserted, updated, answers, suggestions = document
    if answers is None:
        answers = []
    elif len(answers) > 1:
        answers.sort()  # oldest first: by inserted_at, then id (unique: never further)
    return Item(
        pk,
        external_id,
        fields or {},
        metadata or {},
        status,
        inserted,
        updated,
        [
            Answer(user, values or {}, state, seconds)
            for _at, _id, user, values, state, seconds in answers
        ],
        {
            question: SuggestionRow(value, score, agent, kind)
            for question, value, score, agent, kind in suggestions
        }
        if suggestions
        else {},
    )


def annotator_names(dataset: Dataset) -> list[str]:
    """Usernames of everyone who answered a record of `dataset`, sorted (one query)."""
    return list(
        Response.objects.filter(record__dataset=dataset)
        .order_by("user__username")
        .values_list("user__username", flat=True)
        .distinct()
    )

"""Reading a dataset for export: records in chunks, each chunk's answers in one query each.

Memory stays flat in the dataset's size: records stream from one cursor
(`QuerySet.iterator`), and each chunk of `chunk_size` records costs exactly two more queries
(its responses, its suggestions), whatever the number of annotators or questions.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

import orjson
from django.db import connection
from django.db.models import Func, TextField
from django.db.models.functions import Cast

from apps.datasets.models import Dataset
from apps.records.models import Record, Suggestion
from apps.responses.models import Response, ResponseStatus

DEFAULT_CHUNK_SIZE = 1000


@dataclass(slots=True)
class Answer:
    """One annotator's response to a record."""

    username: str
    values: dict  # {question: {"value": ...}}
    status: str

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


class IsoUtc(Func):
    """A timestamp as ISO 8601 UTC text, formatted by the database.

    Exports write timestamps as text anyway, and loading them as datetimes (Django's
    time-zone aware loader) costs more than the rest of an export row.
    """

    output_field = TextField()
    template = (
        "strftime('%%%%Y-%%%%m-%%%%dT%%%%H:%%%%M:%%%%fZ', %(expressions)s)"  # SQLite: milliseconds
    )

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="to_char(%(expressions)s AT TIME ZONE 'UTC', "
            '\'YYYY-MM-DD"T"HH24:MI:SS.US"Z"\')',
            **extra,
        )


# JSON columns are read as text and parsed with orjson, for the same reason.
_AS_TEXT = {
    "fields_json": Cast("fields", TextField()),
    "metadata_json": Cast("metadata", TextField()),
    "inserted_iso": IsoUtc("inserted_at"),
    "updated_iso": IsoUtc("updated_at"),
}
_RECORD_COLUMNS = (
    "id",
    "external_id",
    "fields_json",
    "metadata_json",
    "status",
    "inserted_iso",
    "updated_iso",
)


def _json(text):
    return orjson.loads(text) if text is not None else None


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

    Queries: one for the records (a server-side cursor on PostgreSQL), then per chunk one for
    its responses and, with `with_suggestions`, one for its suggestions.
    """
    rows = (
        Record.objects.filter(dataset=dataset)
        .order_by("inserted_at", "id")
        .annotate(**_AS_TEXT)
        .values_list(*_RECORD_COLUMNS)
        .iterator(chunk_size=chunk_size)
    )
    statuses = list(response_statuses) if response_statuses is not None else None
    while chunk := list(islice(rows, chunk_size)):
        items = {
            pk: Item(pk, external_id, _json(fields) or {}, _json(metadata) or {}, *rest)
            for pk, external_id, fields, metadata, *rest in chunk
        }
        _attach_responses(items, statuses)
        if with_suggestions:
            _attach_suggestions(items)
        yield list(items.values())


def _rows(make_queryset, postgres_sql: str, params: list) -> list[tuple]:
    """The same rows from hand-written SQL on PostgreSQL (one array parameter instead of a
    thousand bound UUIDs, which is where the ORM spent its time) or from the ORM elsewhere."""
    if connection.vendor != "postgresql":
        return list(make_queryset())
    with connection.cursor() as cursor:
        cursor.execute(postgres_sql, params)
        return cursor.fetchall()


_RESPONSES_SQL = """
    SELECT r.record_id, u.username, r."values"::text, r.status
    FROM responses_response r JOIN accounts_user u ON u.id = r.user_id
    WHERE r.record_id = ANY(%s) {status_filter}
    ORDER BY r.record_id, r.inserted_at, r.id
"""
_SUGGESTIONS_SQL = """
    SELECT s.record_id, q.name, s.value::text, s.score::text, s.agent, s.type
    FROM records_suggestion s JOIN datasets_question q ON q.id = s.question_id
    WHERE s.record_id = ANY(%s)
"""


def _attach_responses(items: dict, statuses: list[str] | None) -> None:
    ids = list(items)

    def queryset():
        responses = Response.objects.filter(record_id__in=ids)
        if statuses is not None:
            responses = responses.filter(status__in=statuses)
        return (
            responses.order_by("record_id", "inserted_at", "id")
            .annotate(values_json=Cast("values", TextField()))
            .values_list("record_id", "user__username", "values_json", "status")
        )

    status_filter = "AND r.status = ANY(%s)" if statuses is not None else ""
    sql = _RESPONSES_SQL.format(status_filter=status_filter)
    params = [ids] if statuses is None else [ids, statuses]
    for record_id, username, values, status in _rows(queryset, sql, params):
        items[record_id].responses.append(Answer(username, _json(values) or {}, status))


def _attach_suggestions(items: dict) -> None:
    ids = list(items)

    def queryset():
        return (
            Suggestion.objects.filter(record_id__in=ids)
            .annotate(value_json=Cast("value", TextField()), score_json=Cast("score", TextField()))
            .values_list("record_id", "question__name", "value_json", "score_json", "agent", "type")
        )

    for record_id, question, value, score, agent, kind in _rows(queryset, _SUGGESTIONS_SQL, [ids]):
        items[record_id].suggestions[question] = SuggestionRow(
            _json(value), _json(score), agent, kind
        )


def annotator_names(dataset: Dataset) -> list[str]:
    """Usernames of everyone who answered a record of `dataset`, sorted (one query)."""
    return list(
        Response.objects.filter(record__dataset=dataset)
        .order_by("user__username")
        .values_list("user__username", flat=True)
        .distinct()
    )

"""Writing many rows in one statement: COPY for new rows, unnest() for upserts and updates.

A row is a dict of column values by attname (`record_id`, not `record`), ids set in Python;
a column left out takes its field's default. Timestamps are the caller's to give: Django sets
`auto_now`/`auto_now_add` in `save()`, which these statements never call.

Why not the ORM (DESIGN.md §6): a 500-record request spends ~4x longer in `bulk_create`
than in COPY, and an `update_conflicts` bulk_create or a `bulk_update` builds thousands of
placeholders (a CASE per row for bulk_update) through per-value field adapters. Here JSON
is encoded once per value with orjson, and upserts and updates pass one array per column to
unnest(), so the SQL text is the same whatever the number of rows.

Query counts: each function runs one statement whatever the number of rows. `upsert_rows`
and `update_rows` go through Django's cursor, so its query log (and
`django_assert_num_queries`) counts them; `insert_rows`' COPY runs on psycopg's own cursor,
which the query log does not see: a query-count test counts no statement for it.

Foreign keys stay as Django makes them (DEFERRABLE INITIALLY DEFERRED), checked at commit:
one check per row and key, ~6 µs each, so ~18 µs of the ~150 µs the database spends per
ingested record with a suggestion (5,000 suggestions in a rolled-back transaction: 31 µs
each with the two checks, 18 µs without the constraints, 29 µs with them NOT DEFERRABLE).
Dropping them would let a dataset or question deleted during an ingest leave orphans, for
~12% of the database's time; most of the rest is the record's stored tsvector (~45%) and
its indexes (records/migrations/0007, 0009).
"""

from collections.abc import Iterable, Iterator, Sequence

import orjson
from django.contrib.postgres.fields import ArrayField
from django.db import connection, models


def _fields(model) -> list[models.Field]:
    return list(model._meta.concrete_fields)


def _quoted(names: Iterable[str]) -> str:
    # Quoted: responses have a column called "values", a keyword in SQL.
    return ", ".join(connection.ops.quote_name(name) for name in names)


def _json(value) -> str | None:
    return None if value is None else orjson.dumps(value).decode()


def _column(field: models.Field, rows: Sequence[dict]) -> list:
    """One column's values for PostgreSQL, JSON pre-encoded as text."""
    name = field.attname
    if name not in rows[0]:
        default = field.get_default()
        values = [row.get(name, default) for row in rows]
    else:
        values = [row[name] for row in rows]
    if isinstance(field, models.JSONField):
        return [_json(value) for value in values]
    if isinstance(field, ArrayField):
        # As array literals: unnest() would flatten an array of arrays.
        return [None if v is None else "{" + ",".join(map(repr, v)) + "}" for v in values]
    return values


def _as_tuples(fields: list[models.Field], rows: Sequence[dict]) -> Iterator[tuple]:
    return zip(*(_column(field, rows) for field in fields), strict=True)


def insert_rows(model, rows: Sequence[dict]) -> None:
    """Insert new rows with COPY (not seen by Django's query log)."""
    if not rows:
        return
    fields = _fields(model)
    sql = f"COPY {model._meta.db_table} ({_quoted(f.column for f in fields)}) FROM STDIN"
    with connection.cursor() as cursor:
        with cursor.connection.cursor().copy(sql) as copy:
            for values in _as_tuples(fields, rows):
                copy.write_row(values)


def _unnest(fields: list[models.Field], rows: Sequence[dict]) -> tuple[str, list]:
    """`(SELECT … FROM unnest(%s::type[], …))` over one array per column, and those arrays.
    Array columns travel as text literals, cast back in the SELECT."""
    casts, columns = [], []
    for index, field in enumerate(fields):
        db_type = field.db_type(connection)
        if isinstance(field, ArrayField):
            casts.append("%s::text[]")
            columns.append(f"c{index}::{db_type}")
        else:
            casts.append(f"%s::{db_type}[]")
            columns.append(f"c{index}")
    names = ", ".join(f"c{index}" for index in range(len(fields)))
    source = f"(SELECT {', '.join(columns)} FROM unnest({', '.join(casts)}) AS u({names}))"
    return source, [_column(field, rows) for field in fields]


def select_rows(model, rows: Sequence[dict]) -> tuple[str, list]:
    """`SELECT …` of `rows` with every column of `model` in its order, for an INSERT written
    elsewhere (e.g. inside a CTE), and its parameters: one array per column."""
    source, params = _unnest(_fields(model), rows)
    return f"SELECT * FROM {source} AS source", params


def upsert_rows(
    model, rows: Sequence[dict], *, unique: Sequence[str], update: Sequence[str]
) -> None:
    """INSERT … ON CONFLICT (unique) DO UPDATE SET the `update` columns: one statement.

    A conflicting row keeps its id and inserted_at; `unique` and `update` are attnames.
    """
    if not rows:
        return
    fields = _fields(model)
    source, params = _unnest(fields, rows)
    assignments = ", ".join(f"{_quoted([c])} = EXCLUDED.{_quoted([c])}" for c in update)
    sql = (
        f"INSERT INTO {model._meta.db_table} ({_quoted(f.column for f in fields)}) "
        f"SELECT * FROM {source} AS source "
        f"ON CONFLICT ({_quoted(unique)}) DO UPDATE SET {assignments}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _field_name(model, attname: str) -> str:
    """bulk_create wants field names (`record`), rows use attnames (`record_id`)."""
    for field in model._meta.concrete_fields:
        if field.attname == attname:
            return field.name
    raise LookupError(f"{model.__name__} has no column {attname!r}")


def update_rows(
    model, rows: Sequence[dict], *, columns: Sequence[str], keep_when_null: Sequence[str] = ()
) -> None:
    """Set `columns` of existing rows matched by primary key; a None in a `keep_when_null`
    column keeps the stored value. One UPDATE … FROM unnest()."""
    if not rows:
        return
    pk = model._meta.pk
    fields = [pk] + [model._meta.get_field(_field_name(model, c)) for c in columns]
    source, params = _unnest(fields, rows)
    assignments = ", ".join(
        f"{_quoted([c])} = COALESCE(v.{_quoted([c])}, t.{_quoted([c])})"
        if c in keep_when_null
        else f"{_quoted([c])} = v.{_quoted([c])}"
        for c in columns
    )
    sql = (
        f"UPDATE {model._meta.db_table} AS t SET {assignments} "
        f"FROM {source} AS v({_quoted(f.column for f in fields)}) "
        f"WHERE t.{_quoted([pk.column])} = v.{_quoted([pk.column])}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)

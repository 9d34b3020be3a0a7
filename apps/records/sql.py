"""Helpers for the few hot statements written out by hand (the work queue, submits).

psycopg binds UUIDs and aware datetimes as they are, so parameters need no preparation.
"""

import uuid
from collections.abc import Iterable, Mapping, Sequence

from django.db import connection

from apps.core.db import server_binding_cursor


def in_ids(column: str, ids: Sequence[uuid.UUID]) -> tuple[str, list]:
    """`column` is one of `ids`: one array parameter.

    One id is an equality: PostgreSQL then keeps a generic plan for the prepared statement.
    """
    if len(ids) == 1:
        return f"{column} = %s", list(ids)
    return f"{column} = ANY(%s)", [list(ids)]


def for_update(of: str = "") -> str:
    return f" FOR UPDATE OF {of}" if of else " FOR UPDATE"


def hot_cursor():
    """A cursor for the hand-written hot statements. It binds parameters on the server, so
    psycopg prepares a statement its connection runs often (after DATABASE_PREPARE_THRESHOLD
    runs) and PostgreSQL skips parsing and planning it, which cost more than running these
    short statements. Django's other queries keep client-side binding: bulk statements,
    whose shapes vary, ran twice as slowly with it. Wrapped like Django's own cursors
    (query log, error translation)."""
    return server_binding_cursor()


def rows_as(model, sql: str, params: Mapping | Iterable) -> list:
    """Instances of `model` from the rows of a hand-written query: its columns named as the
    model's, any others set as attributes as they come. What `Model.objects.raw` does,
    without its per-query setup, which costs more than these short queries. `params` is a
    dict for named placeholders (`%(name)s`), else a sequence for `%s`."""
    with hot_cursor() as cursor:
        cursor.execute(sql, params if isinstance(params, Mapping) else list(params))
        rows = cursor.fetchall()
        names = tuple(column[0] for column in cursor.description)
    return [build(model, names, row) for row in rows]


def build(model, names: tuple[str, ...], row: Sequence):
    """An instance of `model` from a row whose columns are `names` (see `rows_as`)."""
    attnames, picks, converters, extras = _plan(model, names)
    values = [row[index] for index in picks]
    for position, convert in converters:
        values[position] = convert(values[position], None, connection)
    instance = model.from_db(connection.alias, attnames, values)
    for name, index in extras:
        setattr(instance, name, row[index])
    return instance


_PLANS: dict = {}


def _plan(model, names: tuple[str, ...]):
    """How a row with columns `names` becomes a `model`: the fields found (in the model's
    order), where each is in the row, their converters, and the other columns."""
    key = (connection.alias, model, names)
    if key not in _PLANS:
        where = {name: index for index, name in enumerate(names)}
        fields = [f for f in model._meta.concrete_fields if f.column in where]
        converters = []
        for position, field in enumerate(fields):
            col = field.get_col(model._meta.db_table)
            for convert in connection.ops.get_db_converters(col) + col.get_db_converters(
                connection
            ):
                converters.append((position, convert))
        columns = {f.column for f in fields}
        _PLANS[key] = (
            [f.attname for f in fields],
            [where[f.column] for f in fields],
            converters,
            [(name, index) for index, name in enumerate(names) if name not in columns],
        )
    return _PLANS[key]

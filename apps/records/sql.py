"""Helpers for the few hot statements written out by hand (the work queue, submits).

Values go through the fields' own database preparation, so UUIDs and datetimes are stored
and compared exactly as Django stores them (PostgreSQL: native types; SQLite: text).
"""

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime

from django.db import connection

from apps.records.models import Record

_UUID = Record._meta.get_field("id")
_DATETIME = Record._meta.get_field("inserted_at")


def adapt(params: Iterable) -> list:
    if connection.vendor == "postgresql":
        return list(params)  # psycopg binds UUIDs and aware datetimes as they are
    adapted = []
    for value in params:
        if isinstance(value, uuid.UUID):
            value = _UUID.get_db_prep_value(value, connection)
        elif isinstance(value, datetime):
            value = _DATETIME.get_db_prep_value(value, connection)
        adapted.append(value)
    return adapted


def in_ids(column: str, ids: Sequence[uuid.UUID]) -> tuple[str, list]:
    """`column` is one of `ids`: one array parameter on PostgreSQL, a list on SQLite.

    One id is an equality: PostgreSQL then keeps a generic plan for the prepared statement.
    """
    if len(ids) == 1:
        return f"{column} = %s", adapt(ids)
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [list(ids)]
    return f"{column} IN ({', '.join(['%s'] * len(ids))})", adapt(ids)


def for_update(of: str = "") -> str:
    """Row locks where the database has them (SQLite serialises writers: BEGIN IMMEDIATE)."""
    if not connection.features.has_select_for_update:
        return ""
    return f" FOR UPDATE OF {of}" if of else " FOR UPDATE"

"""The few places Loam relies on Django's private database internals, in one module.

The work queue, the hot hand-written statements and the exports need three things Django
has no public API for: wrapping a psycopg cursor of our own choosing the way Django wraps
its cursors (so the query log, `django_assert_num_queries` and error translation see its
statements), knowing whether the current atomic block is the outermost one, and a
connection of their own made as Django makes its own. `tests/core/test_db.py` fails if
Django changes what these rely on.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.db.backends.postgresql.base import ServerBindingCursor
from psycopg import ClientCursor


def wrapped(raw_cursor):
    """`raw_cursor` (a psycopg cursor on Django's connection) wrapped as Django wraps its
    own cursors: query log, error translation, thread-sharing check."""
    return connection._prepare_cursor(raw_cursor)


def server_binding_cursor():
    """A Django-wrapped cursor that binds parameters on the server (psycopg then prepares
    statements its connection runs often)."""
    connection.ensure_connection()
    return wrapped(ServerBindingCursor(connection.connection))


def client_binding_cursor() -> tuple[ClientCursor, object]:
    """(a psycopg cursor that merges parameters into the SQL on the client, the same cursor
    Django-wrapped): COPY takes no bound parameters, so its statement is built with the
    first (`mogrify`) and run through the second, which Django's query log sees."""
    connection.ensure_connection()
    raw = ClientCursor(connection.connection)
    return raw, wrapped(raw)


def in_outermost_atomic_block() -> bool:
    """Whether the code runs in an `atomic` block that is the outermost one and commits
    when it exits: no caller's savepoint or transaction around it."""
    return connection.in_atomic_block and not connection.savepoint_ids and connection.commit_on_exit


@contextmanager
def separate_connection() -> Iterator:
    """A psycopg connection of its own to the default database, made with Django's
    connection parameters (the embedded server's included), closed on exit. Django knows
    nothing of it: no query log, no atomic blocks, its own snapshot."""
    own = connection.get_new_connection(connection.get_connection_params())
    try:
        yield own
    finally:
        own.close()

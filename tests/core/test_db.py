"""What `apps/core/db.py` relies on in Django's private database API still holds.

These fail first if a Django upgrade renames or changes `connection._prepare_cursor`,
`connection.savepoint_ids` or `connection.commit_on_exit`."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from apps.core.db import (
    client_binding_cursor,
    in_outermost_atomic_block,
    separate_connection,
    server_binding_cursor,
)


def test_django_still_has_the_private_attributes_we_use():
    assert callable(connection._prepare_cursor)
    assert isinstance(connection.savepoint_ids, list)
    assert isinstance(connection.commit_on_exit, bool)


@pytest.mark.django_db
def test_our_cursors_are_seen_by_the_query_log():
    with CaptureQueriesContext(connection) as queries:
        with server_binding_cursor() as cursor:
            cursor.execute("SELECT %(n)s::int + %(n)s::int", {"n": 20})
            assert cursor.fetchone() == (40,)
        raw, wrapped = client_binding_cursor()
        with wrapped as cursor:
            cursor.execute(raw.mogrify("SELECT %s::int", [2]))
            assert cursor.fetchone() == (2,)
    assert len(queries) == 2


@pytest.mark.django_db(transaction=True)
def test_only_the_outermost_atomic_block_counts():
    assert not in_outermost_atomic_block()
    with transaction.atomic():
        assert in_outermost_atomic_block()
        with transaction.atomic():
            assert not in_outermost_atomic_block()  # a savepoint: someone's transaction
        assert in_outermost_atomic_block()
    assert not in_outermost_atomic_block()


@pytest.mark.django_db
def test_a_separate_connection_reaches_the_same_database_and_is_closed_after():
    with separate_connection() as own:
        assert own is not connection.connection
        database = own.execute("SELECT current_database()").fetchone()[0]
        assert database == connection.settings_dict["NAME"]
    assert own.closed

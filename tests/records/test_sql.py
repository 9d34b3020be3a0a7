"""apps/records/sql.py on its own: the helpers of the hand-written hot statements."""

import uuid
from datetime import datetime

import pytest
from django.db import connection, transaction

from apps.datasets.models import Dataset
from apps.records.models import Record, RecordStatus
from apps.records.services import create_records
from apps.records.sql import build, for_update, hot_cursor, in_ids, rows_as

RECORDS = Record._meta.db_table
DATASETS = Dataset._meta.db_table


@pytest.fixture
def records(world, make_dataset):
    dataset = make_dataset(world.ws_a)
    items = [
        {
            "external_id": f"r{i}",
            "fields": {"prompt": f"p{i}", "response-1": "a", "response-2": "b"},
            "metadata": {"n": i},
        }
        for i in range(3)
    ]
    return create_records(dataset=dataset, items=items)


def ids_of(sql_condition: str, params: list) -> set:
    with hot_cursor() as cursor:
        cursor.execute(f"SELECT id FROM {RECORDS} WHERE {sql_condition}", params)
        return {row[0] for row in cursor.fetchall()}


def test_in_ids_is_an_equality_for_one_id(records):
    condition, params = in_ids("id", [records[0].pk])
    assert (condition, params) == ("id = %s", [records[0].pk])
    assert ids_of(condition, params) == {records[0].pk}


def test_in_ids_is_one_array_parameter_for_many(records):
    wanted = [records[0].pk, records[2].pk, uuid.uuid4()]  # an unknown id matches nothing
    condition, params = in_ids("id", wanted)
    assert (condition, params) == ("id = ANY(%s)", [wanted])
    assert ids_of(condition, params) == {records[0].pk, records[2].pk}


def test_in_ids_of_nothing_matches_nothing(records):
    assert ids_of(*in_ids("id", [])) == set()


def test_for_update_locks_the_rows_or_only_those_of_one_table():
    assert for_update() == " FOR UPDATE"
    assert for_update("r") == " FOR UPDATE OF r"


def lockers(table: str, ids: list) -> list:
    """Each row's xmax: the transaction that locked (or deleted) it, 0 if none did."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT xmax::text::bigint FROM {table} WHERE id = ANY(%s) ORDER BY id", [ids]
        )
        return [row[0] for row in cursor.fetchall()]


def test_for_update_of_an_alias_locks_the_selected_rows_of_that_table(records):
    sql = (
        f"SELECT r.* FROM {RECORDS} r JOIN {DATASETS} d ON d.id = r.dataset_id "
        "WHERE r.id = %s" + for_update("r")
    )
    others = sorted(r.pk for r in records if r.pk != records[1].pk)
    assert lockers(RECORDS, [records[1].pk]) == [0]
    dataset_before = lockers(DATASETS, [records[1].dataset_id])
    with transaction.atomic():
        [locked] = rows_as(Record, sql, [records[1].pk])
        assert lockers(RECORDS, [records[1].pk]) != [0]  # this transaction's lock
        assert lockers(RECORDS, others) == [0, 0]
        assert lockers(DATASETS, [records[1].dataset_id]) == dataset_before  # OF r only
    assert locked.pk == records[1].pk


def test_rows_as_makes_instances_as_the_orm_would(records, django_assert_num_queries):
    sql = f"SELECT * FROM {RECORDS} WHERE dataset_id = %s ORDER BY inserted_at, id"
    # 1. the SELECT itself, on the hot cursor (Django's query log sees it)
    with django_assert_num_queries(1):
        made = rows_as(Record, sql, [records[0].dataset_id])
    from_orm = list(Record.objects.filter(dataset_id=records[0].dataset_id))
    assert made == from_orm  # same primary keys, in the query's order
    for mine, theirs in zip(made, from_orm, strict=True):
        assert {f.attname: getattr(mine, f.attname) for f in Record._meta.concrete_fields} == {
            f.attname: getattr(theirs, f.attname) for f in Record._meta.concrete_fields
        }
        assert not mine._state.adding and mine._state.db == connection.alias
    assert isinstance(made[0].metadata, dict) and isinstance(made[0].inserted_at, datetime)


def test_rows_as_defers_columns_left_out_and_keeps_extra_ones(records):
    # Columns in any order; a column that is no field becomes an attribute as it comes.
    sql = f"SELECT external_id, 42 AS answer, id FROM {RECORDS} WHERE id = %s"
    [record] = rows_as(Record, sql, iter([records[2].pk]))  # params: any iterable
    assert (record.pk, record.external_id, record.answer) == (records[2].pk, "r2", 42)
    assert "metadata" in record.get_deferred_fields()
    assert record.metadata == {"n": 2}  # loaded on access, as with .only()
    assert record.status == RecordStatus.PENDING


def test_rows_as_finds_nothing(records):
    assert rows_as(Record, f"SELECT * FROM {RECORDS} WHERE id = %s", [uuid.uuid4()]) == []


def test_build_makes_an_instance_from_a_row_in_hand(records):
    record = build(Record, ("id", "external_id", "note"), (records[0].pk, "r0", "extra"))
    assert (record.pk, record.external_id, record.note) == (records[0].pk, "r0", "extra")
    assert not record._state.adding


def test_hot_cursor_statements_are_in_the_query_log(records, django_assert_num_queries):
    with django_assert_num_queries(1):
        with hot_cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM {RECORDS} WHERE dataset_id = %s", [records[0].dataset_id]
            )
            assert cursor.fetchone() == (3,)


def prepared(marker: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s",
            [f"%{marker}%"],
        )
        return [row[0] for row in cursor.fetchall()]


def test_hot_cursor_binds_on_the_server_so_a_frequent_statement_is_prepared(records):
    connection.ensure_connection()
    threshold = connection.connection.prepare_threshold
    if threshold is None:
        pytest.skip("DATABASE_PREPARE_THRESHOLD=-1 turns prepared statements off")
    hot_marker, plain_marker = f"hot-{uuid.uuid4().hex}", f"plain-{uuid.uuid4().hex}"
    for _ in range(threshold + 1):
        with hot_cursor() as cursor:
            cursor.execute(
                f"SELECT id FROM {RECORDS} WHERE id = %s -- {hot_marker}", [records[0].pk]
            )
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id FROM {RECORDS} WHERE id = %s -- {plain_marker}", [records[0].pk]
            )
    # The hot statement reached the server with its placeholder, and was prepared there;
    # Django's own cursors merge parameters on the client and prepare nothing.
    [statement] = prepared(hot_marker)
    assert "id = $1" in statement
    assert prepared(plain_marker) == []

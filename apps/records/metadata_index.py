"""One B-tree index per metadata property: `(metadata -> 'name')` over its dataset's records,
made with the property and dropped with it, so a range filter or a sort by metadata reads an
index instead of every record of the dataset (the search builds exactly this expression)."""

from django.db import connection

from apps.records.models import Record
from apps.records.vector_index import run_deferred_checks


def index_name(prop) -> str:
    return f"record_meta_{prop.pk.hex}"


def create_index(prop) -> None:
    with connection.cursor() as cursor:
        run_deferred_checks(cursor)
        # Not CONCURRENTLY: inside the request's transaction, as the property itself.
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {index_name(prop)} ON {Record._meta.db_table} "
            "((metadata -> %s)) WHERE dataset_id = %s",
            [prop.name, prop.dataset_id],
        )


def drop_index(prop) -> None:
    with connection.cursor() as cursor:
        run_deferred_checks(cursor)
        cursor.execute(f"DROP INDEX IF EXISTS {index_name(prop)}")

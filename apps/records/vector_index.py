"""One HNSW index (cosine) per vector setting, made with the setting and dropped with it.

Vectors of every setting share one table and each setting has its own dimension, so each
index is partial (its setting's rows) over the expression `value::vector(<dimensions>)`;
similarity queries use that same expression and predicate (apps/records/similarity.py).
"""

from django.db import connection

from apps.core import pgvector
from apps.records.models import Vector

# pgvector's HNSW index holds `vector` values of up to 2,000 dimensions.
MAX_INDEXED_DIMENSIONS = 2000


def index_name(settings) -> str:
    return f"vector_hnsw_{settings.pk.hex}"


def vector_expression(column: str, dimensions: int) -> str:
    return f"({column}::vector({int(dimensions)}))"


def create_index(settings) -> None:
    """Index `settings`' vectors where the server has pgvector: a new setting has no vectors
    yet, so this is instantaneous."""
    if pgvector.installed_version() is None:
        return
    with connection.cursor() as cursor:
        run_deferred_checks(cursor)
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {index_name(settings)} ON {Vector._meta.db_table} "
            f"USING hnsw ({vector_expression('value', settings.dimensions)} "
            # ef_construction 128, not pgvector's 64: on clustered vectors (200k x 384,
            # bench/search.py) 64 left clusters the graph search never reached (recall@10
            # 0.885, some queries 0); 128 gave 0.985 at ef_search 100 (0.988 at 200k and
            # ef_search 400, the search's EF_SEARCH), for a slower build.
            "vector_cosine_ops) WITH (m = 16, ef_construction = 128) "
            "WHERE vector_settings_id = %s",
            [settings.pk],
        )


def drop_index(settings) -> None:
    with connection.cursor() as cursor:
        run_deferred_checks(cursor)
        cursor.execute(f"DROP INDEX IF EXISTS {index_name(settings)}")


def run_deferred_checks(cursor) -> None:
    """PostgreSQL refuses DDL on a table with foreign-key checks still pending in this
    transaction (vectors written earlier in it): run them now, as Django's
    check_constraints does, and defer again."""
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")

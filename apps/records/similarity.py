"""Similarity search with pgvector: the nearest records to a vector, through the vector
setting's HNSW index (apps/records/vector_index.py), combined with any filters and text.

`least_similar` searches the nearest to the negated vector: cos(a, -v) = -cos(a, v), so
the same index serves both orders. Filters narrow the index scan's candidates; pgvector's
iterative scan (0.8+) keeps scanning until `limit` hits pass them.
"""

import uuid

from django.db import connection, transaction
from django.db.models import F, FloatField, Func, Q, Value
from django.db.models.fields import TextField
from django.utils.translation import gettext as _

from apps.core import pgvector
from apps.core.errors import ValidationFailed
from apps.records.models import Record, Vector
from apps.records.query import RecordQuery

MAX_SIMILAR = 1000
# Candidates the HNSW graph search keeps: recall@10 ≥ 0.95 at 384 dimensions (DESIGN §8).
# 400, not 100: on clustered vectors (bench/search.py, 200k x 384) ef 100 left ~5 queries
# in 100 stuck in a neighbouring cluster (recall@10 0 for them; 0.935 overall), 200 left 2
# (0.960), 400 none (0.988), for ~1 ms more SQL time (p50 7.0 vs 8.2 ms under load).
EF_SEARCH = 400


class CosineDistance(Func):
    """`value::vector(d) <=> target::vector(d)`: the expression each setting's index holds."""

    output_field = FloatField()

    def __init__(self, expression, target: str, dimensions: int):
        super().__init__(expression, Value(target, output_field=TextField()))
        self.dimensions = int(dimensions)

    def as_sql(self, compiler, connection, **extra):
        cast = f"::vector({self.dimensions})"
        return super().as_sql(
            compiler, connection, template=f"(%(expressions)s{cast})", arg_joiner=f"{cast} <=> "
        )


def _fail(loc, message) -> ValidationFailed:
    return ValidationFailed.single(("query", "vector", *loc), message)


def _target(search: RecordQuery, settings, vector: dict) -> list[float]:
    record_id, value = vector.get("record_id"), vector.get("value")
    if (record_id is None) == (value is None):
        raise _fail((), _("Give exactly one of record_id and value."))
    if record_id is not None:
        try:
            record_id = uuid.UUID(str(record_id))
        except ValueError:
            raise _fail(("record_id",), _("record_id must be a UUID.")) from None
        value = (
            Vector.objects.filter(
                vector_settings=settings, record__dataset=search.dataset, record_id=record_id
            )
            .values_list("value", flat=True)
            .first()
        )
        if value is None:
            raise _fail(
                ("record_id",),
                _("That record has no %(n)r vector in this dataset.") % {"n": settings.name},
            )
        search.where &= ~Q(pk=record_id)  # a record is not similar to itself
        return value
    if (
        not isinstance(value, list)
        or len(value) != settings.dimensions
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
    ):
        raise _fail(
            ("value",), _("value must be a list of %(d)d numbers.") % {"d": settings.dimensions}
        )
    return value


def similar_records(
    search: RecordQuery, vectors_settings: dict, vector, *, offset: int, limit: int
) -> tuple[list[tuple[Record, float]], int]:
    """(page of (record, cosine similarity), hits): the records of `search` nearest to (or,
    for least_similar, farthest from) a vector given by value or by a record's vector.
    Ranked, then sliced, so `offset` pages through the first MAX_SIMILAR hits."""
    if not isinstance(vector, dict):
        raise _fail((), _("vector must be an object."))
    name = vector.get("name")
    # A name from a request body may be any JSON value: a list or an object names nothing.
    settings = vectors_settings.get(name) if isinstance(name, str) else None
    if settings is None:
        raise _fail(
            ("name",), _("%(n)r is not a vector of this dataset.") % {"n": vector.get("name")}
        )
    order = vector.get("order") or "most_similar"
    if order not in ("most_similar", "least_similar"):
        raise _fail(("order",), _("order is most_similar or least_similar."))
    version = pgvector.installed_version()
    if version is None or version < pgvector.MIN_VERSION:
        pgvector.require(("query", "vector"))
    target = _target(search, settings, vector)
    sign = 1.0 if order == "most_similar" else -1.0
    literal = "[" + ",".join(repr(sign * float(v)) for v in target) + "]"
    wanted = min(offset + limit, MAX_SIMILAR)
    if offset >= wanted:
        return [], 0
    qs = (
        search.matching()
        .filter(vectors__vector_settings=settings)
        .annotate(distance=CosineDistance(F("vectors__value"), literal, settings.dimensions))
        .order_by("distance")
    )
    with transaction.atomic(), connection.cursor() as cursor:
        # SET LOCAL: the settings end with this transaction.
        cursor.execute(f"SET LOCAL hnsw.ef_search = {EF_SEARCH}")
        if version >= (0, 8):
            cursor.execute("SET LOCAL hnsw.iterative_scan = relaxed_order")
        hits = list(qs[:wanted])
    # relaxed_order may return near ties slightly out of order.
    hits.sort(key=lambda record: record.distance)
    # Similarity to the vector asked about: 1 - d for most similar, d - 1 for least.
    page = [(r, sign * (1.0 - r.distance)) for r in hits[offset : offset + limit]]
    return page, len(hits)

"""The one query builder behind every records search: the API's search body, the API's list
filters and the web app's records list all describe a `RecordQuery`.

A page costs two queries whatever the filters. Without a text query: a COUNT, then the page
(an index walk that stops after `limit` rows). With one, the matches come from the GIN index
and each must be read to be ranked, so they are read once: the page's ids and scores with the
total as a window (`COUNT(*) OVER ()`), then the page's records by id. Counting in a
query of its own read every match twice: a word in 6% of a million records took 400 ms
instead of 200 (bench/search.py).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import F, Q, QuerySet

from apps.datasets.models import Dataset
from apps.records import fulltext
from apps.records.models import Record

DEFAULT_ORDER = ("inserted_at", "id")


@dataclass
class RecordQuery:
    dataset: Dataset
    where: Q = field(default_factory=Q)  # filters, on Record
    text: str | None = None  # every word must match
    text_field: str | None = None  # search this field only
    ordering: list = field(default_factory=list)  # explicit sort; else relevance, then order
    base: QuerySet | None = None  # records to start from (e.g. annotated); else all
    # The number of matches by a cheaper query than counting them, when the caller has one.
    count: Callable[[], int] | None = None

    def matching(self, base: QuerySet | None = None) -> QuerySet:
        """The matching records, unordered and without scores (for counts and bulk work)."""
        base = base if base is not None else self.base
        qs = (base if base is not None else Record.objects).filter(dataset=self.dataset)
        qs = qs.filter(self.where)
        condition = fulltext.matches(self.text, self.text_field) if self.text else None
        if condition is not None:
            qs = qs.filter(condition)
        return qs

    @property
    def ranks(self) -> bool:
        return bool(self.text) and fulltext.tsquery_sql(self.text) is not None

    def ordered(self, base: QuerySet | None = None) -> QuerySet:
        """The matching records in order, each with `query_score` (relevance, or None)."""
        qs = self.matching(base)
        if self.ranks:
            qs = qs.annotate(query_score=fulltext.rank(self.text, self.text_field))
            relevance = [F("query_score").desc()]
        else:
            relevance = []
        return qs.order_by(*(self.ordering or relevance), *DEFAULT_ORDER)

    def page(self, offset: int, limit: int) -> tuple[list[tuple[Record, float | None]], int]:
        """(records of the page with their score, total matches): two queries."""
        if self.ranks:
            return self._ranked_page(offset, limit)
        total = self.count() if self.count is not None else self.matching().count()
        if offset >= total:
            return [], total
        records = list(self.ordered()[offset : offset + limit])
        return [(r, getattr(r, "query_score", None)) for r in records], total

    def _ranked_page(self, offset: int, limit: int) -> tuple[list[tuple[Record, float]], int]:
        """One read of the matches: a subquery (fenced by OFFSET 0, so it is not merged into
        the outer one) computes each match's score and sort keys, the outer query counts
        them all as a window and keeps the page. The window holds these narrow rows only:
        over whole records it spilled 55 MB to disk for 65,000 matches."""
        # Sort keys as columns of the subquery: the explicit sort, else the score.
        keys = {f"sort_key_{i}": key for i, key in enumerate(self.ordering)}
        inner = (
            self.matching()
            .annotate(query_score=fulltext.rank(self.text, self.text_field))
            .annotate(**{column: key.expression for column, key in keys.items()})
            .values("pk", "query_score", "inserted_at", *keys)
            .order_by()
        )
        sql, params = inner.query.sql_with_params()
        keys = keys or {"query_score": F("query_score").desc()}
        order = ", ".join([*(_order_sql(c, key) for c, key in keys.items()), "inserted_at, pk"])
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT pk, query_score, COUNT(*) OVER () FROM ({sql} OFFSET 0) AS matches "
                f"ORDER BY {order} LIMIT %s OFFSET %s",
                [*params, limit, offset],
            )
            ranked = cursor.fetchall()
        if not ranked:  # past the last match: no row to carry the total
            return [], self.matching().count()
        base = self.base if self.base is not None else Record.objects
        records = base.in_bulk([pk for pk, _score, _total in ranked])
        # A record deleted between the two queries is left out of the page.
        page = [(records[pk], score) for pk, score, _total in ranked if pk in records]
        return page, ranked[0][2]


def _order_sql(column: str, key) -> str:
    """`key` (an OrderBy) as SQL over the subquery's `column`."""
    nulls = " NULLS FIRST" if key.nulls_first else " NULLS LAST" if key.nulls_last else ""
    return f"{column} {'DESC' if key.descending else 'ASC'}{nulls}"

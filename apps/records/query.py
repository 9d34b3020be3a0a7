"""The one query builder behind every records search: the API's search body, the API's list
filters and the web app's records list all describe a `RecordQuery`.

A page costs one COUNT and one SELECT whatever the filters; ranking by relevance is
computed for the page's query only, never for the count.
"""

from dataclasses import dataclass, field

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
        total = self.matching().count()
        if offset >= total:
            return [], total
        records = list(self.ordered()[offset : offset + limit])
        return [(r, getattr(r, "query_score", None)) for r in records], total

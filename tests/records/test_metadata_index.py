"""Each metadata property has a B-tree index of its value over its dataset's records, which
range filters and sorts by metadata use."""

import pytest
from django.db import connection
from django.db.models import F, Q

from apps.datasets import services as dataset_services
from apps.records import metadata_index
from apps.records.query import RecordQuery
from apps.records.search import search_records
from apps.records.services import create_records

pytestmark = pytest.mark.django_db


def index_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [name])
        return cursor.fetchone() is not None


def test_the_index_lives_and_dies_with_the_property(world, make_dataset):
    dataset = make_dataset(world.ws_a)
    one = dataset_services.add_metadata_property(
        dataset=dataset, name="one", settings={"type": "integer"}
    )
    two = dataset_services.add_metadata_property(
        dataset=dataset, name="two", settings={"type": "terms"}
    )
    names = [metadata_index.index_name(one), metadata_index.index_name(two)]
    assert index_exists(names[0]) and index_exists(names[1])
    dataset_services.delete_setting(setting=one)
    assert not index_exists(names[0]) and index_exists(names[1])
    dataset_services.delete_dataset(dataset=dataset)  # a cascade
    assert not index_exists(names[1])


def test_a_range_filter_with_a_sort_by_metadata_uses_the_indexes(world, make_dataset):
    from apps.datasets.selectors import MetadataVisibility

    dataset = make_dataset(world.ws_a)
    n = dataset_services.add_metadata_property(
        dataset=dataset, name="n", settings={"type": "integer"}
    )
    score = dataset_services.add_metadata_property(
        dataset=dataset, name="score", settings={"type": "float"}
    )
    create_records(
        dataset=dataset,
        items=[
            {
                "fields": {"prompt": "p", "response-1": "a", "response-2": "b"},
                "metadata": {"n": i, "score": (i * 7 % 100) / 100},
            }
            for i in range(2000)
        ],
    )
    body = {
        "filters": {
            "and": [
                {
                    "type": "range",
                    "ge": 100,
                    "le": 120,
                    "scope": {"entity": "metadata", "metadata_property": "n"},
                }
            ]
        },
        "sort": [{"scope": {"entity": "metadata", "metadata_property": "score"}, "order": "desc"}],
    }
    visibility = MetadataVisibility(world.owner, dataset)
    hits, total = search_records(
        dataset=dataset, body=body, offset=0, limit=5, visibility=visibility
    )
    assert total == 21
    scores = [r.metadata["score"] for r, _s in hits]
    assert scores == sorted(scores, reverse=True) and all(
        100 <= r.metadata["n"] <= 120 for r, _s in hits
    )
    # What search_records builds for that body (RecordQuery), explained.
    search = RecordQuery(
        dataset,
        where=Q(metadata__n__gte=100) & Q(metadata__n__lte=120),
        ordering=[F("metadata__score").desc()],
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE records_record")
        cursor.execute("SET LOCAL enable_seqscan = off")
    # A sort alone walks the sorted property's index.
    sorted_only = RecordQuery(dataset, ordering=[F("metadata__score").desc()]).ordered()[:5]
    with connection.cursor() as cursor:
        for queryset, prop in ((search.ordered()[:5], n), (sorted_only, score)):
            sql, params = queryset.query.sql_with_params()
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert metadata_index.index_name(prop) in plan, plan

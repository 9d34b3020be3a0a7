"""Similarity search with pgvector: the HNSW index per vector setting, most and least
similar by value or by record, cosine as query_score, combined with filters and text."""

import math
import random

import pytest
from django.db import connection
from django.db.models import F, Q

from apps.core.errors import ValidationFailed
from apps.datasets import services as dataset_services
from apps.datasets.schema import DatasetSchema
from apps.records import vector_index
from apps.records.models import Record
from apps.records.query import RecordQuery
from apps.records.services import create_records
from apps.records.similarity import CosineDistance, similar_records

pytestmark = pytest.mark.usefixtures("needs_pgvector")


def index_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [name])
        return cursor.fetchone() is not None


def cosine(a, b):
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    return dot / math.sqrt(sum(x * x for x in a) * sum(y * y for y in b))


@pytest.fixture
def ds(world, make_dataset):
    dataset = make_dataset(world.ws_a)
    dataset_services.add_metadata_property(dataset=dataset, name="n", settings={"type": "integer"})
    dataset_services.add_vector_settings(dataset=dataset, name="emb", dimensions=3)
    return dataset


def add(ds, vectors, texts=None):
    create_records(
        dataset=ds,
        items=[
            {
                "external_id": f"v{i}",
                "fields": {
                    "prompt": texts[i] if texts else f"text {i}",
                    "response-1": "a",
                    "response-2": "b",
                },
                "metadata": {"n": i},
                "vectors": {"emb": v},
            }
            for i, v in enumerate(vectors)
        ],
    )


def similar(ds, vector, *, search=None, offset=0, limit=10):
    search = search or RecordQuery(ds)
    hits, total = similar_records(
        search, DatasetSchema.load(ds).vectors_settings, vector, offset=offset, limit=limit
    )
    return [(r.external_id, score) for r, score in hits], total


def test_the_index_is_made_with_the_setting_and_dropped_with_it(world, make_dataset):
    dataset = make_dataset(world.ws_a)
    one = dataset_services.add_vector_settings(dataset=dataset, name="one", dimensions=4)
    two = dataset_services.add_vector_settings(dataset=dataset, name="two", dimensions=8)
    names = [vector_index.index_name(one), vector_index.index_name(two)]
    assert index_exists(names[0]) and index_exists(names[1])
    dataset_services.delete_setting(setting=one)
    assert not index_exists(names[0]) and index_exists(names[1])
    dataset_services.delete_dataset(dataset=dataset)  # a cascade
    assert not index_exists(names[1])


def test_more_dimensions_than_the_index_holds_is_a_422(world, make_dataset):
    dataset = make_dataset(world.ws_a)
    with pytest.raises(ValidationFailed) as error:
        dataset_services.add_vector_settings(dataset=dataset, name="big", dimensions=2001)
    assert error.value.as_list()[0]["loc"] == ["dimensions"]


def test_most_and_least_similar_by_value_with_cosine_scores(ds):
    vectors = [[1, 0, 0], [0.9, 0.1, 0], [0, 1, 0], [-1, 0, 0], [0.5, 0.5, 0.1]]
    add(ds, vectors)
    hits, total = similar(ds, {"name": "emb", "value": [1, 0, 0], "record_id": None})
    assert [name for name, _s in hits] == ["v0", "v1", "v4", "v2", "v3"] and total == 5
    for name, score in hits:
        assert score == pytest.approx(cosine(vectors[int(name[1:])], [1, 0, 0]), abs=1e-6)
    least, _ = similar(
        ds, {"name": "emb", "value": [1, 0, 0], "record_id": None, "order": "least_similar"}
    )
    assert [name for name, _s in least] == ["v3", "v2", "v4", "v1", "v0"]
    assert least[0][1] == pytest.approx(-1.0)


def test_similar_to_a_record_leaves_the_record_out(ds):
    add(ds, [[1, 0, 0], [0.9, 0.1, 0], [0, 1, 0]])
    v0 = Record.objects.get(dataset=ds, external_id="v0")
    hits, _ = similar(ds, {"name": "emb", "record_id": str(v0.pk), "value": None})
    assert [name for name, _s in hits] == ["v1", "v2"]


def test_filters_text_and_similarity_at_once(ds):
    add(
        ds,
        [[1, 0, 0], [0.99, 0.01, 0], [0.98, 0.02, 0], [0.9, 0.1, 0], [0, 1, 0], [0.5, 0.5, 0]],
        texts=["blue sky", "red sky", "blue sea", "blue sky", "blue sky", "blue"],
    )
    search = RecordQuery(ds, text="blue sky")
    search.where &= Q(metadata__n__gte=1)
    hits, total = similar(ds, {"name": "emb", "value": [1, 0, 0], "record_id": None}, search=search)
    assert [name for name, _s in hits] == ["v3", "v4"] and total == 2


def test_paging_through_similar_records(ds):
    add(ds, [[1, i / 10, 0] for i in range(7)])
    query = {"name": "emb", "value": [1, 0, 0], "record_id": None}
    first, _ = similar(ds, query, limit=3)
    second, _ = similar(ds, query, offset=3, limit=3)
    third, _ = similar(ds, query, offset=6, limit=3)
    names = [n for n, _s in first + second + third]
    assert names == [f"v{i}" for i in range(7)]
    assert similar(ds, query, offset=7, limit=3)[0] == []


def test_a_filtered_index_scan_still_fills_the_page(ds):
    rng = random.Random(7)
    add(ds, [[rng.gauss(0, 1) for _ in range(3)] for _ in range(600)])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE records_vector")
        cursor.execute("ANALYZE records_record")
        cursor.execute("SET LOCAL enable_seqscan = off")  # the index, even on a small table
        cursor.execute("SET LOCAL hnsw.ef_search = 20")
    search = RecordQuery(ds, where=Q(metadata__n__lt=100))  # a sixth of the records
    # ef_search is set again inside, to EF_SEARCH (400); 400 candidates hold ~67 that pass
    # the filter: only the iterative scan fills 90.
    hits, total = similar(
        ds, {"name": "emb", "value": [1, 0, 0], "record_id": None}, search=search, limit=90
    )
    assert total == 90 and all(int(name[1:]) < 100 for name, _s in hits)


def test_the_hnsw_index_serves_the_query(ds):
    rng = random.Random(3)
    add(ds, [[rng.gauss(0, 1) for _ in range(3)] for _ in range(300)])
    settings = DatasetSchema.load(ds).vectors_settings["emb"]
    qs = (
        RecordQuery(ds)
        .matching()
        .filter(vectors__vector_settings=settings)
        .annotate(distance=CosineDistance(F("vectors__value"), "[1,0,0]", 3))
        .order_by("distance")[:10]
    )
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE records_vector")
        cursor.execute("ANALYZE records_record")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert vector_index.index_name(settings) in plan


@pytest.mark.parametrize(
    ("vector", "loc"),
    [
        ({"name": "nope", "value": [1, 0, 0]}, ["query", "vector", "name"]),
        ({"name": "emb", "value": [1, 0]}, ["query", "vector", "value"]),
        ({"name": "emb", "value": None, "record_id": None}, ["query", "vector"]),
        ({"name": "emb", "record_id": "not-a-uuid"}, ["query", "vector", "record_id"]),
        ({"name": "emb", "value": [1, 0, 0], "order": "sideways"}, ["query", "vector", "order"]),
    ],
)
def test_bad_vector_queries_are_422_naming_the_part(ds, vector, loc):
    with pytest.raises(ValidationFailed) as error:
        similar(ds, vector)
    assert error.value.as_list()[0]["loc"] == loc

"""pgvector where the server has it (the embedded server); a clear error where it doesn't
(a stock PostgreSQL 15). CI runs the suite on both, so both tests run somewhere."""

import pytest
from django.db import connection

from apps.core import pgvector
from apps.core.errors import ValidationFailed
from apps.records.services import create_records
from tests.conftest import vector_settings

pytestmark = pytest.mark.django_db


def server_has_pgvector() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'")
        return cursor.fetchone() is not None


def test_migrations_create_the_vector_extension_where_the_server_has_it():
    if not server_has_pgvector():
        pytest.skip("this PostgreSQL server has no pgvector (the embedded server has it)")
    assert pgvector.installed_version() >= pgvector.MIN_VERSION
    pgvector.require()  # no error
    with connection.cursor() as cursor:
        cursor.execute("SELECT '[1,0]'::vector <=> '[0,1]'::vector")
        assert cursor.fetchone()[0] == pytest.approx(1.0)


def test_without_pgvector_a_feature_that_needs_it_names_the_extension():
    if server_has_pgvector():
        pytest.skip("this PostgreSQL server has pgvector (run on PostgreSQL 15 to see the error)")
    assert pgvector.installed_version() is None
    with pytest.raises(ValidationFailed) as error:
        pgvector.require(("vectors_settings",))
    [problem] = error.value.as_list()
    assert problem["loc"] == ["vectors_settings"]
    assert "PostgreSQL extension 'vector' (pgvector 0.7 or newer)" in problem["msg"]


def test_without_pgvector_creating_a_vector_setting_is_a_422(world, make_dataset, api):
    if server_has_pgvector():
        pytest.skip("this PostgreSQL server has pgvector (run on PostgreSQL 15 to see the error)")
    dataset = make_dataset(world.ws_a, publish=False)
    answer = api(world.owner).post(
        f"/api/v1/datasets/{dataset.id}/vectors-settings",
        {"name": "emb", "title": "Embedding", "dimensions": 8},
        format="json",
    )
    assert answer.status_code == 422
    assert "PostgreSQL extension 'vector'" in str(answer.json())
    assert not dataset.vectors_settings.exists()  # rolled back


def test_without_pgvector_a_similarity_search_is_a_422(world, make_dataset, api):
    if server_has_pgvector():
        pytest.skip("this PostgreSQL server has pgvector (run on PostgreSQL 15 to see the error)")
    dataset = make_dataset(world.ws_a)
    vector_settings(dataset, "emb", 2)  # stored vectors work without pgvector
    create_records(
        dataset=dataset,
        items=[
            {
                "fields": {"prompt": "p", "response-1": "a", "response-2": "b"},
                "vectors": {"emb": [1.0, 0.5]},
            }
        ],
    )
    body = {"query": {"vector": {"name": "emb", "value": [1.0, 0.0], "record_id": None}}}
    answer = api(world.owner).post(
        f"/api/v1/datasets/{dataset.id}/records/search", body, format="json"
    )
    assert answer.status_code == 422
    assert "PostgreSQL extension 'vector'" in str(answer.json())

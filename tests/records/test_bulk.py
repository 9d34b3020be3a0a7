"""apps/records/bulk.py on its own: COPY for new rows, one INSERT … ON CONFLICT for upserts,
one UPDATE … FROM unnest() for updates, whatever the number of rows."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.records.bulk import insert_rows, update_rows, upsert_rows
from apps.records.models import Record, RecordStatus, Suggestion, Vector
from tests.conftest import vector_settings

# Values COPY's text format must escape, and JSON it must keep as it is.
AWKWARD = {
    "tab": "a\tb",
    "newline": "a\nb",
    "backslash": "C:\\temp",
    "null marker": "\\N",
    "unicode": "标注 ✓",
    "nested": [{"k": None}, 1.5, True],
}


@pytest.fixture
def dataset(world, make_dataset):
    return make_dataset(world.ws_a)


def record_rows(dataset, count, *, start=0):
    now = timezone.now()
    return [
        {
            "id": uuid.uuid4(),
            "dataset_id": dataset.pk,
            "external_id": f"r{i}",
            "fields": {"prompt": f"p{i}"},
            "metadata": {"n": i},
            "inserted_at": now + timedelta(microseconds=i),
            "updated_at": now,
        }
        for i in range(start, start + count)
    ]


def test_insert_rows_writes_every_column_as_given(dataset):
    rows = record_rows(dataset, 2)
    rows[0]["fields"] = AWKWARD
    rows[1]["external_id"] = None
    insert_rows(Record, rows)
    first, second = (Record.objects.get(pk=row["id"]) for row in rows)
    assert first.fields == AWKWARD
    assert (first.external_id, first.metadata, first.inserted_at) == (
        "r0",
        {"n": 0},
        rows[0]["inserted_at"],
    )
    assert second.external_id is None


def test_insert_rows_gives_a_left_out_column_its_default(dataset):
    rows = record_rows(dataset, 1)
    del rows[0]["metadata"]  # default=dict
    insert_rows(Record, rows)
    record = Record.objects.get(pk=rows[0]["id"])
    assert record.metadata == {}
    assert record.status == RecordStatus.PENDING  # left out of every row: default "pending"


def test_insert_rows_writes_array_columns(dataset):
    settings = vector_settings(dataset, "embedding", 3)
    records = record_rows(dataset, 1)
    insert_rows(Record, records)
    now = timezone.now()
    row = {
        "id": uuid.uuid4(),
        "record_id": records[0]["id"],
        "vector_settings_id": settings.pk,
        "value": [0.5, -1.0, 1e-05],
        "inserted_at": now,
        "updated_at": now,
    }
    insert_rows(Vector, [row])
    assert Vector.objects.get(pk=row["id"]).as_list() == pytest.approx([0.5, -1.0, 1e-05])


@pytest.mark.parametrize("count", [1, 50])
def test_insert_rows_is_one_copy_whatever_the_number_of_rows(
    dataset, count, django_assert_num_queries
):
    rows = record_rows(dataset, count)
    # None counted: the one COPY runs on psycopg's own cursor, which Django's query log
    # does not see (bulk.py says so; a query-count test around it counts nothing for it).
    with django_assert_num_queries(0):
        insert_rows(Record, rows)
    assert Record.objects.filter(dataset=dataset).count() == count


def test_empty_input_runs_no_statement(dataset, django_assert_num_queries):
    with django_assert_num_queries(0):
        insert_rows(Record, [])
        upsert_rows(Record, [], unique=("dataset_id", "external_id"), update=("fields",))
        update_rows(Record, [], columns=("metadata",))


def suggestion_rows(record_ids, question, *, value, agent):
    now = timezone.now()
    return [
        {
            "id": uuid.uuid4(),
            "record_id": record_id,
            "question_id": question.pk,
            "value": value,
            "score": 0.5,
            "agent": agent,
            "type": "model",
            "inserted_at": now,
            "updated_at": now,
        }
        for record_id in record_ids
    ]


def test_upsert_rows_inserts_new_rows_and_updates_only_the_named_columns(dataset):
    question = dataset.questions.get(name="response_ranking")
    rows = record_rows(dataset, 2)
    insert_rows(Record, rows)
    old_id, new_id = (row["id"] for row in rows)
    [stored] = suggestion_rows([old_id], question, value=1, agent="first")
    insert_rows(Suggestion, [stored])
    again = suggestion_rows([old_id, new_id], question, value=3, agent="second")
    upsert_rows(
        Suggestion, again, unique=("record_id", "question_id"), update=("value", "updated_at")
    )
    kept = Suggestion.objects.get(record_id=old_id)
    # The conflicting row keeps its id, inserted_at and the columns not named in `update`.
    assert (kept.pk, kept.inserted_at, kept.agent) == (
        stored["id"],
        stored["inserted_at"],
        "first",
    )
    assert kept.value == 3
    added = Suggestion.objects.get(record_id=new_id)
    assert (added.pk, added.value, added.agent) == (again[1]["id"], 3, "second")


def test_upsert_rows_updates_array_columns(dataset):
    settings = vector_settings(dataset, "embedding", 2)
    rows = record_rows(dataset, 1)
    insert_rows(Record, rows)
    now = timezone.now()

    def vector(value):
        return {
            "id": uuid.uuid4(),
            "record_id": rows[0]["id"],
            "vector_settings_id": settings.pk,
            "value": value,
            "inserted_at": now,
            "updated_at": now,
        }

    for value in ([1.0, 2.0], [3.0, 4.0]):
        upsert_rows(
            Vector,
            [vector(value)],
            unique=("record_id", "vector_settings_id"),
            update=("value", "updated_at"),
        )
    [stored] = Vector.objects.filter(record_id=rows[0]["id"])
    assert stored.as_list() == [3.0, 4.0]


@pytest.mark.parametrize("count", [1, 50])
def test_upsert_rows_is_one_statement_whatever_the_number_of_rows(
    dataset, count, django_assert_num_queries
):
    question = dataset.questions.get(name="response_ranking")
    rows = record_rows(dataset, count)
    insert_rows(Record, rows)
    half = [row["id"] for row in rows[: count // 2]]
    insert_rows(Suggestion, suggestion_rows(half, question, value=1, agent="a"))
    upserted = suggestion_rows([row["id"] for row in rows], question, value=2, agent="b")
    # 1. INSERT INTO records_suggestion … SELECT FROM unnest(…) ON CONFLICT … DO UPDATE
    with django_assert_num_queries(1):
        upsert_rows(Suggestion, upserted, unique=("record_id", "question_id"), update=("value",))
    assert list(Suggestion.objects.filter(question=question).values_list("value", flat=True)) == (
        [2] * count
    )


def test_update_rows_sets_the_columns_of_the_rows_it_names(dataset):
    rows = record_rows(dataset, 3)
    insert_rows(Record, rows)
    later = timezone.now() + timedelta(hours=1)
    changes = [
        {"id": rows[0]["id"], "metadata": {"n": "changed"}, "external_id": None},
        {"id": rows[1]["id"], "metadata": AWKWARD, "external_id": "renamed"},
        {"id": uuid.uuid4(), "metadata": {"n": "nobody"}, "external_id": "ghost"},  # no such row
    ]
    for change in changes:
        change["updated_at"] = later
    update_rows(Record, changes, columns=("metadata", "external_id", "updated_at"))
    first, second, untouched = (Record.objects.get(pk=row["id"]) for row in rows)
    assert (first.metadata, first.external_id, first.updated_at) == ({"n": "changed"}, None, later)
    assert (second.metadata, second.external_id) == (AWKWARD, "renamed")
    assert (untouched.metadata, untouched.external_id) == ({"n": 2}, "r2")
    assert Record.objects.filter(dataset=dataset).count() == 3


def test_update_rows_keeps_the_stored_value_for_a_none_in_keep_when_null(dataset):
    rows = record_rows(dataset, 2)
    insert_rows(Record, rows)
    changes = [
        {"id": rows[0]["id"], "metadata": None, "external_id": None},
        {"id": rows[1]["id"], "metadata": {"n": "new"}, "external_id": None},
    ]
    update_rows(Record, changes, columns=("metadata", "external_id"), keep_when_null=("metadata",))
    kept, changed = (Record.objects.get(pk=row["id"]) for row in rows)
    assert kept.metadata == {"n": 0}  # None kept the stored value
    assert changed.metadata == {"n": "new"}
    assert kept.external_id is None and changed.external_id is None  # not in keep_when_null


def test_update_rows_names_a_column_the_model_does_not_have(dataset):
    with pytest.raises(LookupError, match="no_such_column"):
        update_rows(Record, [{"id": uuid.uuid4()}], columns=("no_such_column",))


@pytest.mark.parametrize("count", [1, 50])
def test_update_rows_is_one_statement_whatever_the_number_of_rows(
    dataset, count, django_assert_num_queries
):
    rows = record_rows(dataset, count)
    insert_rows(Record, rows)
    changes = [{"id": row["id"], "metadata": {"n": -1}} for row in rows]
    # 1. UPDATE records_record … FROM unnest(…) WHERE id matches
    with django_assert_num_queries(1):
        update_rows(Record, changes, columns=("metadata",))
    stored = Record.objects.filter(dataset=dataset).values_list("metadata", flat=True)
    assert list(stored) == [{"n": -1}] * count

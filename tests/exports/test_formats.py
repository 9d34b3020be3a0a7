"""The records export in every format: loaded back with `datasets`, column by column."""

import csv
import json

import datasets
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.db import connection

from apps.exports import services

QUESTIONS = [
    {
        "name": "topic",
        "settings": {"type": "label_selection", "options": [{"value": "a"}, {"value": "b"}]},
    },
    {
        "name": "tags",
        "required": False,
        "settings": {
            "type": "multi_label_selection",
            "options": [{"value": "x"}, {"value": "y"}, {"value": "z"}],
        },
    },
    {
        "name": "order",
        "required": False,
        "settings": {"type": "ranking", "options": [{"value": "r1"}, {"value": "r2"}]},
    },
    {"name": "note", "required": False, "settings": {"type": "text"}},
    {
        "name": "score",
        "required": False,
        "settings": {"type": "rating", "options": [{"value": 1}, {"value": 2}]},
    },
]
FIELDS = [{"name": "text", "settings": {"type": "text"}}]
RANKED = [{"value": "r2", "rank": 1}, {"value": "r1", "rank": 2}]


@pytest.fixture
def labelled(world, make_dataset, add_records, answer):
    dataset = make_dataset(world.ws_a, fields=FIELDS, questions=QUESTIONS)
    records = add_records(
        dataset,
        [
            {
                "external_id": "e1",
                "fields": {"text": "first"},
                "metadata": {"source": "web", "n": 3},
                "suggestions": [
                    {"question_name": "topic", "value": "a", "score": 0.9, "agent": "m1"},
                    {"question_name": "tags", "value": ["x", "y"], "score": [0.5, 0.25]},
                ],
            },
            {"external_id": "e2", "fields": {"text": "second"}},
        ],
    )
    answer(
        world.ann1,
        records[0],
        {"topic": "a", "tags": ["x"], "order": RANKED, "note": "hi", "score": 2},
    )
    answer(world.ann2, records[0], {"topic": "b"}, status="draft")
    return dataset, records


def _write(dataset, fmt, tmp_path, **options):
    export = services.prepare_export(dataset=dataset, format=fmt, options=options)
    return services.write_export(export, tmp_path / f"out.{fmt}")


def _check_first_row(row, *, native_json: bool):
    assert row["external_id"] == "e1"
    assert row["text"] == "first"
    metadata = row["metadata"] if native_json else json.loads(row["metadata"])
    assert metadata == {"source": "web", "n": 3}
    assert row["topic.responses"] == ["a", "b"]
    assert row["topic.responses.users"] == ["ann1", "ann2"]
    assert row["topic.responses.status"] == ["submitted", "draft"]
    assert row["topic.suggestion"] == "a"
    assert row["topic.suggestion.score"] == pytest.approx(0.9)
    assert row["topic.suggestion.agent"] == "m1"
    assert row["tags.responses"] == [["x"]]
    assert row["tags.suggestion"] == ["x", "y"]
    assert row["tags.suggestion.score"] == [0.5, 0.25]
    assert row["order.responses"] == [RANKED]
    assert row["note.responses"] == ["hi"]
    assert row["score.responses"] == [2]


def test_jsonl_loads_with_datasets_from_json(labelled, tmp_path):
    dataset, records = labelled
    loaded = datasets.Dataset.from_json(str(_write(dataset, "jsonl", tmp_path)))
    assert loaded.num_rows == 2
    assert loaded["id"] == [str(r.id) for r in records]
    _check_first_row(loaded[0], native_json=True)
    assert loaded[1]["topic.responses"] == []
    assert loaded[1]["topic.suggestion"] is None


def test_parquet_has_typed_columns(labelled, tmp_path):
    dataset, _records = labelled
    path = _write(dataset, "parquet", tmp_path)
    schema = pq.read_schema(path)
    assert schema.field("score.responses").type.value_type == pa.int64()
    assert schema.field("order.responses").type.value_type.value_type == pa.struct(
        [("value", pa.string()), ("rank", pa.int64())]
    )
    loaded = datasets.Dataset.from_parquet(str(path))
    _check_first_row(loaded[0], native_json=False)


def test_hf_folder_loads_with_load_from_disk(labelled, tmp_path):
    dataset, _records = labelled
    folder = _write(dataset, "hf", tmp_path)
    loaded = datasets.load_from_disk(str(folder))
    assert loaded.num_rows == 2
    _check_first_row(loaded[0], native_json=False)


def test_csv_writes_lists_as_json(labelled, tmp_path):
    dataset, _records = labelled
    with open(_write(dataset, "csv", tmp_path), newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows[0]["external_id"] == "e1"
    assert json.loads(rows[0]["topic.responses.users"]) == ["ann1", "ann2"]
    assert json.loads(rows[0]["order.responses"]) == [RANKED]
    assert rows[1]["topic.suggestion"] == ""


def test_wide_layout_has_one_column_per_question_and_annotator(labelled, tmp_path):
    dataset, _records = labelled
    loaded = datasets.Dataset.from_json(str(_write(dataset, "jsonl", tmp_path, layout="wide")))
    assert {"topic.ann1", "topic.ann2", "score.ann1"} <= set(loaded.column_names)
    assert loaded[0]["topic.ann1"] == "a"
    assert loaded[0]["topic.ann2"] is None  # a draft is not an answer in the wide layout


def test_empty_dataset_exports_headers_only(world, make_dataset, tmp_path):
    dataset = make_dataset(world.ws_a)
    path = _write(dataset, "parquet", tmp_path)
    assert pq.read_table(path).num_rows == 0
    assert "response_ranking.responses" in pq.read_schema(path).names


@pytest.mark.parametrize("count", [1, 50])
def test_queries_are_constant_per_chunk(
    world, make_dataset, add_records, answer, django_assert_num_queries, tmp_path, count
):
    dataset = make_dataset(world.ws_a)
    records = add_records(
        dataset,
        [{"fields": {"prompt": "p", "response-1": "a", "response-2": "b"}}] * count,
    )
    for record in records:
        answer(world.ann1, record, {"response_ranking": 1})
        answer(world.ann2, record, {"response_ranking": 2})
    # 4 schema (fields, questions, metadata properties, vector settings), where chunks
    # start, the last record, then 1 COPY per 10 chunks of 20. Here: 1 chunk (count=1) or
    # 3 (count=50).
    chunks = -(-count // 20)
    with django_assert_num_queries(4 + 2 + -(-chunks // 10)):
        export = services.prepare_export(dataset=dataset, format="jsonl", chunk_size=20)
        services.write_export(export, tmp_path / "out.jsonl")


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_caller_may_query_between_chunks(
    world, make_dataset, add_records, answer, tmp_path
):
    # Committed data and no transaction open: on PostgreSQL the export streams on a
    # connection of its own, so a background job can record progress while it runs.
    from apps.exports.models import ExportJob

    dataset = make_dataset(world.ws_a)
    items = [
        {"fields": {"prompt": f"p{i}", "response-1": "a", "response-2": "b"}} for i in range(45)
    ]
    records = add_records(dataset, items)
    for record in records[::2]:
        answer(world.ann1, record, {"response_ranking": 1})
    job = ExportJob.objects.create(dataset=dataset, format="jsonl", task="records")
    assert not connection.in_atomic_block

    def progress(records_done: int, rows: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(processed_records=records_done)

    export = services.prepare_export(dataset=dataset, format="jsonl", chunk_size=20)
    services.write_export(export, tmp_path / "out.jsonl", progress)

    rows = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert [row["prompt"] for row in rows] == [f"p{i}" for i in range(45)]
    assert [row["response_ranking.responses"] for row in rows[:3]] == [[1], [], [1]]
    assert [row["response_ranking.responses.users"] for row in rows[:2]] == [["ann1"], []]
    job.refresh_from_db()
    assert job.processed_records == 5  # the last chunk's 5 records

"""Record payloads against their dataset: fields, metadata, vectors, suggestions."""

import pytest

from apps.core.errors import ValidationFailed
from apps.datasets import services as dataset_services
from apps.datasets.schema import DatasetSchema
from apps.records.models import Record, Suggestion, Vector
from apps.records.services import create_records
from apps.records.validation import clean_record, clean_records
from tests.conftest import vector_settings

GOOD_FIELDS = {"prompt": "Why?", "response-1": "Because.", "response-2": "No idea."}


@pytest.fixture
def dataset(world, make_dataset):
    dataset = make_dataset(world.ws_a, allow_extra_metadata=False)
    dataset_services.add_metadata_property(
        dataset=dataset, name="source", settings={"type": "terms", "values": ["web", "books"]}
    )
    dataset_services.add_metadata_property(
        dataset=dataset, name="length", settings={"type": "integer", "min": 0, "max": 100}
    )
    vector_settings(dataset, "emb", 3)
    return dataset


@pytest.fixture
def schema(dataset):
    return DatasetSchema.load(dataset)


def problems_of(schema, payload):
    with pytest.raises(ValidationFailed) as caught:
        clean_record(schema, payload)
    return caught.value.problems


def test_a_good_record(schema):
    question_id = str(schema.questions["response_ranking"].id)
    record = clean_record(
        schema,
        {
            "external_id": 17,
            "fields": GOOD_FIELDS,
            "metadata": {"source": "web", "length": 3},
            "vectors": {"emb": [0.1, 0.2, 0.3]},
            "suggestions": [
                {"question_id": question_id, "value": 2, "score": 0.7, "agent": "gpt-4o/v1"}
            ],
        },
    )
    assert record.external_id == "17"
    assert record.fields == GOOD_FIELDS
    assert record.metadata == {"source": "web", "length": 3}
    assert record.vectors == {"emb": [0.1, 0.2, 0.3]}
    [suggestion] = record.suggestions
    assert (suggestion.question.name, suggestion.value, suggestion.score) == (
        "response_ranking",
        2,
        0.7,
    )


def test_the_seed_trap_names_the_unknown_field_and_the_real_ones(schema):
    """The announcement's example built records with "response 1" for a `response-1` field."""
    payload = {"fields": {"prompt": "p", "response 1": "a", "response 2": "b"}}
    problems = problems_of(schema, payload)
    unknown = [p for p in problems if p.loc == ("fields", "response 1")]
    assert unknown and "'response-1'" in unknown[0].message and "'prompt'" in unknown[0].message
    missing = {p.loc for p in problems if "required" in p.message}
    assert missing == {("fields", "response-1"), ("fields", "response-2")}


@pytest.mark.parametrize(
    "fields, loc",
    [
        (None, ("fields",)),
        ({}, ("fields",)),
        ("text", ("fields",)),
        ({**GOOD_FIELDS, "prompt": None}, ("fields", "prompt")),
        ({**GOOD_FIELDS, "prompt": 5}, ("fields", "prompt")),
    ],
)
def test_bad_fields(schema, fields, loc):
    assert loc in {p.loc for p in problems_of(schema, {"fields": fields})}


@pytest.mark.parametrize(
    "metadata, loc",
    [
        ({"source": "tv"}, ("metadata", "source")),
        ({"length": 101}, ("metadata", "length")),
        ({"length": "3"}, ("metadata", "length")),
        ({"colour": "red"}, ("metadata", "colour")),
        ("web", ("metadata",)),
    ],
)
def test_bad_metadata(schema, metadata, loc):
    problems = problems_of(schema, {"fields": GOOD_FIELDS, "metadata": metadata})
    assert [p.loc for p in problems] == [loc]


def test_extra_metadata_allowed_when_the_dataset_says_so(dataset, schema):
    dataset.allow_extra_metadata = True
    record = clean_record(schema, {"fields": GOOD_FIELDS, "metadata": {"colour": "red"}})
    assert record.metadata == {"colour": "red"}
    with pytest.raises(ValidationFailed):
        clean_record(schema, {"fields": GOOD_FIELDS, "metadata": {"nan": float("nan")}})


@pytest.mark.parametrize(
    "vectors, message",
    [
        ({"emb": [1, 2]}, "2 dimensions"),
        ({"emb": [1, 2, "x"]}, "finite numbers"),
        ({"emb": [1, 2, float("inf")]}, "finite numbers"),
        ({"other": [1, 2, 3]}, "'emb'"),
    ],
)
def test_bad_vectors(schema, vectors, message):
    [problem] = problems_of(schema, {"fields": GOOD_FIELDS, "vectors": vectors})
    assert problem.loc[0] == "vectors" and message in problem.message


@pytest.mark.parametrize(
    "suggestion, loc",
    [
        ({"question_id": "00000000-0000-0000-0000-000000000000", "value": 1}, "question_id"),
        ({"question_name": "response_ranking", "value": 9}, "value"),
        ({"question_name": "response_ranking", "value": 1, "score": 1.5}, "score"),
        ({"question_name": "response_ranking", "value": 1, "score": [0.5]}, "score"),
        ({"question_name": "response_ranking", "value": 1, "agent": "!!"}, "agent"),
        ({"question_name": "response_ranking", "value": 1, "type": "robot"}, "type"),
    ],
)
def test_bad_suggestions(schema, suggestion, loc):
    problems = problems_of(schema, {"fields": GOOD_FIELDS, "suggestions": [suggestion]})
    assert problems[0].loc[:3] == ("suggestions", 0, loc)


def test_one_suggestion_per_question(schema):
    twice = [{"question_name": "response_ranking", "value": 1}] * 2
    [problem] = problems_of(schema, {"fields": GOOD_FIELDS, "suggestions": twice})
    assert problem.loc == ("suggestions", 1)


def test_bulk_reports_every_bad_item_with_its_index(schema):
    items = [
        {"fields": GOOD_FIELDS},
        {"fields": {"prompt": "only"}},
        {"fields": GOOD_FIELDS, "external_id": "a"},
        {"fields": GOOD_FIELDS, "external_id": "a"},
    ]
    with pytest.raises(ValidationFailed) as caught:
        clean_records(schema, items)
    indexes = {p.loc[1] for p in caught.value.problems}
    assert indexes == {1, 3}


def test_create_records_is_all_or_nothing(dataset):
    items = [{"fields": GOOD_FIELDS}, {"fields": GOOD_FIELDS, "metadata": {"source": "tv"}}]
    with pytest.raises(ValidationFailed):
        create_records(dataset=dataset, items=items)
    assert not Record.objects.filter(dataset=dataset).exists()


def test_create_records_writes_suggestions_and_vectors(dataset):
    items = [
        {
            "external_id": f"r{i}",
            "fields": GOOD_FIELDS,
            "vectors": {"emb": [i, 0, 1]},
            "suggestions": [{"question_name": "response_ranking", "value": 1, "score": 0.5}],
        }
        for i in range(3)
    ]
    records = create_records(dataset=dataset, items=items)
    assert len(records) == 3
    assert Suggestion.objects.filter(record__dataset=dataset).count() == 3
    assert Vector.objects.get(record=records[2]).as_list() == [2.0, 0.0, 1.0]
    with pytest.raises(ValidationFailed, match="already exists"):
        create_records(dataset=dataset, items=[{"external_id": "r1", "fields": GOOD_FIELDS}])


def test_create_records_query_count_is_constant(dataset, django_assert_num_queries):
    def items(n):
        return [
            {
                "external_id": f"q{n}-{i}",
                "fields": GOOD_FIELDS,
                "vectors": {"emb": [1, 2, 3]},
                "suggestions": [{"question_name": "response_ranking", "value": 1}],
            }
            for i in range(n)
        ]

    # 4 schema loads, external-id check, records, suggestions, vectors, last_activity_at,
    # the work queue's hook (assignment rules, annotators who had run out look again),
    # plus the savepoint pair of the atomic block.
    for n in (1, 50):
        with django_assert_num_queries(13):
            create_records(dataset=dataset, items=items(n))


def test_records_need_a_published_dataset(world):
    draft = dataset_services.create_dataset(workspace=world.ws_a, name="draft")
    dataset_services.add_field(dataset=draft, name="text", settings={"type": "text"})
    with pytest.raises(ValidationFailed, match="not published"):
        create_records(dataset=draft, items=[{"fields": {"text": "x"}}])

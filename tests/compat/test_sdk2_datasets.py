"""argilla 2.x: the full dataset life cycle against Loam's live server.

A dataset with every field type, every question type, metadata properties, a vector setting
and distribution min_submitted=2; records logged with suggestions, metadata and vectors; upsert;
responses from two annotators; query / filter / similar; progress; to_list; to_disk / from_disk;
deleting records and the dataset. Every outcome is also checked in the database.
"""

import pytest

from apps.datasets.models import Dataset, Field, MetadataProperty, Question, VectorSettings
from apps.records.models import Record, Suggestion, Vector
from apps.responses.models import Response
from tests.conftest import database_has_pgvector

from .conftest import TEAM

pytestmark = [pytest.mark.compat, pytest.mark.django_db(transaction=True)]

NAME = "every-type"

RECORDS = [
    {
        "id": "r1",
        "prompt": "Marie Curie won two Nobel prizes.",
        "answer": "She won them in physics and chemistry.",
        "picture": "https://example.org/curie.png",
        "chat": [
            {"role": "user", "content": "Who was Marie Curie?"},
            {"role": "assistant", "content": "A physicist and chemist."},
        ],
        "extra": {"year": 1903, "tags": ["physics"]},
        "source": "web",
        "length": 33,
        "score": 0.9,
        "emb": [1.0, 0.0, 0.0],
        "sentiment": "positive",
        "sentiment_score": 0.8,
        "quality": 5,
        "topics": ["science"],
        "preference": ["a", "b"],
        "entities": [{"label": "PER", "start": 0, "end": 11}],
        "comment": "Accurate.",
    },
    {
        "id": "r2",
        "prompt": "The football world cup is held every four years.",
        "source": "book",
        "length": 48,
        "score": 0.5,
        "emb": [0.0, 1.0, 0.0],
        "sentiment": "neutral",
        "sentiment_score": 0.6,
        "topics": ["sport"],
    },
    {
        "id": "r3",
        "prompt": "Impressionism began in France.",
        "source": "book",
        "length": 30,
        "score": 0.2,
        "emb": [0.0, 0.0, 1.0],
        "sentiment": "negative",
        "sentiment_score": 0.3,
        "topics": ["art"],
    },
]
MAPPING = {"sentiment_score": "sentiment.suggestion.score"}


def build_settings(rg, *, vectors=True):
    return rg.Settings(
        guidelines="Rate the statements; mark people and organisations.",
        fields=[
            rg.TextField(name="prompt", use_markdown=False),
            rg.TextField(name="answer", use_markdown=True, required=False),
            rg.ImageField(name="picture", required=False),
            rg.ChatField(name="chat", required=False),
            rg.CustomField(
                name="extra", template="<p>{{record.fields.extra.year}}</p>", required=False
            ),
        ],
        questions=[
            rg.LabelQuestion(name="sentiment", labels=["positive", "negative", "neutral"]),
            rg.RatingQuestion(name="quality", values=[1, 2, 3, 4, 5]),
            rg.TextQuestion(name="comment", required=False),
            rg.MultiLabelQuestion(
                name="topics", labels=["science", "sport", "art"], required=False
            ),
            rg.RankingQuestion(name="preference", values=["a", "b"], required=False),
            rg.SpanQuestion(name="entities", field="prompt", labels=["PER", "ORG"], required=False),
        ],
        metadata=[
            rg.TermsMetadataProperty(name="source", options=["web", "book"]),
            rg.IntegerMetadataProperty(name="length", min=0, max=1000),
            rg.FloatMetadataProperty(name="score", min=0.0, max=1.0),
        ],
        vectors=[rg.VectorField(name="emb", dimensions=3)] if vectors else [],
        distribution=rg.TaskDistribution(min_submitted=2),
    )


@pytest.fixture
def owner(team, connect):
    return connect(team.owner_key)


@pytest.fixture
def vectors(transactional_db) -> bool:
    """Whether the server has pgvector: without it a vector setting is a 422, so the dataset
    goes without one (the similarity tests skip)."""
    return database_has_pgvector()


@pytest.fixture
def dataset(rg, owner, vectors):
    """The dataset, created through the SDK (not yet holding records)."""
    settings = build_settings(rg, vectors=vectors)
    return rg.Dataset(name=NAME, workspace=TEAM, settings=settings, client=owner).create()


@pytest.fixture
def logged(dataset, vectors):
    """The dataset holding RECORDS."""
    records = RECORDS if vectors else [{k: v for k, v in r.items() if k != "emb"} for r in RECORDS]
    dataset.records.log(records, mapping=MAPPING)
    return dataset


def records_by_id(dataset, **kwargs):
    return {record.id: record for record in dataset.records(**kwargs)}


def submit(rg, dataset, user_id, answers):
    """Log submitted responses of one annotator: answers = {external_id: (sentiment, quality)}."""
    records = []
    for record in dataset.records(query=rg.Query(filter=rg.Filter(("id", "in", list(answers))))):
        sentiment, quality = answers[record.id]
        record.responses.add(rg.Response("sentiment", sentiment, user_id, status="submitted"))
        record.responses.add(rg.Response("quality", quality, user_id, status="submitted"))
        records.append(record)
    assert len(records) == len(answers)
    dataset.records.log(records)


def test_create_dataset_with_every_setting(rg, owner, team, dataset, vectors):
    db = Dataset.objects.get(id=dataset.id)
    assert db.name == NAME and db.workspace_id == team.workspace.id
    assert db.status == "ready"
    assert db.min_submitted == 2
    assert db.guidelines.startswith("Rate the statements")
    assert {f.name: f.settings["type"] for f in Field.objects.filter(dataset=db)} == {
        "prompt": "text",
        "answer": "text",
        "picture": "image",
        "chat": "chat",
        "extra": "custom",
    }
    assert {q.name: q.settings["type"] for q in Question.objects.filter(dataset=db)} == {
        "sentiment": "label_selection",
        "quality": "rating",
        "comment": "text",
        "topics": "multi_label_selection",
        "preference": "ranking",
        "entities": "span",
    }
    assert {m.name: m.settings["type"] for m in MetadataProperty.objects.filter(dataset=db)} == {
        "source": "terms",
        "length": "integer",
        "score": "float",
    }
    assert [(v.name, v.dimensions) for v in VectorSettings.objects.filter(dataset=db)] == (
        [("emb", 3)] if vectors else []
    )

    # Fetched back by name, the SDK sees the same settings.
    fetched = owner.datasets(NAME, workspace=TEAM)
    assert fetched is not None and fetched.id == dataset.id
    assert [f.name for f in fetched.fields] == ["prompt", "answer", "picture", "chat", "extra"]
    assert fetched.settings.distribution.min_submitted == 2
    assert fetched.questions["sentiment"].labels == ["positive", "negative", "neutral"]
    assert fetched.questions["quality"].values == [1, 2, 3, 4, 5]
    assert fetched.questions["entities"].field == "prompt"
    assert fetched.settings.metadata["length"].max == 1000
    if vectors:
        assert fetched.settings.vectors["emb"].dimensions == 3
    assert NAME in [d.name for d in owner.datasets]


def test_log_records_with_suggestions_metadata_and_vectors(logged, vectors):
    db_records = {r.external_id: r for r in Record.objects.filter(dataset_id=logged.id)}
    assert set(db_records) == {"r1", "r2", "r3"}
    r1 = db_records["r1"]
    assert r1.fields["prompt"] == "Marie Curie won two Nobel prizes."
    assert r1.fields["chat"][1] == {"role": "assistant", "content": "A physicist and chemist."}
    assert r1.fields["extra"] == {"year": 1903, "tags": ["physics"]}
    assert r1.metadata == {"source": "web", "length": 33, "score": 0.9}
    assert r1.status == "pending"
    suggestions = {s.question.name: s for s in Suggestion.objects.filter(record=r1)}
    assert set(suggestions) == {
        "sentiment",
        "quality",
        "topics",
        "preference",
        "entities",
        "comment",
    }
    assert suggestions["sentiment"].value == "positive"
    assert suggestions["sentiment"].score == pytest.approx(0.8)
    assert suggestions["entities"].value == [{"label": "PER", "start": 0, "end": 11}]
    assert Vector.objects.filter(record__dataset_id=logged.id).count() == (3 if vectors else 0)

    # And the SDK reads them back.
    records = records_by_id(logged, with_vectors=vectors)
    assert set(records) == {"r1", "r2", "r3"}
    assert records["r1"].fields["answer"] == "She won them in physics and chemistry."
    assert records["r1"].metadata["source"] == "web"
    assert records["r1"].suggestions["sentiment"].value == "positive"
    assert records["r1"].suggestions["sentiment"].score == pytest.approx(0.8)
    assert records["r1"].suggestions["topics"].value == ["science"]
    assert records["r1"].suggestions["preference"].value == ["a", "b"]
    if vectors:
        assert records["r2"].vectors["emb"] == pytest.approx([0.0, 1.0, 0.0])
    assert str(records["r1"]._server_id) == str(r1.id)


def test_log_again_with_the_same_ids_updates_instead_of_duplicating(logged, vectors):
    first_ids = set(Record.objects.filter(dataset_id=logged.id).values_list("id", flat=True))

    changed = [{k: v for k, v in r.items() if vectors or k != "emb"} for r in RECORDS]
    changed[1] = {**changed[1], "source": "web", "length": 99, "sentiment": "positive"}
    logged.records.log(changed, mapping=MAPPING)
    logged.records.log([{"id": "r4", "prompt": "A new one.", "source": "web"}])

    db_records = {r.external_id: r for r in Record.objects.filter(dataset_id=logged.id)}
    assert set(db_records) == {"r1", "r2", "r3", "r4"}
    assert first_ids < {r.id for r in db_records.values()}
    assert db_records["r2"].metadata["source"] == "web"
    assert db_records["r2"].metadata["length"] == 99
    suggestion = Suggestion.objects.get(record=db_records["r2"], question__name="sentiment")
    assert suggestion.value == "positive"
    assert (
        Suggestion.objects.filter(record=db_records["r2"], question__name="sentiment").count() == 1
    )
    assert Vector.objects.filter(record=db_records["r2"]).count() == (1 if vectors else 0)
    assert len(list(logged.records)) == 4


def test_responses_from_two_annotators_complete_the_record(rg, team, connect, logged):
    ann1 = connect(team.ann1_key)
    ann2 = connect(team.ann2_key)

    submit(rg, logged, ann1.me.id, {"r1": ("positive", 5), "r2": ("neutral", 3)})
    r1 = Record.objects.get(dataset_id=logged.id, external_id="r1")
    assert r1.status == "pending"  # min_submitted=2, one submission so far
    assert Response.objects.get(record=r1, user=team.ann1).status == "submitted"

    submit(rg, logged, ann2.me.id, {"r1": ("positive", 4)})
    r1.refresh_from_db()
    assert r1.status == "completed"
    assert Record.objects.get(dataset_id=logged.id, external_id="r2").status == "pending"
    responses = {r.user.username: r for r in Response.objects.filter(record=r1)}
    assert set(responses) == {"compat-ann1", "compat-ann2"}
    assert responses["compat-ann2"].values == {
        "sentiment": {"value": "positive"},
        "quality": {"value": 4},
    }

    records = records_by_id(logged)
    assert records["r1"].status == "completed"
    assert {str(r.user_id) for r in records["r1"].responses["quality"]} == {
        str(team.ann1.id),
        str(team.ann2.id),
    }
    assert sorted(r.value for r in records["r1"].responses["quality"]) == [4, 5]

    # An annotator's own client reads the dataset and sees the record completed.
    seen = records_by_id(ann1.datasets(NAME, workspace=TEAM))
    assert seen["r1"].status == "completed"

    progress = logged.progress()
    assert (progress["total"], progress["completed"], progress["pending"]) == (3, 1, 2)
    users = logged.progress(with_users_distribution=True)["users"]
    assert users["compat-ann1"]["completed"]["submitted"] == 1
    assert users["compat-ann1"]["pending"]["submitted"] == 1
    assert users["compat-ann2"]["completed"]["submitted"] == 1


def test_response_mapping_logs_draft_responses_for_a_user(team, logged):
    logged.records.log(
        [{"id": "r3", "my_label": "negative", "stars": 2}],
        mapping={"my_label": "sentiment.response", "stars": "quality.response"},
        user_id=team.ann1.id,
    )

    response = Response.objects.get(record__dataset_id=logged.id, record__external_id="r3")
    assert response.user_id == team.ann1.id
    assert response.status == "draft"
    assert response.values == {"sentiment": {"value": "negative"}, "quality": {"value": 2}}
    assert Record.objects.filter(dataset_id=logged.id).count() == 3
    assert Record.objects.get(dataset_id=logged.id, external_id="r3").status == "pending"


def test_query_filter_and_similar(rg, team, connect, logged):
    submit(rg, logged, connect(team.ann1_key).me.id, {"r3": ("negative", 2)})

    assert [r.id for r in logged.records(query="Curie")] == ["r1"]
    assert [r.id for r in logged.records(query=rg.Query(query="football"))] == ["r2"]

    by_source = logged.records(query=rg.Query(filter=rg.Filter(("metadata.source", "==", "book"))))
    assert sorted(r.id for r in by_source) == ["r2", "r3"]

    long_web = rg.Filter([("metadata.length", ">=", 31), ("metadata.source", "in", ["web"])])
    assert [r.id for r in logged.records(query=rg.Query(filter=long_web))] == ["r1"]

    submitted = rg.Filter(("response.status", "==", "submitted"))
    assert [r.id for r in logged.records(query=rg.Query(filter=submitted))] == ["r3"]

    by_suggestion = rg.Filter(("sentiment.suggestion", "==", "neutral"))
    assert [r.id for r in logged.records(query=rg.Query(filter=by_suggestion))] == ["r2"]


def test_text_query_ranks_by_relevance_with_stems(rg, logged):
    logged.records.log(
        [
            {"id": "t1", "prompt": "A runner ran; she runs and keeps running to run more."},
            {"id": "t2", "prompt": "Running once."},
            {"id": "t3", "prompt": "机器学习很有趣"},
        ]
    )
    found = [r.id for r in logged.records(query=rg.Query(query="run"))]
    assert found[:2] == ["t1", "t2"]  # stems match; the record saying it most comes first
    assert [r.id for r in logged.records(query=rg.Query(query="学习"))] == ["t3"]


@pytest.mark.usefixtures("needs_pgvector")
def test_similar_by_value_and_by_record_ordered_by_score(rg, logged):
    ranked = list(
        logged.records(
            query=rg.Query(similar=rg.Similar(name="emb", value=[0.9, 0.1, 0.0])), limit=3
        )
    )
    assert [record.id for record, _score in ranked] == ["r1", "r2", "r3"]
    scores = [score for _record, score in ranked]
    assert scores == sorted(scores, reverse=True)
    assert scores[0] == pytest.approx(0.9 / (0.82**0.5), abs=1e-4)  # cosine

    r2 = records_by_id(logged, with_vectors=True)["r2"]
    like_r2 = list(
        logged.records(query=rg.Query(similar=rg.Similar(name="emb", value=r2)), limit=2)
    )
    assert [record.id for record, _score in like_r2] == ["r1", "r3"] or [
        record.id for record, _score in like_r2
    ] == ["r3", "r1"]  # both are orthogonal to r2; r2 itself is left out
    assert all(score == pytest.approx(0.0, abs=1e-6) for _record, score in like_r2)

    least = list(
        logged.records(
            query=rg.Query(
                similar=rg.Similar(name="emb", value=[1.0, 0.0, 0.0], most_similar=False)
            ),
            limit=1,
        )
    )
    assert least[0][0].id in ("r2", "r3") and least[0][1] == pytest.approx(0.0, abs=1e-6)


@pytest.mark.usefixtures("needs_pgvector")
def test_similar_with_a_filter_and_text(rg, logged):
    book = rg.Filter(("metadata.source", "==", "book"))
    ranked = list(
        logged.records(
            query=rg.Query(similar=rg.Similar(name="emb", value=[1.0, 0.0, 0.0]), filter=book),
            limit=3,
        )
    )
    assert [record.id for record, _score in ranked][0] in ("r2", "r3")
    assert {record.id for record, _score in ranked} <= {"r2", "r3"}
    with_text = list(
        logged.records(
            query=rg.Query(query="football", similar=rg.Similar(name="emb", value=[1.0, 0.0, 0.0])),
            limit=3,
        )
    )
    assert [record.id for record, _score in with_text] == ["r2"]


def test_progress_counts_records(logged):
    assert logged.progress()["total"] == 3
    assert logged.progress()["completed"] == 0
    assert logged.progress()["pending"] == 3


def test_to_list_and_to_disk_from_disk(rg, owner, logged, tmp_path, vectors):
    nested = {row["id"]: row for row in logged.records.to_list(flatten=False)}
    assert set(nested) == {"r1", "r2", "r3"}
    assert nested["r1"]["fields"]["prompt"] == "Marie Curie won two Nobel prizes."
    assert nested["r1"]["metadata"]["length"] == 33
    flat = {row["id"]: row for row in logged.records.to_list(flatten=True)}
    assert flat["r2"]["prompt"].startswith("The football")
    assert flat["r2"]["source"] == "book"

    export = tmp_path / "export"
    export.mkdir()
    path = logged.to_disk(str(export))
    copy = rg.Dataset.from_disk(path, name="every-type-copy", workspace=TEAM, client=owner)

    db_copy = Dataset.objects.get(name="every-type-copy")
    assert str(db_copy.id) == str(copy.id) != str(logged.id)
    assert db_copy.status == "ready" and db_copy.min_submitted == 2
    assert Field.objects.filter(dataset=db_copy).count() == 5
    assert Question.objects.filter(dataset=db_copy).count() == 6
    assert MetadataProperty.objects.filter(dataset=db_copy).count() == 3
    assert VectorSettings.objects.filter(dataset=db_copy).count() == (1 if vectors else 0)
    copied = {r.external_id: r for r in Record.objects.filter(dataset=db_copy)}
    original = {r.external_id: r for r in Record.objects.filter(dataset_id=logged.id)}
    assert set(copied) == {"r1", "r2", "r3"}
    assert not {r.id for r in copied.values()} & {r.id for r in original.values()}
    assert copied["r1"].fields == original["r1"].fields
    assert Record.objects.filter(dataset_id=logged.id).count() == 3  # source untouched
    assert {r.id for r in copy.records} == {"r1", "r2", "r3"}


def test_delete_records_and_dataset(owner, logged):
    records = records_by_id(logged)
    logged.records.delete([records["r1"], records["r3"]])

    assert list(
        Record.objects.filter(dataset_id=logged.id).values_list("external_id", flat=True)
    ) == ["r2"]
    assert [r.id for r in logged.records] == ["r2"]

    dataset_id = logged.id
    logged.delete()
    assert not Dataset.objects.filter(id=dataset_id).exists()
    assert not Record.objects.filter(dataset_id=dataset_id).exists()
    assert not Question.objects.filter(dataset_id=dataset_id).exists()
    assert owner.datasets(NAME, workspace=TEAM) is None


def test_annotator_cannot_create_a_dataset(rg, team, connect):
    from argilla._exceptions import ArgillaError

    annotator = connect(team.ann1_key)
    settings = rg.Settings(
        fields=[rg.TextField(name="text")],
        questions=[rg.LabelQuestion(name="label", labels=["a", "b"])],
    )
    with pytest.raises(ArgillaError):
        rg.Dataset(name="nope", workspace=TEAM, settings=settings, client=annotator).create()
    assert not Dataset.objects.filter(name="nope").exists()


def test_update_settings_after_publish(rg, owner, logged, vectors):
    logged.settings.guidelines = "New guidelines."
    logged.settings.metadata.add(rg.TermsMetadataProperty(name="lang", options=["en", "fr"]))
    if vectors:
        logged.settings.vectors.add(rg.VectorField(name="emb2", dimensions=2))
    logged.settings.questions["sentiment"].title = "Sentiment?"
    logged.update()

    db = Dataset.objects.get(id=logged.id)
    assert db.guidelines == "New guidelines."
    assert db.min_submitted == 2
    assert MetadataProperty.objects.filter(dataset=db, name="lang").exists()
    if vectors:
        assert VectorSettings.objects.get(dataset=db, name="emb2").dimensions == 2
    assert Question.objects.get(dataset=db, name="sentiment").title == "Sentiment?"

    logged.records.log([{"id": "r1", "lang": "en", **({"emb2": [0.5, 0.5]} if vectors else {})}])
    r1 = Record.objects.get(dataset=db, external_id="r1")
    assert r1.metadata["lang"] == "en"
    assert r1.fields["prompt"] == "Marie Curie won two Nobel prizes."
    assert Vector.objects.filter(record=r1).count() == (2 if vectors else 0)
    fetched = owner.datasets(NAME, workspace=TEAM)
    assert fetched.settings.guidelines == "New guidelines."
    assert "lang" in [m.name for m in fetched.settings.metadata]

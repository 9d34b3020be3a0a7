"""argilla-v1 1.29.1 (module argilla_v1) in its own virtualenv: the legacy FeedbackDataset flow.

rg.init → FeedbackDataset(TextField, TextQuestion, RatingQuestion) with records and responses →
push_to_argilla(name, workspace) → from_argilla → filter_by(response_status=...) →
prepare_for_training(framework="trl", ...) → delete.
"""

import pytest

from apps.datasets.models import Dataset, Field, Question
from apps.records.models import Record
from apps.responses.models import Response

from .conftest import TEAM

pytestmark = [pytest.mark.compat, pytest.mark.django_db(transaction=True)]

NAME = "legacy-prefs"

# Pushes a dataset of 3 records: e1 answered (submitted) by both annotators, e2 by ann1 only,
# e3 unanswered.
PUSH = """
import argilla_v1 as rg

rg.init(api_url=API_URL, api_key=API_KEY, workspace=os.environ["TEAM"])
ann1, ann2 = os.environ["ANN1"], os.environ["ANN2"]

def answer(user_id, quality, correction=None):
    values = {"quality": {"value": quality}}
    if correction:
        values["correction"] = {"value": correction}
    return {"user_id": user_id, "status": "submitted", "values": values}

dataset = rg.FeedbackDataset(
    fields=[
        rg.TextField(name="prompt"),
        rg.TextField(name="response-1", use_markdown=True),
        rg.TextField(name="response-2", required=False),
    ],
    questions=[
        rg.RatingQuestion(name="quality", values=[1, 2, 3, 4, 5]),
        rg.TextQuestion(name="correction", required=False),
    ],
    guidelines="Rate response-1; rewrite it if you can.",
)
dataset.add_records([
    rg.FeedbackRecord(
        external_id="e1",
        fields={"prompt": "What is 2+2?", "response-1": "4", "response-2": "5"},
        responses=[answer(ann1, 5), answer(ann2, 4, "Four.")],
    ),
    rg.FeedbackRecord(
        external_id="e2",
        fields={"prompt": "Capital of France?", "response-1": "Lyon", "response-2": "Paris"},
        responses=[answer(ann1, 1, "Paris.")],
    ),
    rg.FeedbackRecord(
        external_id="e3",
        fields={"prompt": "Colour of the sky?", "response-1": "Blue"},
    ),
])
remote = dataset.push_to_argilla(name=os.environ["NAME"], workspace=os.environ["TEAM"])
"""


@pytest.fixture
def v1_env(team):
    return {"TEAM": TEAM, "NAME": NAME, "ANN1": team.ann1.id, "ANN2": team.ann2.id}


def test_legacy_init_reports_the_user_and_workspace(team, run_v1):
    out = run_v1(
        """
        import argilla_v1 as rg
        rg.init(api_url=API_URL, api_key=API_KEY, workspace="compat-team")
        from argilla_v1.client.singleton import active_client
        client = active_client()
        emit({"user": client.user.username, "role": client.user.role,
              "workspace": client.get_workspace(),
              "workspaces": [ws.name for ws in rg.Workspace.list()]})
        """,
        team.owner_key,
    )
    assert out == {
        "user": "compat-owner",
        "role": "owner",
        "workspace": TEAM,
        "workspaces": [TEAM],
    }


def test_legacy_push_to_argilla_stores_dataset_records_and_responses(team, run_v1, v1_env):
    out = run_v1(
        PUSH + 'emit({"id": str(remote.id), "len": len(remote)})', team.owner_key, **v1_env
    )

    db = Dataset.objects.get(name=NAME)
    assert out == {"id": str(db.id), "len": 3}
    assert db.workspace_id == team.workspace.id and db.status == "ready"
    assert db.guidelines == "Rate response-1; rewrite it if you can."
    assert [(f.name, f.settings["type"], f.required) for f in Field.objects.filter(dataset=db)] == [
        ("prompt", "text", True),
        ("response-1", "text", True),
        ("response-2", "text", False),
    ]
    assert {q.name: q.settings["type"] for q in Question.objects.filter(dataset=db)} == {
        "quality": "rating",
        "correction": "text",
    }
    records = {r.external_id: r for r in Record.objects.filter(dataset=db)}
    assert set(records) == {"e1", "e2", "e3"}
    assert records["e2"].fields == {
        "prompt": "Capital of France?",
        "response-1": "Lyon",
        "response-2": "Paris",
    }
    e1 = {r.user.username: r for r in Response.objects.filter(record=records["e1"])}
    assert set(e1) == {"compat-ann1", "compat-ann2"}
    assert e1["compat-ann2"].status == "submitted"
    assert e1["compat-ann2"].values == {
        "quality": {"value": 4},
        "correction": {"value": "Four."},
    }
    assert not Response.objects.filter(record=records["e3"]).exists()


def test_legacy_from_argilla_filter_train_and_delete(team, run_v1, v1_env):
    script = (
        PUSH
        + """
from argilla_v1.feedback import TrainingTask

loaded = rg.FeedbackDataset.from_argilla(name=os.environ["NAME"], workspace=os.environ["TEAM"])
records = list(loaded.records)
submitted = loaded.filter_by(response_status="submitted")
pending = loaded.filter_by(response_status="pending")

def sft(sample):
    for answer in sample["correction"]:
        if answer["value"]:
            return "### Q: " + sample["prompt"] + "\\n### A: " + answer["value"]
    return None

def rm(sample):
    good = any(answer["value"] >= 4 for answer in sample["quality"])
    if sample["response-2"]:
        if good:
            yield sample["response-1"], sample["response-2"]
        else:
            yield sample["response-2"], sample["response-1"]

def dpo(sample):
    for chosen, rejected in rm(sample):
        yield sample["prompt"], chosen, rejected

sft_ds = loaded.prepare_for_training(
    framework="trl", task=TrainingTask.for_supervised_fine_tuning(formatting_func=sft)
)
rm_ds = loaded.prepare_for_training(
    framework="trl", task=TrainingTask.for_reward_modeling(formatting_func=rm)
)
dpo_ds = loaded.prepare_for_training(
    framework="trl", task=TrainingTask.for_direct_preference_optimization(formatting_func=dpo)
)
result = {
    "fields": [f.name for f in loaded.fields],
    "questions": [q.name for q in loaded.questions],
    "guidelines": loaded.guidelines,
    "len": len(loaded),
    "external_ids": [r.external_id for r in records],
    "responses": {
        r.external_id: sorted((str(a.user_id), a.status, a.values["quality"].value)
                              for a in r.responses)
        for r in records
    },
    "submitted": sorted(r.external_id for r in submitted.records),
    "submitted_len": len(submitted),
    "pending": sorted(r.external_id for r in pending.records),
    "sft": sorted(sft_ds["text"]),
    "rm": sorted(zip(rm_ds["chosen"], rm_ds["rejected"])),
    "dpo": sorted(zip(dpo_ds["prompt"], dpo_ds["chosen"], dpo_ds["rejected"])),
}
loaded.delete()
emit(result)
"""
    )
    out = run_v1(script, team.owner_key, **v1_env)

    ann1, ann2 = str(team.ann1.id), str(team.ann2.id)
    assert out["fields"] == ["prompt", "response-1", "response-2"]
    assert out["questions"] == ["quality", "correction"]
    assert out["guidelines"] == "Rate response-1; rewrite it if you can."
    assert out["len"] == 3
    assert out["external_ids"] == ["e1", "e2", "e3"]
    assert out["responses"] == {
        "e1": sorted([[ann1, "submitted", 5], [ann2, "submitted", 4]]),
        "e2": [[ann1, "submitted", 1]],
        "e3": [],
    }
    assert out["submitted"] == ["e1", "e2"]
    assert out["submitted_len"] == 2
    assert out["pending"] == ["e3"]
    assert out["sft"] == [
        "### Q: Capital of France?\n### A: Paris.",
        "### Q: What is 2+2?\n### A: Four.",
    ]
    assert out["rm"] == [["4", "5"], ["Paris", "Lyon"]]
    assert out["dpo"] == [
        ["Capital of France?", "Paris", "Lyon"],
        ["What is 2+2?", "4", "5"],
    ]
    # loaded.delete() removed it all.
    assert not Dataset.objects.filter(name=NAME).exists()
    assert not Record.objects.exists()


@pytest.mark.usefixtures("needs_pgvector")
def test_legacy_metadata_vectors_add_update_filter_sort_similar_delete(team, run_v1):
    script = """
    import argilla_v1 as rg

    rg.init(api_url=API_URL, api_key=API_KEY, workspace="compat-team")
    local = rg.FeedbackDataset(
        fields=[rg.TextField(name="text")],
        questions=[
            rg.LabelQuestion(name="label", labels=["pos", "neg"]),
            rg.MultiLabelQuestion(name="tags", labels=["a", "b", "c"], required=False),
            rg.RankingQuestion(name="rank", values=["x", "y"], required=False),
            rg.SpanQuestion(name="spans", field="text", labels=["PER", "LOC"], required=False),
        ],
        metadata_properties=[
            rg.TermsMetadataProperty(name="src", values=["web", "book"]),
            rg.IntegerMetadataProperty(name="n", min=0, max=100),
            rg.FloatMetadataProperty(name="f", min=0, max=1),
        ],
        vectors_settings=[rg.VectorSettings(name="emb", dimensions=2)],
    )
    remote = local.push_to_argilla(name="legacy-extras", workspace="compat-team")
    remote.add_records([
        rg.FeedbackRecord(
            fields={"text": f"text number {i}"},
            metadata={"src": "web" if i % 2 else "book", "n": i, "f": i / 10},
            vectors={"emb": [1.0, i / 10]},
            external_id=f"x{i}",
            suggestions=[{"question_name": "label", "value": "pos", "score": 0.5, "agent": "m"}],
        )
        for i in range(5)
    ])
    result = {"len": len(remote)}
    web = remote.filter_by(metadata_filters=rg.TermsMetadataFilter(name="src", values=["web"]))
    result["web"] = sorted(r.external_id for r in web.records)
    result["web_len"] = len(web)
    big = remote.filter_by(metadata_filters=rg.IntegerMetadataFilter(name="n", ge=3))
    result["big"] = sorted(r.external_id for r in big.records)
    similar = remote.find_similar_records(vector_name="emb", value=[1.0, 0.0], max_results=2)
    result["similar"] = [rec.external_id for rec, _score in similar]
    result["scores"] = [score for _rec, score in similar]
    records = {r.external_id: r for r in remote.records}
    like_x4 = remote.find_similar_records(vector_name="emb", record=records["x4"], max_results=2)
    result["like_x4"] = [rec.external_id for rec, _score in like_x4]
    result["suggestion"] = [(s.question_name, s.value) for s in records["x0"].suggestions]
    x0 = records["x0"]
    x0.metadata["n"] = 42
    remote.update_records(x0)
    remote.delete_records([records["x1"], records["x2"]])
    result["after_delete"] = len(remote)
    emit(result)
    """
    out = run_v1(script, team.owner_key)

    assert out["len"] == 5
    assert out["web"] == ["x1", "x3"] and out["web_len"] == 2
    assert out["big"] == ["x3", "x4"]
    assert out["similar"] == ["x0", "x1"]
    assert out["scores"][0] == pytest.approx(1.0) and out["scores"][0] > out["scores"][1]
    assert out["like_x4"] == ["x3", "x2"]
    assert out["suggestion"] == [["label", "pos"]]
    assert out["after_delete"] == 3
    db = Dataset.objects.get(name="legacy-extras")
    records = {r.external_id: r for r in Record.objects.filter(dataset=db)}
    assert set(records) == {"x0", "x3", "x4"}
    assert records["x0"].metadata["n"] == 42
    assert records["x3"].metadata == {"src": "web", "n": 3, "f": 0.3}


def test_legacy_sort_by_metadata(team, run_v1):
    # On Python >= 3.11 argilla-v1 formats the order enum as "SortOrder.desc"
    # (f"{field}:{order}"), so the server must accept that spelling too.
    script = """
    import argilla_v1 as rg

    rg.init(api_url=API_URL, api_key=API_KEY, workspace="compat-team")
    local = rg.FeedbackDataset(
        fields=[rg.TextField(name="text")],
        questions=[rg.LabelQuestion(name="label", labels=["pos", "neg"])],
        metadata_properties=[rg.IntegerMetadataProperty(name="n", min=0, max=100)],
    )
    local.add_records([
        rg.FeedbackRecord(fields={"text": f"t{i}"}, metadata={"n": n}, external_id=f"s{i}")
        for i, n in enumerate([5, 1, 9, 3])
    ])
    remote = local.push_to_argilla(name="legacy-sorted", workspace="compat-team")
    desc = remote.sort_by([rg.SortBy(field="metadata.n", order="desc")])
    asc = remote.sort_by([rg.SortBy(field="metadata.n", order="asc")])
    emit({"desc": [r.external_id for r in desc.records],
          "asc": [r.external_id for r in asc.records]})
    """
    out = run_v1(script, team.owner_key)

    assert out == {"desc": ["s2", "s0", "s3", "s1"], "asc": ["s1", "s3", "s0", "s2"]}

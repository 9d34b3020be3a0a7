from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.accounts.models import ApiKey, User
from apps.datasets.models import Dataset
from apps.responses.services import save_response


@pytest.fixture(autouse=True)
def _development(settings):
    settings.DEBUG = True  # pytest-django runs tests with DEBUG off; seed_demo needs it on


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_builds_a_published_preference_dataset(db):
    output = seed()
    dataset = Dataset.objects.get(name="preference-demo")
    assert dataset.is_published
    assert list(dataset.fields.values_list("name", flat=True)) == [
        "prompt",
        "response-1",
        "response-2",
    ]
    questions = {q.name: q for q in dataset.questions.all()}
    assert questions["response_ranking"].settings["options"] == [
        {"value": 1},
        {"value": 2},
        {"value": 3},
    ]
    assert questions["response_ranking"].required
    assert not questions["correct_response"].required
    assert dataset.records.count() >= 50
    owner = User.objects.get(username="owner")
    annotator = User.objects.get(username="annotator")
    assert owner.is_owner and annotator.is_annotator
    assert set(annotator.workspaces.all()) == {dataset.workspace}
    assert "password=loam-owner-demo" in output
    assert ApiKey.find_user("loam-demo-owner-key") == owner
    assert owner.check_password("loam-owner-demo")


def test_seed_demo_is_idempotent(db):
    seed()
    dataset = Dataset.objects.get(name="preference-demo")
    record = dataset.records.first()
    annotator = User.objects.get(username="annotator")
    save_response(
        user=annotator,
        record=record,
        values={"response_ranking": {"value": 1}},
        status="submitted",
    )
    count = dataset.records.count()
    output = seed()
    assert "(0 added)" in output
    assert Dataset.objects.filter(name="preference-demo").count() == 1
    assert dataset.records.count() == count
    assert User.objects.filter(username="owner").count() == 1
    assert ApiKey.objects.filter(user__username="owner").count() == 1
    assert record.responses.count() == 1


def test_seed_demo_refuses_to_run_with_debug_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="runs only with DEBUG on"):
        seed()
    assert not User.objects.exists()
    assert not Dataset.objects.exists()

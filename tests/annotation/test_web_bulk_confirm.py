"""Bulk answer done safely: hidden, nothing chosen in advance, a confirmation, a count back."""

import re

import pytest
from django.urls import reverse

from apps.records.services import create_records
from apps.responses.models import Response
from apps.responses.services import save_response

QUESTIONS = [
    {
        "name": "response_ranking",
        "title": "Which response is better?",
        "description": "1: the first is better, 2: the second is better, 3: both are equal.",
        "required": True,
        "settings": {"type": "rating", "options": [{"value": v} for v in (1, 2, 3)]},
    },
    {
        "name": "why",
        "title": "Why?",
        "required": True,
        "settings": {"type": "text"},
    },
]


@pytest.fixture
def dataset(world, make_dataset):
    from tests.conftest import PREFERENCE_FIELDS

    return make_dataset(world.ws_a, fields=PREFERENCE_FIELDS, questions=QUESTIONS[:1])


def make_records(dataset, n):
    return create_records(
        dataset=dataset,
        items=[
            {"fields": {"prompt": f"p{i}", "response-1": "a", "response-2": "b"}} for i in range(n)
        ],
    )


def test_the_list_hides_the_bulk_answer_and_chooses_nothing(world, dataset, login):
    make_records(dataset, 2)
    html = login(world.ann1).get(reverse("annotation:records", args=[dataset.pk])).content.decode()
    panel = re.search(r'<details class="bulk-panel" data-bulk>.*?</details>', html, re.S).group(0)
    assert "<details" in panel and " open" not in panel.split(">")[0]
    assert " selected" not in panel and " checked" not in panel
    assert '<option value="">Choose a question</option>' in panel


def test_the_first_post_asks_to_confirm_with_the_count_and_the_answer(world, dataset, login):
    records = make_records(dataset, 3)
    save_response(
        user=world.ann1,
        record=records[0],
        values={"response_ranking": {"value": 1}},
        status="submitted",
    )
    response = login(world.ann1).post(
        reverse("annotation:bulk_answer", args=[dataset.pk]),
        {"question": "response_ranking", "value": "3", "all_matching": "1", "query": ""},
    )
    assert response.status_code == 200
    html = response.content.decode()
    summary = re.search(r"data-bulk-summary>(.*?)</p>", html).group(1)
    assert summary == "Answer “Which response is better?” with “3 · both are equal” on 3 records?"
    assert "1 of them already has your answer to this question: it will be replaced." in html
    # nothing is written yet
    assert Response.objects.get().values == {"response_ranking": {"value": 1}}
    ids = re.search(r'name="record_ids" value="([^"]+)"', html).group(1).split(",")
    assert sorted(ids) == sorted(str(r.pk) for r in records)


def test_the_confirmed_records_are_answered_and_counted_back(world, make_dataset, login):
    from tests.conftest import PREFERENCE_FIELDS

    dataset = make_dataset(world.ws_a, fields=PREFERENCE_FIELDS, questions=QUESTIONS)
    records = make_records(dataset, 3)
    # records[0] was already answered "why": the bulk answer completes it
    save_response(
        user=world.ann1, record=records[0], values={"why": {"value": "because"}}, status="draft"
    )
    client = login(world.ann1)
    make_records(dataset, 1)  # a record added after the confirmation page is not answered
    response = client.post(
        reverse("annotation:bulk_answer", args=[dataset.pk]),
        {
            "question": "response_ranking",
            "value": "2",
            "record_ids": ",".join(str(r.pk) for r in records),
            "confirm": "1",
        },
        follow=True,
    )
    assert Response.objects.filter(user=world.ann1).count() == 3
    statuses = sorted(Response.objects.values_list("status", flat=True))
    assert statuses == ["draft", "draft", "submitted"]
    assert (
        "Answered 3 records. 2 stay drafts: they have other required questions to answer."
        in response.content.decode()
    )


def test_no_answer_chosen_is_refused(world, dataset, login):
    records = make_records(dataset, 1)
    response = login(world.ann1).post(
        reverse("annotation:bulk_answer", args=[dataset.pk]),
        {"question": "response_ranking", "value": "", "ids": [str(records[0].pk)]},
        follow=True,
    )
    assert "Choose the answer to give." in response.content.decode()
    assert not Response.objects.exists()

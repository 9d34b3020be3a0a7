"""The focus view: one record, every question type, submit / discard / skip / draft."""

import json
import re

import pytest
from django.urls import reverse

from apps.records.services import create_records
from apps.responses.models import Response
from apps.responses.services import save_response

HX = {"HTTP_HX_REQUEST": "true"}


def annotate_url(dataset, record=None):
    url = reverse("annotation:annotate", args=[dataset.pk])
    return f"{url}?record={record.pk}" if record else url


def respond_url(dataset, record, action):
    return reverse("annotation:respond", args=[dataset.pk, record.pk, action])


def shown_record_id(html: bytes) -> str | None:
    match = re.search(rb"records/([0-9a-f-]{36})/submit", html)
    return match.group(1).decode() if match else None


def test_login_required(client, demo):
    dataset, _records = demo
    response = client.get(annotate_url(dataset))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_shows_the_first_record_with_guidelines(world, demo, login):
    dataset, records = demo
    response = login(world.ann1).get(annotate_url(dataset))
    assert response.status_code == 200
    assert shown_record_id(response.content) == str(records[0].pk)
    assert b"Prompt 0" in response.content
    assert b"<strong>carefully</strong>" in response.content


@pytest.mark.parametrize("who", ["outsider", "admin_b"])
def test_other_workspace_is_404(world, demo, login, who):
    dataset, records = demo
    client = login(getattr(world, who))
    assert client.get(annotate_url(dataset)).status_code == 404
    response = client.post(respond_url(dataset, records[0], "submit"), {"q-response_ranking": "1"})
    assert response.status_code == 404
    assert not Response.objects.exists()


def test_record_of_another_dataset_is_404(world, demo, make_dataset, login):
    dataset, _records = demo
    other = make_dataset(world.ws_b)
    [foreign] = create_records(
        dataset=other, items=[{"fields": {"prompt": "x", "response-1": "a", "response-2": "b"}}]
    )
    client = login(world.ann1)
    assert client.get(annotate_url(dataset, foreign)).status_code == 404
    response = client.post(respond_url(dataset, foreign, "submit"), {"q-response_ranking": "1"})
    assert response.status_code == 404
    assert not Response.objects.exists()


def test_submit_stores_the_answer_and_shows_the_next_record(world, demo, login):
    dataset, records = demo
    client = login(world.ann1)
    response = client.post(
        respond_url(dataset, records[0], "submit"), {"q-response_ranking": "2"}, **HX
    )
    assert response.status_code == 200
    stored = Response.objects.get(user=world.ann1, record=records[0])
    assert (stored.status, stored.values) == ("submitted", {"response_ranking": {"value": 2}})
    assert shown_record_id(response.content) == str(records[1].pk)
    assert b'id="focus-body"' in response.content and b"<html" not in response.content
    assert response["HX-Push-Url"].endswith(f"?record={records[1].pk}")


def test_plain_post_redirects(world, demo, login):
    dataset, records = demo
    response = login(world.ann1).post(
        respond_url(dataset, records[0], "submit"), {"q-response_ranking": "3"}
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    "data, message",
    [
        ({"q-response_ranking": "7"}, b"7 is not one of the rating values"),
        ({"q-response_ranking": "abc"}, b"is not a rating"),
        ({}, b"is required to submit"),
    ],
)
def test_bad_answers_show_inline_errors_and_store_nothing(world, demo, login, data, message):
    dataset, records = demo
    response = login(world.ann1).post(respond_url(dataset, records[0], "submit"), data, **HX)
    assert response.status_code == 422
    assert message in response.content
    assert not Response.objects.exists()


def test_draft_saves_partial_answers_and_reopening_restores_them(world, demo, login):
    dataset, records = demo
    client = login(world.ann1)
    data = {"q-correct_response": "A better answer"}
    response = client.post(respond_url(dataset, records[1], "draft"), data, **HX)
    assert response.status_code == 200 and b"Draft saved" in response.content
    assert Response.objects.get(record=records[1]).status == "draft"
    # drafts come first in the queue, with their text restored
    page = client.get(annotate_url(dataset))
    assert shown_record_id(page.content) == str(records[1].pk)
    assert b"A better answer</textarea>" in page.content


def test_autosave_after_submit_keeps_the_submission(world, demo, login):
    dataset, records = demo
    client = login(world.ann1)
    client.post(respond_url(dataset, records[0], "submit"), {"q-response_ranking": "1"}, **HX)
    response = client.post(
        respond_url(dataset, records[0], "draft"), {"q-response_ranking": "2"}, **HX
    )
    assert b"Already answered" in response.content
    stored = Response.objects.get(record=records[0])
    assert (stored.status, stored.values["response_ranking"]["value"]) == ("submitted", 1)


def test_discard_and_skip(world, demo, login):
    dataset, records = demo
    client = login(world.ann1)
    response = client.post(respond_url(dataset, records[0], "discard"), {}, **HX)
    assert Response.objects.get(record=records[0]).status == "discarded"
    assert shown_record_id(response.content) == str(records[1].pk)
    response = client.post(respond_url(dataset, records[1], "skip"), {}, **HX)
    assert shown_record_id(response.content) == str(records[2].pk)
    assert not Response.objects.filter(record=records[1]).exists()


def test_unknown_action_is_404(world, demo, login):
    dataset, records = demo
    assert login(world.ann1).post(respond_url(dataset, records[0], "explode")).status_code == 404


def test_csrf_is_enforced(world, demo, login):
    dataset, records = demo
    client = login(world.ann1, csrf=True)
    response = client.post(respond_url(dataset, records[0], "submit"), {"q-response_ranking": "1"})
    assert response.status_code == 403
    assert not Response.objects.exists()


def test_only_my_own_response_is_shown(world, demo, login):
    dataset, records = demo
    save_response(
        user=world.ann2,
        record=records[0],
        values={"response_ranking": {"value": 3}, "correct_response": {"value": "ann2 secret"}},
        status="submitted",
    )
    page = login(world.ann1).get(annotate_url(dataset, records[0]))
    assert b"ann2 secret" not in page.content
    assert b'value="3" checked' not in page.content


def test_suggestions_prefill_and_are_marked(world, make_dataset, login):
    dataset = make_dataset(world.ws_a)
    [record] = create_records(
        dataset=dataset,
        items=[
            {
                "fields": {"prompt": "p", "response-1": "a", "response-2": "b"},
                "suggestions": [
                    {
                        "question_name": "response_ranking",
                        "value": 2,
                        "score": 0.87,
                        "agent": "judge-llm",
                    }
                ],
            }
        ],
    )
    page = login(world.ann1).get(annotate_url(dataset, record))
    assert b'value="2" checked' in page.content
    assert b"judge-llm" in page.content and b"0.87" in page.content


def test_every_field_and_question_type_renders_and_round_trips(world, every_type_dataset, login):
    dataset = every_type_dataset
    [record] = create_records(
        dataset=dataset,
        items=[
            {
                "fields": {
                    "text": "Ada Lovelace wrote <script>alert(1)</script> **notes**",
                    "chat": [
                        {"role": "user", "content": "hi"},
                        {"role": "assistant", "content": "hello"},
                    ],
                    "picture": "https://example.org/cat.png",
                }
            }
        ],
    )
    client = login(world.ann1)
    page = client.get(annotate_url(dataset, record))
    assert page.status_code == 200
    assert b"<script>alert(1)</script>" not in page.content  # markdown is sanitised
    assert b"<strong>notes</strong>" in page.content
    assert b'class="turn assistant"' in page.content
    assert b'src="https://example.org/cat.png"' in page.content
    for name in (b"q-rating", b"q-label", b"q-topics", b"q-order-rank-0", b"q-ents", b"q-note"):
        assert name in page.content
    data = {
        "q-rating": "3",
        "q-label": "good",
        "q-topics": ["a", "c"],
        "q-order-rank-0": "2",
        "q-order-rank-1": "1",
        "q-ents": json.dumps([{"label": "PER", "start": 0, "end": 12}]),
        "q-note": "Fine.",
    }
    response = client.post(respond_url(dataset, record, "submit"), data, **HX)
    assert response.status_code == 200, response.content
    values = Response.objects.get(record=record).values
    assert values["rating"] == {"value": 3}
    assert values["topics"] == {"value": ["a", "c"]}
    assert [item["value"] for item in values["order"]["value"]] == ["y", "x"]
    assert values["ents"]["value"][0] == {"label": "PER", "start": 0, "end": 12}
    # reopening shows the stored answers
    page = client.get(annotate_url(dataset, record))
    assert b'value="good" checked' in page.content and b'value="c" checked' in page.content


@pytest.mark.parametrize(
    "data, message",
    [
        ({"q-order-rank-0": "1", "q-order-rank-1": "1"}, b"different rank"),
        ({"q-ents": json.dumps([{"label": "PER", "start": 0, "end": 999}])}, b"q-ents"),
        ({"q-ents": "{not json"}, b"could not be read"),
        ({"q-label": "meh"}, b"meh"),
    ],
)
def test_bad_answers_of_other_types(world, every_type_dataset, login, data, message):
    [record] = create_records(dataset=every_type_dataset, items=[{"fields": {"text": "short"}}])
    response = login(world.ann1).post(
        respond_url(every_type_dataset, record, "submit"), {"q-rating": "1", **data}, **HX
    )
    assert response.status_code == 422
    assert message in response.content
    assert not Response.objects.exists()


def test_focus_view_query_count_is_constant(world, make_dataset, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(world.ann1)
    counts = []
    for count in (1, 30):
        dataset = make_dataset(world.ws_a)
        create_records(
            dataset=dataset,
            items=[
                {"fields": {"prompt": f"p{i}", "response-1": "a", "response-2": "b"}}
                for i in range(count)
            ],
        )
        client.get(annotate_url(dataset))  # warm the session and the queue seat
        with CaptureQueriesContext(connection) as queries:
            client.get(annotate_url(dataset))
        counts.append(len(queries))
    # session + user (2), dataset access (1), layout: fields, questions, metadata (3),
    # next_record (the work queue's own constant set, tested in tests/annotation),
    # my response (1), suggestions (1), progress: mine, team (2).
    assert counts[0] == counts[1] <= 20, counts

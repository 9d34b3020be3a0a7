"""Position and history in the focus view: "n of N", Back, and the walk by status."""

import re

import pytest
from django.urls import reverse

from apps.records.services import create_records
from apps.responses.models import Response
from apps.responses.services import save_response

HX = {"HTTP_HX_REQUEST": "true"}


def annotate(client, dataset, **params):
    url = reverse("annotation:annotate", args=[dataset.pk])
    return client.get(url, params).content.decode()


def respond(client, dataset, record, action, **data):
    url = reverse("annotation:respond", args=[dataset.pk, record.pk, action])
    return client.post(url, data, **HX)


def shown(html: str) -> str:
    return re.search(r'id="focus-body"[^>]*data-record="([^"]*)"', html).group(1)


def position(html: str) -> str | None:
    match = re.search(r"<span class=\"position\" data-position>(.*?)</span>", html)
    return match.group(1) if match else None


def nav(html: str, which: str) -> str | None:
    match = re.search(rf'href="[^"]*record=([0-9a-f-]+)" data-nav="{which}"', html)
    return match.group(1) if match else None


def test_the_queue_says_n_of_n(world, demo, login):
    dataset, records = demo
    client = login(world.ann1)
    html = annotate(client, dataset)
    assert shown(html) == str(records[0].pk) and position(html) == "1 of 3"
    html = respond(client, dataset, records[0], "submit", **{"q-response_ranking": "1"})
    html = html.content.decode()
    assert shown(html) == str(records[1].pk) and position(html) == "2 of 3"


def test_someone_elses_answers_shrink_n_only_once_a_record_is_completed(
    world, demo, login, make_dataset
):
    dataset, records = demo  # min_submitted 1: ann2's answer completes the record
    save_response(
        user=world.ann2,
        record=records[2],
        values={"response_ranking": {"value": 2}},
        status="submitted",
    )
    assert position(annotate(login(world.ann1), dataset)) == "1 of 2"


def test_back_to_the_record_just_submitted_and_change_it(world, demo, login):
    dataset, records = demo
    client = login(world.ann1)
    annotate(client, dataset)
    html = respond(client, dataset, records[0], "submit", **{"q-response_ranking": "1"})
    html = html.content.decode()
    assert nav(html, "back") == str(records[0].pk)

    html = annotate(client, dataset, record=nav(html, "back"))
    assert shown(html) == str(records[0].pk)
    assert position(html) is None  # answered already: not a place in the queue
    assert 'data-nav="queue"' in html and nav(html, "back") is None
    assert re.search(r'value="1" checked', html)

    html = respond(client, dataset, records[0], "submit", **{"q-response_ranking": "3"})
    assert Response.objects.get(user=world.ann1, record=records[0]).values == {
        "response_ranking": {"value": 3}
    }
    # ... and the queue carries on where it was
    assert shown(html.content.decode()) == str(records[1].pk)


def test_back_walks_further_back_through_what_was_answered(world, demo, login):
    dataset, records = demo
    client = login(world.ann1)
    for record, action in ((records[0], "submit"), (records[1], "discard")):
        respond(client, dataset, record, action, **{"q-response_ranking": "2"})
    html = annotate(client, dataset)
    assert nav(html, "back") == str(records[1].pk)
    html = annotate(client, dataset, record=records[1].pk)
    assert nav(html, "back") == str(records[0].pk)


def test_the_status_switch_walks_my_records_of_that_status(world, demo, login):
    dataset, records = demo
    client = login(world.ann1)
    for record in records[:2]:
        respond(client, dataset, record, "submit", **{"q-response_ranking": "1"})
    respond(client, dataset, records[2], "discard")

    html = annotate(client, dataset, view="submitted")
    assert shown(html) == str(records[0].pk) and position(html) == "1 of 2"
    assert nav(html, "previous") is None and nav(html, "next") == str(records[1].pk)
    assert 'data-action="skip"' not in html  # skipping is for the queue
    html = annotate(client, dataset, view="submitted", record=records[1].pk)
    assert position(html) == "2 of 2" and nav(html, "previous") == str(records[0].pk)

    # Changing an answer in the walk goes on to the next record of the walk.
    response = respond(
        client, dataset, records[0], "submit", view="submitted", **{"q-response_ranking": "2"}
    )
    assert shown(response.content.decode()) == str(records[1].pk)
    assert "view=submitted" in response["HX-Push-Url"]

    html = annotate(client, dataset, view="discarded")
    assert shown(html) == str(records[2].pk) and position(html) == "1 of 1"
    assert re.search(r'data-view="submitted">[^<]*<span class="count">2</span>', html)


def test_an_empty_walk_says_so(world, demo, login):
    dataset, _records = demo
    html = annotate(login(world.ann1), dataset, view="draft")
    assert "Nothing more here" in html


def test_someone_elses_record_is_not_walked(world, demo, login, make_dataset):
    dataset, records = demo
    client = login(world.outsider)
    url = reverse("annotation:annotate", args=[dataset.pk])
    assert client.get(url, {"view": "submitted", "record": records[0].pk}).status_code == 404


@pytest.mark.parametrize("answered", [1, 12])
def test_the_focus_view_costs_the_same_whatever_was_answered(
    world, make_dataset, login, django_assert_num_queries, answered
):
    from tests.conftest import PREFERENCE_FIELDS

    dataset = make_dataset(world.ws_a, fields=PREFERENCE_FIELDS)
    records = create_records(
        dataset=dataset,
        items=[
            {"fields": {"prompt": f"p{i}", "response-1": "a", "response-2": "b"}}
            for i in range(answered + 2)
        ],
    )
    for record in records[:answered]:
        save_response(
            user=world.ann1,
            record=record,
            values={"response_ranking": {"value": 1}},
            status="submitted",
        )
    client = login(world.ann1)
    url = reverse("annotation:annotate", args=[dataset.pk])
    client.get(url, {"view": "submitted", "record": records[0].pk})
    # session and user (2), dataset (1), layout (3), record (1), my response (1),
    # suggestions (1), my progress and the team's (2), rules, pool and what remains (3),
    # the walk (5)
    with django_assert_num_queries(19):
        assert client.get(url, {"view": "submitted", "record": records[0].pk}).status_code == 200


def test_someone_outside_the_pool_has_nothing_pending(world, demo, login):
    dataset, _records = demo
    html = annotate(login(world.admin), dataset)  # admins are not in the annotators' pool
    assert re.search(r'data-view="pending">[^<]*<span class="count">0</span>', html)

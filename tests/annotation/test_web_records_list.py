"""The records list: search, filters, pagination, bulk answer; scoped and constant in queries."""

import pytest
from django.urls import reverse

from apps.datasets import services as dataset_services
from apps.records.services import create_records
from apps.responses.models import Response
from apps.responses.services import save_response


def items(count, *, prefix="Prompt"):
    return [
        {
            "external_id": f"{prefix}-{i}",
            "fields": {"prompt": f"{prefix} {i}", "response-1": "a", "response-2": "b"},
            "metadata": {"topic": "math" if i % 2 else "poetry", "n": i},
        }
        for i in range(count)
    ]


@pytest.fixture
def dataset(world, make_dataset):
    dataset = make_dataset(world.ws_a)
    dataset_services.add_metadata_property(
        dataset=dataset, name="topic", settings={"type": "terms", "values": None}
    )
    dataset_services.add_metadata_property(
        dataset=dataset, name="n", settings={"type": "integer"}, visible_for_annotators=True
    )
    return dataset


def list_url(dataset, **params):
    from urllib.parse import urlencode

    return f"{reverse('annotation:records', args=[dataset.pk])}?{urlencode(params)}"


def shown(response) -> list[str]:
    import re

    return re.findall(r'<tr data-record="([^"]+)"', response.content.decode())


def test_lists_records_in_order_and_paginates(world, dataset, login):
    create_records(dataset=dataset, items=items(30))
    client = login(world.ann1)
    first = client.get(list_url(dataset))
    assert shown(first) == [f"Prompt-{i}" for i in range(25)]
    second = client.get(list_url(dataset, page=2))
    assert shown(second) == [f"Prompt-{i}" for i in range(25, 30)]


def test_search_status_and_metadata_filters(world, dataset, login):
    records = create_records(dataset=dataset, items=items(6))
    save_response(
        user=world.ann1,
        record=records[0],
        values={"response_ranking": {"value": 1}},
        status="submitted",
    )
    save_response(
        user=world.ann2,
        record=records[1],
        values={"response_ranking": {"value": 1}},
        status="submitted",
    )
    client = login(world.ann1)
    assert shown(client.get(list_url(dataset, q="prompt 3"))) == ["Prompt-3"]
    assert shown(client.get(list_url(dataset, status="submitted"))) == ["Prompt-0"]
    # ann2's answer does not count as mine
    assert "Prompt-1" in shown(client.get(list_url(dataset, status="pending")))
    assert shown(client.get(list_url(dataset, meta="topic", meta_value="math"))) == [
        "Prompt-1",
        "Prompt-3",
        "Prompt-5",
    ]
    assert shown(client.get(list_url(dataset, meta="n", meta_value="4"))) == ["Prompt-4"]


@pytest.mark.parametrize(
    "params", [{"status": "done"}, {"meta": "secret"}, {"meta": "n", "meta_value": "four"}]
)
def test_bad_filters_are_400_with_a_message(world, dataset, login, params):
    create_records(dataset=dataset, items=items(2))
    response = login(world.ann1).get(list_url(dataset, **params))
    assert response.status_code == 400
    assert b'class="errorlist"' in response.content


def test_other_workspace_is_404(world, dataset, login):
    assert login(world.outsider).get(list_url(dataset)).status_code == 404


def test_list_query_count_is_constant(world, dataset, login, django_assert_num_queries):
    client = login(world.ann1)
    client.get(list_url(dataset))
    # session, user, dataset access, fields, questions, metadata properties, vector
    # settings, count, page.
    for count in (1, 25):
        create_records(dataset=dataset, items=items(count, prefix=f"batch{count}"))
        with django_assert_num_queries(9):
            client.get(list_url(dataset, status="pending"))


def bulk_url(dataset):
    return reverse("annotation:bulk_answer", args=[dataset.pk])


def test_bulk_answer_selected_records(world, dataset, login):
    records = create_records(dataset=dataset, items=items(4))
    response = login(world.ann1).post(
        bulk_url(dataset),
        {
            "question": "response_ranking",
            "value": "2",
            "ids": [str(records[0].pk), str(records[2].pk)],
            "confirm": "1",
        },
    )
    assert response.status_code == 302
    answers = Response.objects.filter(user=world.ann1).order_by("record__external_id")
    assert [(a.record.external_id, a.status, a.values) for a in answers] == [
        ("Prompt-0", "submitted", {"response_ranking": {"value": 2}}),
        ("Prompt-2", "submitted", {"response_ranking": {"value": 2}}),
    ]
    records[0].refresh_from_db()
    assert records[0].status == "completed"


def test_bulk_answer_all_matching_the_filter(world, dataset, login):
    create_records(dataset=dataset, items=items(6))
    login(world.ann1).post(
        bulk_url(dataset),
        {
            "question": "response_ranking",
            "value": "3",
            "all_matching": "1",
            "query": "meta=topic&meta_value=poetry",
            "confirm": "1",
        },
    )
    answered = sorted(
        Response.objects.filter(user=world.ann1).values_list("record__external_id", flat=True)
    )
    assert answered == ["Prompt-0", "Prompt-2", "Prompt-4"]


def test_bulk_answer_rejects_bad_values_and_foreign_records(world, dataset, make_dataset, login):
    records = create_records(dataset=dataset, items=items(2))
    other = make_dataset(world.ws_b)
    [foreign] = create_records(dataset=other, items=items(1, prefix="foreign"))
    client = login(world.ann1)
    client.post(
        bulk_url(dataset),
        {"question": "response_ranking", "value": "9", "ids": [str(records[0].pk)], "confirm": "1"},
    )
    client.post(
        bulk_url(dataset),
        {"question": "response_ranking", "value": "1", "ids": [str(foreign.pk)], "confirm": "1"},
    )
    client.post(
        bulk_url(dataset),
        {"question": "correct_response", "value": "x", "ids": [str(records[0].pk)], "confirm": "1"},
    )
    assert not Response.objects.exists()
    assert login(world.outsider).post(bulk_url(dataset), {}).status_code == 404


def test_bulk_answer_keeps_other_answers_and_query_count_constant(
    world, dataset, login, django_assert_num_queries
):
    from apps.datasets.models import Question
    from apps.responses.services import bulk_answer

    question = Question.objects.get(dataset=dataset, name="response_ranking")
    for count in (2, 30):  # one record already answered, the others new
        records = create_records(dataset=dataset, items=items(count, prefix=f"q{count}"))
        save_response(
            user=world.ann1,
            record=records[0],
            values={"correct_response": {"value": "mine"}},
            status="draft",
        )
        # savepoint pair, questions, lock, existing responses, insert, update, status.
        # (The dataset's last activity was stamped by the save above, less than a minute
        # ago: not again.)
        with django_assert_num_queries(8):
            bulk_answer(
                user=world.ann1, dataset=dataset, records=records, question=question, value=1
            )
        kept = Response.objects.get(user=world.ann1, record=records[0])
        assert kept.values == {
            "correct_response": {"value": "mine"},
            "response_ranking": {"value": 1},
        }
        assert kept.status == "submitted"

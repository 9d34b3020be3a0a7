"""The dashboard's numbers against a recount, its time axis from an hour to a month, and a
query count that does not grow with records or annotators."""

import re
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.datasets.models import Dataset
from apps.exports import charts
from apps.exports.dashboard import progress
from apps.records.models import Record, RecordStatus
from apps.responses.models import Response, ResponseStatus

pytestmark = pytest.mark.urls("tests.exports.urls")

FIELDS = {"prompt": "p", "response-1": "a", "response-2": "b"}
NOW = timezone.now().replace(microsecond=0)


def backdate(dataset, *, age: timedelta) -> None:
    Dataset.objects.filter(pk=dataset.pk).update(inserted_at=NOW - age)
    dataset.refresh_from_db()


def saved_at(response, moment) -> None:
    Response.objects.filter(pk=response.pk).update(updated_at=moment)


@pytest.fixture
def month_old(world, make_dataset, add_records, answer):
    """Three annotators over a month: submitted, drafts and discarded, two answers needed."""
    dataset = make_dataset(world.ws_a, min_submitted=2)
    records = add_records(dataset, [{"fields": FIELDS} for _i in range(6)])
    plan = {  # user → [(record index, status, rating, days ago)]
        world.ann1: [(0, "submitted", 1, 29), (1, "submitted", 2, 20), (2, "submitted", 3, 12),
                     (3, "submitted", 1, 3), (4, "draft", 2, 1), (5, "discarded", 1, 1)],
        world.ann2: [(0, "submitted", 1, 28), (1, "submitted", 3, 12), (2, "discarded", 1, 5),
                     (3, "draft", 2, 0)],
        world.admin: [(0, "submitted", 2, 2), (1, "draft", 1, 0)],
    }  # fmt: skip
    for user, answers in plan.items():
        for index, status, rating, days in answers:
            response = answer(user, records[index], {"response_ranking": rating}, status=status)
            saved_at(response, NOW - timedelta(days=days, hours=1))
    backdate(dataset, age=timedelta(days=30))
    return dataset


def numbers_on_page(html: str) -> dict:
    stats = dict(re.findall(r'data-stat="(\w+)".*?<strong>(\d+)</strong>', html, re.S))
    bars = {}
    rows = r'class="bar-row" data-annotator="([^"]+)">.*?class="bar-numbers">(.*?)</span>\s*</div>'
    for user, numbers in re.findall(rows, html, re.S):
        bars[user] = {s: int(n) for s, n in re.findall(r'data-status="(\w+)"[^>]*>(\d+)<', numbers)}
    return {"stats": {k: int(v) for k, v in stats.items()}, "bars": bars}


def test_every_number_matches_a_recount(client, world, month_old):
    client.force_login(world.admin)
    html = client.get(reverse("exports:dashboard", args=[month_old.pk])).content.decode()
    shown = numbers_on_page(html)

    records = Record.objects.filter(dataset=month_old)
    responses = Response.objects.filter(record__dataset=month_old)
    completed = records.filter(status=RecordStatus.COMPLETED).count()
    assert completed == 2  # records 0 and 1 have two submitted answers or more
    assert shown["stats"] == {
        "records": completed,
        "pending": records.count() - completed,
        "submitted": responses.filter(status=ResponseStatus.SUBMITTED).count(),
        "draft": responses.filter(status=ResponseStatus.DRAFT).count(),
        "discarded": responses.filter(status=ResponseStatus.DISCARDED).count(),
        "annotators": responses.values("user").distinct().count(),
    }
    assert f"<strong>{completed}</strong> / {records.count()}" in html
    for user in (world.ann1, world.ann2, world.admin):
        recount = {
            status: n
            for status in ResponseStatus.values
            if (n := responses.filter(user=user, status=status).count())
        }
        assert shown["bars"][user.username] == recount
    # The line ends at the number of submitted responses, and its steps add up to it.
    submitted = responses.filter(status=ResponseStatus.SUBMITTED).count()
    assert re.search(rf'class="end-label"[^>]*>{submitted}<', html)
    line = progress(month_old, now=NOW)
    assert line["total"] == submitted
    # One step per day something was submitted (the days of the plan, all distinct but one).
    assert line["line"].count("V") == len(
        {r.updated_at.date() for r in responses.filter(status=ResponseStatus.SUBMITTED)}
    )


def test_a_month_old_dataset_has_day_ticks(month_old):
    line = progress(month_old, now=NOW)
    assert line["unit"] == "day"
    labels = [tick.label for tick in line["ticks"]]
    assert 3 <= len(labels) <= charts.MAX_TICKS
    assert all(re.fullmatch(r"[A-Z][a-z]{2} \d{1,2}", label) for label in labels), labels
    assert len(set(labels)) == len(labels)
    xs = [tick.x for tick in line["ticks"]]
    assert xs == sorted(xs) and 0 <= xs[0] and xs[-1] <= 100


def test_an_hour_old_dataset_has_clock_ticks(world, make_dataset, add_records, answer):
    dataset = make_dataset(world.ws_a)
    records = add_records(dataset, [{"fields": FIELDS} for _i in range(3)])
    for record, minutes in zip(records, (50, 30, 10), strict=True):
        saved_at(
            answer(world.ann1, record, {"response_ranking": 1}), NOW - timedelta(minutes=minutes)
        )
    backdate(dataset, age=timedelta(hours=1))
    line = progress(dataset, now=NOW)
    assert line["unit"] in ("minute", "hour")
    labels = [tick.label for tick in line["ticks"]]
    assert len(labels) >= 3 and all(re.search(r"\d\d:\d\d$", label) for label in labels)
    assert re.fullmatch(r"[A-Z][a-z]{2} \d{1,2} \d\d:\d\d", labels[0])  # the date once
    assert line["total"] == 3 and line["line"].count("V") == 3  # three minutes, three steps


def test_a_few_hours_old_dataset_has_hour_ticks(world, make_dataset, add_records, answer):
    dataset = make_dataset(world.ws_a)
    (record,) = add_records(dataset, [{"fields": FIELDS}])
    saved_at(answer(world.ann1, record, {"response_ranking": 1}), NOW - timedelta(hours=2))
    backdate(dataset, age=timedelta(hours=5))
    line = progress(dataset, now=NOW)
    assert line["unit"] == "hour"
    assert all(label.endswith(":00") for label in (t.label for t in line["ticks"]))


def test_a_single_submission_is_a_step_between_two_different_times(
    client, world, make_dataset, add_records, answer
):
    dataset = make_dataset(world.ws_a)
    (record,) = add_records(dataset, [{"fields": FIELDS}])
    answer(world.ann1, record, {"response_ranking": 1})
    line = progress(dataset)
    assert line["total"] == 1 and line["line"].count("V") == 1
    assert line["last"] - line["first"] >= charts.MIN_SPAN
    labels = [tick.label for tick in line["ticks"]]
    assert len(labels) >= 2 and len(set(labels)) == len(labels)


def test_an_empty_dataset_says_so(client, world, make_dataset):
    dataset = make_dataset(world.ws_a)
    assert progress(dataset) == {"total": 0}
    client.force_login(world.owner)
    html = client.get(reverse("exports:dashboard", args=[dataset.pk])).content.decode()
    assert "No submitted responses yet." in html and "Nobody has answered yet." in html


def test_queries_do_not_grow_with_records_or_annotators(
    client, world, month_old, make_user, add_records, answer
):
    url = reverse("exports:dashboard", args=[month_old.pk])
    client.force_login(world.admin)
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    more = add_records(month_old, [{"fields": FIELDS} for _i in range(20)])
    for i in range(5):
        user = make_user(f"extra{i}", workspaces=[world.ws_a])
        for record in more[i::2]:
            answer(user, record, {"response_ranking": 1 + i % 3}, status="submitted")
    with CaptureQueriesContext(connection) as after:
        assert client.get(url).status_code == 200
    assert len(after) == len(before), [q["sql"][:80] for q in after.captured_queries]


@pytest.mark.parametrize(
    ("value", "top"), [(0, 1), (1, 1), (3, 5), (7, 10), (11, 20), (24, 25), (260, 500)]
)
def test_the_axis_top_is_a_round_number(value, top):
    assert charts.nice_maximum(value) == top


def test_ticks_pick_months_for_a_long_dataset():
    unit, ticks = charts.time_ticks(datetime(2024, 1, 10), datetime(2025, 1, 10))
    assert unit == "month" and len(ticks) <= charts.MAX_TICKS
    assert all(re.fullmatch(r"[A-Z][a-z]{2} \d{4}", tick.label) for tick in ticks)


def test_the_axis_ends_now_not_at_the_end_of_today():
    now = datetime(2026, 12, 2, 9, 30)
    line = charts.progress_line(
        [(datetime(2026, 11, 20), 2), (datetime(2026, 12, 2), 3)],
        datetime(2026, 11, 2, 8, 0),
        now,
        bucket="day",
    )
    assert line["last"] == now and line["line"].endswith("V0.0H1000")

"""Time spent per response: summed over saves, in every export, the API and the dashboard."""

import csv
import json

import pyarrow.parquet as pq
import pytest
from django.test import Client
from django.urls import reverse

from apps.exports import services
from apps.exports.time_spent import time_spent
from apps.responses.models import Response
from apps.responses.services import save_response


@pytest.fixture
def login():
    def client_for(user):
        client = Client()
        client.force_login(user)
        return client

    return client_for


def respond(user, record, value, seconds, status="submitted"):
    return save_response(
        user=user,
        record=record,
        values={"response_ranking": {"value": value}},
        status=status,
        active_seconds=seconds,
    )


@pytest.fixture
def timed(world, preference):
    dataset, records = preference
    respond(world.ann1, records[0], 1, 20, status="draft")
    respond(world.ann1, records[0], 1, 15)  # a second visit: 35 in all
    respond(world.ann2, records[0], 2, 50)
    respond(world.ann1, records[1], 1, 9)
    return dataset, records


def test_seconds_add_up_across_saves(world, timed):
    _dataset, records = timed
    assert Response.objects.get(user=world.ann1, record=records[0]).active_seconds == 35


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_every_export_has_the_time_spent(timed, tmp_path, fmt):
    dataset, _records = timed
    path = tmp_path / f"out.{fmt}"
    services.write_export(services.prepare_export(dataset=dataset, format=fmt), path)
    if fmt == "jsonl":
        rows = [json.loads(line) for line in path.read_text().splitlines()]
    elif fmt == "csv":
        rows = list(csv.DictReader(path.open()))
        for row in rows:
            for key in ("responses.users", "responses.active_seconds"):
                row[key] = json.loads(row[key])
    else:
        rows = pq.read_table(path).to_pylist()
    first = rows[0]
    assert first["responses.users"] == ["ann1", "ann2"]
    assert first["responses.active_seconds"] == [35, 50]
    assert rows[2]["responses.active_seconds"] == []


def test_trl_rows_say_what_they_cost(timed, tmp_path):
    dataset, _records = timed
    path = tmp_path / "dpo.jsonl"
    export = services.prepare_export(dataset=dataset, format="jsonl", task="dpo")
    services.write_export(export, path)
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    # record 1: ann1 (1) and ann2 (2) tie, no pair; record 2: ann1 alone says the first
    assert [(r["chosen"], r["active_seconds"]) for r in rows] == [("first 1", 9)]


def test_the_dashboard_gives_medians_per_annotator_and_question_type(world, timed):
    dataset, _records = timed
    spent = time_spent(dataset)
    assert spent["annotators"] == [
        {"username": "ann1", "median": 22.0, "responses": 2},
        {"username": "ann2", "median": 50.0, "responses": 1},
    ]
    assert spent["types"] == [{"type": "rating", "median": 35.0, "responses": 3}]


def test_the_dashboard_shows_them(world, timed, login):
    dataset, _records = timed
    html = login(world.admin).get(reverse("exports:dashboard", args=[dataset.pk])).content
    html = html.decode()
    assert "<td>ann1</td><td>22 s</td><td>2</td>" in html
    assert "<td>Rating</td><td>35 s</td><td>3</td>" in html


def test_the_api_response_objects_carry_it(world, timed, api):
    dataset, records = timed
    body = api(world.admin).get(f"/api/v1/records/{records[0].pk}", {"include": "responses"}).json()
    assert sorted(r["active_seconds"] for r in body["responses"]) == [35, 50]


@pytest.mark.parametrize("bad", ["-3", "1.5", "abc", str(24 * 3600 + 1)])
def test_a_bad_time_is_a_400_naming_the_field(world, preference, login, bad):
    dataset, records = preference
    response = login(world.ann1).post(
        reverse("annotation:respond", args=[dataset.pk, records[0].pk, "draft"]),
        {"q-response_ranking": "1", "active_seconds": bad},
    )
    assert response.status_code == 400
    assert response.content.decode().startswith("active_seconds:")
    assert not Response.objects.exists()


def test_the_web_app_adds_what_the_browser_measured(world, preference, login):
    dataset, records = preference
    client = login(world.ann1)
    url = reverse("annotation:respond", args=[dataset.pk, records[0].pk, "draft"])
    client.post(url, {"q-response_ranking": "1", "active_seconds": "12"})
    client.post(url.replace("draft", "submit"), {"q-response_ranking": "2", "active_seconds": "4"})
    assert Response.objects.get().active_seconds == 16

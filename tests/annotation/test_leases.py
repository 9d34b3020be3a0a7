"""Leases that fit people: renewed while working, given back when leaving, and a submit
after the lease ran out is stored and counted (overlap 1, two annotators)."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.annotation.models import AnnotatorQueue
from apps.annotation.progress import annotator_progress, dataset_progress
from apps.annotation.queue import next_record
from apps.exports import services as exports
from apps.responses.models import Response

HX = {"HTTP_HX_REQUEST": "true"}


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def seat(dataset, user):
    return AnnotatorQueue.objects.get(dataset=dataset, user=user)


def expire(dataset):
    AnnotatorQueue.objects.filter(dataset=dataset).update(
        lease_expires_at=timezone.now() - timedelta(seconds=1)
    )


def lease_url(dataset, record):
    return reverse("annotation:lease", args=[dataset.pk, record.pk])


def submit(user, dataset, record, value="1"):
    url = reverse("annotation:respond", args=[dataset.pk, record.pk, "submit"])
    return client_for(user).post(url, {"q-response_ranking": value}, **HX)


def test_working_on_a_record_renews_its_lease(world, queue_dataset):
    dataset = queue_dataset(2)
    record = next_record(dataset=dataset, user=world.ann1)
    AnnotatorQueue.objects.filter(dataset=dataset).update(
        lease_expires_at=timezone.now() + timedelta(seconds=10)
    )
    response = client_for(world.ann1).post(lease_url(dataset, record))
    assert response.status_code == 204
    left = seat(dataset, world.ann1).lease_expires_at - timezone.now()
    assert timedelta(minutes=14) < left <= timedelta(minutes=15)  # the default lease


def test_a_draft_save_renews_it_too(world, queue_dataset):
    dataset = queue_dataset(2)
    record = next_record(dataset=dataset, user=world.ann1)
    expire(dataset)
    url = reverse("annotation:respond", args=[dataset.pk, record.pk, "draft"])
    client_for(world.ann1).post(url, {"q-response_ranking": "2"}, **HX)
    assert seat(dataset, world.ann1).lease_expires_at > timezone.now() + timedelta(minutes=14)


def test_a_lease_someone_else_took_is_not_renewed(world, queue_dataset):
    dataset = queue_dataset(1)
    record = next_record(dataset=dataset, user=world.ann1)
    expire(dataset)
    assert next_record(dataset=dataset, user=world.ann2) == record  # it was free again
    AnnotatorQueue.objects.filter(dataset=dataset, user=world.ann1).update(record=None)
    assert client_for(world.ann1).post(lease_url(dataset, record)).status_code == 409


def test_leaving_gives_the_record_back(world, queue_dataset):
    dataset = queue_dataset(1)
    record = next_record(dataset=dataset, user=world.ann1)
    response = client_for(world.ann1).post(reverse("annotation:release", args=[dataset.pk]))
    assert response.status_code == 204
    assert seat(dataset, world.ann1).record_id is None
    assert next_record(dataset=dataset, user=world.ann2) == record


@pytest.mark.parametrize("who", ["outsider", "admin_b"])
def test_other_workspaces_cannot_touch_leases(world, queue_dataset, who):
    dataset = queue_dataset(1)
    record = next_record(dataset=dataset, user=world.ann1)
    client = client_for(getattr(world, who))
    assert client.post(lease_url(dataset, record)).status_code == 404
    assert client.post(reverse("annotation:release", args=[dataset.pk])).status_code == 404
    assert seat(dataset, world.ann1).record_id == record.pk


def test_a_late_submit_is_stored_and_counted(world, queue_dataset, tmp_path):
    dataset = queue_dataset(2, min_submitted=1)
    record = next_record(dataset=dataset, user=world.ann1)
    expire(dataset)  # ann1 is slow: their lease runs out
    assert next_record(dataset=dataset, user=world.ann2) == record
    assert submit(world.ann2, dataset, record, "2").status_code == 200
    record.refresh_from_db()
    assert record.status == "completed"

    late = submit(world.ann1, dataset, record, "1")
    assert late.status_code == 200
    assert "your answer is kept as an extra one" in late.content.decode()
    answers = Response.objects.filter(record=record, status="submitted")
    assert sorted(answers.values_list("user__username", flat=True)) == ["ann1", "ann2"]

    # Progress counts the record once, and each annotator's answer as theirs.
    team = dataset_progress(dataset)
    assert (team.completed, team.pending) == (1, 1)
    mine = {a.username: a.submitted for a in annotator_progress(dataset) if a.submitted}
    assert mine == {"ann1": 1, "ann2": 1}
    # Exports list both answers.
    path = tmp_path / "out.jsonl"
    exports.write_export(exports.prepare_export(dataset=dataset, format="jsonl"), path)
    first = json.loads(path.read_text().splitlines()[0])
    assert first["response_ranking.responses"] == [2, 1]
    assert first["response_ranking.responses.users"] == ["ann2", "ann1"]

"""Responses in the admin: deleting one re-opens its record."""

from django.urls import reverse

from apps.records.models import RecordStatus
from apps.responses.models import Response
from tests.admin_helpers import add_records


def test_deleting_a_response_reopens_its_record(client, world, make_dataset):
    dataset = make_dataset(world.ws_a)
    [record] = add_records(dataset, 1, prefix="r", user=world.ann1)
    record.status = RecordStatus.COMPLETED
    record.save()
    response = Response.objects.get(record=record)
    client.force_login(world.admin)

    page = client.post(
        reverse("admin:responses_response_delete", args=[response.pk]), {"post": "yes"}
    )

    assert page.status_code == 302
    assert not Response.objects.filter(pk=response.pk).exists()
    record.refresh_from_db()
    assert record.status == RecordStatus.PENDING

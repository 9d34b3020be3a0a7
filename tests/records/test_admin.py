"""Records (with their suggestions and vectors) in the admin: browsable, never edited."""

from django.urls import reverse

from tests.admin_helpers import add_records, change_url


def test_records_and_responses_are_read_only(client, world, make_dataset):
    dataset = make_dataset(world.ws_a)
    [record] = add_records(dataset, 1, prefix="r", user=world.ann1)
    client.force_login(world.admin)

    record_page = client.get(change_url(record))
    response_page = client.get(change_url(record.responses.get()))

    assert client.get(reverse("admin:records_record_add")).status_code == 403
    assert client.get(reverse("admin:responses_response_add")).status_code == 403
    for page in (record_page, response_page):
        assert page.status_code == 200
        assert not page.context["has_change_permission"]
        assert page.context["has_delete_permission"]
    assert "Pending" in record_page.content.decode()  # the record's status is shown

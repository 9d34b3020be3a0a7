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


def test_deleted_records_go_through_the_service(client, world, make_dataset):
    dataset = make_dataset(world.ws_a)
    first, second, kept = add_records(dataset, 3, prefix="r")
    assert dataset.last_activity_at is None
    client.force_login(world.admin)

    single = client.post(reverse("admin:records_record_delete", args=[first.pk]), {"post": "yes"})
    bulk = client.post(
        reverse("admin:records_record_changelist"),
        {"action": "delete_selected", "_selected_action": [second.pk], "post": "yes"},
    )

    assert single.status_code == bulk.status_code == 302
    assert list(dataset.records.all()) == [kept]
    dataset.refresh_from_db()
    assert dataset.last_activity_at is not None  # as the API's delete records


def test_deleted_suggestion_goes_through_the_service(client, world, make_dataset):
    dataset = make_dataset(world.ws_a)
    [record] = add_records(dataset, 1, prefix="r")
    suggestion = record.suggestions.get()
    client.force_login(world.admin)

    page = client.post(
        reverse("admin:records_suggestion_delete", args=[suggestion.pk]), {"post": "yes"}
    )

    assert page.status_code == 302
    assert not record.suggestions.exists()

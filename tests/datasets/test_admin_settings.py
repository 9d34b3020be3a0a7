"""The dataset admin writes through `datasets.services`, with the API's rules.

The dataset is created by `create_dataset`; the settings inlines add, change and delete
through the services behind the API's settings endpoints. What the API refuses, the admin
refuses, next to the input; a refused request writes nothing.
"""

import pytest
from django.urls import reverse

from apps.datasets import services
from apps.datasets.models import Dataset, Field, MetadataProperty
from tests.admin_helpers import change_url, form_data, inline_formset

ADD = "admin:datasets_dataset_add"
TERMS = {"type": "terms", "values": ["a", "b"]}
TERMS_INPUTS = {"type": "terms", "terms": "a\nb"}


def row_errors(page, prefix: str, index: int) -> dict:
    return inline_formset(page, prefix).formset.forms[index].errors


def add_data(client, workspace, **rows) -> dict:
    data = form_data(client.get(reverse(ADD)))
    data.update({"workspace": workspace.pk, "name": "fresh", "min_submitted": 1})
    for prefix, (name, inputs) in rows.items():
        data.update({f"{prefix}-TOTAL_FORMS": 1, f"{prefix}-0-name": name})
        data.update({f"{prefix}-0-{key}": value for key, value in inputs.items()})
        data[f"{prefix}-0-position"] = 0
        data[f"{prefix}-0-required"] = "on"
    return data


@pytest.mark.parametrize("who", ["owner", "admin"])
def test_new_dataset_with_a_setting_name_taken_twice_is_refused_whole(client, world, who):
    # On the add page the rows cannot be checked against stored ones: the service refuses.
    client.force_login(getattr(world, who))
    rating = {"type": "rating", "rating_values": "1, 2"}
    data = add_data(
        client, world.ws_a, fields=("text", {"type": "text"}), questions=("text", rating)
    )

    page = client.post(reverse(ADD), data)

    assert page.status_code == 200
    assert row_errors(page, "questions", 0) == {"name": ["Question 'text' already exists."]}
    assert not Dataset.objects.filter(name="fresh").exists()  # nor its field: all rolled back
    assert not Field.objects.filter(name="text").exists()


def test_new_dataset_is_created_by_the_service(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.admin)
    data = add_data(client, world.ws_a, fields=("text", {"type": "text"}))

    with django_capture_on_commit_callbacks() as callbacks:
        page = client.post(reverse(ADD), data)

    assert page.status_code == 302
    dataset = world.ws_a.datasets.get(name="fresh")
    assert [(f.name, f.title, f.position) for f in dataset.fields.all()] == [("text", "text", 0)]
    assert callbacks  # the service's after-commit work (the dataset.created webhook event)


def test_draft_field_type_cannot_change_as_in_the_api(client, world, make_dataset, api):
    dataset = make_dataset(world.ws_a, publish=False)
    field = dataset.fields.get(name="prompt")
    client.force_login(world.admin)
    page = client.get(change_url(dataset))
    data = form_data(page)
    data["fields-0-type"] = "image"  # the select is disabled: a forged value is ignored
    data["fields-1-title"] = "changed in the same request"

    saved = client.post(change_url(dataset), data)
    by_api = api(world.admin).patch(
        f"/api/v1/fields/{field.pk}", {"settings": {"type": "image"}}, format="json"
    )

    assert inline_formset(page, "fields").formset.forms[0].fields["type"].disabled
    assert saved.status_code == 302
    assert by_api.status_code == 422
    field.refresh_from_db()
    assert field.settings["type"] == "text"
    assert dataset.fields.filter(title="changed in the same request").exists()


def test_draft_field_changes_and_deletes_through_the_services(client, world, make_dataset):
    dataset = make_dataset(world.ws_a, publish=False)
    client.force_login(world.admin)
    data = form_data(client.get(change_url(dataset)))
    data.update({"fields-0-title": "The prompt", "fields-0-position": 7})
    data["fields-0-use_markdown"] = "on"
    data["fields-2-DELETE"] = "on"

    page = client.post(change_url(dataset), data)

    assert page.status_code == 302
    prompt = dataset.fields.get(name="prompt")
    assert (prompt.title, prompt.position, prompt.settings["use_markdown"]) == (
        "The prompt",
        7,
        True,
    )
    assert not dataset.fields.filter(name="response-2").exists()


def test_existing_setting_names_are_fixed(client, world, make_dataset):
    dataset = make_dataset(world.ws_a, publish=False)
    client.force_login(world.admin)

    page = client.get(change_url(dataset))
    data = form_data(page)
    data["fields-0-name"] = "renamed"
    saved = client.post(change_url(dataset), data)

    assert inline_formset(page, "fields").formset.forms[0].fields["name"].disabled
    assert not inline_formset(page, "fields").formset.empty_form.fields["name"].disabled
    assert saved.status_code == 302
    assert dataset.fields.filter(name="prompt").exists()
    assert not dataset.fields.filter(name="renamed").exists()


def test_published_metadata_property_keeps_its_settings(client, world, make_dataset):
    dataset = make_dataset(world.ws_a)
    prop = services.add_metadata_property(dataset=dataset, name="genre", settings=TERMS)
    client.force_login(world.admin)
    page = client.get(change_url(dataset))
    data = form_data(page)
    data["metadata_properties-0-type"] = "integer"
    data["metadata_properties-0-terms"] = "x"
    data["metadata_properties-0-title"] = "Genre"
    data["metadata_properties-0-visible_for_annotators"] = ""

    saved = client.post(change_url(dataset), data)

    form = inline_formset(page, "metadata_properties").formset.forms[0]
    assert form.fields["type"].disabled and form.fields["terms"].disabled
    assert form.fields["name"].disabled
    assert saved.status_code == 302
    prop.refresh_from_db()
    assert prop.settings == TERMS  # as the API's PATCH, which never changes them
    assert (prop.title, prop.visible_for_annotators) == ("Genre", False)


def test_published_dataset_takes_and_drops_metadata_properties(client, world, make_dataset):
    dataset = make_dataset(world.ws_a)
    services.add_metadata_property(dataset=dataset, name="old", settings=TERMS)
    client.force_login(world.admin)
    data = form_data(client.get(change_url(dataset)))
    data["metadata_properties-0-DELETE"] = "on"
    data.update({"metadata_properties-TOTAL_FORMS": 2, "metadata_properties-1-name": "genre"})
    data.update({"metadata_properties-1-type": "terms", "metadata_properties-1-terms": "a\nb"})
    data["metadata_properties-1-visible_for_annotators"] = "on"
    data["metadata_properties-1-position"] = 1

    bad = client.post(change_url(dataset), {**data, "metadata_properties-1-name": "Bad Name"})
    good = client.post(change_url(dataset), data)

    assert bad.status_code == 200
    assert "lowercase letters" in str(row_errors(bad, "metadata_properties", 1)["name"])
    assert good.status_code == 302
    assert list(dataset.metadata_properties.values_list("name", flat=True)) == ["genre"]
    assert MetadataProperty.objects.get(dataset=dataset).title == "genre"  # the API's default


def test_published_vector_settings_keep_their_dimensions(client, world, make_dataset):
    from tests.conftest import vector_settings

    dataset = make_dataset(world.ws_a)
    vectors = vector_settings(dataset, "emb", 3)
    client.force_login(world.admin)
    page = client.get(change_url(dataset))
    data = form_data(page)
    data["vectors_settings-0-dimensions"] = 8

    saved = client.post(change_url(dataset), data)

    assert inline_formset(page, "vectors_settings").formset.forms[0].fields["dimensions"].disabled
    assert saved.status_code == 302
    vectors.refresh_from_db()
    assert vectors.dimensions == 3

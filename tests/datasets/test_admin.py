"""The dataset admin: publishing, frozen settings, the services behind its writes."""

from django.http import QueryDict
from django.urls import reverse

from apps.datasets import services
from apps.datasets.models import DatasetStatus, Field
from apps.records.models import RecordStatus
from tests.admin_helpers import add_records, change_url, form_data, inline_formset, messages_of

# publish


def test_publish_action_publishes_a_complete_draft(client, world, make_dataset):
    draft = make_dataset(world.ws_a, name="draft-one", publish=False)
    client.force_login(world.admin)

    page = client.post(
        reverse("admin:datasets_dataset_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
    )

    assert page.status_code == 302
    draft.refresh_from_db()
    assert draft.status == DatasetStatus.READY
    assert messages_of(page) == ["1 dataset published."]


def test_publish_action_reports_why_an_empty_dataset_cannot_be_published(client, world):
    empty = services.create_dataset(workspace=world.ws_a, name="empty-one")
    client.force_login(world.admin)

    page = client.post(
        reverse("admin:datasets_dataset_changelist"),
        {"action": "publish", "_selected_action": [empty.pk]},
    )

    assert page.status_code == 302
    empty.refresh_from_db()
    assert empty.status == DatasetStatus.DRAFT
    [message] = messages_of(page)
    assert "empty-one was not published" in message
    assert "at least one field" in message and "at least one question" in message


# frozen settings


def test_published_dataset_fields_and_questions_cannot_be_added_or_deleted(
    client, world, make_dataset
):
    dataset = make_dataset(world.ws_a)
    client.force_login(world.admin)

    page = client.get(change_url(dataset))

    html = page.content.decode()
    for prefix in ("fields", "questions"):
        inline = inline_formset(page, prefix)
        assert not inline.has_add_permission and not inline.has_delete_permission
        assert not inline.formset.can_delete
        assert f"{prefix}-__prefix__" not in html  # no empty form to add from
        assert f"{prefix}-0-DELETE" not in html
        row = inline.formset.forms[0].fields
        assert not row["title"].disabled and not row["description"].disabled
        assert row["name"].disabled and row["type"].disabled and row["required"].disabled
    questions = inline_formset(page, "questions").formset.forms
    rating = next(form for form in questions if form.initial["type"] == "rating")
    assert rating.fields["rating_values"].disabled  # answers hold these values
    # Metadata properties and vector settings can still be added after publishing.
    assert inline_formset(page, "metadata_properties").has_add_permission


def test_draft_dataset_fields_can_be_added_and_deleted(client, world, make_dataset):
    dataset = make_dataset(world.ws_a, publish=False)
    client.force_login(world.admin)

    page = client.get(change_url(dataset))

    inline = inline_formset(page, "fields")
    assert inline.has_add_permission and inline.formset.can_delete
    assert "fields-__prefix__" in page.content.decode()


def test_published_field_title_stays_editable_but_not_its_name(client, world, make_dataset):
    dataset = make_dataset(world.ws_a)
    client.force_login(world.admin)
    data = form_data(client.get(change_url(dataset)))
    data["fields-0-title"] = "The prompt"
    data["fields-0-name"] = "renamed"
    data["fields-TOTAL_FORMS"] = 4  # a smuggled new field is ignored too
    data["fields-3-name"] = "smuggled"
    data["fields-3-type"] = "text"

    page = client.post(change_url(dataset), data)

    assert page.status_code == 302
    names = list(dataset.fields.order_by("position").values_list("name", "title"))
    assert names[0] == ("prompt", "The prompt")
    assert len(names) == 3


def test_field_settings_are_validated_by_the_shared_rules(client, world, make_dataset):
    dataset = make_dataset(world.ws_a, publish=False)
    client.force_login(world.admin)
    data = form_data(client.get(change_url(dataset)))
    data["fields-TOTAL_FORMS"] = 4
    data.update({"fields-3-name": "context", "fields-3-position": 3, "fields-3-required": "on"})

    bad = client.post(change_url(dataset), {**data, "fields-3-type": "nope"})
    good = client.post(change_url(dataset), {**data, "fields-3-type": "text"})

    assert bad.status_code == 200
    assert "nope is not one of the available choices" in str(
        inline_formset(bad, "fields").formset.forms[3].errors["type"]
    )
    assert good.status_code == 302
    added = Field.objects.get(dataset=dataset, name="context")
    assert added.settings == {"type": "text", "use_markdown": False}
    assert added.title == "context"  # the API's default title


def test_owner_creates_a_dataset_with_its_settings_in_one_form(client, world):
    client.force_login(world.owner)
    data = form_data(client.get(reverse("admin:datasets_dataset_add")))
    data.update({"workspace": world.ws_b.pk, "name": "fresh", "min_submitted": 2})
    data.update({"fields-TOTAL_FORMS": 1, "fields-0-name": "text"})
    data.update({"fields-0-type": "text", "fields-0-required": "on"})
    data.update({"questions-TOTAL_FORMS": 1, "questions-0-name": "good"})
    data.update({"questions-0-type": "rating", "questions-0-rating_values": "1, 2"})
    data.update({"fields-0-position": 0, "questions-0-position": 0})

    page = client.post(reverse("admin:datasets_dataset_add"), data)

    assert page.status_code == 302, page.context["adminform"].form.errors
    dataset = world.ws_b.datasets.get(name="fresh")
    assert dataset.min_submitted == 2 and dataset.status == DatasetStatus.DRAFT
    assert [f.name for f in dataset.fields.all()] == ["text"]
    assert [q.name for q in dataset.questions.all()] == ["good"]


def test_min_submitted_change_recomputes_record_statuses(client, world, make_dataset):
    dataset = make_dataset(world.ws_a)
    [record] = add_records(dataset, 1, prefix="r", user=world.ann1)
    record.status = RecordStatus.COMPLETED
    record.save()
    client.force_login(world.admin)
    data = form_data(client.get(change_url(dataset)))

    page = client.post(change_url(dataset), {**data, "min_submitted": 2})

    assert page.status_code == 302
    record.refresh_from_db()
    assert record.status == RecordStatus.PENDING


def test_admin_question_form_applies_the_services_setting_rules(world):
    """The inline forms share the service's rules: unique names, one span question per field."""
    from django.forms import modelform_factory

    from apps.datasets import services
    from apps.datasets.admin import QuestionForm
    from apps.datasets.models import Question

    dataset = services.create_dataset(workspace=world.ws_a, name="admin-spans")
    services.add_field(dataset=dataset, name="text", settings={"type": "text"})
    span = {"type": "span", "field": "text", "options": [{"value": "PER", "text": "Person"}]}
    first = services.add_question(dataset=dataset, name="ents", settings=span)

    span_inputs = {"type": "span", "span_field": "text", "options-value": "PER"}
    span_inputs["options-text"] = "Person"

    def form(name, inputs, instance=None):
        data = {"name": name, "title": "", "required": True, "position": 0, **inputs}
        form_class = modelform_factory(
            Question, form=QuestionForm, fields=("name", "title", "description", "required")
        )
        query = QueryDict(mutable=True)
        for key, value in data.items():
            query[key] = value
        return form_class(data=query, instance=instance or Question(dataset=dataset))

    second = form("more_ents", span_inputs)
    assert not second.is_valid()
    assert "already has a span question" in str(second.errors["span_field"])
    clash = form("text", {"type": "text"})
    assert not clash.is_valid()
    assert "already used" in str(clash.errors)
    # editing the existing span question itself is fine
    assert form("ents", span_inputs, instance=first).is_valid()

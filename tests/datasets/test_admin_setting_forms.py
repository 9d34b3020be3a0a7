"""Each setting type's form in the dataset admin: the inputs a person fills in (no JSON),
checked by the API's own validators, each problem under the input it concerns."""

import pytest

from apps.datasets import services
from apps.datasets.models import Question
from tests.admin_helpers import change_url, form_data, inline_formset


def post_row(client, dataset, prefix: str, **inputs):
    """The dataset's change page posted back with one new `prefix` row made of `inputs`."""
    page = client.get(change_url(dataset))
    data = form_data(page)
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = index + 1
    data[f"{prefix}-{index}-position"] = 0  # as the empty row shows it
    for key, value in inputs.items():
        data[f"{prefix}-{index}-{key}"] = value
    return client.post(change_url(dataset), data), index


def row_errors(page, prefix: str, index: int) -> dict:
    return {
        k: " ".join(v) for k, v in inline_formset(page, prefix).formset.forms[index].errors.items()
    }


@pytest.fixture
def draft(world, make_dataset, client):
    client.force_login(world.admin)
    return make_dataset(world.ws_a, publish=False)


def question(draft, name):
    return Question.objects.get(dataset=draft, name=name)


# Rating values


def test_rating_values_are_saved_as_the_apis_options(client, draft):
    page, _ = post_row(
        client, draft, "questions", name="stars", type="rating", rating_values="1, 3,5"
    )

    assert page.status_code == 302
    assert question(draft, "stars").settings == {
        "type": "rating",
        "options": [{"value": 1}, {"value": 3}, {"value": 5}],
    }


@pytest.mark.parametrize(
    "values, expected",
    [
        ("1, two", "'two' is not a whole number."),
        ("1, 11", "Option 2, value: "),  # the rating validator's range: 0..10
        ("3, 3", "Option 2, value: "),  # repeated
        ("4", "Needs at least 2 items, got 1."),
    ],
)
def test_bad_rating_values_are_shown_under_their_input(client, draft, values, expected):
    page, index = post_row(
        client, draft, "questions", name="stars", type="rating", rating_values=values
    )

    assert page.status_code == 200
    errors = row_errors(page, "questions", index)
    assert list(errors) == ["rating_values"], errors
    assert errors["rating_values"].startswith(expected), errors


# Labels with titles, multi-label, ranking


@pytest.mark.parametrize("kind", ["label_selection", "multi_label_selection", "ranking"])
def test_options_are_value_and_text_pairs(client, draft, kind):
    page, _ = post_row(
        client,
        draft,
        "questions",
        name="pick",
        type=kind,
        **{"options-value": ["pos", "neg", ""], "options-text": ["Positive", "", ""]},
    )

    assert page.status_code == 302, page.context and row_errors(page, "questions", 2)
    options = question(draft, "pick").settings["options"]
    # A blank text takes the value (as in the API); a blank row is ignored.
    assert [(o["value"], o["text"]) for o in options] == [("pos", "Positive"), ("neg", "neg")]


def test_a_repeated_label_value_is_an_error_naming_the_option(client, draft):
    page, index = post_row(
        client,
        draft,
        "questions",
        name="pick",
        type="label_selection",
        **{"options-value": ["pos", "pos"], "options-text": ["A", "B"]},
    )

    assert page.status_code == 200
    assert row_errors(page, "questions", index)["options"].startswith("Option 2, value: ")


def test_a_label_text_without_a_value_is_an_error(client, draft):
    page, index = post_row(
        client,
        draft,
        "questions",
        name="pick",
        type="label_selection",
        **{"options-value": ["pos", ""], "options-text": ["Positive", "Negative"]},
    )

    assert page.status_code == 200
    assert row_errors(page, "questions", index) == {"options": "Option 2, value: This is required."}


def test_visible_options_follows_the_apis_rule(client, draft):
    page, index = post_row(
        client,
        draft,
        "questions",
        name="pick",
        type="label_selection",
        visible_options=2,
        **{"options-value": ["a", "b", "c"], "options-text": ["A", "B", "C"]},
    )

    assert page.status_code == 200
    assert "from 3 to 3" in row_errors(page, "questions", index)["visible_options"]


# Span


def test_span_labels_and_their_text_field(client, draft):
    page, _ = post_row(
        client,
        draft,
        "questions",
        name="ents",
        type="span",
        span_field="prompt",
        allow_overlapping="on",
        allow_character_annotation="on",
        **{"options-value": ["PER"], "options-text": ["Person"]},
    )

    assert page.status_code == 302
    assert question(draft, "ents").settings == {
        "type": "span",
        "field": "prompt",
        "options": [{"value": "PER", "text": "Person", "description": None}],
        "visible_options": None,
        "allow_overlapping": True,
        "allow_character_annotation": True,
    }


def test_span_field_choices_are_the_text_fields_and_one_is_required(client, draft):
    page, index = post_row(
        client, draft, "questions", name="ents", type="span", **{"options-value": ["PER"]}
    )

    assert page.status_code == 200
    form = inline_formset(page, "questions").formset.forms[index]
    assert [value for value, _ in form.fields["span_field"].choices] == [
        "",
        "prompt",
        "response-1",
        "response-2",
    ]
    assert "Name the text field to annotate" in form.errors["span_field"][0]


# Text question, fields


def test_text_question_and_field_markdown_flags(client, draft):
    page, _ = post_row(client, draft, "questions", name="note", type="text", use_markdown="on")
    field_page, _ = post_row(client, draft, "fields", name="context", type="text")

    assert page.status_code == 302 and field_page.status_code == 302
    assert question(draft, "note").settings == {"type": "text", "use_markdown": True}
    context = draft.fields.get(name="context")
    assert context.settings == {"type": "text", "use_markdown": False}
    assert context.position == 3  # last, as the API appends


def test_custom_field_needs_a_template(client, draft):
    page, index = post_row(client, draft, "fields", name="card", type="custom", template="  ")

    assert page.status_code == 200
    assert row_errors(page, "fields", index) == {"template": "A template is required."}


def test_a_change_to_a_draft_label_goes_through_update_setting(client, draft):
    services.add_question(
        dataset=draft,
        name="pick",
        settings={"type": "label_selection", "options": [{"value": "a"}, {"value": "b"}]},
    )
    page = client.get(change_url(draft))
    data = form_data(page)
    index = [f.instance.name for f in inline_formset(page, "questions").formset.forms].index("pick")
    data[f"questions-{index}-options-value"] = ["a", "b", "c"]
    data[f"questions-{index}-options-text"] = ["Alpha", "Beta", "Gamma"]

    saved = client.post(change_url(draft), data)

    assert saved.status_code == 302
    options = question(draft, "pick").settings["options"]
    assert [(o["value"], o["text"]) for o in options] == [
        ("a", "Alpha"),
        ("b", "Beta"),
        ("c", "Gamma"),
    ]


# Published: only what the API changes


def test_published_label_texts_change_but_not_their_values(client, world, make_dataset):
    labels = {"type": "label_selection", "options": [{"value": "a"}, {"value": "b"}]}
    dataset = make_dataset(
        world.ws_a, questions=[{"name": "pick", "settings": labels}], publish=True
    )
    client.force_login(world.admin)
    page = client.get(change_url(dataset))
    form = inline_formset(page, "questions").formset.forms[0]
    assert form.fields["options"].widget.fixed_values  # read-only value inputs, no new rows
    assert (
        'name="questions-0-options-value" value="a" aria-label="value" maxlength="200" readonly'
        in (page.content.decode())
    )
    data = form_data(page)
    data["questions-0-options-text"] = ["Alpha", "Beta"]
    renamed = client.post(change_url(dataset), data)
    data["questions-0-options-value"] = ["a", "z"]
    forged = client.post(change_url(dataset), data)

    assert renamed.status_code == 302
    assert forged.status_code == 200  # the service's refusal, shown on the row
    assert "Option values cannot change once the dataset is published." in forged.content.decode()
    options = question(dataset, "pick").settings["options"]
    assert [(o["value"], o["text"]) for o in options] == [("a", "Alpha"), ("b", "Beta")]


# Metadata properties


@pytest.mark.parametrize(
    "inputs, expected",
    [
        (
            {"type": "terms", "terms": "web\n\n shop \n"},
            {"type": "terms", "values": ["web", "shop"]},
        ),
        ({"type": "terms", "terms": ""}, {"type": "terms", "values": None}),
        ({"type": "integer", "min": "0", "max": "10"}, {"type": "integer", "min": 0, "max": 10}),
        ({"type": "float", "min": "0.5", "max": ""}, {"type": "float", "min": 0.5, "max": None}),
    ],
)
def test_metadata_terms_and_ranges(client, draft, inputs, expected):
    page, _ = post_row(client, draft, "metadata_properties", name="meta", **inputs)

    assert page.status_code == 302
    assert draft.metadata_properties.get(name="meta").settings == expected


@pytest.mark.parametrize(
    "inputs, field, message",
    [
        ({"type": "integer", "min": "1.5"}, "min", "'1.5' is not a whole number."),
        ({"type": "float", "max": "lots"}, "max", "'lots' is not a number."),
        (
            {"type": "integer", "min": "5", "max": "5"},
            "max",
            "max (5) must be greater than min (5).",
        ),
        ({"type": "terms", "terms": "a\na"}, "terms", "Option 2: "),
    ],
)
def test_bad_metadata_settings_are_shown_under_their_input(client, draft, inputs, field, message):
    page, index = post_row(client, draft, "metadata_properties", name="meta", **inputs)

    assert page.status_code == 200
    errors = row_errors(page, "metadata_properties", index)
    assert list(errors) == [field] and errors[field].startswith(message), errors


def test_no_raw_json_or_null_metadata_on_the_page(client, draft):
    page = client.get(change_url(draft))

    html = page.content.decode()
    assert "Metadata:" not in html and '"type":' not in html.replace("data-parts", "")
    assert '{"type"' not in html

"""Fields, questions, metadata properties and vector settings over the API."""

import uuid

import pytest

from apps.datasets import services
from apps.datasets.models import Field, MetadataProperty, Question, VectorSettings
from tests.conftest import vector_settings

SETTING_KEYS = {"id", "name", "title", "dataset_id", "inserted_at", "updated_at"}
FIELD_KEYS = SETTING_KEYS | {"required", "description", "settings"}
MP_KEYS = SETTING_KEYS | {"visible_for_annotators", "settings"}
VS_KEYS = SETTING_KEYS | {"dimensions"}

READERS = [("owner", 200), ("admin", 200), ("admin_b", 404), ("ann1", 200), ("outsider", 404)]
WRITERS = [("owner", 201), ("admin", 201), ("admin_b", 404), ("ann1", 403), ("outsider", 404)]
EDITORS = [("owner", 200), ("admin", 200), ("admin_b", 404), ("ann1", 403), ("outsider", 404)]


def _loc(response) -> list:
    return [error["loc"] for error in response.json()["detail"]["params"]["errors"]]


def _s2_dump(dataset, **values) -> dict:
    """What argilla 2.x sends: the whole model, ids and timestamps included."""
    return {
        "id": None,
        "inserted_at": None,
        "updated_at": None,
        "dataset_id": str(dataset.id),
        **values,
    }


@pytest.fixture
def draft(world, make_dataset):
    return make_dataset(world.ws_a, fields=[], questions=[], publish=False)


# ----------------------------------------------------------------------- fields


def test_create_field_s2_dump(world, api, draft):
    body = _s2_dump(
        draft,
        name="text",
        title="Text",
        required=True,
        description=None,
        settings={"type": "text", "use_markdown": False},
    )
    response = api(world.admin).post(f"/api/v1/datasets/{draft.id}/fields", body, format="json")
    assert response.status_code == 201
    data = response.json()
    assert set(data) == FIELD_KEYS
    assert data["name"] == "text" and data["title"] == "Text" and data["required"] is True
    assert data["settings"] == {"type": "text", "use_markdown": False}
    assert data["dataset_id"] == str(draft.id) and data["description"] is None


def test_create_field_with_stale_ids_ignores_them(world, api, draft, make_dataset):
    other = make_dataset(world.ws_b)
    stale = other.fields.first()
    body = {
        "id": str(stale.id),
        "dataset_id": str(other.id),
        "inserted_at": "2024-05-01T10:00:00",
        "updated_at": "2024-05-01T10:00:00",
        "name": "prompt",
        "title": None,
        "settings": {"type": "text"},
        "junk": [1, 2],
    }
    response = api(world.owner).post(f"/api/v1/datasets/{draft.id}/fields", body, format="json")
    assert response.status_code == 201
    data = response.json()
    assert data["id"] != str(stale.id) and data["dataset_id"] == str(draft.id)
    assert data["title"] == "prompt"
    assert data["settings"] == {"type": "text", "use_markdown": False}  # normalized
    assert Field.objects.filter(dataset=other).count() == 3


def test_legacy_field_body(world, api, draft):
    body = {"name": "text", "title": "Text", "required": True, "settings": {"type": "text"}}
    response = api(world.owner).post(f"/api/v1/datasets/{draft.id}/fields", body, format="json")
    assert response.status_code == 201


def test_field_errors(world, api, draft):
    client = api(world.owner)
    url = f"/api/v1/datasets/{draft.id}/fields"
    assert (
        client.post(url, {"name": "f", "settings": {"type": "text"}}, format="json").status_code
        == 201
    )
    dup = client.post(url, {"name": "f", "settings": {"type": "text"}}, format="json")
    assert dup.status_code == 409
    bad_type = client.post(url, {"name": "g", "settings": {"type": "video"}}, format="json")
    assert bad_type.status_code == 422 and _loc(bad_type) == [["body", "settings", "type"]]
    bad_name = client.post(url, {"name": "Upper", "settings": {"type": "text"}}, format="json")
    assert bad_name.status_code == 422 and _loc(bad_name) == [["body", "name"]]
    no_settings = client.post(url, {"name": "h"}, format="json")
    assert no_settings.status_code == 422 and _loc(no_settings) == [["body", "settings"]]


def test_published_dataset_refuses_new_fields_and_questions(world, api, make_dataset):
    dataset = make_dataset(world.ws_a)
    client = api(world.owner)
    field = {"name": "extra", "settings": {"type": "text"}}
    assert (
        client.post(f"/api/v1/datasets/{dataset.id}/fields", field, format="json").status_code
        == 422
    )
    question = {"name": "extra_q", "settings": {"type": "text"}}
    url = f"/api/v1/datasets/{dataset.id}/questions"
    assert client.post(url, question, format="json").status_code == 422


def test_list_fields_in_order(world, api, make_dataset):
    dataset = make_dataset(world.ws_a)
    response = api(world.ann1).get(f"/api/v1/datasets/{dataset.id}/fields")
    assert response.status_code == 200
    items = response.json()["items"]
    assert [f["name"] for f in items] == ["prompt", "response-1", "response-2"]
    assert set(items[0]) == FIELD_KEYS


def test_patch_field_s2_dump_and_delete(world, api, draft):
    field = services.add_field(dataset=draft, name="text", settings={"type": "text"})
    body = _s2_dump(
        draft,
        id=str(field.id),
        name="renamed-ignored",
        title="New title",
        required=False,
        description="Help",
        settings={"type": "text", "use_markdown": True},
    )
    client = api(world.admin)
    response = client.patch(f"/api/v1/fields/{field.id}", body, format="json")
    assert response.status_code == 200
    data = response.json()
    assert data["name"] == "text" and data["title"] == "New title"
    assert data["required"] is False and data["description"] == "Help"
    assert data["settings"] == {"type": "text", "use_markdown": True}
    response = client.delete(f"/api/v1/fields/{field.id}")
    assert response.status_code == 200 and response.json()["id"] == str(field.id)
    assert not Field.objects.filter(pk=field.pk).exists()


def test_patch_field_nulls_mean_unset_except_description(world, api, draft):
    field = services.add_field(
        dataset=draft, name="text", required=False, description="Help", settings={"type": "text"}
    )
    body = {"title": None, "required": None, "settings": None, "description": None}
    response = api(world.owner).patch(f"/api/v1/fields/{field.id}", body, format="json")
    assert response.status_code == 200
    data = response.json()
    assert data["required"] is False and data["title"] == "text"
    assert data["description"] is None


def test_patch_field_cannot_change_type(world, api, draft):
    field = services.add_field(dataset=draft, name="text", settings={"type": "text"})
    body = {"settings": {"type": "image"}}
    response = api(world.owner).patch(f"/api/v1/fields/{field.id}", body, format="json")
    assert response.status_code == 422 and _loc(response) == [["body", "settings", "type"]]


def test_published_dataset_keeps_its_fields(world, api, make_dataset):
    dataset = make_dataset(world.ws_a)
    field = dataset.fields.first()
    assert api(world.owner).delete(f"/api/v1/fields/{field.id}").status_code == 422


# -------------------------------------------------------------------- questions


def test_create_questions_s2_dump(world, api, draft):
    services.add_field(dataset=draft, name="text", settings={"type": "text"})
    client = api(world.owner)
    url = f"/api/v1/datasets/{draft.id}/questions"
    label = _s2_dump(
        draft,
        name="label",
        title="Label",
        description=None,
        required=True,
        settings={
            "type": "label_selection",
            "options": [{"value": "a", "text": "A"}, {"value": "b", "text": "B"}],
            "visible_options": None,
        },
    )
    response = client.post(url, label, format="json")
    assert response.status_code == 201
    data = response.json()
    assert set(data) == FIELD_KEYS
    assert data["settings"]["type"] == "label_selection"
    assert data["settings"]["visible_options"] is None
    assert all({"value", "text"} <= set(o) for o in data["settings"]["options"])
    rating = _s2_dump(
        draft, name="rating", settings={"type": "rating", "options": [{"value": 1}, {"value": 2}]}
    )
    assert client.post(url, rating, format="json").status_code == 201
    items = client.get(url).json()["items"]
    assert [q["name"] for q in items] == ["label", "rating"]


def test_question_errors(world, api, draft):
    services.add_field(dataset=draft, name="text", settings={"type": "text"})
    client = api(world.owner)
    url = f"/api/v1/datasets/{draft.id}/questions"
    one_option = {"name": "r", "settings": {"type": "rating", "options": [{"value": 1}]}}
    response = client.post(url, one_option, format="json")
    assert response.status_code == 422
    assert _loc(response)[0][:3] == ["body", "settings", "options"]
    # A question may not share a name with a field.
    clash = {"name": "text", "settings": {"type": "text"}}
    assert client.post(url, clash, format="json").status_code == 409
    span = {
        "name": "s",
        "settings": {"type": "span", "field": "nope", "options": [{"value": "x", "text": "X"}]},
    }
    response = client.post(url, span, format="json")
    assert response.status_code == 422 and ["body", "settings", "field"] in _loc(response)


def test_patch_and_delete_question(world, api, draft):
    question = services.add_question(dataset=draft, name="q", settings={"type": "text"})
    client = api(world.admin)
    body = _s2_dump(draft, id=str(question.id), name="q", title="Q?", settings={"type": "text"})
    response = client.patch(f"/api/v1/questions/{question.id}", body, format="json")
    assert response.status_code == 200 and response.json()["title"] == "Q?"
    response = client.delete(f"/api/v1/questions/{question.id}")
    assert response.status_code == 200 and response.json()["name"] == "q"
    assert not Question.objects.filter(pk=question.pk).exists()


# ---------------------------------------------------------- metadata properties


def test_create_metadata_property_visible_inside_settings(world, api, make_dataset):
    dataset = make_dataset(world.ws_a)  # published: metadata may still be added
    body = _s2_dump(
        dataset,
        name="genre",
        title="Genre",
        visible_for_annotators=None,
        settings={"type": "terms", "values": ["a", "b"], "visible_for_annotators": False},
    )
    response = api(world.owner).post(
        f"/api/v1/datasets/{dataset.id}/metadata-properties", body, format="json"
    )
    assert response.status_code == 201
    data = response.json()
    assert set(data) == MP_KEYS
    assert data["visible_for_annotators"] is False
    assert data["settings"]["type"] == "terms" and data["settings"]["values"] == ["a", "b"]


def test_create_metadata_property_legacy_body(world, api, make_dataset):
    dataset = make_dataset(world.ws_a)
    body = {
        "name": "score",
        "title": "Score",
        "visible_for_annotators": True,
        "settings": {"type": "integer", "min": 0, "max": 10},
    }
    url = f"/api/v1/datasets/{dataset.id}/metadata-properties"
    response = api(world.admin).post(url, body, format="json")
    assert response.status_code == 201 and response.json()["visible_for_annotators"] is True
    assert api(world.admin).post(url, body, format="json").status_code == 409
    bad = {"name": "f", "settings": {"type": "float", "min": 5, "max": 1}}
    response = api(world.admin).post(url, bad, format="json")
    assert response.status_code == 422
    assert all(loc[:2] == ["body", "settings"] for loc in _loc(response))


def test_annotators_see_only_visible_metadata(world, api, make_dataset):
    dataset = make_dataset(world.ws_a)
    services.add_metadata_property(dataset=dataset, name="shown", settings={"type": "terms"})
    services.add_metadata_property(
        dataset=dataset, name="hidden", visible_for_annotators=False, settings={"type": "terms"}
    )
    url = f"/api/v1/me/datasets/{dataset.id}/metadata-properties"

    def names(user):
        response = api(user).get(url)
        assert response.status_code == 200
        return [mp["name"] for mp in response.json()["items"]]

    assert names(world.ann1) == ["shown"]
    assert names(world.admin) == ["shown", "hidden"]
    assert names(world.owner) == ["shown", "hidden"]


def test_patch_and_delete_metadata_property(world, api, make_dataset):
    dataset = make_dataset(world.ws_a)
    mp = services.add_metadata_property(dataset=dataset, name="m", settings={"type": "terms"})
    client = api(world.owner)
    body = _s2_dump(
        dataset,
        id=str(mp.id),
        name="m",
        title="Emm",
        visible_for_annotators=None,
        settings={"type": "terms", "values": None, "visible_for_annotators": False},
    )
    response = client.patch(f"/api/v1/metadata-properties/{mp.id}", body, format="json")
    assert response.status_code == 200
    assert response.json()["title"] == "Emm"
    assert response.json()["visible_for_annotators"] is False
    legacy = {"visible_for_annotators": True}
    response = client.patch(f"/api/v1/metadata-properties/{mp.id}", legacy, format="json")
    assert response.json()["visible_for_annotators"] is True
    response = client.delete(f"/api/v1/metadata-properties/{mp.id}")
    assert response.status_code == 200 and set(response.json()) == MP_KEYS
    assert not MetadataProperty.objects.filter(pk=mp.pk).exists()


# -------------------------------------------------------------- vector settings


@pytest.mark.usefixtures("needs_pgvector")
def test_vector_settings_lifecycle(world, api, make_dataset):
    dataset = make_dataset(world.ws_a)
    client = api(world.admin)
    url = f"/api/v1/datasets/{dataset.id}/vectors-settings"
    body = _s2_dump(dataset, name="emb", title="Embedding", dimensions=3)
    response = client.post(url, body, format="json")
    assert response.status_code == 201
    data = response.json()
    assert set(data) == VS_KEYS and data["dimensions"] == 3
    assert client.post(url, {"name": "emb", "dimensions": 3}, format="json").status_code == 409
    zero = client.post(url, {"name": "z", "dimensions": 0}, format="json")
    assert zero.status_code == 422 and _loc(zero) == [["body", "dimensions"]]
    assert [v["name"] for v in api(world.ann1).get(url).json()["items"]] == ["emb"]
    vs_url = f"/api/v1/vectors-settings/{data['id']}"
    response = client.patch(vs_url, {"title": "Emb"}, format="json")
    assert response.status_code == 200 and response.json()["title"] == "Emb"
    assert response.json()["dataset_id"] == str(dataset.id)
    response = client.delete(vs_url)
    assert response.status_code == 200 and response.json()["name"] == "emb"
    assert not VectorSettings.objects.filter(pk=data["id"]).exists()


# ------------------------------------------------------------- permission matrix

KINDS = {
    "fields": {"name": "new_field", "settings": {"type": "text"}},
    "questions": {"name": "new_q", "settings": {"type": "text"}},
    "metadata-properties": {"name": "new_mp", "settings": {"type": "terms"}},
    "vectors-settings": {"name": "new_vs", "dimensions": 2},
}


def _children(dataset):
    services.add_metadata_property(dataset=dataset, name="mp", settings={"type": "terms"})
    vector_settings(dataset, "vs", 2)
    return {
        "fields": dataset.fields.first(),
        "questions": dataset.questions.first(),
        "metadata-properties": dataset.metadata_properties.first(),
        "vectors-settings": dataset.vectors_settings.first(),
    }


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("who, expected", READERS)
def test_list_permissions(world, api, make_dataset, kind, who, expected):
    dataset = make_dataset(world.ws_a)
    _children(dataset)
    prefix = "me/datasets" if kind == "metadata-properties" else "datasets"
    response = api(getattr(world, who)).get(f"/api/v1/{prefix}/{dataset.id}/{kind}")
    assert response.status_code == expected
    if expected == 200:
        assert len(response.json()["items"]) >= 1


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("who, expected", WRITERS)
def test_create_permissions(world, api, make_dataset, kind, who, expected, request):
    if kind == "vectors-settings" and expected == 201:
        request.getfixturevalue("needs_pgvector")  # else a 422 (tests/records/test_pgvector.py)
    dataset = make_dataset(world.ws_a, publish=False)
    url = f"/api/v1/datasets/{dataset.id}/{kind}"
    response = api(getattr(world, who)).post(url, KINDS[kind], format="json")
    assert response.status_code == expected


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("who, expected", EDITORS)
def test_patch_and_delete_permissions(world, api, make_dataset, kind, who, expected):
    dataset = make_dataset(world.ws_a, publish=False)
    child = _children(dataset)[kind]
    client = api(getattr(world, who))
    url = f"/api/v1/{kind}/{child.id}"
    response = client.patch(url, {"title": "Changed"}, format="json")
    assert response.status_code == expected
    child.refresh_from_db()
    assert (child.title == "Changed") == (expected == 200)
    assert client.delete(url).status_code == expected
    assert type(child).objects.filter(pk=child.pk).exists() == (expected != 200)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("key", [None, "wrong-key"])
def test_settings_need_a_valid_key(world, api, make_dataset, kind, key):
    dataset = make_dataset(world.ws_a, publish=False)
    child = _children(dataset)[kind]
    client = api(None, key=key)
    prefix = "me/datasets" if kind == "metadata-properties" else "datasets"
    assert client.get(f"/api/v1/{prefix}/{dataset.id}/{kind}").status_code == 401
    url = f"/api/v1/datasets/{dataset.id}/{kind}"
    assert client.post(url, KINDS[kind], format="json").status_code == 401
    assert (
        client.patch(f"/api/v1/{kind}/{child.id}", {"title": "x"}, format="json").status_code == 401
    )
    assert client.delete(f"/api/v1/{kind}/{child.id}").status_code == 401


@pytest.mark.parametrize("kind", KINDS)
def test_unknown_child_is_404(world, api, kind):
    client = api(world.owner)
    assert client.delete(f"/api/v1/{kind}/{uuid.uuid4()}").status_code == 404
    assert client.patch(f"/api/v1/{kind}/not-a-uuid", {}, format="json").status_code == 404


# ------------------------------------------------------------------ query counts


ADD = {
    "fields": (services.add_field, {"settings": {"type": "text"}}),
    "questions": (services.add_question, {"settings": {"type": "text"}}),
    "metadata-properties": (services.add_metadata_property, {"settings": {"type": "terms"}}),
    "vectors-settings": (
        lambda dataset, name, dimensions: vector_settings(dataset, name, dimensions),
        {"dimensions": 2},
    ),
}


@pytest.mark.parametrize("kind", KINDS)
def test_list_query_count_is_constant(world, api, make_dataset, kind, django_assert_num_queries):
    client = api(world.admin)
    prefix = "me/datasets" if kind == "metadata-properties" else "datasets"
    add, attrs = ADD[kind]
    for n in (1, 50):
        dataset = make_dataset(world.ws_a, fields=[], questions=[], publish=False)
        for i in range(n):
            add(dataset=dataset, name=f"s{i}", **attrs)
        # 1. the API key and its user  2-3. the user's rate budget (cache read, write)
        # 4. the dataset, scoped to the caller's workspaces  5. the settings of that kind
        with django_assert_num_queries(5):
            response = client.get(f"/api/v1/{prefix}/{dataset.id}/{kind}")
        assert len(response.json()["items"]) == n

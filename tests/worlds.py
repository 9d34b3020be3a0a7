import pytest
from django.test import Client

from apps.records.services import create_records

ALL_TYPES_QUESTIONS = [
    {
        "name": "rating",
        "required": True,
        "settings": {"type": "rating", "options": [{"value": v} for v in (1, 2, 3)]},
    },
    {
        "name": "label",
        "required": False,
        "settings": {
            "type": "label_selection",
            "options": [{"value": "good", "text": "Good"}, {"value": "bad", "text": "Bad"}],
        },
    },
    {
        "name": "topics",
        "required": False,
        "settings": {
            "type": "multi_label_selection",
            "options": [
                {"value": "a", "text": "A"},
                {"value": "b", "text": "B"},
                {"value": "c", "text": "C"},
            ],
        },
    },
    {
        "name": "order",
        "required": False,
        "settings": {
            "type": "ranking",
            "options": [{"value": "x", "text": "X"}, {"value": "y", "text": "Y"}],
        },
    },
    {
        "name": "ents",
        "required": False,
        "settings": {
            "type": "span",
            "field": "text",
            "options": [{"value": "PER", "text": "Person"}],
        },
    },
    {"name": "note", "required": False, "settings": {"type": "text", "use_markdown": True}},
]
ALL_TYPES_FIELDS = [
    {"name": "text", "settings": {"type": "text", "use_markdown": True}},
    {"name": "chat", "required": False, "settings": {"type": "chat"}},
    {"name": "picture", "required": False, "settings": {"type": "image"}},
]


@pytest.fixture
def every_type_dataset(world, make_dataset):
    return make_dataset(world.ws_a, fields=ALL_TYPES_FIELDS, questions=ALL_TYPES_QUESTIONS)


@pytest.fixture
def demo(world, make_dataset):
    """The seed's preference dataset in workspace A with 3 records."""
    dataset = make_dataset(world.ws_a, guidelines="Read **carefully**.")
    records = create_records(
        dataset=dataset,
        items=[
            {
                "external_id": f"r{i}",
                "fields": {"prompt": f"Prompt {i}", "response-1": "One", "response-2": "Two"},
            }
            for i in range(3)
        ],
    )
    return dataset, records


@pytest.fixture
def login():
    def client_for(user, *, csrf=False):
        client = Client(enforce_csrf_checks=csrf)
        client.force_login(user)
        return client

    return client_for

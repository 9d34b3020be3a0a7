"""Shared test data: the settings of a dataset with every field and question type.

The web tests (`every_type_dataset` in tests/conftest.py), the Chinese pages (tests/i18n) and
the API fuzzer's world (tests/api/fuzz_world.py) build their datasets from these lists.
"""

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

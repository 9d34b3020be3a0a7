"""A chat field: a conversation, a list of {"role", "content"} messages."""

from typing import Any

from django.utils.translation import gettext as _

from apps.core.errors import Problems
from apps.datasets._type_checks import read_bool, read_list, wrong_type

TYPE = "chat"
MAX_MESSAGES = 500


def clean_settings(settings: dict) -> dict:
    problems = Problems()
    use_markdown = read_bool(settings, "use_markdown", default=True, problems=problems)
    problems.raise_if_any()
    return {"type": TYPE, "use_markdown": use_markdown}


def clean_value(value: Any, settings: dict) -> list[dict]:
    """The messages with only `role` and `content` kept; an empty conversation is allowed."""
    problems = Problems()
    messages = read_list(value, (), problems=problems, max_items=MAX_MESSAGES) or []
    cleaned = []
    for index, message in enumerate(messages):
        if not isinstance(message, dict):
            problems.add((index,), wrong_type(_("an object with role and content"), message))
            continue
        for key in ("role", "content"):
            if not isinstance(message.get(key), str):
                problems.add((index, key), wrong_type(_("a string"), message.get(key)))
        cleaned.append({"role": message.get("role"), "content": message.get("content")})
    problems.raise_if_any()
    return cleaned

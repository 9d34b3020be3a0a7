"""Validation of a dataset's settings: fields, questions, metadata properties, vector settings.

Every face (API, admin, management commands) calls these through `services.py`. Each
`clean_*` takes the raw input a client sent (unknown keys ignored) and returns the
normalized values to store, or raises ValidationFailed naming the key and the reason.
"""

import re

from django.utils.translation import gettext as _

from apps.core.errors import Problems, ValidationFailed
from apps.datasets import field_types, metadata_types, question_types
from apps.datasets.models import SETTING_NAME_PATTERN

_NAME_RE = re.compile(SETTING_NAME_PATTERN)
# pgvector's `vector` type holds at most 16,000 dimensions (and the column is an integer).
MAX_VECTOR_DIMENSIONS = 16000


def clean_name(problems: Problems, name) -> str | None:
    if not isinstance(name, str) or not name:
        problems.add(("name",), _("A name is required."))
        return None
    if len(name) > 200:
        problems.add(("name",), _("The name must be at most 200 characters."))
    elif not _NAME_RE.match(name):
        problems.add(
            ("name",),
            _("%(name)r is not a valid name: use lowercase letters, digits, '-' and '_'.")
            % {"name": name},
        )
    return name


def clean_title(problems: Problems, title, *, default: str | None) -> str | None:
    if title is None or title == "":
        return default
    if not isinstance(title, str):
        problems.add(("title",), _("The title must be a string."))
        return None
    if len(title) > 500:
        problems.add(("title",), _("The title must be at most 500 characters."))
    return title


def clean_description(problems: Problems, description) -> str | None:
    if description is None or description == "":
        return None
    if not isinstance(description, str):
        problems.add(("description",), _("The description must be a string or null."))
        return None
    if len(description) > 1000:
        problems.add(("description",), _("The description must be at most 1000 characters."))
    return description


def clean_bool(problems: Problems, key: str, value, *, default: bool) -> bool:
    if value is None:
        return default
    if not isinstance(value, bool):
        problems.add((key,), _("%(key)s must be true or false.") % {"key": key})
        return default
    return value


def _settings_of(problems: Problems, settings) -> dict:
    if not isinstance(settings, dict):
        problems.add(("settings",), _("Settings must be an object with a 'type'."))
        return {}
    return settings


def _clean_typed_settings(problems: Problems, registry, settings: dict, **context) -> dict | None:
    type_name = settings.get("type")
    plugin = registry.get(type_name) if isinstance(type_name, str) else None
    if plugin is None:
        problems.add(
            ("settings", "type"),
            _("Unknown type %(type)r; expected one of: %(types)s.")
            % {"type": type_name, "types": ", ".join(registry.REGISTRY)},
        )
        return None
    try:
        return plugin.clean_settings(settings, **context)
    except ValidationFailed as error:
        problems.extend(error, "settings")
        return None


def clean_field(data: dict) -> dict:
    """A new field: name, title, required, description, settings."""
    problems = Problems()
    name = clean_name(problems, data.get("name"))
    cleaned = {
        "name": name,
        "title": clean_title(problems, data.get("title"), default=name),
        "required": clean_bool(problems, "required", data.get("required"), default=True),
        "description": clean_description(problems, data.get("description")),
        "settings": _clean_typed_settings(
            problems, field_types, _settings_of(problems, data.get("settings"))
        ),
    }
    problems.raise_if_any()
    return cleaned


def clean_question(data: dict, *, fields: dict[str, dict]) -> dict:
    """A new question. `fields` maps the dataset's field names to their settings (for span)."""
    problems = Problems()
    name = clean_name(problems, data.get("name"))
    cleaned = {
        "name": name,
        "title": clean_title(problems, data.get("title"), default=name),
        "required": clean_bool(problems, "required", data.get("required"), default=True),
        "description": clean_description(problems, data.get("description")),
        "settings": _clean_typed_settings(
            problems, question_types, _settings_of(problems, data.get("settings")), fields=fields
        ),
    }
    problems.raise_if_any()
    return cleaned


def clean_metadata_property(data: dict) -> dict:
    problems = Problems()
    name = clean_name(problems, data.get("name"))
    settings = _settings_of(problems, data.get("settings"))
    cleaned_settings = None
    if settings:
        try:
            cleaned_settings = metadata_types.clean_settings(settings)
        except ValidationFailed as error:
            problems.extend(error, "settings")
    visible = data.get("visible_for_annotators", settings.get("visible_for_annotators"))
    cleaned = {
        "name": name,
        "title": clean_title(problems, data.get("title"), default=name),
        "visible_for_annotators": clean_bool(
            problems, "visible_for_annotators", visible, default=True
        ),
        "settings": cleaned_settings,
    }
    problems.raise_if_any()
    return cleaned


MAX_VECTOR_DIMENSIONS = 2000


def clean_vector_settings(data: dict) -> dict:
    problems = Problems()
    name = clean_name(problems, data.get("name"))
    dimensions = data.get("dimensions")
    if isinstance(dimensions, bool) or not isinstance(dimensions, int) or dimensions < 1:
        problems.add(("dimensions",), _("Dimensions must be a positive integer."))
    elif dimensions > MAX_VECTOR_DIMENSIONS:
        # pgvector's HNSW index (one per vector setting) holds at most 2,000 dimensions.
        problems.add(
            ("dimensions",),
            _("Dimensions must be at most %(max)d.") % {"max": MAX_VECTOR_DIMENSIONS},
        )
    cleaned = {
        "name": name,
        "title": clean_title(problems, data.get("title"), default=name),
        "dimensions": dimensions,
    }
    problems.raise_if_any()
    return cleaned


def clean_title_and_description(data: dict, *, with_description: bool) -> dict:
    """The parts of a setting that stay editable after publishing (only keys present)."""
    problems = Problems()
    cleaned = {}
    if data.get("title") == "":
        # A new setting's empty title defaults to its name; an existing one keeps a title.
        problems.add(("title",), _("The title must not be empty."))
    elif "title" in data and data["title"] is not None:
        cleaned["title"] = clean_title(problems, data["title"], default=None)
    if with_description and "description" in data:
        cleaned["description"] = clean_description(problems, data["description"])
    problems.raise_if_any()
    return cleaned

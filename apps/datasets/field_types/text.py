"""A text field: a string shown as plain text or rendered as Markdown."""

from typing import Any

from django.utils.translation import gettext as _

from apps.core.errors import Problems, ValidationFailed
from apps.datasets._type_checks import read_bool, wrong_type

TYPE = "text"


def clean_settings(settings: dict) -> dict:
    problems = Problems()
    use_markdown = read_bool(settings, "use_markdown", default=False, problems=problems)
    problems.raise_if_any()
    return {"type": TYPE, "use_markdown": use_markdown}


def clean_value(value: Any, settings: dict) -> str:
    """Any string, even empty (Argilla only requires a string)."""
    if not isinstance(value, str):
        raise ValidationFailed.single((), wrong_type(_("a string"), value))
    return value

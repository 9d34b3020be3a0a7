"""A text question: a free-text answer, optionally written in Markdown."""

from typing import Any

from django.utils.translation import gettext as _

from apps.core.errors import Problems, ValidationFailed
from apps.datasets._type_checks import read_bool, wrong_type

TYPE = "text"


def clean_settings(settings: dict, *, fields: dict[str, dict]) -> dict:
    problems = Problems()
    use_markdown = read_bool(settings, "use_markdown", default=False, problems=problems)
    problems.raise_if_any()
    return {"type": TYPE, "use_markdown": use_markdown}


def clean_value(value: Any, settings: dict, *, record_fields: dict | None = None) -> str:
    if not isinstance(value, str):
        raise ValidationFailed.single((), wrong_type(_("a string"), value))
    if not value:
        raise ValidationFailed.single((), _("The answer must not be empty."))
    return value

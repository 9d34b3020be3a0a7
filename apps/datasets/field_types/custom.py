"""A custom field: any JSON object, shown through the dataset's own HTML template."""

from typing import Any

from django.utils.translation import gettext as _

from apps.core.errors import Problems, ValidationFailed
from apps.datasets._type_checks import read_bool, wrong_type

TYPE = "custom"


def clean_settings(settings: dict) -> dict:
    problems = Problems()
    template = settings.get("template")
    if template is None:
        problems.add(("template",), _("A template is required."))
    elif not isinstance(template, str):
        problems.add(("template",), wrong_type(_("a string"), template))
    elif not template.strip():
        problems.add(("template",), _("The template must not be empty."))
    advanced_mode = read_bool(settings, "advanced_mode", default=False, problems=problems)
    problems.raise_if_any()
    return {"type": TYPE, "template": template, "advanced_mode": advanced_mode}


def clean_value(value: Any, settings: dict) -> dict:
    if not isinstance(value, dict):
        raise ValidationFailed.single((), wrong_type(_("an object"), value))
    return value

"""Field types: what a record shows. One plug-in module per type.

Each module defines `TYPE`, `clean_settings(settings) -> dict` (normalized settings with `type`
and defaults; unknown keys dropped) and `clean_value(value, settings)` (a record's value for the
field, possibly normalized). Both raise ValidationFailed with locs relative to what they check.
Adding a type means adding a module and listing it here.
"""

from types import ModuleType

from apps.datasets.field_types import chat, custom, image, text

REGISTRY: dict[str, ModuleType] = {module.TYPE: module for module in (text, image, chat, custom)}


def get(type_name: str) -> ModuleType | None:
    """The plug-in for `type_name`, or None for an unknown type."""
    return REGISTRY.get(type_name) if isinstance(type_name, str) else None

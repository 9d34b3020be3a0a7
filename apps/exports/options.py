"""Reading a task's options (query parameters, command options) with located problems."""

from django.utils.translation import gettext as _

from apps.core.errors import Problems


def not_one_of(value, choices) -> str:
    return _("%(value)r is not one of: %(choices)s.") % {
        "value": value,
        "choices": ", ".join(map(repr, choices)),
    }


class Options:
    """String options by name; every bad one is recorded, then raised together."""

    def __init__(self, raw: dict | None):
        self.raw = {k: v for k, v in (raw or {}).items() if v not in (None, "")}
        self.problems = Problems()

    def str(self, name: str, default: str | None = None) -> str | None:
        value = self.raw.get(name, default)
        return None if value is None else str(value)

    def choice(self, name: str, choices: tuple, default: str) -> str:
        value = self.str(name, default)
        if value not in choices:
            self.problems.add((name,), not_one_of(value, choices))
            return default
        return value

    def list(self, name: str) -> list[str] | None:
        value = self.raw.get(name)
        if value is None:
            return None
        if isinstance(value, list | tuple):
            return [str(v) for v in value]
        return [part.strip() for part in str(value).split(",") if part.strip()]

    def number(self, name: str, default: float | None = None, *, integer=False):
        value = self.raw.get(name)
        if value is None:
            return default
        try:
            return int(value) if integer else float(value)
        except (TypeError, ValueError):
            self.problems.add((name,), _("%(value)r is not a number.") % {"value": value})
            return default

    def flag(self, name: str, default: bool = False) -> bool:
        value = self.raw.get(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        return str(value).lower() in ("1", "true", "yes", "on")

    def error(self, name: str, message: str) -> None:
        self.problems.add((name,), message)

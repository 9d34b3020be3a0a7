"""Checks shared by the field, question and metadata type plug-ins.

The `read_*` helpers check one value, record a problem in `problems` when it is wrong and return
a stand-in (the default or None), so one pass reports every problem. Messages name what was
expected and what was got.
"""

import json
from collections.abc import Hashable, Iterable, Iterator
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.core.errors import Loc, Problems

SHOWN_CHARS = 120


def show(value: Any) -> str:
    """The value as the client sent it (JSON), shortened for a message."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


def kind(value: Any) -> str:
    """The JSON kind of a value, with its article: 'a string', 'an integer', …"""
    if isinstance(value, bool):
        return _("a boolean")
    if isinstance(value, int):
        return _("an integer")
    if isinstance(value, float):
        return _("a number")
    if isinstance(value, str):
        return _("a string")
    if isinstance(value, list | tuple):
        return _("a list")
    if isinstance(value, dict):
        return _("an object")
    return type(value).__name__


def wrong_type(expected: str, value: Any) -> str:
    if value is None:
        return _("Expected %(expected)s, got null.") % {"expected": expected}
    return _("Expected %(expected)s, got %(kind)s: %(value)s.") % {
        "expected": expected,
        "kind": kind(value),
        "value": show(value),
    }


def not_one_of(value: Any, allowed: list, what: str) -> str:
    """E.g. '3 is not one of the rating values [1, 2].'"""
    return _("%(value)s is not one of the %(what)s %(allowed)s.") % {
        "value": show(value),
        "what": what,
        "allowed": show(allowed),
    }


def repeated(value: Any) -> str:
    return _("%(value)s appears more than once.") % {"value": show(value)}


def is_int(value: Any) -> bool:
    """A JSON integer: not a bool (True is an int in Python) and not a float like 2.0."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def repeats(indexed: Iterable[tuple[int, Hashable]]) -> Iterator[tuple[int, Hashable]]:
    """The (index, value) pairs whose value already appeared at an earlier index."""
    seen = set()
    for index, value in indexed:
        if value in seen:
            yield index, value
        seen.add(value)


def read_bool(settings: dict, key: str, *, default: bool, problems: Problems) -> bool:
    """settings[key] as a bool; missing or null means `default`."""
    value = settings.get(key)
    if value is None:
        return default
    if not isinstance(value, bool):
        problems.add((key,), wrong_type(_("true or false"), value))
        return default
    return value


def read_choice(
    settings: dict, key: str, choices: tuple[str, ...], *, default: str, problems: Problems
) -> str:
    """settings[key] as one of `choices`; missing or null means `default`."""
    value = settings.get(key)
    if value is None:
        return default
    if not isinstance(value, str) or value not in choices:
        problems.add((key,), not_one_of(value, list(choices), _("choices")))
        return default
    return value


def read_str(value: Any, loc: Loc, *, problems: Problems, max_length: int) -> str | None:
    """A required string of 1 to `max_length` characters, or None after recording a problem."""
    if value is None:
        problems.add(loc, _("This is required."))
        return None
    if not isinstance(value, str):
        problems.add(loc, wrong_type(_("a string"), value))
        return None
    if not value:
        problems.add(loc, _("Must not be empty."))
        return None
    if len(value) > max_length:
        problems.add(
            loc,
            _("Allows at most %(max)d characters, got %(count)d.")
            % {"max": max_length, "count": len(value)},
        )
        return None
    return value


def read_list(
    value: Any,
    loc: Loc,
    *,
    problems: Problems,
    min_items: int = 0,
    max_items: int | None = None,
) -> list | None:
    """A list with a length in range. A wrong length is recorded but the list is still returned,
    so its items can be checked too; a non-list gives None."""
    if not isinstance(value, list):
        problems.add(loc, wrong_type(_("a list"), value))
        return None
    count = len(value)
    if count < min_items:
        problems.add(
            loc,
            ngettext(
                "Needs at least %(min)d item, got %(count)d.",
                "Needs at least %(min)d items, got %(count)d.",
                min_items,
            )
            % {"min": min_items, "count": count},
        )
    elif max_items is not None and count > max_items:
        problems.add(
            loc,
            _("Allows at most %(max)d items, got %(count)d.") % {"max": max_items, "count": count},
        )
    return value

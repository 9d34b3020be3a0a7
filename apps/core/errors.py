"""The one error type every validation rule raises, with a structured list of problems.

The API turns it into a 422 body, forms into inline errors, the admin into form errors.
A problem's `loc` says where: e.g. ("items", 3, "fields", "response 1") for the fourth
record of a bulk request, or ("values", "rating") for a response value.
"""

from collections.abc import Iterable
from dataclasses import dataclass

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    loc: Loc
    message: str

    def as_dict(self) -> dict:
        return {"loc": list(self.loc), "msg": str(self.message)}

    def __str__(self) -> str:
        where = _format_loc(self.loc)
        return f"{where}: {self.message}" if where else str(self.message)


def _format_loc(loc: Loc) -> str:
    parts = []
    for part in loc:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        else:
            parts.append(("." if parts else "") + str(part))
    return "".join(parts)


class ValidationFailed(Exception):
    """Raised with every problem found, not just the first."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("; ".join(str(p) for p in self.problems))

    @classmethod
    def single(cls, loc: Loc, message: str) -> "ValidationFailed":
        return cls([Problem(tuple(loc), message)])

    def prefixed(self, *prefix: str | int) -> "ValidationFailed":
        """The same problems, located under `prefix` (e.g. a bulk item index)."""
        return ValidationFailed(Problem(tuple(prefix) + p.loc, p.message) for p in self.problems)

    def as_list(self) -> list[dict]:
        return [p.as_dict() for p in self.problems]


class Problems:
    """Collects problems while validating, so one pass reports them all."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, loc: Loc, message: str) -> None:
        self.items.append(Problem(tuple(loc), message))

    def extend(self, error: ValidationFailed, *prefix: str | int) -> None:
        self.items.extend(Problem(tuple(prefix) + p.loc, p.message) for p in error.problems)

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise ValidationFailed(self.items)


class Conflict(ValidationFailed):
    """The input is valid but clashes with what is stored (a duplicate name): HTTP 409."""

"""What a choice chip says: the option's meaning, with its shortcut key as a small hint.

Argilla's rating options are bare integers; datasets (the seed's among them) spell out what
each value means in the question's description, e.g. "1: the first is better, 2: the second
is better, 3: both are equal." Those meanings become the chips' text.
"""

import re
from dataclasses import dataclass

from apps.datasets.models import Question

MAX_KEY = 9
# "1: text" / "1 = text" / "1 - text" / "1：text", up to the next such item or the end.
_MEANING = re.compile(
    r"(?<![^\s,;，；(（])(\d{1,2})\s*[:=：–-]\s*(.+?)\s*(?=[,;，；]?\s*\d{1,2}\s*[:=：–-]|[.。]?\s*$)",
    re.S,
)


@dataclass(frozen=True)
class Choice:
    value: object
    text: str
    key: int | None  # the number key that picks it (1..9), None beyond 9
    description: str = ""

    @property
    def show_key(self) -> bool:
        # "1 1" says nothing twice: the hint only shows when the text is not the key itself.
        return self.key is not None and self.text != str(self.key)


def rating_meanings(description: str) -> dict[int, str]:
    meanings = {}
    for number, text in _MEANING.findall(description or ""):
        if "(" not in text and "（" not in text:  # "(1: bad, 2: good)" ends with its bracket
            text = text.rstrip(")）")
        meanings[int(number)] = text.strip()
    return meanings


def choices_of(question: Question) -> list[Choice]:
    options = question.settings.get("options") or []
    kind = question.settings.get("type")
    meanings = rating_meanings(question.description) if kind == "rating" else {}
    choices = []
    for index, option in enumerate(options, start=1):
        value = option.get("value")
        if kind == "rating":
            meaning = meanings.get(value)
            text = f"{value} · {meaning}" if meaning else str(value)
        else:
            text = str(option.get("text") or value)
        key = index if index <= MAX_KEY else None
        choices.append(Choice(value, text, key, option.get("description") or ""))
    return choices


def description_is_in_chips(question: Question) -> bool:
    """A rating description fully turned into chip texts need not be shown again."""
    if question.settings.get("type") != "rating":
        return False
    values = {o.get("value") for o in question.settings.get("options") or []}
    return bool(values) and values <= set(rating_meanings(question.description))

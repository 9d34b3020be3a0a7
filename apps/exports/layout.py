"""The `records` export: every record with its fields, metadata, suggestions and responses.

One row per record. Columns, in order (see README, "Exports"):
  id, external_id, status, inserted_at, updated_at, one column per field, metadata;
  per question `q`, layout "lists" (the default):
    q.responses, q.responses.users, q.responses.status  — parallel lists, one entry per
        response (any status) that answers q, oldest first;
  or layout "wide": one column `q.<username>` per annotator holding their submitted answer;
  and per question q.suggestion, q.suggestion.score, q.suggestion.agent.
"""

import pyarrow as pa
from django.utils.translation import gettext as _

from apps.core.errors import ValidationFailed
from apps.datasets.schema import DatasetSchema
from apps.exports.columns import (
    FLOAT,
    FLOATS,
    INTEGERS,
    LIST_VALUED,
    STRING,
    STRINGS,
    TEXT_FIELDS,
    Column,
    value_type,
)
from apps.exports.source import Item
from apps.responses.models import ResponseStatus

LAYOUTS = ("lists", "wide")
_RESHAPED = frozenset({"ranking", "span"})


class RecordsLayout:
    """Turns items into record rows; built once per export from the dataset's schema."""

    def __init__(self, schema: DatasetSchema, *, layout: str = "lists", annotators=()):
        if layout not in LAYOUTS:
            raise ValidationFailed.single(
                ("layout",),
                _("Unknown layout %(layout)r; choose one of: %(layouts)s.")
                % {"layout": layout, "layouts": ", ".join(LAYOUTS)},
            )
        self.layout = layout
        self.annotators = list(annotators)
        self.fields = [(f.name, f.type in TEXT_FIELDS) for f in schema.fields.values()]
        self.questions = [(q.name, q.type) for q in schema.questions.values()]
        self.columns = self._columns()
        # Per-row work is the export's hot loop: names and column keys are built once.
        self._field_names = [name for name, _is_text in self.fields]
        self._question_position = {name: i for i, (name, _kind) in enumerate(self.questions)}
        self._question_keys = [
            (
                name,
                kind,
                kind in _RESHAPED,
                kind not in LIST_VALUED,
                self._answer_keys(name),
                _suggestion_keys(name),
            )
            for name, kind in self.questions
        ]

    def _answers_by_question(self, responses) -> list[tuple[list, list, list]]:
        """Per question (in order): the values that answer it, their users and statuses.
        One pass over what each response answers, rather than over every question."""
        answered = [([], [], []) for _question in self._question_keys]
        position = self._question_position
        for answer in responses:
            for question, entry in answer.values.items():
                index = position.get(question)
                if index is None or entry.__class__ is not dict:
                    continue
                value = entry.get("value")
                if value is not None:
                    values, users, statuses = answered[index]
                    values.append(value)
                    users.append(answer.username)
                    statuses.append(answer.status)
        return answered

    def _answer_keys(self, question: str) -> tuple[str, ...]:
        if self.layout == "lists":
            return (
                f"{question}.responses",
                f"{question}.responses.users",
                f"{question}.responses.status",
            )
        return tuple(f"{question}.{user}" for user in self.annotators)

    def _columns(self) -> list[Column]:
        columns = [
            Column("id", STRING),
            Column("external_id", STRING),
            Column("status", STRING),
            Column("inserted_at", STRING),
            Column("updated_at", STRING),
        ]
        columns += [Column(name, STRING, json=not is_text) for name, is_text in self.fields]
        columns.append(Column("metadata", STRING, json=True))
        # Every response of the record (any status, oldest first) and its time spent.
        columns += [
            Column("responses.users", STRINGS),
            Column("responses.active_seconds", INTEGERS),
        ]
        for name, kind in self.questions:
            arrow, is_json = value_type(kind)
            if self.layout == "lists":
                columns += [
                    Column(f"{name}.responses", pa.list_(STRING if is_json else arrow)),
                    Column(f"{name}.responses.users", STRINGS),
                    Column(f"{name}.responses.status", STRINGS),
                ]
            else:
                columns += [Column(f"{name}.{user}", arrow, is_json) for user in self.annotators]
            suggested_key, score_key, agent_key = _suggestion_keys(name)
            columns += [
                Column(suggested_key, arrow, is_json),
                Column(score_key, FLOATS if kind in LIST_VALUED else FLOAT),
                Column(agent_key, STRING),
            ]
        return columns

    def rows(self, item: Item) -> list[dict]:
        """One row, its keys exactly `columns` in order (writers rely on it).

        The export's hot loop: written for speed (names and keys prepared once, `_plain`
        and `_score` called only where they change something)."""
        row = {
            "id": str(item.id),
            "external_id": item.external_id,
            "status": item.status,
            "inserted_at": item.inserted_at,
            "updated_at": item.updated_at,
        }
        fields = item.fields
        for name in self._field_names:
            row[name] = fields.get(name)
        row["metadata"] = item.metadata or {}
        responses, suggestions = item.responses, item.suggestions
        row["responses.users"] = [answer.username for answer in responses]
        row["responses.active_seconds"] = [answer.active_seconds for answer in responses]
        lists = self.layout == "lists"
        if lists:
            answered = self._answers_by_question(responses)
        for index, (name, kind, reshape, scalar, keys, suggestion_keys) in enumerate(
            self._question_keys
        ):
            if lists:
                values, users, statuses = answered[index]
                if reshape:
                    values = [_plain(kind, value) for value in values]
                row[keys[0]], row[keys[1]], row[keys[2]] = values, users, statuses
            else:
                for key in keys:
                    row[key] = None
                for answer in responses:
                    if answer.status == ResponseStatus.SUBMITTED:
                        row[f"{name}.{answer.username}"] = _plain(kind, answer.value(name))
            suggested_key, score_key, agent_key = suggestion_keys
            suggestion = suggestions.get(name)
            if suggestion is None:
                row[suggested_key] = row[score_key] = row[agent_key] = None
            else:
                value, score = suggestion.value, suggestion.score
                row[suggested_key] = _plain(kind, value) if reshape else value
                fast = scalar and score.__class__ is float
                row[score_key] = score if fast else _score(kind, score, value)
                row[agent_key] = suggestion.agent
        return [row]


def _suggestion_keys(question: str) -> tuple[str, str, str]:
    return (
        f"{question}.suggestion",
        f"{question}.suggestion.score",
        f"{question}.suggestion.agent",
    )


def _plain(kind: str, value):
    """An answer as its column holds it (rankings with every key present)."""
    if kind not in _RESHAPED:
        return value
    if kind == "ranking" and isinstance(value, list):
        return [{"value": item.get("value"), "rank": item.get("rank")} for item in value]
    if kind == "span" and isinstance(value, list):
        return [
            {"label": item.get("label"), "start": item.get("start"), "end": item.get("end")}
            for item in value
        ]
    return value


def _score(kind: str, score, value):
    """Scores of list-valued answers are lists: a single score applies to every item."""
    if score is None:
        return None
    if kind in LIST_VALUED:
        if isinstance(score, list):
            return [float(s) if s is not None else None for s in score]
        return [float(score)] * (len(value) if isinstance(value, list) else 1)
    if isinstance(score, list):
        return float(score[0]) if score else None
    return float(score)

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

from apps.datasets.errors import ValidationFailed
from apps.datasets.schema import DatasetSchema
from apps.exports.columns import (
    FLOAT,
    FLOATS,
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


class RecordsLayout:
    """Turns items into record rows; built once per export from the dataset's schema."""

    def __init__(self, schema: DatasetSchema, *, layout: str = "lists", annotators=()):
        if layout not in LAYOUTS:
            raise ValidationFailed.single(
                ("layout",), f"Unknown layout {layout!r}; choose one of: {', '.join(LAYOUTS)}."
            )
        self.layout = layout
        self.annotators = list(annotators)
        self.fields = [(f.name, f.type in TEXT_FIELDS) for f in schema.fields.values()]
        self.questions = [(q.name, q.type) for q in schema.questions.values()]
        self.columns = self._columns()

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
            columns += [
                Column(f"{name}.suggestion", arrow, is_json),
                Column(f"{name}.suggestion.score", FLOATS if kind in LIST_VALUED else FLOAT),
                Column(f"{name}.suggestion.agent", STRING),
            ]
        return columns

    def rows(self, item: Item) -> list[dict]:
        row = {
            "id": str(item.id),
            "external_id": item.external_id,
            "status": item.status,
            "inserted_at": item.inserted_at,
            "updated_at": item.updated_at,
        }
        for name, _is_text in self.fields:
            row[name] = item.fields.get(name)
        row["metadata"] = item.metadata or {}
        for name, kind in self.questions:
            if self.layout == "lists":
                answers = [(a, a.value(name)) for a in item.responses]
                answers = [(a, v) for a, v in answers if v is not None]
                row[f"{name}.responses"] = [_plain(kind, v) for _a, v in answers]
                row[f"{name}.responses.users"] = [a.username for a, _v in answers]
                row[f"{name}.responses.status"] = [a.status for a, _v in answers]
            else:
                for user in self.annotators:
                    row[f"{name}.{user}"] = None
                for answer in item.responses:
                    if answer.status == ResponseStatus.SUBMITTED:
                        row[f"{name}.{answer.username}"] = _plain(kind, answer.value(name))
            suggestion = item.suggestions.get(name)
            if suggestion is None:
                row[f"{name}.suggestion"] = None
                row[f"{name}.suggestion.score"] = None
                row[f"{name}.suggestion.agent"] = None
            else:
                row[f"{name}.suggestion"] = _plain(kind, suggestion.value)
                row[f"{name}.suggestion.score"] = _score(kind, suggestion.score, suggestion.value)
                row[f"{name}.suggestion.agent"] = suggestion.agent
        return [row]


def _plain(kind: str, value):
    """An answer as its column holds it (rankings with every key present)."""
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

"""Validation of record payloads against their dataset: fields, metadata, vectors, suggestions.

Pure functions over plain data and a preloaded DatasetSchema: no queries, so a bulk request
of any size validates in memory. Every problem is located (`("fields", "response 1")`);
bulk callers prefix the item index.
"""

import math
import re
import uuid
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from apps.core.errors import Problems, ValidationFailed
from apps.datasets import field_types, metadata_types, question_types
from apps.datasets.models import Dataset, Question
from apps.datasets.schema import DatasetSchema
from apps.records.models import SuggestionType

AGENT_RE = re.compile(r"^(?=.*[a-zA-Z0-9])[a-zA-Z0-9-_:\.\/\s]+$")
EXTERNAL_ID_MAX_LENGTH = 2000


@dataclass
class CleanSuggestion:
    question: Question
    value: object
    score: float | list[float] | None = None
    agent: str | None = None
    type: str | None = None


@dataclass
class CleanRecord:
    external_id: str | None = None
    fields: dict | None = None  # None: leave an existing record's fields unchanged
    metadata: dict | None = None  # None: not sent
    vectors: dict[str, list[float]] = field(default_factory=dict)
    suggestions: list[CleanSuggestion] = field(default_factory=list)


def _names(names) -> str:
    return ", ".join(repr(n) for n in names) or _("(none)")


def clean_external_id(problems: Problems, external_id) -> str | None:
    if external_id is None:
        return None
    if isinstance(external_id, bool) or not isinstance(external_id, str | int):
        problems.add(("external_id",), _("external_id must be a string."))
        return None
    external_id = str(external_id)
    if not external_id or len(external_id) > EXTERNAL_ID_MAX_LENGTH:
        problems.add(("external_id",), _("external_id must be 1 to 2000 characters."))
    return external_id


def clean_fields(problems: Problems, schema: DatasetSchema, fields) -> dict:
    if not isinstance(fields, dict) or not fields:
        problems.add(("fields",), _("fields must be a non-empty object of field values."))
        return {}
    cleaned = {}
    for name, value in fields.items():
        dataset_field = schema.fields.get(name)
        if dataset_field is None:
            problems.add(
                ("fields", name),
                _("%(name)r is not a field of this dataset; its fields are: %(names)s.")
                % {"name": name, "names": _names(schema.fields)},
            )
            continue
        if value is None:
            continue
        plugin = field_types.get(dataset_field.settings.get("type"))
        try:
            cleaned[name] = plugin.clean_value(value, dataset_field.settings)
        except ValidationFailed as error:
            problems.extend(error, "fields", name)
    for name, dataset_field in schema.fields.items():
        if dataset_field.required and fields.get(name) is None:
            problems.add(
                ("fields", name), _("The required field %(name)r is missing.") % {"name": name}
            )
    return cleaned


def clean_metadata(problems: Problems, schema: DatasetSchema, metadata) -> dict:
    if metadata is None:
        return {}
    if not isinstance(metadata, dict):
        problems.add(("metadata",), _("metadata must be an object."))
        return {}
    cleaned = {}
    for key, value in metadata.items():
        if value is None:
            continue
        prop = schema.metadata_properties.get(key)
        if prop is None:
            if not schema.dataset.allow_extra_metadata:
                problems.add(
                    ("metadata", key),
                    _(
                        "%(key)r is not a metadata property of this dataset (%(names)s) and the "
                        "dataset does not allow extra metadata."
                    )
                    % {"key": key, "names": _names(schema.metadata_properties)},
                )
                continue
            if isinstance(value, float) and not math.isfinite(value):
                problems.add(("metadata", key), _("NaN and infinity are not allowed."))
                continue
            cleaned[key] = value
            continue
        try:
            cleaned[key] = metadata_types.clean_value(value, prop.settings)
        except ValidationFailed as error:
            problems.extend(error, "metadata", key)
    return cleaned


def clean_vectors(problems: Problems, schema: DatasetSchema, vectors) -> dict[str, list[float]]:
    if vectors is None:
        return {}
    if not isinstance(vectors, dict):
        problems.add(("vectors",), _("vectors must be an object of {name: [numbers]}."))
        return {}
    cleaned = {}
    for name, values in vectors.items():
        settings = schema.vectors_settings.get(name)
        if settings is None:
            problems.add(
                ("vectors", name),
                _("%(name)r is not a vector of this dataset; its vectors are: %(names)s.")
                % {"name": name, "names": _names(schema.vectors_settings)},
            )
            continue
        if not isinstance(values, list) or not all(
            isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
            for v in values
        ):
            problems.add(("vectors", name), _("A vector must be a list of finite numbers."))
            continue
        if len(values) != settings.dimensions:
            problems.add(
                ("vectors", name),
                _("The vector has %(got)d dimensions; %(name)r needs %(want)d.")
                % {"got": len(values), "name": name, "want": settings.dimensions},
            )
            continue
        cleaned[name] = [float(v) for v in values]
    return cleaned


def _find_question(schema: DatasetSchema, item: dict) -> Question | None:
    question_id = item.get("question_id")
    if question_id is not None:
        if not isinstance(question_id, str):
            return None  # a list or an object is no id (and no dict key)
        # Most clients send the canonical text; other spellings (upper case, no dashes) parse.
        question = schema.questions_by_id_text.get(question_id)
        if question is not None:
            return question
        try:
            return schema.questions_by_id.get(uuid.UUID(str(question_id)))
        except ValueError:
            return None
    name = item.get("question_name")
    return schema.questions.get(name) if isinstance(name, str) else None


def _clean_score(problems: Problems, loc: tuple, score, value):
    if score is None:
        return None
    scores = score if isinstance(score, list) else [score]
    if not all(
        isinstance(s, int | float) and not isinstance(s, bool) and 0 <= s <= 1 for s in scores
    ):
        problems.add(loc + ("score",), _("A score must be a number between 0 and 1, or a list."))
        return None
    if isinstance(score, list) and (not isinstance(value, list) or len(value) != len(score)):
        problems.add(loc + ("score",), _("A list of scores needs a list value of the same length."))
        return None
    return score


def clean_suggestions(
    problems: Problems, schema: DatasetSchema, suggestions, record_fields: dict
) -> list[CleanSuggestion]:
    if suggestions is None:
        return []
    if not isinstance(suggestions, list):
        problems.add(("suggestions",), _("suggestions must be a list."))
        return []
    cleaned, seen = [], set()
    for index, item in enumerate(suggestions):
        loc = ("suggestions", index)
        if not isinstance(item, dict):
            problems.add(loc, _("A suggestion must be an object."))
            continue
        question = _find_question(schema, item)
        if question is None:
            problems.add(
                loc + ("question_id",),
                _("The suggestion names no question of this dataset; its questions are: %(names)s.")
                % {"names": _names(schema.questions)},
            )
            continue
        if question.name in seen:
            problems.add(
                loc, _("Only one suggestion per question (%(name)r).") % {"name": question.name}
            )
            continue
        seen.add(question.name)
        plugin = question_types.get(question.settings.get("type"))
        try:
            value = plugin.clean_value(
                item.get("value"), question.settings, record_fields=record_fields
            )
        except ValidationFailed as error:
            problems.extend(error, *loc, "value")
            continue
        agent = item.get("agent")
        if agent is not None and (
            not isinstance(agent, str) or len(agent) > 200 or not AGENT_RE.match(agent)
        ):
            problems.add(loc + ("agent",), _("agent must be 1 to 200 letters, digits or -_:./ ."))
        suggestion_type = item.get("type")
        if suggestion_type is not None and suggestion_type not in SuggestionType.values:
            problems.add(loc + ("type",), _("type must be 'model', 'human' or null."))
        cleaned.append(
            CleanSuggestion(
                question=question,
                value=value,
                score=_clean_score(problems, loc, item.get("score"), value),
                agent=agent,
                type=suggestion_type,
            )
        )
    return cleaned


def clean_record(
    schema: DatasetSchema, data, *, existing_fields: dict | None = None
) -> CleanRecord:
    """Validate one record payload. With `existing_fields` (an update), fields may be omitted."""
    if not isinstance(data, dict):
        raise ValidationFailed.single((), _("A record must be an object."))
    problems = Problems()
    record = CleanRecord(external_id=clean_external_id(problems, data.get("external_id")))
    if existing_fields is None or data.get("fields") is not None:
        record.fields = clean_fields(problems, schema, data.get("fields"))
    if "metadata" in data:
        record.metadata = clean_metadata(problems, schema, data.get("metadata"))
    record.vectors = clean_vectors(problems, schema, data.get("vectors"))
    text_for_spans = record.fields if record.fields is not None else (existing_fields or {})
    record.suggestions = clean_suggestions(
        problems, schema, data.get("suggestions"), text_for_spans
    )
    problems.raise_if_any()
    return record


def repeats_external_id(problems: Problems, seen: set, index: int, external_id) -> bool:
    """Whether `external_id` came earlier in this bulk request (the problem is then noted
    against item `index`); a first sighting is remembered in `seen`."""
    if external_id is None:
        return False
    if external_id in seen:
        problems.add(
            ("items", index, "external_id"),
            _("external_id %(id)r appears twice in this request.") % {"id": external_id},
        )
        return True
    seen.add(external_id)
    return False


def clean_records(schema: DatasetSchema, items) -> list[CleanRecord]:
    """Validate a bulk request; all problems of all items, each prefixed with its index."""
    if not isinstance(items, list):
        raise ValidationFailed.single(("items",), _("items must be a list of records."))
    problems = Problems()
    cleaned = []
    seen_external_ids: set[str] = set()
    for index, item in enumerate(items):
        try:
            record = clean_record(schema, item)
        except ValidationFailed as error:
            problems.extend(error, "items", index)
            continue
        repeats_external_id(problems, seen_external_ids, index, record.external_id)
        cleaned.append(record)
    problems.raise_if_any()
    return cleaned


def ensure_published(dataset: Dataset) -> None:
    """Records go only into a published dataset (its schema is then fixed)."""
    if not dataset.is_published:
        raise ValidationFailed.single(
            ("dataset",), _("Records cannot be added to a dataset that is not published.")
        )

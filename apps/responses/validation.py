"""Validation of response values: `{question_name: {"value": V}}` checked per question type.

Submitted responses must answer every required question; drafts may be partial;
discarded responses may carry no values at all.
"""

import dataclasses
import uuid
from dataclasses import dataclass

from django.utils.translation import gettext as _

from apps.core.errors import Problems, ValidationFailed
from apps.datasets import question_types
from apps.datasets.schema import DatasetSchema
from apps.responses.models import ResponseStatus


def clean_status(status) -> str:
    if status not in ResponseStatus.values:
        raise ValidationFailed.single(
            ("status",),
            _("%(status)r is not a response status; expected one of: %(statuses)s.")
            % {"status": status, "statuses": ", ".join(ResponseStatus.values)},
        )
    return status


def clean_values(
    schema: DatasetSchema, values, *, status: str, record_fields: dict | None = None
) -> dict:
    """Return the values to store, or raise ValidationFailed naming each bad question."""
    status = clean_status(status)
    if values is None:
        if status == ResponseStatus.DISCARDED:
            return {}
        raise ValidationFailed.single(("values",), _("Values are required for this status."))
    if not isinstance(values, dict):
        raise ValidationFailed.single(
            ("values",), _("Values must be an object of {question: {value: ...}}.")
        )
    problems = Problems()
    cleaned: dict[str, dict] = {}
    for name, answer in values.items():
        question = schema.questions.get(name)
        if question is None:
            problems.add(
                ("values", name),
                _("%(name)r is not a question of this dataset; its questions are: %(names)s.")
                % {"name": name, "names": ", ".join(schema.questions)},
            )
            continue
        if not isinstance(answer, dict) or "value" not in answer:
            problems.add(("values", name), _('Each answer must be an object {"value": ...}.'))
            continue
        if answer["value"] is None:
            continue  # an unanswered question; required ones are checked below
        plugin = question_types.get(question.settings.get("type"))
        try:
            value = plugin.clean_value(
                answer["value"], question.settings, record_fields=record_fields
            )
        except ValidationFailed as error:
            problems.extend(error, "values", name, "value")
            continue
        cleaned[name] = {"value": value}
    if status == ResponseStatus.SUBMITTED:
        for name in missing_required(schema, cleaned):
            if name not in _named(problems):
                problems.add(
                    ("values", name),
                    _("The question %(name)r is required to submit.") % {"name": name},
                )
    problems.raise_if_any()
    return cleaned


def missing_required(schema: DatasetSchema, values: dict) -> list[str]:
    """The required questions `values` leaves unanswered: a response can be submitted only
    when there are none."""
    return [name for name, q in schema.questions.items() if q.required and name not in values]


def _named(problems: Problems) -> set:
    return {p.loc[1] for p in problems.items if len(p.loc) > 1}


@dataclass(frozen=True)
class ResponseWrite:
    """One response to write (`services.save_responses`), its values cleaned already."""

    record_id: uuid.UUID | None
    user_id: uuid.UUID
    status: str
    values: dict

    def for_record(self, record_id: uuid.UUID) -> "ResponseWrite":
        return dataclasses.replace(self, record_id=record_id)


def clean_item_responses(
    problems: Problems, schema: DatasetSchema, responses, users: dict, record_fields
) -> list[ResponseWrite]:
    """The `responses` of one record item of a bulk upsert (`records.upsert`), cleaned, or
    problems located at ("responses", i, ...). `users`: who may answer, by id. The record
    ids are filled in once the upsert knows them (`ResponseWrite.for_record`)."""
    if responses is None:
        return []
    if not isinstance(responses, list):
        problems.add(("responses",), _("responses must be a list."))
        return []
    cleaned, seen = [], set()
    for index, response in enumerate(responses):
        loc = ("responses", index)
        if not isinstance(response, dict):
            problems.add(loc, _("A response must be an object."))
            continue
        try:
            user = users.get(uuid.UUID(str(response.get("user_id"))))
        except ValueError:
            user = None
        if user is None:
            problems.add(
                loc + ("user_id",),
                _("No user with this id may answer in this dataset's workspace."),
            )
            continue
        if user.pk in seen:
            problems.add(loc + ("user_id",), _("Only one response per user and record."))
            continue
        seen.add(user.pk)
        status = response.get("status") or ResponseStatus.DRAFT
        try:
            values = clean_values(
                schema, response.get("values"), status=status, record_fields=record_fields
            )
        except ValidationFailed as error:
            problems.extend(error, *loc)
            continue
        cleaned.append(ResponseWrite(None, user.pk, status, values))
    return cleaned

"""Validation of response values: `{question_name: {"value": V}}` checked per question type.

Submitted responses must answer every required question; drafts may be partial;
discarded responses may carry no values at all.
"""

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
        for name, question in schema.questions.items():
            if question.required and name not in cleaned and name not in _named(problems):
                problems.add(
                    ("values", name),
                    _("The question %(name)r is required to submit.") % {"name": name},
                )
    problems.raise_if_any()
    return cleaned


def _named(problems: Problems) -> set:
    return {p.loc[1] for p in problems.items if len(p.loc) > 1}
